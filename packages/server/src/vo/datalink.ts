/**
 * IVOA DataLink 1.1 `{links}` documents for catalog frames, with the SODA 1.0 sync service
 * descriptor of their cutouts.
 *
 *   datalinkVotable(entries, { baseUrl })   entries: a frame found (and whether the caller may
 *                                           download it), or an ID that names none
 *
 * Each frame has three links: #this (the original FITS file), #preview (a PNG) and #cutout (the
 * SODA service, described by the RESOURCE `soda` that lists its input parameters). A caller who may
 * not download gets #this and #cutout as error rows (NotAuthorizedFault), as DataLink §3.2 allows:
 * every row has exactly one of access_url, service_def and error_message.
 */
import type { CatalogImage } from '../db/image.mapper.js';
import { PRODUCT_FORMAT } from './obscore.columns.js';
import { HEADER, tableXml, type VotableColumn, xmlEscape } from './votable.js';

export const DATALINK_CONTENT_TYPE = 'application/x-votable+xml;content=datalink';
const SODA_ID = 'soda';

const text = (name: string, ucd: string, description: string): VotableColumn => ({
  name,
  datatype: 'char',
  arraysize: '*',
  ucd,
  description,
});

/** DataLink 1.1 §3.2, the columns in the standard's order. */
const LINK_COLUMNS: VotableColumn[] = [
  text('ID', 'meta.id;meta.main', 'Identifier of the dataset the link is about'),
  text('access_url', 'meta.ref.url', 'URL of the linked resource'),
  text('service_def', 'meta.ref', 'Reference to the service descriptor resource'),
  text('error_message', 'meta.code.error', 'Why there is no link'),
  text('description', 'meta.note', 'What the link gives'),
  text('semantics', 'meta.code', 'Term of the IVOA datalink vocabulary'),
  text('content_type', 'meta.code.mime', 'MIME type of the linked resource'),
  {
    name: 'content_length',
    datatype: 'long',
    ucd: 'phys.size;meta.file',
    unit: 'byte',
    description: 'Size of the linked resource',
  },
  text('content_qualifier', 'meta.code.class', 'Product type of the linked resource'),
  text('local_semantics', 'meta.code', 'Service-defined semantics'),
  text('link_auth', 'meta.code', 'Whether the link needs authentication: false, optional or true'),
  { name: 'link_authorized', datatype: 'boolean', ucd: 'meta.code', description: 'Whether the caller may follow it' },
];

export type DatalinkEntry = { id: string; image: CatalogImage; mayDownload: boolean } | { id: string; image: null };

type Row = Record<string, string | number | boolean | null>;

function rowsOf(entry: DatalinkEntry, baseUrl: string): Row[] {
  const { id, image } = entry;
  if (!image) return [{ ID: id, error_message: `NotFoundFault: no dataset ${id}` }];
  const allowed = entry.mayDownload;
  const refused = 'NotAuthorizedFault: this account may not download files';
  const auth = { link_auth: 'true', link_authorized: allowed };
  return [
    allowed
      ? {
          ID: id,
          access_url: `${baseUrl}/api/images/${image.id}/download`,
          description: 'The original FITS file',
          semantics: '#this',
          content_type: PRODUCT_FORMAT,
          content_length: image.size_bytes,
          content_qualifier: 'image',
          ...auth,
        }
      : { ID: id, error_message: refused, semantics: '#this', ...auth },
    {
      ID: id,
      access_url: `${baseUrl}/api/images/${image.id}/preview?size=medium`,
      description: 'Preview of the frame (PNG, stretched)',
      semantics: '#preview',
      content_type: 'image/png',
      content_qualifier: 'image',
      link_auth: 'optional',
      link_authorized: true,
    },
    allowed
      ? {
          ID: id,
          service_def: SODA_ID,
          description: 'Cutout of the frame by sky region (CIRCLE, POLYGON, POS) or pixel ranges (PIXEL), as FITS',
          semantics: '#cutout',
          content_type: PRODUCT_FORMAT,
          content_qualifier: 'image',
          ...auth,
        }
      : { ID: id, error_message: refused, semantics: '#cutout', ...auth },
  ];
}

const param = (attrs: string, description: string) =>
  `<PARAM ${attrs}><DESCRIPTION>${xmlEscape(description)}</DESCRIPTION></PARAM>\n`;

/** The SODA sync service descriptor (DataLink §4, SODA §3). */
function sodaDescriptor(baseUrl: string, ids: string[]): string {
  // One ID per document row set: the descriptor names the ID column, so a client fills it per row.
  const idValue = ids.length === 1 ? xmlEscape(ids[0] as string) : '';
  return (
    `<RESOURCE type="meta" utype="adhoc:service" ID="${SODA_ID}">\n` +
    '<PARAM name="standardID" datatype="char" arraysize="*" value="ivo://ivoa.net/std/SODA#sync-1.0"/>\n' +
    `<PARAM name="accessURL" datatype="char" arraysize="*" value="${xmlEscape(`${baseUrl}/api/vo/soda`)}"/>\n` +
    '<GROUP name="inputParams">\n' +
    param(
      `name="ID" datatype="char" arraysize="*" ucd="meta.id;meta.dataset" value="${idValue}"`,
      'The dataset to cut',
    ) +
    param(
      'name="CIRCLE" datatype="double" arraysize="3" xtype="circle" unit="deg" ucd="phys.angArea;obs" value=""',
      'Cutout circle: ra dec radius (ICRS, degrees)',
    ) +
    param(
      'name="POLYGON" datatype="double" arraysize="*" xtype="polygon" unit="deg" ucd="pos.outline;obs" value=""',
      'Cutout polygon: ra1 dec1 ra2 dec2 … (ICRS, degrees)',
    ) +
    param(
      'name="POS" datatype="char" arraysize="*" ucd="pos.outline;obs" value=""',
      'Cutout region as in SIA: CIRCLE …, RANGE …, POLYGON …',
    ) +
    param(
      'name="PIXEL" datatype="char" arraysize="*" ucd="pos.cartesian.x;instr.pixel" value=""',
      'Pixel ranges x1 x2 y1 y2 (FITS pixels, 1-based, inclusive)',
    ) +
    param(
      'name="PIXEL_1" datatype="long" arraysize="2" xtype="interval" ucd="pos.cartesian.x;instr.pixel" value=""',
      'Pixel range along axis 1 (1-based, inclusive)',
    ) +
    param(
      'name="PIXEL_2" datatype="long" arraysize="2" xtype="interval" ucd="pos.cartesian.y;instr.pixel" value=""',
      'Pixel range along axis 2 (1-based, inclusive)',
    ) +
    '</GROUP>\n</RESOURCE>\n'
  );
}

export function datalinkVotable(entries: DatalinkEntry[], options: { baseUrl: string }): string {
  const rows = entries.flatMap((e) => rowsOf(e, options.baseUrl));
  const sodaIds = entries.filter((e) => e.image && e.mayDownload).map((e) => e.id);
  return [
    HEADER,
    '<RESOURCE type="results">\n',
    '<INFO name="QUERY_STATUS" value="OK"/>\n',
    '<INFO name="standardID" value="ivo://ivoa.net/std/DataLink#links-1.1"/>\n',
    tableXml(LINK_COLUMNS, rows),
    '</RESOURCE>\n',
    sodaIds.length ? sodaDescriptor(options.baseUrl, sodaIds) : '',
    '</VOTABLE>\n',
  ].join('');
}
