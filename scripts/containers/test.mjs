#!/usr/bin/env node
// `npm run test:containers`: the images and compose.yaml, for real, with Podman. Builds the base
// images once per machine (base-images.sh), the AIMS image from the unmodified Dockerfile, then
// for each catalog engine the stack of compose.yaml: waits for the image's health check, ingests a
// mounted folder of generated FITS frames, signs in, downloads a frame and compares its bytes,
// starts the worker replicas, stops the stack (tini must pass SIGTERM on) and removes it.
// Without podman it says so in one line and passes, except under CI=true.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '../..');
const IMAGE = 'localhost/aims:test';
const FRAMES = 5;

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

if (!has('podman') || !has('podman-compose')) {
  const line = 'containers: podman and podman-compose are not installed';
  if (process.env.CI === 'true') {
    console.error(`${line} (required under CI)`);
    process.exit(1);
  }
  console.log(`${line}; skipped`);
  process.exit(0);
}

// This machine kind runs podman as root without systemd: runc, cgroupfs, no default ulimits. Our
// own containers.conf, so /etc is left alone.
const cache = '/var/tmp/aims-containers';
mkdirSync(cache, { recursive: true });
const conf = join(cache, 'containers.conf');
writeFileSync(
  conf,
  `[containers]\ndefault_ulimits = []\n[engine]\n${has('runc') ? 'runtime = "runc"\n' : ''}cgroup_manager = "cgroupfs"\nevents_logger = "file"\n`,
);
process.env.CONTAINERS_CONF = conf;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (result.status !== 0 && !options.allowFail) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  }
  return result;
}
const step = (text) => console.log(`containers: ${text}`);

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function until(what, timeoutMs, probe) {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Frames as a camera writes them: 16-bit, BZERO 32768, the usual keywords. */
async function writeFrames(dir) {
  const { writeFits } = await import(join(repo, 'packages/fits/dist/index.js'));
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let i = 0; i < FRAMES; i++) {
    const width = 64;
    const height = 48;
    const data = new Uint16Array(width * height);
    for (let p = 0; p < data.length; p++) data[p] = 1000 + ((p * 7919 + i * 104729) % 500);
    const cards = [
      { key: 'DATE-OBS', value: `2024-05-01T2${i}:00:00` },
      { key: 'OBJECT', value: 'M 13' },
      { key: 'FILTER', value: ['L', 'R', 'G', 'B', 'Ha'][i] },
      { key: 'EXPTIME', value: 60 },
      { key: 'IMAGETYP', value: 'Light Frame' },
      { key: 'RA', value: 250.423 },
      { key: 'DEC', value: 36.461 },
    ];
    const path = join(dir, `m13_${i}.fits`);
    writeFileSync(path, writeFits([{ cards, bitpix: 16, bzero: 32768, axes: [width, height], data }]));
    files.push(path);
  }
  return files;
}

async function api(port, path, init = {}) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, init);
  return response;
}

/** One compose project: its folder with compose.yaml (copied unchanged), the override and .env. */
async function project(name, env) {
  const dir = mkdtempSync(join(tmpdir(), `aims-compose-${name}-`));
  copyFileSync(join(repo, 'compose.yaml'), join(dir, 'compose.yaml'));
  copyFileSync(join(here, 'compose.test.yaml'), join(dir, 'compose.test.yaml'));
  writeFileSync(
    join(dir, '.env'),
    `${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n`,
  );
  const projectName = `aimstest${name}${process.pid}`;
  const compose = (...args) =>
    run('podman-compose', ['-p', projectName, '-f', 'compose.yaml', '-f', 'compose.test.yaml', ...args], { cwd: dir });
  return { dir, projectName, compose, container: (service, n = 1) => `${projectName}_${service}_${n}` };
}

function healthy(container) {
  return run('podman', ['healthcheck', 'run', container], { allowFail: true }).status === 0;
}

async function stack(engine, imagesDir, files) {
  const [httpPort, dbPort] = [await freePort(), await freePort()];
  const password = randomBytes(12).toString('hex');
  const p = await project(engine, {
    LOCAL_IMAGE_PATH: imagesDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    DB_NAME: 'aims',
    DB_USER: 'aims',
    DB_PASSWORD: password,
    DB_ROOT_PASSWORD: randomBytes(12).toString('hex'),
    HOST_DB_PORT: String(dbPort),
    DB_SSL_ENABLED: 'false',
    DB_SSL_CA: '',
    GOOGLE_CLIENT_ID: '',
    AIMS_HTTP_PORT: String(httpPort),
    AIMS_WORKER_REPLICAS: '2',
    AIMS_VERSION: 'test',
  });
  const [db, aims, worker] =
    engine === 'postgres' ? ['postgres', 'aims', 'worker'] : ['mariadb', 'aims-mysql', 'worker-mysql'];
  const aimsContainer = p.container(aims);
  try {
    // podman-compose 1.0 knows neither profiles nor `condition: service_healthy`: the services
    // are named, the database first, until its health check passes.
    step(`${engine}: starting ${db}`);
    p.compose('up', '-d', '--no-build', db);
    await until(`${db} to be healthy`, 180_000, () => healthy(p.container(db)));
    step(`${engine}: starting ${aims}`);
    p.compose('up', '-d', '--no-build', aims);
    await until(`${aims}'s HEALTHCHECK`, 180_000, () => healthy(aimsContainer));
    const inspect = JSON.parse(run('podman', ['inspect', aimsContainer]).stdout)[0];
    check(inspect.Config.User === 'node', `runs as node, not ${inspect.Config.User}`);
    const images = inspect.Mounts.find((m) => m.Destination === '/images');
    check(images && images.RW === false, '/images is mounted read-only');
    check(
      inspect.Mounts.some((m) => m.Destination === '/data' && m.Type === 'volume'),
      '/data is a volume',
    );
    const health = await (await api(httpPort, '/api/health')).json();
    step(`${engine}: healthy, ${JSON.stringify(health)}`);

    const ingest = run('podman', ['exec', aimsContainer, 'aims', 'ingest', '/images', '--json']);
    const summary = JSON.parse(ingest.stdout.trim().split('\n').at(-1));
    check(summary.files === FRAMES && summary.failed === 0, `aims ingest read ${FRAMES} frames: ${ingest.stdout}`);

    const adminPassword = randomBytes(12).toString('hex');
    run(
      'podman',
      [
        'exec',
        '-i',
        aimsContainer,
        'aims',
        'users',
        'add',
        'admin@example.org',
        '--admin',
        '--can-download',
        '--password-stdin',
      ],
      { input: `${adminPassword}\n` },
    );
    const login = await api(httpPort, '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.org', password: adminPassword }),
    });
    check(login.status === 200, `sign-in answers 200, not ${login.status}`);
    const { access_token: token } = await login.json();
    const auth = { authorization: `Bearer ${token}` };
    const list = await until('the frames in the catalog', 60_000, async () => {
      const body = await (await api(httpPort, '/api/images?limit=50', { headers: auth })).json();
      return body.total === FRAMES ? body : null;
    });
    const item = list.items.find((i) => i.file_path.endsWith('m13_3.fits'));
    check(item, 'm13_3.fits is in the catalog');
    const download = await api(httpPort, `/api/images/${item.id}/download`, { headers: auth });
    check(download.status === 200, `download answers 200, not ${download.status}`);
    const bytes = Buffer.from(await download.arrayBuffer());
    const sha = (b) => createHash('sha256').update(b).digest('hex');
    check(sha(bytes) === sha(readFileSync(files[3])), 'the downloaded frame is the file, byte for byte');
    step(`${engine}: ingested ${FRAMES} frames, signed in, downloaded ${item.file_path} (${bytes.length} bytes)`);

    step(`${engine}: starting 2 ${worker} replicas`);
    p.compose('up', '-d', '--no-build', worker);
    for (const n of [1, 2]) {
      const name = p.container(worker, n);
      await until(`${name} to start`, 60_000, () => {
        const state = run('podman', ['inspect', '--format', '{{.State.Status}}', name]).stdout.trim();
        const logs = run('podman', ['logs', name], { allowFail: true });
        check(state === 'running', `${name} is ${state}: ${logs.stdout}${logs.stderr}`);
        return logs.stdout.includes('AIMS worker');
      });
    }

    // SIGTERM through tini: aims stops by itself (exit code 0) well within podman's 10 s.
    run('podman', ['stop', '--time', '20', aimsContainer]);
    const exit = run('podman', ['inspect', '--format', '{{.State.ExitCode}}', aimsContainer]).stdout.trim();
    check(exit === '0', `aims stopped on SIGTERM with exit code 0, not ${exit}`);
    step(`${engine}: stopped cleanly`);
  } catch (error) {
    const logs = run('podman', ['logs', '--tail', '60', aimsContainer], { allowFail: true });
    console.error(`--- ${aimsContainer} logs ---\n${logs.stdout}${logs.stderr}`);
    throw error;
  } finally {
    p.compose('down', '-v', '-t', '5');
    run('podman', ['network', 'rm', '-f', `${p.projectName}_default`], { allowFail: true });
    rmSync(p.dir, { recursive: true, force: true });
  }
}

async function mysqlEngineLanded() {
  const { dialectOfUrl } = await import(join(repo, 'packages/server/dist/db/dialect.js'));
  try {
    return dialectOfUrl('mysql://aims@db/aims') === 'mysql';
  } catch {
    return false;
  }
}

const started = Date.now();
step('base images (built once per machine)');
run(join(here, 'base-images.sh'), [], { stdio: 'inherit' });
step(`building ${IMAGE} from the Dockerfile`);
// Docker's image format: OCI images have no HEALTHCHECK.
// Its output (compiler warnings included) is shown only when it fails.
run('podman', ['build', '--format', 'docker', '--layers', '-t', IMAGE, '-f', 'Dockerfile', '.'], { cwd: repo });
check(existsSync(join(repo, 'packages/fits/dist/index.js')), 'packages are built (npm run build:lib)');
const work = mkdtempSync(join(tmpdir(), 'aims-containers-'));
try {
  const imagesDir = join(work, 'images');
  const files = await writeFrames(imagesDir);
  await stack('postgres', imagesDir, files);
  if (await mysqlEngineLanded()) await stack('mysql', imagesDir, files);
  else step('mysql profile: skipped, this AIMS has no MySQL engine');
  step(`passed in ${Math.round((Date.now() - started) / 1000)} s`);
} finally {
  rmSync(work, { recursive: true, force: true });
  // Build stages of earlier sources: today's stay as the layer cache, older ones go.
  run('podman', ['image', 'prune', '--force', '--filter', 'until=24h'], { allowFail: true });
}
