/** Libraries: the folders AIMS watches and serves, added, changed and removed by admins. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { addLibrary, editLibrary, removeLibrary } from '../../catalog/libraries.service.js';
import { LibraryError } from '../../catalog/library-errors.js';
import { countFramesByRoot, getLibrary, listLibraries } from '../../db/libraries.repository.js';
import type { Library } from '../../domain/library.js';
import type { AppContext } from '../app-context.js';
import { audit } from '../audit.js';
import { HttpError } from '../errors.js';
import { errors, IdParams } from '../schemas/common.schemas.js';
import {
  LibraryCreateBody,
  LibraryDeletedSchema,
  LibraryDeleteQuery,
  LibraryListSchema,
  LibrarySchema,
  LibraryUpdateBody,
} from '../schemas/libraries.schemas.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';

export function librariesRoutes(ctx: AppContext) {
  const rules = { allowedRoots: ctx.config.libraryRoots, dataDir: ctx.config.dataDir };

  /** A library with what this process's watcher does with it and its frame count. */
  const view = (library: Library, frames: number) => {
    const watched = ctx.ingest?.libraryState?.(library.id);
    return {
      ...library,
      state: library.paused ? ('paused' as const) : (watched?.state ?? ('unwatched' as const)),
      state_reason: library.paused ? null : (watched?.reason ?? null),
      frames,
    };
  };
  /** After a change: the served roots and the watchers follow at once. */
  const changed = async () => {
    await ctx.roots.refresh();
    await ctx.ingest?.librariesChanged?.();
  };

  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const admin = { access: 'admin' as const };

    app.get(
      '/admin/libraries',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'Every library with its state and frame count, and the folders new ones may be in',
          response: { 200: LibraryListSchema, ...errors(401, 403) },
        },
      },
      async () => {
        const libraries = await listLibraries(ctx.database);
        const frames = await countFramesByRoot(
          ctx.database,
          libraries.map((l) => l.path),
        );
        return {
          items: libraries.map((l) => view(l, frames.get(l.path) ?? 0)),
          allowed_roots: ctx.config.libraryRoots,
        };
      },
    );

    app.post(
      '/admin/libraries',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'Add a library: watched and served at once (inside AIMS_LIBRARY_ROOTS only)',
          body: LibraryCreateBody,
          response: { 201: LibrarySchema, ...errors(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const library = await addLibrary(ctx.database, rules, request.body, 'admin');
        await audit(ctx.database, request, 'library.add', `library:${library.id}`, { path: library.path });
        await changed();
        return reply.code(201).send(view(library, 0));
      },
    );

    const update = async (id: number, patch: typeof LibraryUpdateBody.static, request: Parameters<typeof audit>[1]) => {
      const library = await editLibrary(ctx.database, id, patch);
      await audit(ctx.database, request, 'library.update', `library:${id}`, { path: library.path, changes: patch });
      await changed();
      return view(library, (await countFramesByRoot(ctx.database, [library.path])).get(library.path) ?? 0);
    };
    const updateSchema = {
      tags: ['admin'],
      params: IdParams,
      body: LibraryUpdateBody,
      response: { 200: LibrarySchema, ...errors(400, 401, 403, 404, 409) },
    };
    app.put(
      '/admin/libraries/:id',
      { config: admin, schema: { ...updateSchema, summary: 'Change the settings of a library (pause, resume…)' } },
      async (request) => update(request.params.id, request.body, request),
    );
    app.patch(
      '/admin/libraries/:id',
      { config: admin, schema: { ...updateSchema, summary: 'Change some settings of a library (as PUT)' } },
      async (request) => update(request.params.id, request.body, request),
    );

    app.delete(
      '/admin/libraries/:id',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'Remove a library; its frames stay in the catalog (frames=keep) or go (frames=remove)',
          params: IdParams,
          querystring: LibraryDeleteQuery,
          response: { 200: LibraryDeletedSchema, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const frames = request.query.frames ?? 'keep';
        const removed = await removeLibrary(ctx.database, request.params.id, frames);
        await audit(ctx.database, request, 'library.remove', `library:${removed.library.id}`, {
          path: removed.library.path,
          frames: removed.frames,
          frames_removed: removed.frames_removed,
        });
        await changed();
        return {
          id: removed.library.id,
          path: removed.library.path,
          frames: removed.frames,
          frames_removed: removed.frames_removed,
        };
      },
    );

    app.post(
      '/admin/libraries/:id/rescan',
      {
        config: admin,
        schema: {
          tags: ['admin'],
          summary: 'Rescan one library now',
          params: IdParams,
          response: { 202: Type.Object({ started: Type.Boolean() }), ...errors(401, 403, 404, 409, 503) },
        },
      },
      async (request, reply) => {
        const library = await getLibrary(ctx.database, request.params.id);
        if (!library) throw new LibraryError('LIBRARY_NOT_FOUND', `no library ${request.params.id}`);
        if (library.paused)
          throw new LibraryError('LIBRARY_PAUSED', `library ${library.id} is paused: resume it to scan it`);
        if (!ctx.ingest?.rescanLibrary) throw new HttpError(503, 'ingest is not running in this process');
        await ctx.ingest.librariesChanged?.();
        const started = await ctx.ingest.rescanLibrary(library.id);
        await audit(ctx.database, request, 'library.rescan', `library:${library.id}`, { path: library.path });
        return reply.code(202).send({ started });
      },
    );
  };
}
