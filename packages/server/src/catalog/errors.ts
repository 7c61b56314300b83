/**
 * What the catalog refuses, with stable codes. The HTTP layer maps each code to a status in one
 * place (http/errors.ts); the messages are written for the person who asked.
 */
export type CatalogErrorCode =
  /** No such image, nothing matches, or no file of the selection can be read. */
  | 'CATALOG_NOT_FOUND'
  /** A selection larger than one request may take (a ZIP of too many files). */
  | 'CATALOG_TOO_LARGE'
  /** Too much work waiting (preview renders): ask again after `retryAfterSeconds`. */
  | 'CATALOG_BUSY';

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  constructor(
    readonly code: CatalogErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const catalogNotFound = (message: string) => new CatalogError('CATALOG_NOT_FOUND', message);
export const catalogBusy = (message: string, retryAfterSeconds: number) =>
  new CatalogError('CATALOG_BUSY', message, retryAfterSeconds);
