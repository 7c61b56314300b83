/** The catalog: filtered pages and exports, facets, searchable keywords, one image, previews, nights. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { imageCalibration } from '../../catalog/calibration.js';
import { exportImages } from '../../catalog/exports.js';
import { imageDetail, searchImages } from '../../catalog/images.service.js';
import { imagePreview } from '../../catalog/previews.js';
import { headerKeywords } from '../../db/header-keywords.js';
import { parseSort } from '../../db/image-filters.js';
import { imageFacets, nightsSummary } from '../../db/image-stats.js';
import type { AppContext } from '../app-context.js';
import { attachment } from '../content-disposition.js';
import { fieldsFrom, filtersFrom } from '../image-filters.request.js';
import { CalibrationReport } from '../schemas/calibration.schemas.js';
import { errors, IdParams, StringEnum } from '../schemas/common.schemas.js';
import {
  FacetsResponse,
  FilterQuery,
  ImageDetail,
  ImagePage,
  ImageQuery,
  KeywordsResponse,
  NightsResponse,
} from '../schemas/images.schemas.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';

/** A preview file, cached by the client until the frame's content changes (ETag on its hash). */
async function sendPreview(
  request: FastifyRequest,
  reply: FastifyReply,
  preview: { path: string; sha256: string },
  size: string,
) {
  const info = await stat(preview.path);
  const etag = `"${preview.sha256.slice(0, 32)}-${size}-${info.size}"`;
  void reply.header('etag', etag).header('cache-control', 'private, max-age=86400');
  if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
  return reply
    .header('content-type', preview.path.endsWith('.webp') ? 'image/webp' : 'image/png')
    .header('vary', 'Accept')
    .header('content-length', info.size)
    .send(createReadStream(preview.path));
}

export function imagesRoutes(ctx: AppContext) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const read = { access: 'read' as const };

    app.get(
      '/images',
      {
        config: read,
        schema: {
          tags: ['catalog'],
          summary: 'Search the catalog: filters, sort, pages (offset or keyset cursor), fields; CSV/JSON export',
          description:
            'Without `format`: one page, `{total, items, next_cursor}`. With `format=csv` or `format=json`: every ' +
            'match (sorted, `fields` honoured) as a downloadable file, streamed.',
          querystring: ImageQuery,
          response: { 200: ImagePage, ...errors(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const search = { filters: filtersFrom(q), sort: parseSort(q.sort, q.order), fields: fieldsFrom(q.fields) };
        if (!q.format)
          return searchImages(ctx.database, {
            ...search,
            limit: q.limit ?? 50,
            offset: q.offset ?? 0,
            cursor: q.cursor,
          });
        const file = await exportImages(ctx.database, search, q.format);
        return (reply as FastifyReply)
          .header('content-type', file.mediaType)
          .header('content-disposition', attachment(file.fileName))
          .send(Readable.from(file.lines, { objectMode: false }));
      },
    );

    app.get(
      '/images/facets',
      {
        config: read,
        schema: {
          tags: ['catalog'],
          summary: 'Counts per filter, object, telescope, camera, instrument, night and image type',
          querystring: Type.Composite(
            [FilterQuery, Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) })],
            {
              additionalProperties: false,
              patternProperties: { '^header\\.': Type.String({ maxLength: 200 }) },
            },
          ),
          response: { 200: FacetsResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => imageFacets(ctx.database, filtersFrom(request.query), { limit: request.query.limit ?? 100 }),
    );

    app.get(
      '/images/keywords',
      {
        config: read,
        schema: {
          tags: ['catalog'],
          summary: 'The header keywords that header.KEY filters can search (for suggestions)',
          description: 'One index probe per keyword, whatever the number of frames; kept by the client a minute.',
          response: { 200: KeywordsResponse, ...errors(401, 403) },
        },
      },
      async (_request, reply) => {
        void reply.header('cache-control', 'private, max-age=60');
        return headerKeywords(ctx.database);
      },
    );

    app.get(
      '/images/:id',
      {
        config: read,
        schema: {
          tags: ['catalog'],
          summary: 'One image: every field, all headers, quality components, other paths (copies, moves)',
          params: IdParams,
          response: { 200: ImageDetail, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => imageDetail(ctx.database, request.params.id),
    );

    app.get(
      '/images/:id/calibration',
      {
        config: read,
        schema: {
          tags: ['catalog'],
          summary: 'The bias, dark and flat frames that calibrate a light frame, why each matched, what is missing',
          description: 'The rules and their settings: docs/calibration.md (AIMS_CALIBRATION_* variables).',
          params: IdParams,
          response: { 200: CalibrationReport, ...errors(400, 401, 403, 404) },
        },
      },
      async (request) => imageCalibration(ctx.database, request.params.id, ctx.config.calibration),
    );

    app.get(
      '/images/:id/preview',
      {
        config: read,
        schema: {
          tags: ['catalog'],
          summary: 'A preview (thumb ~256 px or medium ~1024 px; WebP when accepted, else PNG)',
          params: IdParams,
          querystring: Type.Object(
            {
              size: Type.Optional(StringEnum(['thumb', 'medium'], { default: 'thumb' })),
            },
            { additionalProperties: false },
          ),
          produces: ['image/webp', 'image/png'],
          response: {
            200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'image/webp or image/png' }),
            304: Type.Null(),
            ...errors(400, 401, 403, 404, 503),
          },
        },
      },
      async (request, reply) => {
        const size = request.query.size ?? 'thumb';
        const { id } = request.params;
        // A client that leaves before the answer stops waiting for a render (preview-renders.ts).
        const left = new AbortController();
        const onClose = () => {
          if (!reply.raw.writableFinished) left.abort(new Error('the client left'));
        };
        reply.raw.once('close', onClose);
        const found = { id, size, accept: request.headers.accept, signal: left.signal };
        const preview = await imagePreview(ctx.database, ctx.previews, found, request.log).finally(() =>
          reply.raw.off('close', onClose),
        );
        return sendPreview(request, reply as FastifyReply, preview, size);
      },
    );

    app.get(
      '/nights',
      {
        config: read,
        schema: {
          tags: ['catalog'],
          summary: 'Per observing night: frames, exposure, median FWHM, temperature range, quality',
          querystring: Type.Composite(
            [FilterQuery, Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) })],
            {
              additionalProperties: false,
              patternProperties: { '^header\\.': Type.String({ maxLength: 200 }) },
            },
          ),
          response: { 200: NightsResponse, ...errors(400, 401, 403) },
        },
      },
      async (request) => ({
        items: await nightsSummary(ctx.database, filtersFrom(request.query), { limit: request.query.limit ?? 366 }),
      }),
    );
  };
}
