/**
 * What fault and soak tests check at the end: the catalog matches the file system exactly.
 *
 *   catalogDiscrepancies(db, roots): every way the catalog differs from the FITS files under
 *   `roots`, as sentences (empty when it matches):
 *   - every file on disk is catalogued at its current path (as an image's own path or an exact
 *     copy's), present, with the SHA-256 of its current content, and its ledger row is settled;
 *   - no content is catalogued twice (one image per SHA-256);
 *   - every path the catalog holds as present is a file with that content; an image whose file is
 *     gone is marked missing (never deleted);
 *   - nothing waits in the ledger.
 *
 * Also: sha256File, a FITS file writer for writers of faults, and `until`, which polls a condition.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Db } from '../../src/db/connection.js';
import { isFitsName } from '../../src/ingest/file-types.js';

export function sha256File(path: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return null;
  }
}

function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && isFitsName(entry.name)) out.push(path);
    }
  };
  walk(root);
  return out;
}

const key = (root: string, relPath: string) => join(root, relPath);

export async function catalogDiscrepancies(db: Db, roots: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const onDisk = new Map<string, string>();
  for (const root of roots)
    for (const path of filesUnder(root)) {
      const sha = sha256File(path);
      if (sha) onDisk.set(path, sha);
    }
  const images = await db.db
    .selectFrom('images')
    .select(['id', 'root', 'rel_path', 'sha256', 'missing_since'])
    .execute();
  const copies = await db.db
    .selectFrom('image_paths')
    .select(['image_id', 'root', 'rel_path', 'missing_since'])
    .where('kind', '=', 'copy')
    .execute();
  const ledger = await db.db.selectFrom('ingest_ledger').select(['root', 'rel_path', 'state', 'reason']).execute();

  const shaOf = new Map<number, string>();
  const bySha = new Map<string, number[]>();
  for (const image of images) {
    shaOf.set(image.id, image.sha256);
    bySha.set(image.sha256, [...(bySha.get(image.sha256) ?? []), image.id]);
  }
  for (const [sha, ids] of bySha)
    if (ids.length > 1) problems.push(`content ${sha.slice(0, 12)} catalogued twice: images ${ids}`);

  /** Paths the catalog holds as present, with the content it says they have. */
  const present = new Map<string, string>();
  for (const image of images) {
    const path = key(image.root, image.rel_path);
    if (image.missing_since !== null) {
      if (onDisk.has(path) && onDisk.get(path) === image.sha256)
        problems.push(`${path}: on disk with its content but marked missing`);
      continue;
    }
    present.set(path, image.sha256);
  }
  for (const copy of copies) {
    if (copy.missing_since !== null) continue;
    present.set(key(copy.root, copy.rel_path), shaOf.get(copy.image_id) ?? '?');
  }
  for (const [path, sha] of present) {
    const actual = onDisk.get(path);
    if (actual === undefined) problems.push(`${path}: catalogued as present, not on disk (not marked missing)`);
    else if (actual !== sha)
      problems.push(`${path}: catalogued with content ${sha.slice(0, 12)}, on disk ${actual.slice(0, 12)}`);
  }
  for (const [path, sha] of onDisk) {
    if (!present.has(path)) {
      const elsewhere = bySha.get(sha);
      problems.push(
        `${path}: on disk, not catalogued at this path${elsewhere ? ` (its content is image ${elsewhere})` : ''}`,
      );
    }
  }
  const ledgerState = new Map(ledger.map((row) => [key(row.root, row.rel_path), row]));
  for (const path of onDisk.keys()) {
    const row = ledgerState.get(path);
    if (!row) problems.push(`${path}: on disk, no ledger row`);
    else if (!['ingested', 'duplicate', 'unchanged'].includes(row.state))
      problems.push(`${path}: ledger ${row.state}${row.reason ? ` (${row.reason})` : ''}`);
  }
  for (const row of ledger)
    if (row.state === 'pending') problems.push(`${key(row.root, row.rel_path)}: still pending in the ledger`);
  return problems;
}

/** Root-relative, `/`-separated, as the catalog stores paths. */
export function relPathOf(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/** Polls `check` every 100 ms until it returns something truthy; throws after `timeoutMs`. */
export async function until<T>(
  check: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the catalog and the ledger hold for the paths named in `problems`: for a failure's message. */
export async function explainPaths(db: Db, problems: string[]): Promise<string[]> {
  const paths = [...new Set(problems.map((p) => p.split(': ')[0] ?? ''))].filter(Boolean).slice(0, 10);
  const lines: string[] = [];
  for (const path of paths) {
    const ledger = await db.db.selectFrom('ingest_ledger').selectAll().execute();
    const images = await db.db
      .selectFrom('images')
      .select(['id', 'root', 'rel_path', 'sha256', 'missing_since'])
      .execute();
    const paths_ = await db.db.selectFrom('image_paths').selectAll().execute();
    const at = (root: string, rel: string) => join(root, rel) === path;
    for (const r of ledger.filter((r) => at(r.root, r.rel_path)))
      lines.push(
        `${path} ledger #${r.id} ${r.state} ${r.reason ?? ''} image ${r.image_id} mtime ${r.mtime_ms} claimed ${r.claimed_by} at ${r.claimed_at} attempts ${r.attempts} updated ${r.updated_at} now ${Date.now()}`,
      );
    for (const r of images.filter((r) => at(r.root, r.rel_path)))
      lines.push(`${path} image #${r.id} ${r.sha256.slice(0, 12)} missing ${r.missing_since}`);
    for (const r of paths_.filter((r) => at(r.root, r.rel_path)))
      lines.push(`${path} path of image #${r.image_id} ${r.kind} missing ${r.missing_since}`);
  }
  return lines;
}
