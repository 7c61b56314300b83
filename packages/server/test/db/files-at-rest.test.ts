import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { JWT_SECRET_FILE, resolveJwtSecret } from '../../src/auth/jwt-secret.js';
import { openDatabase } from '../../src/db/connection.js';
import { ensurePrivateDir } from '../../src/util/private-files.js';

// Real files on disk: the modes are what the operating system reports, not what the code meant.
const mode = (path: string) => statSync(path).mode & 0o777;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'aims-rest-'));
}

describe('files at rest', () => {
  it('creates the data folder, the catalog, its -wal/-shm and the secret owner-only', async () => {
    const previous = process.umask(0o022);
    try {
      const dataDir = join(scratch(), 'data');
      const warnings: string[] = [];
      ensurePrivateDir(dataDir, (m) => warnings.push(m));
      const catalog = join(dataDir, 'aims.db');
      const database = await openDatabase(`sqlite:${catalog}`, { warn: (m) => warnings.push(m) });
      try {
        // A write, so that the WAL and its index exist while the connection is open.
        await sql`create table probe (x integer)`.execute(database.db);
        expect(mode(dataDir)).toBe(0o700);
        expect(mode(catalog)).toBe(0o600);
        expect(mode(`${catalog}-wal`)).toBe(0o600);
        expect(mode(`${catalog}-shm`)).toBe(0o600);
      } finally {
        await database.close();
      }
      resolveJwtSecret(undefined, dataDir, (m) => warnings.push(m));
      expect(mode(join(dataDir, JWT_SECRET_FILE))).toBe(0o600);
      expect(warnings).toEqual([]);
    } finally {
      process.umask(previous);
    }
  });

  it('creates a missing catalog folder 0700', async () => {
    const dir = join(scratch(), 'nested', 'catalog');
    const database = await openDatabase(`sqlite:${join(dir, 'aims.db')}`);
    await database.close();
    expect(mode(dir)).toBe(0o700);
  });

  it('tightens an existing world-readable data folder, catalog and secret, with a warning', async () => {
    const dataDir = join(scratch(), 'data');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const catalog = join(dataDir, 'aims.db');
    const first = await openDatabase(`sqlite:${catalog}`);
    await first.close();
    chmodSync(catalog, 0o644);
    const secret = join(dataDir, JWT_SECRET_FILE);
    writeFileSync(secret, `${'s'.repeat(64)}\n`);
    chmodSync(secret, 0o644);

    const warnings: string[] = [];
    ensurePrivateDir(dataDir, (m) => warnings.push(m));
    const database = await openDatabase(`sqlite:${catalog}`, { warn: (m) => warnings.push(m) });
    try {
      // The catalog opened as before: tightening changed who may read it, not what it holds.
      const tables = await sql<{ n: number }>`select count(*) as n from sqlite_master`.execute(database.db);
      expect(tables.rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await database.close();
    }
    expect(resolveJwtSecret(undefined, dataDir, (m) => warnings.push(m))).toBe('s'.repeat(64));

    expect(mode(dataDir)).toBe(0o700);
    expect(mode(catalog)).toBe(0o600);
    expect(mode(secret)).toBe(0o600);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain(dataDir);
    expect(warnings[0]).toContain('0755');
    expect(warnings[1]).toContain(catalog);
    expect(warnings[1]).toContain('0644');
    expect(warnings[2]).toContain(secret);
  });
});
