/** The result table's columns: what each shows, its width, and the API sort key when it has one. */
import type { ReactNode } from 'react';
import { previewUrl } from '../../api/endpoints.js';
import type { ImageItem } from '../../api/types.js';
import { PreviewImage } from '../../components/preview-image.js';
import { formatDec, formatRa } from '../../lib/angles.js';
import { bytes, DASH, int, num, utc } from '../../lib/format.js';

export interface Column {
  key: string;
  label: string;
  /** Width in px; the table's grid template is built from these. */
  width: number;
  sort?: string;
  align?: 'right';
  title?: string;
  render(row: ImageItem): ReactNode;
}

export function QualityBadge({ score, flag }: { score: number | null | undefined; flag: boolean | undefined }) {
  if (score === null || score === undefined) return <span className="muted">{DASH}</span>;
  const tone = flag ? 'good' : score >= 40 ? 'fair' : 'poor';
  return (
    <span
      className={`quality quality-${tone}`}
      title={flag ? 'at or above the quality threshold' : 'below the quality threshold'}
    >
      {score.toFixed(0)}
    </span>
  );
}

export const COLUMNS: Column[] = [
  {
    key: 'thumb',
    label: 'Preview',
    width: 52,
    render: (r) => (
      <PreviewImage
        className="thumb"
        src={previewUrl(r.id)}
        alt=""
        loading="lazy"
        decoding="async"
        width={32}
        height={32}
      />
    ),
  },
  { key: 'date_obs', label: 'Date (UTC)', width: 158, sort: 'date_obs', render: (r) => utc(r.date_obs) },
  { key: 'night', label: 'Night', width: 92, sort: 'night', render: (r) => r.night ?? DASH },
  { key: 'object_name', label: 'Object', width: 120, sort: 'object_name', render: (r) => r.object_name ?? DASH },
  { key: 'image_type', label: 'Type', width: 56, render: (r) => r.image_type ?? DASH },
  { key: 'filter_name', label: 'Filter', width: 60, sort: 'filter_name', render: (r) => r.filter_name ?? DASH },
  { key: 'exptime', label: 'Exp s', width: 62, sort: 'exptime', align: 'right', render: (r) => num(r.exptime, 1) },
  { key: 'ccd_temp', label: 'CCD °C', width: 66, sort: 'ccd_temp', align: 'right', render: (r) => num(r.ccd_temp, 1) },
  {
    key: 'fwhm_arcsec',
    label: 'FWHM ″',
    width: 70,
    sort: 'fwhm_arcsec',
    align: 'right',
    render: (r) => num(r.fwhm_arcsec, 2),
  },
  { key: 'fwhm_px', label: 'FWHM px', width: 72, sort: 'fwhm_px', align: 'right', render: (r) => num(r.fwhm_px, 2) },
  {
    key: 'star_count',
    label: 'Stars',
    width: 60,
    sort: 'star_count',
    align: 'right',
    render: (r) => int(r.star_count),
  },
  {
    key: 'quality_score',
    label: 'Quality',
    width: 68,
    sort: 'quality_score',
    align: 'right',
    render: (r) => <QualityBadge score={r.quality_score} flag={r.quality_flag} />,
  },
  { key: 'ra_deg', label: 'RA', width: 92, sort: 'ra_deg', render: (r) => formatRa(r.ra_deg, 1) || DASH },
  { key: 'dec_deg', label: 'Dec', width: 84, sort: 'dec_deg', render: (r) => formatDec(r.dec_deg, 0) || DASH },
  { key: 'airmass', label: 'Airmass', width: 70, sort: 'airmass', align: 'right', render: (r) => num(r.airmass, 2) },
  { key: 'telescope', label: 'Telescope', width: 120, render: (r) => r.telescope ?? DASH },
  { key: 'instrument', label: 'Camera', width: 130, render: (r) => r.instrument ?? DASH },
  { key: 'gain', label: 'Gain', width: 56, align: 'right', render: (r) => num(r.gain, 0) },
  { key: 'background', label: 'Bkg', width: 70, align: 'right', render: (r) => num(r.background, 0) },
  { key: 'size', label: 'Size', width: 70, align: 'right', render: (r) => bytes(r.size_bytes) },
  { key: 'dims', label: 'Pixels', width: 90, render: (r) => (r.naxis1 ? `${r.naxis1}×${r.naxis2}` : DASH) },
  { key: 'file_name', label: 'File', width: 220, render: (r) => <span title={r.file_name}>{r.file_name}</span> },
];

export const DEFAULT_COLUMNS = [
  'thumb',
  'date_obs',
  'object_name',
  'image_type',
  'filter_name',
  'exptime',
  'ccd_temp',
  'fwhm_arcsec',
  'star_count',
  'quality_score',
  'ra_deg',
  'dec_deg',
  'telescope',
  'file_name',
];

const STORAGE_KEY = 'aims.columns';

export function loadColumnChoice(): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as unknown;
    if (Array.isArray(saved) && saved.every((k) => typeof k === 'string')) {
      const known = saved.filter((k) => COLUMNS.some((c) => c.key === k));
      if (known.length) return known;
    }
  } catch {
    // Private mode or a damaged value: the defaults.
  }
  return DEFAULT_COLUMNS;
}

export function saveColumnChoice(keys: string[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(keys));
  } catch {
    // Not persisted; still applied for this visit.
  }
}

/** "-quality_score" → {key: 'quality_score', desc: true} */
export function parseSort(sort: string): { key: string; desc: boolean } {
  return sort.startsWith('-') ? { key: sort.slice(1), desc: true } : { key: sort, desc: false };
}
