/**
 * Images in the catalog. Every write is one transaction together with its ledger row (when given).
 *
 *   insertImage(db, image: NewImage, { ledgerId?, nowMs? }?): Promise<WriteImageResult>
 *       { status: 'inserted', id } — or { status: 'duplicate', id: existing } when an image with the
 *       same sha256 exists: nothing is written and the caller links the path with linkCopy.
 *       Throws CatalogWriteError IMAGE_PATH_TAKEN if another image already has root+rel_path
 *       (use updateImage for new content at a known path).
 *   updateImage(db, id, image: NewImage, { ledgerId?, nowMs? }?): Promise<WriteImageResult>
 *       New content (or new analysis) for an image: every column is replaced, the previous
 *       sha256/size/mtime is appended to previous_versions when the content changed, keywords are
 *       rebuilt. { status: 'duplicate', id: other } if the new content is another image's.
 *   linkCopy(db, imageId, root, relPath, { ledgerId?, nowMs? }?): Promise<void>
 *       Records an exact copy; the ledger row becomes 'duplicate' with the image id.
 *   findImageIdBySha256(db, sha256): Promise<number | null>
 *   findImageByPath(db, root, relPath): Promise<ImageAtPath | null>   primary path first, then copies
 *   getImage(db, id): Promise<CatalogImageDetail | null>                 with headers and paths
 *   getImages(db, ids): Promise<CatalogImage[]>                          in the order of ids
 *   markMissing(db, root, relPath, nowMs?): Promise<number>              image and copy rows; not deleted
 *   markPresent(db, root, relPath): Promise<number>
 *   movePath(db, id, root, relPath, { nowMs? }?): Promise<void>          rename: old path kept as 'previous'
 *   updateQuality(db, id, quality, score, nowMs?): Promise<boolean>     re-analysis / re-scoring
 */
import { sql } from 'kysely';
import { type EncodedHeaders, encodedHeaders, KEYWORD_STRIDE, type KeywordValues } from '../domain/header-encoding.js';
import type { QualityMetrics, QualityScore, StoredHdu } from '../domain/image.js';
import { recordSummaryChange, SUMMARY_COLUMNS, type SummaryFrame } from './catalog-summary.js';
import { type Db, inTransaction } from './connection.js';
import {
  type CatalogImage,
  type CatalogImageDetail,
  IMAGE_ITEM_COLUMNS,
  mapImage,
  mapImageDetail,
  type NewImage,
  type PreviousVersion,
  toImageHeadersRow,
  toImageRow,
} from './image.mapper.js';
import { completeEntry } from './ingest-ledger.repository.js';
import { type PreparedQuery, preparedQuery } from './prepared.js';
import type { DbJson, ImageKeywordsTable, NewImageRow } from './schema.js';

export type WriteImageResult = { status: 'inserted' | 'updated' | 'duplicate'; id: number };

/** The summary columns of a row about to be written. */
function summaryFrame(row: SummaryFrame): SummaryFrame {
  return Object.fromEntries(SUMMARY_COLUMNS.map((c) => [c, row[c] ?? null])) as SummaryFrame;
}

export interface ImageAtPath {
  id: number;
  sha256: string;
  size_bytes: number;
  mtime_ms: number;
  inode: number | null;
  /** 'primary': the image's own path; 'copy': an exact copy recorded against it. */
  kind: 'primary' | 'copy';
  missing: boolean;
}

export class CatalogWriteError extends Error {
  override readonly name = 'CatalogWriteError';
  constructor(
    readonly code: 'IMAGE_PATH_TAKEN' | 'IMAGE_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

interface WriteOptions {
  /** The ledger row to mark ingested/duplicate in the same transaction. */
  ledgerId?: number;
  nowMs?: number;
}

// 5 parameters a row.
const KEYWORD_BATCH_ROWS = 2000;

/** The searchable cards of every HDU as `image_keywords` rows (domain/header-encoding.ts says which). */
export function keywordRows(imageId: number, headers: StoredHdu[] | EncodedHeaders): ImageKeywordsTable[] {
  const values = encodedHeaders(headers).keywords;
  const rows: ImageKeywordsTable[] = [];
  for (let i = 0; i < values.length; i += KEYWORD_STRIDE)
    rows.push({
      image_id: imageId,
      hdu_index: values[i] as number,
      key: values[i + 1] as string,
      num_value: values[i + 2] as number | null,
      str_value: values[i + 3] as string | null,
    });
  return rows;
}

const insertKeyword = preparedQuery(
  5,
  (db: Db, image_id: number, hdu_index: number, key: string, num_value: number | null, str_value: string | null) =>
    db.db.insertInto('image_keywords').values({ image_id, hdu_index, key, num_value, str_value }),
);

async function writeKeywords(db: Db, imageId: number, values: KeywordValues): Promise<void> {
  // Synchronous statements on SQLite: one prepared single-row insert, run per row, costs less
  // than one multi-row statement (whose many parameters SQLite binds and walks as a coroutine).
  const insert = insertKeyword.runner(db);
  if (insert) {
    for (let i = 0; i < values.length; i += KEYWORD_STRIDE)
      insert(
        imageId,
        values[i] as number,
        values[i + 1] as string,
        values[i + 2] as number | null,
        values[i + 3] as string | null,
      );
    return;
  }
  if (db.statements) {
    const argLists: [number, number, string, number | null, string | null][] = [];
    for (let i = 0; i < values.length; i += KEYWORD_STRIDE)
      argLists.push([
        imageId,
        values[i] as number,
        values[i + 1] as string,
        values[i + 2] as number | null,
        values[i + 3] as string | null,
      ]);
    await insertKeyword.runEach(db, argLists);
    return;
  }
  const rows = keywordRows(imageId, { json: '', keywords: values });
  for (let start = 0; start < rows.length; start += KEYWORD_BATCH_ROWS)
    await db.db
      .insertInto('image_keywords')
      .values(rows.slice(start, start + KEYWORD_BATCH_ROWS))
      .execute();
}

/** Insert-or-ignore of one image row, prepared once per set of columns (the set rarely changes). */
const insertImageRow = new Map<string, PreparedQuery<unknown[], Partial<{ id: number }>>>();
/** The columns of the last image inserted and their statement: nearly always those of the next. */
let lastInsert: { columns: string[]; statement: PreparedQuery<unknown[], Partial<{ id: number }>> } | undefined;

function insertImageStatement(columns: string[]): PreparedQuery<unknown[], Partial<{ id: number }>> {
  // Seventy-odd names compared one by one cost less than joining them into a key for every frame.
  if (lastInsert?.columns.length === columns.length && lastInsert.columns.every((c, i) => c === columns[i]))
    return lastInsert.statement;
  const key = columns.join(',');
  let statement = insertImageRow.get(key);
  if (statement) lastInsert = { columns, statement };
  if (!statement) {
    statement = preparedQuery(columns.length, (db: Db, ...values: unknown[]) =>
      db.db
        .insertInto('images')
        .values(Object.fromEntries(columns.map((c, i) => [c, values[i]])) as NewImageRow)
        .onConflict((oc) => oc.column('sha256').doNothing())
        .$if(db.dialect.insertIdFromReturning, (qb) => qb.returning('id')),
    );
    insertImageRow.set(key, statement);
    lastInsert = { columns, statement };
  }
  return statement;
}

const insertHeadersRow = preparedQuery(3, (db: Db, image_id: number, headers: DbJson, normalization: DbJson) =>
  db.db.insertInto('image_headers').values({ image_id, headers, normalization }),
);

export async function insertImage(db: Db, image: NewImage, options: WriteOptions = {}): Promise<WriteImageResult> {
  const nowMs = options.nowMs ?? Date.now();
  return inTransaction(db, async (tx) => {
    let insertedId: number | undefined;
    const row = toImageRow(image, tx.dialect, nowMs);
    try {
      const values: Record<string, unknown> = row;
      values.ingested_at = nowMs;
      values.previous_versions = null;
      const columns: string[] = [];
      const args: unknown[] = [];
      for (const c in values) {
        const value = values[c];
        if (value === undefined) continue;
        columns.push(c);
        args.push(value);
      }
      insertedId = await insertImageStatement(columns).insertedId(tx, ...args);
    } catch (error) {
      if (tx.dialect.isUniqueViolation(error))
        throw new CatalogWriteError('IMAGE_PATH_TAKEN', `another image is already at ${image.root}/${image.rel_path}`);
      throw error;
    }
    if (insertedId === undefined) {
      const existing = await findImageIdBySha256(tx, image.sha256);
      // MySQL's INSERT IGNORE skips a row that conflicts on any unique key: here, the path.
      if (existing === null)
        throw new CatalogWriteError('IMAGE_PATH_TAKEN', `another image is already at ${image.root}/${image.rel_path}`);
      return { status: 'duplicate', id: existing };
    }
    const encoded = encodedHeaders(image.headers);
    const headers = toImageHeadersRow(insertedId, { ...image, headers: encoded }, tx.dialect);
    await insertHeadersRow.run(tx, headers.image_id, headers.headers, headers.normalization);
    await writeKeywords(tx, insertedId, encoded.keywords);
    await recordSummaryChange(tx, [], [summaryFrame(row as SummaryFrame)]);
    if (options.ledgerId !== undefined)
      await completeEntry(tx, options.ledgerId, { state: 'ingested', imageId: insertedId, nowMs });
    return { status: 'inserted', id: insertedId };
  });
}

export async function updateImage(
  db: Db,
  id: number,
  image: NewImage,
  options: WriteOptions = {},
): Promise<WriteImageResult> {
  const nowMs = options.nowMs ?? Date.now();
  return inTransaction(db, async (tx) => {
    const current = await tx.db
      .selectFrom('images')
      .select(['sha256', 'size_bytes', 'mtime_ms', 'previous_versions', ...SUMMARY_COLUMNS])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) throw new CatalogWriteError('IMAGE_NOT_FOUND', `no image ${id}`);
    const other = await findImageIdBySha256(tx, image.sha256);
    if (other !== null && other !== id) return { status: 'duplicate', id: other };
    const versions = tx.dialect.fromDbJson<PreviousVersion[]>(current.previous_versions) ?? [];
    if (current.sha256 !== image.sha256)
      versions.push({
        sha256: current.sha256,
        size_bytes: current.size_bytes,
        mtime_ms: current.mtime_ms,
        replaced_at: new Date(nowMs).toISOString(),
      });
    const row = toImageRow(image, tx.dialect, nowMs);
    try {
      await tx.db
        .updateTable('images')
        .set({ ...row, previous_versions: tx.dialect.toDbJson(versions) })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      if (tx.dialect.isUniqueViolation(error))
        throw new CatalogWriteError('IMAGE_PATH_TAKEN', `another image is already at ${image.root}/${image.rel_path}`);
      throw error;
    }
    const encoded = encodedHeaders(image.headers);
    const { image_id: _, ...headers } = toImageHeadersRow(id, { ...image, headers: encoded }, tx.dialect);
    await tx.db
      .insertInto('image_headers')
      .values({ image_id: id, ...headers })
      .onConflict((oc) => oc.column('image_id').doUpdateSet(headers))
      .execute();
    await tx.db.deleteFrom('image_keywords').where('image_id', '=', id).execute();
    await writeKeywords(tx, id, encoded.keywords);
    await recordSummaryChange(tx, [summaryFrame(current)], [summaryFrame(row as SummaryFrame)]);
    if (options.ledgerId !== undefined)
      await completeEntry(tx, options.ledgerId, { state: 'ingested', imageId: id, nowMs });
    return { status: 'updated', id };
  });
}

export async function linkCopy(
  db: Db,
  imageId: number,
  root: string,
  relPath: string,
  options: WriteOptions = {},
): Promise<void> {
  const nowMs = options.nowMs ?? Date.now();
  await inTransaction(db, async (tx) => {
    await tx.db
      .insertInto('image_paths')
      .values({ image_id: imageId, root, rel_path: relPath, kind: 'copy', recorded_at: nowMs, missing_since: null })
      .onConflict((oc) =>
        oc.columns(['root', 'rel_path', 'image_id', 'kind']).doUpdateSet({ recorded_at: nowMs, missing_since: null }),
      )
      .execute();
    if (options.ledgerId !== undefined)
      await completeEntry(tx, options.ledgerId, {
        state: 'duplicate',
        imageId,
        reason: `same content as image ${imageId}`,
        nowMs,
      });
  });
}

const selectIdBySha256 = preparedQuery(1, (db: Db, sha256: string) =>
  db.db.selectFrom('images').select('id').where('sha256', '=', sha256),
);

export async function findImageIdBySha256(db: Db, sha256: string): Promise<number | null> {
  const row = await selectIdBySha256.first(db, sha256);
  return row?.id ?? null;
}

const selectImageAtPath = preparedQuery(2, (db: Db, root: string, relPath: string) =>
  db.db
    .selectFrom('images')
    .select(['id', 'sha256', 'size_bytes', 'mtime_ms', 'inode', 'missing_since'])
    .where('root', '=', root)
    .where('rel_path', '=', relPath),
);

const selectCopyAtPath = preparedQuery(2, (db: Db, root: string, relPath: string) =>
  db.db
    .selectFrom('image_paths')
    .innerJoin('images', 'images.id', 'image_paths.image_id')
    .select([
      'images.id',
      'images.sha256',
      'images.size_bytes',
      'images.mtime_ms',
      'images.inode',
      'image_paths.missing_since',
    ])
    .where('image_paths.root', '=', root)
    .where('image_paths.rel_path', '=', relPath)
    .where('image_paths.kind', '=', 'copy')
    .orderBy('image_paths.id')
    // A literal: SQLite ran this look-up of every new frame in 15-60 us with `limit ?`, in 1.5-3 us
    // with `limit 1` (the same plan; measured in an ingest of 2,000 frames, load 14).
    .limit(sql.lit(1)),
);

export async function findImageByPath(db: Db, root: string, relPath: string): Promise<ImageAtPath | null> {
  const primary = await selectImageAtPath.first(db, root, relPath);
  if (primary) return { ...primary, kind: 'primary', missing: primary.missing_since !== null } as ImageAtPath;
  const copy = await selectCopyAtPath.first(db, root, relPath);
  if (!copy) return null;
  const { missing_since, ...rest } = copy;
  return { ...rest, kind: 'copy', missing: missing_since !== null };
}

export async function getImage(db: Db, id: number): Promise<CatalogImageDetail | null> {
  const row = await db.db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const headers = await db.db.selectFrom('image_headers').selectAll().where('image_id', '=', id).executeTakeFirst();
  const paths = await db.db
    .selectFrom('image_paths')
    .selectAll()
    .where('image_id', '=', id)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
  return mapImageDetail(row, headers, paths, db.dialect);
}

export async function getImages(db: Db, ids: number[]): Promise<CatalogImage[]> {
  if (ids.length === 0) return [];
  const rows = await db.db.selectFrom('images').select(IMAGE_ITEM_COLUMNS).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, mapImage(r, db.dialect)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export function markMissing(db: Db, root: string, relPath: string, nowMs = Date.now()): Promise<number> {
  return setMissingSince(db, root, relPath, nowMs);
}

export function markPresent(db: Db, root: string, relPath: string): Promise<number> {
  return setMissingSince(db, root, relPath, null);
}

/**
 * Marks the frame at a path and the copies recorded there missing since `since`, or clears the mark
 * (null). Only copies are marked: a 'previous' path is history, never expected on disk.
 */
function setMissingSince(db: Db, root: string, relPath: string, since: number | null): Promise<number> {
  const unchanged = since === null ? 'is not' : 'is';
  return inTransaction(db, async (tx) => {
    const images = await tx.db
      .updateTable('images')
      .set({ missing_since: since })
      .where('root', '=', root)
      .where('rel_path', '=', relPath)
      .where('missing_since', unchanged, null)
      .executeTakeFirst();
    const copies = await tx.db
      .updateTable('image_paths')
      .set({ missing_since: since })
      .where('root', '=', root)
      .where('rel_path', '=', relPath)
      .$if(since !== null, (qb) => qb.where('kind', '=', 'copy'))
      .where('missing_since', unchanged, null)
      .executeTakeFirst();
    return Number(images.numUpdatedRows) + Number(copies.numUpdatedRows);
  });
}

export async function movePath(
  db: Db,
  id: number,
  root: string,
  relPath: string,
  options: { nowMs?: number } = {},
): Promise<void> {
  const nowMs = options.nowMs ?? Date.now();
  await inTransaction(db, async (tx) => {
    const current = await tx.db
      .selectFrom('images')
      .select(['root', 'rel_path'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!current) throw new CatalogWriteError('IMAGE_NOT_FOUND', `no image ${id}`);
    if (current.root === root && current.rel_path === relPath) return;
    await tx.db
      .insertInto('image_paths')
      .values({
        image_id: id,
        root: current.root,
        rel_path: current.rel_path,
        kind: 'previous',
        recorded_at: nowMs,
        missing_since: nowMs,
      })
      .onConflict((oc) =>
        oc.columns(['root', 'rel_path', 'image_id', 'kind']).doUpdateSet({ recorded_at: nowMs, missing_since: nowMs }),
      )
      .execute();
    // The new path may have been recorded as a copy of this image: it is now the primary path.
    await tx.db
      .deleteFrom('image_paths')
      .where('image_id', '=', id)
      .where('root', '=', root)
      .where('rel_path', '=', relPath)
      .where('kind', '=', 'copy')
      .execute();
    try {
      await tx.db
        .updateTable('images')
        .set({ root, rel_path: relPath, missing_since: null, updated_at: nowMs })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      if (tx.dialect.isUniqueViolation(error))
        throw new CatalogWriteError('IMAGE_PATH_TAKEN', `another image is already at ${root}/${relPath}`);
      throw error;
    }
  });
}

export async function updateQuality(
  db: Db,
  id: number,
  quality: QualityMetrics,
  score: QualityScore,
  nowMs = Date.now(),
): Promise<boolean> {
  const d = db.dialect;
  return inTransaction(db, async (tx) => {
    const current = await tx.db.selectFrom('images').select(SUMMARY_COLUMNS).where('id', '=', id).executeTakeFirst();
    if (!current) return false;
    const changes = {
      ...quality,
      quality_score: score.quality_score,
      quality_flag: d.toDbBool(score.quality_flag),
      quality_components: d.toDbJson(score.quality_components),
      quality_version: score.quality_version,
      updated_at: nowMs,
    };
    const result = await tx.db.updateTable('images').set(changes).where('id', '=', id).executeTakeFirst();
    await recordSummaryChange(tx, [summaryFrame(current)], [summaryFrame({ ...current, ...changes })]);
    return Number(result.numUpdatedRows) === 1;
  });
}
