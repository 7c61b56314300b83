/**
 * Fixity: which files to read again, what the check found, and the runs.
 *
 *   leastRecentlyVerified(db, limit)     the images checked longest ago (then their copies)
 *   imagesAfter(db, afterId, limit)      every image, by id (a whole pass)
 *   sampleImages(db, n)                  n images picked at random, spread over the ids
 *   countImages(db) / countOverdue(db, beforeMs)
 *   recordCheck(db, target, result, nowMs)  what one file's check found
 *   recordRun(db, run) / lastRun(db)
 *   problemCounts(db)                    files whose last check or checksum is not ok (health)
 *   listProblems(db, limit)              those files, worst first (admin list)
 */
import type { ChecksumStatus, FixityStatus } from '../domain/image-fields.js';
import type { Db } from './connection.js';
import type { FixityRunRow } from './schema.js';

/** One file to check: an image's primary path (pathId null) or one of its copies. */
export interface FixityTarget {
  imageId: number;
  pathId: number | null;
  root: string;
  relPath: string;
  sha256: string;
  sizeBytes: number;
  mtimeMs: number;
  checksumStatus: ChecksumStatus | null;
}

export interface FixityResult {
  status: FixityStatus;
  reason: string | null;
}

const IMAGE_COLUMNS = ['id', 'root', 'rel_path', 'sha256', 'size_bytes', 'mtime_ms', 'checksum_status'] as const;

type ImageTargetRow = {
  id: number;
  root: string;
  rel_path: string;
  sha256: string;
  size_bytes: number;
  mtime_ms: number;
  checksum_status: string | null;
};

/** The primary files of these images, then their copies (exact duplicates at other paths). */
async function withCopies(db: Db, rows: ImageTargetRow[]): Promise<FixityTarget[]> {
  const targets: FixityTarget[] = rows.map((r) => ({
    imageId: Number(r.id),
    pathId: null,
    root: r.root,
    relPath: r.rel_path,
    sha256: r.sha256,
    sizeBytes: Number(r.size_bytes),
    mtimeMs: Number(r.mtime_ms),
    checksumStatus: r.checksum_status as ChecksumStatus | null,
  }));
  if (rows.length === 0) return targets;
  const byId = new Map(targets.map((t) => [t.imageId, t]));
  const copies = await db.db
    .selectFrom('image_paths')
    .select(['id', 'image_id', 'root', 'rel_path'])
    .where('kind', '=', 'copy')
    .where(
      'image_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  for (const c of copies) {
    const image = byId.get(Number(c.image_id));
    if (image) targets.push({ ...image, pathId: Number(c.id), root: c.root, relPath: c.rel_path });
  }
  return targets;
}

export async function leastRecentlyVerified(db: Db, limit: number): Promise<FixityTarget[]> {
  const rows = await db.db
    .selectFrom('images')
    .select(IMAGE_COLUMNS)
    .orderBy('verified_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return withCopies(db, rows);
}

export async function imagesAfter(db: Db, afterId: number, limit: number): Promise<FixityTarget[]> {
  const rows = await db.db
    .selectFrom('images')
    .select(IMAGE_COLUMNS)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return withCopies(db, rows);
}

/**
 * `n` images at random: each draw takes the first image at or after a random id, so that no
 * engine-specific random() ordering is needed; gaps in the ids make a draw a little uneven.
 */
export async function sampleImages(db: Db, n: number, random: () => number = Math.random): Promise<FixityTarget[]> {
  const bounds = await db.db
    .selectFrom('images')
    .select((eb) => [eb.fn.min('id').as('low'), eb.fn.max('id').as('high')])
    .executeTakeFirst();
  if (!bounds || bounds.low === null || bounds.high === null) return [];
  const [low, high] = [Number(bounds.low), Number(bounds.high)];
  const picked = new Map<number, ImageTargetRow>();
  const total = await countImages(db);
  for (let draw = 0; picked.size < Math.min(n, total) && draw < n * 20; draw++) {
    const from = low + Math.floor(random() * (high - low + 1));
    const row = await db.db
      .selectFrom('images')
      .select(IMAGE_COLUMNS)
      .where('id', '>=', from)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (row) picked.set(Number(row.id), row);
  }
  return withCopies(
    db,
    [...picked.values()].sort((a, b) => Number(a.id) - Number(b.id)),
  );
}

export async function countImages(db: Db): Promise<number> {
  const row = await db.db
    .selectFrom('images')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Images not checked since `beforeMs` (the background check is behind when there are many). */
export async function countOverdue(db: Db, beforeMs: number): Promise<number> {
  const row = await db.db
    .selectFrom('images')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => eb.or([eb('verified_at', '<', beforeMs), eb('verified_at', 'is', null)]))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function recordCheck(db: Db, target: FixityTarget, result: FixityResult, nowMs: number): Promise<void> {
  const values = { verified_at: nowMs, fixity_status: result.status, fixity_reason: result.reason };
  if (target.pathId === null) await db.db.updateTable('images').set(values).where('id', '=', target.imageId).execute();
  else await db.db.updateTable('image_paths').set(values).where('id', '=', target.pathId).execute();
}

export interface FixityRun {
  source: 'server' | 'cli';
  started_at: number;
  finished_at: number;
  files: number;
  ok: number;
  changed: number;
  missing: number;
  unreadable: number;
  checksum_bad: number;
}

export async function recordRun(db: Db, run: FixityRun): Promise<void> {
  await db.db.insertInto('fixity_runs').values(run).execute();
}

function mapRun(row: FixityRunRow): FixityRun {
  return {
    source: row.source as FixityRun['source'],
    started_at: Number(row.started_at),
    finished_at: Number(row.finished_at),
    files: Number(row.files),
    ok: Number(row.ok),
    changed: Number(row.changed),
    missing: Number(row.missing),
    unreadable: Number(row.unreadable),
    checksum_bad: Number(row.checksum_bad),
  };
}

export async function lastRun(db: Db): Promise<FixityRun | null> {
  const row = await db.db.selectFrom('fixity_runs').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? mapRun(row) : null;
}

const PROBLEM_STATUSES: FixityStatus[] = ['changed', 'missing', 'unreadable'];

export interface ProblemCounts {
  changed: number;
  missing: number;
  unreadable: number;
  checksum_bad: number;
}

/** Counts over the status indexes: only the rows with a problem are read. */
export async function problemCounts(db: Db): Promise<ProblemCounts> {
  const counts: ProblemCounts = { changed: 0, missing: 0, unreadable: 0, checksum_bad: 0 };
  for (const table of ['images', 'image_paths'] as const) {
    const rows = await db.db
      .selectFrom(table)
      .select((eb) => ['fixity_status', eb.fn.countAll().as('n')])
      .where('fixity_status', 'in', PROBLEM_STATUSES)
      .groupBy('fixity_status')
      .execute();
    for (const r of rows) counts[r.fixity_status as keyof ProblemCounts] += Number(r.n);
  }
  const bad = await db.db
    .selectFrom('images')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('checksum_status', '=', 'bad')
    .executeTakeFirst();
  counts.checksum_bad = Number(bad?.n ?? 0);
  return counts;
}

export type FixityProblemKind = FixityStatus | 'checksum_bad';

export interface FixityProblemRow {
  imageId: number;
  root: string;
  relPath: string;
  /** 'primary' or 'copy'. */
  path: 'primary' | 'copy';
  problem: FixityProblemKind;
  reason: string | null;
  verifiedAt: number | null;
}

/** Files whose last check found a problem, and images whose FITS checksum is bad; at most `limit` of each kind. */
export async function listProblems(db: Db, limit: number): Promise<FixityProblemRow[]> {
  const primary = await db.db
    .selectFrom('images')
    .select(['id', 'root', 'rel_path', 'fixity_status', 'fixity_reason', 'verified_at'])
    .where('fixity_status', 'in', PROBLEM_STATUSES)
    .orderBy('verified_at', 'desc')
    .limit(limit)
    .execute();
  const copies = await db.db
    .selectFrom('image_paths')
    .select(['image_id', 'root', 'rel_path', 'fixity_status', 'fixity_reason', 'verified_at'])
    .where('fixity_status', 'in', PROBLEM_STATUSES)
    .orderBy('verified_at', 'desc')
    .limit(limit)
    .execute();
  const checksums = await db.db
    .selectFrom('images')
    .select(['id', 'root', 'rel_path', 'checksum_hdus', 'verified_at'])
    .where('checksum_status', '=', 'bad')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return [
    ...primary.map((r) => ({
      imageId: Number(r.id),
      root: r.root,
      relPath: r.rel_path,
      path: 'primary' as const,
      problem: r.fixity_status as FixityStatus,
      reason: r.fixity_reason,
      verifiedAt: r.verified_at === null ? null : Number(r.verified_at),
    })),
    ...copies.map((r) => ({
      imageId: Number(r.image_id),
      root: r.root,
      relPath: r.rel_path,
      path: 'copy' as const,
      problem: r.fixity_status as FixityStatus,
      reason: r.fixity_reason,
      verifiedAt: r.verified_at === null ? null : Number(r.verified_at),
    })),
    ...checksums.map((r) => ({
      imageId: Number(r.id),
      root: r.root,
      relPath: r.rel_path,
      path: 'primary' as const,
      problem: 'checksum_bad' as const,
      reason: checksumReason(db, r.checksum_hdus),
      verifiedAt: r.verified_at === null ? null : Number(r.verified_at),
    })),
  ];
}

function checksumReason(db: Db, hdus: unknown): string {
  const list = db.dialect.fromDbJson<Array<{ reason?: string }>>(hdus) ?? [];
  const reasons = list.map((h) => h.reason).filter((r): r is string => typeof r === 'string');
  return reasons.length > 0 ? reasons.join('; ') : 'a FITS checksum does not verify';
}
