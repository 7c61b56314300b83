import { type FSWatcher, watch } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join, sep } from 'node:path';

export interface DirWatcherEvents {
  /** A file (or link) appeared or was written to. */
  file(path: string): void;
  /** A new folder appeared; it (and every folder below it) is watched by the time this is called. */
  dir(path: string): void;
  /** A file reported before (or found when its folder was walked) is gone. */
  gone(path: string): void;
  /** The root folder itself was removed, renamed or unmounted (the event does not say which). */
  root(root: string): void;
  error(error: unknown, path?: string): void;
}

/** How long the events of one path are gathered before it is looked at. */
const SETTLE_MS = 50;

interface Pending {
  /** Set while the look is still to come; events meanwhile are answered by it. */
  timer: NodeJS.Timeout | undefined;
  /** An event arrived while the look was running: look again after it. */
  again: boolean;
}

interface WatchedDir {
  watcher: FSWatcher;
  /** Names of the files of this folder that were reported: a folder that vanishes reports them gone. */
  files: Set<string>;
}

/**
 * Watches folders, never files: one `fs.watch` (one inotify watch) per folder, where chokidar 4
 * put one on every file too (1,000,000 frames: 1M inotify watches, past the kernel's limit, and
 * ~840 MB of FSWatcher objects; docs/performance.md, "Memory"). An inotify watch on a folder already
 * reports the creation, writes, removal and renaming of the files in it. Node's own
 * `{ recursive: true }` is no help on Linux: in Node 20 it watches every file as well.
 *
 * Links are not followed (a linked folder is reported like a file, and never walked into).
 */
export class DirWatcher {
  private readonly dirs = new Map<string, WatchedDir>();
  private readonly roots = new Set<string>();
  /** Paths with events not yet answered (see changed). */
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  constructor(
    /** Whether a path below a root is left alone: excluded, or a file that is not a frame. */
    private readonly ignored: (path: string, isDirectory: boolean) => boolean,
    private readonly on: DirWatcherEvents,
  ) {}

  /** Folders watched: one inotify watch each. */
  get size(): number {
    return this.dirs.size;
  }

  /** Watches `root` and every folder below it. */
  async add(root: string): Promise<void> {
    this.roots.add(root);
    await this.watchTree(root);
  }

  /** Stops watching `root` (or any folder) and everything below it, without reporting anything. */
  remove(path: string): void {
    this.unwatchTree(path);
  }

  /** Closes the watches of `path` and of every folder below it; returns what they held. */
  private unwatchTree(path: string): [string, WatchedDir][] {
    const removed: [string, WatchedDir][] = [];
    for (const [dir, watched] of this.dirs)
      if (dir === path || dir.startsWith(path + sep)) {
        watched.watcher.close();
        this.dirs.delete(dir);
        removed.push([dir, watched]);
      }
    return removed;
  }

  close(): void {
    this.closed = true;
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    this.pending.clear();
    for (const watched of this.dirs.values()) watched.watcher.close();
    this.dirs.clear();
    this.roots.clear();
  }

  /** Walks `start` (not following links) and watches each folder before reading it, so nothing created meanwhile is missed. */
  private async watchTree(start: string): Promise<void> {
    const stack = [start];
    while (stack.length && !this.closed) {
      const dir = stack.pop() as string;
      if (this.dirs.has(dir)) continue;
      const watched = this.watchDir(dir);
      if (!watched) continue;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // removed meanwhile: its parent's watcher reports that
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        const isDirectory = entry.isDirectory();
        if (this.ignored(path, isDirectory)) continue;
        if (isDirectory) stack.push(path);
        else if (entry.isFile() || entry.isSymbolicLink()) watched.files.add(entry.name);
      }
    }
  }

  private watchDir(dir: string): WatchedDir | undefined {
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: true }, (_type, name) => {
        if (name !== null) this.changed(dir, name.toString());
      });
    } catch (error) {
      // Gone before it could be watched: nothing to report. Anything else (ENOSPC: the kernel's
      // inotify limit) is the watcher's error.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.on.error(error, dir);
      return undefined;
    }
    watcher.on('error', (error) => this.on.error(error, dir));
    const watched: WatchedDir = { watcher, files: new Set() };
    this.dirs.set(dir, watched);
    return watched;
  }

  /**
   * Something happened to `name` in `dir`. The path is looked at a moment later, once for all the
   * events of that moment (creating and writing a file are two events; a frame written in pieces,
   * many), and events that arrive while it is being looked at bring one more look after it.
   */
  private changed(dir: string, name: string): void {
    const path = join(dir, name);
    const pending = this.pending.get(path);
    if (pending) {
      if (!pending.timer) pending.again = true;
      return;
    }
    const entry: Pending = { timer: undefined, again: false };
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void this.look(dir, name, path)
        .catch((error) => this.on.error(error, path))
        .finally(() => {
          this.pending.delete(path);
          if (entry.again && !this.closed) this.changed(dir, name);
        });
    }, SETTLE_MS);
    this.pending.set(path, entry);
  }

  private async look(dir: string, name: string, path: string): Promise<void> {
    const stats = await lstat(path).catch(() => null);
    if (this.closed) return;
    // inotify reports a watched folder's own removal, renaming or unmounting under its own name.
    if (this.roots.has(dir) && name === basename(dir)) this.on.root(dir);
    const watched = this.dirs.get(dir);
    if (!watched) return; // its folder is no longer watched
    if (!stats) {
      if (this.dirs.has(path)) this.vanished(path);
      else if (watched.files.delete(name)) this.on.gone(path);
      return;
    }
    if (stats.isDirectory()) {
      if (this.dirs.has(path) || this.ignored(path, true)) return;
      if (watched.files.delete(name)) this.on.gone(path); // a file replaced by a folder
      await this.watchTree(path);
      if (!this.closed) this.on.dir(path);
      return;
    }
    if (this.dirs.has(path)) this.vanished(path); // a folder replaced by a file
    if (this.ignored(path, false)) return;
    watched.files.add(name);
    this.on.file(path);
  }

  /** A watched folder was removed or renamed: its files (and those below it) are gone. */
  private vanished(path: string): void {
    for (const [dir, watched] of this.unwatchTree(path))
      for (const name of watched.files) this.on.gone(join(dir, name));
  }
}
