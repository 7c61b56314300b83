#!/usr/bin/env node
// Pixel reads of @aims/fits against astropy (CFITSIO) in the same run: for each frame size
// (1024², 4096², 6248×4176), 16-bit and float (-32), plain and tile-compressed by fpack (RICE_1,
// GZIP_1, GZIP_2; floats quantized with -q 4), the time to open the file and read all its pixels.
//
// AIMS: openFits + readImage with a pool of Node buffers and nodeInflate (what the ingest worker
// does), as physical values (float32). astropy: fits.open(memmap=False) and `.data`, timed inside
// Python (memmap=False: the data are read into memory, not mapped lazily).
// Plain frames get a second row, "stored": AIMS's readStoredImage (the stored integers or floats in
// native byte order, unscaled) against astropy's `.data` as it is (big-endian, unscaled) and
// astropy + `astype(native order)`, the same work as AIMS's.
// Both: best of several rounds (AIMS_BENCH_ROUNDS for the largest frames, default 3; more for
// smaller ones, so each case reads ~50 Mpx), wall clock and CPU time (user + system) of the
// process, so that a run on a busy machine still gives a fair ratio in CPU terms.
// speed ratio = astropy time / AIMS time: above 1 AIMS is faster. astropy hands over a plain
// frame's integers as they are in the file (big-endian, unscaled) while AIMS converts them to
// physical float32 values, so a second column adds astropy's conversion to float32.
//
// Build first (`npm run build:lib`). Needs fpack and /usr/bin/python3 with astropy.
// Environment: AIMS_BENCH_ROUNDS, AIMS_BENCH_SIZES (e.g. "1024,4096").
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage, readStoredImage, writeFits } from '../packages/fits/dist/index.js';
import { createNodePixelPool, nodeInflate, openFits } from '../packages/fits/dist/node.js';
import { mulberry32 } from './support.mjs';

const rounds = Number(process.env.AIMS_BENCH_ROUNDS ?? 3);
const python = '/usr/bin/python3';
const SIZES = [
  [1024, 1024],
  [4096, 4096],
  [6248, 4176],
].filter(([w]) => !process.env.AIMS_BENCH_SIZES || process.env.AIMS_BENCH_SIZES.split(',').includes(String(w)));

const ALGORITHMS = [
  { name: 'plain', args: null },
  { name: 'RICE_1', args: ['-r'] },
  { name: 'GZIP_1', args: ['-g1'] },
  { name: 'GZIP_2', args: ['-g2'] },
];

/** A sky: background 1000, Gaussian noise σ = 12, one star per 5000 pixels (PSF σ 1.8 px). Seeded. */
function syntheticSky(width, height, integer) {
  const random = mulberry32(0x2545f491);
  const data = new Float64Array(width * height);
  for (let i = 0; i < data.length; i++) {
    data[i] = 1000 + 12 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  }
  for (let s = 0; s < data.length / 5000; s++) {
    const cx = random() * width;
    const cy = random() * height;
    const peak = 200 + 20000 * random() ** 3;
    for (let y = Math.max(0, Math.floor(cy - 8)); y < Math.min(height, cy + 8); y++) {
      for (let x = Math.max(0, Math.floor(cx - 8)); x < Math.min(width, cx + 8); x++) {
        data[y * width + x] += peak * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 1.8 ** 2));
      }
    }
  }
  if (integer) for (let i = 0; i < data.length; i++) data[i] = Math.min(32767, Math.round(data[i]));
  return data;
}

function prepare(dir) {
  const cases = [];
  for (const [width, height] of SIZES) {
    for (const bitpix of [16, -32]) {
      const original = join(dir, `sky${width}x${height}.${bitpix === 16 ? 'i16' : 'f32'}.fits`);
      const data = syntheticSky(width, height, bitpix === 16);
      writeFileSync(original, writeFits([{ cards: [], bitpix, axes: [width, height], data }]));
      for (const algorithm of ALGORITHMS) {
        let path = original;
        if (algorithm.args) {
          path = `${original}.${algorithm.name}.fz`;
          const args = [...algorithm.args, ...(bitpix < 0 ? ['-q', '4'] : []), '-O', path, original];
          const run = spawnSync('fpack', args, { encoding: 'utf8' });
          if (run.status !== 0) throw new Error(`fpack ${args.join(' ')}: ${run.stderr || run.error}`);
        }
        cases.push({ width, height, bitpix, algorithm: algorithm.name, path, bytes: statSync(path).size });
      }
    }
  }
  return cases;
}

/** Best wall and CPU seconds of opening and reading the file, and a checksum of every 97th pixel. */
/** Rounds for a frame: at least `rounds`, more for small frames, whose single reads are short. */
const roundsFor = (c) => Math.max(rounds, Math.min(20, Math.ceil(50e6 / (c.width * c.height))));

async function aims(path, pool, count, stored = false) {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  let checksum = 0;
  // One read before timing: the JIT compiles the decoders, as it has in a worker that has run a while.
  for (let round = -1; round < count; round++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const fits = await openFits(path);
    const hdu = fits.structure.hdus.find((h) => h.type === 'COMPRESSED_IMAGE') ?? fits.structure.hdus[0];
    const pixels = stored
      ? await readStoredImage(fits.source, hdu, { pool })
      : await readImage(fits.source, hdu, { inflate: nodeInflate, pool });
    await fits.close();
    const used = process.cpuUsage(cpuStart);
    if (round >= 0) {
      wall = Math.min(wall, (performance.now() - start) / 1000);
      cpu = Math.min(cpu, (used.user + used.system) / 1e6);
    }
    checksum = 0;
    for (let i = 0; i < pixels.data.length; i += 97) checksum += pixels.data[i];
  }
  return { wall, cpu, checksum };
}

/** astropy's best wall and CPU seconds per file (one Python process for the files given). */
function astropy(cases) {
  const script = `
import sys, time, json
try:
    from astropy.io import fits
    import numpy as np
except ImportError as e:
    print(json.dumps({"reason": str(e)})); sys.exit(0)
out = {}
for path, rounds in zip(sys.argv[1::2], sys.argv[2::2]):
    rounds = int(rounds)
    best = {k: float("inf") for k in ("wall", "cpu", "wall32", "cpu32", "wallN", "cpuN")}
    for r in range(rounds + 1):
        t = time.perf_counter(); c = time.process_time()
        with fits.open(path, memmap=False) as h:
            d = next(x.data for x in h if x.data is not None); float(d[d.shape[0] // 2, 0])
        wall = time.perf_counter() - t; cpu = time.process_time() - c
        # What AIMS hands over: physical values as native float32 (astropy keeps a plain frame's
        # big-endian integers as they are in the file).
        t = time.perf_counter(); c = time.process_time()
        f = np.asarray(d, dtype=np.float32); float(f[f.shape[0] // 2, 0])
        wall32 = wall + time.perf_counter() - t; cpu32 = cpu + time.process_time() - c
        # The stored values in native byte order (what AIMS's readStoredImage returns).
        t = time.perf_counter(); c = time.process_time()
        n = d.astype(d.dtype.newbyteorder("=")); float(n[n.shape[0] // 2, 0])
        wallN = wall + time.perf_counter() - t; cpuN = cpu + time.process_time() - c
        if r > 0:
            for key, value in (("wall", wall), ("cpu", cpu), ("wall32", wall32), ("cpu32", cpu32), ("wallN", wallN), ("cpuN", cpuN)):
                best[key] = min(best[key], value)
    best["checksum"] = float(np.asarray(d, dtype=np.float64).ravel()[::97].sum())
    out[path] = best
print(json.dumps({"results": out}))
`;
  const args = cases.flatMap((c) => [c.path, String(roundsFor(c))]);
  const run = spawnSync(python, ['-c', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.error || run.status !== 0)
    return { reason: run.error?.message ?? run.stderr.split('\n').slice(-3).join(' ') };
  return JSON.parse(run.stdout);
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), 'aims-bench-pixels-'));
try {
  console.log(`load average at start: ${load()} (${cpus().length} CPUs)`);
  const cases = prepare(dir);
  console.log(`best of ${rounds} (large) to 20 (small) rounds; ms and ratios are wall / CPU time`);
  console.log(
    'ratio = astropy time / AIMS time (> 1: AIMS faster); +float32: astropy then converts to float32 as AIMS does;\n' +
      'stored rows: AIMS readStoredImage (native order, unscaled); the second reference is astropy + astype(native order)',
  );
  console.log(
    ['frame'.padEnd(10), 'type'.padEnd(4), 'algorithm'.padEnd(9), 'MB'.padStart(6), 'AIMS ms'.padStart(11)]
      .concat(['astropy ms'.padStart(11), 'ratio'.padStart(13), '+float32 ms'.padStart(11), 'ratio'.padStart(13)])
      .join('  '),
  );
  const pool = createNodePixelPool();
  let mismatches = 0;
  let previousReference = {};
  let reasonShown = false;
  const rows = cases.flatMap((c) => (c.algorithm === 'plain' ? [c, { ...c, algorithm: 'stored' }] : [c]));
  for (const c of rows) {
    const stored = c.algorithm === 'stored';
    // astropy just before AIMS on each file (not all files first): on a shared machine whose load
    // changes from minute to minute, both sides of a ratio then see about the same load.
    const reference = stored ? previousReference : astropy([c]);
    previousReference = reference;
    if (reference.reason && !reasonShown) {
      console.log(`astropy not measured: ${reference.reason}`);
      reasonShown = true;
    }
    const ours = await aims(c.path, pool, roundsFor(c), stored);
    const measured = reference.results?.[c.path];
    // For stored values the second reference is astropy + native byte order instead of + float32.
    const theirs = measured && stored ? { ...measured, wall32: measured.wallN, cpu32: measured.cpuN } : measured;
    const ms = (wall, cpu) => `${(wall * 1000).toFixed(0)} / ${(cpu * 1000).toFixed(0)}`;
    const ratios = (wall, cpu) => `${(wall / ours.wall).toFixed(2)}× / ${(cpu / ours.cpu).toFixed(2)}×`;
    const same = theirs === undefined || Math.abs(ours.checksum - theirs.checksum) <= 1e-9 * Math.abs(theirs.checksum);
    if (!same) mismatches++;
    console.log(
      [
        `${c.width}×${c.height}`.padEnd(10),
        (c.bitpix === 16 ? 'i16' : 'f32').padEnd(4),
        c.algorithm.padEnd(9),
        (c.bytes / 1e6).toFixed(1).padStart(6),
        ms(ours.wall, ours.cpu).padStart(11),
        (theirs ? ms(theirs.wall, theirs.cpu) : '-').padStart(11),
        (theirs ? ratios(theirs.wall, theirs.cpu) : '-').padStart(13),
        (theirs ? ms(theirs.wall32, theirs.cpu32) : '-').padStart(11),
        (theirs ? ratios(theirs.wall32, theirs.cpu32) : '-').padStart(13),
        same ? '' : `checksum differs: ${ours.checksum} vs ${theirs.checksum}`,
      ].join('  '),
    );
  }
  console.log(`load average at end: ${load()}; ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
  if (mismatches) {
    console.error(`${mismatches} case(s) read different pixels than astropy`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
