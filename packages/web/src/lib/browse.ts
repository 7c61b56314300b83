/**
 * The last search's loaded results, so that a frame opened from it can step to the previous and
 * next frame and go back to the same search (kept per tab in sessionStorage).
 */
const KEY = 'aims.browse';
/** Enough for a night; beyond this, the frame page just has no next. */
const MAX_IDS = 5000;

export interface Browse {
  search: string;
  ids: number[];
}

export function rememberBrowse(search: string, ids: number[]): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ search, ids: ids.slice(0, MAX_IDS) }));
  } catch {
    // Storage full or disabled: frames simply have no previous/next.
  }
}

export function recallBrowse(): Browse | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Browse | null;
    if (value && typeof value.search === 'string' && Array.isArray(value.ids)) return value;
  } catch {
    // Damaged: ignore.
  }
  return null;
}

/** The neighbours of `id` in the remembered results. */
export function neighbours(
  browse: Browse | null,
  id: number,
): { previous?: number; next?: number; index: number; count: number } {
  if (!browse) return { index: -1, count: 0 };
  const index = browse.ids.indexOf(id);
  if (index < 0) return { index, count: browse.ids.length };
  return { previous: browse.ids[index - 1], next: browse.ids[index + 1], index, count: browse.ids.length };
}
