import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.js';
import { BackupError, backupSqlite } from '../db/backup.js';
import { type Command, EXIT_BAD_INPUT } from './command.js';

const USAGE = 'aims backup FILE [--db URL]';

export const backupCommand: Command = {
  summary: 'copy the SQLite catalog to FILE while AIMS runs (PostgreSQL: use pg_dump)',
  usage: USAGE,
  async run(args) {
    let values: { db?: string };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' } } }));
    } catch (error) {
      process.stderr.write(`aims backup: ${(error as Error).message}\nusage: ${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    const [file, ...extra] = positionals;
    if (!file || extra.length) {
      process.stderr.write(`aims backup: expected one FILE\nusage: ${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    const config = loadConfig(undefined, { databaseUrl: values.db });
    try {
      const result = await backupSqlite(config.databaseUrl, file);
      process.stdout.write(`backed up ${result.pages} pages (${result.bytes} bytes) to ${result.file}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof BackupError)) throw error;
      process.stderr.write(`aims backup: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
  },
};
