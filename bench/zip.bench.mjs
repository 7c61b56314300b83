#!/usr/bin/env node
// ZIP download throughput: `POST /api/downloads` (stored entries plus manifest.csv with the SHA-256
// of every file) against Info-ZIP `zip -0` on the same files, in the same run.
//   1. Writes AIMS_BENCH_ZIP_FILES (default 12) FITS files of AIMS_BENCH_ZIP_FILE_MB (default 32)
//      MiB each and ingests them (`aims ingest --skip-analysis`) into a temporary SQLite catalog.
//   2. Starts the app (buildApp from the built dist) in a child process on a loopback port and
//      downloads the ZIP with curl and a downloader's API token, sampling the server's resident
//      memory (/proc) meanwhile.
//   3. Runs `zip -0 -q -j` on the same files, to a file and to stdout (on /dev/null).
// Three rounds, median of each figure; the page cache is warm for all of them.
// AIMS_BENCH_CPU_PROF=DIR starts the server with --cpu-prof and writes its profile to DIR;
// AIMS_BENCH_ZIP_RATE=40M makes curl a slow client (--limit-rate), to see backpressure hold memory.
// Build first: `npx tsc -b packages/fits packages/server`.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { apiToken, serverModules } from './support.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const load = serverModules('zip.bench');

// ——— the server, when started by the bench below ———
if (process.argv[2] === '--serve') {
  const [, , , databaseUrl, imageDir, dataDir] = process.argv;
  const { loadConfig } = await load('config/config.js');
  const { openDatabase } = await load('db/connection.js');
  const { buildApp } = await load('http/app.js');
  const config = loadConfig({ AIMS_LOG_LEVEL: 'silent' }, { databaseUrl, dataDir, imageDirs: [imageDir] });
  const database = await openDatabase(databaseUrl);
  const app = await buildApp({ config, database, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  // Time spent in garbage collection from here on: allocation per chunk shows up there.
  const gc = { ms: 0, major: 0, minor: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.ms += entry.duration;
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.minor++;
    }
  }).observe({ entryTypes: ['gc'] });
  process.stdout.write(`${app.server.address().port}\n`);
  // The bench closes stdin to stop the server: a normal exit, so that --cpu-prof writes its file.
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await app.close();
    await database.close();
    process.stdout.write(`gc ${JSON.stringify(gc)}\n`);
  });
} else await bench();

async function bench() {
  const FILES = Number(process.env.AIMS_BENCH_ZIP_FILES ?? 12);
  const FILE_MIB = Number(process.env.AIMS_BENCH_ZIP_FILE_MB ?? 32);
  const ROUNDS = 3;
  const scratch = mkdtempSync(join(tmpdir(), 'aims-zip-bench-'));
  const imageDir = join(scratch, 'images');
  const dataDir = join(scratch, 'data');
  const databaseUrl = `sqlite:${join(dataDir, 'aims.db')}`;
  mkdirSync(imageDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  let server;
  try {
    // ——— the files ———
    const files = [];
    let t0 = performance.now();
    for (let i = 0; i < FILES; i++) files.push(writeFrame(imageDir, i, FILE_MIB));
    const inputBytes = files.reduce((n, f) => n + f.size, 0);
    console.log(
      `${FILES} FITS files of ${(inputBytes / FILES / 2 ** 20).toFixed(1)} MiB written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    // ——— the catalog ———
    t0 = performance.now();
    const ingest = spawnSync(
      process.execPath,
      [join(root, 'packages/server/bin/aims.js'), 'ingest', imageDir, '--db', databaseUrl, '--skip-analysis', '--json'],
      { encoding: 'utf8', env: { ...process.env, AIMS_DATA_DIR: dataDir, AIMS_LOG_LEVEL: 'silent' } },
    );
    const counts = JSON.parse(ingest.stdout.trim().split('\n').pop() ?? '{}');
    if (ingest.status !== 0 || counts.ingested !== FILES)
      throw new Error(`ingest failed (exit ${ingest.status}): ${ingest.stdout}${ingest.stderr}`);
    console.log(`ingested (--skip-analysis) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const token = await downloaderToken(databaseUrl);

    // ——— the server, in its own process so that its memory and CPU are its own ———
    const profileDir = process.env.AIMS_BENCH_CPU_PROF;
    server = spawn(
      process.execPath,
      [
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : []),
        fileURLToPath(import.meta.url),
        '--serve',
        databaseUrl,
        imageDir,
        dataDir,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const exited = new Promise((r) => server.on('exit', r));
    const lines = createInterface({ input: server.stdout });
    const gcLine = new Promise((ok) => lines.on('line', (line) => line.startsWith('gc ') && ok(line)));
    const port = await new Promise((ok, fail) => {
      lines.once('line', ok);
      server.once('exit', (code) => fail(new Error(`the server exited (${code}) before listening`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const list = await fetch(`${base}/api/images?limit=${FILES}`, { headers: { authorization: `Bearer ${token}` } });
    const ids = (await list.json()).items.map((item) => item.id);
    if (ids.length !== FILES) throw new Error(`the catalog lists ${ids.length} images, expected ${FILES}`);

    const zipFile = join(scratch, 'zip-0.zip');
    const paths = files.map((f) => f.path);
    const runs = { aims: [], zipFile: [], zipStdout: [] };
    const rss = { before: Number.POSITIVE_INFINITY, peak: 0 };
    zipToStdout(paths); // a first pass so that every run reads from a warm page cache
    for (let round = 0; round < ROUNDS; round++) {
      const aims = await download(base, token, ids, server.pid);
      rss.before = Math.min(rss.before, aims.rssBefore);
      rss.peak = Math.max(rss.peak, aims.rssPeak);
      runs.aims.push(aims);
      rmSync(zipFile, { force: true }); // zip updates an existing archive instead of writing a new one
      runs.zipFile.push(zipRun('zip -0 -q -j "$0" "$@"', [zipFile, ...paths], () => statSync(zipFile).size));
      runs.zipStdout.push(zipToStdout(paths));
    }

    const median = (list) => [...list].sort((a, b) => a.seconds - b.seconds)[Math.floor(list.length / 2)];
    const aims = median(runs.aims);
    const zipF = median(runs.zipFile);
    const zipS = median(runs.zipStdout);
    const mbs = (r) => r.bytes / 1e6 / r.seconds;
    const line = (label, r, note = '') =>
      console.log(
        `  ${label.padEnd(34)} ${mbs(r).toFixed(0).padStart(6)} MB/s  ${r.seconds.toFixed(2).padStart(6)} s  ${r.cpu.toFixed(2).padStart(5)} s CPU  ${(r.bytes / 1e6).toFixed(1)} MB${note}`,
      );
    console.log(
      `\nZIP of ${FILES} files (${(inputBytes / 1e6).toFixed(0)} MB, stored), median of ${ROUNDS}, warm page cache; load ${loadAverage()}`,
    );
    line('AIMS POST /api/downloads → curl', aims, '  (CPU: the server; SHA-256 manifest)');
    line('zip -0 -q to a file', zipF);
    line('zip -0 -q to stdout | wc -c', zipS);
    console.log(
      `  ratio AIMS / zip -0: ${(mbs(aims) / mbs(zipF)).toFixed(2)}× (to a file), ${(mbs(aims) / mbs(zipS)).toFixed(2)}× (to stdout); CPU per byte ${(aims.cpu / aims.bytes / (zipS.cpu / zipS.bytes)).toFixed(2)}× zip's (to stdout)`,
    );
    console.log(
      `  server RSS: ${(rss.before / 2 ** 20).toFixed(0)} MiB before a download, ${(rss.peak / 2 ** 20).toFixed(0)} MiB peak during the downloads`,
    );
    server.stdin.end();
    const gc = JSON.parse((await gcLine).slice(3));
    console.log(
      `  server garbage collection during the ${ROUNDS} downloads: ${gc.ms.toFixed(0)} ms (${gc.major} full, ${gc.minor} young)`,
    );
    await exited;
    server = undefined;
    if (profileDir) console.log(`  CPU profile of the server written to ${resolve(profileDir)}`);
  } finally {
    server?.kill();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A 16-bit FITS image of about `mib` MiB whose pixels differ from file to file (no duplicates). */
function writeFrame(dir, index, mib) {
  const width = 4096;
  const height = Math.max(1, Math.round((mib * 2 ** 20) / (width * 2)));
  const cards = [
    'SIMPLE  =                    T',
    'BITPIX  =                   16',
    'NAXIS   =                    2',
    `NAXIS1  = ${String(width).padStart(20)}`,
    `NAXIS2  = ${String(height).padStart(20)}`,
    `DATE-OBS= '${new Date(Date.UTC(2024, 4, 1, 21) + index * 65_000).toISOString().slice(0, 19)}'`,
    "IMAGETYP= 'Light Frame'",
    "OBJECT  = 'M 13    '",
    'EXPTIME =                 60.0',
    "FILTER  = 'L       '",
    "TELESCOP= 'RC8     '",
    'END',
  ];
  const header = Buffer.from(
    cards
      .map((c) => c.padEnd(80))
      .join('')
      .padEnd(2880 * Math.ceil((cards.length * 80) / 2880)),
  );
  const row = Buffer.alloc(width * 2);
  const path = join(dir, `frame_${String(index).padStart(4, '0')}.fits`);
  const fd = openSync(path, 'w');
  writeSync(fd, header);
  const rowsPerWrite = 64;
  const block = Buffer.alloc(row.length * rowsPerWrite);
  let state = (index + 1) * 2654435761;
  for (let y = 0; y < height; y += rowsPerWrite) {
    const rows = Math.min(rowsPerWrite, height - y);
    for (let k = 0; k < rows * width * 2; k += 4) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      block.writeUInt32LE(state, k);
    }
    writeSync(fd, block, 0, rows * width * 2);
  }
  const dataBytes = width * height * 2;
  const pad = (2880 - (dataBytes % 2880)) % 2880;
  if (pad) writeSync(fd, Buffer.alloc(pad));
  closeSync(fd);
  return { path, size: header.length + dataBytes + pad };
}

/** A user with can_download (not an admin), and an API token of theirs. */
async function downloaderToken(databaseUrl) {
  const { openDatabase } = await load('db/connection.js');
  const { createUser } = await load('db/users.repository.js');
  const database = await openDatabase(databaseUrl);
  try {
    // The first account becomes admin: make it, then the downloader the bench uses.
    await createUser(database, { email: 'admin@bench.example', role: 'admin', canDownload: true });
    const { user } = await createUser(database, { email: 'downloader@bench.example', role: 'user', canDownload: true });
    if (user.role !== 'user') throw new Error(`the downloader is ${user.role}`);
    return await apiToken(load, database, user.id, 'zip bench');
  } finally {
    await database.close();
  }
}

/** The ZIP over HTTP with curl (written to /dev/null), and the server's RSS meanwhile. */
async function download(base, token, ids, pid) {
  const rssOf = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const rssBefore = rssOf();
  const cpuBefore = cpuSeconds(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssOf());
  }, 10);
  const out = await new Promise((ok, fail) => {
    const curl = spawn(
      'curl',
      [
        '-sS',
        ...(process.env.AIMS_BENCH_ZIP_RATE ? ['--limit-rate', process.env.AIMS_BENCH_ZIP_RATE] : []),
        '-o',
        '/dev/null',
        '-w',
        '%{http_code} %{size_download} %{time_total} %header{content-length}',
        '-H',
        `authorization: Bearer ${token}`,
        '-H',
        'content-type: application/json',
        '--data-binary',
        JSON.stringify({ ids }),
        `${base}/api/downloads`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let text = '';
    curl.stdout.on('data', (b) => {
      text += b;
    });
    curl.on('error', fail);
    curl.on('close', (code) => (code === 0 ? ok(text) : fail(new Error(`curl exit ${code}`))));
  });
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, rssOf());
  const [status, size, seconds, contentLength] = out.trim().split(' ');
  if (status !== '200') throw new Error(`POST /api/downloads answered ${status}`);
  if (size !== contentLength) throw new Error(`received ${size} bytes, Content-Length said ${contentLength}`);
  return { seconds: Number(seconds), cpu: cpuSeconds(pid) - cpuBefore, bytes: Number(size), rssBefore, rssPeak };
}

/**
 * Runs a zip command line in bash: wall time, and the CPU time of everything it ran (`times`), so
 * that a figure taken on a busy machine can be read against the CPU the work needed.
 */
function zipRun(script, args, bytes) {
  const t0 = performance.now();
  const result = spawnSync('bash', ['-o', 'pipefail', '-c', `${script}; times`, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seconds = (performance.now() - t0) / 1000;
  if (result.status !== 0) throw new Error(`${script} exit ${result.status ?? result.signal}`);
  const lines = result.stdout.trim().split('\n');
  // The last line of `times` is the children's user and system time, as "0m1.234s 0m0.567s".
  const cpu = lines
    .pop()
    .split(' ')
    .reduce((sum, t) => {
      const [, m, s] = /(\d+)m([\d.]+)s/.exec(t) ?? [0, 0, 0];
      return sum + Number(m) * 60 + Number(s);
    }, 0);
  lines.pop();
  return { seconds, cpu, bytes: bytes(lines) };
}

/** `zip -0` to a pipe, as a download would be, counted by `wc -c` (a reader as cheap as curl). */
function zipToStdout(paths) {
  return zipRun('zip -0 -q -j - "$@" | wc -c', ['bash', ...paths], (out) => Number(out.pop()));
}

/** User plus system CPU seconds a process has used so far (all its threads). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (USER_HZ = 100).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
