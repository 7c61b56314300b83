import { compressedImageHeader } from './compressed-header.js';
import { BLOCK_SIZE, CARD_LENGTH, DEFAULT_LIMITS, type Limits } from './constants.js';
import { FitsError, FitsErrorCode, type FitsPosition, type Problem, ProblemCode } from './errors.js';
import { findEndCard, type Header, parseHeader } from './header.js';
import type { ByteSource, HduType } from './types.js';

export interface Hdu {
  /** 0 for the primary HDU. */
  index: number;
  type: HduType;
  /**
   * The header to show and to read metadata from. For a tile-compressed image (ZIMAGE = T), the
   * header of the image it holds, translated as astropy translates it (see compressed-header.ts).
   */
  header: Header;
  /** The header exactly as written (the BINTABLE header for COMPRESSED_IMAGE). */
  rawHeader: Header;
  headerOffset: number;
  dataOffset: number;
  /** Declared data bytes without the padding: |BITPIX|/8 × GCOUNT × (PCOUNT + ΠNAXISn). */
  dataLength: number;
  /** BITPIX of the pixels (ZBITPIX for COMPRESSED_IMAGE). */
  bitpix: number;
  /** NAXIS1…NAXISn (ZNAXISn for COMPRESSED_IMAGE; NAXIS1 = 0 included for random groups). */
  axes: number[];
}

export interface FitsStructure {
  hdus: Hdu[];
  /** Problems of the file and of every header, in the order they were found. */
  problems: Problem[];
  /** Bytes in the (decompressed) file, when the source knows it. */
  size: number | undefined;
}

export interface ReadStructureOptions {
  limits?: Partial<Limits>;
  /** Stop after this many HDUs (1 reads the primary header only). */
  maxHdus?: number;
}

const VALID_BITPIX = new Set([8, 16, 32, 64, -32, -64]);
/** First read of a header: ten blocks hold the whole header of nearly every real file. */
const FIRST_HEADER_READ = 10 * BLOCK_SIZE;
const SIMPLE = 'SIMPLE  =';
const XTENSION = 'XTENSION=';

/**
 * Walks the HDUs of a FITS file (FITS Standard 4.0 §3.3, §4.4): reads each header, computes the
 * size of its data from the mandatory keywords and jumps over it, so that only headers are read.
 * Throws FitsError when the primary header cannot be read (NOT_FITS, NO_END, TRUNCATED,
 * BAD_MANDATORY, TOO_LARGE); a damaged extension, trailing bytes, a missing final padding or a
 * data unit cut short end the walk with a recorded problem instead.
 */
export async function readStructure(source: ByteSource, options: ReadStructureOptions = {}): Promise<FitsStructure> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const maxHdus = Math.min(options.maxHdus ?? limits.maxHdus, limits.maxHdus);
  const hdus: Hdu[] = [];
  const problems: Problem[] = [];
  let offset = 0;

  while (hdus.length < maxHdus) {
    const index = hdus.length;
    const bytes = await readHeaderBytes(source, offset, limits.maxHeaderBytes, (start) =>
      startsWith(start, index === 0 ? SIMPLE : XTENSION),
    );
    if (index === 0) checkPrimaryStart(bytes);
    else if (bytes.length === 0) {
      // A decompressing source knows its size only now: check the end of the last data unit again.
      const end = checkDataEnd(hdus[index - 1]!, source.size);
      if (end) problems.push(end);
      break;
    } else if (!startsWith(bytes, XTENSION)) {
      const size = source.size;
      problems.push({
        code: ProblemCode.TRAILING_BYTES,
        message: `${size === undefined ? 'some' : size - offset} byte(s) after the last HDU are not an extension`,
        byteOffset: offset,
        hduIndex: index,
      });
      break;
    }

    let hdu: Hdu;
    try {
      hdu = describeHdu(bytes, offset, index, limits);
    } catch (error) {
      if (index === 0 || !(error instanceof FitsError)) throw error;
      problems.push({
        code: ProblemCode.BAD_HDU,
        message: `extension ${index}: ${error.message} (${error.code})`,
        byteOffset: error.byteOffset ?? offset,
        hduIndex: index,
      });
      break;
    }
    hdus.push(hdu);
    problems.push(...hdu.rawHeader.problems, ...checkBlank(hdu));
    // A source that decompresses a stream learns its size only at the end: look at the end of
    // this HDU's data first, so that a size becomes known when the data runs out.
    if (source.size === undefined && hdu.dataLength > 0) await source.read(hdu.dataOffset + hdu.dataLength - 1, 1);
    const end = checkDataEnd(hdu, source.size);
    if (end) {
      problems.push(end);
      break;
    }
    offset = hdu.dataOffset + paddedLength(hdu.dataLength);
  }
  return { hdus, problems, size: source.size };
}

function paddedLength(length: number): number {
  return Math.ceil(length / BLOCK_SIZE) * BLOCK_SIZE;
}

/** A header block or data unit cut short, or the last data unit without its padding (Npix8.fits). */
function checkDataEnd(hdu: Hdu, size: number | undefined): Problem | undefined {
  if (size === undefined) return undefined;
  if (size < hdu.dataOffset) {
    // The END card is whole, so the header can be read; its block was cut inside the padding.
    return {
      code: ProblemCode.HEADER_TRUNCATED,
      message: `HDU ${hdu.index}'s header ends at its END card, but the file ends at byte ${size}, inside the padding before byte ${hdu.dataOffset}`,
      byteOffset: size,
      hduIndex: hdu.index,
    };
  }
  const dataEnd = hdu.dataOffset + hdu.dataLength;
  if (dataEnd > size) {
    return {
      code: ProblemCode.DATA_TRUNCATED,
      message: `HDU ${hdu.index} declares ${hdu.dataLength} data bytes at byte ${hdu.dataOffset}; the file ends at byte ${size}`,
      byteOffset: size,
      hduIndex: hdu.index,
    };
  }
  const next = hdu.dataOffset + paddedLength(hdu.dataLength);
  if (next > size) {
    return {
      code: ProblemCode.MISSING_PADDING,
      message: `HDU ${hdu.index} is not padded to a multiple of ${BLOCK_SIZE} bytes (${next - size} bytes missing)`,
      byteOffset: size,
      hduIndex: hdu.index,
    };
  }
  return undefined;
}

/**
 * Reads from `offset` until the block holding END (or the end of the source, or the limit). Reads
 * beyond the first chunk happen only when `accept` takes its start for a header: trailing junk
 * after the last HDU (Astro_UIT.fits has 326 kB) must not be read to the limit in search of END.
 */
async function readHeaderBytes(
  source: ByteSource,
  offset: number,
  maxHeaderBytes: number,
  accept: (start: Uint8Array) => boolean,
): Promise<Uint8Array> {
  const first = await source.read(offset, Math.min(FIRST_HEADER_READ, maxHeaderBytes));
  if (first.length < FIRST_HEADER_READ || findEndCard(first, 0) >= 0 || !accept(first)) return first;
  // A long header: copy what we have (a read may be a view of a reused buffer) and keep reading.
  let buffer = first.slice();
  while (buffer.length < maxHeaderBytes) {
    const want = Math.min(buffer.length, maxHeaderBytes - buffer.length);
    const more = await source.read(offset + buffer.length, want);
    const grown = new Uint8Array(buffer.length + more.length);
    grown.set(buffer);
    grown.set(more, buffer.length);
    const searched = buffer.length - (buffer.length % CARD_LENGTH);
    buffer = grown;
    if (more.length < want || findEndCard(buffer, 0, searched) >= 0) break;
  }
  return buffer;
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

function checkPrimaryStart(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new FitsError(FitsErrorCode.NOT_FITS, 'the file is empty', { byteOffset: 0 });
  if (!startsWith(bytes, SIMPLE)) {
    throw new FitsError(FitsErrorCode.NOT_FITS, "not a FITS file: it does not start with 'SIMPLE  ='", {
      byteOffset: 0,
      cardIndex: 0,
      hduIndex: 0,
    });
  }
}

/** Parses one header (`bytes` from its first card; `offset` its place in the file) and computes where its data unit lies. */
export function describeHdu(bytes: Uint8Array, offset: number, index: number, limits: Limits): Hdu {
  const { header, headerLength } = parseHeader(bytes, 0, {
    baseOffset: offset,
    hduIndex: index,
    maxHeaderBytes: limits.maxHeaderBytes,
  });
  const at = (key: string): FitsPosition => {
    const card = header.getAll(key)[0];
    return { byteOffset: offset + (card ? card.index * 80 : 0), cardIndex: card?.index, hduIndex: index };
  };
  const bitpix = header.integer('BITPIX');
  if (bitpix === undefined || !VALID_BITPIX.has(bitpix)) {
    throw new FitsError(
      FitsErrorCode.BAD_MANDATORY,
      `HDU ${index}: BITPIX is ${describe(header.get('BITPIX'))}`,
      at('BITPIX'),
    );
  }
  const axes = readAxes(header, '', index, limits, at);
  const xtension =
    index === 0
      ? undefined
      : String(header.get('XTENSION') ?? '')
          .trim()
          .toUpperCase();
  const groups = index === 0 && header.get('GROUPS') === true && axes.length > 0 && axes[0] === 0;
  const pcount = countKeyword(header, 'PCOUNT', index === 0 && !groups ? 0 : undefined, 0, index, at);
  const gcount = countKeyword(header, 'GCOUNT', index === 0 && !groups ? 1 : undefined, 1, index, at);

  // §4.4.1.1 and §6: random groups skip NAXIS1 = 0; an HDU without axes has no data.
  const shape = groups ? axes.slice(1) : axes;
  const elements = shape.length === 0 ? 0 : shape.reduce((a, b) => a * b, 1);
  const dataLength = (Math.abs(bitpix) / 8) * gcount * (pcount + elements);
  if (!Number.isSafeInteger(dataLength)) {
    throw new FitsError(
      FitsErrorCode.TOO_LARGE,
      `HDU ${index}: the data size declared by the header (${dataLength} bytes) is too large`,
      at('NAXIS'),
    );
  }

  let type: HduType;
  let shown = header;
  let pixelBitpix = bitpix;
  let pixelAxes = axes;
  if (index === 0) type = groups ? 'RANDOM_GROUPS' : 'PRIMARY';
  else if (xtension === 'BINTABLE' || xtension === 'A3DTABLE') {
    type = 'BINTABLE';
    if (header.get('ZIMAGE') === true) {
      type = 'COMPRESSED_IMAGE';
      const zbitpix = header.integer('ZBITPIX');
      if (zbitpix === undefined || !VALID_BITPIX.has(zbitpix)) {
        throw new FitsError(
          FitsErrorCode.BAD_MANDATORY,
          `HDU ${index}: ZBITPIX is ${describe(header.get('ZBITPIX'))}`,
          at('ZBITPIX'),
        );
      }
      pixelBitpix = zbitpix;
      pixelAxes = readAxes(header, 'Z', index, limits, at);
      shown = compressedImageHeader(header);
    }
  } else if (xtension === 'IMAGE' || xtension === 'IUEIMAGE') type = 'IMAGE';
  else if (xtension === 'TABLE') type = 'TABLE';
  else type = 'UNKNOWN';

  return {
    index,
    type,
    header: shown,
    rawHeader: header,
    headerOffset: offset,
    dataOffset: offset + headerLength,
    dataLength,
    bitpix: pixelBitpix,
    axes: pixelAxes,
  };
}

/** NAXIS and NAXIS1…n (or ZNAXIS…), checked before any product is formed. */
function readAxes(
  header: Header,
  prefix: '' | 'Z',
  index: number,
  limits: Limits,
  at: (key: string) => FitsPosition,
): number[] {
  const naxisKey = `${prefix}NAXIS`;
  const naxis = header.integer(naxisKey);
  if (naxis === undefined || naxis < 0) {
    throw new FitsError(
      FitsErrorCode.BAD_MANDATORY,
      `HDU ${index}: ${naxisKey} is ${describe(header.get(naxisKey))}`,
      at(naxisKey),
    );
  }
  if (naxis > limits.maxNaxis) {
    throw new FitsError(
      FitsErrorCode.TOO_LARGE,
      `HDU ${index}: ${naxisKey} = ${naxis} is over the limit of ${limits.maxNaxis}`,
      at(naxisKey),
    );
  }
  const axes: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const key = `${naxisKey}${i}`;
    const n = header.integer(key);
    if (n === undefined || n < 0) {
      throw new FitsError(FitsErrorCode.BAD_MANDATORY, `HDU ${index}: ${key} is ${describe(header.get(key))}`, at(key));
    }
    if (!Number.isSafeInteger(n)) {
      throw new FitsError(FitsErrorCode.TOO_LARGE, `HDU ${index}: ${key} = ${header.get(key)} is too large`, at(key));
    }
    // A real-valued card may say -0: the length is 0, not a negative zero carried into products.
    axes.push(n === 0 ? 0 : n);
  }
  return axes;
}

/** PCOUNT/GCOUNT: mandatory in extensions, but a missing one is read as its usual value and reported. */
function countKeyword(
  header: Header,
  key: 'PCOUNT' | 'GCOUNT',
  fixed: number | undefined,
  usual: number,
  index: number,
  at: (key: string) => FitsPosition,
): number {
  if (fixed !== undefined) return fixed;
  const value = header.get(key);
  if (value === undefined) {
    header.problems.push({
      code: ProblemCode.BAD_HDU,
      message: `HDU ${index}: ${key} is missing; ${usual} assumed`,
      hduIndex: index,
    });
    return usual;
  }
  const n = header.integer(key);
  if (n === undefined || n < 0) {
    throw new FitsError(FitsErrorCode.BAD_MANDATORY, `HDU ${index}: ${key} is ${describe(value)}`, at(key));
  }
  if (!Number.isSafeInteger(n)) {
    throw new FitsError(FitsErrorCode.TOO_LARGE, `HDU ${index}: ${key} = ${value} is too large`, at(key));
  }
  return n;
}

/** BLANK must be an integer (§4.4.2.5); MaxIm-era and HiPS writers put `-32768.0`. */
function checkBlank(hdu: Hdu): Problem[] {
  const card = hdu.header.getAll('BLANK').find((c) => !c.commentary);
  if (!card) return [];
  const token = card.raw.slice(10).split('/')[0]!.trim();
  if (typeof card.value === 'number' && /^[+-]?\d+$/.test(token)) return [];
  if (typeof card.value === 'bigint') return [];
  return [
    {
      code: ProblemCode.FLOAT_BLANK,
      message: `HDU ${hdu.index}: BLANK = ${token} is not an integer`,
      byteOffset: hdu.headerOffset + card.index * 80,
      cardIndex: card.index,
      hduIndex: hdu.index,
    },
  ];
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  return `'${String(value)}', not a valid value`;
}
