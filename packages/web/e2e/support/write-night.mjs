#!/usr/bin/env node
// Writes a night of synthetic FITS frames for the end-to-end tests, with plain Node (no TypeScript
// loader): `node write-night.mjs DIR COUNT [SIZE]`. Star fields with a known seeing per frame, a
// TAN WCS on the light frames (so the UI can show RA/Dec under the cursor), a few darks and a
// flat, three targets and five filters over one night, CCD temperatures that drift. Uses the built
// @aims/fits writer (packages/fits/dist).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFits } from '../../../fits/dist/index.js';

const [dir, countText = '24', sizeText = '128'] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: write-night.mjs DIR [COUNT] [SIZE]\n');
  process.exit(2);
}
const count = Number(countText);
const size = Number(sizeText);

const TARGETS = [
  { object: 'M 13', ra: 250.423475, dec: 36.461319 },
  { object: 'NGC 6946', ra: 308.71796, dec: 60.15389 },
  { object: 'AD Leo', ra: 154.901167, dec: 19.869983 },
];
const FILTERS = ['L', 'R', 'G', 'B', 'Ha'];
const START_MS = Date.parse('2024-05-01T21:00:00Z');
const CADENCE_S = 600;
const PIXEL_SCALE_DEG = 1.5 / 3600;

// A small deterministic generator, so that every run writes the same files.
function random(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
function gaussian(rand) {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

function frame(i, kind) {
  const rand = random(1000 + i * 7919);
  const data = new Float64Array(size * size);
  const sky = kind === 'flat' ? 20000 : kind === 'dark' ? 300 : 1000 + 40 * i;
  for (let p = 0; p < data.length; p++) data[p] = sky + gaussian(rand) * (kind === 'flat' ? 60 : 8);
  if (kind === 'light') {
    // Seeing worsens through the night; the last third of the frames is clearly worse.
    const fwhm = 2.2 + (i / count) * 2.5;
    const sigma = fwhm / 2.3548;
    for (let s = 0; s < 25; s++) {
      const x0 = 8 + rand() * (size - 16);
      const y0 = 8 + rand() * (size - 16);
      const flux = 3000 + rand() * 40000;
      const peak = flux / (2 * Math.PI * sigma * sigma);
      const r = Math.ceil(sigma * 5);
      for (let y = Math.max(0, Math.floor(y0 - r)); y < Math.min(size, y0 + r); y++)
        for (let x = Math.max(0, Math.floor(x0 - r)); x < Math.min(size, x0 + r); x++)
          data[y * size + x] += peak * Math.exp(-((x - x0) ** 2 + (y - y0) ** 2) / (2 * sigma * sigma));
    }
  }
  return data;
}

mkdirSync(dir, { recursive: true });
const written = [];
for (let i = 0; i < count; i++) {
  const kind = i === count - 1 ? 'flat' : i % 8 === 7 ? 'dark' : 'light';
  const target = TARGETS[i % TARGETS.length];
  const filter = FILTERS[i % FILTERS.length];
  const dateObs = new Date(START_MS + i * CADENCE_S * 1000).toISOString().slice(0, 19);
  const ccdTemp = -10 - (i % 3) * 5;
  const cards = [
    { key: 'DATE-OBS', value: dateObs, comment: 'UTC start of exposure' },
    { key: 'EXPTIME', value: kind === 'flat' ? 2 : [30, 60, 120, 300][i % 4] },
    { key: 'IMAGETYP', value: kind === 'light' ? 'Light Frame' : kind === 'dark' ? 'Dark Frame' : 'Flat Field' },
    { key: 'FILTER', value: filter },
    { key: 'CCD-TEMP', value: ccdTemp, comment: 'sensor temperature (C)' },
    { key: 'XBINNING', value: 1 },
    { key: 'YBINNING', value: 1 },
    { key: 'TELESCOP', value: i % 2 ? 'Winer 0.5m' : 'RC8' },
    { key: 'INSTRUME', value: i % 2 ? 'Apogee Alta U47' : 'ZWO ASI294MM Pro' },
    { key: 'SITELAT', value: 31.665 },
    { key: 'SITELONG', value: -110.601 },
  ];
  if (kind === 'light')
    cards.push(
      { key: 'OBJECT', value: target.object },
      { key: 'CTYPE1', value: 'RA---TAN' },
      { key: 'CTYPE2', value: 'DEC--TAN' },
      { key: 'CRVAL1', value: target.ra },
      { key: 'CRVAL2', value: target.dec },
      { key: 'CRPIX1', value: (size + 1) / 2 },
      { key: 'CRPIX2', value: (size + 1) / 2 },
      { key: 'CD1_1', value: -PIXEL_SCALE_DEG },
      { key: 'CD1_2', value: 0 },
      { key: 'CD2_1', value: 0 },
      { key: 'CD2_2', value: PIXEL_SCALE_DEG },
    );
  const name = `${kind === 'light' ? target.object.replace(/\s+/g, '_') : kind}_${filter}_${String(i).padStart(4, '0')}.fits`;
  const path = join(dir, name);
  writeFileSync(path, writeFits([{ cards, bitpix: 16, bzero: 32768, axes: [size, size], data: frame(i, kind) }]));
  written.push({ path, kind, object: kind === 'light' ? target.object : null, filter, dateObs, ccdTemp });
}
process.stdout.write(`${JSON.stringify(written)}\n`);
