/**
 * The catalog's vocabulary, shared by every layer. The fields of the image record are defined once,
 * in image-fields.ts; the records here are derived from it. Field names are the API's (snake_case,
 * units in the name where there is one) so that a row, a normalized header and an API item line up
 * one to one. Every field is null when the header does not say it or it cannot be derived; the
 * reason goes to `NormalizedMetadata.reasons`.
 */

import type { FieldRecord, ImageType } from './image-fields.js';

export { IMAGE_TYPES, type ImageType, POSITION_SOURCES, type PositionSource } from './image-fields.js';

/** What the header says (and what follows from it without the pixels); fields in image-fields.ts. */
export type ImageMetadata = FieldRecord<'metadata'>;

// Compile-time proof that the derived records stay precise: tsc fails if one of these is false.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Holds<T extends true> = T;
export type DerivedTypesArePrecise = [
  Holds<Equal<ImageMetadata['exptime'], number | null>>,
  Holds<Equal<ImageMetadata['image_type'], ImageType | null>>,
  Holds<Equal<ImageMetadata['airmass_computed'], boolean>>,
  Holds<Equal<ImageMetadata['footprint'], Array<[number, number]> | null>>,
  Holds<Equal<QualityScore['quality_flag'], boolean>>,
  Holds<Equal<QualityMetrics['star_count'], number | null>>,
];

export interface NormalizedMetadata {
  values: ImageMetadata;
  /** Why a field is null (or was derived), by field name: "no DATE-OBS", "CCD-TEMP 'n/a' is not a number". */
  reasons: Partial<Record<keyof ImageMetadata, string>>;
  /** The keyword each value was read from, by field name (e.g. exptime: 'EXPOSURE'). */
  sources: Partial<Record<keyof ImageMetadata, string>>;
}

/** Quality measured from the pixels; fields in image-fields.ts. */
export type QualityMetrics = FieldRecord<'quality'>;

/** The 0–100 score against comparable frames, with the components that explain it. */
export type QualityScore = FieldRecord<'score'>;

/** The header of one HDU as stored in the catalog (`headers` JSON column): the `aims header --json` shape. */
export interface StoredHdu {
  index: number;
  type: string;
  cards: Array<{ key: string; value: boolean | number | string | [number, number] | null; comment: string }>;
}

/** CHECKSUM and DATASUM of one HDU as verified at ingest (`checksum_hdus`, the detail view's `checksums`). */
export interface HduChecksumRecord {
  index: number;
  checksum: 'ok' | 'bad' | 'absent';
  datasum: 'ok' | 'bad' | 'absent';
  /** The data unit's sum as computed, in DATASUM's form; null when neither keyword asked for it. */
  computed_datasum: string | null;
  /** What disagreed, when something did. */
  reason?: string;
}

export const INGEST_STATES = ['pending', 'ingested', 'duplicate', 'unchanged', 'rejected', 'failed'] as const;
export type IngestState = (typeof INGEST_STATES)[number];
