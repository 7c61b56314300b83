/**
 * The TAP examples document (DALI 1.1, section 2.3): XHTML with RDFa that TOPCAT shows in its
 * examples menu and `stilts taplint` runs one by one.
 */
import { xmlEscape } from '../votable.js';

export const TAP_EXAMPLES: Array<{ id: string; name: string; text: string; query: string }> = [
  {
    id: 'cone',
    name: 'Frames within half a degree of a position',
    text: 'A cone search on the frame centres; it uses the spherical index.',
    query:
      "SELECT TOP 100 id, date_obs, object_name, filter_name, exptime, ra_deg, dec_deg\nFROM aims.images\nWHERE 1 = CONTAINS(POINT('ICRS', ra_deg, dec_deg), CIRCLE('ICRS', 10.68, 41.27, 0.5))\nORDER BY date_obs",
  },
  {
    id: 'integration',
    name: 'Integration time per target and filter',
    text: 'Hours of light frames on each object, by filter.',
    query:
      "SELECT object_name, filter_name, COUNT(*) AS frames, SUM(exptime) / 3600 AS hours\nFROM aims.images\nWHERE image_type = 'light'\nGROUP BY object_name, filter_name\nORDER BY hours DESC",
  },
  {
    id: 'sharp',
    name: 'The sharpest frames of a night',
    text: 'Frames with a measured FWHM under 2.5 arcseconds, best first.',
    query:
      "SELECT TOP 50 id, night, object_name, fwhm_arcsec, quality_score\nFROM aims.images\nWHERE fwhm_arcsec < 2.5 AND night >= '2024-01-01'\nORDER BY fwhm_arcsec",
  },
];

export function tapExamples(): string {
  const examples = TAP_EXAMPLES.map(
    (e) =>
      `<div typeof="example" id="${e.id}" resource="#${e.id}">\n` +
      `<h2 property="name">${xmlEscape(e.name)}</h2>\n<p>${xmlEscape(e.text)}</p>\n` +
      `<pre class="dachs-ex-tapquery" property="query">${xmlEscape(e.query)}</pre>\n</div>\n`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="en">\n' +
    '<head><title>AIMS TAP examples</title></head>\n' +
    '<body vocab="http://www.ivoa.net/rdf/examples#">\n<h1>AIMS TAP examples</h1>\n' +
    examples +
    '</body>\n</html>\n'
  );
}
