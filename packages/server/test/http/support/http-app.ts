/**
 * The API under test: a real database (per dialect), real users of every role signed in through
 * the real login route, and helpers to call routes as each of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../../../src/auth/password.js';
import { type Config, type Env, loadConfig } from '../../../src/config/config.js';
import { type Database, openDatabase } from '../../../src/db/connection.js';
import type { DialectName } from '../../../src/db/dialect.js';
import { createUser, updateUser } from '../../../src/db/users.repository.js';
import { type AppDeps, buildApp } from '../../../src/http/app.js';
import { createTestDatabase } from '../../support/databases.js';

export const PASSWORD = 'correct horse battery';
export const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export type Persona = 'anonymous' | 'user' | 'downloader' | 'admin' | 'deactivated';
export const PERSONAS: Persona[] = ['anonymous', 'user', 'downloader', 'admin', 'deactivated'];

export interface TestApi {
  app: FastifyInstance;
  database: Database;
  config: Config;
  dataDir: string;
  /** Session JWTs of each signed-in persona (deactivated: issued before the deactivation). */
  tokens: Record<Exclude<Persona, 'anonymous'>, string>;
  ids: Record<Exclude<Persona, 'anonymous'>, number>;
  /** inject() as a persona (Bearer token). */
  as(persona: Persona, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  env?: Env;
  deps?: Partial<AppDeps>;
  /** Create the four personas (default true). */
  personas?: boolean;
}

export async function login(app: FastifyInstance, email: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
  return res.json().access_token;
}

export async function startTestApi(dialect: DialectName, options: TestApiOptions = {}): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aims-http-'));
  const test = await createTestDatabase(dialect);
  const database = await openDatabase(test.url);
  const config = loadConfig(
    { AIMS_DATA_DIR: dataDir, AIMS_LOG_LEVEL: 'silent', ...options.env },
    { databaseUrl: test.url },
  );
  const app = await buildApp({
    config,
    database,
    jwtSecret: JWT_SECRET,
    logger: false,
    rateLimit: { max: 1000, timeWindowMs: 60_000 },
    ...options.deps,
  });
  await app.ready();
  const tokens = {} as TestApi['tokens'];
  const ids = {} as TestApi['ids'];
  if (options.personas ?? true) {
    const passwordHash = await hashPassword(PASSWORD);
    for (const persona of ['admin', 'user', 'downloader', 'deactivated'] as const) {
      const { user } = await createUser(database, {
        email: `${persona}@example.org`,
        passwordHash,
        canDownload: persona === 'downloader',
      });
      ids[persona] = user.id;
      tokens[persona] = await login(app, user.email);
    }
    await updateUser(database, ids.deactivated, { isActive: false });
  }
  return {
    app,
    database,
    config,
    dataDir,
    tokens,
    ids,
    as(persona, injectOptions) {
      const headers = { ...(injectOptions.headers ?? {}) };
      if (persona !== 'anonymous') headers.authorization = `Bearer ${tokens[persona]}`;
      return app.inject({ ...injectOptions, headers });
    },
    async close() {
      // Each step even if one before failed (a test may have closed the database already).
      await app.close().catch(() => undefined);
      await database.close().catch(() => undefined);
      await test.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
