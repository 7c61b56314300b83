import { Type } from '@sinclair/typebox';
import { LIBRARY_ORIGINS, LIBRARY_STATES } from '../../domain/library.js';
import { IsoDateTime, Nullable, StringEnum } from './common.schemas.js';

const settings = {
  name: Type.String({ minLength: 1, maxLength: 200, description: 'shown in the UI (default: the folder name)' }),
  exclude: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
    maxItems: 100,
    description: 'globs relative to the library that discovery skips, e.g. "**/calibration-tmp/**"',
  }),
  rescan_seconds: Nullable.integer({
    minimum: 0,
    maximum: 86_400,
    description: 'seconds between full rescans (0: none; null: AIMS_RESCAN_SECONDS)',
  }),
  use_polling: Type.Boolean({ description: 'poll instead of file events (network shares deliver none)' }),
  paused: Type.Boolean({ description: 'not watched nor rescanned; its frames are still served' }),
  timezone: Nullable.string({
    maxLength: 64,
    description: 'IANA time zone for observing nights of frames without a site longitude',
  }),
  longitude_deg: Nullable.number({
    minimum: -180,
    maximum: 180,
    description: 'site longitude (east positive) for the same; wins over timezone',
  }),
};

const optionalSettings = {
  name: Type.Optional(settings.name),
  exclude: Type.Optional(settings.exclude),
  rescan_seconds: Type.Optional(settings.rescan_seconds),
  use_polling: Type.Optional(settings.use_polling),
  paused: Type.Optional(settings.paused),
  timezone: Type.Optional(settings.timezone),
  longitude_deg: Type.Optional(settings.longitude_deg),
};

export const LibraryCreateBody = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 4096, description: 'absolute folder on the server' }),
    ...optionalSettings,
  },
  { additionalProperties: false },
);

export const LibraryUpdateBody = Type.Object(optionalSettings, { additionalProperties: false, minProperties: 1 });

export const LibrarySchema = Type.Object(
  {
    id: Type.Integer(),
    path: Type.String(),
    origin: StringEnum(LIBRARY_ORIGINS, {
      description: 'config: AIMS_IMAGE_DIR/--images (not removable here); admin: API or UI; cli: aims ingest',
    }),
    ...settings,
    state: StringEnum(LIBRARY_STATES, { description: 'what the watcher of this server does with it' }),
    state_reason: Nullable.string(),
    frames: Type.Integer({ description: 'frames catalogued from this folder' }),
    created_at: IsoDateTime,
    updated_at: IsoDateTime,
  },
  { title: 'Library' },
);

export const LibraryListSchema = Type.Object({
  items: Type.Array(LibrarySchema),
  allowed_roots: Type.Array(Type.String(), {
    description: 'AIMS_LIBRARY_ROOTS: the folders inside which libraries may be added here',
  }),
});

export const LibraryDeleteQuery = Type.Object(
  {
    frames: Type.Optional(
      StringEnum(['keep', 'remove'] as const, {
        default: 'keep',
        description: 'keep: the frames stay in the catalog (no longer served); remove: they are deleted from it',
      }),
    ),
  },
  { additionalProperties: false },
);

export const LibraryDeletedSchema = Type.Object({
  id: Type.Integer(),
  path: Type.String(),
  frames: Type.Integer({ description: 'frames catalogued from the folder' }),
  frames_removed: Type.Boolean(),
});
