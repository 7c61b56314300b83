/** The fixity check as the health report and the admin panel show it (catalog/fixity.ts). */
import { Type } from '@sinclair/typebox';
import { IsoDateTime, Nullable, StringEnum } from './common.schemas.js';

const FixityCounts = {
  changed: Type.Integer({ description: 'files whose content is not the catalogued one' }),
  missing: Type.Integer({ description: 'files not at their path' }),
  unreadable: Type.Integer({ description: 'files that could not be read (or whose folder is not reachable)' }),
  checksum_bad: Type.Integer({ description: 'frames whose FITS CHECKSUM/DATASUM failed at ingest' }),
};

export const FixitySummarySchema = Type.Object(
  {
    every_days: Type.Integer({ description: 'AIMS_FIXITY_DAYS: every file is read within this period (0: off)' }),
    last_run: Type.Union([
      Type.Object({
        source: Type.String({ description: "'server' (background) or 'cli' (aims verify)" }),
        finished_at: IsoDateTime,
        files: Type.Integer(),
        ok: Type.Integer(),
        ...FixityCounts,
      }),
      Type.Null(),
    ]),
    problems: Type.Object(FixityCounts, { description: 'files whose last check (or FITS checksum) is not ok now' }),
  },
  { title: 'FixitySummary' },
);

export const FixityProblemSchema = Type.Object(
  {
    image_id: Type.Integer(),
    file_path: Type.String(),
    path: StringEnum(['primary', 'copy'], { description: "the image's own path or a copy of it" }),
    problem: StringEnum(['changed', 'missing', 'unreadable', 'checksum_bad']),
    reason: Type.String(),
    verified_at: Nullable.string(),
  },
  { title: 'FixityProblem' },
);
