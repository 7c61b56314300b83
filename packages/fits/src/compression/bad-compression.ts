import { FitsError, FitsErrorCode } from '../errors.js';

/**
 * The one error every tile decoder throws for input it cannot decode (truncated, garbage, or
 * inconsistent with the tile it claims to hold). `byteOffset` is relative to the start of the
 * tile's compressed bytes; the tile reader knows where the tile sits in the file.
 */
export function badCompression(algorithm: string, message: string, byteOffset?: number): FitsError {
  return new FitsError(
    FitsErrorCode.BAD_COMPRESSION,
    `${algorithm}: ${message}`,
    byteOffset === undefined ? {} : { byteOffset },
  );
}
