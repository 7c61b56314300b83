/**
 * The header index: every card of every HDU searchable by `header.KEY` filters.
 *
 *   keywordRows(imageId, headers): KeywordRow[]     the searchable cards (first of each key per HDU)
 *   writeHeaderIndex(db, rows): Promise<void>        index an image's cards (in its write transaction)
 *   deleteHeaderIndex(db, imageId): Promise<void>    before re-indexing new content
 *   headerCondition(eb, filter, shape)               the WHERE part of a `header.KEY` filter
 *   countHeaderMatches(db, filter): Promise<number>  postings a filter matches (index only)
 *
 * Terms and postings (docs/decisions/header-index.md): each distinct value of a keyword is one
 * row of `header_terms`, and `header_postings` says which images carry it. A night's frames repeat
 * most of their values (TELESCOP, FILTER, EXPTIME, XBINNING…), so a frame adds a posting per card
 * (a key of three integers) and a term only for the values it is the first to carry, where one
 * row per card in three (key, value, image) indexes cost most of a frame's catalog write.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { StoredHdu } from '../domain/image.js';
import type { Db } from './connection.js';
import type { HeaderFilter } from './image-filters.js';
import { preparedQuery } from './prepared.js';
import type { Schema } from './schema.js';

export interface KeywordRow {
  image_id: number;
  hdu_index: number;
  /** Upper case, as FITS keywords are. */
  key: string;
  num_value: number | null;
  /** Lower-cased text of the value: keyword string matches are case-insensitive. */
  str_value: string | null;
}

const SKIPPED_KEYS = new Set(['', 'COMMENT', 'HISTORY', 'END', 'CONTINUE']);

/** The searchable cards of every HDU: first occurrence of each keyword, numbers and text. */
export function keywordRows(imageId: number, headers: StoredHdu[]): KeywordRow[] {
  const rows: KeywordRow[] = [];
  for (const hdu of headers) {
    const seen = new Set<string>();
    for (const card of hdu.cards) {
      const key = card.key.trim().toUpperCase();
      if (SKIPPED_KEYS.has(key) || seen.has(key) || card.value === null || Array.isArray(card.value)) continue;
      seen.add(key);
      const v = card.value;
      if (typeof v === 'number') {
        if (Number.isFinite(v))
          rows.push({ image_id: imageId, hdu_index: hdu.index, key, num_value: v, str_value: null });
      } else if (typeof v === 'boolean')
        rows.push({ image_id: imageId, hdu_index: hdu.index, key, num_value: v ? 1 : 0, str_value: v ? 't' : 'f' });
      else {
        const text = v.trim();
        const asNumber = text === '' ? Number.NaN : Number(text);
        rows.push({
          image_id: imageId,
          hdu_index: hdu.index,
          key,
          // Some programs write numbers as strings ('-10.5'); ranges should still find them.
          num_value: Number.isFinite(asNumber) ? asNumber : null,
          str_value: text.toLowerCase(),
        });
      }
    }
  }
  return rows;
}

/** Term ids by value, per open catalog; bounded, as a catalog's distinct values are not. */
const MAX_CACHED_TERMS = 200_000;
const termCaches = new WeakMap<object, Map<string, number>>();

const termKey = (r: KeywordRow) =>
  `${r.key}\u0000${r.num_value === null ? '' : r.num_value}\u0000${r.str_value === null ? '\u0001' : r.str_value}`;

// One lookup per shape of value, each served by an index: (key, num_value) or (key, str_value).
const findNumberTerm = preparedQuery(2, (db: Db, key: string, num: number) =>
  db.db
    .selectFrom('header_terms')
    .select('id')
    .where('key', '=', key)
    .where('num_value', '=', num)
    .where('str_value', 'is', null)
    .limit(1),
);
const findTextTerm = preparedQuery(2, (db: Db, key: string, str: string) =>
  db.db
    .selectFrom('header_terms')
    .select('id')
    .where('key', '=', key)
    .where('str_value', '=', str)
    .where('num_value', 'is', null)
    .limit(1),
);
const findBothTerm = preparedQuery(3, (db: Db, key: string, num: number, str: string) =>
  db.db
    .selectFrom('header_terms')
    .select('id')
    .where('key', '=', key)
    .where('str_value', '=', str)
    .where('num_value', '=', num)
    .limit(1),
);
const insertTerm = preparedQuery(3, (db: Db, key: string, num: number | null, str: string | null) =>
  db.db.insertInto('header_terms').values({ key, num_value: num, str_value: str }).returning('id'),
);
const insertPosting = preparedQuery(3, (db: Db, termId: number, imageId: number, hduIndex: number) =>
  db.db.insertInto('header_postings').values({ term_id: termId, image_id: imageId, hdu_index: hduIndex }),
);
const deletePostings = preparedQuery(1, (db: Db, imageId: number) =>
  db.db.deleteFrom('header_postings').where('image_id', '=', imageId),
);

/**
 * The term of a value, created when new. Terms carry no unique constraint: two processes that
 * add the same new value at once make two terms, and a filter finds the images of both.
 */
async function termId(db: Db, r: KeywordRow): Promise<number> {
  const found =
    r.num_value === null
      ? await findTextTerm.first(db, r.key, r.str_value ?? '')
      : r.str_value === null
        ? await findNumberTerm.first(db, r.key, r.num_value)
        : await findBothTerm.first(db, r.key, r.num_value, r.str_value);
  if (found) return Number(found.id);
  const inserted = await insertTerm.first(db, r.key, r.num_value, r.str_value);
  if (!inserted) throw new Error(`header term ${r.key} was not inserted`);
  return Number(inserted.id);
}

/** Postings per multi-row statement where statements are not run synchronously (PostgreSQL). */
const POSTING_BATCH_ROWS = 2000;

/** Indexes an image's searchable cards; call it in the transaction that writes the image. */
export async function writeHeaderIndex(db: Db, rows: readonly KeywordRow[]): Promise<void> {
  if (!rows.length) return;
  // Ids learnt here are remembered once the transaction has committed: a rolled-back term's id
  // may be given to another value later.
  const canCache = db.catalog !== undefined && (db.afterCommit !== undefined || !db.db.isTransaction);
  let cache = db.catalog ? termCaches.get(db.catalog) : undefined;
  if (!cache && db.catalog && canCache) {
    cache = new Map();
    termCaches.set(db.catalog, cache);
  }
  const learnt: Array<[string, number]> = [];
  const postings: Array<{ term_id: number; image_id: number; hdu_index: number }> = [];
  for (const r of rows) {
    const k = termKey(r);
    let id = canCache ? cache?.get(k) : undefined;
    if (id === undefined) {
      id = await termId(db, r);
      learnt.push([k, id]);
    }
    if (db.statements) await insertPosting.run(db, id, r.image_id, r.hdu_index);
    else postings.push({ term_id: id, image_id: r.image_id, hdu_index: r.hdu_index });
  }
  for (let start = 0; start < postings.length; start += POSTING_BATCH_ROWS)
    await db.db
      .insertInto('header_postings')
      .values(postings.slice(start, start + POSTING_BATCH_ROWS))
      .execute();
  if (cache && canCache && learnt.length) {
    const target = cache;
    const remember = () => {
      if (target.size + learnt.length > MAX_CACHED_TERMS) target.clear();
      for (const [k, id] of learnt) target.set(k, id);
    };
    if (db.afterCommit) db.afterCommit(remember);
    else remember();
  }
}

export async function deleteHeaderIndex(db: Db, imageId: number): Promise<void> {
  await deletePostings.run(db, imageId);
}

type TermsEb = ExpressionBuilder<Schema, 'header_terms'>;
type ImagesEb = ExpressionBuilder<Schema, 'images'>;

/** The terms a header filter matches (served by (key, num_value) and (key, str_value)). */
function termMatch(t: TermsEb, h: HeaderFilter): Expression<SqlBool> {
  const n = Number(h.value);
  if (h.op !== '=') return t.and([t('key', '=', h.key), t('num_value', h.op, n)]);
  const text = h.value.toLowerCase();
  // FITS logical values: T/F as written in headers, true/false as people type them.
  const str = text === 'true' ? 't' : text === 'false' ? 'f' : text;
  return t.and([
    t('key', '=', h.key),
    h.value !== '' && Number.isFinite(n)
      ? t.or([t('num_value', '=', n), t('str_value', '=', str)])
      : t('str_value', '=', str),
  ]);
}

/**
 * How a `header.KEY` filter joins the index. SQLite's planner cannot cost the two shapes
 * against each other (measured at 1M frames: seconds against milliseconds either way round):
 *   'probe': each candidate frame's postings are checked through (image_id, term_id) — right when
 *            other filters narrow the frames, or when the keyword matches so many frames that
 *            reading them in sort order finds a page at once;
 *   'list':  the matching terms list their frames — right when they match few.
 */
export type HeaderShape = 'probe' | 'list';

export function headerCondition(eb: ImagesEb, h: HeaderFilter, shape: HeaderShape): Expression<SqlBool> {
  const terms = eb
    .selectFrom('header_terms')
    .select('header_terms.id')
    .where((t) => termMatch(t, h));
  const postings = eb
    .selectFrom('header_postings')
    .select('header_postings.image_id')
    .where('header_postings.term_id', 'in', terms);
  return shape === 'probe'
    ? eb.exists(postings.whereRef('header_postings.image_id', '=', 'images.id'))
    : eb('images.id', 'in', postings);
}

/** How many postings a filter matches, from the indexes alone. */
export async function countHeaderMatches(db: Db, h: HeaderFilter): Promise<number> {
  const row = await db.db
    .selectFrom('header_postings')
    .where('header_postings.term_id', 'in', (eb) =>
      eb
        .selectFrom('header_terms')
        .select('header_terms.id')
        .where((t) => termMatch(t, h)),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
