/**
 * A TAP result table in the formats of TAP 1.1 section 2.7.1: VOTable 1.4 with TABLEDATA or
 * BINARY2 serialization, CSV (RFC 4180) and TSV. Overflow (more rows than MAXREC) is flagged as DALI
 * asks: a QUERY_STATUS INFO of OVERFLOW after the table in VOTable; CSV and TSV cannot say it.
 *
 *   resultFormat(value)        RESPONSEFORMAT/FORMAT → a format, or null when not offered
 *   writeResult(format, table) the document, as a string (results are bounded by MAXREC)
 */
import { HEADER, xmlEscape } from '../votable.js';
import { type TapColumn, votableType } from './tap-tables.js';

export type ResultFormat = 'votable' | 'votable-binary2' | 'csv' | 'tsv';

export const RESULT_MEDIA_TYPES: Record<ResultFormat, string> = {
  votable: 'application/x-votable+xml',
  'votable-binary2': 'application/x-votable+xml;serialization=BINARY2',
  csv: 'text/csv;header=present',
  tsv: 'text/tab-separated-values',
};

/** The names each format answers to: short names and media types (parameters after ';' matter only for VOTable). */
export function resultFormat(value: string | undefined): ResultFormat | null {
  if (value === undefined || value.trim() === '') return 'votable';
  const v = value.trim().toLowerCase().replace(/\s+/g, '');
  if (
    [
      'votable',
      'votable/td',
      'application/x-votable+xml',
      'text/xml',
      'application/x-votable+xml;serialization=tabledata',
    ].includes(v)
  )
    return 'votable';
  if (['votable/b2', 'votable/binary2', 'application/x-votable+xml;serialization=binary2'].includes(v))
    return 'votable-binary2';
  const base = v.split(';')[0];
  if (base === 'csv' || base === 'text/csv') return 'csv';
  if (base === 'tsv' || base === 'text/tab-separated-values') return 'tsv';
  return null;
}

export interface ResultColumn extends TapColumn {
  outputName: string;
}

export interface ResultTable {
  columns: ResultColumn[];
  rows: Array<Array<number | string | null>>;
  overflow: boolean;
  /** The query, echoed in an INFO of VOTable results. */
  query?: string;
}

export function writeResult(format: ResultFormat, table: ResultTable): string {
  switch (format) {
    case 'csv':
      return delimited(table, ',', csvCell);
    case 'tsv':
      return delimited(table, '\t', tsvCell);
    default:
      return votable(table, format === 'votable-binary2');
  }
}

function delimited(table: ResultTable, separator: string, cell: (v: string) => string): string {
  const lines = [table.columns.map((c) => cell(c.outputName)).join(separator)];
  for (const row of table.rows) lines.push(row.map((v) => (v === null ? '' : cell(String(v)))).join(separator));
  return `${lines.join('\r\n')}\r\n`;
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const tsvCell = (v: string) =>
  v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

function fieldXml(c: ResultColumn, id: string): string {
  const t = votableType(c.type, c.int32);
  const attrs = [`name="${xmlEscape(c.outputName)}"`, `ID="${id}"`, `datatype="${t.datatype}"`];
  if (t.arraysize) attrs.push(`arraysize="${t.arraysize}"`);
  if (t.xtype) attrs.push(`xtype="${t.xtype}"`);
  if (c.unit) attrs.push(`unit="${xmlEscape(c.unit)}"`);
  if (c.ucd) attrs.push(`ucd="${xmlEscape(c.ucd)}"`);
  if (c.utype) attrs.push(`utype="${xmlEscape(c.utype)}"`);
  const description = c.description ? `<DESCRIPTION>${xmlEscape(c.description)}</DESCRIPTION>` : '';
  return `<FIELD ${attrs.join(' ')}>${description}</FIELD>\n`;
}

function votable(table: ResultTable, binary2: boolean): string {
  const parts = [HEADER, '<RESOURCE type="results">\n', '<INFO name="QUERY_STATUS" value="OK"/>\n'];
  if (table.query !== undefined) parts.push(`<INFO name="QUERY" value="${xmlEscape(table.query)}"/>\n`);
  parts.push('<TABLE>\n', ...table.columns.map((c, i) => fieldXml(c, `col${i}`)));
  if (binary2)
    parts.push('<DATA><BINARY2><STREAM encoding="base64">\n', binary2Stream(table), '\n</STREAM></BINARY2></DATA>\n');
  else {
    parts.push('<DATA><TABLEDATA>\n');
    for (const row of table.rows)
      parts.push(
        `<TR>${row.map((v) => (v === null ? '<TD/>' : `<TD>${xmlEscape(formatCell(v))}</TD>`)).join('')}</TR>\n`,
      );
    parts.push('</TABLEDATA></DATA>\n');
  }
  parts.push('</TABLE>\n');
  if (table.overflow) parts.push('<INFO name="QUERY_STATUS" value="OVERFLOW"/>\n');
  parts.push('</RESOURCE>\n</VOTABLE>\n');
  return parts.join('');
}

const formatCell = (v: number | string) => (typeof v === 'number' && !Number.isFinite(v) ? 'NaN' : String(v));

/**
 * BINARY2 (VOTable 1.4, 5.5): per row, a null-flag bit per column (most significant bit first), then
 * each cell big-endian: double 8 bytes, long 8 bytes, variable char as a 4-byte length and bytes.
 */
function binary2Stream(table: ResultTable): string {
  const chunks: Buffer[] = [];
  const types = table.columns.map((c) => votableType(c.type, c.int32).datatype);
  const flagBytes = Math.ceil(table.columns.length / 8);
  for (const row of table.rows) {
    const flags = Buffer.alloc(flagBytes);
    const cells: Buffer[] = [];
    row.forEach((value, i) => {
      if (value === null) flags[i >> 3]! |= 0x80 >> (i & 7);
      const type = types[i];
      if (type === 'double') {
        const b = Buffer.alloc(8);
        b.writeDoubleBE(value === null ? Number.NaN : Number(value));
        cells.push(b);
      } else if (type === 'int') {
        const b = Buffer.alloc(4);
        b.writeInt32BE(value === null ? 0 : Math.trunc(Number(value)));
        cells.push(b);
      } else if (type === 'long') {
        const b = Buffer.alloc(8);
        b.writeBigInt64BE(value === null ? 0n : BigInt(Math.trunc(Number(value))));
        cells.push(b);
      } else {
        const bytes = Buffer.from(value === null ? '' : String(value), 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32BE(bytes.length);
        cells.push(length, bytes);
      }
    });
    chunks.push(flags, ...cells);
  }
  // Base64 in lines of 76 characters, as MIME writes it.
  return (
    Buffer.concat(chunks)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\n');
}
