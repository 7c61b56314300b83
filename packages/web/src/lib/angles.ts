/**
 * Sky coordinates as people type them: right ascension in hours ("10 19 39", "10:19:39.2",
 * "10h19m39s") or decimal degrees ("154.91"); declination in degrees ("+19 52 12", "+19:52:12",
 * "19d52m12s", "-0.5"). A value with one component is decimal degrees; with two or three it is
 * sexagesimal (hours for RA).
 */

function parseParts(text: string): { sign: number; parts: number[] } | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const body = trimmed.replace(/^[+-]/, '').trim();
  const pieces = body
    .replace(/[hHdD°:'′"″mMsS]/g, ' ')
    .trim()
    .split(/\s+/);
  if (pieces.length === 0 || pieces.length > 3) return null;
  const parts: number[] = [];
  for (const piece of pieces) {
    if (!/^\d+(\.\d*)?$|^\.\d+$/.test(piece)) return null;
    parts.push(Number(piece));
  }
  // Minutes and seconds below 60; only the last part may have decimals.
  for (let i = 1; i < parts.length; i++) if (parts[i]! >= 60) return null;
  for (let i = 0; i < parts.length - 1; i++) if (!Number.isInteger(parts[i])) return null;
  return { sign, parts };
}

const sexagesimal = (parts: number[]) => (parts[0] ?? 0) + (parts[1] ?? 0) / 60 + (parts[2] ?? 0) / 3600;

/** Right ascension in degrees [0, 360), or null when the text is not one. */
export function parseRa(text: string): number | null {
  const parsed = parseParts(text);
  if (!parsed || parsed.sign < 0) return null;
  const hoursMarked = /[hH:]/.test(text) || parsed.parts.length > 1;
  const degrees = hoursMarked ? sexagesimal(parsed.parts) * 15 : parsed.parts[0]!;
  if (hoursMarked && sexagesimal(parsed.parts) > 24) return null;
  if (degrees > 360) return null;
  return degrees === 360 ? 0 : degrees;
}

/** Declination in degrees [-90, 90], or null. */
export function parseDec(text: string): number | null {
  const parsed = parseParts(text);
  if (!parsed || /[hH]/.test(text)) return null;
  const degrees = parsed.sign * sexagesimal(parsed.parts);
  return Math.abs(degrees) <= 90 ? degrees : null;
}

/** A radius: degrees by default, or with a unit: 10' / 10 arcmin / 30" / 30 arcsec / 0.5d. */
export function parseRadius(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(d|deg|°|'|′|m|arcmin|"|″|s|arcsec)?\s*$/i.exec(text);
  if (!m) return null;
  const value = Number(m[1]);
  const unit = (m[2] ?? 'd').toLowerCase();
  const degrees = ["'", '′', 'm', 'arcmin'].includes(unit)
    ? value / 60
    : ['"', '″', 's', 'arcsec'].includes(unit)
      ? value / 3600
      : value;
  return degrees > 0 && degrees <= 180 ? degrees : null;
}

function sexagesimalText(value: number, decimals: number): [number, number, string] {
  const scale = 10 ** decimals;
  const units = Math.round(Math.abs(value) * 3600 * scale);
  const whole = Math.floor(units / (3600 * scale));
  const minutes = Math.floor(units / (60 * scale)) % 60;
  const seconds = (units % (60 * scale)) / scale;
  return [whole, minutes, seconds.toFixed(decimals).padStart(decimals ? 3 + decimals : 2, '0')];
}

/** 154.9125 → "10:19:39.0" */
export function formatRa(degrees: number | null | undefined, decimals = 1): string {
  if (degrees === null || degrees === undefined || !Number.isFinite(degrees)) return '';
  const [h, m, s] = sexagesimalText((((degrees % 360) + 360) % 360) / 15, decimals);
  return `${String(h % 24).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s}`;
}

/** 19.87 → "+19:52:12" */
export function formatDec(degrees: number | null | undefined, decimals = 0): string {
  if (degrees === null || degrees === undefined || !Number.isFinite(degrees)) return '';
  const [d, m, s] = sexagesimalText(degrees, decimals);
  const zero = d === 0 && m === 0 && Number(s) === 0;
  return `${degrees < 0 && !zero ? '-' : '+'}${String(d).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s}`;
}
