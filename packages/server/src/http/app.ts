/**
 * The AIMS HTTP API as a Fastify application: `buildApp(deps)` returns it ready to `inject` or to
 * listen (only main.ts listens). Routes live under /api; one onRequest hook on that scope
 * authenticates and authorizes every request by the route's `config.access`.
 */
import { createHmac } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import type { JWTVerifyGetKey } from 'jose';
import { resolveJwtSecret } from '../auth/jwt-secret.js';
import { OidcClient } from '../auth/oidc.client.js';
import { SessionTokens } from '../auth/session-token.js';
import type { OffThreadRunner } from '../catalog/preview-renders.js';
import type { PreviewRenderer } from '../catalog/previews.js';
import { servedRoots } from '../catalog/served-roots.js';
import type { Config, TrustProxy } from '../config/config.js';
import type { Database } from '../db/connection.js';
import { EventBus } from '../util/events.js';
import { bandLookup } from '../vo/filter-bands.js';
import { cutoutMaker } from '../vo/soda.cutouts.js';
import { TapService } from '../vo/tap/tap.service.js';
import { TapJobs } from '../vo/tap/tap-jobs.js';
import type { AppContext, IngestControl } from './app-context.js';
import { authenticationHook } from './authentication.js';
import { corsHook } from './cors.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { loggerOptions, requestId } from './logger.js';
import { adminRoutes } from './routes/admin.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { datalinkRoutes } from './routes/datalink.routes.js';
import { downloadsRoutes } from './routes/downloads.routes.js';
import { eventsRoutes } from './routes/events.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { imagesRoutes } from './routes/images.routes.js';
import { librariesRoutes } from './routes/libraries.routes.js';
import { siaRoutes } from './routes/sia.routes.js';
import { tapRoutes } from './routes/tap.routes.js';
import { targetsRoutes } from './routes/targets.routes.js';
import { userRoutes } from './routes/user.routes.js';

export interface AppDeps {
  config: Config;
  database: Database;
  /** Default: JWT_SECRET, else the secret stored in the data folder (generated on first start). */
  jwtSecret?: string;
  version?: string;
  events?: EventBus;
  ingest?: IngestControl;
  /**
   * How a missing preview is rendered: a function, or the worker-thread renders of main.ts, which
   * the app ends when it closes (waiting requests get 503 rather than hold the shutdown up).
   */
  previews?: PreviewRenderer | { render: PreviewRenderer; runModule?: OffThreadRunner; close(): Promise<void> };
  /** Keys that sign Google ID tokens (default: Google's published JWKS). Tests pass their own. */
  googleKeys?: JWTVerifyGetKey;
  /** pino options, a logger instance, or false (default: options from config.logLevel). */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** Attempts per client address on login and sign-up routes (default 10 per minute). */
  rateLimit?: { max: number; timeWindowMs: number };
  /** The built web UI to serve at / (single-page app: unknown non-API paths get index.html). */
  webDir?: string | undefined;
  /** How often an open event stream re-checks its caller (default 15 s). */
  streamRecheckMs?: number;
}

export const DEFAULT_RATE_LIMIT = { max: 10, timeWindowMs: 60_000 };

/** Builds the shared context of the routes from the dependencies. */
export function createContext(deps: AppDeps): AppContext {
  const secret = deps.jwtSecret ?? resolveJwtSecret(deps.config.jwtSecret, deps.config.dataDir);
  const oidc = deps.config.oidc;
  const roots = servedRoots(deps.database, deps.config.imageDirs);
  return {
    config: deps.config,
    database: deps.database,
    sessions: new SessionTokens(secret),
    events: deps.events ?? new EventBus(),
    version: deps.version ?? process.env.npm_package_version ?? '0.1.0',
    startedAt: Date.now(),
    ingest: deps.ingest,
    roots,
    previews: {
      previewDir: deps.config.previewDir,
      roots,
      render: typeof deps.previews === 'object' ? deps.previews.render : deps.previews,
    },
    cutouts: cutoutMaker(typeof deps.previews === 'object' ? deps.previews.runModule : undefined),
    googleKeys: deps.googleKeys,
    oidc: oidc
      ? new OidcClient({ issuer: oidc.issuer, clientId: oidc.clientId, clientSecret: oidc.clientSecret })
      : undefined,
    // A separate key for cookie signatures, derived so that one secret is all an operator manages.
    cookieSecret: createHmac('sha256', secret).update('aims cookie signing').digest('base64url'),
    rateLimit: deps.rateLimit ?? DEFAULT_RATE_LIMIT,
    streamRecheckMs: deps.streamRecheckMs ?? 15_000,
  };
}

function contentSecurityPolicy(config: Config) {
  const google = config.googleClientId ? ['https://accounts.google.com', 'https://accounts.google.com/gsi/'] : [];
  return {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", ...google],
      // Swagger UI and Google's button set inline styles.
      styleSrc: ["'self'", "'unsafe-inline'", ...google],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'", ...google],
      frameSrc: ["'self'", ...google],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
  };
}

/** Everything under /api (and the docs), as one plugin. */
export async function registerAims(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.setErrorHandler(errorHandler);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: contentSecurityPolicy(ctx.config),
    // Previews are loaded by the web UI from the same origin only.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  await app.register(fastifyCookie, { secret: ctx.cookieSecret });
  await app.register(fastifyRateLimit, { global: false });
  if (ctx.config.corsOrigins.length) app.addHook('onRequest', corsHook(ctx.config.corsOrigins));
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'AIMS API',
        version: ctx.version,
        description:
          'The catalog of an observatory\'s FITS images. Authenticate with "Authorization: Bearer <token>" ' +
          '(a session JWT from /api/auth/login or an API token from /api/user/tokens), or with the session cookie.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'aims_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: false });

  await app.register(
    async (api) => {
      api.addHook(
        'onRequest',
        authenticationHook({
          database: ctx.database,
          sessions: ctx.sessions,
          publicRead: ctx.config.publicRead,
          trustedOrigins: ctx.config.corsOrigins,
        }),
      );
      api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
      await api.register(healthRoutes(ctx));
      await api.register(authRoutes(ctx));
      await api.register(userRoutes(ctx));
      await api.register(adminRoutes(ctx));
      await api.register(librariesRoutes(ctx));
      await api.register(eventsRoutes(ctx));
      await api.register(imagesRoutes(ctx));
      await api.register(downloadsRoutes(ctx));
      await api.register(siaRoutes(ctx));
      await api.register(datalinkRoutes(ctx));
      await api.register(targetsRoutes(ctx));
      const limits = ctx.config.tap;
      const tap = new TapService(ctx.database, bandLookup(ctx.config.filterBands), {
        defaultMaxRec: limits.maxRec,
        maxMaxRec: limits.maxRecLimit,
        syncSeconds: limits.syncSeconds,
        asyncSeconds: limits.asyncSeconds,
        retentionSeconds: limits.retentionDays * 86_400,
      });
      const tapJobs = new TapJobs(ctx.database, tap);
      api.addHook('onReady', async () => tapJobs.start());
      api.addHook('onClose', async () => {
        await tapJobs.stop();
        await tap.close();
      });
      await api.register(tapRoutes(tap, tapJobs));
    },
    { prefix: '/api' },
  );
}

/** Serves the web UI's files; any other GET outside /api gets index.html (client-side routes). */
async function registerWebUi(app: FastifyInstance, root: string): Promise<void> {
  await app.register(fastifyStatic, { root, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/api')
      return reply.type('text/html').sendFile('index.html');
    return notFoundHandler(request, reply);
  });
}

/**
 * AIMS_TRUST_PROXY in Fastify's terms. Fastify treats a bare hop count as "trust nothing" (it
 * cannot check the peer), so a count becomes the hop test proxy-addr documents: the socket peer
 * and the next `hops - 1` entries of X-Forwarded-For are proxies, the entry before them is the
 * client. That is only sound when AIMS is reachable through the proxies alone (README).
 */
export function proxyTrust(trust: TrustProxy): FastifyServerOptions['trustProxy'] {
  if (trust === false || trust === 0) return false;
  if (typeof trust === 'number') return (_address: string, hop: number) => hop < trust;
  return trust;
}

/**
 * The application, not listening. Logs carry `request_id` (the caller's X-Request-Id when it looks
 * like one, else a UUID), which is also sent back in the X-Request-Id response header.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const ctx = createContext(deps);
  const logger = deps.logger ?? loggerOptions(deps.config.logLevel);
  const isInstance = typeof logger === 'object' && logger !== null && 'child' in logger;
  const app = Fastify({
    ...(isInstance
      ? { loggerInstance: logger as FastifyBaseLogger }
      : { logger: logger as FastifyServerOptions['logger'] }),
    genReqId: requestId,
    forceCloseConnections: true,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    trustProxy: proxyTrust(deps.config.trustProxy),
    // verbose: errors carry their schema (for `x-expected` messages); removeAdditional off: an
    // unknown parameter or body field is a 400, not silently dropped.
    ajv: { customOptions: { verbose: true, strict: false, removeAdditional: false } },
  });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  await registerAims(app, ctx);
  if (deps.webDir) await registerWebUi(app, deps.webDir);
  else app.setNotFoundHandler(notFoundHandler);
  // Before the server waits for its open requests: those waiting for a render are answered now.
  const previews = deps.previews;
  if (typeof previews === 'object') app.addHook('preClose', () => previews.close());
  return app;
}
