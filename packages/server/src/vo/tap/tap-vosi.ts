/**
 * VOSI documents of the TAP service: capabilities (with TAPRegExt 1.0: languages, geometry
 * functions, output formats, limits), the table set (VODataService 1.1) and availability.
 */
import { adqlName } from '../adql/reserved.js';
import { xmlEscape } from '../votable.js';
import type { TapLimits } from './tap.service.js';
import { RESULT_MEDIA_TYPES, type ResultFormat } from './tap-results.js';
import { type TapTable, votableType } from './tap-tables.js';

const GEOMETRY = ['POINT', 'CIRCLE', 'BOX', 'POLYGON', 'CONTAINS', 'INTERSECTS', 'DISTANCE', 'COORD1', 'COORD2'];
const FORMAT_ALIASES: Record<ResultFormat, string[]> = {
  votable: ['votable', 'votable/td'],
  'votable-binary2': ['votable/b2', 'votable/binary2'],
  csv: ['csv'],
  tsv: ['tsv'],
};

export function tapCapabilities(base: string, limits: TapLimits): string {
  const url = (path: string) => `<accessURL use="base">${xmlEscape(`${base}${path}`)}</accessURL>`;
  const simple = (standardID: string, path: string) =>
    `<capability standardID="${standardID}">\n<interface xsi:type="vs:ParamHTTP">${url(path)}</interface>\n</capability>\n`;
  const languages = ['2.0', '2.1']
    .map((v) => `<version ivo-id="ivo://ivoa.net/std/ADQL#v${v}">${v}</version>`)
    .join('');
  const features = GEOMETRY.map((f) => `<feature><form>${f}</form></feature>`).join('');
  const formats = (Object.keys(RESULT_MEDIA_TYPES) as ResultFormat[])
    .map(
      (f) =>
        `<outputFormat><mime>${xmlEscape(RESULT_MEDIA_TYPES[f])}</mime>${FORMAT_ALIASES[f].map((a) => `<alias>${a}</alias>`).join('')}</outputFormat>\n`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<vosi:capabilities xmlns:vosi="http://www.ivoa.net/xml/VOSICapabilities/v1.0" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" ' +
    'xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0">\n' +
    '<capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">\n' +
    `<interface xsi:type="vs:ParamHTTP" role="std" version="1.1">${url('')}</interface>\n` +
    '<dataModel ivo-id="ivo://ivoa.net/std/ObsCore#core-1.1">ObsCore-1.1</dataModel>\n' +
    `<language><name>ADQL</name>${languages}<description>ADQL 2.1: one table per query; no JOIN, subqueries or set operations</description>\n` +
    `<languageFeatures type="ivo://ivoa.net/std/TAPRegExt#features-adqlgeo">${features}</languageFeatures>\n` +
    '</language>\n' +
    formats +
    `<retentionPeriod><default>${limits.retentionSeconds}</default><hard>${limits.retentionSeconds}</hard></retentionPeriod>\n` +
    `<executionDuration><default>${limits.asyncSeconds}</default><hard>${limits.asyncSeconds}</hard></executionDuration>\n` +
    `<outputLimit><default unit="row">${limits.defaultMaxRec}</default><hard unit="row">${limits.maxMaxRec}</hard></outputLimit>\n` +
    '</capability>\n' +
    simple('ivo://ivoa.net/std/VOSI#capabilities', '/capabilities') +
    simple('ivo://ivoa.net/std/VOSI#availability', '/availability') +
    simple('ivo://ivoa.net/std/VOSI#tables-1.1', '/tables') +
    simple('ivo://ivoa.net/std/DALI#examples', '/examples') +
    '</vosi:capabilities>\n'
  );
}

export function tapTableset(tables: TapTable[]): string {
  const schemas = [...new Set(tables.map((t) => t.schema))];
  const column = (c: TapTable['columns'][number]) => {
    const t = votableType(c.type, c.int32);
    const parts = [`<name>${xmlEscape(adqlName(c.name))}</name>`];
    if (c.description) parts.push(`<description>${xmlEscape(c.description)}</description>`);
    if (c.unit) parts.push(`<unit>${xmlEscape(c.unit)}</unit>`);
    if (c.ucd) parts.push(`<ucd>${xmlEscape(c.ucd)}</ucd>`);
    if (c.utype) parts.push(`<utype>${xmlEscape(c.utype)}</utype>`);
    parts.push(
      `<dataType xsi:type="vs:VOTableType"${t.arraysize ? ` arraysize="${t.arraysize}"` : ''}${t.xtype ? ` extendedType="${t.xtype}"` : ''}>${t.datatype}</dataType>`,
    );
    if (c.indexed) parts.push('<flag>indexed</flag>');
    if (c.principal) parts.push('<flag>principal</flag>');
    if (c.std) parts.push('<flag>std</flag>');
    return `<column>${parts.join('')}</column>\n`;
  };
  const body = schemas
    .map(
      (s) =>
        `<schema><name>${xmlEscape(s)}</name>\n` +
        tables
          .filter((t) => t.schema === s)
          .map(
            (t) =>
              `<table type="table"><name>${xmlEscape(`${t.schema}.${t.name}`)}</name><description>${xmlEscape(t.description)}</description>\n` +
              t.columns.map(column).join('') +
              (t.foreignKeys ?? [])
                .map(
                  (k) =>
                    `<foreignKey><targetTable>${xmlEscape(k.target)}</targetTable><fkColumn><fromColumn>${xmlEscape(k.from)}</fromColumn>` +
                    `<targetColumn>${xmlEscape(k.targetColumn)}</targetColumn></fkColumn></foreignKey>\n`,
                )
                .join('') +
              '</table>\n',
          )
          .join('') +
        '</schema>\n',
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<vosi:tableset xmlns:vosi="http://www.ivoa.net/xml/VOSITables/v1.0" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1">\n' +
    body +
    '</vosi:tableset>\n'
  );
}
