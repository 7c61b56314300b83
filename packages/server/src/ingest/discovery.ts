import type { Stats } from 'node:fs';
import { lstat, opendir, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import chokidar from 'chokidar';
import { DirWatcher } from './dir-watcher.js';
import { isFitsName, makeExcluder } from './file-types.js';

/** A file that may need ingesting: where it is and the facts that tell whether it changed. */
export interface Candidate {
  root: string;
  relPath: string;
  absPath: string;
  sizeBytes: number;
  mtimeMs: number;
  inode: number;
}

export interface DiscoveryHandlers {
  /** Called for every FITS candidate found by a scan or reported by the watcher. Only enqueues. */
  candidate(file: Candidate): Promise<void> | void;
  /** Called when the watcher sees a file disappear (never while its whole root is offline). */
  removed(root: string, relPath: string): Promise<void> | void;
  /** Called when an image root goes offline (unmounted, renamed away) or comes back. */
  rootState?(root: string, online: boolean): void;
  error?(error: unknown, path?: string): void;
}

export interface DiscoveryOptions {
  roots: readonly string[];
  exclude?: readonly string[];
  /** Poll instead of file-system events: network shares deliver no events. */
  usePolling?: boolean;
  pollIntervalMs?: number;
  /** Periodic full rescan; 0 disables it. */
  rescanSeconds?: number;
  /**
   * A folder that received at least `events` watcher reports is scanned again once it has been
   * quiet for `quietMs` (default 100 reports, 2 s). Under a burst (10,000 frames moved into a
   * folder at once, with the server busy ingesting) the watcher missed the last files of the
   * burst: thousands of them until the next periodic rescan (docs/performance.md, "Memory").
   */
  burstRescan?: { events: number; quietMs: number };
}

const DEFAULT_BURST_RESCAN = { events: 100, quietMs: 2000 };

/** What Discovery needs of a watcher: chokidar's (polling) or our folder watcher (events). */
interface RootWatcher {
  /** Watches a root that came back online afresh (the old watch was on the folder that went away). */
  rewatch(root: string): void;
  close(): Promise<void>;
}

function relativeOf(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

export function candidateFromStats(root: string, absPath: string, stats: Stats): Candidate {
  return {
    root,
    relPath: relative(root, absPath).split(sep).join('/'),
    absPath,
    sizeBytes: stats.size,
    mtimeMs: Math.trunc(stats.mtimeMs),
    inode: stats.ino,
  };
}

/**
 * Walks `root` (or a file or folder below it) and reports every FITS candidate. Symbolic links are
 * not followed, so a link cannot take the scan outside the image root or into a loop; a link with a
 * FITS name is reported with its own facts (lstat), so that the pipeline records in the ledger why
 * it is not read (catalog/file-access.ts checkIngestPath).
 */
export async function* scanTree(
  root: string,
  start = root,
  exclude: readonly string[] = [],
): AsyncGenerator<Candidate> {
  const excluded = makeExcluder(exclude);
  const top = await lstat(start);
  if (top.isFile() || top.isSymbolicLink()) {
    if (isFitsName(start)) yield candidateFromStats(root, start, top);
    return;
  }
  const stack = [start];
  while (stack.length) {
    const dir = stack.pop() as string;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // a folder removed or unreadable mid-scan is not an error of the scan
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    const files: string[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join('/');
      if (excluded(rel)) continue;
      if (entry.isDirectory()) stack.push(path);
      else if ((entry.isFile() || entry.isSymbolicLink()) && isFitsName(entry.name)) files.push(path);
    }
    // Several stats in flight at once, yielded in order: one at a time, each waited for a thread of
    // libuv's pool and then for the event loop, and a scan of 2,000 files took over a second in
    // which neither the catalog nor the workers had anything to do (docs/performance.md).
    for (let at = 0; at < files.length; at += STATS_IN_FLIGHT) {
      const batch = files.slice(at, at + STATS_IN_FLIGHT);
      // null: vanished between readdir and stat
      const stats = await Promise.all(batch.map((path) => lstat(path).catch(() => null)));
      for (const [i, path] of batch.entries()) {
        const found = stats[i];
        if (found) yield candidateFromStats(root, path, found);
      }
    }
  }
}

/** File stats a scan waits for at once. */
const STATS_IN_FLIGHT = 64;

/**
 * Watches the image roots and rescans them periodically. It only reports candidates; the ledger
 * decides whether anything changed, and workers do the reading.
 */
export class Discovery {
  private watcher: RootWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<number> | undefined;
  /** Folders the watcher reported files in: reports since their last scan, and the quiet timer. */
  private readonly busyFolders = new Map<string, { events: number; timer: NodeJS.Timeout | undefined }>();
  private readonly folderScans = new Set<Promise<void>>();
  /** The device each root was last seen online on (see rootOnline). */
  private readonly rootDevices = new Map<string, number>();
  private readonly offline = new Set<string>();
  readonly roots: string[];

  constructor(
    private readonly options: DiscoveryOptions,
    private readonly handlers: DiscoveryHandlers,
  ) {
    this.roots = options.roots.map((r) => resolve(r));
  }

  get watching(): boolean {
    return this.watcher !== undefined;
  }

  /** Scans every root once; resolves to the number of candidates reported. Concurrent calls share one scan. */
  scan(): Promise<number> {
    this.scanning ??= (async () => {
      let n = 0;
      try {
        for (const root of this.roots) {
          // An offline root is not scanned (its files are not gone) and holds up no other root.
          if (!(await this.checkRoot(root))) continue;
          for await (const c of scanTree(root, root, this.options.exclude)) {
            await this.handlers.candidate(c);
            n++;
          }
        }
      } finally {
        this.scanning = undefined;
      }
      return n;
    })();
    return this.scanning;
  }

  /** Every root and whether it is reachable now. */
  async rootStates(): Promise<{ root: string; online: boolean }[]> {
    return Promise.all(this.roots.map(async (root) => ({ root, online: await this.checkRoot(root) })));
  }

  /** Whether `root` is online; reports a change, and watches a root that came back again. */
  private async checkRoot(root: string): Promise<boolean> {
    const online = await this.rootOnline(root);
    if (online === !this.offline.has(root)) return online;
    if (online) {
      this.offline.delete(root);
      // The watch was on the folder that went away: watch the one that is there now.
      this.watcher?.rewatch(root);
    } else this.offline.add(root);
    this.handlers.rootState?.(root, online);
    return online;
  }

  /**
   * A root is offline when it is not a readable folder, or when it is an empty folder on another
   * device than the one it was last seen on: the mount point of a share that is not mounted. A
   * root that is still there and empty is online (its last files were deleted); one that comes
   * back non-empty on a new device is online (a share mounted since).
   */
  private async rootOnline(root: string): Promise<boolean> {
    let device: number;
    let empty: boolean;
    try {
      const stats = await stat(root);
      if (!stats.isDirectory()) return false;
      device = stats.dev;
      const dir = await opendir(root);
      try {
        empty = (await dir.read()) === null;
      } finally {
        await dir.close();
      }
    } catch {
      return false;
    }
    const known = this.rootDevices.get(root);
    if (known !== undefined && known !== device && empty) return false;
    this.rootDevices.set(root, device);
    return true;
  }

  async start(): Promise<void> {
    const excluded = makeExcluder(this.options.exclude ?? []);
    const rootOf = (path: string) => this.roots.find((r) => path === r || path.startsWith(r + sep));
    const report = async (path: string) => {
      const root = rootOf(path);
      if (!root || !isFitsName(path) || excluded(relativeOf(root, path))) return;
      this.folderActive(root, dirname(path));
      try {
        // lstat, as the scan does: the watchers report links too (chokidar even in its initial
        // pass), and a link's facts are its own, not its target's; the pipeline refuses it with a reason.
        await this.handlers.candidate(candidateFromStats(root, path, await lstat(path)));
      } catch (error) {
        this.handlers.error?.(error, path);
      }
    };
    // A new folder (tonight's) can receive its first files before the watcher has looked into it;
    // polling in particular then never reports them. Scanning the folder when it appears closes
    // that gap; the ledger ignores what is reported twice.
    const folderAdded = (path: string) => {
      const root = rootOf(path);
      if (!root || path === root || excluded(relativeOf(root, path))) return;
      this.scanFolder(root, path);
    };
    const fileRemoved = (path: string) => {
      const root = rootOf(path);
      if (!root || excluded(relativeOf(root, path))) return;
      // When a share is unmounted (or its folder renamed away), every file of it disappears at
      // once: that is an offline root, not deleted frames.
      void this.checkRoot(root)
        .then((online) => (online ? this.handlers.removed(root, relativeOf(root, path)) : undefined))
        .catch((e) => this.handlers.error?.(e, path));
    };
    this.watcher = this.options.usePolling
      ? await this.startPolling(report, folderAdded, fileRemoved)
      : await this.startWatching(rootOf, excluded, report, folderAdded, fileRemoved);
    const seconds = this.options.rescanSeconds ?? 0;
    if (seconds > 0) {
      this.timer = setInterval(() => void this.scan().catch((e) => this.handlers.error?.(e)), seconds * 1000);
      this.timer.unref();
    }
  }

  /** Network shares deliver no events: chokidar polls every file's stats. */
  private async startPolling(
    report: (path: string) => Promise<void>,
    folderAdded: (path: string) => void,
    fileRemoved: (path: string) => void,
  ): Promise<RootWatcher> {
    // chokidar 4 with usePolling reports nothing from new folders when `ignored` is a function,
    // so in polling mode the filtering happens only in the handlers.
    const watcher = chokidar.watch(this.roots, {
      ignoreInitial: true,
      followSymlinks: false,
      usePolling: true,
      interval: this.options.pollIntervalMs ?? 2000,
      binaryInterval: this.options.pollIntervalMs ?? 2000,
    });
    watcher.on('add', report).on('change', report).on('addDir', folderAdded).on('unlink', fileRemoved);
    watcher.on('error', (error) => this.handlers.error?.(error));
    await new Promise<void>((ready) => watcher.once('ready', () => ready()));
    return {
      rewatch: (root) => {
        watcher.unwatch(root);
        watcher.add(root);
      },
      close: () => watcher.close(),
    };
  }

  /**
   * File-system events: one inotify watch per folder (DirWatcher), not per file as chokidar 4 has
   * it — a million frames were a million watches (past the kernel's limit) and ~840 MB of heap.
   */
  private async startWatching(
    rootOf: (path: string) => string | undefined,
    excluded: (relPath: string) => boolean,
    report: (path: string) => Promise<void>,
    folderAdded: (path: string) => void,
    fileRemoved: (path: string) => void,
  ): Promise<RootWatcher> {
    const watcher = new DirWatcher(
      (path, isDirectory) => {
        const root = rootOf(path);
        if (!root || path === root) return false;
        return excluded(relativeOf(root, path)) || (!isDirectory && !isFitsName(path));
      },
      {
        file: (path) => void report(path),
        dir: folderAdded,
        gone: fileRemoved,
        // Removed, renamed away or unmounted: checkRoot reports it offline, and watches it again
        // when it is back.
        root: (root) => void this.checkRoot(root).catch((e) => this.handlers.error?.(e, root)),
        error: (error, path) => this.handlers.error?.(error, path),
      },
    );
    for (const root of this.roots) await watcher.add(root);
    return {
      rewatch: (root) => {
        watcher.remove(root);
        void watcher.add(root).catch((e) => this.handlers.error?.(e, root));
      },
      close: async () => watcher.close(),
    };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.watcher?.close();
    this.watcher = undefined;
    for (const folder of this.busyFolders.values()) clearTimeout(folder.timer);
    this.busyFolders.clear();
    await this.scanning?.catch(() => undefined);
    await Promise.all(this.folderScans);
  }

  /** Scans one folder (and its subfolders) in the background; the ledger ignores what it knew. */
  private scanFolder(root: string, folder: string): void {
    const scan = (async () => {
      for await (const c of scanTree(root, folder, this.options.exclude)) await this.handlers.candidate(c);
    })()
      .catch((error) => this.handlers.error?.(error, folder))
      .finally(() => this.folderScans.delete(scan));
    this.folderScans.add(scan);
  }

  /** Counts a watcher report in `folder`; after a burst, the folder is scanned once it is quiet. */
  private folderActive(root: string, folder: string): void {
    const { events, quietMs } = this.options.burstRescan ?? DEFAULT_BURST_RESCAN;
    const entry = this.busyFolders.get(folder) ?? { events: 0, timer: undefined };
    entry.events++;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      this.busyFolders.delete(folder);
      if (entry.events >= events && this.watcher) this.scanFolder(root, folder);
    }, quietMs);
    entry.timer.unref();
    this.busyFolders.set(folder, entry);
  }
}
