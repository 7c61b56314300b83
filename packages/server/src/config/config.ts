import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { delimiter, isAbsolute, resolve } from 'node:path';
import { type CalibrationRules, calibrationRules } from './calibration.js';

/**
 * All configuration AIMS reads, from environment variables (a `.env` file in the working directory
 * is read first when present; real environment variables win) and CLI flags. Invalid values stop
 * start-up with a ConfigError naming the variable.
 */
export interface Config {
  /** `sqlite:PATH`, `postgres://…` or `mysql://…` (`mariadb://…`). */
  databaseUrl: string;
  dataDir: string;
  previewDir: string;
  /** Folders watched for FITS files; several allowed (separated by the path delimiter `:`). */
  imageDirs: string[];
  /**
   * AIMS_LIBRARY_ROOTS: the folders inside which admins may add libraries through the API and the
   * web UI (separated by `:`). Unset: the data folder only.
   */
  libraryRoots: string[];
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  jwtSecret: string | undefined;
  googleClientId: string | undefined;
  oidc:
    | { issuer: string; clientId: string; clientSecret: string | undefined; redirectUrl: string | undefined }
    | undefined;
  signup: 'open' | 'approval' | 'closed';
  allowedDomains: string[];
  publicRead: boolean;
  /** A sign-in ends this many days after it began, however often its cookie was renewed. */
  sessionMaxDays: number;
  /** Origins allowed to call the API from a browser on another site (CORS); empty: CORS off. */
  corsOrigins: string[];
  /**
   * Which reverse proxies may speak for the client in X-Forwarded-* (client address for rate
   * limits and the audit log, https for cookies): false (none), how many hops stand in front, or
   * the proxies' addresses and CIDR ranges. Never "every hop": see trustProxy() below.
   */
  trustProxy: TrustProxy;
  /** Frames scoring at or above this (0–100) get `quality_flag`. */
  qualityThreshold: number;
  /** Hour of local time at which one observing night ends and the next begins (default noon). */
  nightRolloverHour: number;
  /** IANA time zone used for observing nights when a frame has no site longitude. */
  timezone: string | undefined;
  workers: number;
  /** Memory that pixel analysis may hold at once, all ingest workers of the process together. */
  analysisMemoryMb: number;
  /** AIMS_MAX_INFLATE_RATIO: a whole-file gzip may inflate at most this many times its size (default 100). */
  maxInflateRatio: number;
  /**
   * AIMS_FILE_TIME_BUDGET: seconds one file may take in a worker thread (ingest, or a preview
   * rendered on demand); past it the work fails with a reason and the thread is replaced.
   */
  fileTimeBudgetSeconds: number;
  /** AIMS_PREVIEW_RENDERS: previews rendered on demand at once, each in a worker thread. */
  previewRenders: number;
  /** AIMS_PREVIEW_QUEUE: renders that may wait for a thread; more are answered 503 with Retry-After. */
  previewQueue: number;
  /**
   * TAP's limits: rows returned without MAXREC (AIMS_TAP_MAXREC) and at most (AIMS_TAP_MAXREC_LIMIT,
   * which bounds a result's size), seconds a synchronous query (AIMS_TAP_SYNC_SECONDS) and an
   * asynchronous job (AIMS_TAP_ASYNC_SECONDS) may run, days a job and its result are kept
   * (AIMS_TAP_RETENTION_DAYS).
   */
  tap: { maxRec: number; maxRecLimit: number; syncSeconds: number; asyncSeconds: number; retentionDays: number };
  rescanSeconds: number;
  /** AIMS_RETRY_SECONDS: a retryable ingest failure (catalog down, disk full) is tried again after this long. */
  retrySeconds: number;
  stableSeconds: number;
  usePolling: boolean;
  /**
   * AIMS_FIXITY_DAYS: `aims serve` reads every catalogued file again within this many days and
   * compares it with its SHA-256 (catalog/fixity.ts); 0 turns the background check off.
   */
  fixityDays: number;
  /** Globs (relative to an image root) that discovery skips, from AIMS_EXCLUDE (comma-separated). */
  exclude: string[];
  /**
   * Filter names → passband [min, max] in nm, from the JSON file AIMS_VO_FILTER_BANDS; they extend
   * and override the built-in table of vo/filter-bands.ts (ObsCore em_min/em_max, SIA BAND).
   */
  filterBands: Record<string, [number, number]>;
  /** How calibration frames are matched to lights (AIMS_CALIBRATION_*; config/calibration.ts). */
  calibration: CalibrationRules;
}

/**
 * What pixel analysis may hold at once by default: a 4096×4096 frame measured whole, which with
 * the server's own ~170 MB keeps `aims serve` near 400 MB resident (docs/performance.md, "Memory").
 */
export const DEFAULT_ANALYSIS_MEMORY_MB = 240;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

export type Env = Record<string, string | undefined>;

/** In the forms Fastify's `trustProxy` takes: off, a hop count, or proxy addresses/CIDRs. */
export type TrustProxy = false | number | string[];

/** Parses `KEY=value` lines of a .env file (quotes removed, `#` comments ignored). */
export function parseDotEnv(text: string): Env {
  const env: Env = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)?\s*$/.exec(line);
    if (!m?.[1]) continue;
    let value = (m[2] ?? '').trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    env[m[1]] = value;
  }
  return env;
}

/** The process environment over the `.env` file of `cwd`, if there is one. */
export function environment(cwd = process.cwd(), env: Env = process.env): Env {
  const file = resolve(cwd, '.env');
  const fromFile = existsSync(file) ? parseDotEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...env };
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `expected an integer, got '${raw}'`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function tapLimits(env: Env): Config['tap'] {
  const maxRecLimit = integer(env, 'AIMS_TAP_MAXREC_LIMIT', 1_000_000, 1, 100_000_000);
  const maxRec = integer(env, 'AIMS_TAP_MAXREC', Math.min(10_000, maxRecLimit), 0, 100_000_000);
  if (maxRec > maxRecLimit)
    throw new ConfigError('AIMS_TAP_MAXREC', `must not exceed AIMS_TAP_MAXREC_LIMIT (${maxRecLimit}), got ${maxRec}`);
  return {
    maxRec,
    maxRecLimit,
    syncSeconds: integer(env, 'AIMS_TAP_SYNC_SECONDS', 60, 1, 86_400),
    asyncSeconds: integer(env, 'AIMS_TAP_ASYNC_SECONDS', 3600, 1, 7 * 86_400),
    retentionDays: integer(env, 'AIMS_TAP_RETENTION_DAYS', 7, 1, 3650),
  };
}

function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isFinite(n)) throw new ConfigError(name, `expected a number, got '${raw}'`);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got '${env[name]}'`);
}

/** AIMS_VO_FILTER_BANDS: a JSON file `{"name": [min_nm, max_nm], …}`. */
function filterBands(env: Env): Record<string, [number, number]> {
  const name = 'AIMS_VO_FILTER_BANDS';
  const path = env[name]?.trim();
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(name, `cannot read ${path} as JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError(name, 'expected an object of filter names');
  const bands: Record<string, [number, number]> = {};
  for (const [filter, range] of Object.entries(parsed)) {
    const ok =
      Array.isArray(range) &&
      range.length === 2 &&
      range.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0) &&
      range[0] < range[1];
    if (!ok) throw new ConfigError(name, `'${filter}' needs [min_nm, max_nm] with 0 < min < max`);
    bands[filter] = [range[0], range[1]];
  }
  return bands;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw))
    throw new ConfigError(name, `must be one of ${values.join(', ')}, got '${env[name]}'`);
  return raw as T;
}

/** Named ranges that proxy-addr (behind Fastify's trustProxy) understands. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * AIMS_TRUST_PROXY: off by default; a hop count (`1`: one proxy in front, whose last
 * X-Forwarded-For entry is the client) or a comma-separated list of proxy addresses and CIDRs.
 * `true` is refused: trusting every hop lets any client write its own X-Forwarded-For, walk past
 * the sign-in rate limit and put any address in the audit log (docs/decisions/0009).
 */
export function trustProxy(env: Env, name = 'AIMS_TRUST_PROXY'): TrustProxy {
  const raw = env[name]?.trim() ?? '';
  const lower = raw.toLowerCase();
  if (raw === '' || ['0', 'false', 'no', 'off'].includes(lower)) return false;
  if (['true', 'yes', 'on'].includes(lower))
    throw new ConfigError(
      name,
      `'${raw}' would trust every hop, so any client could forge X-Forwarded-For; give the number of ` +
        'proxies in front of AIMS (e.g. 1) or their addresses/CIDRs (e.g. 10.0.0.0/8,::1)',
    );
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 16) throw new ConfigError(name, `a hop count must be between 0 and 16, got ${hops}`);
    return hops;
  }
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = entries.find((e) => !isProxyAddress(e));
  if (bad !== undefined || entries.length === 0)
    throw new ConfigError(
      name,
      `expected a hop count or proxy addresses/CIDRs (loopback, linklocal, uniquelocal allowed), got '${bad ?? raw}'`,
    );
  return entries;
}

export function validateDatabaseUrl(url: string, variable = 'AIMS_DATABASE_URL'): string {
  if (/^sqlite:.+/.test(url) || /^postgres(ql)?:\/\/.+/.test(url)) return url;
  if (/^(mysql|mariadb):\/\/[^/]+\/[^/?#]+/.test(url)) return url;
  throw new ConfigError(
    variable,
    `expected sqlite:PATH, postgres://… or mysql://USER:PASSWORD@HOST:3306/DATABASE, got '${redactPassword(url)}'`,
  );
}

/** A URL fit for a message: its password replaced by `***`. */
function redactPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

/** The variables of the deployment AIMS replaces (its `.env` and compose file), which select MySQL. */
export const SEED_DATABASE_VARIABLES = [
  'DB_HOST',
  'DB_PORT',
  'HOST_DB_PORT',
  'DB_NAME',
  'DB_USER',
  'DB_PASSWORD',
  'DB_SSL_ENABLED',
  'DB_SSL_CA',
] as const;

/**
 * The catalog URL the seed's variables describe, or undefined when none is set: mysql://DB_USER:
 * DB_PASSWORD@DB_HOST:PORT/DB_NAME, where PORT is DB_PORT, else HOST_DB_PORT (the port the seed's
 * compose file publishes on the host), else 3306, and DB_HOST defaults to 127.0.0.1.
 * DB_SSL_ENABLED=true turns TLS on (verified against the system's CAs, or DB_SSL_CA when given).
 */
export function seedDatabaseUrl(env: Env): string | undefined {
  const set = SEED_DATABASE_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== '');
  if (set.length === 0) return undefined;
  const name = env.DB_NAME?.trim();
  if (!name)
    throw new ConfigError('DB_NAME', `is required when ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set`);
  const portRaw = (env.DB_PORT || env.HOST_DB_PORT || '3306').trim();
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port < 1 || port > 65535)
    throw new ConfigError(env.DB_PORT ? 'DB_PORT' : 'HOST_DB_PORT', `expected a port number, got '${portRaw}'`);
  const url = new URL('mysql://localhost');
  url.hostname = env.DB_HOST?.trim() || '127.0.0.1';
  url.port = String(port);
  url.pathname = `/${encodeURIComponent(name)}`;
  url.username = encodeURIComponent(env.DB_USER ?? '');
  url.password = encodeURIComponent(env.DB_PASSWORD ?? '');
  const ssl = boolean(env, 'DB_SSL_ENABLED', false);
  if (ssl) url.searchParams.set('ssl', 'true');
  if (ssl && env.DB_SSL_CA?.trim()) url.searchParams.set('ssl-ca', resolve(env.DB_SSL_CA.trim()));
  return url.toString();
}

/**
 * The catalog: --db, else AIMS_DATABASE_URL, else the seed's DB_* variables, else SQLite under the
 * data folder. The seed's variables and a URL that names another catalog are refused together.
 */
function databaseUrlOf(env: Env, overrides: ConfigOverrides, dataDir: string): string {
  const seed = seedDatabaseUrl(env);
  const explicit = overrides.databaseUrl
    ? { url: overrides.databaseUrl, variable: '--db' }
    : env.AIMS_DATABASE_URL
      ? { url: env.AIMS_DATABASE_URL, variable: 'AIMS_DATABASE_URL' }
      : undefined;
  if (explicit) {
    const url = validateDatabaseUrl(explicit.url, explicit.variable);
    if (seed !== undefined && url !== seed) {
      const set = SEED_DATABASE_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== '');
      throw new ConfigError(
        explicit.variable,
        `names ${redactPassword(url)}, but ${set.join(', ')} describe ${redactPassword(seed)}: ` +
          `set either ${explicit.variable} or the DB_* variables, not both`,
      );
    }
    return url;
  }
  return seed ?? `sqlite:${resolve(dataDir, 'aims.db')}`;
}

export interface ConfigOverrides {
  databaseUrl?: string | undefined;
  imageDirs?: string[] | undefined;
  host?: string | undefined;
  port?: number | undefined;
  dataDir?: string | undefined;
  exclude?: string[] | undefined;
}

/** Reads and validates the configuration. CLI flags (overrides) win over the environment. */
export function loadConfig(env: Env = environment(), overrides: ConfigOverrides = {}): Config {
  const dataDir = resolve(overrides.dataDir ?? env.AIMS_DATA_DIR ?? './data');
  const databaseUrl = databaseUrlOf(env, overrides, dataDir);
  const imageDirsRaw = env.AIMS_IMAGE_DIR ?? env.LOCAL_IMAGE_PATH;
  const imageDirs = (overrides.imageDirs?.length ? overrides.imageDirs : (imageDirsRaw?.split(delimiter) ?? []))
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => resolve(d));
  const libraryRoots = (env.AIMS_LIBRARY_ROOTS ?? '')
    .split(delimiter)
    .map((d) => d.trim())
    .filter(Boolean);
  if (libraryRoots.some((d) => !isAbsolute(d)))
    throw new ConfigError('AIMS_LIBRARY_ROOTS', `expected absolute folders, got '${env.AIMS_LIBRARY_ROOTS}'`);
  const issuer = env.AIMS_OIDC_ISSUER?.trim();
  const clientId = env.AIMS_OIDC_CLIENT_ID?.trim();
  if (issuer && !clientId) throw new ConfigError('AIMS_OIDC_CLIENT_ID', 'is required when AIMS_OIDC_ISSUER is set');
  const threshold = integer(env, 'AIMS_QUALITY_THRESHOLD', 60, 0, 100);
  return {
    databaseUrl,
    dataDir,
    previewDir: resolve(env.AIMS_PREVIEW_DIR ?? resolve(dataDir, 'previews')),
    imageDirs,
    libraryRoots: libraryRoots.length ? libraryRoots.map((d) => resolve(d)) : [dataDir],
    host: overrides.host ?? env.AIMS_HOST ?? '127.0.0.1',
    port: overrides.port ?? integer(env, 'AIMS_PORT', 8080, 0, 65535),
    logLevel: oneOf(
      env,
      'AIMS_LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
    jwtSecret: env.JWT_SECRET || undefined,
    googleClientId: env.GOOGLE_CLIENT_ID || undefined,
    oidc:
      issuer && clientId
        ? {
            issuer,
            clientId,
            clientSecret: env.AIMS_OIDC_CLIENT_SECRET || undefined,
            redirectUrl: env.AIMS_OIDC_REDIRECT_URL || undefined,
          }
        : undefined,
    signup: oneOf(env, 'AIMS_SIGNUP', ['open', 'approval', 'closed'] as const, 'open'),
    allowedDomains: (env.AIMS_ALLOWED_DOMAINS ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean),
    publicRead: boolean(env, 'AIMS_PUBLIC_READ', false),
    sessionMaxDays: integer(env, 'AIMS_SESSION_MAX_DAYS', 7, 1, 3650),
    corsOrigins: (env.AIMS_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
    trustProxy: trustProxy(env),
    qualityThreshold: threshold,
    nightRolloverHour: integer(env, 'AIMS_NIGHT_ROLLOVER_HOUR', 12, 0, 23),
    timezone: env.AIMS_TIMEZONE || undefined,
    workers: integer(env, 'AIMS_WORKERS', 0, 0, 256),
    analysisMemoryMb: integer(env, 'AIMS_ANALYSIS_MEMORY_MB', DEFAULT_ANALYSIS_MEMORY_MB, 16, 1_048_576),
    maxInflateRatio: integer(env, 'AIMS_MAX_INFLATE_RATIO', 100, 2, 1_000_000),
    fileTimeBudgetSeconds: integer(env, 'AIMS_FILE_TIME_BUDGET', 300, 1, 86_400),
    previewRenders: integer(env, 'AIMS_PREVIEW_RENDERS', 2, 1, 64),
    previewQueue: integer(env, 'AIMS_PREVIEW_QUEUE', 32, 0, 10_000),
    tap: tapLimits(env),
    rescanSeconds: integer(env, 'AIMS_RESCAN_SECONDS', 300, 0, 86_400),
    retrySeconds: integer(env, 'AIMS_RETRY_SECONDS', 60, 1, 86_400),
    stableSeconds: integer(env, 'AIMS_STABLE_SECONDS', 2, 0, 3600),
    usePolling: boolean(env, 'AIMS_USE_POLLING', false),
    fixityDays: integer(env, 'AIMS_FIXITY_DAYS', 30, 0, 3650),
    exclude: [
      ...(env.AIMS_EXCLUDE ?? '')
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean),
      ...(overrides.exclude ?? []),
    ],
    filterBands: filterBands(env),
    calibration: calibrationRules((name, fallback, min, max) => decimal(env, name, fallback, min, max)),
  };
}
