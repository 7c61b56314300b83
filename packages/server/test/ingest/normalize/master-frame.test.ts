import { type Card, type CardValue, Header } from '@aims/fits';
import { describe, expect, it } from 'vitest';
import { normalizeHeaders } from '../../../src/ingest/normalize/index.js';

/** A parsed header as the FITS reader gives it, commentary cards included. */
function header(cards: Array<[string, CardValue]>): Header {
  return new Header(
    cards.map(
      ([key, value], index): Card => ({
        key,
        value,
        comment: '',
        commentary: key === 'HISTORY' || key === 'COMMENT',
        index,
        raw: '',
      }),
    ),
  );
}

const master = (cards: Array<[string, CardValue]>) => {
  const { values, sources } = normalizeHeaders([header(cards)]);
  return { master: values.master_frame, combined: values.combined_frames, source: sources.master_frame };
};

describe('master calibration frames are recognised from their headers', () => {
  it.each<[string, Array<[string, CardValue]>, { master: boolean; combined: number | null; source?: string }]>([
    [
      'IRAF/CCDPROC NCOMBINE',
      [
        ['IMAGETYP', 'DARK'],
        ['NCOMBINE', 25],
      ],
      { master: true, combined: 25, source: 'NCOMBINE' },
    ],
    [
      'Siril STACKCNT',
      [
        ['IMAGETYP', 'Flat'],
        ['STACKCNT', 30],
      ],
      { master: true, combined: 30, source: 'STACKCNT' },
    ],
    [
      'PixInsight ImageIntegration HISTORY',
      [
        ['IMAGETYP', 'Dark Frame'],
        ['HISTORY', 'ImageIntegration.numberOfImages: 20'],
      ],
      { master: true, combined: 20, source: 'HISTORY' },
    ],
    ['IMAGETYP "Master Dark"', [['IMAGETYP', 'Master Dark']], { master: true, combined: null, source: 'IMAGETYP' }],
    ['IMAGETYP MASTERFLAT', [['IMAGETYP', 'MASTERFLAT']], { master: true, combined: null, source: 'IMAGETYP' }],
    [
      "a stacking tool's HISTORY without a count",
      [
        ['IMAGETYP', 'BIAS'],
        ['HISTORY', 'Stacked with DeepSkyStacker'],
      ],
      { master: true, combined: null, source: 'HISTORY' },
    ],
    [
      'a single frame',
      [
        ['IMAGETYP', 'Dark Frame'],
        ['HISTORY', 'Calibrated by N.I.N.A.'],
      ],
      { master: false, combined: null },
    ],
    [
      'NCOMBINE = 1 is a single exposure',
      [
        ['IMAGETYP', 'DARK'],
        ['NCOMBINE', 1],
      ],
      { master: false, combined: 1 },
    ],
  ])('%s', (_writer, cards, expected) => {
    const { source, ...rest } = master(cards);
    expect(rest).toEqual({ master: expected.master, combined: expected.combined });
    expect(source).toBe(expected.source);
  });

  it('the master type is kept, as the header writes it, next to the normalized kind', () => {
    const { values } = normalizeHeaders([header([['IMAGETYP', 'Master Dark']])]);
    expect(values).toMatchObject({ image_type: 'dark', image_type_raw: 'Master Dark', master_frame: true });
  });
});
