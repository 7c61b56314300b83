/**
 * Builders of catalog input for store tests: `makeImage({ metadata: { filter_name: 'R' } })` gives a
 * complete NewImage with every other field null and a unique sha256 and path.
 */

import { emptyMetrics } from '../../src/analysis/frame-metrics.js';
import type { NewImage } from '../../src/db/image.mapper.js';
import type { ImageMetadata, QualityMetrics, QualityScore, StoredHdu } from '../../src/domain/image.js';
import { emptyRecord } from '../../src/domain/image-fields.js';
import { emptyMetadata } from '../../src/ingest/normalize/metadata.js';

// The same empty records the ingest code starts from.
export { emptyMetadata } from '../../src/ingest/normalize/metadata.js';

export function emptyQuality(): QualityMetrics {
  return emptyMetrics(null);
}

let serial = 0;

/** A sha256-looking hex string unique within the test process. */
export function fakeSha256(seed = ++serial): string {
  return seed.toString(16).padStart(64, '0');
}

/** Sets date_obs and the fields derived from it (UTC time of day), as normalization would. */
export function observedAt(iso: string, night?: string): Partial<ImageMetadata> {
  const ms = Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`);
  const d = new Date(ms);
  return {
    date_obs: iso,
    date_obs_ms: ms,
    time_of_day_min: d.getUTCHours() * 60 + d.getUTCMinutes(),
    night: night ?? null,
  };
}

export interface ImageOverrides {
  root?: string;
  rel_path?: string;
  sha256?: string;
  size_bytes?: number;
  mtime_ms?: number;
  inode?: number | null;
  metadata?: Partial<ImageMetadata>;
  quality?: Partial<QualityMetrics>;
  score?: Partial<QualityScore>;
  headers?: StoredHdu[];
}

export function makeImage(o: ImageOverrides = {}): NewImage {
  const n = ++serial;
  return {
    root: o.root ?? '/data/images',
    rel_path: o.rel_path ?? `night/frame_${String(n).padStart(6, '0')}.fits`,
    size_bytes: o.size_bytes ?? 2880 * 10,
    mtime_ms: o.mtime_ms ?? 1_764_000_000_000 + n,
    inode: o.inode === undefined ? n : o.inode,
    sha256: o.sha256 ?? fakeSha256(1_000_000 + n),
    hdu_index: 0,
    metadata: { ...emptyMetadata(), ...o.metadata },
    normalization: { reasons: {}, sources: {} },
    quality: { ...emptyQuality(), ...o.quality },
    score: { ...emptyRecord('score'), ...o.score },
    headers: o.headers ?? [{ index: 0, type: 'IMAGE', cards: [{ key: 'SIMPLE', value: true, comment: '' }] }],
  };
}
