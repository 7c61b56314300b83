import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { startWorker } from '../main.js';
import { type Command, EXIT_BAD_INPUT } from './command.js';

const USAGE = 'aims worker [--db URL] [--images DIR]… [--workers N] [--exclude GLOB]…';

export const workerCommand: Command = {
  summary: 'watch and ingest without the HTTP server (more workers on a shared PostgreSQL catalog)',
  usage: USAGE,
  async run(args) {
    let values: ReturnType<typeof parse>['values'];
    try {
      ({ values } = parse(args));
    } catch (error) {
      process.stderr.write(`aims worker: ${(error as Error).message}\nusage: ${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    const threads = values.workers === undefined ? undefined : Number(values.workers);
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0 && threads <= 256)) {
      process.stderr.write(`aims worker: --workers must be a whole number from 0 to 256, got '${values.workers}'\n`);
      return EXIT_BAD_INPUT;
    }
    const config = loadConfig(undefined, { databaseUrl: values.db, imageDirs: values.images, exclude: values.exclude });
    const worker = await startWorker(config, threads === undefined ? {} : { threads });
    await worker.closed;
    return 0;
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      db: { type: 'string' },
      images: { type: 'string', multiple: true },
      workers: { type: 'string' },
      exclude: { type: 'string', multiple: true },
    },
  });
}
