import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase, unreachableCode } from '../../src/db/connection.js';
import { createTestDatabase, DIALECTS } from '../support/databases.js';

/**
 * `aims serve` and `aims worker` started beside their database server (compose) wait for it:
 * openDatabase keeps trying while the server cannot be reached, and fails at once on anything
 * else. Real servers, reached through a TCP relay that opens late.
 */

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Listens on `port` and relays every connection to the real server at `target`. */
async function relay(port: number, target: URL): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return server;
}

const withPort = (url: string, port: number) => {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
};

describe('unreachableCode', () => {
  it('finds a refused or timed-out connection through causes and aggregates, and nothing else', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(unreachableCode(refused)).toBe('ECONNREFUSED');
    expect(unreachableCode(new Error('migration failed', { cause: refused }))).toBe('ECONNREFUSED');
    const timedOut = Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
    expect(unreachableCode(new AggregateError([new Error('other'), timedOut]))).toBe('ETIMEDOUT');
    expect(unreachableCode(Object.assign(new Error('starting up'), { code: '57P03' }))).toBe('57P03');
    // A wrong password or a bad statement is an answer from a server that is there.
    expect(unreachableCode(Object.assign(new Error('password authentication failed'), { code: '28P01' }))).toBeNull();
    expect(unreachableCode(Object.assign(new Error('Access denied'), { code: 'ER_ACCESS_DENIED_ERROR' }))).toBeNull();
    expect(unreachableCode('ECONNREFUSED')).toBeNull();
  });
});

for (const dialect of DIALECTS.filter((d) => d !== 'sqlite')) {
  describe(`${dialect}: waiting for the database server`, () => {
    it('fails at once without a wait, and after the wait when the server never comes', async () => {
      const test = await createTestDatabase(dialect);
      try {
        const url = withPort(test.url, await freePort());
        const warnings: string[] = [];
        let started = Date.now();
        await expect(openDatabase(url, { warn: (m) => warnings.push(m) })).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(1000);
        expect(warnings).toEqual([]);
        started = Date.now();
        await expect(openDatabase(url, { waitForServerMs: 1200, warn: (m) => warnings.push(m) })).rejects.toThrow();
        expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
        expect(warnings.length).toBeGreaterThanOrEqual(2);
        expect(warnings[0]).toMatch(/cannot be reached \(ECONNREFUSED\); trying again in 0\.3 s/);
      } finally {
        await test.drop();
      }
    });

    it('opens and migrates the catalog once the server comes up during the wait', async () => {
      const test = await createTestDatabase(dialect);
      const port = await freePort();
      const warnings: string[] = [];
      let server: Server | undefined;
      const late = setTimeout(async () => {
        server = await relay(port, new URL(test.url));
      }, 900);
      try {
        const database = await openDatabase(withPort(test.url, port), {
          waitForServerMs: 20_000,
          warn: (m) => warnings.push(m),
        });
        try {
          expect(warnings.length).toBeGreaterThanOrEqual(2);
          const row = await database.db
            .selectFrom('images')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
          expect(Number(row.n)).toBe(0);
          await sql`select 1`.execute(database.db);
        } finally {
          await database.close();
        }
      } finally {
        clearTimeout(late);
        await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
        await test.drop();
      }
    });
  });
}
