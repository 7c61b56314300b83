/**
 * The `aims` command as a child process, for tests of the CLI and of several processes on one
 * catalog. It runs the built binary (packages/server/bin/aims.js → dist), with files read at once
 * (AIMS_STABLE_SECONDS=0) and warnings only unless `env` says otherwise.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './fixtures.js';

export const AIMS_BIN = join(REPO_ROOT, 'packages/server/bin/aims.js');

export interface AimsRun {
  child: ChildProcess;
  stdout: () => string;
  /** Resolves once stdout contains `text`; rejects when the process exits first or time runs out. */
  printed(text: string, timeoutMs?: number): Promise<void>;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export function runAims(args: string[], env: Record<string, string> = {}): AimsRun {
  const child = spawn(process.execPath, [AIMS_BIN, ...args], {
    env: { ...process.env, AIMS_STABLE_SECONDS: '0', AIMS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  const printed = async (text: string, timeoutMs = 60_000) => {
    const start = Date.now();
    while (!stdout.includes(text)) {
      if (child.exitCode !== null) throw new Error(`aims ${args[0]} exited early: ${stderr}`);
      if (Date.now() - start > timeoutMs) throw new Error(`aims ${args[0]} did not print '${text}'`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, stdout: () => stdout, printed, done };
}
