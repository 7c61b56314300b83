/**
 * The parts of the AIMS HTTP API the web UI uses, as TypeScript types. They are aliases of
 * schema.gen.ts, which is generated from the server's OpenAPI document (`npm run api:types`;
 * `npm run lint` fails while it is stale), so the UI never restates a server shape by hand and
 * never imports server code.
 */
import type { paths } from './schema.gen.js';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The JSON body of a response of a route. */
type Response<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends {
  responses: infer R;
}
  ? S extends keyof R
    ? Json<R[S]>
    : never
  : never;
/** The query string of a route. */
type Query<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

export type AuthConfig = Response<'/api/auth/config', 'get'>;
export type SignupPolicy = AuthConfig['signup'];
export type Session = Response<'/api/auth/login', 'post'>;
export type PendingSignup = Response<'/api/auth/signup', 'post', 202>;
export type User = Response<'/api/user/me', 'get'>;
export type Role = User['role'];

type ImageQuery = Query<'/api/images', 'get'>;
export type ImageType = NonNullable<ImageQuery['image_type']>;
/** For menus: every image type, in the server's order. */
export const IMAGE_TYPES = ['light', 'dark', 'flat', 'bias', 'other'] as const satisfies readonly ImageType[];
// Does not compile while the server knows an image type that IMAGE_TYPES lacks.
const everyImageTypeListed: [Exclude<ImageType, (typeof IMAGE_TYPES)[number]>] extends [never] ? true : never = true;
void everyImageTypeListed;

/**
 * A header-keyword condition as the API takes it: `header.KEY` (=), `header.KEY>` (≥) or
 * `header.KEY<` (≤) with the value as text (the schema's pattern properties, which the generated
 * types do not carry; lib/header-conditions.ts reads and writes them).
 */
export type HeaderParam = `header.${string}`;

/** The filters of GET /api/images, GET /api/images/facets, GET /api/nights and POST /api/downloads. */
export type ImageFilters = Omit<
  ImageQuery,
  'sort' | 'order' | 'limit' | 'offset' | 'cursor' | 'fields' | 'format' | '_'
> & { [param: HeaderParam]: string };

export type ImagePage = Omit<Response<'/api/images', 'get'>, 'items'> & { items: ImageItem[] };
/** An item of a page: any subset of the fields (`fields=`), id always. */
export type ImageItem = Response<'/api/images', 'get'>['items'][number] & { id: number };

export type CardValue = boolean | number | string | [number, number] | null;
type Detail = Response<'/api/images/{id}', 'get'>;
type ServerHdu = Detail['header'][number];
/** A header card; the schema leaves `value` open, the server writes one of CardValue. */
export type HeaderCard = Omit<ServerHdu['cards'][number], 'value'> & { value: CardValue };
export type HeaderHdu = Omit<ServerHdu, 'cards'> & { cards: HeaderCard[] };
export type ImagePath = Detail['paths'][number];
export type ImageDetail = Omit<Detail, 'header'> & { id: number; header: HeaderHdu[] };

export type Facets = Response<'/api/images/facets', 'get'>;
export type HeaderKeywords = Response<'/api/images/keywords', 'get'>;
export type FacetCount = Facets['filter_name'][number];
export type NightSummary = Response<'/api/nights', 'get'>['items'][number];

export type CalibrationReport = Response<'/api/images/{id}/calibration', 'get'>;
export type CalibrationKind = keyof CalibrationReport['kinds'];
export type CalibrationKindReport = CalibrationReport['kinds'][CalibrationKind];
export type CalibrationMatch = CalibrationKindReport['matches'][number];

export type TargetQuery = Omit<Query<'/api/targets', 'get'>, 'format'>;
export type TargetSort = NonNullable<TargetQuery['sort']>;
export type TargetPage = Response<'/api/targets', 'get'>;
export type Target = TargetPage['items'][number];
export type TargetDetail = Omit<Response<'/api/targets/{key}', 'get'>, 'best_frames'> & { best_frames: ImageItem[] };

export type AuditEntry = Response<'/api/admin/audit', 'get'>['items'][number];
export type IngestState = NonNullable<Query<'/api/admin/ingest', 'get'>['state']>;
export type LedgerPage = Response<'/api/admin/ingest', 'get'>;
export type FixityPanel = Response<'/api/admin/fixity', 'get'>;
export type FixityProblem = FixityPanel['items'][number];
export type LedgerEntry = LedgerPage['items'][number];
export type Health = Response<'/api/health', 'get'>;
export type LibraryList = Response<'/api/admin/libraries', 'get'>;
export type Library = LibraryList['items'][number];
/** The settings an admin may change (everything but the folder). */
export type LibrarySettings = Partial<
  Pick<Library, 'name' | 'exclude' | 'rescan_seconds' | 'use_polling' | 'paused' | 'timezone' | 'longitude_deg'>
>;
export type LibraryRemoved = Response<'/api/admin/libraries/{id}', 'delete'>;

/** Events of GET /api/events (server-sent). */
export type AimsEvent =
  | { type: 'image.ingested'; data: { image_id: number; file_path: string; duplicate: boolean } }
  | { type: 'ingest.failed'; data: { file_path: string; state: 'failed' | 'rejected'; reason: string } }
  | { type: 'queue.depth'; data: { pending: number; active: number } }
  | { type: 'watcher.state'; data: { state: string } };

export function mayDownload(user: Pick<User, 'role' | 'can_download'> | null): boolean {
  return user !== null && (user.role === 'admin' || user.can_download);
}
