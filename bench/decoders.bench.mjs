#!/usr/bin/env node
// Decode speed of the tile decoders (RICE_1, PLIO_1, HCOMPRESS_1) on a 4096 × 4096 16-bit image
// packed by fpack, in MB/s of decoded 16-bit pixels (33.6 MB per image), next to funpack's time
// for the whole file (C, including reading the file and writing the image to /dev/null) for scale.
// Rates are per CPU-second of this process (the development machine is shared, so wall time
// swings with other people's load); the wall-clock rate is printed beside it.
// Build first (`npx tsc -b packages/fits packages/server`). Environment: AIMS_BENCH_ROUNDS (default 3).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hcompressDecode } from '../packages/fits/dist/compression/hcompress.js';
import { plioDecode } from '../packages/fits/dist/compression/plio.js';
import { riceDecode } from '../packages/fits/dist/compression/rice.js';
import { mulberry32 } from './support.mjs';

const SIDE = 4096;
const rounds = Number(process.env.AIMS_BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'aims-bench-decoders-'));

/** A deterministic sky: background 1000, Gaussian noise σ 12, 3000 stars (PSF σ 1.5 px). */
function skyImage() {
  const random = mulberry32(12345);
  const values = new Float64Array(SIDE * SIDE);
  for (let i = 0; i < values.length; i++) {
    values[i] = 1000 + 12 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  }
  for (let s = 0; s < 3000; s++) {
    const cx = random() * SIDE;
    const cy = random() * SIDE;
    const peak = 30000 * random() ** 4;
    for (let y = Math.max(0, Math.floor(cy - 6)); y < Math.min(SIDE, cy + 6); y++) {
      for (let x = Math.max(0, Math.floor(cx - 6)); x < Math.min(SIDE, cx + 6); x++) {
        values[y * SIDE + x] += peak * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 4.5);
      }
    }
  }
  return Int16Array.from(values, (v) => Math.min(32767, Math.round(v)));
}

/** A mask (PLIO's intended data): zero with 2000 rectangles of small labels. */
function maskImage() {
  const values = new Int16Array(SIDE * SIDE);
  let seed = 99;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  for (let r = 0; r < 2000; r++) {
    const x0 = Math.floor(random() * SIDE);
    const y0 = Math.floor(random() * SIDE);
    const w = 1 + Math.floor(random() * 60);
    const h = 1 + Math.floor(random() * 60);
    const label = 1 + Math.floor(random() * 200);
    for (let y = y0; y < Math.min(SIDE, y0 + h); y++)
      values.fill(label, y * SIDE + x0, y * SIDE + Math.min(SIDE, x0 + w));
  }
  return values;
}

function writeFits(path, pixels) {
  const cards = ['SIMPLE  =                    T', 'BITPIX  =                   16', 'NAXIS   =                    2'];
  cards.push(`NAXIS1  = ${String(SIDE).padStart(20)}`, `NAXIS2  = ${String(SIDE).padStart(20)}`, 'END');
  const header = Buffer.alloc(2880, ' ');
  for (const [i, c] of cards.entries()) header.write(c.padEnd(80), i * 80, 'latin1');
  const data = Buffer.alloc(Math.ceil((pixels.length * 2) / 2880) * 2880);
  for (let i = 0; i < pixels.length; i++) data.writeInt16BE(pixels[i], i * 2);
  writeFileSync(path, Buffer.concat([header, data]));
}

/** Each tile's COMPRESSED_DATA bytes from fpack's BINTABLE (1PB/1PI descriptors, no other columns). */
function readTiles(path) {
  const bytes = readFileSync(path);
  let offset = 2880; // fpack's empty primary header is one block
  const cards = new Map();
  for (;;) {
    const card = bytes.toString('latin1', offset, offset + 80);
    offset += 80;
    if (card.startsWith('END ')) break;
    if (card[8] === '=')
      cards.set(card.slice(0, 8).trim(), card.slice(10, 80).split('/')[0].trim().replace(/'/g, '').trim());
  }
  const dataStart = Math.ceil(offset / 2880) * 2880;
  const rows = Number(cards.get('NAXIS2'));
  const rowBytes = Number(cards.get('NAXIS1'));
  const heap = dataStart + Number(cards.get('THEAP') ?? rows * rowBytes);
  const elementBytes = cards.get('TFORM1').includes('PI') ? 2 : 1;
  const tiles = [];
  for (let r = 0; r < rows; r++) {
    const count = bytes.readInt32BE(dataStart + r * rowBytes);
    const start = heap + bytes.readInt32BE(dataStart + r * rowBytes + 4);
    tiles.push(new Uint8Array(bytes.subarray(start, start + count * elementBytes)));
  }
  return { tiles, tileWidth: Number(cards.get('ZTILE1')), tileHeight: Number(cards.get('ZTILE2')) };
}

function bigEndianWords(bytes) {
  const words = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < words.length; i++) words[i] = (bytes[2 * i] << 8) | bytes[2 * i + 1];
  return words;
}

function bench(label, fitsPath, fpackArgs, decodeTile) {
  const packed = `${fitsPath}${fpackArgs.join('')}.fz`;
  execFileSync('fpack', [...fpackArgs, '-O', packed, fitsPath]);
  const { tiles, tileWidth, tileHeight } = readTiles(packed);
  const out = new Int32Array(tileWidth * tileHeight);
  const compressedBytes = tiles.reduce((n, t) => n + t.length, 0);
  // Checksum of the decoded image, so the work cannot be optimised away and runs can be compared.
  let checksum = 0;
  const decodeAll = () => {
    for (const tile of tiles) {
      decodeTile(tile, out, tileWidth, tileHeight);
      checksum = (checksum + out[out.length >> 1]) | 0;
    }
  };
  decodeAll(); // warm-up (JIT)
  let cpu = Number.POSITIVE_INFINITY;
  let wall = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    decodeAll();
    const used = process.cpuUsage(c);
    cpu = Math.min(cpu, (used.user + used.system) / 1e6);
    wall = Math.min(wall, (performance.now() - t) / 1000);
  }
  // funpack's CPU seconds (user + system) from bash's `time`.
  const timing = execFileSync('bash', [
    '-c',
    `TIMEFORMAT='%3U %3S'; { time funpack -S '${packed}' > /dev/null; } 2>&1`,
  ]);
  const funpackCpu = timing
    .toString()
    .trim()
    .split(/\s+/)
    .map(Number)
    .reduce((a, b) => a + b, 0);
  const outputMB = (SIDE * SIDE * 2) / 1e6;
  console.log(
    [
      label.padEnd(44),
      `${(outputMB / cpu).toFixed(0).padStart(5)} MB/s`,
      `${((SIDE * SIDE) / cpu / 1e6).toFixed(1).padStart(6)} Mpix/s`,
      `${(cpu * 1000).toFixed(0).padStart(5)} ms CPU`,
      `(wall ${(outputMB / wall).toFixed(0)} MB/s)`,
      `ratio ${((SIDE * SIDE * 2) / compressedBytes).toFixed(2).padStart(5)}`,
      `funpack ${(funpackCpu * 1000).toFixed(0)} ms CPU`,
    ].join('  '),
  );
}

try {
  const sky = join(dir, 'sky.fits');
  const mask = join(dir, 'mask.fits');
  writeFits(sky, skyImage());
  writeFits(mask, maskImage());
  console.log(`${SIDE} x ${SIDE} 16-bit, best of ${rounds} rounds; MB/s of decoded 16-bit pixels per CPU second`);
  const rice = (tile, out) => riceDecode(tile, out, 32, 2);
  const plio = (tile, out) => plioDecode(bigEndianWords(tile), out);
  const hcompress = (tile, out, w, h) => hcompressDecode(tile, out, w, h, false);
  bench('RICE_1 sky, row tiles (fpack -r)', sky, ['-r'], rice);
  bench('PLIO_1 sky, row tiles (fpack -p)', sky, ['-p'], plio);
  bench('PLIO_1 mask, row tiles (fpack -p)', mask, ['-p'], plio);
  bench('HCOMPRESS_1 sky, lossless, 4096x16 (fpack -h)', sky, ['-h', '-s', '0'], hcompress);
  bench('HCOMPRESS_1 sky, lossy -s 4, 4096x16', sky, ['-h', '-s', '4'], hcompress);
  bench('HCOMPRESS_1 sky, lossless, one tile (-w)', sky, ['-h', '-s', '0', '-w'], hcompress);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
