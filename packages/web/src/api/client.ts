/**
 * A small typed fetch client. The browser session is the HttpOnly cookie the server sets on
 * sign-in (`credentials: 'same-origin'`); unsafe requests carry `X-Requested-With`, which the
 * server's CSRF check accepts as proof that the request comes from our own pages (a cross-site form
 * cannot set a custom header, and a cross-site script would need a CORS preflight the server
 * never grants).
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** For 400s: the request parameter that is wrong. */
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Called when the session ends under a signed-in page (a 401, or the 403 of a deactivated
 * account), so that the app can go back to the sign-in page and say why.
 */
let onUnauthorized: ((reason: string | null) => void) | undefined;
export function setUnauthorizedHandler(handler: ((reason: string | null) => void) | undefined): void {
  onUnauthorized = handler;
}

/** The server's words for an account that was deactivated (authentication.ts). */
const DEACTIVATED = /deactivated/i;

export const CSRF_HEADER = { 'X-Requested-With': 'aims-web' };

export type Query = Record<string, string | number | boolean | undefined | null>;

export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The error a failed response describes (the API's `{error, message, parameter}` body when present). */
export async function errorFrom(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText || 'error'}`;
  let parameter: string | undefined;
  try {
    const body = (await response.json()) as { message?: unknown; parameter?: unknown };
    if (typeof body.message === 'string') message = body.message;
    if (typeof body.parameter === 'string') parameter = body.parameter;
  } catch {
    // Not JSON (a proxy's error page): the status line is all we know.
  }
  if (response.status === 503 && !parameter) message = `the server is unavailable: ${message}`;
  return new ApiError(response.status, message, parameter);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not call the unauthorized handler on 401 (sign-in attempts, the first "who am I"). */
  quiet401?: boolean;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...CSRF_HEADER };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api${path}${queryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'the server cannot be reached (network error or server down)');
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (!options.quiet401) {
      if (response.status === 401) onUnauthorized?.(null);
      else if (response.status === 403 && DEACTIVATED.test(error.message)) onUnauthorized?.(error.message);
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}
