// What the benches share: the built server's modules, a seeded random generator, a generated
// frame of the simple kind (catalog.bench and api.bench), and a running app with an API token.
// Not a bench itself (run.mjs runs only *.bench.mjs).
import { existsSync } from 'node:fs';

const dist = new URL('../packages/server/dist/', import.meta.url);

/** Whether the built server has this module (a bench can time what an older build lacks). */
export const isBuilt = (path) => existsSync(new URL(path, dist));

/** Exits with a hint unless the server is built; returns an importer of its compiled modules. */
export function serverModules(bench, probe = 'http/app.js') {
  if (!isBuilt(probe)) {
    console.error(`${bench}: build first with \`npx tsc -b packages/fits packages/server\``);
    process.exit(1);
  }
  return (path) => import(new URL(path, dist).href);
}

/** mulberry32: a small deterministic generator in [0, 1), so that runs compare. */
export function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Where a generated frame n says its file is (the ledger's facts of a file that is never read). */
export function benchFile(n, relPath, sizeBytes, ms) {
  return {
    root: '/bench',
    rel_path: relPath,
    size_bytes: sizeBytes,
    mtime_ms: ms + 5000,
    inode: n,
    sha256: n.toString(16).padStart(64, '0'),
    hdu_index: 0,
  };
}

/**
 * `frame(n)`: frame n of a simple generated catalog, each frame an independent random draw (type,
 * target, filter, telescope, camera, quality) from one generator seeded with `profile.seed`; frames
 * must be asked for in order n = 0, 1, 2 … for a profile to give the same catalog twice. The profile
 * names the lists drawn from and the fixed facts of the rig (`rig`: metadata fields every frame
 * shares). catalog-frames.mjs builds the realistic archive (nights, targets and filters that repeat)
 * the HTTP search bench uses. Returns `{ frame, rnd, targets }`: the generator goes on after the
 * catalog for the bench's own random positions.
 */
export async function randomFrames(profile) {
  const load = serverModules('bench', 'ingest/normalize/metadata.js');
  const { emptyMetadata } = await load('ingest/normalize/metadata.js');
  const { emptyMetrics } = await load('analysis/frame-metrics.js');
  const { JD_MINUS_MJD, MS_PER_DAY: DAY, mjdFromUnixMs } = await load('util/time.js');
  const { startMs, framesPerNight, types, filters, telescopes, cameras, exptimes, rig } = profile;
  const rnd = mulberry32(profile.seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const targets = Array.from({ length: profile.targets }, (_, i) => ({
    name: i < 110 ? `M ${i + 1}` : `NGC ${1000 + i * 7}`,
    ra: rnd() * 360,
    dec: Math.asin(2 * rnd() - 1) * (180 / Math.PI),
  }));
  const scale = rig.pixel_scale_arcsec;

  const frame = (n) => {
    const nightIndex = Math.floor(n / framesPerNight);
    const nightStart = startMs + nightIndex * DAY + 19 * 3_600_000;
    const ms = nightStart + Math.floor(rnd() * 11 * 3_600_000);
    const d = new Date(ms);
    const type = pick(types);
    const target = pick(targets);
    const light = type === 'light';
    const ra = light ? (target.ra + (rnd() - 0.5) * profile.pointingScatterDeg + 360) % 360 : null;
    const dec = light ? Math.max(-90, Math.min(90, target.dec + (rnd() - 0.5) * profile.pointingScatterDeg)) : null;
    const exptime = type === 'bias' ? 0 : pick(exptimes);
    const fwhm = light ? 1.2 + rnd() * 3 : null;
    const filter = type === 'dark' || type === 'bias' ? null : pick(filters);
    // Every field the bench does not set stays empty, as normalization leaves it.
    const metadata = {
      ...emptyMetadata(),
      ...rig,
      date_obs: d.toISOString().slice(0, 19),
      date_obs_ms: ms,
      mjd_obs: mjdFromUnixMs(ms),
      jd_obs: mjdFromUnixMs(ms) + JD_MINUS_MJD,
      night: new Date(startMs + nightIndex * DAY).toISOString().slice(0, 10),
      time_of_day_min: d.getUTCHours() * 60 + d.getUTCMinutes(),
      exptime,
      object_name: light ? target.name : null,
      image_type: type,
      image_type_raw: type.toUpperCase(),
      ra_deg: ra,
      dec_deg: dec,
      position_source: light ? 'ra_dec' : null,
      filter_name: filter,
      ccd_temp: profile.ccdTempMin + rnd() * profile.ccdTempSpan,
      telescope: pick(telescopes),
      instrument: pick(cameras),
      airmass: light ? 1 + rnd() : null,
      moon_illumination: rnd(),
      moon_separation_deg: rnd() * 180,
    };
    const headers = [
      {
        index: 0,
        type: 'IMAGE',
        cards: [
          { key: 'EXPTIME', value: exptime, comment: '' },
          { key: 'FILTER', value: filter ?? '', comment: '' },
          { key: 'XBINNING', value: 1, comment: '' },
        ],
      },
    ];
    return {
      ...benchFile(n, `${metadata.night}/f${n}.fits`, profile.sizeBytes, ms),
      metadata,
      normalization: null,
      quality: light
        ? {
            ...emptyMetrics(),
            background: 1000 + rnd() * 500,
            noise: 10 + rnd() * 5,
            star_count: Math.floor(rnd() * 2000),
            fwhm_px: fwhm / scale,
            fwhm_arcsec: fwhm,
            hfr_px: fwhm / 1.2,
            eccentricity: rnd() * 0.6,
            snr_weight: rnd() * 100,
            saturated_fraction: rnd() * 0.001,
          }
        : null,
      score: {
        quality_score: light ? rnd() * 100 : null,
        quality_flag: rnd() > 0.4,
        quality_components: null,
        quality_version: 1,
      },
      headers,
    };
  };
  return { frame, rnd, targets };
}

/** The frames in a catalog. */
export async function countImages(database) {
  const row = await database.db
    .selectFrom('images')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** An API token for `userId`, as a script would hold one. */
export async function apiToken(load, database, userId, name = 'bench') {
  const { createApiToken } = await load('db/api-tokens.repository.js');
  const { generateApiToken } = await load('auth/api-token-secret.js');
  const secret = generateApiToken();
  await createApiToken(database, { userId, name, tokenHash: secret.hash, prefix: secret.prefix, expiresAt: null });
  return secret.token;
}

/**
 * The app as `aims serve` builds it, on a loopback port, over `database`, with a fresh admin and
 * that admin's API token: `{ app, base, auth }` (auth: the request headers).
 */
export async function startApp(load, { database, databaseUrl, dataDir }) {
  const { loadConfig } = await load('config/config.js');
  const { buildApp } = await load('http/app.js');
  const { createUser } = await load('db/users.repository.js');
  const config = loadConfig({ AIMS_DATA_DIR: dataDir, AIMS_LOG_LEVEL: 'silent' }, { databaseUrl });
  const { user } = await createUser(database, {
    email: `bench-${Date.now()}@example.org`,
    role: 'admin',
    canDownload: true,
  });
  const token = await apiToken(load, database, user.id);
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: `http://127.0.0.1:${app.server.address().port}`, auth: { authorization: `Bearer ${token}` } };
}
