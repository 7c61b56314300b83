import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { FrameJob, FrameOutcome } from './frame.job.js';

export interface FramePool {
  readonly threads: number;
  run(job: FrameJob): Promise<FrameOutcome>;
  close(): Promise<void>;
}

/**
 * One thread per core but one, so the main thread keeps a core for the catalog and the API. A
 * one-shot ingest that measures pixels (`whole`) takes every core: its main thread serves nothing
 * and writes the catalog in a few milliseconds a frame, against a tenth of a second and more of
 * pixel work per frame in the workers.
 */
export function defaultThreadCount(options: { whole?: boolean } = {}): number {
  return options.whole ? availableParallelism() : Math.max(1, availableParallelism() - 1);
}

/**
 * The compiled worker script. Tests run the TypeScript sources, where no .js file sits beside this
 * module, so the build output in dist/ is used instead (`npm test` builds first).
 */
function workerFile(): string | undefined {
  const here = fileURLToPath(new URL('./frame.worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = here.replace(/([/\\])src([/\\]ingest[/\\])/, '$1dist$2');
  return existsSync(built) ? built : undefined;
}

/**
 * The worker script is compiled JavaScript, so it must resolve packages to their compiled entries
 * too: a `source` condition inherited from a test runner would send it to TypeScript it cannot load.
 */
export function compiledExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    if ((arg === '--conditions' || arg === '-C') && execArgv[i + 1] === 'source') i++;
    else if (arg !== '--conditions=source') out.push(arg);
  }
  return out;
}

/**
 * Parsing, hashing and measuring run in worker threads; the main thread only writes the catalog.
 * With `threads` 0 (or no compiled worker available) jobs run on the calling thread. Workers start
 * one at a time as work arrives, and stop when idle; with `startAll` every worker starts at once
 * (a one-shot ingest, where their start-up then overlaps the catalog's).
 */
export function createFramePool(threads = defaultThreadCount(), options: { startAll?: boolean } = {}): FramePool {
  const filename = threads > 0 ? workerFile() : undefined;
  if (!filename) {
    // The frame code (FITS, analysis, sharp) is loaded only here: with worker threads the main
    // thread never needs it, and loading it cost a tenth of a second of every `aims ingest`.
    return {
      threads: 0,
      run: async (job) => (await import('./frame.job.js')).processFrame(job),
      close: async () => {},
    };
  }
  const piscina = new Piscina({
    filename,
    minThreads: options.startAll ? threads : 1,
    maxThreads: threads,
    idleTimeout: 30_000,
    execArgv: compiledExecArgv(process.execArgv),
  });
  return {
    threads,
    run: (job) => piscina.run(job) as Promise<FrameOutcome>,
    close: () => piscina.destroy(),
  };
}
