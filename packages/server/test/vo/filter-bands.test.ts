import { describe, expect, it } from 'vitest';
import { bandLookup } from '../../src/vo/filter-bands.js';

const nm = (band: { minM: number; maxM: number } | null) =>
  band && [Math.round(band.minM * 1e11) / 100, Math.round(band.maxM * 1e11) / 100];

describe('filter passbands', () => {
  const lookup = bandLookup();
  it.each([
    ['V', [507, 595]],
    ['Johnson V', [507, 595]],
    ['R', [562, 720]],
    ['Rc', [562, 720]],
    ["r'", [555, 692]],
    ['SDSS r', [555, 692]],
    ['r', [555, 692]],
    ['gp', [409, 546]],
    ['G', [500, 600]],
    ['Green', [500, 600]],
    ['Lum', [400, 700]],
    ['Luminance', [400, 700]],
    ['Ha', [652.96, 659.96]],
    ['H-alpha 3nm', [654.96, 657.96]],
    ['[OIII]', [497.32, 504.32]],
    ['SII 6.5nm', [669.3, 675.8]],
    ['Hβ', [482.77, 489.77]],
  ])('%s → %j nm', (name, expected) => {
    expect(nm(lookup(name, null))).toEqual(expected);
  });

  it('unknown names have no band; a colour camera without filter covers its three channels', () => {
    expect(lookup('Filter 7', null)).toBeNull();
    expect(lookup(null, null)).toBeNull();
    expect(nm(lookup(null, 'RGGB'))).toEqual([400, 700]);
    expect(nm(lookup('', 'RGGB'))).toEqual([400, 700]);
  });

  it('configured names come first, normalised like the built-in ones', () => {
    const own = bandLookup({ 'Baader UHC-S': [450, 690], V: [500, 600] });
    expect(nm(own('baader uhc s', null))).toEqual([450, 690]);
    expect(nm(own('V', null))).toEqual([500, 600]);
  });
});
