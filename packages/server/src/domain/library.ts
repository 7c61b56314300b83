/**
 * Libraries: the folders AIMS watches for frames and serves originals from. Each has its own
 * exclusion globs, rescan schedule, polling choice (network shares deliver no file events) and the
 * site facts that date its frames' observing nights when their headers do not.
 */

/** Who made the library: AIMS_IMAGE_DIR/--images, an admin (API, web UI), or `aims ingest`. */
export const LIBRARY_ORIGINS = ['config', 'admin', 'cli'] as const;
export type LibraryOrigin = (typeof LIBRARY_ORIGINS)[number];

/**
 * What the process that watches a library is doing with it. `unwatched`: no watcher runs in this
 * process (ingest off, or a library another process registered and this one has not read yet).
 */
export const LIBRARY_STATES = [
  'starting',
  'watching',
  'polling',
  'scanning',
  'paused',
  'offline',
  'error',
  'unwatched',
] as const;
export type LibraryState = (typeof LIBRARY_STATES)[number];

/** What an admin may set on a library. */
export interface LibrarySettings {
  name: string;
  exclude: string[];
  /** Seconds between full rescans (0: none); null: AIMS_RESCAN_SECONDS. */
  rescan_seconds: number | null;
  use_polling: boolean;
  paused: boolean;
  /** IANA time zone for the observing nights of frames without a site longitude. */
  timezone: string | null;
  /** Site longitude (degrees east) for the same; wins over the time zone when both are set. */
  longitude_deg: number | null;
}

export interface Library extends LibrarySettings {
  id: number;
  path: string;
  origin: LibraryOrigin;
  created_at: string;
  updated_at: string;
}
