import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CatalogCopyError, copyCatalog, rowsToVerify, sourceName, verifyCatalogCopy } from '../db/catalog-copy.js';
import { type Database, DatabaseError, openDatabase } from '../db/connection.js';
import { type Command, EXIT_BAD_INPUT } from './command.js';
import { formatSeconds, Progress } from './progress.js';

const USAGE = `aims migrate-catalog --from URL --to URL [--batch-size ROWS] [--json]

Copies a whole catalog (accounts, images, headers, paths, ledger, audit log, tokens, sessions, every
table) to another engine, keeping ids, then verifies counts and checksums of every table. The target
must be empty, or a copy from the same source that stopped: running again continues it. Stop every
aims that writes to the source first.
  --from URL         sqlite:PATH, postgres://… or mysql://…
  --to URL           the same forms; created and migrated when it is new
  --batch-size ROWS  rows per batch and transaction (default 1000)
  --json             one JSON object at the end: {"tables":[{table,rows,checksum}],"resumed","seconds"}`;

/** Exit code when the copy and the source differ. */
const EXIT_MISMATCH = 3;

export const migrateCatalogCommand: Command = {
  summary: 'copy the catalog to another database engine (SQLite → PostgreSQL, …), resumable',
  usage: USAGE,
  async run(args) {
    let values: { from?: string; to?: string; 'batch-size'?: string; json?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        options: {
          from: { type: 'string' },
          to: { type: 'string' },
          'batch-size': { type: 'string' },
          json: { type: 'boolean' },
        },
      }));
    } catch (error) {
      process.stderr.write(`aims migrate-catalog: ${(error as Error).message}\nusage: ${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    const { from, to } = values;
    if (!from || !to) {
      process.stderr.write(`aims migrate-catalog: --from and --to are required\nusage: ${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    const batchRows = Number(values['batch-size'] ?? 1000);
    if (!Number.isInteger(batchRows) || batchRows < 1 || batchRows > 100_000) {
      process.stderr.write(`aims migrate-catalog: --batch-size must be a whole number from 1 to 100000\n`);
      return EXIT_BAD_INPUT;
    }
    // Opening a SQLite URL creates the file: a mistyped source must not become an empty catalog.
    if (from.startsWith('sqlite:') && !existsSync(sourceName(from).slice('sqlite:'.length))) {
      process.stderr.write(`aims migrate-catalog: the source ${from} does not exist\n`);
      return EXIT_BAD_INPUT;
    }
    const started = Date.now();
    const opened: Database[] = [];
    try {
      const source = await openDatabase(from);
      opened.push(source);
      const target = await openDatabase(to);
      opened.push(target);
      const tty = !values.json && process.stderr.isTTY;
      const say = (line: string) => {
        if (!values.json) process.stdout.write(`${line}\n`);
      };
      let bar: Progress | undefined;
      let resumed = false;
      await copyCatalog(source, target, {
        batchRows,
        onStart(rowsLeft, wasStarted) {
          resumed = wasStarted;
          say(
            `${wasStarted ? 'resuming the copy of' : 'copying'} ${sourceName(from)} → ${sourceName(to)}: ${rowsLeft} rows`,
          );
          if (tty) {
            bar = new Progress(process.stderr, 'rows');
            bar.start(rowsLeft);
          }
        },
        onBatch: (_, rows) => bar?.add(rows),
        onTable(table, rows) {
          if (!tty) say(`copied ${table}: ${rows} rows`);
        },
      });
      bar?.stop();
      say('verifying counts and checksums');
      let verifyBar: Progress | undefined;
      if (tty) {
        verifyBar = new Progress(process.stderr, 'rows');
        verifyBar.start(await rowsToVerify(source, target));
      }
      const checks = await verifyCatalogCopy(source, target, (rows) => verifyBar?.add(rows));
      verifyBar?.stop();
      const seconds = (Date.now() - started) / 1000;
      if (values.json) {
        const tables = checks.map((c) => ({ table: c.table, rows: c.targetRows, checksum: c.targetChecksum }));
        process.stdout.write(`${JSON.stringify({ tables, resumed, seconds })}\n`);
      } else {
        for (const c of checks)
          say(`  ${c.table.padEnd(16)} ${String(c.targetRows).padStart(9)} rows  ${c.targetChecksum}`);
        say(`verified: the copy matches the source (${formatSeconds(Math.round(seconds))})`);
      }
      return 0;
    } catch (error) {
      if (error instanceof CatalogCopyError) {
        process.stderr.write(`\naims migrate-catalog: ${error.message}\n`);
        return error.code === 'COPY_VERIFY_FAILED' ? EXIT_MISMATCH : EXIT_BAD_INPUT;
      }
      if (error instanceof DatabaseError) {
        process.stderr.write(`aims migrate-catalog: ${error.message}\n`);
        return EXIT_BAD_INPUT;
      }
      throw error;
    } finally {
      for (const database of opened) await database.close();
    }
  },
};
