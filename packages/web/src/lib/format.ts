/** Display formats: compact, fixed precision, units where they help. */

export const DASH = '–';

export function num(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value.toFixed(digits);
}

export function int(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return Math.round(value).toLocaleString('en-US');
}

/** "2024-05-01 21:04:12" (UTC; the API's date_obs is ISO 8601 UTC). */
export function utc(iso: string | null | undefined): string {
  if (!iso) return DASH;
  return iso.replace('T', ' ').replace(/(\.\d+)?Z?$/, '');
}

export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = value;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A card value as the header shows it. */
export function cardValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (Array.isArray(value)) return `(${value.join(', ')})`;
  return String(value);
}
