import type { JWTVerifyGetKey } from 'jose';
import type { OidcClient } from '../auth/oidc.client.js';
import type { SessionTokens } from '../auth/session-token.js';
import type { PreviewSources } from '../catalog/previews.js';
import type { ServedRoots } from '../catalog/served-roots.js';
import type { Config } from '../config/config.js';
import type { Database } from '../db/connection.js';
import type { LibraryState } from '../domain/library.js';
import type { EventBus, WatcherState } from '../util/events.js';
import type { CutoutMaker } from '../vo/soda.cutouts.js';

/** What the ingest side offers the API (implemented in main.ts by whatever runs ingest). */
export interface IngestControl {
  /** Files waiting and being worked on right now. */
  queue(): Promise<{ pending: number; active: number }> | { pending: number; active: number };
  watcherState(): WatcherState;
  /** Starts a rescan of every image root now; resolves when it has been started. */
  rescan(): Promise<void>;
  /** What the watcher does with a library; undefined: not watched in this process. */
  libraryState?(id: number): { state: LibraryState; reason: string | null } | undefined;
  /** The libraries changed: read them again and start or stop their watchers now. */
  librariesChanged?(): Promise<void>;
  /** Starts a rescan of one library; false when it is not watched in this process. */
  rescanLibrary?(id: number): Promise<boolean>;
  /** Why frames cannot be catalogued right now (a full disk, no catalog); null when they can. */
  problem?(): { problem: string; since: string } | null;
  /** Every image root and whether it is reachable (an unmounted share is offline). */
  rootStates?(): Promise<{ root: string; online: boolean }[]>;
}

/** Everything the routes share; built once by buildApp. */
export interface AppContext {
  config: Config;
  database: Database;
  sessions: SessionTokens;
  events: EventBus;
  version: string;
  startedAt: number;
  ingest: IngestControl | undefined;
  /** The folders originals are served from: the image folders and every library. */
  roots: ServedRoots;
  /** Where previews are found, and how a missing one is rendered. */
  previews: PreviewSources;
  /** SODA cutouts: in the preview worker threads when there are some, else in this thread. */
  cutouts: CutoutMaker;
  googleKeys: JWTVerifyGetKey | undefined;
  oidc: OidcClient | undefined;
  /** Signs the short-lived OIDC state cookie. */
  cookieSecret: string;
  rateLimit: { max: number; timeWindowMs: number };
  /** How often an open event stream re-checks that its caller may still read it. */
  streamRecheckMs: number;
}
