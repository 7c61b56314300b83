#!/usr/bin/env node
// Pixel analysis and previews against SEP (the SExtractor library in C, from Python), in one run:
//   1. The goal's comparison: `aims ingest` (headers, hash, metrics, score, previews, catalog) of
//      24 frames 1024×1024 16-bit, as a process, against a Python process that reads the same files
//      with astropy and runs sep.Background, sep.extract and sep.flux_radius on each. Wall times of
//      both processes, start to exit, and their ratio (goal ≤ 1.0).
//   2. Where AIMS spends its time on those frames, per stage, measured in this process on one
//      thread: read, background, detection, measurement, score, preview render, preview encode,
//      catalog (and the header/hash work, for completeness).
//   3. One frame each of 4096×4096 and 6248×4176 (a 26 Mpx CMOS), 16-bit and float: AIMS's stages
//      against SEP's on the same file.
// Same mesh (64 px, 3×3 filter), kernel (Gaussian σ 1 px), threshold and aperture on both sides.
// Figures only: nothing is asserted. Build first: `npx tsc -b packages/fits packages/server`.
// AIMS_BENCH_REPEAT=N runs the comparison of part 1 N times (best shown, default 2);
// AIMS_BENCH_LARGE=0 skips part 3.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mulberry32 } from './support.mjs';

const root = new URL('../', import.meta.url);
const dist = (path) => new URL(path, root).href;
if (!existsSync(new URL('packages/server/dist/ingest/frame.job.js', root))) {
  console.error('analysis.bench: build first with `npx tsc -b packages/fits packages/server`');
  process.exit(1);
}
const { writeFits } = await import(dist('packages/fits/dist/index.js'));
const { processFrame } = await import(dist('packages/server/dist/ingest/frame.job.js'));
const { scoreFrame } = await import(dist('packages/server/dist/analysis/score.js'));
const { DETECTION_KERNEL, SMOOTHED_NOISE_FACTOR } = await import(dist('packages/server/dist/analysis/stars.js'));
const { openDatabase } = await import(dist('packages/server/dist/db/connection.js'));
const { insertImage } = await import(dist('packages/server/dist/db/images.repository.js'));
const { comparableQuality } = await import(dist('packages/server/dist/db/image-quality.repository.js'));

const aimsCli = new URL('packages/server/bin/aims.js', root).pathname;
const python = '/usr/bin/python3';
const REPEAT = Number(process.env.AIMS_BENCH_REPEAT ?? 2);
const LARGE = process.env.AIMS_BENCH_LARGE !== '0';
const FRAMES = 24;
const work = mkdtempSync(join(tmpdir(), 'aims-analysis-bench-'));

// ---------------------------------------------------------------------------------------------
// Frames: sky 1000 ADU, Gaussian noise σ 32, Gaussian stars of FWHM 3 px (3000 per 4096² with a
// power-law luminosity function), 500 hot pixels per 4096². Deterministic (mulberry32).

const uniform = mulberry32(12345);
/** Standard normal deviates, two per pair of uniforms (Box–Muller). */
let spare = Number.NaN;
const normal = () => {
  if (!Number.isNaN(spare)) {
    const v = spare;
    spare = Number.NaN;
    return v;
  }
  const r = Math.sqrt(-2 * Math.log(uniform() || 1e-12));
  const a = 2 * Math.PI * uniform();
  spare = r * Math.sin(a);
  return r * Math.cos(a);
};

function starField(width, height) {
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = 1000 + 32 * normal();
  const sigma = 3 / 2.3548;
  const stars = Math.round((3000 * width * height) / 4096 ** 2);
  for (let s = 0; s < stars; s++) {
    const x0 = 10 + uniform() * (width - 20);
    const y0 = 10 + uniform() * (height - 20);
    const flux = Math.min(400000, 1000 * uniform() ** (-1 / 0.6));
    for (let y = Math.floor(y0 - 8); y <= y0 + 8; y++)
      for (let x = Math.floor(x0 - 8); x <= x0 + 8; x++) {
        const r2 = (x - x0) ** 2 + (y - y0) ** 2;
        data[y * width + x] += (flux / (2 * Math.PI * sigma * sigma)) * Math.exp(-r2 / (2 * sigma * sigma));
      }
  }
  const hot = Math.round((500 * width * height) / 4096 ** 2);
  for (let k = 0; k < hot; k++) data[Math.floor(uniform() * data.length)] += 20000;
  return data;
}

/** The cards an acquisition program writes for a light frame (what ingest normalizes). */
function cards(i) {
  return [
    { key: 'DATE-OBS', value: new Date(Date.UTC(2024, 4, 1, 21) + i * 65_000).toISOString().slice(0, 23) },
    { key: 'EXPTIME', value: 60 },
    { key: 'IMAGETYP', value: 'Light Frame' },
    { key: 'OBJECT', value: 'M 13' },
    { key: 'OBJCTRA', value: '16 41 41.63' },
    { key: 'OBJCTDEC', value: '+36 27 40.8' },
    { key: 'FILTER', value: 'L' },
    { key: 'CCD-TEMP', value: -10.1 },
    { key: 'XBINNING', value: 1 },
    { key: 'YBINNING', value: 1 },
    { key: 'XPIXSZ', value: 4.63 },
    { key: 'FOCALLEN', value: 1624 },
    { key: 'TELESCOP', value: 'RC8 on CEM70' },
    { key: 'INSTRUME', value: 'ZWO ASI294MM Pro' },
    { key: 'SITELAT', value: '+31 39 56' },
    { key: 'SITELONG', value: '-110 36 06' },
  ];
}

function writeFrame(path, width, height, bitpix, i) {
  const hdu = { cards: cards(i), bitpix, axes: [width, height], data: starField(width, height) };
  writeFileSync(path, writeFits([bitpix === 16 ? { ...hdu, bzero: 32768 } : hdu]));
}

// ---------------------------------------------------------------------------------------------
// SEP: the same files, read with astropy; each stage timed; the whole process timed by the caller.

const SEP = `
import json, sys, time
import numpy as np, sep
from astropy.io import fits
files, rmax, thresh, kernel = json.loads(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), np.array(json.loads(sys.argv[4]))
sep.set_sub_object_limit(4096)
total = [0.0] * 4
objects_found = []
cpu = time.process_time()
for path in files:
    t0 = time.perf_counter()
    data = fits.getdata(path).astype(np.float32)
    t1 = time.perf_counter()
    bkg = sep.Background(data, bw=64, bh=64, fw=3, fh=3)
    sub = data - bkg
    t2 = time.perf_counter()
    try:
        objects = sep.extract(sub, thresh, err=bkg.globalrms, minarea=5, filter_kernel=kernel, deblend_cont=1.0, clean=False)
    except Exception:
        # SEP's default pixel stack (300,000) is too small for a dense field: enlarge it and retry.
        sep.set_extract_pixstack(data.size // 4)
        objects = sep.extract(sub, thresh, err=bkg.globalrms, minarea=5, filter_kernel=kernel, deblend_cont=1.0, clean=False)
    t3 = time.perf_counter()
    r, flag = sep.flux_radius(sub, objects['x'], objects['y'], np.full(len(objects), rmax), 0.5, subpix=5)
    t4 = time.perf_counter()
    for k, dt in enumerate([t1 - t0, t2 - t1, t3 - t2, t4 - t3]):
        total[k] += dt
    objects_found.append([len(objects), float(np.median(r))])
cpu = time.process_time() - cpu
print(json.dumps({'read': total[0], 'background': total[1], 'extract': total[2], 'flux_radius': total[3], 'cpu': cpu, 'objects': objects_found}))
`;
const sepKernel = JSON.stringify(Array.from(DETECTION_KERNEL, (a) => Array.from(DETECTION_KERNEL, (b) => a * b)));

function runSep(files, apertureRadius) {
  const started = performance.now();
  const run = spawnSync(
    python,
    ['-c', SEP, JSON.stringify(files), String(apertureRadius), String(5 * SMOOTHED_NOISE_FACTOR), sepKernel],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const wallMs = performance.now() - started;
  if (run.status !== 0) return { error: (run.stderr || run.error?.message || '').trim().split('\n').at(-1) };
  const out = JSON.parse(run.stdout);
  return { ...out, wallMs };
}

function runAimsIngest(dir, name) {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [aimsCli, 'ingest', dir, '--db', `sqlite:${join(work, `${name}.db`)}`, '--json'],
    {
      env: {
        ...process.env,
        AIMS_STABLE_SECONDS: '0',
        AIMS_LOG_LEVEL: 'silent',
        AIMS_DATA_DIR: join(work, `${name}-data`),
      },
      encoding: 'utf8',
    },
  );
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`aims ingest failed (${run.status}): ${run.stderr}`);
  const summary = JSON.parse(run.stdout);
  if (summary.ingested !== FRAMES) throw new Error(`aims ingest: ${run.stdout}`);
  return { wallMs, ownMs: summary.seconds * 1000 };
}

// ---------------------------------------------------------------------------------------------
// AIMS stage by stage, in this process: what one ingest worker does (processFrame), then what the
// main thread does with its result (score against comparable frames, catalog transaction).

const STAGES = ['read', 'background', 'detection', 'measurement', 'previewRender', 'previewEncode'];

async function aimsStages(files, database) {
  const sum = Object.fromEntries([...STAGES, 'headersHash', 'score', 'catalog', 'total', 'cpu'].map((s) => [s, 0]));
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let last;
  for (const [i, absPath] of files.entries()) {
    const cpuStarted = cpuMs();
    const started = performance.now();
    const outcome = await processFrame({
      absPath,
      skipAnalysis: false,
      normalize: { nightRolloverHour: 12 },
      previewDir: join(work, 'stage-previews'),
    });
    const processed = performance.now() - started;
    if (!outcome.ok) throw new Error(`${absPath}: ${outcome.reason}`);
    const frame = outcome.frame;
    let analysed = 0;
    for (const s of STAGES) {
      sum[s] += frame.analysisMs[s] ?? 0;
      analysed += frame.analysisMs[s] ?? 0;
    }
    sum.headersHash += processed - analysed;
    last = frame;
    if (!database) {
      sum.cpu += cpuMs() - cpuStarted;
      continue;
    }
    let t = performance.now();
    const m = frame.metadata.values;
    const comparables = await comparableQuality(database, m);
    const score = scoreFrame(frame.quality, comparables, { imageType: m.image_type, threshold: 60 });
    sum.score += performance.now() - t;
    t = performance.now();
    await insertImage(database, {
      root: work,
      rel_path: `frame-${i}.fits`,
      size_bytes: frame.sizeBytes,
      mtime_ms: frame.mtimeMs,
      inode: frame.inode,
      sha256: frame.sha256,
      hdu_index: frame.hduIndex,
      metadata: m,
      normalization: { reasons: frame.metadata.reasons, sources: frame.metadata.sources },
      quality: frame.quality,
      headers: frame.headers,
      score,
    });
    sum.catalog += performance.now() - t;
    sum.cpu += cpuMs() - cpuStarted;
  }
  for (const s of Object.keys(sum)) if (s !== 'total' && s !== 'cpu') sum.total += sum[s];
  return { sum, last };
}

// ---------------------------------------------------------------------------------------------

const ms = (v) => `${v.toFixed(0).padStart(6)} ms`;
const per = (v, n) => `${(v / n).toFixed(1).padStart(7)} ms`;
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

try {
  console.log(`${availableParallelism()} cores, load average ${load()}; aims ingest uses its default worker threads`);

  // 1. The goal's comparison.
  const small = join(work, 'frames-1024');
  mkdirSync(small);
  const t = performance.now();
  for (let i = 0; i < FRAMES; i++)
    writeFrame(join(small, `frame-${String(i).padStart(2, '0')}.fits`), 1024, 1024, 16, i);
  const files = readdirSync(small)
    .sort()
    .map((f) => join(small, f));
  console.log(`generated ${FRAMES} frames 1024×1024 BITPIX 16 in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // 2 first (in this process), because it also gives the aperture SEP's flux_radius uses.
  const database = await openDatabase(`sqlite:${join(work, 'stages.db')}`);
  const stages = await aimsStages(files, database);
  await database.close();
  const aperture = stages.last.quality ? stagesAperture(stages.last) : 10;

  let best = null;
  let bestSep = null;
  for (let r = 0; r < REPEAT; r++) {
    const ours = runAimsIngest(small, `ingest-${r}`);
    const theirs = runSep(files, aperture);
    if (!best || ours.wallMs < best.wallMs) best = ours;
    if (!theirs.error && (!bestSep || theirs.wallMs < bestSep.wallMs)) bestSep = theirs;
    if (theirs.error) bestSep = bestSep ?? theirs;
  }
  console.log(`\n1. ${FRAMES} frames 1024×1024 16-bit, whole processes (best of ${REPEAT}), load ${load()}`);
  console.log(
    `   aims ingest (metrics, score, previews, catalog) ${ms(best.wallMs)} wall  (its own timer ${ms(best.ownMs)})`,
  );
  if (bestSep.error) console.log(`   SEP not run: ${bestSep.error}`);
  else {
    const loop = bestSep.read + bestSep.background + bestSep.extract + bestSep.flux_radius;
    console.log(
      `   SEP (astropy read, Background, extract, flux_radius) ${ms(bestSep.wallMs)} wall  (its loop ${ms(loop * 1000)})`,
    );
    console.log(
      `   ratio aims ingest / SEP = ${(best.wallMs / bestSep.wallMs).toFixed(2)} (process walls; goal ≤ 1.0),` +
        ` ${(best.ownMs / (loop * 1000)).toFixed(2)} (aims's own timer / SEP's loop)`,
    );
  }

  console.log(`\n2. the same frames, AIMS stage by stage on one thread (ms per frame)`);
  const s = stages.sum;
  console.log(
    `   read ${per(s.read, FRAMES)}  background ${per(s.background, FRAMES)}  detection ${per(s.detection, FRAMES)}  measurement ${per(s.measurement, FRAMES)}`,
  );
  console.log(
    `   score ${per(s.score, FRAMES)}  preview render ${per(s.previewRender, FRAMES)}  preview encode ${per(s.previewEncode, FRAMES)}  catalog ${per(s.catalog, FRAMES)}`,
  );
  console.log(`   headers, hash, normalization ${per(s.headersHash, FRAMES)}  total ${per(s.total, FRAMES)}`);
  console.log(
    `   CPU (less disturbed by other load than wall time): AIMS ${per(s.cpu, FRAMES)}` +
      (bestSep.error
        ? ''
        : `, SEP ${per(bestSep.cpu * 1000, FRAMES)}, ratio ${(s.cpu / (bestSep.cpu * 1000)).toFixed(2)}`),
  );
  const q = stages.last.quality;
  console.log(
    `   last frame: ${q.star_count} stars, FWHM ${q.fwhm_px.toFixed(3)} px, background ${q.background.toFixed(1)}, noise ${q.noise.toFixed(2)}`,
  );
  if (!bestSep.error) {
    const n = FRAMES;
    console.log(
      `   SEP: read ${per(bestSep.read * 1000, n)}  background ${per(bestSep.background * 1000, n)}  extract ${per(bestSep.extract * 1000, n)}  flux_radius ${per(bestSep.flux_radius * 1000, n)}` +
        `  (${bestSep.objects.at(-1)[0]} objects, median flux_radius ${bestSep.objects.at(-1)[1].toFixed(3)} px)`,
    );
  }

  // 3. Larger frames.
  if (LARGE) {
    console.log(`\n3. one large frame each: AIMS stages on one thread vs SEP (ms)`);
    for (const [width, height] of [
      [4096, 4096],
      [6248, 4176],
    ])
      for (const bitpix of [16, -32]) {
        const path = join(work, `large-${width}x${height}-${bitpix}.fits`);
        writeFrame(path, width, height, bitpix, 0);
        const one = await aimsStages([path], null);
        const theirs = runSep([path], stagesAperture(one.last));
        const a = one.sum;
        const aimsMetrics = a.read + a.background + a.detection + a.measurement;
        const aimsAll = aimsMetrics + a.previewRender + a.previewEncode;
        console.log(
          `   ${width}×${height} BITPIX ${String(bitpix).padStart(3)}: AIMS read ${ms(a.read)} bkg ${ms(a.background)} detect ${ms(a.detection)} measure ${ms(a.measurement)} preview ${ms(a.previewRender)} + ${ms(a.previewEncode)} encode`,
        );
        if (theirs.error) {
          console.log(`      SEP not run: ${theirs.error}`);
          continue;
        }
        const sepLoop = (theirs.read + theirs.background + theirs.extract + theirs.flux_radius) * 1000;
        console.log(
          `      SEP  read ${ms(theirs.read * 1000)} bkg ${ms(theirs.background * 1000)} extract ${ms(theirs.extract * 1000)} flux_radius ${ms(theirs.flux_radius * 1000)}`,
        );
        console.log(
          `      ratio AIMS/SEP: read + metrics ${(aimsMetrics / sepLoop).toFixed(2)}, with previews ${(aimsAll / sepLoop).toFixed(2)}` +
            `  (${one.last.quality.star_count} stars, FWHM ${one.last.quality.fwhm_px.toFixed(3)} px; SEP ${theirs.objects[0][0]} objects, load ${load()})`,
        );
        console.log(
          `      CPU: AIMS ${ms(a.cpu)} (all the worker does: hash, headers, metrics, previews), SEP ${ms(theirs.cpu * 1000)}, ratio ${(a.cpu / (theirs.cpu * 1000)).toFixed(2)}`,
        );
        rmSync(path);
      }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** SEP's flux_radius aperture: the one AIMS chose for the frame (6 × its typical half-flux radius). */
function stagesAperture(frame) {
  const hfr = frame.quality?.hfr_px;
  return hfr ? Math.min(40, Math.max(5, 6 * hfr)) : 10;
}
