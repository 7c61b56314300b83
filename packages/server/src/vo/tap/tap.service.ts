/**
 * TAP 1.1 queries over the catalog: parameters (DALI), ADQL → SQL, execution within limits, and the
 * result document. Shared by the synchronous endpoint and the asynchronous (UWS) jobs.
 *
 *   new TapService(database, limits)
 *   .run(params, signal?)    → { format, mediaType, body } or throws TapError (a DALI UsageFault)
 *   .tables                  the published tables (for /tables and TAP_SCHEMA)
 */
import { type AdqlTable, compileAdql } from '../../db/adql/compile.js';
import { type AdqlExecutor, AdqlTimeoutError, createAdqlExecutor } from '../../db/adql/execute.js';
import { distinctFilters, type FilterBandRow, imagesAdqlTable, obscoreAdqlTable } from '../../db/adql/tables.js';
import type { Database } from '../../db/connection.js';
import { AdqlError } from '../../domain/adql.js';
import { parseAdql } from '../adql/parser.js';
import { type DaliParams, single } from '../dali-params.js';
import { type BandLookup, bandLookup } from '../filter-bands.js';
import { DATALINK_FORMAT, datalinkUrl, OBS_COLLECTION, publisherDid } from '../obscore.columns.js';
import { FRAME_RADIUS_MARGIN_DEG } from '../pos-region.js';
import { RESULT_MEDIA_TYPES, type ResultFormat, resultFormat, writeResult } from './tap-results.js';
import { adqlTables, fieldOf, type TapTable, tapTables } from './tap-tables.js';

export interface TapLimits {
  /** Rows returned when the client does not say (MAXREC default). */
  defaultMaxRec: number;
  /** Rows returned at most, whatever MAXREC asks. */
  maxMaxRec: number;
  /** Seconds a synchronous query may run. */
  syncSeconds: number;
  /** Seconds an asynchronous job may run by default, and at most. */
  asyncSeconds: number;
  /** Seconds an asynchronous job and its result are kept. */
  retentionSeconds: number;
}

export const DEFAULT_TAP_LIMITS: TapLimits = {
  defaultMaxRec: 10_000,
  maxMaxRec: 1_000_000,
  syncSeconds: 60,
  asyncSeconds: 3600,
  retentionSeconds: 7 * 86_400,
};

/** A request the service refuses: answered with a DALI error document. */
export class TapError extends Error {
  override readonly name = 'TapError';
  constructor(
    readonly fault: 'UsageFault' | 'TransientFault' | 'FatalFault',
    message: string,
  ) {
    super(`${fault}: ${message}`);
  }
}

export const ADQL_LANGUAGES = ['ADQL', 'ADQL-2.0', 'ADQL-2.1'];

export interface TapResult {
  format: ResultFormat;
  mediaType: string;
  body: string;
  rows: number;
}

/** How long the catalog's distinct filter names are reused for ivoa.obscore's em_min/em_max. */
const BANDS_TTL_MS = 30_000;

export class TapService {
  readonly tables: TapTable[];
  private readonly fixed: AdqlTable[];
  private readonly executor: AdqlExecutor;
  private bandRows: { at: number; rows: Promise<FilterBandRow[]> } | null = null;

  constructor(
    private readonly database: Database,
    private readonly bands: BandLookup = bandLookup(),
    readonly limits: TapLimits = DEFAULT_TAP_LIMITS,
  ) {
    this.tables = tapTables();
    this.fixed = adqlTables(this.tables, [imagesAdqlTable()]);
    this.executor = createAdqlExecutor(database);
  }

  /** The tables of one query: ivoa.obscore's links start with the caller's base URL. */
  private async adql(baseUrl: string): Promise<AdqlTable[]> {
    const now = Date.now();
    if (!this.bandRows || now - this.bandRows.at > BANDS_TTL_MS) {
      const rows = distinctFilters(this.database).then((pairs) =>
        pairs.flatMap(({ filter, bayer }) => {
          const band = this.bands(filter, bayer);
          return band ? [{ filter, bayer, minM: band.minM, maxM: band.maxM }] : [];
        }),
      );
      this.bandRows = { at: now, rows };
      rows.catch(() => {
        this.bandRows = null;
      });
    }
    const obscore = obscoreAdqlTable({
      dialect: this.database.dialect.name,
      columns: this.tables[0]!.columns.map((c) => ({ name: c.name, type: c.type })),
      collection: OBS_COLLECTION,
      didPrefix: publisherDid(0).slice(0, -1),
      accessUrlPrefix: datalinkUrl(baseUrl, 0).slice(0, -1),
      accessFormat: DATALINK_FORMAT,
      bands: await this.bandRows.rows,
      maxFrameRadiusDeg: FRAME_RADIUS_MARGIN_DEG,
    });
    return [obscore, ...this.fixed];
  }

  /** Checks the parameters without running the query (async jobs are checked when created). */
  check(params: DaliParams): { query: string; format: ResultFormat; maxRec: number } {
    const request = single(params, 'REQUEST');
    if (request !== undefined && request.toLowerCase() !== 'doquery')
      throw new TapError('UsageFault', `REQUEST=${request} is not supported; use doQuery or leave it out`);
    if (params.has('UPLOAD')) throw new TapError('UsageFault', 'UPLOAD is not supported by this service');
    const lang = single(params, 'LANG');
    if (lang === undefined) throw new TapError('UsageFault', 'LANG is required (LANG=ADQL)');
    if (!ADQL_LANGUAGES.includes(lang.toUpperCase()))
      throw new TapError(
        'UsageFault',
        `LANG=${lang} is not supported; this service speaks ${ADQL_LANGUAGES.join(', ')}`,
      );
    const query = single(params, 'QUERY');
    if (query === undefined || query.trim() === '') throw new TapError('UsageFault', 'QUERY is required');
    const formatParam = single(params, 'RESPONSEFORMAT') ?? single(params, 'FORMAT');
    const format = resultFormat(formatParam);
    if (!format)
      throw new TapError(
        'UsageFault',
        `RESPONSEFORMAT=${formatParam} is not supported; use votable, votable/b2, csv or tsv`,
      );
    return { query, format, maxRec: this.maxRec(single(params, 'MAXREC')) };
  }

  async run(
    params: DaliParams,
    options: { baseUrl: string; signal?: AbortSignal; seconds?: number },
  ): Promise<TapResult> {
    const { query, format, maxRec } = this.check(params);
    try {
      const compiled = compileAdql(parseAdql(query), await this.adql(options.baseUrl), {
        dialect: this.database.dialect.name,
        maxRows: maxRec,
      });
      const timeoutMs = (options.seconds ?? this.limits.syncSeconds) * 1000;
      const result = await this.executor.run(compiled, {
        timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const table = this.tables.find((t) => `${t.schema}.${t.name}` === compiled.table);
      const body = writeResult(format, {
        columns: compiled.columns.map((c) => fieldOf(c, table)),
        rows: result.rows,
        overflow: result.overflow,
        query,
      });
      return { format, mediaType: RESULT_MEDIA_TYPES[format], body, rows: result.rows.length };
    } catch (error) {
      if (error instanceof AdqlError) throw new TapError('UsageFault', error.message);
      if (error instanceof AdqlTimeoutError) throw new TapError('UsageFault', error.message);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.executor.close();
  }

  private maxRec(value: string | undefined): number {
    if (value === undefined) return this.limits.defaultMaxRec;
    if (!/^\s*\d+\s*$/.test(value)) throw new TapError('UsageFault', `MAXREC=${value} is not a non-negative integer`);
    return Math.min(Number(value), this.limits.maxMaxRec);
  }
}
