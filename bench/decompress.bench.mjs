#!/usr/bin/env node
// Tile decompression rate of @aims/fits per algorithm, against astropy in the same run, on a
// 4096×4096 16-bit synthetic sky compressed by fpack (RICE_1, GZIP_1, GZIP_2, PLIO_1, HCOMPRESS_1).
// Build first (`npx tsc -b packages/fits packages/server`). Needs fpack; astropy (/usr/bin/python3)
// is optional. Environment: AIMS_BENCH_ROUNDS (default 3; the best round counts).
// MB/s are of decompressed pixels (32 MiB per read): the work a reader does for the caller.
// bench/pixels.bench.mjs covers more sizes and float frames, with CPU-time ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bufferSource, readImage, readStructure, webInflate, writeFits } from '../packages/fits/dist/index.js';
import { createNodePixelPool, nodeInflate } from '../packages/fits/dist/node.js';
import { mulberry32 } from './support.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, 'bench/.cache/decompress');
const rounds = Number(process.env.AIMS_BENCH_ROUNDS ?? 3);
const python = '/usr/bin/python3';
const SIZE = 4096;
const PIXEL_BYTES = SIZE * SIZE * 2;

const ALGORITHMS = [
  { name: 'RICE_1', args: ['-r'] },
  { name: 'GZIP_1', args: ['-g'] },
  { name: 'GZIP_2', args: ['-g2'] },
  { name: 'PLIO_1', args: ['-p'] },
  { name: 'HCOMPRESS_1', args: ['-h'] },
];

/** A sky of 16-bit counts: background 1000, Gaussian read noise σ = 12, 3000 stars. Seeded. */
function syntheticSky() {
  const random = mulberry32(0x2545f491);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const data = new Float64Array(SIZE * SIZE);
  for (let i = 0; i < data.length; i++) data[i] = 1000 + 12 * gauss();
  for (let s = 0; s < 3000; s++) {
    const cx = random() * SIZE;
    const cy = random() * SIZE;
    const peak = 200 + 20000 * random() ** 3;
    for (let y = Math.max(0, Math.floor(cy - 8)); y < Math.min(SIZE, cy + 8); y++) {
      for (let x = Math.max(0, Math.floor(cx - 8)); x < Math.min(SIZE, cx + 8); x++) {
        const r2 = (x - cx) ** 2 + (y - cy) ** 2;
        data[y * SIZE + x] += peak * Math.exp(-r2 / (2 * 1.8 ** 2));
      }
    }
  }
  for (let i = 0; i < data.length; i++) data[i] = Math.min(32767, Math.round(data[i]));
  return data;
}

function prepare() {
  mkdirSync(cache, { recursive: true });
  const original = join(cache, 'sky4096.fits');
  if (!existsSync(original)) {
    writeFileSync(original, writeFits([{ cards: [], bitpix: 16, axes: [SIZE, SIZE], data: syntheticSky() }]));
  }
  const plain = { name: 'uncompressed', args: [], path: original, bytes: statSync(original).size };
  const compressed = ALGORITHMS.map((algorithm) => {
    const path = join(cache, `sky4096.${algorithm.name}.fits.fz`);
    if (!existsSync(path)) {
      const run = spawnSync('fpack', [...algorithm.args, '-O', path, original], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`fpack ${algorithm.args.join(' ')}: ${run.stderr || run.error}`);
    }
    return { ...algorithm, path, bytes: statSync(path).size };
  });
  // The plain file first: the cost of reading 16-bit pixels at all, the floor for every algorithm.
  return [plain, ...compressed];
}

// Output arrays reused from read to read, as the ingest worker reuses them.
const pool = createNodePixelPool();

async function oursSeconds(path, inflate) {
  let best = Number.POSITIVE_INFINITY;
  let checksum = 0;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    const source = bufferSource(new Uint8Array(readFileSync(path)));
    const { hdus } = await readStructure(source);
    const hdu = hdus.find((h) => h.type === 'COMPRESSED_IMAGE') ?? hdus[0];
    const pixels = await readImage(source, hdu, { inflate, pool });
    best = Math.min(best, (performance.now() - start) / 1000);
    checksum = pixels.data[pixels.data.length >> 1];
  }
  return { seconds: best, checksum };
}

/** astropy's best time per file (open + `.data`), one Python process for all files. */
function astropySeconds(paths) {
  if (!existsSync(python)) return { reason: `${python} is missing` };
  const script = `
import sys, time, json
try:
    from astropy.io import fits
except ImportError as e:
    print(json.dumps({"reason": str(e)})); sys.exit(0)
rounds = int(sys.argv[1]); out = {}
for path in sys.argv[2:]:
    best = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        with fits.open(path, memmap=False) as h:
            d = next(x.data for x in h if x.data is not None); float(d[d.shape[0] // 2, 0])
        best = min(best, time.perf_counter() - t)
    out[path] = best
print(json.dumps({"seconds": out}))
`;
  const run = spawnSync(python, ['-c', script, String(rounds), ...paths], { encoding: 'utf8' });
  if (run.status !== 0) return { reason: run.stderr.split('\n').slice(-3).join(' ') };
  return JSON.parse(run.stdout);
}

const files = prepare();
const astropy = astropySeconds(files.map((f) => f.path));
if (astropy.reason) console.log(`astropy not measured: ${astropy.reason}`);
console.log(`4096×4096 BITPIX 16 (${(PIXEL_BYTES / 1e6).toFixed(1)} MB of pixels), best of ${rounds} rounds`);
console.log(['algorithm'.padEnd(22), 'packed MB', ' ours ms', '  MB/s', 'astropy ms', 'astropy/ours'].join('  '));
const rows = [];
for (const file of files) {
  const inflates = file.name.startsWith('GZIP')
    ? [
        ['nodeInflate', nodeInflate],
        ['webInflate', webInflate],
      ]
    : [[null, nodeInflate]];
  for (const [label, inflate] of inflates) {
    const ours = await oursSeconds(file.path, inflate);
    const theirs = astropy.seconds?.[file.path];
    const name = label ? `${file.name} (${label})` : file.name;
    rows.push({ name, ...ours });
    console.log(
      [
        name.padEnd(22),
        (file.bytes / 1e6).toFixed(1).padStart(9),
        (ours.seconds * 1000).toFixed(0).padStart(8),
        (PIXEL_BYTES / ours.seconds / 1e6).toFixed(0).padStart(6),
        theirs === undefined ? '         -' : (theirs * 1000).toFixed(0).padStart(10),
        theirs === undefined ? '           -' : `${(theirs / ours.seconds).toFixed(2)}×`.padStart(12),
      ].join('  '),
    );
  }
}
// Every algorithm is lossless here, so every read must give the same pixels.
const checksums = new Set(rows.map((r) => r.checksum));
if (checksums.size !== 1) {
  console.error(`decompressed pixels differ between algorithms: ${[...checksums].join(', ')}`);
  process.exitCode = 1;
}
// What a reader pays before decoding anything: writing a fresh 4096×4096 Float32Array (our output)
// and a fresh Int16 array (astropy's). In sandboxed VMs page faults make this a large share.
const touch = (make) => {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    make().fill(1);
    best = Math.min(best, performance.now() - start);
  }
  return best.toFixed(0);
};
console.log(
  `baseline: filling a fresh float32 output takes ${touch(() => new Float32Array(SIZE * SIZE))} ms, an int16 one ${touch(() => new Int16Array(SIZE * SIZE))} ms`,
);
console.log('astropy/ours > 1: AIMS is faster.');
