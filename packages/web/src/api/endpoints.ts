/** One function per API route the UI calls. */
import { type Query, queryString, request } from './client.js';
import type {
  AuditEntry,
  AuthConfig,
  CalibrationReport,
  Facets,
  FixityPanel as FixityPanelData,
  HeaderKeywords,
  Health,
  ImageDetail,
  ImageFilters,
  ImagePage,
  LedgerPage,
  Library,
  LibraryList,
  LibraryRemoved,
  LibrarySettings,
  NightSummary,
  PendingSignup,
  Session,
  TargetDetail,
  TargetPage,
  TargetQuery,
  User,
} from './types.js';

export const api = {
  authConfig: () => request<AuthConfig>('/auth/config'),
  me: () => request<User>('/user/me', { quiet401: true }),
  login: (email: string, password: string) =>
    request<Session>('/auth/login', { method: 'POST', body: { email, password }, quiet401: true }),
  signup: (email: string, password: string, displayName?: string) =>
    request<Session | PendingSignup>('/auth/signup', {
      method: 'POST',
      body: { email, password, ...(displayName ? { display_name: displayName } : {}) },
      quiet401: true,
    }),
  google: (token: string) =>
    request<Session | PendingSignup>('/auth/google', { method: 'POST', body: { token }, quiet401: true }),
  logout: () => request<void>('/auth/logout', { method: 'POST', quiet401: true }),
  health: () => request<Health>('/health'),

  images: (
    filters: ImageFilters,
    page: { sort?: string; limit?: number; offset?: number; fields?: string },
    signal?: AbortSignal,
  ) => request<ImagePage>('/images', { query: { ...(filters as Query), ...page }, signal }),
  facets: (filters: ImageFilters, signal?: AbortSignal) =>
    request<Facets>('/images/facets', { query: filters as Query, signal }),
  keywords: (signal?: AbortSignal) => request<HeaderKeywords>('/images/keywords', { signal }),
  image: (id: number, signal?: AbortSignal) => request<ImageDetail>(`/images/${id}`, { signal }),
  calibration: (id: number, signal?: AbortSignal) =>
    request<CalibrationReport>(`/images/${id}/calibration`, { signal }),
  targets: (query: TargetQuery, signal?: AbortSignal) =>
    request<TargetPage>('/targets', { query: query as Query, signal }),
  target: (key: string, signal?: AbortSignal) =>
    request<TargetDetail>(`/targets/${encodeURIComponent(key)}`, { signal }),
  nights: (filters: ImageFilters = {}, signal?: AbortSignal) =>
    request<{ items: NightSummary[] }>('/nights', { query: filters as Query, signal }),

  users: () => request<{ items: User[] }>('/admin/users'),
  updateUser: (id: number, patch: Partial<Pick<User, 'role' | 'can_download' | 'is_active'>>) =>
    request<User>(`/admin/users/${id}`, { method: 'PUT', body: patch }),
  audit: (query: { action?: string; before?: number; limit?: number } = {}) =>
    request<{ items: AuditEntry[]; next_before: number | null }>('/admin/audit', { query }),
  ledger: (query: { state?: string; path?: string; limit?: number; offset?: number } = {}) =>
    request<LedgerPage>('/admin/ingest', { query }),
  requeue: (body: { ids?: number[]; states?: Array<'failed' | 'rejected'>; retryable_only?: boolean }) =>
    request<{ requeued: number }>('/admin/ingest/requeue', { method: 'POST', body }),
  rescan: () => request<{ started: boolean }>('/admin/rescan', { method: 'POST' }),
  libraries: () => request<LibraryList>('/admin/libraries'),
  addLibrary: (body: LibrarySettings & { path: string }) =>
    request<Library>('/admin/libraries', { method: 'POST', body }),
  updateLibrary: (id: number, patch: LibrarySettings) =>
    request<Library>(`/admin/libraries/${id}`, { method: 'PUT', body: patch }),
  removeLibrary: (id: number, frames: 'keep' | 'remove') =>
    request<LibraryRemoved>(`/admin/libraries/${id}`, { method: 'DELETE', query: { frames } }),
  rescanLibrary: (id: number) => request<{ started: boolean }>(`/admin/libraries/${id}/rescan`, { method: 'POST' }),
  fixity: () => request<FixityPanelData>('/admin/fixity'),
};

/** URL of a preview image (thumb ~256 px, medium ~1024 px). */
export const previewUrl = (id: number, size: 'thumb' | 'medium' = 'thumb') => `/api/images/${id}/preview?size=${size}`;
export const downloadUrl = (id: number) => `/api/images/${id}/download`;
/** Every target as CSV (one row per target and filter). */
export const targetsCsvUrl = (query: TargetQuery = {}) =>
  `/api/targets${queryString({ ...(query as Query), format: 'csv' })}`;
