/**
 * The keywords the catalog can search with `header.KEY` (GET /api/images/keywords), for the web
 * UI's suggestions.
 *
 *   headerKeywords(db): Promise<{ keywords: string[]; complete: boolean }>
 *       Every distinct `image_keywords.key`, in byte order, at most MAX_KEYWORDS of them.
 *
 * `select distinct key` reads every keyword row (12.8M at a million frames; PostgreSQL has no
 * loose index scan and aggregates them all). Instead a recursive query jumps from one key to the
 * next in the value index (`key > previous order by key limit 1`): one index probe per keyword,
 * whatever the number of frames. The value indexes are partial on SQLite and PostgreSQL (a row is
 * in the number index or the text index, or both: db/migrations/2026_12_04_2350_…), so there the
 * walk is made once in each; MySQL's are whole, and one walk without a condition visits every key
 * (with the condition, it would read past every row of a key that has only numbers).
 */
import { type RawBuilder, sql } from 'kysely';
import type { Db } from './connection.js';

/** Enough for suggestions; under MySQL's default cte_max_recursion_depth (1000). */
export const MAX_KEYWORDS = 500;

/** One walk over the keys of the index that `condition` selects (none: any index on key first). */
function keyWalk(name: string, condition: RawBuilder<unknown> | null): RawBuilder<unknown> {
  const key = sql.ref('key');
  const where = condition ? sql`${condition} and ` : sql``;
  const first = condition ? sql`where ${condition}` : sql``;
  return sql`${sql.raw(name)}(kw, depth) as (
    select (select ${key} from image_keywords ${first} order by ${key} limit 1), 0
    union all
    select (select ${key} from image_keywords where ${where}${key} > w.kw order by ${key} limit 1), w.depth + 1
    from ${sql.raw(name)} w where w.kw is not null and w.depth < ${sql.lit(MAX_KEYWORDS)}
  )`;
}

export async function headerKeywords(db: Db): Promise<{ keywords: string[]; complete: boolean }> {
  const walks: [string, RawBuilder<unknown> | null][] = db.dialect.supportsPartialIndex
    ? [
        ['num_keys', sql`num_value is not null`],
        ['str_keys', sql`str_value is not null`],
      ]
    : [['all_keys', null]];
  const ctes = sql.join(
    walks.map(([name, condition]) => keyWalk(name, condition)),
    sql`, `,
  );
  const selects = sql.join(
    walks.map(([name]) => sql`select kw from ${sql.raw(name)} where kw is not null`),
    sql` union `,
  );
  const { rows } = await sql<{ kw: string }>`with recursive ${ctes} ${selects}`.execute(db.db);
  // Byte order, the same on every engine (PostgreSQL's collation would put CCD_TEMP before CCD-TEMP).
  const keywords = [...new Set(rows.map((r) => r.kw))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // A walk that stopped at the cap gave MAX_KEYWORDS + 1 keys, so this also says whether one did.
  return { keywords: keywords.slice(0, MAX_KEYWORDS), complete: keywords.length <= MAX_KEYWORDS };
}
