import type { CardValue } from '@aims/fits';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImageMetadata } from '../../../src/domain/image.js';
import { headerFromEntries, KEYWORD_TABLE, normalizeHeaders } from '../../../src/ingest/normalize/index.js';

/**
 * Headers in the style of the acquisition programs that have no file among the fixtures, written
 * from their documented keyword sets, and what each must normalize to.
 */
const header = (cards: Record<string, CardValue>) => headerFromEntries(Object.entries(cards));
const NOW = new Date('2026-11-24T00:00:00Z');

const WRITERS: Array<{
  writer: string;
  cards: Record<string, CardValue>;
  values: Partial<ImageMetadata>;
  sources?: Partial<Record<keyof ImageMetadata, string>>;
}> = [
  {
    writer: 'N.I.N.A. 3',
    cards: {
      IMAGETYP: 'LIGHT',
      EXPOSURE: 120.0,
      EXPTIME: 120.0,
      'DATE-LOC': '2023-09-16T04:10:05.1234567',
      'DATE-OBS': '2023-09-16T03:10:05.1234567',
      XBINNING: 1,
      YBINNING: 1,
      GAIN: 100,
      OFFSET: 50,
      EGAIN: 0.25,
      XPIXSZ: 3.76,
      INSTRUME: 'ZWO ASI2600MM Pro',
      'SET-TEMP': -10.0,
      'CCD-TEMP': -10.1,
      TELESCOP: 'Esprit 100',
      FOCALLEN: 550,
      FOCRATIO: 5.5,
      RA: 83.82208,
      DEC: -5.39111,
      CENTALT: 35.2,
      CENTAZ: 170.1,
      AIRMASS: 1.7321,
      SITEELEV: 35,
      SITELAT: 51.4779,
      SITELONG: -0.0015,
      FILTER: 'Ha',
      FOCPOS: 12345,
      FOCUSPOS: 12345,
      FOCTEMP: 12.5,
      OBJECT: 'M 42',
      OBJCTRA: '05 35 17',
      OBJCTDEC: '-05 23 28',
      SWCREATE: 'N.I.N.A. 3.0.0.9001 (x64)',
    },
    values: {
      date_obs: '2023-09-16T03:10:05.1234567Z',
      night: '2023-09-15',
      exptime: 120,
      image_type: 'light',
      gain: 100,
      offset: 50,
      ccd_temp: -10.1,
      set_temp: -10,
      pixel_size_um: 3.76,
      focal_length_mm: 550,
      aperture_mm: 100,
      ra_deg: 83.82208,
      dec_deg: -5.39111,
      position_source: 'ra_dec',
      altitude_deg: 35.2,
      azimuth_deg: 170.1,
      airmass: 1.7321,
      airmass_computed: false,
      site_elev_m: 35,
      filter_name: 'Ha',
      focuser_position: 12345,
      focuser_temp: 12.5,
      object_name: 'M 42',
      software: 'N.I.N.A. 3.0.0.9001 (x64)',
      pixel_scale_arcsec: (206.264806 * 3.76) / 550,
    },
    sources: { aperture_mm: 'FOCALLEN/FOCRATIO', altitude_deg: 'CENTALT', focuser_position: 'FOCPOS', gain: 'GAIN' },
  },
  {
    writer: 'SharpCap 4 (one-shot colour)',
    cards: {
      'DATE-OBS': '2023-01-05T21:34:12.5000000',
      EXPTIME: 4.0,
      XBINNING: 2,
      YBINNING: 2,
      XPIXSZ: 9.26,
      GAIN: 120,
      BLKLEVEL: 30,
      'CCD-TEMP': 'n/a',
      BAYERPAT: 'RGGB',
      SWCREATE: 'SharpCap v4.0.9268.0, 64 bit',
      INSTRUME: 'ZWO ASI294MC Pro',
      FOCALLEN: 430,
    },
    values: {
      date_obs: '2023-01-05T21:34:12.5000000Z',
      exptime: 4,
      xbinning: 2,
      ybinning: 2,
      pixel_size_um: 4.63,
      offset: 30,
      ccd_temp: null,
      bayer_pattern: 'RGGB',
      camera: 'ZWO ASI294MC Pro',
      image_type: null,
      // 206.265 × 4.63 µm × 2 / 430 mm: the binned pixel's scale.
      pixel_scale_arcsec: (206.264806 * 9.26) / 430,
      night: null,
    },
    sources: { offset: 'BLKLEVEL', pixel_size_um: 'XPIXSZ' },
  },
  {
    writer: 'Sequence Generator Pro',
    cards: {
      IMAGETYP: 'Light Frame',
      'DATE-OBS': '2019-04-02T04:05:06',
      EXPOSURE: 300.0,
      OBJECT: 'M 101',
      OBJCTRA: '14 03 12',
      OBJCTDEC: '+54 20 56',
      FILTER: 'Lum',
      SITELAT: '+45 30 00',
      SITELONG: '-73 35 00',
      FOCUSPOS: 5200,
      FOCUSTEM: 3.4,
      'CCD-TEMP': -20.0,
      'SET-TEMP': -20.0,
      SWCREATE: 'Sequence Generator Pro v3.1.0.479',
    },
    values: {
      image_type: 'light',
      image_type_raw: 'Light Frame',
      exptime: 300,
      ra_deg: (14 + 3 / 60 + 12 / 3600) * 15,
      dec_deg: 54 + 20 / 60 + 56 / 3600,
      position_source: 'objctra',
      filter_name: 'Lum',
      site_lat_deg: 45.5,
      site_lon_deg: -(73 + 35 / 60),
      // 23:11 local mean time on 1 April.
      night: '2019-04-01',
      focuser_position: 5200,
      focuser_temp: 3.4,
      airmass_computed: true,
    },
    sources: { exptime: 'EXPOSURE', focuser_temp: 'FOCUSTEM' },
  },
  {
    writer: 'APT (dark)',
    cards: {
      IMAGETYP: 'Dark',
      'DATE-OBS': '2021-11-20T22:00:00',
      EXPTIME: 180,
      'CCD-TEMP': -15,
      SWCREATE: 'Astro Photography Tool - APT v.3.88',
      XBINNING: 1,
      YBINNING: 1,
    },
    values: { image_type: 'dark', exptime: 180, ccd_temp: -15, software: 'Astro Photography Tool - APT v.3.88' },
  },
  {
    writer: 'KStars/Ekos flat',
    cards: {
      FRAME: 'Flat',
      'DATE-OBS': '2022-06-01T20:00:00.123',
      EXPTIME: 0.5,
      FILTER: 'Red',
      PIXSIZE1: 3.8,
      XPIXSZ: 7.6,
      XBINNING: 2,
      YBINNING: 2,
    },
    values: { image_type: 'flat', image_type_raw: 'Flat', pixel_size_um: 3.8, xbinning: 2 },
    sources: { image_type: 'FRAME', pixel_size_um: 'PIXSIZE1' },
  },
  {
    writer: 'NOAO/IRAF (KPNO)',
    cards: {
      OBSTYPE: 'zero',
      'DATE-OBS': '2011-03-01',
      UT: '05:06:07.8',
      RA: '05:34:31.94',
      DEC: '+22:00:52.2',
      CCDSUM: '2 2',
      OBSERVAT: 'KPNO',
      TELESCOP: 'KPNO 4.0 meter telescope',
      DETECTOR: 'Mosaic1.1',
      FILTER: 'g SDSS c0001 4720.0 1520.0',
      EXPTIME: 0,
      'OBS-LAT': 31.9633,
      'OBS-LONG': 111.6,
    },
    values: {
      image_type: 'bias',
      date_obs: '2011-03-01T05:06:07.8Z',
      ra_deg: (5 + 34 / 60 + 31.94 / 3600) * 15,
      dec_deg: 22 + 52.2 / 3600,
      position_source: 'ra_dec',
      xbinning: 2,
      ybinning: 2,
      observatory: 'KPNO',
      camera: 'Mosaic1.1',
      filter_name: 'g SDSS c0001 4720.0 1520.0',
      site_lat_deg: 31.9633,
      // OBS-LONG is west-positive at NOAO and is not read.
      site_lon_deg: null,
    },
    sources: { date_obs: 'DATE-OBS+UT', xbinning: 'CCDSUM', image_type: 'OBSTYPE' },
  },
  {
    writer: 'ESO VLT (HIERARCH)',
    cards: {
      'DATE-OBS': '2015-05-14T02:03:04.567',
      'MJD-OBS': 57156.08546952,
      EXPTIME: 10.0,
      RA: 210.5,
      DEC: -30.25,
      INSTRUME: 'FORS2',
      TELESCOP: 'ESO-VLT-U1',
      OBSERVER: 'UNKNOWN',
      'ESO DPR TYPE': 'FLAT,SKY',
      'ESO TEL GEOLAT': -24.627,
      'ESO TEL GEOLON': -70.404,
      'ESO TEL GEOELEV': 2648.0,
      'ESO INS FILT1 NAME': 'v_HIGH',
      'ESO OBS PROG ID': '095.D-0123(A)',
      'ESO TEL AIRM START': 1.2,
      'ESO DET WIN1 BINX': 2,
      'ESO DET WIN1 BINY': 2,
      'ESO DET OUT1 GAIN': 1.25,
    },
    values: {
      date_obs: '2015-05-14T02:03:04.567Z',
      image_type: 'flat',
      image_type_raw: 'FLAT,SKY',
      site_lat_deg: -24.627,
      site_lon_deg: -70.404,
      site_elev_m: 2648,
      filter_name: 'v_HIGH',
      program: '095.D-0123(A)',
      airmass: 1.2,
      xbinning: 2,
      gain: 1.25,
      observer: null,
      // 21:21 local mean time on 13 May.
      night: '2015-05-13',
    },
    sources: { filter_name: 'ESO INS FILT1 NAME', image_type: 'ESO DPR TYPE', site_lon_deg: 'ESO TEL GEOLON' },
  },
];

function expectValues(actual: ImageMetadata, expected: Partial<ImageMetadata>): void {
  for (const [field, value] of Object.entries(expected)) {
    const got = actual[field as keyof ImageMetadata];
    if (typeof value === 'number' && typeof got === 'number') expect(got, field).toBeCloseTo(value, 9);
    else expect(got, field).toEqual(value);
  }
}

describe('headers of acquisition programs and pipelines', () => {
  it.each(WRITERS.map((w) => [w.writer, w] as const))('%s', (_writer, w) => {
    const result = normalizeHeaders([header(w.cards)], { now: NOW });
    expectValues(result.values, w.values);
    for (const [field, source] of Object.entries(w.sources ?? {}))
      expect(result.sources[field as keyof ImageMetadata], field).toBe(source);
  });

  it('records the refused card', () => {
    const { reasons } = normalizeHeaders([header({ 'CCD-TEMP': 'n/a', 'SET-TEMP': 500 })], { now: NOW });
    expect(reasons.ccd_temp).toBe("CCD-TEMP 'n/a' is not a number");
    expect(reasons.set_temp).toBe('SET-TEMP 500 is outside the plausible range -200…80');
  });
});

describe('observing night options', () => {
  const at = (iso: string, cards: Record<string, CardValue> = {}) => header({ 'DATE-OBS': iso, ...cards });

  it('uses the site longitude, east and west', () => {
    // 03:00 local mean time: the previous date, on both sides of Greenwich.
    expect(normalizeHeaders([at('2024-01-09T17:00:00', { SITELONG: 150 })]).values.night).toBe('2024-01-09');
    expect(normalizeHeaders([at('2024-01-10T09:00:00', { SITELONG: '-90 00 00' })]).values.night).toBe('2024-01-09');
    expect(normalizeHeaders([at('2024-01-10T01:00:00', { SITELONG: '-90 00 00' })]).values.night).toBe('2024-01-09');
    expect(normalizeHeaders([at('2024-01-10T19:00:00', { SITELONG: '-90 00 00' })]).values.night).toBe('2024-01-10');
  });

  it('honours the rollover hour', () => {
    const frame = [at('2024-01-10T07:00:00', { SITELONG: 0 })];
    expect(normalizeHeaders(frame).values.night).toBe('2024-01-09');
    expect(normalizeHeaders(frame, { nightRolloverHour: 6 }).values.night).toBe('2024-01-10');
    expect(normalizeHeaders(frame, { nightRolloverHour: 8 }).values.night).toBe('2024-01-09');
  });

  it('falls back to the configured time zone, and says so', () => {
    const result = normalizeHeaders([at('2024-07-01T08:00:00')], { timezone: 'America/Chicago' });
    expect(result.values.night).toBe('2024-06-30');
    expect(result.sources.night).toBe('AIMS_TIMEZONE');
    expect(result.reasons.night).toBe('local time from the configured time zone America/Chicago (no site longitude)');
  });

  it('falls back in order: library longitude, library time zone, AIMS_TIMEZONE, the server time zone', () => {
    const frame = [at('2024-07-01T08:00:00')];
    const chicago = { timezone: 'America/Chicago' };
    const night = (options: Parameters<typeof normalizeHeaders>[1]) => {
      const result = normalizeHeaders(frame, options);
      return [result.values.night, result.sources.night];
    };
    // 08:00 UTC: 03:00 in Chicago (night of 30 June), 17:00 in Tokyo (night of 1 July).
    expect(night({ serverTimezone: 'Asia/Tokyo' })).toEqual(['2024-07-01', 'server time zone']);
    expect(night({ ...chicago, serverTimezone: 'Asia/Tokyo' })).toEqual(['2024-06-30', 'AIMS_TIMEZONE']);
    expect(night({ timezone: 'Asia/Tokyo', library: chicago })).toEqual(['2024-06-30', 'library time zone']);
    // Longitude +135°: 17:00 local mean time, wins over the library's own zone.
    expect(night({ library: { ...chicago, longitudeDeg: 135 } })).toEqual(['2024-07-01', 'library longitude']);
    // A header longitude wins over them all: 8 h west is 00:00 local, the night of 30 June.
    const withSite = normalizeHeaders([at('2024-07-01T08:00:00', { SITELONG: -120 })], {
      library: { longitudeDeg: 135 },
    });
    expect([withSite.values.night, withSite.sources.night]).toEqual(['2024-06-30', 'SITELONG']);
    expect(normalizeHeaders(frame, {}).values.night).toBeNull();
  });

  it('gives minutes after 00:00 UTC', () => {
    expect(normalizeHeaders([at('2024-07-01T23:59:59.9')]).values.time_of_day_min).toBe(1439);
    expect(normalizeHeaders([at('2024-07-01T00:00:00')]).values.time_of_day_min).toBe(0);
  });
});

describe('any header', () => {
  const keywords = [
    ...new Set([
      ...KEYWORD_TABLE.flatMap((rule) => rule.keywords.map((k) => (typeof k === 'string' ? k : k.key))),
      ...[
        'DATE-OBS',
        'TIME-OBS',
        'UT',
        'MJD-OBS',
        'JD',
        'TM-START',
        'RA',
        'DEC',
        'OBJCTRA',
        'OBJCTDEC',
        'SITELAT',
        'SITELONG',
      ],
      ...[
        'IMAGETYP',
        'FRAME',
        'FILTER',
        'FILTER1',
        'FILTER2',
        'XBINNING',
        'YBINNING',
        'BINNING',
        'CCDSUM',
        'XPIXSZ',
        'NAXIS',
        'NAXIS1',
      ],
      ...[
        'NAXIS2',
        'BITPIX',
        'CTYPE1',
        'CTYPE2',
        'CRVAL1',
        'CRVAL2',
        'CDELT1',
        'CDELT2',
        'CRPIX1',
        'OBSGEO-X',
        'OBSGEO-Y',
        'OBSGEO-Z',
      ],
    ]),
  ];
  const cardValue: fc.Arbitrary<CardValue> = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(
      '2013-03-11T03:35:20',
      '29/11/51',
      '12:07:00',
      '+46:52:00',
      'RA---TAN',
      'DEC--TAN',
      'LIGHT',
      '2x2',
      'None',
      '',
    ),
    fc.double(),
    fc.integer(),
    fc.bigInt(),
    fc.boolean(),
    fc.constant(null),
    fc.tuple(fc.double(), fc.double()),
  );

  it('never throws, and every null field says why', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keywords), cardValue, { maxKeys: 30 }), (cards) => {
        const { values, reasons } = normalizeHeaders([header(cards)], { now: NOW });
        for (const [field, value] of Object.entries(values)) {
          if (value === null && !reasons[field as keyof ImageMetadata])
            throw new Error(
              `${field} is null without a reason for ${JSON.stringify(cards, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`,
            );
          if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${field} is ${value}`);
        }
      }),
      { numRuns: 400 },
    );
  });
});
