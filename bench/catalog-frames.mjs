// A deterministic archive of generated frames for the catalog benches: `frameAt(n)` is frame n of
// an observatory with four telescopes at three sites, ~300 frames a night for as many nights as
// the row count needs. Each telescope observes two to four targets a night through a few filters,
// with its calibration frames (bias, darks, flats), at its camera's set temperature, under the
// night's seeing — so nights, targets and filters repeat as they do in a real archive instead of
// every frame being a random combination.
// Bump GENERATOR_VERSION whenever frameAt changes: cached catalogs are rebuilt when it differs.
import { benchFile, mulberry32 } from './support.mjs';

export const GENERATOR_VERSION = 3;

export const FRAMES_PER_NIGHT = 300;
const START_MS = Date.UTC(2017, 0, 1);
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const catalogRandom = mulberry32(20261203);
export const TARGETS = Array.from({ length: 600 }, (_, i) => ({
  name: i < 110 ? `M ${i + 1}` : i < 500 ? `NGC ${1000 + i * 11}` : `IC ${100 + i * 3}`,
  ra: catalogRandom() * 360,
  dec: Math.asin(2 * catalogRandom() - 1) * (180 / Math.PI),
}));
// A field near the pole and one across RA 0, so that cone searches there find frames.
TARGETS[597] = { name: 'NGC 3', ra: 0.15, dec: 21.5 };
TARGETS[598] = { name: 'IC 3568', ra: 189.2, dec: 88.6 };
TARGETS[599] = { name: 'Polaris field', ra: 37.95, dec: 89.26 };

export const TELESCOPES = [
  {
    telescope: 'PlaneWave CDK17',
    observatory: 'Winer Observatory',
    camera: 'FLI PL16803',
    setTemp: -25,
    filters: ['L', 'R', 'G', 'B', 'Ha'],
    lon: -110.6,
    scale: 0.63,
  },
  {
    telescope: 'RC8',
    observatory: 'Winer Observatory',
    camera: 'QHY600M',
    setTemp: -10,
    filters: ['L', 'Ha', 'OIII', 'SII'],
    lon: -110.6,
    scale: 0.48,
  },
  {
    telescope: 'Takahashi FSQ-106',
    observatory: 'Bench Observatory',
    camera: 'ZWO ASI6200MM Pro',
    setTemp: -15,
    filters: ['ha', 'oiii', 'sii', 'r', 'g', 'b'],
    lon: 7.2,
    scale: 1.43,
  },
  {
    telescope: 'C14 EdgeHD',
    observatory: 'Sierra Remote Observatories',
    camera: 'SBIG STL-11000M',
    setTemp: -20,
    filters: ['V', 'R', 'B', 'I'],
    lon: -119.3,
    scale: 0.72,
  },
];
const BLOCK = FRAMES_PER_NIGHT / TELESCOPES.length;

/** The plan of one telescope for one night (same for every frame of that block). */
function plan(nightIndex, t) {
  const r = mulberry32(nightIndex * 7919 + t * 104729);
  const targets = Array.from({ length: 2 + Math.floor(r() * 3) }, () => TARGETS[Math.floor(r() * TARGETS.length)]);
  const tel = TELESCOPES[t];
  return {
    targets,
    filters: targets.map(() => tel.filters.slice(0, 1 + Math.floor(r() * tel.filters.length))),
    seeing: 1.4 + r() * 2.6,
    warm: r() < 0.05,
    exptime: [60, 120, 180, 300, 600][Math.floor(r() * 5)],
  };
}

let cachedPlan = { key: -1, value: null };

export function frameAt(n) {
  const nightIndex = Math.floor(n / FRAMES_PER_NIGHT);
  const inNight = n % FRAMES_PER_NIGHT;
  const t = Math.floor(inNight / BLOCK);
  const k = inNight % BLOCK;
  const key = nightIndex * 8 + t;
  if (cachedPlan.key !== key) cachedPlan = { key, value: plan(nightIndex, t) };
  const p = cachedPlan.value;
  const tel = TELESCOPES[t];
  const r = mulberry32(n * 2654435761);
  // The first tenth of a block is calibration: bias, darks, then flats of the night's filters.
  const calibration = Math.floor(BLOCK / 10);
  let type = 'light';
  let target = null;
  let filter = null;
  if (k < calibration / 3) type = 'bias';
  else if (k < (2 * calibration) / 3) type = 'dark';
  else if (k < calibration) {
    type = 'flat';
    const all = p.filters.flat();
    filter = all[k % all.length];
  } else {
    const i = Math.floor(((k - calibration) / (BLOCK - calibration)) * p.targets.length);
    target = p.targets[i];
    const f = p.filters[i];
    filter = f[k % f.length];
  }
  const light = type === 'light';
  const nightMs = START_MS + nightIndex * DAY_MS;
  // Frames follow each other through the night, 19:00 to 06:00 UTC, so a night crosses midnight.
  const ms = nightMs + 19 * HOUR_MS + Math.floor((k / BLOCK) * 11 * HOUR_MS + r() * 60_000);
  const d = new Date(ms);
  const exptime = type === 'bias' ? 0 : type === 'flat' ? 2 + Math.floor(r() * 5) : p.exptime;
  const fwhm = light ? p.seeing * (0.85 + r() * 0.4) : null;
  const ccdTemp = p.warm ? 5 + r() * 10 : tel.setTemp + (r() - 0.5);
  const ra = light ? (target.ra + (r() - 0.5) * 0.1 + 360) % 360 : null;
  const dec = light ? Math.max(-90, Math.min(90, target.dec + (r() - 0.5) * 0.1)) : null;
  const night = new Date(nightMs).toISOString().slice(0, 10);
  const focus = 11000 + Math.floor(r() * 2000);
  const metadata = {
    date_obs: d.toISOString().slice(0, 19),
    date_obs_ms: ms,
    mjd_obs: ms / DAY_MS + 40587,
    jd_obs: ms / DAY_MS + 2440587.5,
    night,
    time_of_day_min: d.getUTCHours() * 60 + d.getUTCMinutes(),
    exptime,
    object_name: light ? target.name : null,
    image_type: type,
    image_type_raw: type === 'light' ? 'Light Frame' : `${type[0].toUpperCase()}${type.slice(1)} Frame`,
    ra_deg: ra,
    dec_deg: dec,
    position_source: light ? 'ra_dec' : null,
    filter_name: filter,
    ccd_temp: ccdTemp,
    set_temp: tel.setTemp,
    gain: 100,
    offset: 10,
    xbinning: 1,
    ybinning: 1,
    telescope: tel.telescope,
    observatory: tel.observatory,
    site_lat_deg: 32,
    site_lon_deg: tel.lon,
    site_elev_m: 1500,
    instrument: tel.camera,
    camera: tel.camera,
    focal_length_mm: 2000,
    aperture_mm: 300,
    pixel_size_um: 3.76,
    focuser_position: focus,
    focuser_temp: 8,
    airmass: light ? 1 + r() : null,
    airmass_computed: false,
    altitude_deg: null,
    azimuth_deg: null,
    observer: null,
    program: null,
    software: 'N.I.N.A.',
    bayer_pattern: null,
    naxis: 2,
    naxis1: 4096,
    naxis2: 4096,
    naxis3: null,
    bitpix: 16,
    pixel_scale_arcsec: tel.scale,
    fov_width_deg: (4096 * tel.scale) / 3600,
    fov_height_deg: (4096 * tel.scale) / 3600,
    footprint: null,
    sun_alt_deg: -30,
    moon_illumination: r(),
    moon_separation_deg: r() * 180,
    moon_alt_deg: null,
  };
  const cards = [
    ['IMAGETYP', metadata.image_type_raw],
    ['EXPTIME', exptime],
    ['FILTER', filter],
    ['OBJECT', metadata.object_name],
    ['TELESCOP', tel.telescope],
    ['OBSERVAT', tel.observatory],
    ['INSTRUME', tel.camera],
    ['CCD-TEMP', Math.round(ccdTemp * 10) / 10],
    ['SET-TEMP', tel.setTemp],
    ['GAIN', 100],
    ['XBINNING', 1],
    ['FOCPOS', focus],
    ['SWCREATE', 'N.I.N.A. 3.1'],
  ];
  return {
    ...benchFile(n, `${night}/${tel.camera.replace(/\W+/g, '_')}/f${n}.fits`, 33_557_760, ms),
    metadata,
    normalization: null,
    quality: light
      ? {
          background: 800 + r() * 600,
          noise: 8 + r() * 6,
          star_count: Math.floor(200 + r() * 3000),
          fwhm_px: fwhm / tel.scale,
          fwhm_arcsec: fwhm,
          hfr_px: fwhm / tel.scale / 1.2,
          eccentricity: r() * 0.6,
          snr_weight: r() * 100,
          saturated_fraction: r() * 0.001,
          level: null,
          uniformity: null,
          analysis_note: null,
        }
      : null,
    score: {
      quality_score: light ? Math.min(100, Math.max(0, 100 - (fwhm - 1.2) * 25 + (r() - 0.5) * 20)) : null,
      quality_flag: light && fwhm < 3,
      quality_components: null,
      quality_version: 1,
    },
    headers: [
      {
        index: 0,
        type: 'IMAGE',
        cards: cards.filter(([, v]) => v !== null).map(([key, value]) => ({ key, value, comment: '' })),
      },
    ],
  };
}
