/**
 * The parts of the AIMS HTTP API the web UI uses, as TypeScript types. Written from the server's
 * TypeBox schemas (packages/server/src/http/schemas); the UI never imports server code.
 */

export type Role = 'admin' | 'user';
export type SignupPolicy = 'open' | 'approval' | 'closed';
export type ImageType = 'light' | 'dark' | 'flat' | 'bias' | 'other';
export const IMAGE_TYPES: readonly ImageType[] = ['light', 'dark', 'flat', 'bias', 'other'];

export interface User {
  id: number;
  email: string;
  display_name: string | null;
  role: Role;
  can_download: boolean;
  is_active: boolean;
  has_password: boolean;
  google_linked: boolean;
  oidc_linked: boolean;
  created_at: string;
  last_login_at: string | null;
}

export interface Session {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  user: User;
}

export interface PendingSignup {
  status: 'pending_approval';
  message: string;
  user: User;
}

export interface AuthConfig {
  signup: SignupPolicy;
  password_min_length: number;
  google_client_id: string | null;
  oidc: boolean;
  public_read: boolean;
  /** No account exists yet: the next sign-up becomes the administrator. */
  first_account?: boolean;
}

/** The filters of GET /api/images, GET /api/images/facets, GET /api/nights and POST /api/downloads. */
export interface ImageFilters {
  date?: string;
  date_from?: string;
  date_to?: string;
  night?: string;
  start_time?: string;
  end_time?: string;
  min_temp?: number;
  max_temp?: number;
  min_quality?: number;
  camera?: string;
  telescope?: string;
  filter_name?: string;
  object?: string;
  image_type?: ImageType;
  ra?: number;
  dec?: number;
  radius?: number;
}

export interface ImageItem {
  id: number;
  file_path?: string;
  file_name?: string;
  date_obs?: string | null;
  night?: string | null;
  object_name?: string | null;
  image_type?: string | null;
  image_type_raw?: string | null;
  filter_name?: string | null;
  exptime?: number | null;
  ra_deg?: number | null;
  dec_deg?: number | null;
  position_source?: string | null;
  ccd_temp?: number | null;
  set_temp?: number | null;
  gain?: number | null;
  offset?: number | null;
  xbinning?: number | null;
  ybinning?: number | null;
  airmass?: number | null;
  altitude_deg?: number | null;
  telescope?: string | null;
  observatory?: string | null;
  instrument?: string | null;
  camera?: string | null;
  observer?: string | null;
  software?: string | null;
  naxis1?: number | null;
  naxis2?: number | null;
  bitpix?: number | null;
  pixel_scale_arcsec?: number | null;
  fov_width_deg?: number | null;
  fov_height_deg?: number | null;
  mjd_obs?: number | null;
  sun_alt_deg?: number | null;
  moon_illumination?: number | null;
  moon_separation_deg?: number | null;
  background?: number | null;
  noise?: number | null;
  star_count?: number | null;
  fwhm_px?: number | null;
  fwhm_arcsec?: number | null;
  hfr_px?: number | null;
  eccentricity?: number | null;
  snr_weight?: number | null;
  saturated_fraction?: number | null;
  level?: number | null;
  uniformity?: number | null;
  analysis_note?: string | null;
  quality_score?: number | null;
  quality_flag?: boolean;
  quality_components?: unknown;
  quality_version?: number | null;
  size_bytes?: number;
  sha256?: string;
  hdu_index?: number;
  ingested_at?: string;
  missing_since?: string | null;
  [field: string]: unknown;
}

export interface ImagePage {
  /** With total_exact false: more than this many frames match (the server stopped counting). */
  total: number;
  total_exact?: boolean;
  items: ImageItem[];
  next_cursor: string | null;
}

export type CardValue = boolean | number | string | [number, number] | null;

export interface HeaderCard {
  key: string;
  value: CardValue;
  comment: string;
}

export interface HeaderHdu {
  index: number;
  type: string;
  cards: HeaderCard[];
}

export interface ImagePath {
  file_path: string;
  kind: string;
  recorded_at: string;
  missing_since: string | null;
}

export interface ImageDetail extends ImageItem {
  header: HeaderHdu[];
  normalization: unknown;
  previous_versions: unknown[];
  paths: ImagePath[];
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface Facets {
  filter_name: FacetCount[];
  object_name: FacetCount[];
  telescope: FacetCount[];
  camera: FacetCount[];
  instrument: FacetCount[];
  night: FacetCount[];
  image_type: FacetCount[];
  /** false: counted over the newest 10,000 matching frames only (each count a lower bound). */
  exact?: boolean;
}

export interface NightSummary {
  night: string;
  frames: number;
  exposure_seconds: number;
  first_date_obs: string | null;
  last_date_obs: string | null;
  median_fwhm_arcsec: number | null;
  median_fwhm_px: number | null;
  min_ccd_temp: number | null;
  max_ccd_temp: number | null;
  mean_quality: number | null;
  flagged: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor_id: number | null;
  actor_email: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export type IngestState = 'pending' | 'ingested' | 'duplicate' | 'unchanged' | 'rejected' | 'failed';

export interface LedgerEntry {
  id: number;
  file_path: string;
  root: string;
  rel_path: string;
  size_bytes: number;
  mtime_ms: number;
  state: string;
  reason: string | null;
  retryable: boolean;
  attempts: number;
  image_id: number | null;
  discovered_at: string;
  updated_at: string;
}

export interface LedgerPage {
  total: number;
  counts: Record<string, number>;
  items: LedgerEntry[];
  image_dirs?: string[];
}

export interface Health {
  status: 'ok' | 'unavailable';
  version: string;
  uptime_seconds: number;
  database: { ok: boolean; dialect: string; latency_ms: number | null; error?: string };
  queue: { pending: number; active: number } | null;
  watcher: string;
}

/** Events of GET /api/events (server-sent). */
export type AimsEvent =
  | { type: 'image.ingested'; data: { image_id: number; file_path: string; duplicate: boolean } }
  | { type: 'ingest.failed'; data: { file_path: string; state: 'failed' | 'rejected'; reason: string } }
  | { type: 'queue.depth'; data: { pending: number; active: number } }
  | { type: 'watcher.state'; data: { state: string } };

export function mayDownload(user: Pick<User, 'role' | 'can_download'> | null): boolean {
  return user !== null && (user.role === 'admin' || user.can_download);
}
