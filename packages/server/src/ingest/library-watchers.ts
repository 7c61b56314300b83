/**
 * One watcher per library, started and stopped as the libraries table changes, with no restart:
 * `sync(libraries)` compares what runs with what is configured. A library whose folder is not
 * there (an unmounted share) is `offline` and tried again at the next sync; a paused one runs no
 * watcher and no rescans.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { Library, LibraryState } from '../domain/library.js';
import { type Candidate, Discovery, scanTree } from './discovery.js';

export interface LibraryWatchHandlers {
  candidate(file: Candidate): Promise<void> | void;
  removed(root: string, relPath: string): Promise<void> | void;
  /** After a scan of a library: its candidates are in the ledger once the caller flushes. */
  scanned?(library: Library, files: number): Promise<void> | void;
  /** Warnings (logged as such). */
  error(message: string, fields: Record<string, unknown>): void;
  info(message: string, fields: Record<string, unknown>): void;
  /** The state of some library changed. */
  stateChanged?(): void;
}

interface Watch {
  library: Library;
  /** The settings that need a new watcher when they change. */
  key: string;
  discovery: Discovery | undefined;
  state: LibraryState;
  reason: string | null;
}

const watchKey = (l: Library, defaultRescanSeconds: number) =>
  JSON.stringify([l.path, l.exclude, l.rescan_seconds ?? defaultRescanSeconds, l.use_polling, l.paused]);

async function folderProblem(path: string): Promise<string | null> {
  try {
    if (!(await stat(path)).isDirectory()) return `${path} is not a folder`;
    await access(path, constants.R_OK | constants.X_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' ? `${path} cannot be read (permission denied)` : `${path} is not reachable`;
  }
}

export class LibraryWatchers {
  private readonly watches = new Map<number, Watch>();
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly defaultRescanSeconds: number,
    private readonly handlers: LibraryWatchHandlers,
  ) {}

  /** The libraries as this process knows them, by id. */
  libraries(): Library[] {
    return [...this.watches.values()].map((w) => w.library);
  }

  stateOf(id: number): { state: LibraryState; reason: string | null } | undefined {
    const watch = this.watches.get(id);
    return watch ? { state: watch.state, reason: watch.reason } : undefined;
  }

  /** Every watch's state: for the overall watcher state of the health check. */
  states(): LibraryState[] {
    return [...this.watches.values()].map((w) => w.state);
  }

  /** Starts, restarts and stops watchers so that they match `libraries`; calls run one at a time. */
  sync(libraries: readonly Library[]): Promise<void> {
    this.syncing = this.syncing.then(() => this.apply(libraries)).catch(() => undefined);
    return this.syncing;
  }

  /**
   * Scans a library now; resolves to the files it reported. A watched library is scanned by its
   * watcher's discovery, which leaves an offline folder (an unmounted share) alone.
   */
  async scan(id: number): Promise<number> {
    const watch = this.watches.get(id);
    if (!watch || watch.library.paused) return 0;
    const { discovery, library } = watch;
    if (!discovery) {
      const problem = await folderProblem(library.path);
      if (problem) {
        this.setState(watch, 'offline', problem);
        return 0;
      }
    }
    if (watch.state !== 'offline') this.setState(watch, 'scanning', null);
    let n = 0;
    try {
      if (discovery) n = await discovery.scan();
      else
        for await (const c of scanTree(library.path, library.path, library.exclude)) {
          await this.handlers.candidate(c);
          n++;
        }
      await this.handlers.scanned?.(library, n);
    } finally {
      if (this.watches.get(id) === watch && watch.state === 'scanning')
        this.setState(watch, discovery ? this.runningState(watch) : 'unwatched', null);
    }
    return n;
  }

  /** Every library's folder and whether it is reachable now. */
  async rootStates(): Promise<{ root: string; online: boolean }[]> {
    return Promise.all(
      [...this.watches.values()].map(async (w) => ({
        root: w.library.path,
        online: w.discovery
          ? ((await w.discovery.rootStates())[0]?.online ?? false)
          : (await folderProblem(w.library.path)) === null,
      })),
    );
  }

  async stop(): Promise<void> {
    await this.sync([]);
  }

  private runningState(watch: Watch): LibraryState {
    return watch.library.use_polling ? 'polling' : 'watching';
  }

  private setState(watch: Watch, state: LibraryState, reason: string | null): void {
    if (watch.state === state && watch.reason === reason) return;
    watch.state = state;
    watch.reason = reason;
    this.handlers.stateChanged?.();
  }

  private async apply(libraries: readonly Library[]): Promise<void> {
    const wanted = new Map(libraries.map((l) => [l.id, l]));
    for (const [id, watch] of this.watches)
      if (!wanted.has(id)) {
        this.watches.delete(id);
        await watch.discovery?.stop().catch(() => undefined);
        this.handlers.stateChanged?.();
      }
    for (const library of libraries) {
      const key = watchKey(library, this.defaultRescanSeconds);
      const watch = this.watches.get(library.id);
      // A watcher that runs follows its folder going offline and back itself; one that could not
      // start (folder missing, watcher error) is tried again.
      if (watch && watch.key === key && (watch.discovery || watch.state === 'paused')) {
        watch.library = library; // names, time zone and longitude apply without a restart
        continue;
      }
      await watch?.discovery?.stop().catch(() => undefined);
      const fresh: Watch = { library, key, discovery: undefined, state: 'starting', reason: null };
      this.watches.set(library.id, fresh);
      await this.startWatch(fresh);
    }
  }

  /** Starts the watcher of a library and scans it for what arrived while nobody watched. */
  private async startWatch(watch: Watch): Promise<void> {
    const { library } = watch;
    if (library.paused) return this.setState(watch, 'paused', null);
    const problem = await folderProblem(library.path);
    if (problem) return this.setState(watch, 'offline', problem);
    const discovery = new Discovery(
      {
        roots: [library.path],
        exclude: library.exclude,
        usePolling: library.use_polling,
        rescanSeconds: library.rescan_seconds ?? this.defaultRescanSeconds,
      },
      {
        candidate: (file) => this.handlers.candidate(file),
        removed: (root, relPath) => this.handlers.removed(root, relPath),
        rootState: (root, online) => {
          if (online) {
            this.handlers.info('image folder is back online', { library: library.id, root });
            if (watch.state === 'offline') this.setState(watch, this.runningState(watch), null);
          } else {
            this.handlers.error('image folder is offline: its frames are not marked missing', {
              library: library.id,
              root,
            });
            this.setState(watch, 'offline', `${root} is not reachable (an unmounted share?)`);
          }
        },
        error: (error, path) => this.handlers.error('watcher error', { library: library.id, err: String(error), path }),
      },
    );
    try {
      await discovery.start();
    } catch (error) {
      await discovery.stop().catch(() => undefined);
      this.handlers.error('watcher failed to start', { library: library.id, err: String(error) });
      return this.setState(watch, 'error', `the watcher did not start: ${String(error)}`);
    }
    watch.discovery = discovery;
    this.setState(watch, this.runningState(watch), null);
    void this.scan(library.id).catch((error) =>
      this.handlers.error('scan failed', { library: library.id, err: String(error) }),
    );
  }
}
