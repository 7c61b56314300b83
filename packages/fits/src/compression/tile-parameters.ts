import { FitsError, FitsErrorCode } from '../errors.js';
import { cardInteger, cardNumber } from '../pixel-transform.js';
import type { HeaderLike } from '../types.js';
import type { QuantizeMethod } from './dither.js';

/** The tile-compression algorithms of the convention (FITS Standard 4.0 §10.4). */
export type CompressionAlgorithm = 'RICE_1' | 'GZIP_1' | 'GZIP_2' | 'PLIO_1' | 'HCOMPRESS_1' | 'NOCOMPRESS';

const ALGORITHMS: ReadonlySet<string> = new Set(['RICE_1', 'GZIP_1', 'GZIP_2', 'PLIO_1', 'HCOMPRESS_1', 'NOCOMPRESS']);
const ZBITPIX_VALUES: ReadonlySet<number> = new Set([8, 16, 32, -32, -64]);
const QUANTIZE_METHODS: ReadonlySet<string> = new Set(['NO_DITHER', 'SUBTRACTIVE_DITHER_1', 'SUBTRACTIVE_DITHER_2']);
/** fpack writes ZQUANTIZ = 'NONE' for floating-point images compressed losslessly (`-q 0`). */
const NOT_QUANTIZED = 'NONE';

/** What the BINTABLE header of a compressed image says about the image and its tiles. */
export interface TileParameters {
  algorithm: CompressionAlgorithm;
  /** ZBITPIX: the BITPIX of the image before compression. */
  bitpix: 8 | 16 | 32 | -32 | -64;
  /** ZNAXISn. */
  axes: number[];
  /** ZTILEn (default: whole rows, ZTILE1 = ZNAXIS1 and 1 elsewhere). */
  tile: number[];
  /** RICE_1 BLOCKSIZE (default 32) and BYTEPIX (default 4). */
  blockSize: number;
  bytePix: 1 | 2 | 4 | 8;
  /** HCOMPRESS_1 SCALE and SMOOTH. */
  hcompressScale: number;
  hcompressSmooth: boolean;
  quantize: QuantizeMethod;
  /** ZDITHER0 (default 1). */
  ditherSeed: number;
  /** ZBLANK, ZSCALE, ZZERO given as keywords (they may also be columns, per tile). */
  blank: number | undefined;
  scale: number | undefined;
  zero: number | undefined;
}

/** Reads and checks the Z keywords of a compressed-image BINTABLE header. */
export function tileParameters(header: HeaderLike, hduIndex: number): TileParameters {
  const position = { hduIndex };
  const bad = (message: string) => new FitsError(FitsErrorCode.BAD_MANDATORY, message, position);

  const algorithmValue = header.get('ZCMPTYPE');
  let algorithm = typeof algorithmValue === 'string' ? algorithmValue.trim().toUpperCase() : '';
  // CFITSIO writes RICE_ONE for SUBTRACTIVE_DITHER_2 files so that readers too old to know that
  // method refuse them instead of misreading the zeros; it is RICE_1 all the same.
  if (algorithm === 'RICE_ONE') algorithm = 'RICE_1';
  if (!ALGORITHMS.has(algorithm)) {
    throw new FitsError(
      FitsErrorCode.UNSUPPORTED,
      `ZCMPTYPE '${algorithmValue ?? ''}' is not a known algorithm`,
      position,
    );
  }
  const bitpix = Number(cardInteger(header.get('ZBITPIX')));
  if (!ZBITPIX_VALUES.has(bitpix)) {
    const code = bitpix === 64 ? FitsErrorCode.UNSUPPORTED : FitsErrorCode.BAD_MANDATORY;
    throw new FitsError(code, `ZBITPIX ${header.get('ZBITPIX')} is not supported`, position);
  }
  const naxis = Number(cardInteger(header.get('ZNAXIS')));
  if (!Number.isInteger(naxis) || naxis < 0 || naxis > 999) throw bad('ZNAXIS is missing or invalid');
  const axes: number[] = [];
  const tile: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const length = Number(cardInteger(header.get(`ZNAXIS${i}`)));
    if (!Number.isSafeInteger(length) || length < 0) throw bad(`ZNAXIS${i} is missing or invalid`);
    axes.push(length === 0 ? 0 : length); // -0 from a real-valued card is the length 0
    const tileValue = cardInteger(header.get(`ZTILE${i}`));
    const tileLength = tileValue === undefined ? (i === 1 ? length : 1) : Number(tileValue);
    if (!Number.isSafeInteger(tileLength) || tileLength < 1) throw bad(`ZTILE${i} is invalid`);
    tile.push(Math.min(tileLength, Math.max(length, 1)));
  }

  const options = new Map<string, number>();
  for (let i = 1; i <= 999; i++) {
    const name = header.get(`ZNAME${i}`);
    if (typeof name !== 'string') break;
    const value = cardNumber(header.get(`ZVAL${i}`));
    if (value !== undefined) options.set(name.trim().toUpperCase(), value);
  }
  const blockSize = options.get('BLOCKSIZE') ?? 32;
  // Without BYTEPIX, 4 (CFITSIO's default; nom-tam-fits writes 16-bit images that way).
  const bytePix = options.get('BYTEPIX') ?? 4;
  if (algorithm === 'RICE_1' && (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 4096)) {
    throw bad(`RICE_1 BLOCKSIZE ${blockSize} is invalid`);
  }
  if (bytePix !== 1 && bytePix !== 2 && bytePix !== 4 && bytePix !== 8)
    throw bad(`RICE_1 BYTEPIX ${bytePix} is invalid`);

  const quantizeValue = header.get('ZQUANTIZ');
  const quantizeName = typeof quantizeValue === 'string' ? quantizeValue.trim().toUpperCase() : 'NO_DITHER';
  const quantize = quantizeName === NOT_QUANTIZED ? 'NO_DITHER' : quantizeName;
  if (!QUANTIZE_METHODS.has(quantize)) {
    throw new FitsError(FitsErrorCode.UNSUPPORTED, `ZQUANTIZ '${quantizeValue}' is not supported`, position);
  }
  const seed = cardInteger(header.get('ZDITHER0'));

  return {
    algorithm: algorithm as CompressionAlgorithm,
    bitpix: bitpix as TileParameters['bitpix'],
    axes,
    tile,
    blockSize,
    bytePix,
    hcompressScale: options.get('SCALE') ?? 0,
    hcompressSmooth: (options.get('SMOOTH') ?? 0) !== 0,
    quantize: quantize as QuantizeMethod,
    ditherSeed: seed === undefined ? 1 : Number(seed),
    blank: optionalInteger(header.get('ZBLANK')),
    scale: cardNumber(header.get('ZSCALE')),
    zero: cardNumber(header.get('ZZERO')),
  };
}

function optionalInteger(value: ReturnType<HeaderLike['get']>): number | undefined {
  const integer = cardInteger(value);
  return integer === undefined ? undefined : Number(integer);
}
