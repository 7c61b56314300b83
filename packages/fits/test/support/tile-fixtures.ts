/**
 * Test-only helpers for the tile decoders: a minimal FITS image writer, a reader of plain integer
 * images, and a reader that pulls each tile's compressed bytes out of a tile-compressed BINTABLE's
 * heap through its P/Q descriptors. Deliberately independent of the package's own readers, so the
 * decoders are checked against files read by other code (fpack/funpack and this file).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BLOCK = 2880;
const CARD = 80;

type CardValue = string | number | boolean;

interface Hdu {
  cards: Map<string, CardValue>;
  dataStart: number;
  dataBytes: number;
}

function parseValue(text: string): CardValue {
  const t = text.trim();
  if (t.startsWith("'")) {
    const close = t.indexOf("'", 1);
    return t.slice(1, close).trimEnd();
  }
  const v = t.split('/')[0]!.trim();
  if (v === 'T') return true;
  if (v === 'F') return false;
  return Number(v.replace(/D/i, 'E'));
}

function readHdus(bytes: Uint8Array): Hdu[] {
  const hdus: Hdu[] = [];
  const decoder = new TextDecoder('latin1');
  let offset = 0;
  while (offset + BLOCK <= bytes.length) {
    const cards = new Map<string, CardValue>();
    let pos = offset;
    for (;;) {
      if (pos + CARD > bytes.length) throw new Error('no END card');
      const card = decoder.decode(bytes.subarray(pos, pos + CARD));
      pos += CARD;
      const key = card.slice(0, 8).trim();
      if (key === 'END') break;
      if (card.slice(8, 10) === '= ') cards.set(key, parseValue(card.slice(10)));
    }
    const dataStart = Math.ceil(pos / BLOCK) * BLOCK;
    const naxis = Number(cards.get('NAXIS') ?? 0);
    let elements = naxis === 0 ? 0 : 1;
    for (let i = 1; i <= naxis; i++) elements *= Number(cards.get(`NAXIS${i}`));
    const bitpix = Math.abs(Number(cards.get('BITPIX')));
    const dataBytes = (bitpix / 8) * Number(cards.get('GCOUNT') ?? 1) * (Number(cards.get('PCOUNT') ?? 0) + elements);
    hdus.push({ cards, dataStart, dataBytes });
    offset = dataStart + Math.ceil(dataBytes / BLOCK) * BLOCK;
  }
  return hdus;
}

export interface PlainImage {
  bitpix: 8 | 16 | 32;
  width: number;
  height: number;
  /** Stored integers (BITPIX 8 unsigned, 16 and 32 signed), BZERO not applied. */
  values: Int32Array;
  /** NAXIS of the file's image (readPlainImage reads only the first plane of a cube). */
  naxis?: number;
  /** Its BZERO (0 when absent). */
  bzero?: number;
}

/** The first image HDU with data (primary or IMAGE extension); throws unless it is an integer image. */
export function readPlainImage(path: string): PlainImage {
  const bytes = new Uint8Array(readFileSync(path));
  const isImage = (h: Hdu) => h.cards.has('SIMPLE') || h.cards.get('XTENSION') === 'IMAGE';
  const hdu = readHdus(bytes).find((h) => isImage(h) && Number(h.cards.get('NAXIS') ?? 0) >= 1 && h.dataBytes > 0);
  if (!hdu) throw new Error(`${path}: no image`);
  const bitpix = Number(hdu.cards.get('BITPIX'));
  if (bitpix !== 8 && bitpix !== 16 && bitpix !== 32) throw new Error(`${path}: BITPIX ${bitpix}`);
  const width = Number(hdu.cards.get('NAXIS1'));
  const height = Number(hdu.cards.get('NAXIS2') ?? 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset + hdu.dataStart, width * height * (bitpix / 8));
  const values = new Int32Array(width * height);
  for (let i = 0; i < values.length; i++) {
    values[i] = bitpix === 8 ? view.getUint8(i) : bitpix === 16 ? view.getInt16(i * 2) : view.getInt32(i * 4);
  }
  return {
    bitpix,
    width,
    height,
    values,
    naxis: Number(hdu.cards.get('NAXIS')),
    bzero: Number(hdu.cards.get('BZERO') ?? 0),
  };
}

function card(key: string, value: CardValue): string {
  const v = typeof value === 'boolean' ? (value ? 'T' : 'F') : String(value);
  return `${key.padEnd(8)}= ${v.padStart(20)}`.padEnd(CARD);
}

/** A primary HDU holding one 2-D integer image, as small as the standard allows. */
export function writePlainImage(path: string, image: PlainImage): void {
  const { bitpix, width, height, values } = image;
  const header = [
    card('SIMPLE', true),
    card('BITPIX', bitpix),
    card('NAXIS', 2),
    card('NAXIS1', width),
    card('NAXIS2', height),
    'END'.padEnd(CARD),
  ].join('');
  const headerBytes = Math.ceil(header.length / BLOCK) * BLOCK;
  const dataBytes = width * height * (bitpix / 8);
  const out = new Uint8Array(headerBytes + Math.ceil(dataBytes / BLOCK) * BLOCK);
  out.fill(0x20, 0, headerBytes);
  for (let i = 0; i < header.length; i++) out[i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, headerBytes);
  for (let i = 0; i < width * height; i++) {
    const v = values[i]!;
    if (bitpix === 8) view.setUint8(i, v);
    else if (bitpix === 16) view.setInt16(i * 2, v);
    else view.setInt32(i * 4, v);
  }
  writeFileSync(path, out);
}

export interface CompressedTile {
  /** Position of the tile's first pixel in the image (0-based, axis 1 and axis 2). */
  x0: number;
  y0: number;
  width: number;
  height: number;
  /** The COMPRESSED_DATA heap bytes of this tile, as stored (big-endian for 1PI). */
  bytes: Uint8Array;
}

export interface CompressedImage {
  zbitpix: number;
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
  algorithm: string;
  /** The image's BZERO as the compressed header carries it (0 when absent). */
  bzero: number;
  /** ZNAMEi → ZVALi (BLOCKSIZE, BYTEPIX, SCALE, SMOOTH…). */
  params: Record<string, number>;
  tiles: CompressedTile[];
}

/** Bytes one TFORM occupies in a row (repeat × width; P descriptors 8, Q descriptors 16). */
function tformBytes(tform: string): number {
  const m = /^(\d*)([LXBIJKAEDCMPQ])/.exec(tform.trim());
  if (!m) throw new Error(`TFORM ${tform}`);
  const repeat = m[1] === '' ? 1 : Number(m[1]);
  const code = m[2]!;
  if (code === 'X') return Math.ceil(repeat / 8);
  const width = { L: 1, B: 1, A: 1, I: 2, J: 4, K: 8, E: 4, D: 8, C: 8, M: 16, P: 8, Q: 16 }[code]!;
  return repeat * width;
}

/** The first tile-compressed image in the file, its tiles in row order (axis 1 fastest). */
export function readCompressedImage(path: string): CompressedImage {
  const bytes = new Uint8Array(readFileSync(path));
  const hdu = readHdus(bytes).find((h) => h.cards.get('ZIMAGE') === true);
  if (!hdu) throw new Error(`${path}: no ZIMAGE HDU`);
  const c = hdu.cards;
  const num = (key: string, fallback?: number) => {
    const v = c.get(key) ?? fallback;
    if (typeof v !== 'number') throw new Error(`${path}: ${key} missing`);
    return v;
  };
  const width = num('ZNAXIS1');
  const height = Number(c.get('ZNAXIS') ?? 1) >= 2 ? num('ZNAXIS2') : 1;
  const tileWidth = num('ZTILE1', width);
  const tileHeight = num('ZTILE2', Number(c.get('ZNAXIS') ?? 1) >= 2 ? 1 : 1);
  const params: Record<string, number> = {};
  for (let i = 1; c.has(`ZNAME${i}`); i++) params[String(c.get(`ZNAME${i}`))] = Number(c.get(`ZVAL${i}`));

  const rowBytes = num('NAXIS1');
  const rows = num('NAXIS2');
  let columnOffset = -1;
  let tform = '';
  for (let i = 1, offset = 0; i <= num('TFIELDS'); i++) {
    const form = String(c.get(`TFORM${i}`));
    if (c.get(`TTYPE${i}`) === 'COMPRESSED_DATA') {
      columnOffset = offset;
      tform = form;
    }
    offset += tformBytes(form);
  }
  if (columnOffset < 0) throw new Error(`${path}: no COMPRESSED_DATA column`);
  const descriptor = /^\d*([PQ])([BIJ])/.exec(tform);
  if (!descriptor) throw new Error(`${path}: COMPRESSED_DATA is ${tform}`);
  const elementBytes = { B: 1, I: 2, J: 4 }[descriptor[2] as 'B' | 'I' | 'J'];
  const heapStart = hdu.dataStart + num('THEAP', rowBytes * rows);
  const view = new DataView(bytes.buffer, bytes.byteOffset);

  const tilesAcross = Math.ceil(width / tileWidth);
  const tiles: CompressedTile[] = [];
  for (let row = 0; row < rows; row++) {
    const at = hdu.dataStart + row * rowBytes + columnOffset;
    const count = descriptor[1] === 'P' ? view.getInt32(at) : Number(view.getBigInt64(at));
    const offset = descriptor[1] === 'P' ? view.getInt32(at + 4) : Number(view.getBigInt64(at + 8));
    if (count === 0) throw new Error(`${path}: tile ${row} is not in COMPRESSED_DATA`);
    const x0 = (row % tilesAcross) * tileWidth;
    const y0 = Math.floor(row / tilesAcross) * tileHeight;
    tiles.push({
      x0,
      y0,
      width: Math.min(tileWidth, width - x0),
      height: Math.min(tileHeight, height - y0),
      bytes: bytes.slice(heapStart + offset, heapStart + offset + count * elementBytes),
    });
  }
  return {
    zbitpix: num('ZBITPIX'),
    width,
    height,
    tileWidth,
    tileHeight,
    algorithm: String(c.get('ZCMPTYPE')),
    bzero: Number(c.get('BZERO') ?? 0),
    params,
    tiles,
  };
}

/** Decodes every tile with `decode` and places it in a full image. */
export function assemble(image: CompressedImage, decode: (tile: CompressedTile, out: Int32Array) => void): Int32Array {
  const full = new Int32Array(image.width * image.height);
  for (const tile of image.tiles) {
    const out = new Int32Array(tile.width * tile.height);
    decode(tile, out);
    for (let y = 0; y < tile.height; y++) {
      full.set(out.subarray(y * tile.width, (y + 1) * tile.width), (tile.y0 + y) * image.width + tile.x0);
    }
  }
  return full;
}

/** 16-bit big-endian heap words (PLIO's 1PI column) as an Int16Array. */
export function bigEndianWords(bytes: Uint8Array): Int16Array {
  const words = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < words.length; i++) words[i] = view.getInt16(i * 2);
  return words;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `aims-${prefix}-`));
}

/** Runs fpack with `args` on `input`, writing `output`. */
export function fpack(args: string[], input: string, output: string): void {
  execFileSync('fpack', [...args, '-O', output, input], { stdio: 'pipe' });
}

export function funpack(input: string, output: string): void {
  execFileSync('funpack', ['-O', output, input], { stdio: 'pipe' });
}

/** A small deterministic PRNG (mulberry32) so generated images are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** First index where a and b differ, or -1. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

export interface AstropyCompression {
  algorithm: 'RICE_1' | 'PLIO_1' | 'HCOMPRESS_1';
  /** Tile shape as FITS axes (axis 1 first). */
  tile: [number, number];
  /** RICE_1 BLOCKSIZE; astropy 5 honours ZVAL1 set on the compressed header before writing. */
  blockSize?: number;
  hcompScale?: number;
  hcompSmooth?: boolean;
}

/**
 * Compresses a plain image with astropy's bundled CFITSIO (a second writer besides fpack, and the
 * only one that lets the Rice block size be chosen).
 */
export function compressWithAstropy(input: string, output: string, options: AstropyCompression): void {
  const script = `
import json, sys
from astropy.io import fits
src, dst, opts = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
data = fits.getdata(src, do_not_scale_image_data=True)
kw = dict(compression_type=opts['algorithm'], tile_size=opts['tile'])
if 'hcompScale' in opts: kw['hcomp_scale'] = opts['hcompScale']
if 'hcompSmooth' in opts: kw['hcomp_smooth'] = 1 if opts['hcompSmooth'] else 0
hdu = fits.CompImageHDU(data, **kw)
if 'blockSize' in opts: hdu._header['ZVAL1'] = opts['blockSize']
fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(dst, overwrite=True)
`;
  execFileSync('/usr/bin/python3', ['-c', script, input, output, JSON.stringify(options)], { stdio: 'pipe' });
}

export type SyntheticKind = 'sky' | 'noise' | 'random' | 'zero' | 'mixed';

const RANGE = { 8: [0, 255], 16: [-32768, 32767], 32: [-2147483648, 2147483647] } as const;

/**
 * Deterministic test images: 'sky' (background, noise, a few saturated stars), 'noise' (background
 * and noise only: tiny tiles of saturated stars overflow CFITSIO's HCOMPRESS buffer), 'random' (uniform
 * over the whole BITPIX range: every Rice block takes the raw escape), 'zero', and 'mixed' (runs of
 * constants, noise and min/max alternation, so differences wrap around the integer range).
 */
export function syntheticImage(
  bitpix: 8 | 16 | 32,
  width: number,
  height: number,
  kind: SyntheticKind,
  seed = 1,
): PlainImage {
  const random = prng(seed);
  const [lo, hi] = RANGE[bitpix];
  const clamp = (v: number) => Math.max(lo, Math.min(hi, Math.round(v)));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const level = bitpix === 8 ? 40 : bitpix === 16 ? 1000 : 100000;
  const noise = bitpix === 8 ? 4 : bitpix === 16 ? 25 : 300;
  const values = new Int32Array(width * height);
  const stars = Array.from({ length: 6 }, () => [random() * width, random() * height, random() * (hi - level)]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const uniform = () => clamp(lo + random() * (hi - lo + 1) - 0.5);
      if (kind === 'zero') values[i] = 0;
      else if (kind === 'random') values[i] = uniform();
      else {
        let v = level + noise * gauss();
        if (kind !== 'noise') {
          for (const [sx, sy, peak] of stars) v += peak! * Math.exp(-((x - sx!) ** 2 + (y - sy!) ** 2) / 4);
        }
        if (kind === 'mixed') {
          const band = (y + Math.floor(x / 9)) % 5;
          if (band === 1) v = level;
          else if (band === 2) v = (x & 1) === 0 ? lo : hi;
          else if (band === 3) v = uniform();
          else if (band === 4 && bitpix !== 8) v = -level + noise * gauss();
        }
        values[i] = clamp(v);
      }
    }
  }
  return { bitpix, width, height, values };
}

export interface CfitsioTileCase {
  /** The tile's compressed bytes as a decoder receives them. */
  bytes: Uint8Array;
  width: number;
  height: number;
  algorithm: 'RICE_1' | 'PLIO_1' | 'HCOMPRESS_1';
  zbitpix: 8 | 16 | 32;
  /** ZNAMEi/ZVALi pairs, e.g. { SCALE: 0, SMOOTH: 1 }. */
  params?: Record<string, number>;
}

/**
 * Decodes single tiles with CFITSIO (through astropy): each case is written as a one-tile
 * compressed-image BINTABLE and read back. This makes CFITSIO an oracle for streams no writer
 * produces, such as HCOMPRESS tiles narrower than 4 pixels. Returns the pixels, or the error
 * message when CFITSIO refuses the tile.
 */
export function decodeTilesWithCfitsio(cases: CfitsioTileCase[]): Array<number[] | string> {
  const script = `
import json, sys, os, tempfile
import numpy as np
from astropy.io import fits
out = []
tmp = tempfile.mkdtemp()
for n, case in enumerate(json.load(sys.stdin)):
    data = np.frombuffer(bytes.fromhex(case['hex']), dtype=np.uint8)
    col = fits.Column(name='COMPRESSED_DATA', format='1PB()', array=np.array([data], dtype=object))
    t = fits.BinTableHDU.from_columns([col])
    h = t.header
    h['ZIMAGE'] = True
    h['ZBITPIX'] = case['zbitpix']
    h['ZNAXIS'] = 2
    h['ZNAXIS1'] = case['width']
    h['ZNAXIS2'] = case['height']
    h['ZTILE1'] = case['width']
    h['ZTILE2'] = case['height']
    h['ZCMPTYPE'] = case['algorithm']
    for i, (k, v) in enumerate(case['params'].items()):
        h['ZNAME%d' % (i + 1)] = k
        h['ZVAL%d' % (i + 1)] = v
    path = os.path.join(tmp, '%d.fits' % n)
    fits.HDUList([fits.PrimaryHDU(), t]).writeto(path)
    try:
        with fits.open(path) as f:
            out.append(np.asarray(f[1].data, dtype=np.int64).ravel().tolist())
    except Exception as e:
        out.append(str(e))
print(json.dumps(out))
`;
  const input = JSON.stringify(
    cases.map((c) => ({
      hex: Buffer.from(c.bytes).toString('hex'),
      width: c.width,
      height: c.height,
      algorithm: c.algorithm,
      zbitpix: c.zbitpix,
      params: c.params ?? {},
    })),
  );
  const stdout = execFileSync('/usr/bin/python3', ['-c', script], { input, maxBuffer: 1 << 28 });
  return JSON.parse(stdout.toString()) as Array<number[] | string>;
}

/** MSB-first bit writer for hand-made test streams. */
export class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;

  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      this.current = (this.current << 1) | ((value >>> i) & 1);
      if (++this.used === 8) this.flushByte();
    }
  }

  /** Pads the current byte with zero bits. */
  align(): void {
    if (this.used > 0) this.write(0, 8 - this.used);
  }

  private flushByte(): void {
    this.bytes.push(this.current & 0xff);
    this.current = 0;
    this.used = 0;
  }

  finish(): Uint8Array {
    this.align();
    return Uint8Array.from(this.bytes);
  }
}
