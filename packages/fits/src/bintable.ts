import { FitsError, FitsErrorCode } from './errors.js';
import { cardInteger, cardNumber } from './pixel-transform.js';
import type { ByteSource, HeaderLike } from './types.js';

/** Data types of a binary-table column, TFORMn (FITS Standard 4.0 §7.3.1, Table 18). */
export type TformType = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M' | 'P' | 'Q';

/** Bytes per element of each type ('X' counts bits; see `rowBytes`). */
const ELEMENT_BYTES: Record<TformType, number> = {
  L: 1,
  X: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
  P: 8,
  Q: 16,
};

export interface ColumnFormat {
  /** `r` of `rTa`: elements per row (bits for 'X'); 0 is a legal empty column. */
  repeat: number;
  type: TformType;
  /** For 'P'/'Q': the type of the elements in the heap. */
  arrayType?: Exclude<TformType, 'P' | 'Q'>;
  /** For 'P'/'Q': the `(emax)` of `rPt(emax)`, when written. */
  maxLength?: number;
  /** Bytes the column takes in each row. */
  rowBytes: number;
}

export interface BinaryColumn {
  /** `n` of TTYPEn / TFORMn (1-based). */
  number: number;
  /** TTYPEn, trimmed; '' when absent. */
  name: string;
  format: ColumnFormat;
  /** Offset of the column within a row. */
  byteOffset: number;
  /** TSCALn and TZEROn (1 and 0 when absent); applied to B I J K E D values and heap arrays of them. */
  scale: number;
  zero: number;
}

export interface BinaryTable {
  hduIndex: number;
  /** NAXIS1 and NAXIS2. */
  rowBytes: number;
  rowCount: number;
  /** Absolute file offset of the first row. */
  dataOffset: number;
  /** Absolute file offset of the heap (data start + THEAP, by default right after the rows). */
  heapOffset: number;
  /** Heap bytes from `heapOffset` to the end of the data unit (PCOUNT minus any gap). */
  heapSize: number;
  columns: BinaryColumn[];
}

/** A variable-length array descriptor: `length` elements at heap byte `offset`. */
export interface ArrayDescriptor {
  length: number;
  offset: number;
}

const TFORM = /^\s*(\d*)\s*([LXBIJKAEDCMPQ])\s*([LXBIJKAEDCM])?\s*(?:\(\s*(\d+)\s*\))?.*$/;

/** Parses TFORMn (`rT`, `rPt(emax)`, `rQt(emax)`; anything after the type code is ignored). */
export function parseTform(text: string): ColumnFormat {
  const match = TFORM.exec(text.toUpperCase());
  if (!match) throw new FitsError(FitsErrorCode.BAD_MANDATORY, `TFORM '${text}' is not a binary-table format`);
  const repeat = match[1] ? Number.parseInt(match[1], 10) : 1;
  const type = match[2] as TformType;
  if (type === 'P' || type === 'Q') {
    if (!match[3]) throw new FitsError(FitsErrorCode.BAD_MANDATORY, `TFORM '${text}' has no array element type`);
    if (repeat > 1)
      throw new FitsError(FitsErrorCode.BAD_MANDATORY, `TFORM '${text}': a descriptor repeats at most once`);
    const format: ColumnFormat = {
      repeat,
      type,
      arrayType: match[3] as ColumnFormat['arrayType'] & string,
      rowBytes: repeat * ELEMENT_BYTES[type],
    };
    if (match[4]) format.maxLength = Number.parseInt(match[4], 10);
    return format;
  }
  const rowBytes = type === 'X' ? Math.ceil(repeat / 8) : repeat * ELEMENT_BYTES[type];
  return { repeat, type, rowBytes };
}

/** Bytes of one element of `type` in the heap or a row. */
export function elementBytes(type: TformType): number {
  return ELEMENT_BYTES[type];
}

/** Describes a BINTABLE HDU from its header as written: columns, row layout and heap. */
export function binaryTable(hdu: { index: number; rawHeader: HeaderLike; dataOffset: number }): BinaryTable {
  const header = hdu.rawHeader;
  const position = { hduIndex: hdu.index };
  const integer = (key: string, fallback?: number): number => {
    const value = cardInteger(header.get(key));
    const number = value === undefined ? fallback : Number(value);
    if (number === undefined || !Number.isSafeInteger(number) || number < 0) {
      throw new FitsError(FitsErrorCode.BAD_MANDATORY, `${key} is missing or not a non-negative integer`, position);
    }
    return number;
  };
  const rowBytes = integer('NAXIS1');
  const rowCount = integer('NAXIS2');
  const pcount = integer('PCOUNT', 0);
  const fields = integer('TFIELDS', 0);
  const theap = integer('THEAP', rowBytes * rowCount);
  if (theap < rowBytes * rowCount || theap > rowBytes * rowCount + pcount) {
    throw new FitsError(FitsErrorCode.BAD_MANDATORY, `THEAP ${theap} is outside the data unit`, position);
  }

  const columns: BinaryColumn[] = [];
  let byteOffset = 0;
  for (let n = 1; n <= fields; n++) {
    const tform = header.get(`TFORM${n}`);
    if (typeof tform !== 'string') {
      throw new FitsError(FitsErrorCode.BAD_MANDATORY, `TFORM${n} is missing`, position);
    }
    let format: ColumnFormat;
    try {
      format = parseTform(tform);
    } catch (error) {
      if (error instanceof FitsError) throw new FitsError(error.code, error.message, position);
      throw error;
    }
    const name = header.get(`TTYPE${n}`);
    columns.push({
      number: n,
      name: typeof name === 'string' ? name.trim() : '',
      format,
      byteOffset,
      scale: cardNumber(header.get(`TSCAL${n}`)) ?? 1,
      zero: cardNumber(header.get(`TZERO${n}`)) ?? 0,
    });
    byteOffset += format.rowBytes;
  }
  if (byteOffset > rowBytes) {
    throw new FitsError(
      FitsErrorCode.BAD_MANDATORY,
      `columns take ${byteOffset} bytes, more than NAXIS1 ${rowBytes}`,
      position,
    );
  }
  return {
    hduIndex: hdu.index,
    rowBytes,
    rowCount,
    dataOffset: hdu.dataOffset,
    heapOffset: hdu.dataOffset + theap,
    heapSize: rowBytes * rowCount + pcount - theap,
    columns,
  };
}

/** The column named `name` (TTYPEn compared case-insensitively), or undefined. */
export function findColumn(table: BinaryTable, name: string): BinaryColumn | undefined {
  const wanted = name.toUpperCase();
  return table.columns.find((column) => column.name.toUpperCase() === wanted);
}

/** The bytes of rows [start, end): a copy the caller owns. */
export async function readTableRows(
  source: ByteSource,
  table: BinaryTable,
  start: number,
  end: number,
): Promise<Uint8Array> {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > table.rowCount || start > end) {
    throw new FitsError(
      FitsErrorCode.OUT_OF_RANGE,
      `rows ${start}–${end} are outside the table's ${table.rowCount} rows`,
      {
        hduIndex: table.hduIndex,
      },
    );
  }
  const offset = table.dataOffset + start * table.rowBytes;
  return readExactly(source, offset, (end - start) * table.rowBytes, table.hduIndex);
}

/** Reads `length` bytes at `offset` into a new array, or throws TRUNCATED. */
export async function readExactly(
  source: ByteSource,
  offset: number,
  length: number,
  hduIndex: number,
): Promise<Uint8Array> {
  const bytes = await source.read(offset, length);
  if (bytes.length < length) {
    throw new FitsError(
      FitsErrorCode.TRUNCATED,
      `the file ends at byte ${offset + bytes.length}, inside HDU ${hduIndex}'s data`,
      {
        byteOffset: offset + bytes.length,
        hduIndex,
      },
    );
  }
  return bytes.slice(0, length);
}

/** The descriptor of a 'P' or 'Q' column in row `row` of `rows` (as returned by readTableRows). */
export function arrayDescriptor(
  table: BinaryTable,
  column: BinaryColumn,
  rows: Uint8Array,
  row: number,
): ArrayDescriptor {
  const at = row * table.rowBytes + column.byteOffset;
  const view = new DataView(rows.buffer, rows.byteOffset);
  let length: number;
  let offset: number;
  if (column.format.type === 'P') {
    length = view.getUint32(at);
    offset = view.getUint32(at + 4);
  } else if (column.format.type === 'Q') {
    length = view.getUint32(at) * 4294967296 + view.getUint32(at + 4);
    offset = view.getUint32(at + 8) * 4294967296 + view.getUint32(at + 12);
  } else {
    throw new FitsError(FitsErrorCode.BAD_MANDATORY, `column ${column.name || column.number} is not variable-length`, {
      hduIndex: table.hduIndex,
    });
  }
  return { length, offset };
}

/**
 * The heap bytes a descriptor points at, checked against the heap's bounds (a descriptor is
 * untrusted: it must never make the reader allocate or read beyond the data unit).
 */
export async function readHeapArray(
  source: ByteSource,
  table: BinaryTable,
  column: BinaryColumn,
  descriptor: ArrayDescriptor,
): Promise<Uint8Array> {
  const size = descriptor.length * elementBytes(column.format.arrayType ?? 'B');
  if (!Number.isSafeInteger(descriptor.offset + size) || descriptor.offset + size > table.heapSize) {
    throw new FitsError(
      FitsErrorCode.OUT_OF_RANGE,
      `column ${column.name || column.number}: array of ${size} bytes at heap offset ${descriptor.offset} is outside the ${table.heapSize}-byte heap`,
      { hduIndex: table.hduIndex, byteOffset: table.heapOffset + descriptor.offset },
    );
  }
  return readExactly(source, table.heapOffset + descriptor.offset, size, table.hduIndex);
}

/** A decoded cell: numbers (scaled), strings, logicals, complex pairs or an array descriptor. */
export type CellValue = number | bigint | string | boolean | null | [number, number] | ArrayDescriptor | Uint8Array;

/**
 * The values of one cell. Numeric columns give one number per element (repeat 1 gives an array of
 * one); 'A' gives the string without trailing blanks or NULs; 'X' gives the bit bytes;
 * 'P'/'Q' give the descriptor (use readHeapArray + decodeElements for the array).
 */
export function cellValues(
  table: BinaryTable,
  column: BinaryColumn,
  rows: Uint8Array,
  row: number,
): CellValue[] | string | Uint8Array | ArrayDescriptor {
  const at = row * table.rowBytes + column.byteOffset;
  const { type, repeat } = column.format;
  if (type === 'P' || type === 'Q') return arrayDescriptor(table, column, rows, row);
  if (type === 'X') return rows.slice(at, at + column.format.rowBytes);
  if (type === 'A') return asciiText(rows.subarray(at, at + repeat));
  return decodeElements(rows.subarray(at, at + column.format.rowBytes), type, repeat, column.scale, column.zero);
}

/** Characters up to the first NUL, without trailing blanks (§7.3.3.1). */
function asciiText(bytes: Uint8Array): string {
  let text = '';
  for (const code of bytes) {
    if (code === 0) break;
    text += String.fromCharCode(code);
  }
  return text.replace(/ +$/, '');
}

/** Decodes `count` big-endian elements of `type`, applying TSCAL/TZERO to the numeric ones. */
export function decodeElements(bytes: Uint8Array, type: TformType, count: number, scale = 1, zero = 0): CellValue[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scaled = (value: number) => (scale === 1 && zero === 0 ? value : zero + scale * value);
  const out: CellValue[] = new Array(count);
  for (let i = 0; i < count; i++) {
    switch (type) {
      case 'L': {
        const code = view.getUint8(i);
        out[i] = code === 0x54 ? true : code === 0x46 ? false : null;
        break;
      }
      case 'B':
      case 'X':
      case 'A':
        out[i] = scaled(view.getUint8(i));
        break;
      case 'I':
        out[i] = scaled(view.getInt16(i * 2));
        break;
      case 'J':
        out[i] = scaled(view.getInt32(i * 4));
        break;
      case 'K': {
        const value = view.getBigInt64(i * 8);
        const exact = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
        out[i] = scale === 1 && zero === 0 && !exact ? value : scaled(Number(value));
        break;
      }
      case 'E':
        out[i] = scaled(view.getFloat32(i * 4));
        break;
      case 'D':
        out[i] = scaled(view.getFloat64(i * 8));
        break;
      case 'C':
        out[i] = [view.getFloat32(i * 8), view.getFloat32(i * 8 + 4)];
        break;
      case 'M':
        out[i] = [view.getFloat64(i * 16), view.getFloat64(i * 16 + 8)];
        break;
      default:
        throw new FitsError(FitsErrorCode.BAD_MANDATORY, `a ${type} column has no elements to decode`);
    }
  }
  return out;
}

/** A single numeric cell (the first element), e.g. ZSCALE or ZBLANK of a tile; undefined if not numeric. */
export function cellNumber(
  table: BinaryTable,
  column: BinaryColumn,
  rows: Uint8Array,
  row: number,
): number | undefined {
  if (column.format.repeat < 1) return undefined;
  const values = cellValues(table, column, rows, row);
  const first = Array.isArray(values) ? values[0] : undefined;
  if (typeof first === 'number') return first;
  if (typeof first === 'bigint') return Number(first);
  return undefined;
}

/**
 * The values of one column for rows [start, end): one entry per row, as `cellValues` gives them;
 * with `heap`, variable-length arrays are read from the heap and decoded instead of returned as
 * descriptors (an array of characters, `PA`, as a string).
 */
export async function readColumn(
  source: ByteSource,
  table: BinaryTable,
  column: BinaryColumn,
  start: number,
  end: number,
  options: { heap?: boolean } = {},
): Promise<Array<ReturnType<typeof cellValues>>> {
  const rows = await readTableRows(source, table, start, end);
  const out: Array<ReturnType<typeof cellValues>> = [];
  for (let row = 0; row < end - start; row++) {
    const value = cellValues(table, column, rows, row);
    const arrayType = column.format.arrayType;
    if (
      options.heap &&
      arrayType &&
      !Array.isArray(value) &&
      !(value instanceof Uint8Array) &&
      typeof value === 'object'
    ) {
      const bytes = await readHeapArray(source, table, column, value);
      out.push(
        arrayType === 'A'
          ? asciiText(bytes)
          : decodeElements(bytes, arrayType, value.length, column.scale, column.zero),
      );
    } else {
      out.push(value);
    }
  }
  return out;
}
