/** What the library rules refuse, with stable codes; http/errors.ts maps them to statuses. */
export type LibraryErrorCode =
  /** The folder may not become a library (outside the allowed roots, missing, unreadable, `..`). */
  | 'LIBRARY_PATH_REFUSED'
  /** A setting that cannot be used (an unknown time zone). */
  | 'LIBRARY_BAD_SETTING'
  | 'LIBRARY_NOT_FOUND'
  /** The folder is, holds or lies in another library. */
  | 'LIBRARY_OVERLAPS'
  /** A library named by AIMS_IMAGE_DIR/--images: changed in the configuration, not here. */
  | 'LIBRARY_CONFIGURED'
  /** Asked to scan a paused library. */
  | 'LIBRARY_PAUSED';

export class LibraryError extends Error {
  override readonly name = 'LibraryError';
  constructor(
    readonly code: LibraryErrorCode,
    message: string,
    /** For refusals of one request field: its name. */
    readonly parameter?: string,
  ) {
    super(message);
  }
}
