import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { createFramePool, defaultThreadCount } from '../ingest/worker-pool.js';
import { type Command, EXIT_BAD_INPUT } from './command.js';

const USAGE = 'aims ingest PATH… [--db URL] [--json] [--skip-analysis] [--workers N] [--exclude GLOB]… [--no-library]';

export const ingestCommand: Command = {
  summary: 'ingest files or folders once, with a progress bar (--json: a summary object)',
  usage: USAGE,
  async run(args) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (error) {
      process.stderr.write(`aims ingest: ${(error as Error).message}\nusage: ${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    const { values, positionals } = parsed;
    if (!positionals.length) {
      process.stderr.write(`aims ingest: no PATH given\nusage: ${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    const threads =
      values.workers === undefined ? defaultThreadCount({ whole: !values['skip-analysis'] }) : Number(values.workers);
    if (!Number.isInteger(threads) || threads < 0 || threads > 256) {
      process.stderr.write(`aims ingest: --workers must be a whole number from 0 to 256, got '${values.workers}'\n`);
      return EXIT_BAD_INPUT;
    }
    const config = loadConfig(undefined, { databaseUrl: values.db, exclude: values.exclude });
    for (const p of positionals) {
      try {
        await stat(p);
      } catch {
        process.stderr.write(`aims ingest: ${p}: no such file or folder\n`);
        return EXIT_BAD_INPUT;
      }
    }

    const started = performance.now();
    // The threads are asked for before the rest of the command is loaded: they load the frame code
    // while this thread loads the catalog's modules, opens it and scans the folders.
    const pool = createFramePool(threads, {
      startAll: true,
      preloadAnalysis: !values['skip-analysis'],
      skipAnalysis: values['skip-analysis'] ?? false,
      fileTimeBudgetMs: config.fileTimeBudgetSeconds * 1000,
    });
    let runIngest: typeof import('./ingest-run.js').runIngest;
    try {
      ({ runIngest } = await import('./ingest-run.js'));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return runIngest({ pool, config, positionals, values, started });
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean' },
      'skip-analysis': { type: 'boolean' },
      workers: { type: 'string' },
      exclude: { type: 'string', multiple: true },
      'no-library': { type: 'boolean' },
    },
  });
}
