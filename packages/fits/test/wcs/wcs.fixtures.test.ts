/**
 * The WCS against astropy.wcs (WCSLIB) on every HDU of every fixture and of astropy's own io.fits
 * and wcs test data: pixel → sky at the centre, the corners and random pixels within 0.01 arcsec,
 * the exact inverse within 1e-6 pixel, the footprint against calc_footprint and the pixel scale
 * against proj_plane_pixel_scales. What is not compared is listed with its reason: HDUs astropy
 * cannot read are skipped (the reason is the test's title), projections this WCS refuses are
 * checked to give null.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wcsFromHeader } from '../../src/wcs/index.js';
import { ASTROPY_PACKAGE_DIR, HAVE_ASTROPY_DATA } from '../support/astropy-data.js';
import { FIXTURES_DIR, fixtureFiles, HAVE_FIXTURES } from '../support/fixtures.js';
import { astropyWcsTestFiles, readHeaders } from '../support/wcs-headers.js';
import { expectMatchesAstropy, refusalReason, runWcsOracle } from '../support/wcs-oracle.js';

const present = HAVE_FIXTURES && HAVE_ASTROPY_DATA;
const files = present ? [...fixtureFiles(), ...astropyWcsTestFiles()] : [];
const oracle = present ? runWcsOracle(files) : { results: [] };
const name = (file: string) =>
  file.startsWith(FIXTURES_DIR) ? relative(FIXTURES_DIR, file) : `astropy:${relative(ASTROPY_PACKAGE_DIR, file)}`;

describe.skipIf(!present)('WCS against astropy.wcs', () => {
  it('has a reference to compare with', () => {
    expect(oracle.skipReason).toBeUndefined();
    expect(files.length).toBeGreaterThan(100);
    // The fixtures alone hold 30-odd celestial HDUs; astropy's data adds 80 more.
    expect(oracle.results.filter((r) => r.status === 'ok').length).toBeGreaterThan(100);
  });

  const headerCache = new Map<string, ReturnType<typeof readHeaders>>();
  const headersOf = (file: string) => {
    let headers = headerCache.get(file);
    if (headers === undefined) {
      headers = readHeaders(file);
      headerCache.set(file, headers);
    }
    return headers;
  };

  for (const result of oracle.results) {
    const label = `${name(result.file)}${result.hdu === null ? '' : ` [${result.hdu}]`}`;
    if (result.status === 'skip') {
      it.skip(`${label}: ${result.reason}`, () => {});
      continue;
    }
    const hdu = result.hdu ?? 0;
    if (result.status === 'none') {
      it(`${label}: no celestial WCS`, async () => {
        const header = (await headersOf(result.file))[hdu];
        expect(header).toBeDefined();
        if (header) expect(wcsFromHeader(header)).toBeNull();
      });
      continue;
    }
    const refused = refusalReason(result.ctype ?? '');
    const title = refused
      ? `${label}: refused (${refused})`
      : `${label}: ${result.ctype} ${result.frame} matches astropy${result.reason ? ` (${result.reason})` : ''}`;
    it(title, async () => {
      const header = (await headersOf(result.file))[hdu];
      expect(header, 'header read').toBeDefined();
      if (!header) return;
      const wcs = wcsFromHeader(header);
      if (refused !== undefined) {
        expect(wcs, refused).toBeNull();
        return;
      }
      expect(wcs, `wcsFromHeader(${result.ctype})`).not.toBeNull();
      if (wcs) expectMatchesAstropy(wcs, result);
    });
  }
});
