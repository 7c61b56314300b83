/**
 * A night of frames as real acquisition programs write them, with the truth each header encodes.
 * Header styles: MaxIm DL/ACP (OBJCTRA in hours with spaces, 'Light Frame'), N.I.N.A. (RA/DEC in
 * degrees, LIGHT), KStars/Ekos (FRAME = 'Light', OBJCTRA with a leading space), and the ZWO Seestar.
 * Every frame has its own pixels (its own seed), so every file has its own content hash.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type WriteCard, writeFits } from '@aims/fits';
import { generateFrame } from './synthetic-frames.js';

export type HeaderStyle = 'maxim' | 'nina' | 'ekos' | 'seestar';

export interface NightFrame {
  path: string;
  style: HeaderStyle;
  object: string;
  filter: string;
  exptime: number;
  ccdTemp: number;
  /** ISO 8601 UTC, seconds precision, as written in DATE-OBS. */
  dateObs: string;
  raDeg: number;
  decDeg: number;
}

export interface NightOptions {
  count: number;
  seed?: number;
  /** First exposure start, UTC. */
  start?: string;
  /** Seconds between exposure starts. */
  cadenceSeconds?: number;
  width?: number;
  height?: number;
  styles?: HeaderStyle[];
  /** One target, filter and exposure for every frame (a set of comparable frames). */
  uniform?: boolean;
}

const TARGETS = [
  { object: 'M 13', raDeg: 250.423475, decDeg: 36.461319 },
  { object: 'NGC 6946', raDeg: 308.71796, decDeg: 60.15389 },
  { object: 'AD Leo', raDeg: 154.901167, decDeg: 19.869983 },
];
const FILTERS = ['L', 'R', 'G', 'B', 'Ha'];

function sexagesimal(value: number, sep: string, decimals: number, signed: boolean): string {
  const sign = value < 0 ? '-' : signed ? '+' : '';
  const total = Math.round(Math.abs(value) * 3600 * 10 ** decimals) / 10 ** decimals;
  const d = Math.floor(total / 3600);
  const m = Math.floor((total - d * 3600) / 60);
  const s = total - d * 3600 - m * 60;
  const ss = s.toFixed(decimals).padStart(decimals ? 3 + decimals : 2, '0');
  return `${sign}${String(d).padStart(2, '0')}${sep}${String(m).padStart(2, '0')}${sep}${ss}`;
}

/** RA/Dec rounded to what the header style can express, so the truth equals what is written. */
function headerCards(f: Omit<NightFrame, 'path'>): { cards: WriteCard[]; raDeg: number; decDeg: number } {
  const common: WriteCard[] = [
    { key: 'DATE-OBS', value: f.dateObs, comment: 'UTC start of exposure' },
    { key: 'OBJECT', value: f.object },
    { key: 'FILTER', value: f.filter },
    { key: 'CCD-TEMP', value: f.ccdTemp, comment: 'sensor temperature (C)' },
    { key: 'XBINNING', value: 1 },
    { key: 'YBINNING', value: 1 },
  ];
  switch (f.style) {
    case 'maxim': {
      const ra = Math.round((f.raDeg / 15) * 3600) / 3600;
      const dec = Math.round(f.decDeg * 3600) / 3600;
      return {
        raDeg: ra * 15,
        decDeg: dec,
        cards: [
          ...common,
          { key: 'EXPTIME', value: f.exptime },
          { key: 'EXPOSURE', value: f.exptime },
          { key: 'IMAGETYP', value: 'Light Frame' },
          { key: 'OBJCTRA', value: sexagesimal(ra, ' ', 0, false) },
          { key: 'OBJCTDEC', value: sexagesimal(dec, ' ', 0, true) },
          { key: 'TELESCOP', value: 'Winer 0.5m' },
          { key: 'INSTRUME', value: 'Apogee Alta U47' },
          { key: 'SWCREATE', value: 'MaxIm DL Version 6.18' },
        ],
      };
    }
    case 'nina':
      return {
        raDeg: f.raDeg,
        decDeg: f.decDeg,
        cards: [
          ...common,
          { key: 'EXPOSURE', value: f.exptime },
          { key: 'IMAGETYP', value: 'LIGHT' },
          { key: 'RA', value: f.raDeg, comment: '[deg]' },
          { key: 'DEC', value: f.decDeg, comment: '[deg]' },
          { key: 'GAIN', value: 100 },
          { key: 'OFFSET', value: 50 },
          { key: 'TELESCOP', value: 'RC8' },
          { key: 'INSTRUME', value: 'ZWO ASI294MM Pro' },
          { key: 'SWCREATE', value: 'N.I.N.A. 3.1.2.9001' },
        ],
      };
    case 'ekos': {
      const ra = Math.round((f.raDeg / 15) * 360000) / 360000;
      const dec = Math.round(f.decDeg * 36000) / 36000;
      return {
        raDeg: ra * 15,
        decDeg: dec,
        cards: [
          ...common,
          { key: 'EXPTIME', value: f.exptime },
          { key: 'FRAME', value: 'Light' },
          { key: 'OBJCTRA', value: ` ${sexagesimal(ra, ' ', 2, false).replace(/^0/, '')}` },
          { key: 'OBJCTDEC', value: sexagesimal(dec, ' ', 1, false) },
          { key: 'TELESCOP', value: 'EQMod Mount' },
          { key: 'INSTRUME', value: 'QHY CCD QHY268M' },
        ],
      };
    }
    case 'seestar':
      return {
        raDeg: f.raDeg,
        decDeg: f.decDeg,
        cards: [
          ...common,
          { key: 'EXPTIME', value: f.exptime },
          { key: 'EXPOSURE', value: f.exptime },
          { key: 'IMAGETYP', value: 'Light' },
          { key: 'RA', value: f.raDeg },
          { key: 'DEC', value: f.decDeg },
          { key: 'TELESCOP', value: 'Seestar S50' },
          { key: 'INSTRUME', value: 'Seestar S50' },
          { key: 'CREATOR', value: 'ZWO Seestar S50' },
        ],
      };
  }
}

/** Writes `count` frames into `dir` and returns what each header says. */
export function writeSyntheticNight(dir: string, options: NightOptions): NightFrame[] {
  mkdirSync(dir, { recursive: true });
  const styles = options.styles ?? ['maxim', 'nina', 'ekos', 'seestar'];
  const startMs = Date.parse(options.start ?? '2024-05-01T21:00:00Z');
  const cadence = options.cadenceSeconds ?? 120;
  const seed = options.seed ?? 1;
  const frames: NightFrame[] = [];
  for (let i = 0; i < options.count; i++) {
    const k = options.uniform ? 0 : i;
    const target = TARGETS[k % TARGETS.length]!;
    const style = styles[i % styles.length]!;
    const draft = {
      style,
      object: target.object,
      filter: FILTERS[k % FILTERS.length]!,
      exptime: [30, 60, 120, 300][k % 4]!,
      ccdTemp: -10 - (i % 3) * 5,
      dateObs: new Date(startMs + i * cadence * 1000).toISOString().slice(0, 19),
      raDeg: target.raDeg,
      decDeg: target.decDeg,
    };
    const { cards, raDeg, decDeg } = headerCards(draft);
    const width = options.width ?? 64;
    const height = options.height ?? 64;
    const frame = generateFrame({ width, height, seed: seed * 100_003 + i, stars: { count: 12, fwhm: 3 } });
    const path = join(dir, `${draft.object.replace(/\s+/g, '_')}_${draft.filter}_${String(i).padStart(4, '0')}.fits`);
    // Only this style's cards: the generator's own defaults would add keywords the style lacks.
    writeFileSync(path, writeFits([{ cards, bitpix: 16, bzero: 32768, axes: [width, height], data: frame.data }]));
    frames.push({ ...draft, raDeg, decDeg, path });
  }
  return frames;
}
