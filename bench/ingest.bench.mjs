#!/usr/bin/env node
// Ingest rate of `aims ingest`, against astropy reading only the headers of the same files, in the
// same run. Build first (`npx tsc -b packages/fits packages/server`).
//   1. Catalog-only (`--skip-analysis`): headers, SHA-256, normalization and SQLite writes for
//      AIMS_BENCH_FRAMES (default 3000) 256×256 16-bit frames with acquisition-program headers.
//   2. astropy on the same files: fits.getheader of each, and fits.open + every header (lazy).
//   3. Full ingest (pixel metrics, quality score, previews) of AIMS_BENCH_FULL_FRAMES (default 200)
//      1024×1024 frames with stars.
// Figures only: nothing is asserted. AIMS_BENCH_KEEP=1 keeps the generated files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFits } from '../packages/fits/dist/index.js';
import { lcg } from './support.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const aims = join(root, 'packages/server/bin/aims.js');
const python = '/usr/bin/python3';
const frames = Number(process.env.AIMS_BENCH_FRAMES ?? 3000);
const fullFrames = Number(process.env.AIMS_BENCH_FULL_FRAMES ?? 200);
const work = mkdtempSync(join(tmpdir(), 'aims-bench-ingest-'));

/** Approximately normal noise (sum of four uniforms), one table shared by all frames. */
function noiseTable(n, seed) {
  const rand = lcg(seed);
  const table = new Float32Array(n);
  for (let i = 0; i < n; i++) table[i] = (rand() + rand() + rand() + rand() - 2) * 1.73;
  return table;
}

const FILTERS = ['L', 'R', 'G', 'B', 'Ha', 'OIII', 'SII'];
const TARGETS = [
  ['M 13', '16 41 41.63', '+36 27 40.8'],
  ['NGC 6946', '20 34 52.32', '+60 09 14.0'],
  ['AD Leo', '10 19 36.28', '+19 52 12.1'],
];

/** About 45 cards, as MaxIm DL / N.I.N.A. write them for a light frame. */
function headerCards(i) {
  const [object, ra, dec] = TARGETS[i % TARGETS.length];
  const date = new Date(Date.UTC(2024, 4, 1, 21) + i * 65_000).toISOString().slice(0, 23);
  return [
    { key: 'DATE-OBS', value: date, comment: 'UTC date that FITS file was created' },
    { key: 'DATE', value: date, comment: 'UTC date that FITS file was written' },
    { key: 'EXPTIME', value: 60, comment: '[s] Exposure duration' },
    { key: 'EXPOSURE', value: 60, comment: '[s] Exposure duration' },
    { key: 'IMAGETYP', value: 'Light Frame', comment: 'Type of image' },
    { key: 'OBJECT', value: object },
    { key: 'OBJCTRA', value: ra, comment: '[hms J2000] Target right ascension' },
    { key: 'OBJCTDEC', value: dec, comment: '[dms +N J2000] Target declination' },
    { key: 'OBJCTALT', value: 61.2, comment: '[deg] Altitude of center of image' },
    { key: 'OBJCTAZ', value: 287.4, comment: '[deg] Azimuth of center of image' },
    { key: 'AIRMASS', value: 1.141, comment: 'Airmass (relative optical path length)' },
    { key: 'FILTER', value: FILTERS[i % FILTERS.length], comment: 'Filter name' },
    { key: 'CCD-TEMP', value: -10.1, comment: '[C] CCD temperature' },
    { key: 'SET-TEMP', value: -10, comment: '[C] CCD temperature setpoint' },
    { key: 'XBINNING', value: 1, comment: 'Binning factor in width' },
    { key: 'YBINNING', value: 1, comment: 'Binning factor in height' },
    { key: 'XPIXSZ', value: 4.63, comment: '[um] Pixel X axis size' },
    { key: 'YPIXSZ', value: 4.63, comment: '[um] Pixel Y axis size' },
    { key: 'GAIN', value: 100, comment: 'Sensor gain' },
    { key: 'EGAIN', value: 0.25, comment: '[e-/ADU] Electrons per A/D unit' },
    { key: 'OFFSET', value: 50, comment: 'Sensor gain offset' },
    { key: 'FOCALLEN', value: 1624, comment: '[mm] Focal length' },
    { key: 'APTDIA', value: 203, comment: '[mm] Aperture diameter' },
    { key: 'FOCPOS', value: 10234 + (i % 50), comment: '[step] Focuser position' },
    { key: 'FOCTEMP', value: 8.4, comment: '[C] Focuser temperature' },
    { key: 'TELESCOP', value: 'RC8 on CEM70', comment: 'Name of telescope' },
    { key: 'INSTRUME', value: 'ZWO ASI294MM Pro', comment: 'Imaging instrument name' },
    { key: 'OBSERVAT', value: 'Winer Observatory' },
    { key: 'SITELAT', value: '+31 39 56', comment: '[deg] Observation site latitude' },
    { key: 'SITELONG', value: '-110 36 06', comment: '[deg] Observation site longitude' },
    { key: 'SITEELEV', value: 1515, comment: '[m] Observation site elevation' },
    { key: 'OBSERVER', value: 'A. Observer' },
    { key: 'SWCREATE', value: 'N.I.N.A. 3.1.2.9001', comment: 'Software that created this file' },
    { key: 'ROWORDER', value: 'TOP-DOWN', comment: 'FITS Image Orientation' },
    { key: 'EQUINOX', value: 2000, comment: 'Equinox of celestial coordinate system' },
    { key: 'PIERSIDE', value: 'WEST', comment: 'Telescope pointing state' },
    { key: 'CENTALT', value: 61.2 },
    { key: 'CENTAZ', value: 287.4 },
    { key: 'SEQNUM', value: i },
    { key: 'COMMENT', value: 'Synthetic frame for the AIMS ingest benchmark' },
    { key: 'HISTORY', value: 'Written by bench/ingest.bench.mjs' },
  ];
}

/** Writes `count` frames: noise over a sky level, `stars` Gaussian stars, each file its own bytes. */
function writeFrames(dir, count, width, height, stars) {
  mkdirSync(dir, { recursive: true });
  const n = width * height;
  const noise = noiseTable(n + 4099, 7);
  const data = new Float32Array(n);
  const rand = lcg(11);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const shift = (i * 131) % 4099;
    for (let p = 0; p < n; p++) data[p] = 1000 + 12 * noise[p + shift];
    for (let s = 0; s < stars; s++) {
      const x0 = 8 + rand() * (width - 16);
      const y0 = 8 + rand() * (height - 16);
      const peak = 500 + rand() * 20_000;
      for (let y = Math.floor(y0) - 6; y <= Math.floor(y0) + 6; y++)
        for (let x = Math.floor(x0) - 6; x <= Math.floor(x0) + 6; x++)
          data[y * width + x] += peak * Math.exp(-((x - x0) ** 2 + (y - y0) ** 2) / (2 * 1.4 ** 2));
    }
    data[0] = i; // never two files with the same content
    const file = writeFits([{ cards: headerCards(i), bitpix: 16, bzero: 32768, axes: [width, height], data }]);
    writeFileSync(join(dir, `frame_${String(i).padStart(5, '0')}.fits`), file);
    bytes += file.length;
  }
  return bytes;
}

function aimsIngest(dir, dbPath, extra) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [aims, 'ingest', dir, '--db', `sqlite:${dbPath}`, '--json', ...extra], {
    env: { ...process.env, AIMS_STABLE_SECONDS: '0', AIMS_LOG_LEVEL: 'silent', AIMS_DATA_DIR: join(work, 'data') },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`aims ingest failed (${run.status}): ${run.stderr}`);
  return { summary: JSON.parse(run.stdout), wallSeconds };
}

const ASTROPY = `
import sys, time, glob, warnings
from astropy.io import fits
warnings.simplefilter('ignore')
files = sorted(glob.glob(sys.argv[1] + '/*.fits'))
t = time.perf_counter()
for f in files:
    fits.getheader(f)
a = time.perf_counter() - t
t = time.perf_counter()
cards = 0
for f in files:
    with fits.open(f) as hdul:
        for hdu in hdul:
            cards += len(hdu.header)
b = time.perf_counter() - t
print(a, b, len(files), cards)
`;

function astropyHeaders(dir) {
  const started = performance.now();
  const run = spawnSync(python, ['-c', ASTROPY, dir], { encoding: 'utf8' });
  const wallSeconds = (performance.now() - started) / 1000;
  if (run.status !== 0) return null;
  const [getheader, open, files, cards] = run.stdout.trim().split(/\s+/).map(Number);
  return { getheader, open, files, cards, wallSeconds };
}

const rate = (n, s) => `${(n / s).toFixed(0).padStart(6)} files/s`;
const mbps = (bytes, s) => `${(bytes / s / 1e6).toFixed(1).padStart(6)} MB/s`;

try {
  console.log(`${availableParallelism()} cores; aims ingest uses its default worker threads (cores − 1, at least 1)`);

  // 1. Catalog-only ingest.
  const small = join(work, 'small');
  let t = performance.now();
  const smallBytes = writeFrames(small, frames, 256, 256, 20);
  console.log(
    `generated ${frames} frames 256×256 16-bit (${(smallBytes / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  const ours = aimsIngest(small, join(work, 'catalog-only.db'), ['--skip-analysis']);
  if (ours.summary.ingested !== frames)
    throw new Error(`expected ${frames} ingested, got ${JSON.stringify(ours.summary)}`);
  console.log(
    `${'aims ingest --skip-analysis'.padEnd(40)} ${ours.wallSeconds.toFixed(2).padStart(6)} s wall  ${rate(frames, ours.wallSeconds)}  ${mbps(smallBytes, ours.wallSeconds)}  (its own timer: ${ours.summary.seconds} s)`,
  );

  // The same in the main thread alone: worker threads pay off only when cores are free.
  const inline = aimsIngest(small, join(work, 'catalog-only-inline.db'), ['--skip-analysis', '--workers', '0']);
  console.log(
    `${'aims ingest --skip-analysis --workers 0'.padEnd(40)} ${inline.wallSeconds.toFixed(2).padStart(6)} s wall  ${rate(frames, inline.wallSeconds)}  ${mbps(smallBytes, inline.wallSeconds)}  (its own timer: ${inline.summary.seconds} s)`,
  );

  // 2. astropy, headers only, same files (in the page cache for both).
  const py = astropyHeaders(small);
  if (!py) console.log('astropy not available at /usr/bin/python3: no ratio');
  else {
    console.log(
      `${'astropy fits.getheader (each file)'.padEnd(40)} ${py.getheader.toFixed(2).padStart(6)} s       ${rate(frames, py.getheader)}`,
    );
    console.log(
      `${'astropy fits.open + every header (lazy)'.padEnd(40)} ${py.open.toFixed(2).padStart(6)} s       ${rate(frames, py.open)}  (${py.cards} cards)`,
    );
    const best = Math.min(py.getheader, py.open);
    const fastest = ours.wallSeconds <= inline.wallSeconds ? ours : inline;
    console.log(
      `ratio aims / astropy-fastest: ${(fastest.wallSeconds / best).toFixed(2)} (wall, with Node start-up and migrations), ` +
        `${(fastest.summary.seconds / best).toFixed(2)} (aims's own timer); goal ≤ 0.50 — while also hashing and writing the catalog`,
    );
  }

  // 3. Full ingest: pixel metrics, score, previews.
  if (fullFrames > 0) {
    const big = join(work, 'big');
    t = performance.now();
    const bigBytes = writeFrames(big, fullFrames, 1024, 1024, 80);
    console.log(
      `generated ${fullFrames} frames 1024×1024 16-bit (${(bigBytes / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const full = aimsIngest(big, join(work, 'full.db'), []);
    if (full.summary.ingested !== fullFrames) throw new Error(`full ingest: ${JSON.stringify(full.summary)}`);
    console.log(
      `${'aims ingest (analysis + previews)'.padEnd(40)} ${full.wallSeconds.toFixed(2).padStart(6)} s wall  ${((full.wallSeconds * 1000) / fullFrames).toFixed(0).padStart(6)} ms/frame  ${mbps(bigBytes, full.wallSeconds)}  (its own timer: ${((full.summary.seconds * 1000) / fullFrames).toFixed(0)} ms/frame)`,
    );
  }
} finally {
  if (!process.env.AIMS_BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  else console.log(`files kept in ${work}`);
}
