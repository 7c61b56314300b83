/**
 * The part of a pino logger the catalog writes to. The HTTP layer passes its request logger (so
 * lines carry the request id); ingest and the CLI pass theirs.
 */
export interface CatalogLog {
  warn(fields: object, message: string): void;
}
