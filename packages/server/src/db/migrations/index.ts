/**
 * Every migration, by timestamped name (`YYYY_MM_DD_HHMM_what`). Kysely applies them in name order
 * and records them in `kysely_migration`; add yours as a new line, never edit one that has shipped.
 * Each spells its DDL out in full, even where tables share columns: a migration records one schema
 * step as it was, so it must not be built from code that later changes.
 */
import catalog from './2026_11_24_1000_catalog.js';
import accounts from './2026_11_24_1100_accounts.js';
import catalogHeaders from './2026_11_24_1130_catalog_headers.js';
import coneIndex from './2026_11_24_1140_cone_index.js';
import filteredSortIndexes from './2026_11_24_1200_filtered_sort_indexes.js';
import rotatorAngle from './2026_12_03_0900_rotator_angle.js';
import catalogSummary from './2026_12_03_1100_catalog_summary.js';
import sortIndexes from './2026_12_03_1110_sort_indexes.js';
import typeObjectDateIndexes from './2026_12_03_1120_type_object_date_indexes.js';
import sessions from './2026_12_03_1300_sessions.js';
import eventOutbox from './2026_12_03_1400_event_outbox.js';
import calibrationFrames from './2026_12_03_1410_calibration_frames.js';
import catalogCopies from './2026_12_03_1420_catalog_copies.js';
import tapJobs from './2026_12_03_1430_tap_jobs.js';
import fixity from './2026_12_03_1440_fixity.js';
import libraries from './2026_12_03_1445_libraries.js';
import coneZoneIndex from './2026_12_03_1600_cone_zone_index.js';
import catalogTargets from './2026_12_03_1610_catalog_targets.js';
import dateFiltersIndex from './2026_12_03_1620_date_filters_index.js';
import catalogValueCounts from './2026_12_04_1750_catalog_value_counts.js';
import coneCellDateIndex from './2026_12_04_1800_cone_cell_date_index.js';
import dropPrefixNameIndexes from './2026_12_04_1810_drop_prefix_name_indexes.js';
import dropDateFiltersPrefixIndexes from './2026_12_04_2345_drop_date_filters_prefix_indexes.js';
import partialKeywordValueIndexes from './2026_12_04_2350_partial_keyword_value_indexes.js';
import type { AimsMigration } from './migration.js';

export type { AimsMigration } from './migration.js';

export const MIGRATIONS: Readonly<Record<string, AimsMigration>> = {
  '2026_11_24_1000_catalog': catalog,
  '2026_11_24_1100_accounts': accounts,
  '2026_11_24_1130_catalog_headers': catalogHeaders,
  '2026_11_24_1140_cone_index': coneIndex,
  '2026_11_24_1200_filtered_sort_indexes': filteredSortIndexes,
  '2026_12_03_0900_rotator_angle': rotatorAngle,
  '2026_12_03_1100_catalog_summary': catalogSummary,
  '2026_12_03_1110_sort_indexes': sortIndexes,
  '2026_12_03_1120_type_object_date_indexes': typeObjectDateIndexes,
  '2026_12_03_1300_sessions': sessions,
  '2026_12_03_1400_event_outbox': eventOutbox,
  '2026_12_03_1410_calibration_frames': calibrationFrames,
  '2026_12_03_1420_catalog_copies': catalogCopies,
  '2026_12_03_1430_tap_jobs': tapJobs,
  '2026_12_03_1440_fixity': fixity,
  '2026_12_03_1445_libraries': libraries,
  '2026_12_03_1600_cone_zone_index': coneZoneIndex,
  '2026_12_03_1610_catalog_targets': catalogTargets,
  '2026_12_03_1620_date_filters_index': dateFiltersIndex,
  '2026_12_04_1750_catalog_value_counts': catalogValueCounts,
  '2026_12_04_1800_cone_cell_date_index': coneCellDateIndex,
  '2026_12_04_1810_drop_prefix_name_indexes': dropPrefixNameIndexes,
  '2026_12_04_2345_drop_date_filters_prefix_indexes': dropDateFiltersPrefixIndexes,
  '2026_12_04_2350_partial_keyword_value_indexes': partialKeywordValueIndexes,
};
