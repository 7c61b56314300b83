/**
 * The results of a search, fetched page by page as the table scrolls (offset pages of PAGE_SIZE
 * rows). A new search (filters or sort) drops every page; answers to an older search are ignored.
 *
 * When the server only says "more than N" (total_exact false), the rows known so far plus one
 * more are shown; reaching that row loads the next page, until a page comes back short and the
 * real end is known.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/endpoints.js';
import type { ImageFilters, ImageItem } from '../../api/types.js';

export const PAGE_SIZE = 200;

/** What the table and grid show; fewer fields make each page several times smaller. */
export const RESULT_FIELDS = [
  'id',
  'file_name',
  'date_obs',
  'night',
  'object_name',
  'image_type',
  'filter_name',
  'exptime',
  'ccd_temp',
  'gain',
  'telescope',
  'instrument',
  'ra_deg',
  'dec_deg',
  'airmass',
  'fwhm_arcsec',
  'fwhm_px',
  'star_count',
  'background',
  'eccentricity',
  'quality_score',
  'quality_flag',
  'naxis1',
  'naxis2',
  'size_bytes',
].join(',');

export interface PagedResults {
  /** Rows to show: the total, or while it is not known exactly, the rows known plus one. */
  total: number | undefined;
  /** Set when the server's count stopped: more than this many frames match. */
  moreThan: number | undefined;
  error: Error | undefined;
  /** The row, or undefined while its page loads. */
  rowAt(index: number): ImageItem | undefined;
  ensure(start: number, end: number): void;
  /** Bumped whenever a page arrives, so that views re-render. */
  version: number;
  loadedRows(): ImageItem[];
}

/** `refresh`: a number to bump when the same search must be run again (new frames arrived). */
export function usePagedResults(filters: ImageFilters, sort: string, refresh = 0): PagedResults {
  const key = JSON.stringify([filters, sort, refresh]);
  const pages = useRef(new Map<number, ImageItem[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);
  const [total, setTotal] = useState<number | undefined>(undefined);
  const [moreThan, setMoreThan] = useState<number | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [version, setVersion] = useState(0);

  const fetchPage = useCallback(
    (page: number) => {
      if (pages.current.has(page) || inFlight.current.has(page)) return;
      inFlight.current.add(page);
      const gen = generation.current;
      const [f, s] = JSON.parse(key) as [ImageFilters, string, number];
      api.images(f, { sort: s, limit: PAGE_SIZE, offset: page * PAGE_SIZE, fields: RESULT_FIELDS }).then(
        (result) => {
          if (gen !== generation.current) return;
          inFlight.current.delete(page);
          pages.current.set(page, result.items);
          const end = page * PAGE_SIZE + result.items.length;
          if (result.total_exact === false && result.items.length === PAGE_SIZE) {
            setMoreThan(result.total);
            setTotal((known) => Math.max(known ?? 0, result.total + 1, end + 1));
          } else if (result.total_exact === false) {
            // A short page is the last one: now the end is known.
            setMoreThan(undefined);
            setTotal(end);
          } else {
            setMoreThan(undefined);
            setTotal(result.total);
          }
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          if (gen !== generation.current) return;
          inFlight.current.delete(page);
          setError(e instanceof Error ? e : new Error(String(e)));
        },
      );
    },
    [key],
  );

  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    inFlight.current = new Set();
    setTotal(undefined);
    setMoreThan(undefined);
    setError(undefined);
    setVersion((v) => v + 1);
    fetchPage(0);
  }, [fetchPage]);

  const ensure = useCallback(
    (start: number, end: number) => {
      const last = Math.max(start, end - 1);
      for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) fetchPage(p);
    },
    [fetchPage],
  );

  const rowAt = useCallback(
    (index: number) => pages.current.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    [],
  );
  const loadedRows = useCallback(() => {
    const rows: ImageItem[] = [];
    for (let p = 0; pages.current.has(p); p++) rows.push(...(pages.current.get(p) ?? []));
    return rows;
  }, []);

  return { total, moreThan, error, rowAt, ensure, version, loadedRows };
}
