import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Candidate, Discovery, scanTree } from '../../src/ingest/discovery.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'aims-discovery-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function collect(iterable: AsyncIterable<Candidate>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of iterable) out.push(c.relPath);
  return out.sort();
}

async function until(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** inotify watches this process holds: the `inotify` lines of every inotify descriptor's fdinfo. */
function inotifyWatches(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (!readlinkSync(`/proc/self/fd/${fd}`).includes('inotify')) continue;
      n += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('inotify')).length;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

describe('scanTree', () => {
  it('finds FITS names in nested folders, skips excluded paths and does not follow links', async () => {
    mkdirSync(join(root, '2024-05-01/flats'), { recursive: true });
    mkdirSync(join(root, '.trash'));
    writeFileSync(join(root, '2024-05-01/a.fits'), 'x');
    writeFileSync(join(root, '2024-05-01/B.FIT'), 'x');
    writeFileSync(join(root, '2024-05-01/flats/f.fits.gz'), 'x');
    writeFileSync(join(root, '2024-05-01/notes.txt'), 'x');
    writeFileSync(join(root, '.trash/old.fits'), 'x');
    const outside = mkdtempSync(join(tmpdir(), 'aims-outside-'));
    writeFileSync(join(outside, 'secret.fits'), 'x');
    symlinkSync(outside, join(root, 'link'));
    try {
      expect(await collect(scanTree(root, root, ['.trash']))).toEqual([
        '2024-05-01/B.FIT',
        '2024-05-01/a.fits',
        '2024-05-01/flats/f.fits.gz',
      ]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reports a link with a FITS name by its own facts, never by its target, for the ledger to refuse', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'aims-outside-'));
    try {
      writeFileSync(join(outside, 'secret.fits'), Buffer.alloc(2880 * 3));
      writeFileSync(join(root, 'a.fits'), 'x');
      symlinkSync(join(outside, 'secret.fits'), join(root, 'escape.fits'));
      const found: Candidate[] = [];
      for await (const c of scanTree(root)) found.push(c);
      expect(found.map((c) => c.relPath).sort()).toEqual(['a.fits', 'escape.fits']);
      const link = found.find((c) => c.relPath === 'escape.fits');
      const own = lstatSync(join(root, 'escape.fits'));
      expect(link).toMatchObject({ inode: own.ino, sizeBytes: own.size });
      expect(link?.sizeBytes).not.toBe(2880 * 3);
      // Named directly (`aims ingest path/to/link.fits`), too.
      expect(await collect(scanTree(root, join(root, 'escape.fits')))).toEqual(['escape.fits']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reports size, mtime and inode', async () => {
    writeFileSync(join(root, 'a.fits'), Buffer.alloc(2880));
    const found: Candidate[] = [];
    for await (const f of scanTree(root)) found.push(f);
    const [c] = found;
    expect(c?.sizeBytes).toBe(2880);
    expect(c?.inode).toBeGreaterThan(0);
    expect(c?.mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    expect(c?.absPath).toBe(join(root, 'a.fits'));
  });
});

describe('Discovery', () => {
  it.each([false, true])('reports new, changed and removed files while watching (polling %s)', async (usePolling) => {
    const seen: string[] = [];
    const removed: string[] = [];
    const discovery = new Discovery(
      { roots: [root], usePolling, pollIntervalMs: 100 },
      { candidate: (c) => void seen.push(c.relPath), removed: (_r, rel) => void removed.push(rel) },
    );
    await discovery.start();
    // chokidar's polling mode can still be reading the root when 'ready' fires; anything created in
    // that moment is taken as already there (it is covered by the start-up scan and the rescans).
    if (usePolling) await new Promise((r) => setTimeout(r, 500));
    try {
      mkdirSync(join(root, 'night'));
      writeFileSync(join(root, 'night/new.fits'), 'x');
      writeFileSync(join(root, 'night/ignore.txt'), 'x');
      await until(() => seen.includes('night/new.fits'));
      unlinkSync(join(root, 'night/new.fits'));
      await until(() => removed.includes('night/new.fits'));
      expect(seen).not.toContain('night/ignore.txt');
    } finally {
      await discovery.stop();
    }
  });

  it('the watcher and the rescan report a link by its own facts', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'aims-outside-'));
    try {
      writeFileSync(join(outside, 'secret.fits'), Buffer.alloc(2880 * 3));
      symlinkSync(join(outside, 'secret.fits'), join(root, 'before.fits'));
      const seen = new Map<string, Candidate>();
      const discovery = new Discovery(
        { roots: [root] },
        { candidate: (c) => void seen.set(c.relPath, c), removed: () => {} },
      );
      await discovery.start();
      try {
        symlinkSync(join(outside, 'secret.fits'), join(root, 'after.fits'));
        // A folder linked in: neither the watcher nor the scan of a new folder may walk into it.
        symlinkSync(outside, join(root, 'linked'));
        await until(() => seen.has('after.fits'));
        writeFileSync(join(root, 'last.fits'), 'x');
        await until(() => seen.has('last.fits'));
        expect([...seen.keys()].filter((k) => k.startsWith('linked'))).toEqual([]);
        await discovery.scan();
        for (const name of ['before.fits', 'after.fits']) {
          const own = lstatSync(join(root, name));
          expect(seen.get(name)).toMatchObject({ inode: own.ino, sizeBytes: own.size });
        }
      } finally {
        await discovery.stop();
      }
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('scans a folder again once a burst into it is over, so that no file of the burst is missed', async () => {
    const reports = new Map<string, number>();
    const discovery = new Discovery(
      { roots: [root], burstRescan: { events: 100, quietMs: 300 } },
      { candidate: (c) => void reports.set(c.relPath, (reports.get(c.relPath) ?? 0) + 1), removed: () => {} },
    );
    // Folders that exist before the watcher starts: no scan of a new folder reports their files.
    mkdirSync(join(root, 'burst'));
    mkdirSync(join(root, 'quiet'));
    await discovery.start();
    try {
      for (let i = 0; i < 150; i++) writeFileSync(join(root, `burst/f${String(i).padStart(3, '0')}.fits`), 'x');
      writeFileSync(join(root, 'quiet/one.fits'), 'x');
      // The watcher reports each file; the scan after the burst reports every one of them again.
      await until(() => [...reports.entries()].filter(([k, n]) => k.startsWith('burst/') && n >= 2).length === 150);
      await new Promise((r) => setTimeout(r, 600));
      expect(reports.size).toBe(151);
      // One file is no burst: its folder is not scanned again.
      expect(reports.get('quiet/one.fits')).toBe(1);
    } finally {
      await discovery.stop();
    }
  });

  it('scan() reports what is already there', async () => {
    writeFileSync(join(root, 'a.fits'), 'x');
    writeFileSync(join(root, 'b.fts'), 'x');
    const seen: string[] = [];
    const discovery = new Discovery(
      { roots: [root] },
      { candidate: (c) => void seen.push(c.relPath), removed: () => {} },
    );
    expect(await discovery.scan()).toBe(2);
    expect(seen.sort()).toEqual(['a.fits', 'b.fts']);
  });

  it.skipIf(process.platform !== 'linux')(
    'watches folders, not files: 3 folders of 200 frames hold a handful of inotify watches, and every change is still reported',
    async () => {
      for (const night of ['n1', 'n2', 'n3']) {
        mkdirSync(join(root, night));
        for (let i = 0; i < 200; i++) writeFileSync(join(root, `${night}/f${i}.fits`), 'x');
      }
      const seen: string[] = [];
      const removed: string[] = [];
      const discovery = new Discovery(
        { roots: [root] },
        { candidate: (c) => void seen.push(c.relPath), removed: (_r, rel) => void removed.push(rel) },
      );
      const before = inotifyWatches();
      await discovery.start();
      try {
        // 3 folders + the root; chokidar 4 held 604 here, one per file too.
        expect(inotifyWatches() - before).toBeLessThanOrEqual(3 + 1 + 2);
        writeFileSync(join(root, 'n1/added.fits'), 'x');
        await until(() => seen.includes('n1/added.fits'));
        const rewritten = seen.filter((p) => p === 'n2/f7.fits').length;
        writeFileSync(join(root, 'n2/f7.fits'), 'rewritten');
        await until(() => seen.filter((p) => p === 'n2/f7.fits').length > rewritten);
        mkdirSync(join(root, 'n4/flats'), { recursive: true });
        writeFileSync(join(root, 'n4/a.fits'), 'x');
        writeFileSync(join(root, 'n4/flats/b.fits'), 'x');
        await until(() => seen.includes('n4/a.fits') && seen.includes('n4/flats/b.fits'));
        unlinkSync(join(root, 'n3/f0.fits'));
        await until(() => removed.includes('n3/f0.fits'));
        // A folder removed whole: each of its frames is reported gone.
        rmSync(join(root, 'n4'), { recursive: true });
        await until(() => removed.includes('n4/a.fits') && removed.includes('n4/flats/b.fits'));
        expect(seen.filter((p) => p.startsWith('n1/f') || p.startsWith('n3/'))).toEqual([]);
        expect(inotifyWatches() - before).toBeLessThanOrEqual(3 + 1 + 2);
      } finally {
        await discovery.stop();
      }
      expect(inotifyWatches()).toBe(before);
    },
  );
});
