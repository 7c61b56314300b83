#!/usr/bin/env node
// Resident memory of `aims serve` while it ingests, with full analysis and previews:
//   (a) one 14 GB frame (AIMS_BENCH_HUGE_GB, default 14): a FITS primary header written by the
//       FITS writer, BITPIX 16, extended with ftruncate so that its pixels are zeros on a sparse
//       file (no disk space used); it sits in the image folder when the server starts;
//   (b) a burst of AIMS_BENCH_BURST_FILES (default 10,000) frames of 256×256 16-bit moved into the
//       watched folder of a running server at once;
//   (c) four frames of a 26 Mpx CMOS sensor (6248×4176 16-bit, noise and stars), the largest
//       frames most cameras write: measured whole when they fit AIMS_ANALYSIS_MEMORY_MB (default
//       240), else in bands.
// Each part starts its own `aims serve` on a loopback port with a temporary data dir and SQLite
// catalog, samples VmRSS of the process (main and worker threads share it) every 100 ms, reads its
// VmHWM at the end, and waits until the catalog holds every file. Passes when the peak stays under
// AIMS_BENCH_RSS_LIMIT_MB (default 400). Build first (`npx tsc -b packages/fits packages/server`).
// AIMS_BENCH_PART=huge|burst|cmos runs one part; AIMS_BENCH_KEEP=1 keeps the generated files.
import { spawn } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCard, writeFits } from '../packages/fits/dist/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const aims = join(root, 'packages/server/bin/aims.js');
const hugeGb = Number(process.env.AIMS_BENCH_HUGE_GB ?? 14);
const burstFiles = Number(process.env.AIMS_BENCH_BURST_FILES ?? 10_000);
const limitMb = Number(process.env.AIMS_BENCH_RSS_LIMIT_MB ?? 400);
const part = process.env.AIMS_BENCH_PART ?? 'all';
/** A part that has not finished by then is reported as failed, so the bench stays within minutes. */
const PART_TIMEOUT_MS = Number(process.env.AIMS_BENCH_TIMEOUT_S ?? 300) * 1000;
const SAMPLE_MS = 100;
const BLOCK_SIZE = 2880;
const work = mkdtempSync(join(tmpdir(), 'aims-bench-memory-'));

const mb = (kb) => kb / 1024;
const blocks = (n) => Math.ceil(n / BLOCK_SIZE) * BLOCK_SIZE;

/** A small deterministic generator: the same files on every run. */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function headerCards(i, object) {
  const date = new Date(Date.UTC(2024, 4, 1, 21) + i * 65_000).toISOString().slice(0, 23);
  return [
    { key: 'DATE-OBS', value: date },
    { key: 'EXPTIME', value: 60 },
    { key: 'IMAGETYP', value: 'Light Frame' },
    { key: 'OBJECT', value: object },
    { key: 'OBJCTRA', value: '16 41 41.63' },
    { key: 'OBJCTDEC', value: '+36 27 40.8' },
    { key: 'FILTER', value: 'R' },
    { key: 'CCD-TEMP', value: -10.1 },
    { key: 'XPIXSZ', value: 4.63 },
    { key: 'FOCALLEN', value: 1624 },
    { key: 'TELESCOP', value: 'RC8 on CEM70' },
    { key: 'INSTRUME', value: 'ZWO ASI294MM Pro' },
    { key: 'SEQNUM', value: i },
  ];
}

/**
 * A 16-bit frame of about `gigabytes` GB without writing its pixels: the FITS writer writes the
 * header of a one-row image, NAXIS2 is set to the full height, and ftruncate extends the file to
 * the size the header declares. The pixels read back as zeros and take no disk space.
 */
function writeSparseFrame(path, gigabytes) {
  // 60,000 columns keep bands of whole rows within the analysis' pixel budget.
  const width = 60_000;
  const height = Math.ceil((gigabytes * 1e9) / 2 / width);
  const oneRow = writeFits([{ cards: headerCards(0, 'Sparse mosaic'), bitpix: 16, bzero: 32768, axes: [width, 1] }]);
  const header = oneRow.subarray(0, oneRow.length - blocks(width * 2));
  const text = new TextDecoder('ascii').decode(header);
  const at = text.indexOf('NAXIS2  =');
  if (at < 0 || at % 80 !== 0) throw new Error('the writer put no NAXIS2 card where expected');
  const card = formatCard({ key: 'NAXIS2', value: height })[0];
  header.set(new TextEncoder().encode(card), at);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    ftruncateSync(fd, header.length + blocks(width * height * 2));
  } finally {
    closeSync(fd);
  }
  return { width, height, bytes: header.length + blocks(width * height * 2) };
}

/** `count` frames of `width`×`height` with noise and `stars` stars, each file its own bytes. */
function writeNoisyFrames(dir, count, width, height, stars) {
  mkdirSync(dir, { recursive: true });
  const n = width * height;
  const rand = lcg(13);
  const data = new Float32Array(n);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < n; p++) data[p] = 1000 + (rand() + rand() - 1) * 20;
    for (let s = 0; s < stars; s++) {
      const x0 = 10 + rand() * (width - 20);
      const y0 = 10 + rand() * (height - 20);
      const peak = 500 + rand() * 20_000;
      for (let y = Math.floor(y0) - 6; y <= Math.floor(y0) + 6; y++)
        for (let x = Math.floor(x0) - 6; x <= Math.floor(x0) + 6; x++)
          data[y * width + x] += peak * Math.exp(-((x - x0) ** 2 + (y - y0) ** 2) / (2 * 1.4 ** 2));
    }
    const file = writeFits([
      { cards: headerCards(i, 'NGC 6946'), bitpix: 16, bzero: 32768, axes: [width, height], data },
    ]);
    writeFileSync(join(dir, `cmos_${i}.fits`), file);
  }
}

/** `count` frames of 256×256: noise over a sky level and a few stars, each file its own bytes. */
function writeSmallFrames(dir, count) {
  mkdirSync(dir, { recursive: true });
  const size = 256;
  const n = size * size;
  const rand = lcg(7);
  const noise = new Float32Array(n + 4099);
  for (let i = 0; i < noise.length; i++) noise[i] = (rand() + rand() + rand() + rand() - 2) * 1.73;
  const data = new Float32Array(n);
  for (let i = 0; i < count; i++) {
    const shift = (i * 131) % 4099;
    for (let p = 0; p < n; p++) data[p] = 1000 + 12 * noise[p + shift];
    for (let s = 0; s < 8; s++) {
      const x0 = 10 + rand() * (size - 20);
      const y0 = 10 + rand() * (size - 20);
      const peak = 500 + rand() * 20_000;
      for (let y = Math.floor(y0) - 6; y <= Math.floor(y0) + 6; y++)
        for (let x = Math.floor(x0) - 6; x <= Math.floor(x0) + 6; x++)
          data[y * size + x] += peak * Math.exp(-((x - x0) ** 2 + (y - y0) ** 2) / (2 * 1.4 ** 2));
    }
    data[0] = i; // never two files with the same content
    const file = writeFits([{ cards: headerCards(i, 'M 13'), bitpix: 16, bzero: 32768, axes: [size, size], data }]);
    writeFileSync(join(dir, `frame_${String(i).padStart(5, '0')}.fits`), file);
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * VmRSS and VmHWM (kB) of a process, from /proc, and RssAnon / RssFile: the catalog's SQLite file
 * is memory-mapped, so its pages read count in RSS as file pages the kernel may drop at any time.
 */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM'), anonKb: field('RssAnon'), fileKb: field('RssFile') };
  } catch {
    return null;
  }
}

/**
 * Starts `aims serve` on `imagesDir` and samples its memory until `done` resolves true or the part
 * times out. `act(baseUrl)` runs once the server answers (e.g. the burst); `done(baseUrl)` is polled.
 */
async function measureServe(name, imagesDir, act, done, env = {}) {
  const dataDir = join(work, `data-${name}`);
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [aims, 'serve', '--host', '127.0.0.1', '--port', String(port), '--images', imagesDir],
    {
      env: {
        ...process.env,
        AIMS_DATA_DIR: dataDir,
        AIMS_DATABASE_URL: `sqlite:${join(dataDir, 'aims.db')}`,
        AIMS_LOG_LEVEL: 'warn',
        AIMS_PUBLIC_READ: 'true',
        AIMS_STABLE_SECONDS: '1',
        AIMS_RESCAN_SECONDS: '0',
        JWT_SECRET: 'bench-memory-secret-bench-memory-secret',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  let peakRssKb = 0;
  let peakAnonKb = 0;
  let peakFileKb = 0;
  const sampler = setInterval(() => {
    const m = memoryOf(child.pid);
    if (!m) return;
    peakRssKb = Math.max(peakRssKb, m.rssKb);
    peakAnonKb = Math.max(peakAnonKb, m.anonKb);
    peakFileKb = Math.max(peakFileKb, m.fileKb);
  }, SAMPLE_MS);
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  let finished = false;
  let hwmKb = 0;
  try {
    for (;;) {
      if (performance.now() - started > 30_000) throw new Error(`aims serve did not answer: ${stderr}`);
      const ok = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const t0 = performance.now();
    await act(base);
    while (performance.now() - started < PART_TIMEOUT_MS) {
      if (await done(base)) {
        finished = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - t0) / 1000;
    hwmKb = memoryOf(child.pid)?.hwmKb ?? 0;
    return {
      seconds,
      peakRssKb: Math.max(peakRssKb, hwmKb),
      sampledPeakKb: peakRssKb,
      peakAnonKb,
      peakFileKb,
      finished,
    };
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

async function catalogTotal(base) {
  const res = await fetch(`${base}/api/images?limit=1`);
  if (!res.ok) return -1;
  return (await res.json()).total;
}

async function queueEmpty(base) {
  const health = await (await fetch(`${base}/api/health`)).json();
  return health.queue && health.queue.pending === 0 && health.queue.active === 0;
}

const results = [];
/** `reference`: a figure to compare with, not held to the limit. */
function report(label, r, detail, reference = false) {
  const peak = mb(r.peakRssKb);
  const pass = r.finished && peak < limitMb;
  if (!reference) results.push(pass);
  console.log(
    `${label.padEnd(34)} ${r.seconds.toFixed(1).padStart(6)} s  peak RSS ${peak.toFixed(0).padStart(4)} MB ` +
      `(sampled ${mb(r.sampledPeakKb).toFixed(0)}, anon ${mb(r.peakAnonKb).toFixed(0)}, file ${mb(r.peakFileKb).toFixed(0)} MB)  ${reference ? 'reference' : pass ? 'PASS' : 'FAIL'} (limit ${limitMb} MB)  ${detail}`,
  );
}

try {
  console.log(
    `${availableParallelism()} cores, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; aims serve with its default workers`,
  );

  if (part === 'all' || part === 'huge') {
    const dir = join(work, 'huge');
    mkdirSync(dir);
    const huge = writeSparseFrame(join(dir, 'mosaic.fits'), hugeGb);
    let total = 0;
    const r = await measureServe(
      'huge',
      dir,
      async () => {},
      async (base) => {
        total = await catalogTotal(base);
        return total === 1 && (await queueEmpty(base));
      },
    );
    report(
      `(a) one ${(huge.bytes / 1e9).toFixed(1)} GB frame`,
      r,
      `${huge.width}×${huge.height} 16-bit; ${(huge.bytes / 1e6 / r.seconds).toFixed(0)} MB/s; catalog ${total}/1`,
    );
  }

  if (part === 'all' || part === 'cmos') {
    const dir = join(work, 'cmos');
    const count = 4;
    writeNoisyFrames(dir, count, 6248, 4176, 400);
    // The same frames with a budget too large to bound anything: each measured whole, as before
    // the budget existed.
    for (const [label, env, reference] of [
      [`(c) ${count} frames of 26 Mpx`, {}, false],
      ['    the same, no budget', { AIMS_ANALYSIS_MEMORY_MB: '65536' }, true],
    ]) {
      let total = 0;
      const r = await measureServe(
        `cmos${reference ? '-unbounded' : ''}`,
        dir,
        async () => {},
        async (base) => {
          total = await catalogTotal(base);
          return total === count && (await queueEmpty(base));
        },
        env,
      );
      report(label, r, `6248×4176 16-bit; catalog ${total}/${count}`, reference);
    }
  }

  if (part === 'all' || part === 'burst') {
    const staging = join(work, 'staging');
    const watched = join(work, 'watched');
    mkdirSync(watched);
    let t = performance.now();
    writeSmallFrames(staging, burstFiles);
    console.log(`generated ${burstFiles} frames of 256×256 16-bit in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    let total = 0;
    const r = await measureServe(
      'burst',
      watched,
      async (base) => {
        // Wait for the watcher, then drop the whole night into one folder at once (renames).
        for (let i = 0; i < 100; i++) {
          const health = await (await fetch(`${base}/api/health`)).json();
          if (health.watcher === 'watching' || health.watcher === 'polling') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        t = performance.now();
        const night = join(watched, '2024-05-01');
        mkdirSync(night);
        for (let i = 0; i < burstFiles; i++) {
          const name = `frame_${String(i).padStart(5, '0')}.fits`;
          renameSync(join(staging, name), join(night, name));
        }
      },
      async (base) => {
        total = await catalogTotal(base);
        return total === burstFiles && (await queueEmpty(base));
      },
    );
    report(
      `(b) burst of ${burstFiles} frames`,
      r,
      `${(burstFiles / r.seconds).toFixed(0)} frames/s; catalog ${total}/${burstFiles}`,
    );
  }
  console.log(
    `load after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  if (results.some((p) => !p)) process.exitCode = 1;
} finally {
  if (process.env.AIMS_BENCH_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  else console.log(`files kept in ${work}`);
}
