/**
 * Builds the web UI and the server, writes a night of synthetic frames, ingests them, starts a
 * real `aims serve` on a free port with its own data folder and SQLite catalog, and returns the
 * teardown that stops it. The tests find the server in AIMS_E2E_URL and the frames in
 * AIMS_E2E_FRAMES (JSON written by e2e/support/write-night.mjs).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FRAME_COUNT = 24;
const FRAME_SIZE = 128;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`aims serve exited with ${server.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`aims serve did not answer within 60 s:\n${log()}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env) => {
    const started = Date.now();
    const out = execFileSync(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    process.stderr.write(
      `e2e setup: ${basename(command)} ${args.slice(0, 2).join(' ')}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return out;
  };

  run('npm', ['run', 'build', '-w', '@aims/web']);
  try {
    run('npx', ['tsc', '-b', 'packages/fits', 'packages/server']);
  } catch (error) {
    // tsc -b still emits what it can; a server that truly cannot start fails below with its log.
    process.stderr.write(`e2e: the server build reported errors:\n${(error as { stdout?: string }).stdout ?? error}\n`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'aims-e2e-'));
  const images = join(dir, 'images');
  const database = `sqlite:${join(dir, 'aims.db')}`;
  // Admins may add libraries inside this folder (libraries.spec.ts).
  mkdirSync(join(dir, 'libraries'));
  const env = {
    ...process.env,
    AIMS_DATA_DIR: join(dir, 'data'),
    AIMS_STABLE_SECONDS: '0',
    AIMS_LOG_LEVEL: 'warn',
    AIMS_LIBRARY_ROOTS: join(dir, 'libraries'),
  };
  const frames = run(process.execPath, [
    join(ROOT, 'packages/web/e2e/support/write-night.mjs'),
    images,
    String(FRAME_COUNT),
    String(FRAME_SIZE),
  ]);
  writeFileSync(join(dir, 'frames.json'), frames);
  // Ingest before serving, so that every frame is in the catalog when the first test starts.
  run(process.execPath, [join(ROOT, 'packages/server/bin/aims.js'), 'ingest', images, '--db', database, '--json'], env);

  const port = await freePort();
  let output = '';
  const server = spawn(
    process.execPath,
    [
      join(ROOT, 'packages/server/bin/aims.js'),
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--db',
      database,
      '--images',
      images,
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  server.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, server, () => output.slice(-4000));

  process.env.AIMS_E2E_URL = url;
  process.env.AIMS_E2E_DIR = dir;
  process.env.AIMS_E2E_FRAMES = join(dir, 'frames.json');

  return async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.kill('SIGKILL');
          resolve();
        }, 10_000);
        server.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
