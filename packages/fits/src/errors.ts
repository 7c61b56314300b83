/**
 * Every error the FITS core raises and every problem it records, with a stable code and, where it
 * means something, the byte offset and card index at which it was found. Cards are 80 bytes and
 * blocks 2880, so positions cost nothing and make every report actionable.
 */
export const FitsErrorCode = {
  /** The first bytes are not `SIMPLE  =` (or `XTENSION=` where an extension was expected). */
  NOT_FITS: 'FITS_NOT_FITS',
  /** A header ran to the end of the file without an END card. */
  NO_END: 'FITS_NO_END',
  /** The file ends inside a header block or before a declared data unit ends. */
  TRUNCATED: 'FITS_TRUNCATED',
  /** A mandatory keyword (BITPIX, NAXIS, NAXISn, PCOUNT, GCOUNT…) is missing or has a bad value. */
  BAD_MANDATORY: 'FITS_BAD_MANDATORY',
  /** A size computed from the header is over a configured limit. */
  TOO_LARGE: 'FITS_TOO_LARGE',
  /** Compressed data cannot be decoded. */
  BAD_COMPRESSION: 'FITS_BAD_COMPRESSION',
  /** A feature the reader does not implement (an unknown compression algorithm, say). */
  UNSUPPORTED: 'FITS_UNSUPPORTED',
  /** A request outside what the HDU holds (row range, HDU index). */
  OUT_OF_RANGE: 'FITS_OUT_OF_RANGE',
} as const;
export type FitsErrorCode = (typeof FitsErrorCode)[keyof typeof FitsErrorCode];

export interface FitsPosition {
  /** Byte offset from the start of the (decompressed) file. */
  byteOffset?: number;
  /** Index of the card within its header, 0-based. */
  cardIndex?: number;
  /** Index of the HDU, 0-based (0 = primary). */
  hduIndex?: number;
}

export class FitsError extends Error {
  override readonly name = 'FitsError';
  readonly code: FitsErrorCode;
  readonly byteOffset: number | undefined;
  readonly cardIndex: number | undefined;
  readonly hduIndex: number | undefined;

  constructor(code: FitsErrorCode, message: string, position: FitsPosition = {}) {
    super(message);
    this.code = code;
    this.byteOffset = position.byteOffset;
    this.cardIndex = position.cardIndex;
    this.hduIndex = position.hduIndex;
  }
}

export function isFitsError(error: unknown): error is FitsError {
  return error instanceof FitsError;
}

/** Oddities that do not stop reading: they are attached to the header or file they were found in. */
export const ProblemCode = {
  BAD_CARD: 'CARD_BAD_SYNTAX',
  BAD_KEYWORD: 'CARD_BAD_KEYWORD',
  NON_ASCII: 'CARD_NON_ASCII',
  UNTERMINATED_STRING: 'CARD_UNTERMINATED_STRING',
  DUPLICATE_KEYWORD: 'HEADER_DUPLICATE_KEYWORD',
  FLOAT_BLANK: 'HEADER_FLOAT_BLANK',
  ORPHAN_CONTINUE: 'HEADER_ORPHAN_CONTINUE',
  /** Bytes after the END card, up to the end of its block, that are not ASCII blanks (§4.4.1). */
  PADDING_NOT_BLANK: 'HEADER_PADDING_NOT_BLANK',
  MISSING_PADDING: 'FILE_MISSING_PADDING',
  /** The file ends after an END card but before the end of that header's last block (§4.4.1). */
  HEADER_TRUNCATED: 'FILE_HEADER_TRUNCATED',
  /** The file ends before the data unit its header declares (the file may still be being written). */
  DATA_TRUNCATED: 'FILE_DATA_TRUNCATED',
  TRAILING_BYTES: 'FILE_TRAILING_BYTES',
  BAD_HDU: 'FILE_BAD_HDU',
  CHECKSUM: 'HDU_CHECKSUM',
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];

export interface Problem extends FitsPosition {
  code: ProblemCode;
  message: string;
}
