/**
 * The catalog's rules for a frame that ingest has read: a new image, new content at a known path,
 * an exact copy of a catalogued image (recorded against the first, never a second image), a file
 * that was renamed or moved, or the same content at the same path again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_QUALITY_THRESHOLD, scoreFrame } from '../analysis/score.js';
import { recordAudit } from '../db/audit.repository.js';
import type { Db } from '../db/connection.js';
import type { NewImage } from '../db/image.mapper.js';
import { comparableQuality } from '../db/image-quality.repository.js';
import {
  findImageByPath,
  findImageIdBySha256,
  getImage,
  insertImage,
  linkCopy,
  markPresent,
  movePath,
  updateImage,
} from '../db/images.repository.js';
import { completeEntry } from '../db/ingest-ledger.repository.js';

/** What became of a frame in the catalog. */
export type RecordOutcome = 'ingested' | 'updated' | 'duplicate' | 'moved' | 'unchanged';

export interface RecordOptions {
  /** AIMS_QUALITY_THRESHOLD: frames scoring at or above it get quality_flag. */
  qualityThreshold?: number | undefined;
}

/**
 * Writes one frame (found at `image.root`/`image.rel_path`, ledger entry `ledgerId`) into the
 * catalog and settles its ledger entry, inside the caller's transaction. A frame with quality
 * metrics is scored against the comparable frames already catalogued. `imageId` is the image the
 * frame became or was linked to; null when nothing changed.
 */
export async function recordFrame(
  db: Db,
  ledgerId: number,
  image: NewImage,
  options: RecordOptions = {},
): Promise<{ outcome: RecordOutcome; imageId: number | null }> {
  const { root, rel_path: relPath, sha256 } = image;
  const atPath = await findImageByPath(db, root, relPath);
  const scored: NewImage = { ...image };
  if (image.quality) {
    const comparables = await comparableQuality(db, image.metadata, atPath ? { excludeId: atPath.id } : {});
    scored.score = scoreFrame(image.quality, comparables, {
      imageType: image.metadata.image_type,
      threshold: options.qualityThreshold ?? DEFAULT_QUALITY_THRESHOLD,
    });
  }
  if (atPath && atPath.sha256 === sha256) {
    if (atPath.missing) await markPresent(db, root, relPath);
    await completeEntry(db, ledgerId, {
      state: 'unchanged',
      imageId: atPath.id,
      reason: atPath.missing ? 'the file is back at this path' : 'content already catalogued at this path',
    });
    return { outcome: 'unchanged', imageId: null };
  }
  if (atPath?.kind === 'primary') {
    const written = await updateImage(db, atPath.id, scored, { ledgerId });
    if (written.status === 'duplicate') {
      await linkCopy(db, written.id, root, relPath, { ledgerId });
      return { outcome: 'duplicate', imageId: written.id };
    }
    await completeEntry(db, ledgerId, { state: 'ingested', imageId: atPath.id, reason: 'new content at a known path' });
    await auditBadChecksum(db, atPath.id, image);
    return { outcome: 'updated', imageId: atPath.id };
  }
  const sameContent = await findImageIdBySha256(db, sha256);
  if (sameContent !== null) {
    const existing = await getImage(db, sameContent);
    if (existing && (existing.missing_since || !existsSync(join(existing.root, existing.rel_path)))) {
      // The first path is gone and the same bytes appeared here: a rename or a move.
      await movePath(db, sameContent, root, relPath);
      await completeEntry(db, ledgerId, {
        state: 'ingested',
        imageId: sameContent,
        reason: `moved from ${existing.file_path}`,
      });
      return { outcome: 'moved', imageId: sameContent };
    }
    await linkCopy(db, sameContent, root, relPath, { ledgerId });
    return { outcome: 'duplicate', imageId: sameContent };
  }
  const written = await insertImage(db, scored, { ledgerId });
  if (written.status === 'duplicate') {
    // Another process catalogued the same bytes between our lookup and our insert.
    await linkCopy(db, written.id, root, relPath, { ledgerId });
    return { outcome: 'duplicate', imageId: written.id };
  }
  await auditBadChecksum(db, written.id, image);
  return { outcome: 'ingested', imageId: written.id };
}

/**
 * A frame whose FITS checksum disagrees with its bytes is catalogued (so that it can be found and
 * judged) but never silently: `checksum_status` flags it and the audit log says when it came in.
 */
async function auditBadChecksum(db: Db, imageId: number, image: NewImage): Promise<void> {
  if (image.checksum_status !== 'bad') return;
  await recordAudit(db, {
    actorId: null,
    actorEmail: null,
    action: 'fixity.checksum_bad',
    target: `${image.root.replace(/\/+$/, '')}/${image.rel_path}`,
    details: {
      image_id: imageId,
      sha256: image.sha256,
      hdus: (image.checksum_hdus ?? []).filter((h) => h.checksum === 'bad' || h.datasum === 'bad'),
    },
  });
}
