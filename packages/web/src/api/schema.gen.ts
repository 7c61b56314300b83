/**
 * Generated from the server's OpenAPI document by scripts/api-types.mjs (openapi-typescript).
 * Do not edit: change the server's schemas and run `npm run api:types`; `npm run lint` fails while
 * this file is stale.
 */
export interface paths {
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Database, ingest queue, watcher, ingest problems, fixity and version; degraded when ingest is held up or a file is lost or changed, 503 when the database is down */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: "ok" | "degraded" | "unavailable";
                            version: string;
                            uptime_seconds: number;
                            database: {
                                ok: boolean;
                                dialect: string;
                                latency_ms: number | null;
                                error?: string;
                            };
                            queue: {
                                pending: number;
                                active: number;
                            } | null;
                            watcher: string;
                            ingest: {
                                /** @description why frames cannot be catalogued right now (a full disk, no catalog) */
                                problem: string | null;
                                /** Format: date-time */
                                problem_since: string | null;
                                /** @description image folders configured for this process */
                                image_roots: number;
                                /** @description of those, not reachable (an unmounted share) */
                                image_roots_offline: number;
                            };
                            /** FixitySummary */
                            fixity: {
                                /** @description AIMS_FIXITY_DAYS: every file is read within this period (0: off) */
                                every_days: number;
                                last_run: {
                                    /** @description 'server' (background) or 'cli' (aims verify) */
                                    source: string;
                                    /** Format: date-time */
                                    finished_at: string;
                                    files: number;
                                    ok: number;
                                    /** @description files whose content is not the catalogued one */
                                    changed: number;
                                    /** @description files not at their path */
                                    missing: number;
                                    /** @description files that could not be read (or whose folder is not reachable) */
                                    unreadable: number;
                                    /** @description frames whose FITS CHECKSUM/DATASUM failed at ingest */
                                    checksum_bad: number;
                                } | null;
                                /** @description files whose last check (or FITS checksum) is not ok now */
                                problems: {
                                    /** @description files whose content is not the catalogued one */
                                    changed: number;
                                    /** @description files not at their path */
                                    missing: number;
                                    /** @description files that could not be read (or whose folder is not reachable) */
                                    unreadable: number;
                                    /** @description frames whose FITS CHECKSUM/DATASUM failed at ingest */
                                    checksum_bad: number;
                                };
                            } | null;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: "ok" | "degraded" | "unavailable";
                            version: string;
                            uptime_seconds: number;
                            database: {
                                ok: boolean;
                                dialect: string;
                                latency_ms: number | null;
                                error?: string;
                            };
                            queue: {
                                pending: number;
                                active: number;
                            } | null;
                            watcher: string;
                            ingest: {
                                /** @description why frames cannot be catalogued right now (a full disk, no catalog) */
                                problem: string | null;
                                /** Format: date-time */
                                problem_since: string | null;
                                /** @description image folders configured for this process */
                                image_roots: number;
                                /** @description of those, not reachable (an unmounted share) */
                                image_roots_offline: number;
                            };
                            /** FixitySummary */
                            fixity: {
                                /** @description AIMS_FIXITY_DAYS: every file is read within this period (0: off) */
                                every_days: number;
                                last_run: {
                                    /** @description 'server' (background) or 'cli' (aims verify) */
                                    source: string;
                                    /** Format: date-time */
                                    finished_at: string;
                                    files: number;
                                    ok: number;
                                    /** @description files whose content is not the catalogued one */
                                    changed: number;
                                    /** @description files not at their path */
                                    missing: number;
                                    /** @description files that could not be read (or whose folder is not reachable) */
                                    unreadable: number;
                                    /** @description frames whose FITS CHECKSUM/DATASUM failed at ingest */
                                    checksum_bad: number;
                                } | null;
                                /** @description files whose last check (or FITS checksum) is not ok now */
                                problems: {
                                    /** @description files whose content is not the catalogued one */
                                    changed: number;
                                    /** @description files not at their path */
                                    missing: number;
                                    /** @description files that could not be read (or whose folder is not reachable) */
                                    unreadable: number;
                                    /** @description frames whose FITS CHECKSUM/DATASUM failed at ingest */
                                    checksum_bad: number;
                                };
                            } | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How people can sign in here (for the sign-in page) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            signup: "open" | "approval" | "closed";
                            password_min_length: number;
                            google_client_id: string | null;
                            oidc: boolean;
                            public_read: boolean;
                            /** @description no account exists yet: the next sign-up becomes admin */
                            first_account: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with e-mail and password */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description a JWT (HS256); send as "Authorization: Bearer …" */
                            access_token: string;
                            /** @enum {string} */
                            token_type: "bearer";
                            /** @description seconds */
                            expires_in: number;
                            /** User */
                            user: {
                                id: number;
                                email: string;
                                display_name: string | null;
                                role: "admin" | "user";
                                can_download: boolean;
                                is_active: boolean;
                                has_password: boolean;
                                google_linked: boolean;
                                oidc_linked: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                last_login_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account (per AIMS_SIGNUP: open, approval or closed)
         * @description open: the account is active at once (201 with a session); an address that has an account already is a 409. approval: 202, the same answer whether or not the address had an account (nothing changes for an existing one). closed: 403. The first account ever created becomes an administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                        display_name?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description a JWT (HS256); send as "Authorization: Bearer …" */
                            access_token: string;
                            /** @enum {string} */
                            token_type: "bearer";
                            /** @description seconds */
                            expires_in: number;
                            /** User */
                            user: {
                                id: number;
                                email: string;
                                display_name: string | null;
                                role: "admin" | "user";
                                can_download: boolean;
                                is_active: boolean;
                                has_password: boolean;
                                google_linked: boolean;
                                oidc_linked: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                last_login_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "pending_approval";
                            message: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/google": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in with a Google ID token (Google Identity Services) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the Google ID token (a JWT) */
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description a JWT (HS256); send as "Authorization: Bearer …" */
                            access_token: string;
                            /** @enum {string} */
                            token_type: "bearer";
                            /** @description seconds */
                            expires_in: number;
                            /** User */
                            user: {
                                id: number;
                                email: string;
                                display_name: string | null;
                                role: "admin" | "user";
                                can_download: boolean;
                                is_active: boolean;
                                has_password: boolean;
                                google_linked: boolean;
                                oidc_linked: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                last_login_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "pending_approval";
                            message: string;
                            /** User */
                            user: {
                                id: number;
                                email: string;
                                display_name: string | null;
                                role: "admin" | "user";
                                can_download: boolean;
                                is_active: boolean;
                                has_password: boolean;
                                google_linked: boolean;
                                oidc_linked: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                last_login_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out: ends the session of the cookie or bearer JWT on the server and drops the cookie */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/oidc/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Start OpenID Connect sign-in (redirects to the provider) */
        get: {
            parameters: {
                query?: {
                    return_to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/oidc/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the provider sends the browser back */
        get: {
            parameters: {
                query?: {
                    code?: string;
                    state?: string;
                    error?: string;
                    error_description?: string;
                    iss?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "pending_approval";
                            message: string;
                            /** User */
                            user: {
                                id: number;
                                email: string;
                                display_name: string | null;
                                role: "admin" | "user";
                                can_download: boolean;
                                is_active: boolean;
                                has_password: boolean;
                                google_linked: boolean;
                                oidc_linked: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                last_login_at: string | null;
                            };
                        };
                    };
                };
                /** @description Default Response */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in account */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            email: string;
                            display_name: string | null;
                            role: "admin" | "user";
                            can_download: boolean;
                            is_active: boolean;
                            has_password: boolean;
                            google_linked: boolean;
                            oidc_linked: boolean;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            last_login_at: string | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My API tokens (never the secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                name: string;
                                prefix: string;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                last_used_at: string | null;
                                /** Format: date-time */
                                expires_at: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an API token for scripts; the token is shown once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        expires_in_days?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            name: string;
                            prefix: string;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            last_used_at: string | null;
                            /** Format: date-time */
                            expires_at: string | null;
                            token: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of my API tokens */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description numeric id */
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every account */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                email: string;
                                display_name: string | null;
                                role: "admin" | "user";
                                can_download: boolean;
                                is_active: boolean;
                                has_password: boolean;
                                google_linked: boolean;
                                oidc_linked: boolean;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                last_login_at: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change role, download right or activity of an account (audited; applies at once) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description numeric id */
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        role?: "admin" | "user";
                        can_download?: boolean;
                        is_active?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            email: string;
                            display_name: string | null;
                            role: "admin" | "user";
                            can_download: boolean;
                            is_active: boolean;
                            has_password: boolean;
                            google_linked: boolean;
                            oidc_linked: boolean;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            last_login_at: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first */
        get: {
            parameters: {
                query?: {
                    action?: string;
                    actor_id?: number;
                    /** @description next_before of the previous page */
                    before?: number;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                /** Format: date-time */
                                at: string;
                                actor_id: number | null;
                                actor_email: string | null;
                                action: string;
                                target: string | null;
                                details: {
                                    [key: string]: unknown;
                                } | null;
                                ip: string | null;
                            }[];
                            next_before: number | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/ingest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ingest ledger: every discovered file, its state and the reason */
        get: {
            parameters: {
                query?: {
                    state?: "pending" | "ingested" | "duplicate" | "unchanged" | "rejected" | "failed";
                    /** @description case-insensitive part of the path */
                    path?: string;
                    retryable?: boolean;
                    limit?: number;
                    offset?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            total: number;
                            counts: {
                                [key: string]: number;
                            };
                            items: {
                                id: number;
                                file_path: string;
                                root: string;
                                rel_path: string;
                                size_bytes: number;
                                mtime_ms: number;
                                state: string;
                                reason: string | null;
                                retryable: boolean;
                                attempts: number;
                                image_id: number | null;
                                /** Format: date-time */
                                discovered_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            }[];
                            /** @description the folders AIMS watches for new frames */
                            image_dirs: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/ingest/requeue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Put failed (or rejected) files back in the queue */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        ids?: number[];
                        states?: ("failed" | "rejected")[];
                        retryable_only?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            requeued: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/rescan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rescan every image folder now */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            started: boolean;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/fixity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The fixity check: its last run and the files whose check or FITS checksum is not ok */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** FixitySummary */
                            summary: {
                                /** @description AIMS_FIXITY_DAYS: every file is read within this period (0: off) */
                                every_days: number;
                                last_run: {
                                    /** @description 'server' (background) or 'cli' (aims verify) */
                                    source: string;
                                    /** Format: date-time */
                                    finished_at: string;
                                    files: number;
                                    ok: number;
                                    /** @description files whose content is not the catalogued one */
                                    changed: number;
                                    /** @description files not at their path */
                                    missing: number;
                                    /** @description files that could not be read (or whose folder is not reachable) */
                                    unreadable: number;
                                    /** @description frames whose FITS CHECKSUM/DATASUM failed at ingest */
                                    checksum_bad: number;
                                } | null;
                                /** @description files whose last check (or FITS checksum) is not ok now */
                                problems: {
                                    /** @description files whose content is not the catalogued one */
                                    changed: number;
                                    /** @description files not at their path */
                                    missing: number;
                                    /** @description files that could not be read (or whose folder is not reachable) */
                                    unreadable: number;
                                    /** @description frames whose FITS CHECKSUM/DATASUM failed at ingest */
                                    checksum_bad: number;
                                };
                            };
                            /** @description at most `limit` of each kind of problem */
                            items: {
                                image_id: number;
                                file_path: string;
                                /**
                                 * @description the image's own path or a copy of it
                                 * @enum {string}
                                 */
                                path: "primary" | "copy";
                                /** @enum {string} */
                                problem: "changed" | "missing" | "unreadable" | "checksum_bad";
                                reason: string;
                                verified_at: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/libraries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every library with its state and frame count, and the folders new ones may be in */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                path: string;
                                /**
                                 * @description config: AIMS_IMAGE_DIR/--images (not removable here); admin: API or UI; cli: aims ingest
                                 * @enum {string}
                                 */
                                origin: "config" | "admin" | "cli";
                                /** @description shown in the UI (default: the folder name) */
                                name: string;
                                /** @description globs relative to the library that discovery skips, e.g. "**\/calibration-tmp/**" */
                                exclude: string[];
                                /** @description seconds between full rescans (0: none; null: AIMS_RESCAN_SECONDS) */
                                rescan_seconds: number | null;
                                /** @description poll instead of file events (network shares deliver none) */
                                use_polling: boolean;
                                /** @description not watched nor rescanned; its frames are still served */
                                paused: boolean;
                                /** @description IANA time zone for observing nights of frames without a site longitude */
                                timezone: string | null;
                                /** @description site longitude (east positive) for the same; wins over timezone */
                                longitude_deg: number | null;
                                /**
                                 * @description what the watcher of this server does with it
                                 * @enum {string}
                                 */
                                state: "starting" | "watching" | "polling" | "scanning" | "paused" | "offline" | "error" | "unwatched";
                                state_reason: string | null;
                                /** @description frames catalogued from this folder */
                                frames: number;
                                /** Format: date-time */
                                created_at: string;
                                /** Format: date-time */
                                updated_at: string;
                            }[];
                            /** @description AIMS_LIBRARY_ROOTS: the folders inside which libraries may be added here */
                            allowed_roots: string[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add a library: watched and served at once (inside AIMS_LIBRARY_ROOTS only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description absolute folder on the server */
                        path: string;
                        /** @description shown in the UI (default: the folder name) */
                        name?: string;
                        /** @description globs relative to the library that discovery skips, e.g. "**\/calibration-tmp/**" */
                        exclude?: string[];
                        /** @description seconds between full rescans (0: none; null: AIMS_RESCAN_SECONDS) */
                        rescan_seconds?: number | null;
                        /** @description poll instead of file events (network shares deliver none) */
                        use_polling?: boolean;
                        /** @description not watched nor rescanned; its frames are still served */
                        paused?: boolean;
                        /** @description IANA time zone for observing nights of frames without a site longitude */
                        timezone?: string | null;
                        /** @description site longitude (east positive) for the same; wins over timezone */
                        longitude_deg?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            path: string;
                            /**
                             * @description config: AIMS_IMAGE_DIR/--images (not removable here); admin: API or UI; cli: aims ingest
                             * @enum {string}
                             */
                            origin: "config" | "admin" | "cli";
                            /** @description shown in the UI (default: the folder name) */
                            name: string;
                            /** @description globs relative to the library that discovery skips, e.g. "**\/calibration-tmp/**" */
                            exclude: string[];
                            /** @description seconds between full rescans (0: none; null: AIMS_RESCAN_SECONDS) */
                            rescan_seconds: number | null;
                            /** @description poll instead of file events (network shares deliver none) */
                            use_polling: boolean;
                            /** @description not watched nor rescanned; its frames are still served */
                            paused: boolean;
                            /** @description IANA time zone for observing nights of frames without a site longitude */
                            timezone: string | null;
                            /** @description site longitude (east positive) for the same; wins over timezone */
                            longitude_deg: number | null;
                            /**
                             * @description what the watcher of this server does with it
                             * @enum {string}
                             */
                            state: "starting" | "watching" | "polling" | "scanning" | "paused" | "offline" | "error" | "unwatched";
                            state_reason: string | null;
                            /** @description frames catalogued from this folder */
                            frames: number;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/libraries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change the settings of a library (pause, resume…) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description numeric id */
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description shown in the UI (default: the folder name) */
                        name?: string;
                        /** @description globs relative to the library that discovery skips, e.g. "**\/calibration-tmp/**" */
                        exclude?: string[];
                        /** @description seconds between full rescans (0: none; null: AIMS_RESCAN_SECONDS) */
                        rescan_seconds?: number | null;
                        /** @description poll instead of file events (network shares deliver none) */
                        use_polling?: boolean;
                        /** @description not watched nor rescanned; its frames are still served */
                        paused?: boolean;
                        /** @description IANA time zone for observing nights of frames without a site longitude */
                        timezone?: string | null;
                        /** @description site longitude (east positive) for the same; wins over timezone */
                        longitude_deg?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            path: string;
                            /**
                             * @description config: AIMS_IMAGE_DIR/--images (not removable here); admin: API or UI; cli: aims ingest
                             * @enum {string}
                             */
                            origin: "config" | "admin" | "cli";
                            /** @description shown in the UI (default: the folder name) */
                            name: string;
                            /** @description globs relative to the library that discovery skips, e.g. "**\/calibration-tmp/**" */
                            exclude: string[];
                            /** @description seconds between full rescans (0: none; null: AIMS_RESCAN_SECONDS) */
                            rescan_seconds: number | null;
                            /** @description poll instead of file events (network shares deliver none) */
                            use_polling: boolean;
                            /** @description not watched nor rescanned; its frames are still served */
                            paused: boolean;
                            /** @description IANA time zone for observing nights of frames without a site longitude */
                            timezone: string | null;
                            /** @description site longitude (east positive) for the same; wins over timezone */
                            longitude_deg: number | null;
                            /**
                             * @description what the watcher of this server does with it
                             * @enum {string}
                             */
                            state: "starting" | "watching" | "polling" | "scanning" | "paused" | "offline" | "error" | "unwatched";
                            state_reason: string | null;
                            /** @description frames catalogued from this folder */
                            frames: number;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        post?: never;
        /** Remove a library; its frames stay in the catalog (frames=keep) or go (frames=remove) */
        delete: {
            parameters: {
                query?: {
                    /** @description keep: the frames stay in the catalog (no longer served); remove: they are deleted from it */
                    frames?: "keep" | "remove";
                };
                header?: never;
                path: {
                    /** @description numeric id */
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            path: string;
                            /** @description frames catalogued from the folder */
                            frames: number;
                            frames_removed: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change some settings of a library (as PUT) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description numeric id */
                    id: number;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description shown in the UI (default: the folder name) */
                        name?: string;
                        /** @description globs relative to the library that discovery skips, e.g. "**\/calibration-tmp/**" */
                        exclude?: string[];
                        /** @description seconds between full rescans (0: none; null: AIMS_RESCAN_SECONDS) */
                        rescan_seconds?: number | null;
                        /** @description poll instead of file events (network shares deliver none) */
                        use_polling?: boolean;
                        /** @description not watched nor rescanned; its frames are still served */
                        paused?: boolean;
                        /** @description IANA time zone for observing nights of frames without a site longitude */
                        timezone?: string | null;
                        /** @description site longitude (east positive) for the same; wins over timezone */
                        longitude_deg?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: number;
                            path: string;
                            /**
                             * @description config: AIMS_IMAGE_DIR/--images (not removable here); admin: API or UI; cli: aims ingest
                             * @enum {string}
                             */
                            origin: "config" | "admin" | "cli";
                            /** @description shown in the UI (default: the folder name) */
                            name: string;
                            /** @description globs relative to the library that discovery skips, e.g. "**\/calibration-tmp/**" */
                            exclude: string[];
                            /** @description seconds between full rescans (0: none; null: AIMS_RESCAN_SECONDS) */
                            rescan_seconds: number | null;
                            /** @description poll instead of file events (network shares deliver none) */
                            use_polling: boolean;
                            /** @description not watched nor rescanned; its frames are still served */
                            paused: boolean;
                            /** @description IANA time zone for observing nights of frames without a site longitude */
                            timezone: string | null;
                            /** @description site longitude (east positive) for the same; wins over timezone */
                            longitude_deg: number | null;
                            /**
                             * @description what the watcher of this server does with it
                             * @enum {string}
                             */
                            state: "starting" | "watching" | "polling" | "scanning" | "paused" | "offline" | "error" | "unwatched";
                            state_reason: string | null;
                            /** @description frames catalogued from this folder */
                            frames: number;
                            /** Format: date-time */
                            created_at: string;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/libraries/{id}/rescan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rescan one library now */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description numeric id */
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            started: boolean;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live ingest events (text/event-stream): image.ingested, ingest.failed, queue.depth, watcher.state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description an event stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/images": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the catalog: filters, sort, pages (offset or keyset cursor), fields; CSV/JSON export
         * @description Without `format`: one page, `{total, items, next_cursor}`. With `format=csv` or `format=json`: every match (sorted, `fields` honoured) as a downloadable file, streamed.
         */
        get: {
            parameters: {
                query?: {
                    /** @description UTC calendar day of DATE-OBS */
                    date?: string;
                    /** @description first UTC day (inclusive) */
                    date_from?: string;
                    /** @description last UTC day (inclusive) */
                    date_to?: string;
                    /** @description observing night (local date at its start) */
                    night?: string;
                    /** @description UTC time of day, inclusive; start > end crosses midnight (22:00–04:00) */
                    start_time?: string;
                    /** @description UTC time of day, inclusive */
                    end_time?: string;
                    /** @description lowest ccd_temp: sensor temperature (°C) */
                    min_temp?: number;
                    /** @description highest ccd_temp: sensor temperature (°C) */
                    max_temp?: number;
                    /** @description lowest rotator_angle_deg: camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                    min_rotator_angle_deg?: number;
                    /** @description highest rotator_angle_deg: camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                    max_rotator_angle_deg?: number;
                    /** @description lowest quality_score: quality score, 0–100, against comparable frames */
                    min_quality?: number;
                    /** @description a case-insensitive part of the camera or instrument name */
                    camera?: string;
                    /** @description a case-insensitive part of the telescope or observatory name ("winer" finds "Winer Observatory") */
                    telescope?: string;
                    /** @description optical filter, case-insensitive */
                    filter_name?: string;
                    /** @description FITS CHECKSUM/DATASUM verified at ingest: ok (every HDU verifies), partial (some HDUs carry none), absent (no HDU carries one), bad (one disagrees: the file was damaged before it was catalogued); null: catalogued before checksums were verified */
                    checksum_status?: "ok" | "partial" | "absent" | "bad";
                    /** @description what that check found: ok, changed (other content than catalogued), missing, unreadable */
                    fixity_status?: "ok" | "changed" | "missing" | "unreadable";
                    /** @description case- and blank-insensitive ("M 13" = "m13"); * is a wildcard */
                    object?: string;
                    image_type?: "light" | "dark" | "flat" | "bias" | "other";
                    /** @description cone centre, degrees */
                    ra?: number;
                    /** @description cone centre, degrees */
                    dec?: number;
                    /** @description cone radius, degrees (with ra and dec) */
                    radius?: number;
                    /** @description true: only frames whose file is gone; false: only present */
                    missing?: boolean;
                    /** @description one of id, file_path, date_obs, night, object_name, filter_name, exptime, ra_deg, dec_deg, ccd_temp, airmass, rotator_angle_deg, star_count, fwhm_px, fwhm_arcsec, quality_score, ingested_at; "-col" or "col:desc" for descending (default -date_obs) */
                    sort?: "id" | "-id" | "id:asc" | "id:desc" | "file_path" | "-file_path" | "file_path:asc" | "file_path:desc" | "date_obs" | "-date_obs" | "date_obs:asc" | "date_obs:desc" | "night" | "-night" | "night:asc" | "night:desc" | "object_name" | "-object_name" | "object_name:asc" | "object_name:desc" | "filter_name" | "-filter_name" | "filter_name:asc" | "filter_name:desc" | "exptime" | "-exptime" | "exptime:asc" | "exptime:desc" | "ra_deg" | "-ra_deg" | "ra_deg:asc" | "ra_deg:desc" | "dec_deg" | "-dec_deg" | "dec_deg:asc" | "dec_deg:desc" | "ccd_temp" | "-ccd_temp" | "ccd_temp:asc" | "ccd_temp:desc" | "airmass" | "-airmass" | "airmass:asc" | "airmass:desc" | "rotator_angle_deg" | "-rotator_angle_deg" | "rotator_angle_deg:asc" | "rotator_angle_deg:desc" | "star_count" | "-star_count" | "star_count:asc" | "star_count:desc" | "fwhm_px" | "-fwhm_px" | "fwhm_px:asc" | "fwhm_px:desc" | "fwhm_arcsec" | "-fwhm_arcsec" | "fwhm_arcsec:asc" | "fwhm_arcsec:desc" | "quality_score" | "-quality_score" | "quality_score:asc" | "quality_score:desc" | "ingested_at" | "-ingested_at" | "ingested_at:asc" | "ingested_at:desc";
                    order?: "asc" | "desc";
                    limit?: number;
                    offset?: number;
                    /** @description next_cursor of the previous page */
                    cursor?: string;
                    /** @description comma-separated item fields (id always) */
                    fields?: string;
                    /** @description export every match as a file instead of a page */
                    format?: "json" | "csv";
                    _?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Frames that match; when total_exact is false, more than this many match. */
                            total: number;
                            /** @description false when the count stopped at `total` (10,000) because an exact one would read every match: show "more than 10,000". Without filters, and with one of night, date, date range, image_type, filter_name or an exact object, the total is always exact. */
                            total_exact: boolean;
                            items: {
                                /** @description catalog id */
                                id?: number;
                                /** @description root + "/" + rel_path */
                                file_path?: string;
                                /** @description last part of rel_path */
                                file_name?: string;
                                /** @description the image folder the file was found in */
                                root?: string;
                                /** @description path relative to root, "/"-separated */
                                rel_path?: string;
                                /** @description start of the exposure, ISO 8601 UTC with the header's precision */
                                date_obs?: string | null;
                                /** @description observing night: local date (YYYY-MM-DD) at the start of the night */
                                night?: string | null;
                                /** @description target name as the header writes it */
                                object_name?: string | null;
                                /**
                                 * @description kind of frame
                                 * @enum {string|null}
                                 */
                                image_type?: "light" | "dark" | "flat" | "bias" | "other" | null;
                                /** @description the header's own words for the type, e.g. "Light Frame" */
                                image_type_raw?: string | null;
                                /** @description a master calibration frame, several exposures combined: combined_frames > 1, IMAGETYP "Master …", or a stacking tool's HISTORY */
                                master_frame?: boolean;
                                /** @description exposures combined into this frame (NCOMBINE, STACKCNT, a stacking tool's HISTORY); null for a single exposure or when unknown */
                                combined_frames?: number | null;
                                /** @description optical filter */
                                filter_name?: string | null;
                                /** @description exposure time (s) */
                                exptime?: number | null;
                                /** @description right ascension of the image centre (deg) */
                                ra_deg?: number | null;
                                /** @description declination of the image centre (deg) */
                                dec_deg?: number | null;
                                /**
                                 * @description where ra_deg/dec_deg came from, best first: WCS, RA/DEC, OBJCTRA/OBJCTDEC, BLKRA/BLKDEC, TELRA/TELDEC
                                 * @enum {string|null}
                                 */
                                position_source?: "wcs" | "ra_dec" | "objctra" | "blkra" | "telra" | null;
                                /** @description sensor temperature (°C) */
                                ccd_temp?: number | null;
                                /** @description cooler set point (°C) */
                                set_temp?: number | null;
                                /** @description camera gain setting (CMOS) or e-/ADU (CCD drivers) */
                                gain?: number | null;
                                /** @description camera offset (black level) setting */
                                offset?: number | null;
                                /** @description horizontal binning (px) */
                                xbinning?: number | null;
                                /** @description vertical binning (px) */
                                ybinning?: number | null;
                                /** @description airmass of the target */
                                airmass?: number | null;
                                /** @description true when airmass was computed from site, time and position, not read from the header */
                                airmass_computed?: boolean;
                                /** @description altitude of the target (deg) */
                                altitude_deg?: number | null;
                                /** @description azimuth of the target (deg) */
                                azimuth_deg?: number | null;
                                /** @description camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                                rotator_angle_deg?: number | null;
                                /** @description telescope */
                                telescope?: string | null;
                                /** @description observatory or site name */
                                observatory?: string | null;
                                /** @description instrument */
                                instrument?: string | null;
                                /** @description camera model; often the same as instrument */
                                camera?: string | null;
                                /** @description observer */
                                observer?: string | null;
                                /** @description observing programme or proposal */
                                program?: string | null;
                                /** @description software that wrote the file */
                                software?: string | null;
                                /** @description colour-filter-array pattern, e.g. RGGB */
                                bayer_pattern?: string | null;
                                /** @description number of axes */
                                naxis?: number | null;
                                /** @description width (px) */
                                naxis1?: number | null;
                                /** @description height (px) */
                                naxis2?: number | null;
                                /** @description planes (colour or cube) */
                                naxis3?: number | null;
                                /** @description FITS BITPIX: bits per pixel, negative for floating point */
                                bitpix?: number | null;
                                /** @description pixel scale (arcsec/px) */
                                pixel_scale_arcsec?: number | null;
                                /** @description field of view, width (deg) */
                                fov_width_deg?: number | null;
                                /** @description field of view, height (deg) */
                                fov_height_deg?: number | null;
                                /** @description focal length (mm) */
                                focal_length_mm?: number | null;
                                /** @description aperture diameter (mm) */
                                aperture_mm?: number | null;
                                /** @description physical pixel size (µm) */
                                pixel_size_um?: number | null;
                                /** @description focuser position (steps) */
                                focuser_position?: number | null;
                                /** @description focuser temperature (°C) */
                                focuser_temp?: number | null;
                                /** @description site latitude (north positive) (deg) */
                                site_lat_deg?: number | null;
                                /** @description site longitude (east positive) (deg) */
                                site_lon_deg?: number | null;
                                /** @description site elevation (m) */
                                site_elev_m?: number | null;
                                /** @description date_obs as milliseconds since the Unix epoch (ms) */
                                date_obs_ms?: number | null;
                                /** @description modified Julian date of date_obs (d) */
                                mjd_obs?: number | null;
                                /** @description Julian date of date_obs (d) */
                                jd_obs?: number | null;
                                /** @description minutes after 00:00 UTC of date_obs (0–1439) (min) */
                                time_of_day_min?: number | null;
                                /** @description altitude of the Sun (deg) */
                                sun_alt_deg?: number | null;
                                /** @description illuminated fraction of the Moon (0–1) */
                                moon_illumination?: number | null;
                                /** @description angular distance from the Moon (deg) */
                                moon_separation_deg?: number | null;
                                /** @description altitude of the Moon (deg) */
                                moon_alt_deg?: number | null;
                                /** @description sky corners of the image, [[ra, dec] × 4], when a WCS or scale and rotation allow (deg) */
                                footprint?: unknown;
                                /** @description sky background level (ADU) */
                                background?: number | null;
                                /** @description background noise (RMS) (ADU) */
                                noise?: number | null;
                                /** @description stars detected */
                                star_count?: number | null;
                                /** @description median stellar FWHM (px) */
                                fwhm_px?: number | null;
                                /** @description median stellar FWHM (arcsec) */
                                fwhm_arcsec?: number | null;
                                /** @description median half-flux radius (px) */
                                hfr_px?: number | null;
                                /** @description median stellar eccentricity (0 round, 1 a line) */
                                eccentricity?: number | null;
                                /** @description signal-to-noise weight (higher is better) */
                                snr_weight?: number | null;
                                /** @description fraction of saturated pixels */
                                saturated_fraction?: number | null;
                                /** @description calibration frames: median level (ADU) */
                                level?: number | null;
                                /** @description flats: illumination uniformity (0–1) */
                                uniformity?: number | null;
                                /** @description why analysis was skipped or partial */
                                analysis_note?: string | null;
                                /** @description quality score, 0–100, against comparable frames */
                                quality_score?: number | null;
                                /** @description score at or above the configured threshold */
                                quality_flag?: boolean;
                                /** @description what the score is made of (z-scores, gates) */
                                quality_components?: unknown;
                                /** @description version of the scoring formula */
                                quality_version?: number | null;
                                /** @description file size (bytes) */
                                size_bytes?: number;
                                /** @description file modification time, since the Unix epoch (ms) */
                                mtime_ms?: number;
                                /** @description SHA-256 of the file's content (hex) */
                                sha256?: string;
                                /** @description the HDU the metadata and pixels were taken from */
                                hdu_index?: number;
                                /** @description when the frame entered the catalog */
                                ingested_at?: string;
                                /** @description last change of the catalog row */
                                updated_at?: string;
                                /** @description when the file was found gone (null: present) */
                                missing_since?: string | null;
                                /**
                                 * @description FITS CHECKSUM/DATASUM verified at ingest: ok (every HDU verifies), partial (some HDUs carry none), absent (no HDU carries one), bad (one disagrees: the file was damaged before it was catalogued); null: catalogued before checksums were verified
                                 * @enum {string|null}
                                 */
                                checksum_status?: "ok" | "partial" | "absent" | "bad" | null;
                                /** @description when the file was last read again and compared with sha256 (at ingest, by `aims verify` or by the background check) */
                                verified_at?: string | null;
                                /**
                                 * @description what that check found: ok, changed (other content than catalogued), missing, unreadable
                                 * @enum {string|null}
                                 */
                                fixity_status?: "ok" | "changed" | "missing" | "unreadable" | null;
                                /** @description what the check found when it was not ok */
                                fixity_reason?: string | null;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/images/facets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Counts per filter, object, telescope, camera, instrument, night and image type */
        get: {
            parameters: {
                query?: {
                    /** @description UTC calendar day of DATE-OBS */
                    date?: string;
                    /** @description first UTC day (inclusive) */
                    date_from?: string;
                    /** @description last UTC day (inclusive) */
                    date_to?: string;
                    /** @description observing night (local date at its start) */
                    night?: string;
                    /** @description UTC time of day, inclusive; start > end crosses midnight (22:00–04:00) */
                    start_time?: string;
                    /** @description UTC time of day, inclusive */
                    end_time?: string;
                    /** @description lowest ccd_temp: sensor temperature (°C) */
                    min_temp?: number;
                    /** @description highest ccd_temp: sensor temperature (°C) */
                    max_temp?: number;
                    /** @description lowest rotator_angle_deg: camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                    min_rotator_angle_deg?: number;
                    /** @description highest rotator_angle_deg: camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                    max_rotator_angle_deg?: number;
                    /** @description lowest quality_score: quality score, 0–100, against comparable frames */
                    min_quality?: number;
                    /** @description a case-insensitive part of the camera or instrument name */
                    camera?: string;
                    /** @description a case-insensitive part of the telescope or observatory name ("winer" finds "Winer Observatory") */
                    telescope?: string;
                    /** @description optical filter, case-insensitive */
                    filter_name?: string;
                    /** @description FITS CHECKSUM/DATASUM verified at ingest: ok (every HDU verifies), partial (some HDUs carry none), absent (no HDU carries one), bad (one disagrees: the file was damaged before it was catalogued); null: catalogued before checksums were verified */
                    checksum_status?: "ok" | "partial" | "absent" | "bad";
                    /** @description what that check found: ok, changed (other content than catalogued), missing, unreadable */
                    fixity_status?: "ok" | "changed" | "missing" | "unreadable";
                    /** @description case- and blank-insensitive ("M 13" = "m13"); * is a wildcard */
                    object?: string;
                    image_type?: "light" | "dark" | "flat" | "bias" | "other";
                    /** @description cone centre, degrees */
                    ra?: number;
                    /** @description cone centre, degrees */
                    dec?: number;
                    /** @description cone radius, degrees (with ra and dec) */
                    radius?: number;
                    /** @description true: only frames whose file is gone; false: only present */
                    missing?: boolean;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            filter_name: {
                                value: string;
                                count: number;
                            }[];
                            object_name: {
                                value: string;
                                count: number;
                            }[];
                            telescope: {
                                value: string;
                                count: number;
                            }[];
                            camera: {
                                value: string;
                                count: number;
                            }[];
                            instrument: {
                                value: string;
                                count: number;
                            }[];
                            night: {
                                value: string;
                                count: number;
                            }[];
                            image_type: {
                                value: string;
                                count: number;
                            }[];
                            /** @description false when more than 2,000 frames match the filters: the counts are those of the newest 2,000 (lower bounds), and rarer values may be missing. Without filters the counts are always exact. */
                            exact: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/images/keywords": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The header keywords that header.KEY filters can search (for suggestions)
         * @description One index probe per keyword, whatever the number of frames; kept by the client a minute.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description every keyword that `header.KEY` can search, upper case, in byte order (at most 500) */
                            keywords: string[];
                            /** @description false when the catalog knows more than 500 keywords */
                            complete: boolean;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/images/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One image: every field, all headers, quality components, other paths (copies, moves) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description numeric id */
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description catalog id */
                            id?: number;
                            /** @description root + "/" + rel_path */
                            file_path?: string;
                            /** @description last part of rel_path */
                            file_name?: string;
                            /** @description the image folder the file was found in */
                            root?: string;
                            /** @description path relative to root, "/"-separated */
                            rel_path?: string;
                            /** @description start of the exposure, ISO 8601 UTC with the header's precision */
                            date_obs?: string | null;
                            /** @description observing night: local date (YYYY-MM-DD) at the start of the night */
                            night?: string | null;
                            /** @description target name as the header writes it */
                            object_name?: string | null;
                            /**
                             * @description kind of frame
                             * @enum {string|null}
                             */
                            image_type?: "light" | "dark" | "flat" | "bias" | "other" | null;
                            /** @description the header's own words for the type, e.g. "Light Frame" */
                            image_type_raw?: string | null;
                            /** @description a master calibration frame, several exposures combined: combined_frames > 1, IMAGETYP "Master …", or a stacking tool's HISTORY */
                            master_frame?: boolean;
                            /** @description exposures combined into this frame (NCOMBINE, STACKCNT, a stacking tool's HISTORY); null for a single exposure or when unknown */
                            combined_frames?: number | null;
                            /** @description optical filter */
                            filter_name?: string | null;
                            /** @description exposure time (s) */
                            exptime?: number | null;
                            /** @description right ascension of the image centre (deg) */
                            ra_deg?: number | null;
                            /** @description declination of the image centre (deg) */
                            dec_deg?: number | null;
                            /**
                             * @description where ra_deg/dec_deg came from, best first: WCS, RA/DEC, OBJCTRA/OBJCTDEC, BLKRA/BLKDEC, TELRA/TELDEC
                             * @enum {string|null}
                             */
                            position_source?: "wcs" | "ra_dec" | "objctra" | "blkra" | "telra" | null;
                            /** @description sensor temperature (°C) */
                            ccd_temp?: number | null;
                            /** @description cooler set point (°C) */
                            set_temp?: number | null;
                            /** @description camera gain setting (CMOS) or e-/ADU (CCD drivers) */
                            gain?: number | null;
                            /** @description camera offset (black level) setting */
                            offset?: number | null;
                            /** @description horizontal binning (px) */
                            xbinning?: number | null;
                            /** @description vertical binning (px) */
                            ybinning?: number | null;
                            /** @description airmass of the target */
                            airmass?: number | null;
                            /** @description true when airmass was computed from site, time and position, not read from the header */
                            airmass_computed?: boolean;
                            /** @description altitude of the target (deg) */
                            altitude_deg?: number | null;
                            /** @description azimuth of the target (deg) */
                            azimuth_deg?: number | null;
                            /** @description camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                            rotator_angle_deg?: number | null;
                            /** @description telescope */
                            telescope?: string | null;
                            /** @description observatory or site name */
                            observatory?: string | null;
                            /** @description instrument */
                            instrument?: string | null;
                            /** @description camera model; often the same as instrument */
                            camera?: string | null;
                            /** @description observer */
                            observer?: string | null;
                            /** @description observing programme or proposal */
                            program?: string | null;
                            /** @description software that wrote the file */
                            software?: string | null;
                            /** @description colour-filter-array pattern, e.g. RGGB */
                            bayer_pattern?: string | null;
                            /** @description number of axes */
                            naxis?: number | null;
                            /** @description width (px) */
                            naxis1?: number | null;
                            /** @description height (px) */
                            naxis2?: number | null;
                            /** @description planes (colour or cube) */
                            naxis3?: number | null;
                            /** @description FITS BITPIX: bits per pixel, negative for floating point */
                            bitpix?: number | null;
                            /** @description pixel scale (arcsec/px) */
                            pixel_scale_arcsec?: number | null;
                            /** @description field of view, width (deg) */
                            fov_width_deg?: number | null;
                            /** @description field of view, height (deg) */
                            fov_height_deg?: number | null;
                            /** @description focal length (mm) */
                            focal_length_mm?: number | null;
                            /** @description aperture diameter (mm) */
                            aperture_mm?: number | null;
                            /** @description physical pixel size (µm) */
                            pixel_size_um?: number | null;
                            /** @description focuser position (steps) */
                            focuser_position?: number | null;
                            /** @description focuser temperature (°C) */
                            focuser_temp?: number | null;
                            /** @description site latitude (north positive) (deg) */
                            site_lat_deg?: number | null;
                            /** @description site longitude (east positive) (deg) */
                            site_lon_deg?: number | null;
                            /** @description site elevation (m) */
                            site_elev_m?: number | null;
                            /** @description date_obs as milliseconds since the Unix epoch (ms) */
                            date_obs_ms?: number | null;
                            /** @description modified Julian date of date_obs (d) */
                            mjd_obs?: number | null;
                            /** @description Julian date of date_obs (d) */
                            jd_obs?: number | null;
                            /** @description minutes after 00:00 UTC of date_obs (0–1439) (min) */
                            time_of_day_min?: number | null;
                            /** @description altitude of the Sun (deg) */
                            sun_alt_deg?: number | null;
                            /** @description illuminated fraction of the Moon (0–1) */
                            moon_illumination?: number | null;
                            /** @description angular distance from the Moon (deg) */
                            moon_separation_deg?: number | null;
                            /** @description altitude of the Moon (deg) */
                            moon_alt_deg?: number | null;
                            /** @description sky corners of the image, [[ra, dec] × 4], when a WCS or scale and rotation allow (deg) */
                            footprint?: unknown;
                            /** @description sky background level (ADU) */
                            background?: number | null;
                            /** @description background noise (RMS) (ADU) */
                            noise?: number | null;
                            /** @description stars detected */
                            star_count?: number | null;
                            /** @description median stellar FWHM (px) */
                            fwhm_px?: number | null;
                            /** @description median stellar FWHM (arcsec) */
                            fwhm_arcsec?: number | null;
                            /** @description median half-flux radius (px) */
                            hfr_px?: number | null;
                            /** @description median stellar eccentricity (0 round, 1 a line) */
                            eccentricity?: number | null;
                            /** @description signal-to-noise weight (higher is better) */
                            snr_weight?: number | null;
                            /** @description fraction of saturated pixels */
                            saturated_fraction?: number | null;
                            /** @description calibration frames: median level (ADU) */
                            level?: number | null;
                            /** @description flats: illumination uniformity (0–1) */
                            uniformity?: number | null;
                            /** @description why analysis was skipped or partial */
                            analysis_note?: string | null;
                            /** @description quality score, 0–100, against comparable frames */
                            quality_score?: number | null;
                            /** @description score at or above the configured threshold */
                            quality_flag?: boolean;
                            /** @description what the score is made of (z-scores, gates) */
                            quality_components?: unknown;
                            /** @description version of the scoring formula */
                            quality_version?: number | null;
                            /** @description file size (bytes) */
                            size_bytes?: number;
                            /** @description file modification time, since the Unix epoch (ms) */
                            mtime_ms?: number;
                            /** @description SHA-256 of the file's content (hex) */
                            sha256?: string;
                            /** @description the HDU the metadata and pixels were taken from */
                            hdu_index?: number;
                            /** @description when the frame entered the catalog */
                            ingested_at?: string;
                            /** @description last change of the catalog row */
                            updated_at?: string;
                            /** @description when the file was found gone (null: present) */
                            missing_since?: string | null;
                            /**
                             * @description FITS CHECKSUM/DATASUM verified at ingest: ok (every HDU verifies), partial (some HDUs carry none), absent (no HDU carries one), bad (one disagrees: the file was damaged before it was catalogued); null: catalogued before checksums were verified
                             * @enum {string|null}
                             */
                            checksum_status?: "ok" | "partial" | "absent" | "bad" | null;
                            /** @description when the file was last read again and compared with sha256 (at ingest, by `aims verify` or by the background check) */
                            verified_at?: string | null;
                            /**
                             * @description what that check found: ok, changed (other content than catalogued), missing, unreadable
                             * @enum {string|null}
                             */
                            fixity_status?: "ok" | "changed" | "missing" | "unreadable" | null;
                            /** @description what the check found when it was not ok */
                            fixity_reason?: string | null;
                            header: {
                                index: number;
                                type: string;
                                cards: {
                                    key: string;
                                    value: unknown;
                                    comment: string;
                                }[];
                            }[];
                            normalization: unknown;
                            previous_versions: unknown[];
                            paths: {
                                file_path: string;
                                kind: string;
                                recorded_at: string;
                                missing_since: string | null;
                                verified_at: string | null;
                                fixity_status: string | null;
                                fixity_reason: string | null;
                            }[];
                            /** @description FITS CHECKSUM and DATASUM of each HDU as verified at ingest; empty when not looked at */
                            checksums: {
                                index: number;
                                /** @enum {string} */
                                checksum: "ok" | "bad" | "absent";
                                /** @enum {string} */
                                datasum: "ok" | "bad" | "absent";
                                computed_datasum: string | null;
                                reason?: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/images/{id}/calibration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The bias, dark and flat frames that calibrate a light frame, why each matched, what is missing
         * @description The rules and their settings: docs/calibration.md (AIMS_CALIBRATION_* variables).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description numeric id */
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            image_id: number;
                            /** @description false for frames that are not lights */
                            applies: boolean;
                            notes: string[];
                            kinds: {
                                /** CalibrationKind */
                                bias: {
                                    window_days: number;
                                    /** @description best first: masters, the same night, nearest in time */
                                    matches: {
                                        id: number;
                                        file_name: string;
                                        date_obs: string | null;
                                        night: string | null;
                                        exptime: number | null;
                                        ccd_temp: number | null;
                                        filter_name: string | null;
                                        master_frame: boolean;
                                        combined_frames: number | null;
                                        /** @description days from the light to this frame (negative: before) */
                                        days_apart: number;
                                        same_night: boolean;
                                        /** @description in the set to calibrate with: the best master, else the best night's single frames */
                                        selected: boolean;
                                        /** @description the rules it passes, in words */
                                        reasons: string[];
                                        /** @description what could not be compared */
                                        notes: string[];
                                    }[];
                                    /** @description why nothing matches, or null */
                                    missing: string | null;
                                    /** @description when nothing matches: the nearest frames of the kind */
                                    near_misses: {
                                        id: number;
                                        file_name: string;
                                        date_obs: string | null;
                                        days_apart: number;
                                        /** @description the rules it fails, in words */
                                        failed: string[];
                                    }[];
                                };
                                /** CalibrationKind */
                                dark: {
                                    window_days: number;
                                    /** @description best first: masters, the same night, nearest in time */
                                    matches: {
                                        id: number;
                                        file_name: string;
                                        date_obs: string | null;
                                        night: string | null;
                                        exptime: number | null;
                                        ccd_temp: number | null;
                                        filter_name: string | null;
                                        master_frame: boolean;
                                        combined_frames: number | null;
                                        /** @description days from the light to this frame (negative: before) */
                                        days_apart: number;
                                        same_night: boolean;
                                        /** @description in the set to calibrate with: the best master, else the best night's single frames */
                                        selected: boolean;
                                        /** @description the rules it passes, in words */
                                        reasons: string[];
                                        /** @description what could not be compared */
                                        notes: string[];
                                    }[];
                                    /** @description why nothing matches, or null */
                                    missing: string | null;
                                    /** @description when nothing matches: the nearest frames of the kind */
                                    near_misses: {
                                        id: number;
                                        file_name: string;
                                        date_obs: string | null;
                                        days_apart: number;
                                        /** @description the rules it fails, in words */
                                        failed: string[];
                                    }[];
                                };
                                /** CalibrationKind */
                                flat: {
                                    window_days: number;
                                    /** @description best first: masters, the same night, nearest in time */
                                    matches: {
                                        id: number;
                                        file_name: string;
                                        date_obs: string | null;
                                        night: string | null;
                                        exptime: number | null;
                                        ccd_temp: number | null;
                                        filter_name: string | null;
                                        master_frame: boolean;
                                        combined_frames: number | null;
                                        /** @description days from the light to this frame (negative: before) */
                                        days_apart: number;
                                        same_night: boolean;
                                        /** @description in the set to calibrate with: the best master, else the best night's single frames */
                                        selected: boolean;
                                        /** @description the rules it passes, in words */
                                        reasons: string[];
                                        /** @description what could not be compared */
                                        notes: string[];
                                    }[];
                                    /** @description why nothing matches, or null */
                                    missing: string | null;
                                    /** @description when nothing matches: the nearest frames of the kind */
                                    near_misses: {
                                        id: number;
                                        file_name: string;
                                        date_obs: string | null;
                                        days_apart: number;
                                        /** @description the rules it fails, in words */
                                        failed: string[];
                                    }[];
                                };
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/images/{id}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A preview (thumb ~256 px or medium ~1024 px; WebP when accepted, else PNG) */
        get: {
            parameters: {
                query?: {
                    size?: "thumb" | "medium";
                };
                header?: never;
                path: {
                    /** @description numeric id */
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description image/webp or image/png */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/webp": string;
                        "image/png": string;
                    };
                };
                /** @description Default Response */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/webp": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                        "image/png": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/webp": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                        "image/png": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/webp": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                        "image/png": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/webp": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                        "image/png": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/webp": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                        "image/png": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/nights": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per observing night: frames, exposure, median FWHM, temperature range, quality */
        get: {
            parameters: {
                query?: {
                    /** @description UTC calendar day of DATE-OBS */
                    date?: string;
                    /** @description first UTC day (inclusive) */
                    date_from?: string;
                    /** @description last UTC day (inclusive) */
                    date_to?: string;
                    /** @description observing night (local date at its start) */
                    night?: string;
                    /** @description UTC time of day, inclusive; start > end crosses midnight (22:00–04:00) */
                    start_time?: string;
                    /** @description UTC time of day, inclusive */
                    end_time?: string;
                    /** @description lowest ccd_temp: sensor temperature (°C) */
                    min_temp?: number;
                    /** @description highest ccd_temp: sensor temperature (°C) */
                    max_temp?: number;
                    /** @description lowest rotator_angle_deg: camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                    min_rotator_angle_deg?: number;
                    /** @description highest rotator_angle_deg: camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                    max_rotator_angle_deg?: number;
                    /** @description lowest quality_score: quality score, 0–100, against comparable frames */
                    min_quality?: number;
                    /** @description a case-insensitive part of the camera or instrument name */
                    camera?: string;
                    /** @description a case-insensitive part of the telescope or observatory name ("winer" finds "Winer Observatory") */
                    telescope?: string;
                    /** @description optical filter, case-insensitive */
                    filter_name?: string;
                    /** @description FITS CHECKSUM/DATASUM verified at ingest: ok (every HDU verifies), partial (some HDUs carry none), absent (no HDU carries one), bad (one disagrees: the file was damaged before it was catalogued); null: catalogued before checksums were verified */
                    checksum_status?: "ok" | "partial" | "absent" | "bad";
                    /** @description what that check found: ok, changed (other content than catalogued), missing, unreadable */
                    fixity_status?: "ok" | "changed" | "missing" | "unreadable";
                    /** @description case- and blank-insensitive ("M 13" = "m13"); * is a wildcard */
                    object?: string;
                    image_type?: "light" | "dark" | "flat" | "bias" | "other";
                    /** @description cone centre, degrees */
                    ra?: number;
                    /** @description cone centre, degrees */
                    dec?: number;
                    /** @description cone radius, degrees (with ra and dec) */
                    radius?: number;
                    /** @description true: only frames whose file is gone; false: only present */
                    missing?: boolean;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                night: string;
                                frames: number;
                                exposure_seconds: number;
                                first_date_obs: string | null;
                                last_date_obs: string | null;
                                median_fwhm_arcsec: number | null;
                                median_fwhm_px: number | null;
                                min_ccd_temp: number | null;
                                max_ccd_temp: number | null;
                                mean_quality: number | null;
                                flagged: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/images/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The original file (Range requests; SHA-256 in X-Content-SHA256, Digest and ETag) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description numeric id */
                    id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/fits": string;
                    };
                };
                /** @description Default Response */
                206: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/fits": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/fits": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/fits": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/fits": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/fits": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                416: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/fits": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/downloads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A ZIP of originals, by ids or by the catalog filters (and their calibration); streamed, with manifest.csv
         * @description Send exactly one of `ids` or `filters` (the filters of GET /api/images), at most 100000 files. Entries are stored (not deflated); manifest.csv lists name, size and SHA-256 of every file (computed while streaming, next to the catalog value) with its metadata. Content-Length is exact.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        ids?: number[];
                        filters?: {
                            /** @description UTC calendar day of DATE-OBS */
                            date?: string;
                            /** @description first UTC day (inclusive) */
                            date_from?: string;
                            /** @description last UTC day (inclusive) */
                            date_to?: string;
                            /** @description observing night (local date at its start) */
                            night?: string;
                            /** @description UTC time of day, inclusive; start > end crosses midnight (22:00–04:00) */
                            start_time?: string;
                            /** @description UTC time of day, inclusive */
                            end_time?: string;
                            /** @description lowest ccd_temp: sensor temperature (°C) */
                            min_temp?: number;
                            /** @description highest ccd_temp: sensor temperature (°C) */
                            max_temp?: number;
                            /** @description lowest rotator_angle_deg: camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                            min_rotator_angle_deg?: number;
                            /** @description highest rotator_angle_deg: camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                            max_rotator_angle_deg?: number;
                            /** @description lowest quality_score: quality score, 0–100, against comparable frames */
                            min_quality?: number;
                            /** @description a case-insensitive part of the camera or instrument name */
                            camera?: string;
                            /** @description a case-insensitive part of the telescope or observatory name ("winer" finds "Winer Observatory") */
                            telescope?: string;
                            /** @description optical filter, case-insensitive */
                            filter_name?: string;
                            /**
                             * @description FITS CHECKSUM/DATASUM verified at ingest: ok (every HDU verifies), partial (some HDUs carry none), absent (no HDU carries one), bad (one disagrees: the file was damaged before it was catalogued); null: catalogued before checksums were verified
                             * @enum {string}
                             */
                            checksum_status?: "ok" | "partial" | "absent" | "bad";
                            /**
                             * @description what that check found: ok, changed (other content than catalogued), missing, unreadable
                             * @enum {string}
                             */
                            fixity_status?: "ok" | "changed" | "missing" | "unreadable";
                            /** @description case- and blank-insensitive ("M 13" = "m13"); * is a wildcard */
                            object?: string;
                            /** @enum {string} */
                            image_type?: "light" | "dark" | "flat" | "bias" | "other";
                            /** @description cone centre, degrees */
                            ra?: number;
                            /** @description cone centre, degrees */
                            dec?: number;
                            /** @description cone radius, degrees (with ra and dec) */
                            radius?: number;
                            /** @description true: only frames whose file is gone; false: only present */
                            missing?: boolean;
                        } & {
                            [key: string]: string;
                        };
                        /** @description add the calibration frames that match the selected lights (docs/calibration.md); every file goes into its type's folder: lights/, darks/, flats/, biases/ */
                        with_calibration?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/zip": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/zip": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/zip": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/zip": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/zip": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/zip": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/sia/query": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** IVOA SIA 2.0 image search (VOTable of ObsCore records) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** IVOA SIA 2.0 image search (VOTable of ObsCore records) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/sia/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** VOSI capabilities of the SIA 2.0 service */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/sia/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** VOSI availability of the SIA 2.0 service */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/datalink": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** IVOA DataLink 1.1 links of frames: the original, a preview, SODA cutouts */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** IVOA DataLink 1.1 links of frames: the original, a preview, SODA cutouts */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/soda": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** IVOA SODA 1.0 sync: a FITS cutout of a frame, WCS kept */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** IVOA SODA 1.0 sync: a FITS cutout of a frame, WCS kept */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every object observed: integration per filter, good frames, nights, dates, position
         * @description Lights grouped by the normalized object name ("M 13", "M13", "m13" are one). `format=csv`: all.
         */
        get: {
            parameters: {
                query?: {
                    sort?: "name" | "frames" | "good_frames" | "integration_seconds" | "good_integration_seconds" | "nights" | "first_date_obs" | "last_date_obs";
                    order?: "asc" | "desc";
                    limit?: number;
                    offset?: number;
                    /** @description name contains (any case, blanks ignored) */
                    q?: string;
                    /** @description every target as CSV, one row per filter */
                    format?: "csv";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            total: number;
                            items: {
                                /** @description the normalized object name (lower case, no blanks); GET /api/images?object=KEY */
                                key: string;
                                /** @description one spelling of the name as the headers write it */
                                name: string;
                                /** @description mean position of the frames */
                                ra_deg: number | null;
                                dec_deg: number | null;
                                /** @description light frames */
                                frames: number;
                                /** @description frames with quality_flag */
                                good_frames: number;
                                /** @description summed exposure of the frames */
                                integration_seconds: number;
                                /** @description summed exposure of the good frames */
                                good_integration_seconds: number;
                                nights: number;
                                /** Format: date-time */
                                first_date_obs: string | null;
                                /** Format: date-time */
                                last_date_obs: string | null;
                                /** @description per filter, most integration first */
                                filters: {
                                    filter_name: string | null;
                                    /** @description light frames */
                                    frames: number;
                                    /** @description frames with quality_flag */
                                    good_frames: number;
                                    /** @description summed exposure of the frames */
                                    integration_seconds: number;
                                    /** @description summed exposure of the good frames */
                                    good_integration_seconds: number;
                                }[];
                            }[];
                        };
                        "text/csv": {
                            total: number;
                            items: {
                                /** @description the normalized object name (lower case, no blanks); GET /api/images?object=KEY */
                                key: string;
                                /** @description one spelling of the name as the headers write it */
                                name: string;
                                /** @description mean position of the frames */
                                ra_deg: number | null;
                                dec_deg: number | null;
                                /** @description light frames */
                                frames: number;
                                /** @description frames with quality_flag */
                                good_frames: number;
                                /** @description summed exposure of the frames */
                                integration_seconds: number;
                                /** @description summed exposure of the good frames */
                                good_integration_seconds: number;
                                nights: number;
                                /** Format: date-time */
                                first_date_obs: string | null;
                                /** Format: date-time */
                                last_date_obs: string | null;
                                /** @description per filter, most integration first */
                                filters: {
                                    filter_name: string | null;
                                    /** @description light frames */
                                    frames: number;
                                    /** @description frames with quality_flag */
                                    good_frames: number;
                                    /** @description summed exposure of the frames */
                                    integration_seconds: number;
                                    /** @description summed exposure of the good frames */
                                    good_integration_seconds: number;
                                }[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                        "text/csv": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                        "text/csv": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                        "text/csv": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/targets/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One target: totals per filter, cumulative integration night by night, best frames */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the normalized object name (lower case, no blanks); GET /api/images?object=KEY */
                            key: string;
                            /** @description one spelling of the name as the headers write it */
                            name: string;
                            /** @description mean position of the frames */
                            ra_deg: number | null;
                            dec_deg: number | null;
                            /** @description light frames */
                            frames: number;
                            /** @description frames with quality_flag */
                            good_frames: number;
                            /** @description summed exposure of the frames */
                            integration_seconds: number;
                            /** @description summed exposure of the good frames */
                            good_integration_seconds: number;
                            nights: number;
                            /** Format: date-time */
                            first_date_obs: string | null;
                            /** Format: date-time */
                            last_date_obs: string | null;
                            /** @description per filter, most integration first */
                            filters: {
                                filter_name: string | null;
                                /** @description light frames */
                                frames: number;
                                /** @description frames with quality_flag */
                                good_frames: number;
                                /** @description summed exposure of the frames */
                                integration_seconds: number;
                                /** @description summed exposure of the good frames */
                                good_integration_seconds: number;
                            }[];
                            /** @description per filter, night by night: integration so far */
                            integration: {
                                filter_name: string | null;
                                points: {
                                    /** @description observing night (the UTC date when frames have none) */
                                    night: string;
                                    seconds: number;
                                    good_seconds: number;
                                    cumulative_seconds: number;
                                    cumulative_good_seconds: number;
                                }[];
                            }[];
                            /** @description the lights with the best quality scores */
                            best_frames: {
                                /** @description catalog id */
                                id?: number;
                                /** @description root + "/" + rel_path */
                                file_path?: string;
                                /** @description last part of rel_path */
                                file_name?: string;
                                /** @description the image folder the file was found in */
                                root?: string;
                                /** @description path relative to root, "/"-separated */
                                rel_path?: string;
                                /** @description start of the exposure, ISO 8601 UTC with the header's precision */
                                date_obs?: string | null;
                                /** @description observing night: local date (YYYY-MM-DD) at the start of the night */
                                night?: string | null;
                                /** @description target name as the header writes it */
                                object_name?: string | null;
                                /**
                                 * @description kind of frame
                                 * @enum {string|null}
                                 */
                                image_type?: "light" | "dark" | "flat" | "bias" | "other" | null;
                                /** @description the header's own words for the type, e.g. "Light Frame" */
                                image_type_raw?: string | null;
                                /** @description a master calibration frame, several exposures combined: combined_frames > 1, IMAGETYP "Master …", or a stacking tool's HISTORY */
                                master_frame?: boolean;
                                /** @description exposures combined into this frame (NCOMBINE, STACKCNT, a stacking tool's HISTORY); null for a single exposure or when unknown */
                                combined_frames?: number | null;
                                /** @description optical filter */
                                filter_name?: string | null;
                                /** @description exposure time (s) */
                                exptime?: number | null;
                                /** @description right ascension of the image centre (deg) */
                                ra_deg?: number | null;
                                /** @description declination of the image centre (deg) */
                                dec_deg?: number | null;
                                /**
                                 * @description where ra_deg/dec_deg came from, best first: WCS, RA/DEC, OBJCTRA/OBJCTDEC, BLKRA/BLKDEC, TELRA/TELDEC
                                 * @enum {string|null}
                                 */
                                position_source?: "wcs" | "ra_dec" | "objctra" | "blkra" | "telra" | null;
                                /** @description sensor temperature (°C) */
                                ccd_temp?: number | null;
                                /** @description cooler set point (°C) */
                                set_temp?: number | null;
                                /** @description camera gain setting (CMOS) or e-/ADU (CCD drivers) */
                                gain?: number | null;
                                /** @description camera offset (black level) setting */
                                offset?: number | null;
                                /** @description horizontal binning (px) */
                                xbinning?: number | null;
                                /** @description vertical binning (px) */
                                ybinning?: number | null;
                                /** @description airmass of the target */
                                airmass?: number | null;
                                /** @description true when airmass was computed from site, time and position, not read from the header */
                                airmass_computed?: boolean;
                                /** @description altitude of the target (deg) */
                                altitude_deg?: number | null;
                                /** @description azimuth of the target (deg) */
                                azimuth_deg?: number | null;
                                /** @description camera rotation, 0–360: the rotator's angle, else the position angle of the image (deg) */
                                rotator_angle_deg?: number | null;
                                /** @description telescope */
                                telescope?: string | null;
                                /** @description observatory or site name */
                                observatory?: string | null;
                                /** @description instrument */
                                instrument?: string | null;
                                /** @description camera model; often the same as instrument */
                                camera?: string | null;
                                /** @description observer */
                                observer?: string | null;
                                /** @description observing programme or proposal */
                                program?: string | null;
                                /** @description software that wrote the file */
                                software?: string | null;
                                /** @description colour-filter-array pattern, e.g. RGGB */
                                bayer_pattern?: string | null;
                                /** @description number of axes */
                                naxis?: number | null;
                                /** @description width (px) */
                                naxis1?: number | null;
                                /** @description height (px) */
                                naxis2?: number | null;
                                /** @description planes (colour or cube) */
                                naxis3?: number | null;
                                /** @description FITS BITPIX: bits per pixel, negative for floating point */
                                bitpix?: number | null;
                                /** @description pixel scale (arcsec/px) */
                                pixel_scale_arcsec?: number | null;
                                /** @description field of view, width (deg) */
                                fov_width_deg?: number | null;
                                /** @description field of view, height (deg) */
                                fov_height_deg?: number | null;
                                /** @description focal length (mm) */
                                focal_length_mm?: number | null;
                                /** @description aperture diameter (mm) */
                                aperture_mm?: number | null;
                                /** @description physical pixel size (µm) */
                                pixel_size_um?: number | null;
                                /** @description focuser position (steps) */
                                focuser_position?: number | null;
                                /** @description focuser temperature (°C) */
                                focuser_temp?: number | null;
                                /** @description site latitude (north positive) (deg) */
                                site_lat_deg?: number | null;
                                /** @description site longitude (east positive) (deg) */
                                site_lon_deg?: number | null;
                                /** @description site elevation (m) */
                                site_elev_m?: number | null;
                                /** @description date_obs as milliseconds since the Unix epoch (ms) */
                                date_obs_ms?: number | null;
                                /** @description modified Julian date of date_obs (d) */
                                mjd_obs?: number | null;
                                /** @description Julian date of date_obs (d) */
                                jd_obs?: number | null;
                                /** @description minutes after 00:00 UTC of date_obs (0–1439) (min) */
                                time_of_day_min?: number | null;
                                /** @description altitude of the Sun (deg) */
                                sun_alt_deg?: number | null;
                                /** @description illuminated fraction of the Moon (0–1) */
                                moon_illumination?: number | null;
                                /** @description angular distance from the Moon (deg) */
                                moon_separation_deg?: number | null;
                                /** @description altitude of the Moon (deg) */
                                moon_alt_deg?: number | null;
                                /** @description sky corners of the image, [[ra, dec] × 4], when a WCS or scale and rotation allow (deg) */
                                footprint?: unknown;
                                /** @description sky background level (ADU) */
                                background?: number | null;
                                /** @description background noise (RMS) (ADU) */
                                noise?: number | null;
                                /** @description stars detected */
                                star_count?: number | null;
                                /** @description median stellar FWHM (px) */
                                fwhm_px?: number | null;
                                /** @description median stellar FWHM (arcsec) */
                                fwhm_arcsec?: number | null;
                                /** @description median half-flux radius (px) */
                                hfr_px?: number | null;
                                /** @description median stellar eccentricity (0 round, 1 a line) */
                                eccentricity?: number | null;
                                /** @description signal-to-noise weight (higher is better) */
                                snr_weight?: number | null;
                                /** @description fraction of saturated pixels */
                                saturated_fraction?: number | null;
                                /** @description calibration frames: median level (ADU) */
                                level?: number | null;
                                /** @description flats: illumination uniformity (0–1) */
                                uniformity?: number | null;
                                /** @description why analysis was skipped or partial */
                                analysis_note?: string | null;
                                /** @description quality score, 0–100, against comparable frames */
                                quality_score?: number | null;
                                /** @description score at or above the configured threshold */
                                quality_flag?: boolean;
                                /** @description what the score is made of (z-scores, gates) */
                                quality_components?: unknown;
                                /** @description version of the scoring formula */
                                quality_version?: number | null;
                                /** @description file size (bytes) */
                                size_bytes?: number;
                                /** @description file modification time, since the Unix epoch (ms) */
                                mtime_ms?: number;
                                /** @description SHA-256 of the file's content (hex) */
                                sha256?: string;
                                /** @description the HDU the metadata and pixels were taken from */
                                hdu_index?: number;
                                /** @description when the frame entered the catalog */
                                ingested_at?: string;
                                /** @description last change of the catalog row */
                                updated_at?: string;
                                /** @description when the file was found gone (null: present) */
                                missing_since?: string | null;
                                /**
                                 * @description FITS CHECKSUM/DATASUM verified at ingest: ok (every HDU verifies), partial (some HDUs carry none), absent (no HDU carries one), bad (one disagrees: the file was damaged before it was catalogued); null: catalogued before checksums were verified
                                 * @enum {string|null}
                                 */
                                checksum_status?: "ok" | "partial" | "absent" | "bad" | null;
                                /** @description when the file was last read again and compared with sha256 (at ingest, by `aims verify` or by the background check) */
                                verified_at?: string | null;
                                /**
                                 * @description what that check found: ok, changed (other content than catalogued), missing, unreadable
                                 * @enum {string|null}
                                 */
                                fixity_status?: "ok" | "changed" | "missing" | "unreadable" | null;
                                /** @description what the check found when it was not ok */
                                fixity_reason?: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HTTP status text */
                            error: string;
                            message: string;
                            /** @description the request parameter that is wrong (400s) */
                            parameter?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: the caller's jobs */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** TAP async: create a job */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: a job */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** TAP async: delete a job or set parameters */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        /** TAP async: delete a job */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async/{id}/phase": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: phase */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** TAP async: run or abort */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async/{id}/executionduration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: execution duration */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** TAP async: set the execution duration */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async/{id}/destruction": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: destruction time */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** TAP async: set the destruction time */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async/{id}/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: quote (none given) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async/{id}/owner": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: owner */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async/{id}/parameters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: parameters */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** TAP async: set parameters of a pending job */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async/{id}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: results */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async/{id}/error": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: error document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/async/{id}/results/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP async: the result document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/examples": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** TAP examples (DALI) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** IVOA TAP 1.1 synchronous ADQL query */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /** IVOA TAP 1.1 synchronous ADQL query */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** VOSI capabilities of the TAP service */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** VOSI availability of the TAP service */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/vo/tap/tables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** VOSI tables of the TAP service */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
