/**
 * VOTable 1.4 documents for the IVOA services: tables of typed columns (tableXml), the SIA 2.0
 * result of ObsCore records, the DALI error document, and the VOSI capabilities/availability.
 *
 *   siaResultsVotable(records, { overflow })
 *   siaErrorVotable(message, fault?)     the message starts with the DALI fault code
 *   vosiCapabilities(baseUrl) / vosiAvailability()
 */
import { OBSCORE_COLUMNS, type ObsCoreRecord } from './obscore.columns.js';

export const VOTABLE_CONTENT_TYPE = 'application/x-votable+xml';

/** Escapes text for element content and attribute values alike. */
export function xmlEscape(value: string): string {
  // Characters XML 1.0 forbids even escaped are dropped: a FITS header may hold any byte.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A column of a VOTable: what FIELD needs (ObsCore columns and DataLink's are of this shape). */
export interface VotableColumn {
  name: string;
  datatype: 'char' | 'double' | 'long' | 'int' | 'boolean';
  arraysize?: string;
  unit?: string;
  ucd?: string;
  utype?: string;
  xtype?: string;
  description?: string;
}

/** Names of the SIA result columns, in order. */
export const SIA_COLUMNS = OBSCORE_COLUMNS.map((f) => f.name);

export const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n';

const isInteger = (c: VotableColumn) => c.datatype === 'long' || c.datatype === 'int';

export function fieldXml(c: VotableColumn): string {
  const attrs = [`name="${c.name}"`, `datatype="${c.datatype}"`];
  if (c.arraysize) attrs.push(`arraysize="${c.arraysize}"`);
  for (const key of ['ucd', 'utype', 'unit', 'xtype'] as const) {
    const value = c[key];
    if (value) attrs.push(`${key}="${xmlEscape(value)}"`);
  }
  // Integer columns need an explicit null value: TABLEDATA has no empty integer otherwise.
  const nullValue = isInteger(c) ? '<VALUES null="-1"/>' : '';
  const description = c.description ? `<DESCRIPTION>${xmlEscape(c.description)}</DESCRIPTION>` : '';
  return `<FIELD ${attrs.join(' ')}>${description}${nullValue}</FIELD>`;
}

export function cellXml(value: string | number | boolean | null | undefined, c: VotableColumn): string {
  if (value === null || value === undefined) return isInteger(c) ? '<TD>-1</TD>' : '<TD/>';
  if (typeof value === 'number' && !Number.isFinite(value)) return isInteger(c) ? '<TD>-1</TD>' : '<TD>NaN</TD>';
  if (typeof value === 'boolean') return `<TD>${value ? 'T' : 'F'}</TD>`;
  return `<TD>${xmlEscape(String(value))}</TD>`;
}

/** The TABLE element of rows (objects keyed by column name). */
export function tableXml(columns: readonly VotableColumn[], rows: Iterable<Record<string, unknown>>): string {
  const parts = ['<TABLE>\n', ...columns.map((c) => `${fieldXml(c)}\n`), '<DATA><TABLEDATA>\n'];
  for (const row of rows)
    parts.push(
      `<TR>${columns.map((c) => cellXml(row[c.name] as string | number | boolean | null | undefined, c)).join('')}</TR>\n`,
    );
  parts.push('</TABLEDATA></DATA>\n</TABLE>\n');
  return parts.join('');
}

/** The SIA 2.0 result: ObsCore rows, QUERY_STATUS OVERFLOW when MAXREC cut them short. */
export function siaResultsVotable(records: ObsCoreRecord[], options: { overflow: boolean }): string {
  return [
    HEADER,
    '<RESOURCE type="results">\n',
    `<INFO name="QUERY_STATUS" value="${options.overflow ? 'OVERFLOW' : 'OK'}"/>\n`,
    '<INFO name="standardID" value="ivo://ivoa.net/std/SIA#query-2.0"/>\n',
    tableXml(OBSCORE_COLUMNS, records),
    '</RESOURCE>\n</VOTABLE>\n',
  ].join('');
}

/**
 * DALI error document: the message in the QUERY_STATUS INFO, starting with the fault code the
 * message does not already start with (SIA 2.0 §2.6: UsageFault, TransientFault, FatalFault, DefaultFault).
 */
export function siaErrorVotable(message: string, fault = 'UsageFault'): string {
  if (!/^(UsageFault|TransientFault|FatalFault|DefaultFault|NotFoundFault|NotAuthorizedFault|Error): /.test(message))
    message = `${fault}: ${message}`;
  return (
    `${HEADER}<RESOURCE type="results">\n` +
    `<INFO name="QUERY_STATUS" value="ERROR">${xmlEscape(message)}</INFO>\n` +
    '</RESOURCE>\n</VOTABLE>\n'
  );
}

/** VOSI capabilities: the SIA 2.0 query endpoint and the two VOSI endpoints, under `siaBase`. */
export function vosiCapabilities(siaBase: string): string {
  const cap = (standardId: string, path: string, extra = '') =>
    `<capability standardID="${standardId}">\n` +
    `<interface xsi:type="vs:ParamHTTP"${extra}><accessURL use="full">${xmlEscape(`${siaBase}/${path}`)}</accessURL></interface>\n` +
    '</capability>\n';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1">\n' +
    cap('ivo://ivoa.net/std/SIA#query-2.0', 'query', ' role="std" version="2.0"') +
    cap('ivo://ivoa.net/std/VOSI#capabilities', 'capabilities') +
    cap('ivo://ivoa.net/std/VOSI#availability', 'availability') +
    '</vosi:capabilities>\n'
  );
}

export function vosiAvailability(): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<vosi:availability xmlns:vosi="http://www.ivoa.net/xml/VOSIAvailability/v1.0">\n' +
    '<vosi:available>true</vosi:available>\n' +
    '</vosi:availability>\n'
  );
}
