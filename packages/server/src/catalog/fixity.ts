/**
 * Fixity: the archive notices when a file changes or rots. Each catalogued file (primary path and
 * copies) is read again and its SHA-256 compared with the catalog's; the result is kept per path
 * (verified_at, fixity_status, fixity_reason) and each run leaves one row in `fixity_runs` and
 * entries in the audit log (one for the run, one per problem). `aims verify` runs it once; `aims
 * serve` runs it in slices (FixitySchedule) so that every file is read within AIMS_FIXITY_DAYS.
 * Files whose FITS checksum was found bad at ingest count among the problems of every run.
 */
import { constants, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { recordAudit } from '../db/audit.repository.js';
import type { Db } from '../db/connection.js';
import {
  countImages,
  countOverdue,
  type FixityResult,
  type FixityRun,
  type FixityTarget,
  imagesAfter,
  lastRun,
  leastRecentlyVerified,
  listProblems,
  type ProblemCounts,
  problemCounts,
  recordCheck,
  recordRun,
  sampleImages,
} from '../db/fixity.repository.js';
import type { FixityStatus } from '../domain/image-fields.js';
import { sha256File } from '../util/content-hash.js';
import type { CatalogLog } from './log.js';

export type FixityProblemKind = Exclude<FixityStatus, 'ok'> | 'checksum_bad';

export interface FixityProblem {
  image_id: number;
  file_path: string;
  /** The image's catalogued path, or a copy of it. */
  path: 'primary' | 'copy';
  problem: FixityProblemKind;
  reason: string;
}

export interface FixityReport {
  files: number;
  ok: number;
  changed: number;
  missing: number;
  unreadable: number;
  checksum_bad: number;
  seconds: number;
  problems: FixityProblem[];
}

/** Which files a run reads: all of them, n at random, or the `limit` images checked longest ago. */
export type FixitySelection = { all: true } | { sample: number } | { leastRecent: number };

export interface FixityOptions {
  source: FixityRun['source'];
  log?: CatalogLog;
  /** Called after each file (the CLI's progress). */
  onFile?: (done: number) => void;
  /**
   * Asked before each file: true ends the run early (shutdown). What was read is recorded; a run
   * stopped before its first file records nothing (no run, no audit), so the last run stays the
   * last one that read something.
   */
  shouldStop?: () => boolean;
  now?: () => number;
}

const joinPath = (root: string, rel: string) => `${root.replace(/\/+$/, '')}/${rel}`;

/**
 * Reads one file again and compares it with the catalog. Never throws for anything about the file.
 * A file whose image folder is not there at all is unreadable, not missing: an unmounted share
 * is not a lost archive.
 */
export async function checkFile(target: FixityTarget): Promise<FixityResult> {
  const path = join(target.root, target.relPath);
  let mtimeMs: number;
  try {
    // O_NOFOLLOW: ingest refused links; one put in the file's place since is not followed either.
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const facts = await handle.stat();
      if (!facts.isFile()) return { status: 'unreadable', reason: 'not a regular file' };
      mtimeMs = Math.trunc(facts.mtimeMs);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return existsSync(target.root)
        ? { status: 'missing', reason: 'the file is not at its path' }
        : { status: 'unreadable', reason: `the image folder ${target.root} is not reachable` };
    }
    if (code === 'ELOOP') return { status: 'unreadable', reason: 'a symbolic link is now at its path' };
    return { status: 'unreadable', reason: `cannot open the file (${code ?? String(error)})` };
  }
  let hashed: { sha256: string; sizeBytes: number };
  try {
    hashed = await sha256File(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { status: 'unreadable', reason: `reading the file failed (${code ?? String(error)})` };
  }
  if (hashed.sha256 === target.sha256) return { status: 'ok', reason: null };
  // Within a few milliseconds: tools that restore a time keep different precisions.
  const untouched = hashed.sizeBytes === target.sizeBytes && Math.abs(mtimeMs - target.mtimeMs) <= 2;
  return {
    status: 'changed',
    reason: untouched
      ? `SHA-256 is ${hashed.sha256}, not ${target.sha256}, while size and modification time are as catalogued: the bytes changed in place (bit rot, or a tool that keeps the time)`
      : `SHA-256 is ${hashed.sha256}, not ${target.sha256}; the file was rewritten (${hashed.sizeBytes} bytes, modified ${new Date(mtimeMs).toISOString()}) and not catalogued again yet`,
  };
}

async function* selected(db: Db, selection: FixitySelection): AsyncGenerator<FixityTarget[]> {
  if ('sample' in selection) {
    yield await sampleImages(db, selection.sample);
    return;
  }
  if ('leastRecent' in selection) {
    yield await leastRecentlyVerified(db, selection.leastRecent);
    return;
  }
  for (let afterId = 0; ; ) {
    const page = await imagesAfter(db, afterId, 200);
    if (page.length === 0) return;
    yield page;
    afterId = Math.max(...page.map((t) => t.imageId));
  }
}

/** Reads the selected files again, records what each check found, and reports. */
export async function runFixity(db: Db, selection: FixitySelection, options: FixityOptions): Promise<FixityReport> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const report: FixityReport = {
    files: 0,
    ok: 0,
    changed: 0,
    missing: 0,
    unreadable: 0,
    checksum_bad: 0,
    seconds: 0,
    problems: [],
  };
  let stopped = false;
  for await (const targets of selected(db, selection)) {
    stopped = options.shouldStop?.() ?? false;
    if (stopped) break;
    for (const target of targets) {
      stopped = options.shouldStop?.() ?? false;
      if (stopped) break;
      const result = await checkFile(target);
      await recordCheck(db, target, result, now());
      report.files++;
      report[result.status]++;
      const filePath = joinPath(target.root, target.relPath);
      const path = target.pathId === null ? 'primary' : 'copy';
      if (result.status !== 'ok') {
        report.problems.push({
          image_id: target.imageId,
          file_path: filePath,
          path,
          problem: result.status,
          reason: result.reason ?? result.status,
        });
      } else if (target.checksumStatus === 'bad' && target.pathId === null) {
        // Same bytes as at ingest, and those already failed their FITS checksum.
        report.checksum_bad++;
        report.problems.push({
          image_id: target.imageId,
          file_path: filePath,
          path,
          problem: 'checksum_bad',
          reason: 'the FITS CHECKSUM/DATASUM did not verify at ingest (GET /api/images/{id}: checksums)',
        });
      }
      options.onFile?.(report.files);
    }
  }
  const finishedAt = now();
  report.seconds = Math.round((finishedAt - startedAt) / 10) / 100;
  if (stopped && report.files === 0) return report;
  const counts = {
    files: report.files,
    ok: report.ok,
    changed: report.changed,
    missing: report.missing,
    unreadable: report.unreadable,
    checksum_bad: report.checksum_bad,
  };
  await recordRun(db, { source: options.source, started_at: startedAt, finished_at: finishedAt, ...counts });
  await recordAudit(db, {
    actorId: null,
    actorEmail: null,
    action: 'fixity.run',
    target: options.source,
    details: { ...counts, seconds: report.seconds },
  });
  for (const p of report.problems) {
    await recordAudit(db, {
      actorId: null,
      actorEmail: null,
      action: 'fixity.problem',
      target: p.file_path,
      details: { image_id: p.image_id, path: p.path, problem: p.problem, reason: p.reason },
    });
    options.log?.warn(
      { path: p.file_path, image_id: p.image_id, problem: p.problem, reason: p.reason },
      'fixity problem',
    );
  }
  return report;
}

/** How often `aims serve` checks a slice: an hour keeps each slice small and the load even. */
export const FIXITY_TICK_MS = 60 * 60 * 1000;

/**
 * How many images one tick checks so that every image is checked within `days`: the catalog
 * spread evenly over the ticks of the period, plus as many again while some are overdue (after
 * the server was down, or once the catalog grew), so the check catches up within a period.
 */
export function fixitySliceSize(total: number, overdue: number, days: number, tickMs = FIXITY_TICK_MS): number {
  if (total === 0 || days <= 0) return 0;
  const even = Math.ceil((total * tickMs) / (days * 86_400_000));
  return even + Math.min(overdue, even);
}

/** One tick of the background check: the least recently verified slice. */
export async function runFixityTick(
  db: Db,
  days: number,
  options: Omit<FixityOptions, 'source'> & { tickMs?: number } = {},
): Promise<FixityReport | null> {
  const now = options.now ?? Date.now;
  const total = await countImages(db);
  const overdue = await countOverdue(db, now() - days * 86_400_000);
  const size = fixitySliceSize(total, overdue, days, options.tickMs);
  if (size === 0) return null;
  return runFixity(db, { leastRecent: size }, { ...options, source: 'server' });
}

export interface FixityScheduleOptions {
  /** AIMS_FIXITY_DAYS: every file is read within this many days. */
  days: number;
  log?: CatalogLog & { info(fields: object, message: string): void };
  tickMs?: number;
  /** The first tick, after start-up has settled (default one minute). */
  firstTickMs?: number;
}

/**
 * The background check of `aims serve`: a tick every FIXITY_TICK_MS reads the least recently
 * verified slice (fixitySliceSize). Ticks never overlap; stop() waits for the file being read.
 */
export class FixitySchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly options: FixityScheduleOptions,
  ) {}

  start(): void {
    this.schedule(this.options.firstTickMs ?? 60_000);
  }

  /** One tick now (also what the timer runs); resolves to its report, or null when nothing was due. */
  async tick(): Promise<FixityReport | null> {
    const report = await runFixityTick(this.db, this.options.days, {
      ...(this.options.log ? { log: this.options.log } : {}),
      ...(this.options.tickMs ? { tickMs: this.options.tickMs } : {}),
      shouldStop: () => this.stopped,
    });
    if (report && report.files > 0) {
      const { problems, ...counts } = report;
      this.options.log?.info({ ...counts, problems: problems.length }, 'fixity check');
    }
    return report;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => this.options.log?.warn({ err: String(error) }, 'fixity check failed'))
        .finally(() => this.schedule(this.options.tickMs ?? FIXITY_TICK_MS));
    }, delayMs);
    this.timer.unref();
  }
}

export interface FixitySummary {
  every_days: number;
  last_run: {
    source: string;
    finished_at: string;
    files: number;
    ok: number;
    changed: number;
    missing: number;
    unreadable: number;
    checksum_bad: number;
  } | null;
  problems: ProblemCounts;
}

/** The last run and the files with a problem now, by kind (the health report and the admin panel). */
export async function fixitySummary(db: Db, everyDays: number): Promise<FixitySummary> {
  const last = await lastRun(db);
  return {
    every_days: everyDays,
    last_run: last && {
      source: last.source,
      finished_at: new Date(last.finished_at).toISOString(),
      files: last.files,
      ok: last.ok,
      changed: last.changed,
      missing: last.missing,
      unreadable: last.unreadable,
      checksum_bad: last.checksum_bad,
    },
    problems: await problemCounts(db),
  };
}

/** Whether the archive lost or changed something: what makes the health report `degraded`. */
export function fixityDegraded(summary: FixitySummary): boolean {
  const p = summary.problems;
  return p.changed + p.missing + p.unreadable > 0;
}

/** The files with a problem now (at most `limit` of each kind), for the admin panel. */
export async function fixityProblems(
  db: Db,
  limit: number,
): Promise<Array<FixityProblem & { verified_at: string | null }>> {
  const rows = await listProblems(db, limit);
  return rows.map((r) => ({
    image_id: r.imageId,
    file_path: joinPath(r.root, r.relPath),
    path: r.path,
    problem: r.problem as FixityProblemKind,
    reason: r.reason ?? r.problem,
    verified_at: r.verifiedAt === null ? null : new Date(r.verifiedAt).toISOString(),
  }));
}
