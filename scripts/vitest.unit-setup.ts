/**
 * Loaded before every test file of the unit tier (`npm run test:unit`). The tier promises no
 * PostgreSQL, no MySQL and no Python, so all three are made unusable here rather than trusted to file names: a test
 * that needs them fails with a message saying which tier it belongs to, instead of quietly making
 * the fast tier slow or dependent on the machine.
 */
import { basename } from 'node:path';
import { vi } from 'vitest';

const WRONG_TIER = 'is not available in the unit tier (npm run test:unit); this test belongs to npm test only';

vi.mock('pg', () => {
  class Refused {
    constructor() {
      throw new Error(`PostgreSQL ${WRONG_TIER}`);
    }
  }
  return { default: { Pool: Refused, Client: Refused }, Pool: Refused, Client: Refused };
});

function refuseMysql(): never {
  throw new Error(`MySQL ${WRONG_TIER}`);
}
const refusedMysql = () => ({
  default: { createPool: refuseMysql, createConnection: refuseMysql },
  createPool: refuseMysql,
  createConnection: refuseMysql,
});
vi.mock('mysql2', () => refusedMysql());
vi.mock('mysql2/promise', () => refusedMysql());

async function guardedChildProcess(importOriginal: () => Promise<typeof import('node:child_process')>) {
  const real = await importOriginal();
  const refusePython = (command: unknown) => {
    const program = typeof command === 'string' ? command.trim().split(/\s+/)[0] : undefined;
    if (program !== undefined && /^python/.test(basename(program))) throw new Error(`Python ${WRONG_TIER}`);
  };
  const guard =
    <F extends (...args: never[]) => unknown>(fn: F) =>
    (...args: Parameters<F>) => {
      refusePython(args[0]);
      return fn(...args);
    };
  const guarded = {
    ...real,
    spawn: guard(real.spawn),
    spawnSync: guard(real.spawnSync),
    exec: guard(real.exec),
    execSync: guard(real.execSync),
    execFile: guard(real.execFile),
    execFileSync: guard(real.execFileSync),
  };
  return { ...guarded, default: guarded };
}
vi.mock('node:child_process', guardedChildProcess);
vi.mock('child_process', guardedChildProcess);
