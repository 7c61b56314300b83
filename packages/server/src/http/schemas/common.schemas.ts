import { type TSchema, Type } from '@sinclair/typebox';

export const ErrorSchema = Type.Object(
  {
    error: Type.String({ description: 'HTTP status text' }),
    message: Type.String(),
    parameter: Type.Optional(Type.String({ description: 'the request parameter that is wrong (400s)' })),
  },
  { title: 'Error' },
);

/** The error responses every route may give, for the OpenAPI page. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));
}

export const IsoDateTime = Type.String({ format: 'date-time' });

/** A path id: a positive integer, coerced from the URL. */
export const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'numeric id' }),
});

export const UserSchema = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    display_name: Type.Unsafe<string | null>({ type: ['string', 'null'] }),
    role: Type.Union([Type.Literal('admin'), Type.Literal('user')]),
    can_download: Type.Boolean(),
    is_active: Type.Boolean(),
    has_password: Type.Boolean(),
    google_linked: Type.Boolean(),
    oidc_linked: Type.Boolean(),
    created_at: IsoDateTime,
    last_login_at: Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date-time' }),
  },
  { title: 'User' },
);

export const SessionSchema = Type.Object(
  {
    access_token: Type.String({ description: 'a JWT (HS256); send as "Authorization: Bearer …"' }),
    token_type: Type.Literal('bearer'),
    expires_in: Type.Integer({ description: 'seconds' }),
    user: UserSchema,
  },
  { title: 'Session' },
);

/**
 * One of a few strings, as a JSON Schema `enum` (not TypeBox's anyOf of constants), so that a wrong
 * value is reported as "must be one of a, b, c" against the parameter itself.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/**
 * `type: [T, "null"]` rather than TypeBox's anyOf: fast-json-stringify serializes a type list
 * directly but must run a validator per value to pick an anyOf branch (measured: 10× slower pages).
 */
export const Nullable = {
  number: (options: Record<string, unknown> = {}) =>
    Type.Unsafe<number | null>({ type: ['number', 'null'], ...options }),
  integer: (options: Record<string, unknown> = {}) =>
    Type.Unsafe<number | null>({ type: ['integer', 'null'], ...options }),
  string: (options: Record<string, unknown> = {}) =>
    Type.Unsafe<string | null>({ type: ['string', 'null'], ...options }),
};
