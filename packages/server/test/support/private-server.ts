/**
 * Database servers of the test's own, for fault tests that restart or kill them: the shared
 * PostgreSQL on 127.0.0.1:5432 serves every other test running at the same time and must never be
 * restarted. `startPrivateServer('postgres')` initialises a throw-away cluster in a temporary
 * folder on a free port (as root, through the postgres account); `restart('fast' | 'immediate')`
 * restarts it, `stop()` stops it and removes the folder.
 *
 * Resolves to null, with the reason in `unavailableReason`, when the engine's binaries (or the
 * rights to run them) are missing; callers skip with that line, and fail when CI=true.
 * Another engine (MariaDB) is added as another entry of PRIVATE_SERVERS.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DialectName } from '../../src/db/dialect.js';

export type RestartMode = 'fast' | 'immediate';

export interface PrivateServer {
  dialect: DialectName;
  /** A database of its own on the private server, for the catalog. */
  url: string;
  /**
   * Stops the server (`fast`: connections are told; `immediate`: as after a crash), keeps it down
   * for `downMs`, and starts it again. Asynchronous, so that the code under test runs meanwhile.
   */
  restart(mode: RestartMode, downMs?: number): Promise<void>;
  stop(): void;
}

interface Engine {
  /** Why this machine cannot run a private server of the engine, or null. */
  unavailable(): string | null;
  start(): Promise<PrivateServer>;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function postgresUid(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

const postgres: Engine = {
  unavailable() {
    if (!existsSync(join(PG_BIN, 'initdb')) || !existsSync(join(PG_BIN, 'pg_ctl')))
      return `no PostgreSQL binaries in ${PG_BIN}`;
    if (process.getuid?.() !== 0) return 'not root: cannot run initdb as the postgres account';
    if (!postgresUid()) return 'no postgres account';
    return null;
  },
  async start() {
    const account = postgresUid();
    if (!account) throw new Error('no postgres account');
    const dir = mkdtempSync(join(tmpdir(), 'aims-pg-'));
    chownSync(dir, account.uid, account.gid);
    const data = join(dir, 'data');
    const port = await freePort();
    const asPostgres = (bin: string, args: string[]) =>
      execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      });
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB`;
    const pgCtl = (...args: string[]) => asPostgres('pg_ctl', ['-D', data, '-w', '-t', '60', ...args]);
    const pgCtlAsync = (...args: string[]) =>
      promisify(execFile)(
        'runuser',
        ['-u', 'postgres', '--', join(PG_BIN, 'pg_ctl'), '-D', data, '-w', '-t', '60', ...args],
        {
          timeout: 120_000,
        },
      );
    asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    pgCtl('-o', options, '-l', join(dir, 'log'), 'start');
    asPostgres('psql', ['-h', dir, '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE aims']);
    return {
      dialect: 'postgres',
      url: `postgres://postgres@127.0.0.1:${port}/aims`,
      restart: async (mode, downMs = 0) => {
        await pgCtlAsync('-m', mode, 'stop');
        await new Promise((r) => setTimeout(r, downMs));
        await pgCtlAsync('-o', options, '-l', join(dir, 'log'), 'start');
      },
      stop: () => {
        try {
          pgCtl('-m', 'immediate', 'stop');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  },
};

export const PRIVATE_SERVERS: Partial<Record<DialectName, Engine>> = { postgres };

/** The engines a private server can be started for, with why not where it cannot. */
export function privateServerEngines(): { dialect: DialectName; unavailable: string | null }[] {
  return Object.entries(PRIVATE_SERVERS).map(([dialect, engine]) => ({
    dialect: dialect as DialectName,
    unavailable: engine.unavailable(),
  }));
}

export function startPrivateServer(dialect: DialectName): Promise<PrivateServer> {
  const engine = PRIVATE_SERVERS[dialect];
  if (!engine) throw new Error(`no private ${dialect} server`);
  return engine.start();
}
