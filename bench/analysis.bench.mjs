#!/usr/bin/env node
// Pixel analysis speed: ms per 4096×4096 16-bit frame for AIMS (read + metrics + previews) and for
// SEP, the SExtractor library in C (read + background + extract + flux_radius), in the same run,
// with the same mesh, kernel, threshold and aperture. Prints the figures and the ratio.
// Needs the built packages: `npx tsc -b packages/fits packages/server`; SEP in /usr/bin/python3.
// AIMS_BENCH_SIZE=N changes the frame size; AIMS_BENCH_REPEAT=N the repetitions (median shown).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const fitsDist = new URL('../packages/fits/dist/', import.meta.url);
const analysisDist = new URL('../packages/server/dist/analysis/', import.meta.url);
if (!existsSync(new URL('frame-metrics.js', analysisDist)) || !existsSync(new URL('write.js', fitsDist))) {
  console.error('analysis.bench: build first with `npx tsc -b packages/fits packages/server`');
  process.exit(1);
}
const { writeFits, readImage } = await import(new URL('index.js', fitsDist).href);
const { openFits } = await import(new URL('node.js', fitsDist).href);
const { analyzeFrame } = await import(new URL('frame-metrics.js', analysisDist).href);
const { renderPreviews } = await import(new URL('preview.js', analysisDist).href);
const { DETECTION_KERNEL, SMOOTHED_NOISE_FACTOR } = await import(new URL('stars.js', analysisDist).href);

const SIZE = Number(process.env.AIMS_BENCH_SIZE ?? 4096);
const REPEAT = Number(process.env.AIMS_BENCH_REPEAT ?? 3);
const STARS = Math.round((3000 * SIZE * SIZE) / 4096 ** 2);
const dir = mkdtempSync(join(tmpdir(), 'aims-analysis-bench-'));
const path = join(dir, 'frame.fits');

// A star field: sky 1000 ADU, Gaussian noise σ 32, Gaussian stars of FWHM 3 px with a power-law
// luminosity function, some hot pixels. Deterministic (mulberry32).
let seed = 12345;
const uniform = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
const data = new Float32Array(SIZE * SIZE);
for (let i = 0; i < data.length; i++) data[i] = 1000 + 32 * normal();
const sigma = 3 / 2.3548;
for (let s = 0; s < STARS; s++) {
  const x0 = 10 + uniform() * (SIZE - 20);
  const y0 = 10 + uniform() * (SIZE - 20);
  const flux = Math.min(400000, 1000 * uniform() ** (-1 / 0.6));
  for (let y = Math.floor(y0 - 8); y <= y0 + 8; y++)
    for (let x = Math.floor(x0 - 8); x <= x0 + 8; x++) {
      const r2 = (x - x0) ** 2 + (y - y0) ** 2;
      data[y * SIZE + x] += (flux / (2 * Math.PI * sigma * sigma)) * Math.exp(-r2 / (2 * sigma * sigma));
    }
}
for (let k = 0; k < 500; k++) data[Math.floor(uniform() * data.length)] += 20000;
writeFileSync(path, writeFits([{ cards: [], bitpix: 16, axes: [SIZE, SIZE], data, bzero: 32768 }]));

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function aimsOnce() {
  const t0 = performance.now();
  const fits = await openFits(path);
  const image = await readImage(fits.source, fits.structure.hdus[0]);
  await fits.close();
  const t1 = performance.now();
  const analysis = analyzeFrame(image, { imageType: 'light' });
  const t2 = performance.now();
  await renderPreviews(image, { dir, name: 'bench' });
  const t3 = performance.now();
  return { read: t1 - t0, metrics: t2 - t1, previews: t3 - t2, total: t3 - t0, analysis };
}

const runs = [];
for (let i = 0; i < REPEAT; i++) runs.push(await aimsOnce());
const last = runs.at(-1).analysis;
const aims = {
  read: median(runs.map((r) => r.read)),
  metrics: median(runs.map((r) => r.metrics)),
  previews: median(runs.map((r) => r.previews)),
  total: median(runs.map((r) => r.total)),
};

const kernel = Array.from(DETECTION_KERNEL, (a) => Array.from(DETECTION_KERNEL, (b) => a * b));
const python = `
import json, sys, time
import numpy as np, sep
from astropy.io import fits
path, repeat, rmax, thresh, kernel = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), np.array(json.loads(sys.argv[5]))
sep.set_extract_pixstack(10_000_000)
sep.set_sub_object_limit(4096)
times = []
for _ in range(repeat):
    t0 = time.perf_counter()
    data = fits.getdata(path).astype(np.float32)
    t1 = time.perf_counter()
    bkg = sep.Background(data, bw=64, bh=64, fw=3, fh=3)
    sub = data - bkg
    t2 = time.perf_counter()
    objects = sep.extract(sub, thresh, err=bkg.globalrms, minarea=5, filter_kernel=kernel, deblend_cont=1.0, clean=False)
    t3 = time.perf_counter()
    r, flag = sep.flux_radius(sub, objects['x'], objects['y'], np.full(len(objects), rmax), 0.5, subpix=5)
    t4 = time.perf_counter()
    times.append([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0, len(objects), float(np.median(r))])
print(json.dumps(times))
`;
const sepRun = spawnSync(
  '/usr/bin/python3',
  [
    '-c',
    python,
    path,
    String(REPEAT),
    String(last.detection.apertureRadius),
    String(5 * SMOOTHED_NOISE_FACTOR),
    JSON.stringify(kernel),
  ],
  { encoding: 'utf8', maxBuffer: 1 << 24 },
);
rmSync(dir, { recursive: true, force: true });

const ms = (v) => `${v.toFixed(0).padStart(6)} ms`;
console.log(`frame ${SIZE}×${SIZE} BITPIX 16, ${STARS} stars injected, median of ${REPEAT} runs`);
console.log(
  `AIMS  read ${ms(aims.read)}  metrics ${ms(aims.metrics)}  previews ${ms(aims.previews)}  total ${ms(aims.total)}`,
);
console.log(
  `      ${last.detection.stars.length} stars, FWHM ${last.metrics.fwhm_px.toFixed(3)} px, background ${last.metrics.background.toFixed(1)}, noise ${last.metrics.noise.toFixed(2)}`,
);
if (sepRun.status !== 0) {
  console.log(`SEP   not run: ${(sepRun.stderr || sepRun.error?.message || '').trim().split('\n').at(-1)}`);
} else {
  const t = JSON.parse(sepRun.stdout);
  const col = (i) => median(t.map((row) => row[i] * 1000));
  const sepTotal = col(4);
  console.log(
    `SEP   read ${ms(col(0))}  background ${ms(col(1))}  extract ${ms(col(2))}  flux_radius ${ms(col(3))}  total ${ms(sepTotal)}`,
  );
  console.log(`      ${t[0][5]} objects, median flux_radius ${t[0][6].toFixed(3)} px`);
  console.log(`ratio AIMS (read + metrics + previews) / SEP = ${(aims.total / sepTotal).toFixed(2)}`);
  console.log(`ratio AIMS (read + metrics) / SEP = ${((aims.read + aims.metrics) / sepTotal).toFixed(2)}`);
}
