/**
 * Synthetic frames with known truth, for the analysis tests and benchmarks: a star field (Gaussian
 * or Moffat PSF of a given FWHM, fluxes from a power-law luminosity function), a background with an
 * optional gradient, Poisson + Gaussian read noise, and the defects real frames have — hot pixels,
 * cosmic rays, satellite trails, clouds, saturated stars, trailing, Bayer mosaics — quantized as a
 * given BITPIX stores it, and written as a FITS file with a realistic header when asked.
 */
import { writeFileSync } from 'node:fs';
import { type WriteBitpix, type WriteCard, writeFits } from '@aims/fits';
import { addStar, createRandom, halfFluxRadius, type PsfModel, type PsfShape, peakFraction } from './synthetic-psf.js';

export type BayerPattern = 'RGGB' | 'BGGR' | 'GRBG' | 'GBRG';

export interface SyntheticOptions {
  width: number;
  height: number;
  seed?: number;
  bitpix?: WriteBitpix;
  /** Sky level in ADU (default 1000). */
  background?: number;
  /** Background change across the whole frame, in ADU, along x and y (default none). */
  gradient?: { x: number; y: number };
  /** Electrons per ADU for the Poisson noise (default 1); 0 turns Poisson noise off. */
  gain?: number;
  /** Gaussian read noise in ADU (default 5). */
  readNoise?: number;
  /** Zero point added after noise (a camera offset/pedestal), in ADU. */
  pedestal?: number;
  stars?: {
    count: number;
    psf?: PsfModel;
    fwhm?: number;
    beta?: number;
    /** Fluxes: N(>F) ∝ F^−slope between minFlux and maxFlux (ADU). */
    minFlux?: number;
    maxFlux?: number;
    slope?: number;
    axisRatio?: number;
    angleDeg?: number;
    /** Trailing: each star smeared along a segment of this length (px) at `trailAngleDeg`. */
    trailLength?: number;
    trailAngleDeg?: number;
    /** Keep stars this far from the edges (px, default 3·FWHM). */
    margin?: number;
  };
  /** Extra bright stars whose peak exceeds `saturation`. */
  saturatedStars?: number;
  /** Clip level (the detector's full well in ADU); default the BITPIX's maximum. */
  saturation?: number;
  hotPixels?: number;
  cosmicRays?: number;
  satelliteTrails?: number;
  /** Clouds: star fluxes × transmission, background × backgroundFactor. */
  clouds?: { transmission: number; backgroundFactor?: number };
  bayer?: BayerPattern;
  /** Header cards added to the generated ones (or replacing them, by key). */
  cards?: WriteCard[];
  imageType?: 'Light Frame' | 'Dark Frame' | 'Flat Field' | 'Bias Frame';
}

export interface TruthStar {
  x: number;
  y: number;
  flux: number;
  peak: number;
  /** Aperture SNR within a radius of one FWHM. */
  snr: number;
  saturated: boolean;
}

export interface SyntheticTruth {
  stars: TruthStar[];
  fwhm: number;
  /** Half-flux radius of the continuous PSF. */
  hfr: number;
  /** Mean background (ADU, including pedestal and clouds) and its value at each corner. */
  background: number;
  /** Standard deviation of the background pixels (ADU). */
  noise: number;
  hotPixels: Array<{ x: number; y: number }>;
  cosmicRays: Array<{ x: number; y: number }>;
  saturation: number;
}

export interface SyntheticFrame {
  width: number;
  height: number;
  bitpix: WriteBitpix;
  /** Physical values as a reader returns them (quantized and clipped like the stored file). */
  data: Float32Array | Float64Array;
  truth: SyntheticTruth;
  cards: WriteCard[];
  toFits(): Uint8Array;
  writeTo(path: string): void;
}

const RANGES: Record<number, { min: number; max: number; bzero: number }> = {
  8: { min: 0, max: 255, bzero: 0 },
  16: { min: 0, max: 65535, bzero: 32768 },
  32: { min: -2147483648, max: 2147483647, bzero: 0 },
  [-32]: { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY, bzero: 0 },
  [-64]: { min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY, bzero: 0 },
};

/** Relative response of each channel, so that a Bayer frame has colour and a luminance. */
const CHANNEL_GAIN = { R: 0.8, G: 1, B: 0.6 } as const;

function bayerChannel(pattern: BayerPattern, x: number, y: number): 'R' | 'G' | 'B' {
  return pattern[(y & 1) * 2 + (x & 1)] as 'R' | 'G' | 'B';
}

export function generateFrame(options: SyntheticOptions): SyntheticFrame {
  const { width, height } = options;
  const bitpix = options.bitpix ?? 16;
  const range = RANGES[bitpix]!;
  const rand = createRandom(options.seed ?? 1);
  const gain = options.gain ?? 1;
  const readNoise = options.readNoise ?? 5;
  const transmission = options.clouds?.transmission ?? 1;
  const skyFactor = options.clouds?.backgroundFactor ?? 1;
  const sky = (options.background ?? 1000) * skyFactor;
  const gx = options.gradient?.x ?? 0;
  const gy = options.gradient?.y ?? 0;
  const saturation = options.saturation ?? (Number.isFinite(range.max) ? range.max : 1e30);
  const signal = new Float64Array(width * height);

  // Stars, in electrons-free ADU of signal above the sky.
  const s = options.stars;
  const fwhm = s?.fwhm ?? 3;
  const shape: PsfShape = {
    model: s?.psf ?? 'gaussian',
    fwhm,
    beta: s?.beta ?? 3,
    axisRatio: s?.axisRatio ?? 1,
    angleDeg: s?.angleDeg ?? 0,
  };
  const stars: TruthStar[] = [];
  const margin = s?.margin ?? Math.ceil(3 * fwhm + (s?.trailLength ?? 0));
  const skyVariance = sky / Math.max(gain, 1e-9) + readNoise * readNoise;
  const place = (flux: number, saturatedStar: boolean) => {
    const x = margin + rand.uniform() * (width - 1 - 2 * margin);
    const y = margin + rand.uniform() * (height - 1 - 2 * margin);
    const f = flux * transmission;
    const trail = s?.trailLength ?? 0;
    if (trail > 0) {
      const steps = Math.max(2, Math.ceil(trail * 4));
      const angle = ((s?.trailAngleDeg ?? 0) * Math.PI) / 180;
      for (let k = 0; k < steps; k++) {
        const t = (k / (steps - 1) - 0.5) * trail;
        addStar(signal, width, height, x + t * Math.cos(angle), y + t * Math.sin(angle), f / steps, shape);
      }
    } else addStar(signal, width, height, x, y, f, shape);
    const inAperture = 0.9375 * f;
    const snr = inAperture / Math.sqrt(inAperture / Math.max(gain, 1e-9) + Math.PI * fwhm * fwhm * skyVariance);
    const peak = f * peakFraction(shape);
    stars.push({ x, y, flux: f, peak, snr, saturated: saturatedStar || peak + sky >= saturation });
  };
  if (s) {
    const minFlux = s.minFlux ?? 2000;
    const maxFlux = s.maxFlux ?? 200000;
    const slope = s.slope ?? 0.6;
    for (let i = 0; i < s.count; i++) {
      let flux = Number.POSITIVE_INFINITY;
      while (flux > maxFlux) flux = minFlux * rand.uniform() ** (-1 / slope);
      place(flux, false);
    }
  }
  for (let i = 0; i < (options.saturatedStars ?? 0); i++)
    place(((saturation - sky) / peakFraction(shape)) * (3 + 5 * rand.uniform()), true);

  // Satellite trails: straight lines across the frame, a Gaussian cross-section of σ 0.8 px.
  for (let t = 0; t < (options.satelliteTrails ?? 0); t++) {
    const y0 = rand.uniform() * height;
    const slopeY = (rand.uniform() - 0.5) * 0.6;
    const amplitude = 20 * Math.sqrt(skyVariance);
    for (let x = 0; x < width; x++) {
      const yc = y0 + slopeY * (x - width / 2);
      for (let y = Math.floor(yc - 3); y <= Math.ceil(yc + 3); y++)
        if (y >= 0 && y < height) signal[y * width + x]! += amplitude * Math.exp(-((y - yc) ** 2) / (2 * 0.64));
    }
  }

  const data = bitpix === -64 ? new Float64Array(width * height) : new Float32Array(width * height);
  const pedestal = options.pedestal ?? 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const skyY = sky + gy * (y / Math.max(1, height - 1) - 0.5);
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const channelGain = options.bayer ? CHANNEL_GAIN[bayerChannel(options.bayer, x, y)] : 1;
      const mean = (skyY + gx * (x / Math.max(1, width - 1) - 0.5) + signal[i]!) * channelGain;
      const photons = gain > 0 ? rand.poisson(mean * gain) / gain : mean;
      data[i] = photons + readNoise * rand.normal() + pedestal;
    }
  }

  // Hot pixels (single, stable) and cosmic rays (1–3-pixel tracks): far sharper than any star.
  const hotPixels: Array<{ x: number; y: number }> = [];
  for (let k = 0; k < (options.hotPixels ?? 0); k++) {
    const x = 2 + Math.floor(rand.uniform() * (width - 4));
    const y = 2 + Math.floor(rand.uniform() * (height - 4));
    data[y * width + x]! += 3000 + rand.uniform() * 20000;
    hotPixels.push({ x, y });
  }
  const cosmicRays: Array<{ x: number; y: number }> = [];
  for (let k = 0; k < (options.cosmicRays ?? 0); k++) {
    const x = 4 + Math.floor(rand.uniform() * (width - 8));
    const y = 4 + Math.floor(rand.uniform() * (height - 8));
    const length = 1 + Math.floor(rand.uniform() * 3);
    const dx = rand.uniform() < 0.5 ? 1 : 0;
    const dy = dx === 1 && rand.uniform() < 0.5 ? 0 : 1;
    for (let j = 0; j < length; j++) data[(y + j * dy) * width + x + j * dx]! += 2000 + rand.uniform() * 8000;
    cosmicRays.push({ x, y });
  }

  for (let i = 0; i < data.length; i++) {
    let v = Math.min(data[i]!, saturation);
    if (bitpix > 0) v = Math.round(v);
    data[i] = Math.min(range.max, Math.max(range.min, v));
  }

  const cards = headerCards(options, bitpix);
  const frame: SyntheticFrame = {
    width,
    height,
    bitpix,
    data,
    truth: {
      stars,
      fwhm,
      hfr: halfFluxRadius(shape),
      background: sky + pedestal,
      noise: Math.sqrt(skyVariance),
      hotPixels,
      cosmicRays,
      saturation,
    },
    cards,
    toFits: () => writeFits([{ cards, bitpix, axes: [width, height], data, bzero: range.bzero || undefined }]),
    writeTo: (path: string) => writeFileSync(path, frame.toFits()),
  };
  return frame;
}

function headerCards(options: SyntheticOptions, bitpix: WriteBitpix): WriteCard[] {
  const cards: WriteCard[] = [
    { key: 'OBJECT', value: 'SYNTHETIC FIELD', comment: 'generated by the AIMS test suite' },
    { key: 'DATE-OBS', value: '2025-03-27T05:45:00.734', comment: 'UTC start of exposure' },
    { key: 'EXPTIME', value: 60, comment: '[s] exposure time' },
    { key: 'EXPOSURE', value: 60, comment: '[s] exposure time' },
    { key: 'IMAGETYP', value: options.imageType ?? 'Light Frame' },
    { key: 'FILTER', value: options.bayer ? 'IRCUT' : 'R' },
    { key: 'XBINNING', value: 1 },
    { key: 'YBINNING', value: 1 },
    { key: 'CCD-TEMP', value: -10.2, comment: '[C]' },
    { key: 'SET-TEMP', value: -10 },
    { key: 'EGAIN', value: options.gain ?? 1, comment: '[e-/ADU]' },
    { key: 'XPIXSZ', value: 3.76, comment: '[um]' },
    { key: 'YPIXSZ', value: 3.76, comment: '[um]' },
    { key: 'FOCALLEN', value: 800, comment: '[mm]' },
    { key: 'TELESCOP', value: 'AIMS synthetic 200/800' },
    { key: 'INSTRUME', value: options.bayer ? 'Synthetic OSC' : 'Synthetic Mono' },
    { key: 'RA', value: 193.071, comment: '[deg]' },
    { key: 'DEC', value: 40.9797, comment: '[deg]' },
    { key: 'SWCREATE', value: 'AIMS synthetic-frames' },
    { key: 'BITPIX0', value: bitpix, comment: 'BITPIX asked of the generator' },
  ];
  if (options.bayer)
    cards.push({ key: 'BAYERPAT', value: options.bayer }, { key: 'XBAYROFF', value: 0 }, { key: 'YBAYROFF', value: 0 });
  for (const card of options.cards ?? []) {
    const at = cards.findIndex((c) => c.key === card.key);
    if (at >= 0) cards[at] = card;
    else cards.push(card);
  }
  return cards;
}

/** 2×2 sum of a Bayer mosaic (how the analysis sees a colour frame), for tests. */
export function binnedLuminance(frame: SyntheticFrame): Float64Array {
  const w = Math.floor(frame.width / 2);
  const h = Math.floor(frame.height / 2);
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = 2 * y * frame.width + 2 * x;
      out[y * w + x] =
        frame.data[i]! + frame.data[i + 1]! + frame.data[i + frame.width]! + frame.data[i + frame.width + 1]!;
    }
  return out;
}
