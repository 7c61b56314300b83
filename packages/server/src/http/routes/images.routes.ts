/** The catalog: filtered pages and exports, facets, one image, previews, nights. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '../../db/connection.js';
import type { ImageFilters, SortSpec } from '../../db/image-filters.js';
import { countImages, iterateImages, queryImages } from '../../db/image-query.js';
import { imageFacets, nightsSummary } from '../../db/image-stats.js';
import { getImage } from '../../db/images.repository.js';
import { CSV_EXPORT_FIELDS } from '../../domain/image-fields.js';
import type { AppContext } from '../app-context.js';
import { attachment } from '../content-disposition.js';
import { csvRow } from '../csv.js';
import { notFound } from '../errors.js';
import { fieldsFrom, filtersFrom, pick, queryHttpError, sortFrom } from '../image-filters.query.js';
import { previewFile } from '../previews.js';
import { errors, IdParams, StringEnum } from '../schemas/common.schemas.js';
import {
  FacetsResponse,
  FilterQuery,
  ImageDetail,
  ImagePage,
  ImageQuery,
  NightsResponse,
} from '../schemas/images.schemas.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';

function exportStream(
  db: Db,
  filters: ImageFilters,
  sort: SortSpec,
  fields: string[] | null,
  format: 'csv' | 'json',
): Readable {
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') {
      const columns = fields ?? CSV_EXPORT_FIELDS;
      yield csvRow(columns);
      for await (const image of iterateImages(db, filters, { sort }))
        yield csvRow(columns.map((c) => (image as unknown as Record<string, unknown>)[c]));
      return;
    }
    yield '[';
    let first = true;
    for await (const image of iterateImages(db, filters, { sort })) {
      yield `${first ? '\n' : ',\n'}${JSON.stringify(pick(image, fields))}`;
      first = false;
    }
    yield '\n]\n';
  }
  return Readable.from(lines(), { objectMode: false });
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
        const filters = filtersFrom(q);
        const sort = sortFrom(q.sort, q.order);
        const fields = fieldsFrom(q.fields);
        if (q.format) {
          // Surface a bad filter as a 400 before the first byte is sent.
          await countImages(ctx.database, filters).catch((e: unknown) => {
            throw queryHttpError(e);
          });
          const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
          return (reply as FastifyReply)
            .header('content-type', q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
            .header('content-disposition', attachment(`aims-images-${stamp}.${q.format}`))
            .send(exportStream(ctx.database, filters, sort, fields, q.format));
        }
        try {
          const page = await queryImages(ctx.database, filters, {
            sort,
            limit: q.limit ?? 50,
            offset: q.offset ?? 0,
            cursor: q.cursor,
          });
          return {
            total: page.total ?? 0,
            items: page.items.map((i) => pick(i, fields)),
            next_cursor: page.next_cursor,
          };
        } catch (error) {
          throw queryHttpError(error);
        }
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
      async (request) => {
        const filters = filtersFrom(request.query);
        return imageFacets(ctx.database, filters, { limit: request.query.limit ?? 100 }).catch((e: unknown) => {
          throw queryHttpError(e);
        });
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
      async (request) => {
        const image = await getImage(ctx.database, request.params.id);
        if (!image) throw notFound(`no image ${request.params.id}`);
        return image;
      },
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
            ...errors(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const size = request.query.size ?? 'thumb';
        const image = await getImage(ctx.database, request.params.id);
        if (!image) throw notFound(`no image ${request.params.id}`);
        const file = await previewFile(ctx, image, size, request.log, request.headers.accept);
        if (!file) throw notFound(`no ${size} preview of image ${image.id}`);
        const info = await stat(file);
        const etag = `"${image.sha256.slice(0, 32)}-${size}-${info.size}"`;
        void reply.header('etag', etag).header('cache-control', 'private, max-age=86400');
        if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
        return reply
          .header('content-type', file.endsWith('.webp') ? 'image/webp' : 'image/png')
          .header('vary', 'Accept')
          .header('content-length', info.size)
          .send(createReadStream(file));
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
      async (request) => {
        const filters = filtersFrom(request.query);
        const items = await nightsSummary(ctx.database, filters, { limit: request.query.limit ?? 366 }).catch(
          (e: unknown) => {
            throw queryHttpError(e);
          },
        );
        return { items };
      },
    );
  };
}
