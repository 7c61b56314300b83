/**
 * Downloads of originals (users with can_download, and admins): one file with its name, SHA-256
 * and Range support; many files as a ZIP streamed on the fly. Every download is audited.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogImage } from '../../db/image.mapper.js';
import type { ImageFilters } from '../../db/image-filters.js';
import { countImages, iterateImages } from '../../db/image-query.js';
import { getImage, getImages } from '../../db/images.repository.js';
import { MANIFEST_FIELDS } from '../../domain/image-fields.js';
import type { AppContext } from '../app-context.js';
import { audit } from '../audit.js';
import { parseByteRange } from '../byte-range.js';
import { attachment } from '../content-disposition.js';
import { badParameter, HttpError, notFound } from '../errors.js';
import { FileAccessError, type LocatedFile, openLocated, resolveImageFile } from '../file-access.js';
import { filtersFrom, queryHttpError } from '../image-filters.query.js';
import { errors, IdParams } from '../schemas/common.schemas.js';
import { filterProperties } from '../schemas/images.schemas.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';
import { buildZip, type ZipMember, type ZipMissing } from '../zip-archive.js';

/**
 * At most this many files per ZIP: every entry's size is read before the first byte (for the exact
 * Content-Length) and the writer keeps one small record per entry for the central directory.
 */
export const MAX_ZIP_FILES = 100_000;

const DownloadBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: MAX_ZIP_FILES })),
    filters: Type.Optional(
      Type.Object(filterProperties, {
        additionalProperties: false,
        patternProperties: { '^header\\.': Type.String({ maxLength: 200 }) },
      }),
    ),
  },
  { additionalProperties: false },
);

/** What a ZIP needs to know about one image. */
interface ZipImage {
  id: number;
  root: string;
  rel_path: string;
  file_name: string;
  sha256: string;
  metadata: unknown[];
}

function zipImage(image: CatalogImage): ZipImage {
  return {
    id: image.id,
    root: image.root,
    rel_path: image.rel_path,
    file_name: image.file_name,
    sha256: image.sha256,
    metadata: MANIFEST_FIELDS.map((f) => image[f]),
  };
}

function mediaType(fileName: string): string {
  return /\.(gz|gzip)$/i.test(fileName) ? 'application/gzip' : 'application/fits';
}

/** The name of each file inside the ZIP: its own, made unique with the image id when two clash. */
export function uniqueNames(images: Array<Pick<CatalogImage, 'id' | 'file_name'>>): string[] {
  const counts = new Map<string, number>();
  for (const i of images) counts.set(i.file_name, (counts.get(i.file_name) ?? 0) + 1);
  return images.map((i) => {
    if (counts.get(i.file_name) === 1) return i.file_name;
    const dot = i.file_name.indexOf('.');
    return dot > 0 ? `${i.file_name.slice(0, dot)}_${i.id}${i.file_name.slice(dot)}` : `${i.file_name}_${i.id}`;
  });
}

async function locate(ctx: AppContext, image: Parameters<typeof resolveImageFile>[1], request: FastifyRequest) {
  try {
    return await resolveImageFile(ctx.config.imageDirs, image);
  } catch (error) {
    if (!(error instanceof FileAccessError)) throw error;
    request.log.warn({ reason: error.code, detail: error.message }, 'original not served');
    return null;
  }
}

async function sendFile(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  image: CatalogImage,
  file: LocatedFile,
) {
  const size = file.size;
  // The catalog's hash describes the file only while its length is what was ingested.
  const hashKnown = size === image.size_bytes;
  void reply
    .header('content-type', mediaType(image.file_name))
    .header('content-disposition', attachment(image.file_name))
    .header('accept-ranges', 'bytes')
    .header('last-modified', file.mtime.toUTCString())
    .header('cache-control', 'private, no-transform');
  if (hashKnown) {
    const b64 = Buffer.from(image.sha256, 'hex').toString('base64');
    void reply
      .header('etag', `"${image.sha256}"`)
      .header('x-content-sha256', image.sha256)
      .header('digest', `sha-256=${b64}`)
      .header('repr-digest', `sha-256=:${b64}:`);
  } else request.log.warn({ image_id: image.id }, 'file changed since ingest: no digest sent');

  const range = parseByteRange(request.headers.range, size);
  if (range === 'unsatisfiable') {
    void reply.header('content-range', `bytes */${size}`);
    throw new HttpError(416, `the range is outside the file (${size} bytes)`);
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  // A HEAD request transfers nothing: not a download.
  if (request.method !== 'HEAD')
    await audit(ctx.database, request, 'download.file', `image:${image.id}`, {
      file: image.file_name,
      bytes: end - start + 1,
      ...(range ? { range: `${start}-${end}` } : {}),
    });
  if (range) void reply.code(206).header('content-range', `bytes ${start}-${end}/${size}`);
  void reply.header('content-length', end - start + 1);
  if (request.method === 'HEAD') {
    // Fastify would send Content-Length: 0 for an empty HEAD body; the file's headers are the answer.
    reply.hijack();
    reply.raw.writeHead(reply.statusCode, reply.getHeaders() as Record<string, string>);
    reply.raw.end();
    return reply;
  }
  if (size === 0) return reply.send('');
  const handle = await openLocated(file);
  return reply.send(handle.createReadStream({ start, end, autoClose: true }));
}

export function downloadsRoutes(ctx: AppContext) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const download = { access: 'download' as const };

    app.get(
      '/images/:id/download',
      {
        config: download,
        schema: {
          tags: ['downloads'],
          summary: 'The original file (Range requests; SHA-256 in X-Content-SHA256, Digest and ETag)',
          params: IdParams,
          produces: ['application/fits'],
          response: {
            200: Type.Unsafe<unknown>({ type: 'string', format: 'binary' }),
            206: Type.Unsafe<unknown>({ type: 'string', format: 'binary' }),
            ...errors(400, 401, 403, 404, 416),
          },
        },
      },
      async (request, reply) => {
        const image = await getImage(ctx.database, request.params.id);
        if (!image) throw notFound(`no image ${request.params.id}`);
        const file = await locate(ctx, image, request);
        if (!file) throw notFound(`the original file of image ${image.id} is not available`);
        return sendFile(ctx, request, reply as FastifyReply, image, file);
      },
    );

    app.post(
      '/downloads',
      {
        config: download,
        schema: {
          tags: ['downloads'],
          summary: 'A ZIP of originals, by ids or by the catalog filters; streamed, with manifest.csv',
          description:
            `Send exactly one of \`ids\` or \`filters\` (the filters of GET /api/images), at most ${MAX_ZIP_FILES} ` +
            'files. Entries are stored (not deflated); manifest.csv lists name, size and SHA-256 of every file ' +
            '(computed while streaming, next to the catalog value) with its metadata. Content-Length is exact.',
          body: DownloadBody,
          produces: ['application/zip'],
          response: {
            200: Type.Unsafe<unknown>({ type: 'string', format: 'binary' }),
            ...errors(400, 401, 403, 404, 413),
          },
        },
      },
      async (request, reply) => {
        const { ids, filters: rawFilters } = request.body;
        if ((ids === undefined) === (rawFilters === undefined))
          throw badParameter('ids', 'or filters: send exactly one of them');
        // Only what the ZIP needs is kept per file: 100,000 full catalog items would be hundreds of MB.
        let images: ZipImage[];
        if (ids) {
          const unique = [...new Set(ids)];
          images = [];
          for (let i = 0; i < unique.length; i += 1000)
            for (const image of await getImages(ctx.database, unique.slice(i, i + 1000))) images.push(zipImage(image));
          if (images.length < unique.length) {
            const found = new Set(images.map((i) => i.id));
            const absent = unique.filter((id) => !found.has(id));
            throw notFound(`no image ${absent.slice(0, 10).join(', ')}${absent.length > 10 ? ', …' : ''}`);
          }
        } else {
          const filters: ImageFilters = filtersFrom(rawFilters as Record<string, unknown>);
          const total = await countImages(ctx.database, filters).catch((e: unknown) => {
            throw queryHttpError(e);
          });
          if (total > MAX_ZIP_FILES)
            throw new HttpError(413, `${total} files match: narrow the filters to at most ${MAX_ZIP_FILES}`);
          images = [];
          for await (const image of iterateImages(ctx.database, filters)) images.push(zipImage(image));
        }
        if (images.length === 0) throw notFound('no image matches');

        const names = uniqueNames(images);
        const members: ZipMember[] = [];
        const missing: ZipMissing[] = [];
        for (const [index, image] of images.entries()) {
          const metadata = image.metadata;
          // Copies are looked up only when the primary path fails (getImages has no paths).
          const file =
            (await locate(ctx, image, request)) ??
            (await getImage(ctx.database, image.id).then((d) => (d ? locate(ctx, d, request) : null)));
          const name = names[index] ?? image.file_name;
          if (!file) {
            missing.push({ name, catalogSha256: image.sha256, metadata });
            continue;
          }
          members.push({
            name,
            size: file.size,
            mtime: file.mtime,
            catalogSha256: image.sha256,
            metadata,
            open: () => openLocated(file),
          });
        }
        if (members.length === 0) throw notFound('none of the selected files is available');

        const zip = buildZip(members, [...MANIFEST_FIELDS], { missing });
        const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
        await audit(ctx.database, request, 'download.zip', null, {
          files: members.length,
          missing: missing.length,
          bytes: zip.size,
          ids: images.slice(0, 1000).map((i) => i.id),
          ...(rawFilters ? { filters: rawFilters } : {}),
        });
        const started = Date.now();
        zip.done.then(
          ({ bytes }) => request.log.info({ files: members.length, bytes, ms: Date.now() - started }, 'ZIP sent'),
          (error: unknown) => request.log.warn({ err: error }, 'ZIP download failed'),
        );
        return (reply as FastifyReply)
          .header('content-type', 'application/zip')
          .header('content-length', zip.size)
          .header('content-disposition', attachment(`aims-${stamp}.zip`))
          .header('cache-control', 'no-store')
          .send(zip.stream);
      },
    );
  };
}
