/**
 * Soak: `aims serve` (watcher, periodic rescans, workers, API) runs while a writer keeps adding,
 * renaming, rewriting and deleting FITS files, `aims ingest` runs again and again on the same
 * folder and catalog, and readers keep asking the API. Once the writer stops and the system has
 * settled, the catalog matches the file system exactly (test/support/catalog-truth.ts), no request
 * failed with a 5xx, every `aims ingest` ended well, and the server's memory after garbage
 * collection did not grow beyond a bounded margin.
 *
 * AIMS_SOAK_SECONDS sets how long the writer runs: 40 s in the test suite, several minutes with
 * `npm run soak` (scripts/soak.mjs). One run per catalog dialect.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFits } from '@aims/fits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { countByState } from '../../src/db/ingest-ledger.repository.js';
import { type AimsRun, runAims } from '../support/aims-process.js';
import { catalogDiscrepancies, explainPaths, until } from '../support/catalog-truth.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { REPO_ROOT } from '../support/fixtures.js';
import { generateFrame } from '../support/synthetic-frames.js';
import { createRandom } from '../support/synthetic-psf.js';

const SOAK_SECONDS = Number(process.env.AIMS_SOAK_SECONDS) || 40;
/** How long the system may take to settle after the writer stops (rescans every 3 s, retries every 2 s): what is not right by then stays wrong. */
const SETTLE_MS = 60_000;
/** Memory after GC at the end may exceed the warmed-up level by this much (and 25% of it). */
const HEAP_MARGIN_BYTES = 24 * 1024 * 1024;
const RSS_MARGIN_BYTES = 96 * 1024 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

type Op = 'add' | 'rename' | 'rewrite' | 'delete';

/** A camera and an operator at once: new frames, renamed, rewritten and deleted ones. */
class Writer {
  readonly files: string[] = [];
  readonly ops: Record<Op, number> = { add: 0, rename: 0, rewrite: 0, delete: 0 };
  private serial = 0;
  private readonly random: ReturnType<typeof createRandom>;

  constructor(
    private readonly root: string,
    seed: number,
  ) {
    this.random = createRandom(seed);
  }

  /** A frame nobody wrote before: its own seed, so its own content hash. */
  private frame(): Uint8Array {
    const n = ++this.serial;
    const size = 32 + 8 * (n % 3);
    const pixels = generateFrame({ width: size, height: size, seed: 7_000_000 + n, stars: { count: 6, fwhm: 2.5 } });
    return writeFits([
      {
        bitpix: 16,
        bzero: 32768,
        axes: [size, size],
        data: pixels.data,
        cards: [
          { key: 'DATE-OBS', value: new Date(Date.UTC(2024, 4, 1, 21) + n * 60_000).toISOString().slice(0, 19) },
          { key: 'OBJECT', value: ['M 13', 'NGC 6946', 'AD Leo'][n % 3] ?? 'M 13' },
          { key: 'EXPTIME', value: 30 },
          { key: 'IMAGETYP', value: 'LIGHT' },
          { key: 'FILTER', value: ['L', 'R', 'G'][n % 3] ?? 'L' },
        ],
      },
    ]);
  }

  private pick(): string {
    const i = Math.floor(this.random.uniform() * this.files.length);
    return this.files[i] as string;
  }

  private newPath(): string {
    const night = `night${1 + Math.floor(this.random.uniform() * 3)}`;
    mkdirSync(join(this.root, night), { recursive: true });
    return join(this.root, night, `frame_${String(++this.serial).padStart(6, '0')}.fits`);
  }

  step(): void {
    const r = this.random.uniform();
    const few = this.files.length < 15;
    const many = this.files.length > 60;
    const op: Op = few || (!many && r < 0.45) ? 'add' : r < 0.65 ? 'rename' : r < 0.85 ? 'rewrite' : 'delete';
    this.ops[op]++;
    if (op === 'add') {
      const path = this.newPath();
      writeFileSync(path, this.frame());
      this.files.push(path);
    } else if (op === 'rename') {
      const from = this.pick();
      const to = this.newPath();
      renameSync(from, to);
      this.files.splice(this.files.indexOf(from), 1, to);
    } else if (op === 'rewrite') {
      writeFileSync(this.pick(), this.frame());
    } else {
      const path = this.pick();
      unlinkSync(path);
      this.files.splice(this.files.indexOf(path), 1);
    }
  }
}

for (const dialect of DIALECTS) {
  describe(`soak on ${dialect}`, () => {
    let work: string;
    let test: TestDatabase;
    let server: AimsRun | undefined;
    let database: Database | undefined;

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'aims-soak-'));
      test = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      if (server && server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.done;
      }
      await database?.close();
      await test?.drop();
      rmSync(work, { recursive: true, force: true });
    });

    it(`${SOAK_SECONDS} s of changing files: the catalog ends exact, the memory flat`, {
      timeout: (SOAK_SECONDS + 420) * 1000,
    }, async () => {
      const images = join(work, 'images');
      mkdirSync(images);
      const probe = join(work, 'memory.jsonl');
      const env = {
        AIMS_DATA_DIR: join(work, 'data'),
        AIMS_STABLE_SECONDS: '1',
        AIMS_RESCAN_SECONDS: '3',
        AIMS_RETRY_SECONDS: '2',
        AIMS_WORKERS: '2',
        AIMS_PUBLIC_READ: 'true',
      };
      server = runAims(['serve', '--port', '0', '--db', test.url, '--images', images], {
        ...env,
        NODE_OPTIONS: `--expose-gc --require ${join(REPO_ROOT, 'packages/server/test/support/memory-probe.cjs')}`,
        AIMS_MEMORY_PROBE: probe,
        AIMS_MEMORY_PROBE_MS: '1000',
      });
      await server.printed('AIMS listening on ');
      const url = /AIMS listening on (\S+)/.exec(server.stdout())?.[1] as string;
      database = await openDatabase(test.url);
      const db = database;
      const started = Date.now();
      let running = true;

      // The writer: one change every 100–400 ms.
      const writer = new Writer(images, 20261203);
      const writing = (async () => {
        while (running) {
          writer.step();
          await sleep(100 + Math.floor(Math.random() * 300));
        }
      })();

      // `aims ingest` on the same folder and catalog, again and again.
      const cli: { code: number | null; stderr: string }[] = [];
      const ingesting = (async () => {
        while (running) {
          const run = runAims(['ingest', images, '--db', test.url, '--json'], env);
          const done = await run.done;
          cli.push({ code: done.code, stderr: done.stderr });
          await sleep(2000);
        }
      })();

      // Readers of the API: searches, one image, its preview, the health report.
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      const get = async (path: string) => {
        const response = await fetch(`${url}${path}`);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const body = Buffer.from(await response.arrayBuffer());
        if (response.status >= 500) failures.push(`${path}: ${response.status} ${body.toString()}`);
        return { ok: response.ok, body };
      };
      const reading = Promise.all(
        [0, 1].map(async () => {
          while (running) {
            const page = await get('/api/images?limit=20&sort=-date_obs');
            const items = page.ok ? (JSON.parse(page.body.toString()) as { items: { id: number }[] }).items : [];
            const one = items[Math.floor(Math.random() * items.length)];
            if (one) {
              await get(`/api/images/${one.id}`);
              await get(`/api/images/${one.id}/preview`);
            }
            await get('/api/health');
            await sleep(150);
          }
        }),
      );

      await sleep(SOAK_SECONDS * 1000);
      running = false;
      await Promise.all([writing, ingesting, reading]);
      const stoppedAt = Date.now();

      // Settled: the catalog matches the disk (the watcher, rescans and retries catch up).
      let last: string[] = [];
      await until(
        async () => {
          last = await catalogDiscrepancies(db, [images]);
          return last.length === 0;
        },
        'the catalog matches the file system',
        SETTLE_MS,
      ).catch(() => undefined);
      const settleSeconds = Math.round((Date.now() - stoppedAt) / 1000);
      // Memory after the system settled, a few samples more.
      await sleep(5000);
      const samples = readFileSync(probe, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { t: number; rss: number; heapUsed: number });
      const duration = stoppedAt - started;
      const warm = samples.filter((s) => s.t >= started + duration / 4 && s.t <= started + duration / 2);
      const end = samples.slice(-5);
      const memory = {
        heapWarmMb: median(warm.map((s) => s.heapUsed)) / 2 ** 20,
        heapEndMb: median(end.map((s) => s.heapUsed)) / 2 ** 20,
        rssWarmMb: median(warm.map((s) => s.rss)) / 2 ** 20,
        rssEndMb: median(end.map((s) => s.rss)) / 2 ** 20,
      };
      const states = await countByState(db);
      const images_ = Number(
        (
          await db.db
            .selectFrom('images')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      console.log(
        `soak ${dialect} ${SOAK_SECONDS} s: writer ${JSON.stringify(writer.ops)}, ${writer.files.length} files at the end, ` +
          `${images_} images; aims ingest ×${cli.length}; API ${JSON.stringify(Object.fromEntries(statuses))}; ` +
          `settled in ${settleSeconds} s; ledger ${JSON.stringify(states)}; memory after GC (MB) ${JSON.stringify(
            Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, Math.round(v * 10) / 10])),
          )}`,
      );

      const alive = server.child.exitCode === null;
      server.child.kill('SIGTERM');
      const { stderr } = await server.done;
      if (last.length) {
        console.log(
          [
            ...(await explainPaths(db, last)),
            ...stderr
              .split('\n')
              .filter((l) => /"level":(40|50|60)/.test(l))
              .slice(-30),
          ].join('\n'),
        );
      }
      expect(last).toEqual([]);
      expect(alive).toBe(true);
      expect(failures).toEqual([]);
      expect(cli.filter((c) => c.code !== 0)).toEqual([]);
      expect(warm.length).toBeGreaterThan(0);
      expect(memory.heapEndMb * 2 ** 20).toBeLessThanOrEqual(memory.heapWarmMb * 2 ** 20 * 1.25 + HEAP_MARGIN_BYTES);
      expect(memory.rssEndMb * 2 ** 20).toBeLessThanOrEqual(memory.rssWarmMb * 2 ** 20 * 1.25 + RSS_MARGIN_BYTES);
    });
  });
}
