import { parseArgs } from 'node:util';
import { type FixityReport, runFixity } from '../catalog/fixity.js';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../db/connection.js';
import { type Command, EXIT_BAD_INPUT } from './command.js';

const USAGE = 'aims verify [--sample N] [--db URL] [--json]';

/** Exit code when a file changed, is missing or unreadable, or failed its FITS checksum. */
export const EXIT_FIXITY_PROBLEM = 1;

/**
 * `aims verify`: reads every catalogued file again (or N at random) and compares it with the
 * catalog's SHA-256; reports changed, missing and unreadable files and frames whose FITS checksum
 * failed at ingest. Exit 0 when all is well, 1 when something is wrong. With --json, one object:
 * {"files","ok","changed","missing","unreadable","checksum_bad","seconds","problems":[…]}.
 */
export const verifyCommand: Command = {
  summary: 'read the catalogued files again and report changed, missing or unreadable ones',
  usage: USAGE,
  async run(args) {
    let values: { db?: string; json?: boolean; sample?: string };
    try {
      ({ values } = parseArgs({
        args,
        options: { db: { type: 'string' }, json: { type: 'boolean' }, sample: { type: 'string' } },
      }));
    } catch (error) {
      process.stderr.write(`aims verify: ${(error as Error).message}\nusage: ${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    const sample = values.sample === undefined ? undefined : Number(values.sample);
    if (sample !== undefined && !(Number.isSafeInteger(sample) && sample > 0)) {
      process.stderr.write(`aims verify: --sample must be a whole number above 0, not '${values.sample}'\n`);
      return EXIT_BAD_INPUT;
    }
    const config = loadConfig(undefined, { databaseUrl: values.db });
    const database = await openDatabase(config.databaseUrl);
    let report: FixityReport;
    try {
      report = await runFixity(database, sample === undefined ? { all: true } : { sample }, { source: 'cli' });
    } finally {
      await database.close();
    }
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : describe(report));
    return report.problems.length > 0 ? EXIT_FIXITY_PROBLEM : 0;
  },
};

function describe(report: FixityReport): string {
  const lines = report.problems.map((p) => `${p.problem.padEnd(12)} ${p.file_path}: ${p.reason}`);
  lines.push(
    `verified ${report.files} files in ${report.seconds} s: ${report.ok} ok, ${report.changed} changed, ` +
      `${report.missing} missing, ${report.unreadable} unreadable; ${report.checksum_bad} with a bad FITS checksum`,
  );
  return `${lines.join('\n')}\n`;
}
