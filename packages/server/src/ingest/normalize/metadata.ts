import type { ImageMetadata, NormalizedMetadata } from '../../domain/image.js';
import { emptyRecord } from '../../domain/image-fields.js';
import type { Resolved } from './field-rule.js';

/** Every field empty (null; false for airmass_computed): the starting point of a normalization. */
export function emptyMetadata(): ImageMetadata {
  return emptyRecord('metadata');
}

type Field = keyof ImageMetadata;

/** The result being built: values with their sources and reasons, written through one door. */
export class MetadataBuilder {
  readonly values = emptyMetadata();
  readonly reasons: NormalizedMetadata['reasons'] = {};
  readonly sources: NormalizedMetadata['sources'] = {};

  /** Store a resolved value with its source and reason. */
  put<F extends Field>(field: F, resolved: Resolved<NonNullable<ImageMetadata[F]>>): void {
    this.values[field] = resolved.value as ImageMetadata[F];
    if (resolved.source !== undefined) this.sources[field] = resolved.source;
    if (resolved.reason !== undefined) this.reasons[field] = resolved.reason;
  }

  set<F extends Field>(field: F, value: ImageMetadata[F], source?: string, reason?: string): void {
    this.values[field] = value;
    if (source !== undefined) this.sources[field] = source;
    if (reason !== undefined) this.reasons[field] = reason;
  }

  /** Leave a field null and say why (kept if a reason is already there). */
  explain(field: Field, reason: string): void {
    this.reasons[field] ??= reason;
  }

  result(): NormalizedMetadata {
    return { values: this.values, reasons: this.reasons, sources: this.sources };
  }
}
