/**
 * The spectral band of a frame, from its filter name (and, for one-shot-colour cameras, from the
 * Bayer pattern): ObsCore's em_min/em_max (vacuum wavelength, metres) and what SIA's BAND and
 * SPECRP compare against.
 *
 *   bandLookup(extra?)(filterName, bayerPattern) → { minM, maxM } | null
 *
 * Broadband edges are the half-maximum points of the published passbands (Johnson-Cousins after
 * Bessell 1990, PASP 102, 1181; Sloan u'g'r'i'z' after Fukugita et al. 1996, AJ 111, 1748); the
 * amateur L/R/G/B values are those of the common interference sets (Baader, Astronomik, Chroma),
 * which differ by a few nanometres. Narrowband filters are centred on the line's vacuum wavelength
 * with the width the name gives ("Ha 3nm"), 7 nm when it gives none. An observatory adds or
 * overrides names with AIMS_VO_FILTER_BANDS (a JSON file of `{"name": [min_nm, max_nm]}`).
 */

export interface Band {
  minM: number;
  maxM: number;
}

const NM = 1e-9;

/** Broadband passbands, nm; keys are normalised names (normaliseFilterName). */
const BROADBAND: Record<string, [number, number]> = {
  // Johnson-Cousins UBVRI.
  u: [331, 399],
  b: [390, 488],
  v: [507, 595],
  r: [562, 720],
  i: [721, 875],
  rc: [562, 720],
  ic: [721, 875],
  johnsonu: [331, 399],
  johnsonb: [390, 488],
  johnsonv: [507, 595],
  cousinsr: [562, 720],
  cousinsi: [721, 875],
  // Sloan u'g'r'i'z' (keys from "g'", "gp", "sdss g", "sloan g"; lower-case letters alone too).
  'sloan:u': [327, 384],
  'sloan:g': [409, 546],
  'sloan:r': [555, 692],
  'sloan:i': [687, 840],
  'sloan:z': [866, 961],
  // Amateur LRGB sets and unfiltered frames.
  l: [400, 700],
  lum: [400, 700],
  luminance: [400, 700],
  red: [600, 700],
  green: [500, 600],
  g: [500, 600],
  blue: [400, 500],
  uvir: [400, 700],
  uvircut: [400, 700],
  ircut: [400, 700],
  clear: [350, 1000],
  c: [350, 1000],
  none: [350, 1000],
  open: [350, 1000],
};

/** Emission lines, vacuum wavelength in nm. */
const LINES: Record<string, number> = {
  ha: 656.46,
  halpha: 656.46,
  hα: 656.46,
  hb: 486.27,
  hbeta: 486.27,
  hβ: 486.27,
  oiii: 500.82,
  o3: 500.82,
  sii: 672.55, // between the [SII] 671.8/673.3 doublet, which one filter passes
  s2: 672.55,
  nii: 658.53,
  n2: 658.53,
  heii: 468.71,
};

const DEFAULT_LINE_WIDTH_NM = 7;

/** One-shot-colour sensors behind their usual UV/IR-cut window: the three colour channels together. */
const BAYER_BAND: [number, number] = [400, 700];

/** Lower-case, without blanks, brackets, dashes, "filter" and a bandwidth. */
export function normaliseFilterName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\d+(\.\d+)?\s*nm/g, '')
    .replace(/filter/g, '')
    .replace(/[\s[\]()_\-/.]+/g, '');
}

/** Sloan names: g', gp, "sdss g", "sloan-g", and a lower-case letter alone. */
function sloanKey(raw: string): string | null {
  const t = raw.trim();
  const m =
    /^(?:sdss|sloan)?[\s_-]*([ugriz])(?:'|p|prime)$/i.exec(t) ??
    /^(?:sdss|sloan)[\s_-]*([ugriz])$/i.exec(t) ??
    /^([ugriz])$/.exec(t);
  return m?.[1] ? `sloan:${m[1].toLowerCase()}` : null;
}

export type BandLookup = (filterName: string | null, bayerPattern: string | null) => Band | null;

const band = ([lo, hi]: [number, number]): Band => ({ minM: lo * NM, maxM: hi * NM });

/** The lookup with the observatory's own names (nm, normalised like the built-in ones) first. */
export function bandLookup(extra: Record<string, [number, number]> = {}): BandLookup {
  const own = new Map(Object.entries(extra).map(([name, range]) => [normaliseFilterName(name), range]));
  return (filterName, bayerPattern) => {
    if (filterName && filterName.trim() !== '') {
      const key = normaliseFilterName(filterName);
      const configured = own.get(key);
      if (configured) return band(configured);
      const sloan = sloanKey(filterName);
      if (sloan && BROADBAND[sloan]) return band(BROADBAND[sloan]);
      const broad = BROADBAND[key];
      if (broad) return band(broad);
      const line = LINES[key];
      if (line !== undefined) {
        const width = Number(/(\d+(?:\.\d+)?)\s*nm/i.exec(filterName)?.[1] ?? DEFAULT_LINE_WIDTH_NM);
        return band([line - width / 2, line + width / 2]);
      }
      return null;
    }
    return bayerPattern ? band(BAYER_BAND) : null;
  };
}
