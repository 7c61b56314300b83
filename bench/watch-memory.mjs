/**
 * Inotify watches and heap of watching a library without polling: chokidar 4 as Discovery used it
 * until the eighth session (one fs.watch per file and per folder) against Discovery now (one per
 * folder, ingest/dir-watcher.ts). Each is measured in a child process of its own.
 *
 *   node bench/watch-memory.mjs [files=20000] [folders=20]   (after npm run build:lib; Linux only)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function inotifyWatches() {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (!readlinkSync(`/proc/self/fd/${fd}`).includes('inotify')) continue;
      n += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('inotify')).length;
    } catch {}
  }
  return n;
}

function heapMB() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed / 1e6;
}

const [mode, root] = process.argv.slice(2);
if (mode === 'chokidar' || mode === 'discovery') {
  const before = heapMB();
  const t0 = process.cpuUsage();
  let close;
  if (mode === 'chokidar') {
    const { default: chokidar } = await import('chokidar');
    const watcher = chokidar.watch([root], {
      ignoreInitial: true,
      followSymlinks: false,
      ignored: (path, stats) => stats?.isFile() === true && !/\.(fits?|fts)(\.gz)?$/i.test(path),
    });
    await new Promise((ready) => watcher.once('ready', ready));
    close = () => watcher.close();
  } else {
    const { Discovery } = await import(new URL('../packages/server/dist/ingest/discovery.js', import.meta.url).href);
    const discovery = new Discovery({ roots: [root] }, { candidate: () => {}, removed: () => {} });
    await discovery.start();
    close = () => discovery.stop();
  }
  const cpu = process.cpuUsage(t0);
  const result = { watches: inotifyWatches(), heapMB: heapMB() - before, startCpuMs: (cpu.user + cpu.system) / 1000 };
  await close();
  console.log(JSON.stringify(result));
} else {
  const files = Number(process.argv[2] ?? 20000);
  const folders = Number(process.argv[3] ?? 20);
  const dir = mkdtempSync(join(tmpdir(), 'aims-watch-bench-'));
  try {
    for (let f = 0; f < folders; f++) {
      mkdirSync(join(dir, `night-${f}`));
      for (let i = 0; i < files / folders; i++)
        writeFileSync(join(dir, `night-${f}/frame-${String(i).padStart(5, '0')}.fits`), '');
    }
    const self = fileURLToPath(import.meta.url);
    console.log(`${files} files in ${folders} folders:`);
    for (const m of ['chokidar', 'discovery']) {
      const out = execFileSync(process.execPath, ['--expose-gc', self, m, dir], { encoding: 'utf8' });
      const r = JSON.parse(out);
      console.log(
        `  ${m.padEnd(9)}  inotify watches ${String(r.watches).padStart(7)}  heap ${r.heapMB.toFixed(1).padStart(6)} MB  start ${r.startCpuMs.toFixed(0)} ms CPU`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
