/**
 * Downloads of originals (users with can_download, and admins): one file with its name, SHA-256
 * and Range support; many files as a ZIP streamed on the fly. Every download is audited.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type DownloadPlan, locateOriginal, MAX_ZIP_FILES, planZip } from '../../catalog/downloads.js';
import type { LocatedFile } from '../../catalog/file-access.js';
import { openLocated } from '../../catalog/file-access.js';
import type { CatalogImage } from '../../db/image.mapper.js';
import type { AppContext } from '../app-context.js';
import { audit } from '../audit.js';
import { parseByteRange } from '../byte-range.js';
import { attachment } from '../content-disposition.js';
import { badParameter, HttpError } from '../errors.js';
import { filtersFrom } from '../image-filters.request.js';
import { errors, IdParams } from '../schemas/common.schemas.js';
import { filterProperties } from '../schemas/images.schemas.js';
import type { TypeBoxTypeProvider } from '../type-provider.js';
import { buildZip } from '../zip-archive.js';

const DownloadBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: MAX_ZIP_FILES })),
    filters: Type.Optional(
      Type.Object(filterProperties, {
        additionalProperties: false,
        patternProperties: { '^header\\.': Type.String({ maxLength: 200 }) },
      }),
    ),
    with_calibration: Type.Optional(
      Type.Boolean({
        description:
          'add the calibration frames that match the selected lights (docs/calibration.md); every file goes ' +
          "into its type's folder: lights/, darks/, flats/, biases/",
      }),
    ),
  },
  { additionalProperties: false },
);

function mediaType(fileName: string): string {
  return /\.(gz|gzip)$/i.test(fileName) ? 'application/gzip' : 'application/fits';
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

/** Streams the ZIP of a plan with its exact length; audited before the first byte. */
async function sendZip(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  plan: DownloadPlan,
  rawFilters: unknown,
) {
  const { members, missing } = plan;
  const zip = buildZip(members, plan.manifestFields, { missing });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  await audit(ctx.database, request, 'download.zip', null, {
    files: members.length,
    missing: missing.length,
    bytes: zip.size,
    ids: plan.ids.slice(0, 1000),
    ...(rawFilters ? { filters: rawFilters } : {}),
  });
  const started = Date.now();
  zip.done.then(
    ({ bytes }) => request.log.info({ files: members.length, bytes, ms: Date.now() - started }, 'ZIP sent'),
    (error: unknown) => request.log.warn({ err: error }, 'ZIP download failed'),
  );
  return reply
    .header('content-type', 'application/zip')
    .header('content-length', zip.size)
    .header('content-disposition', attachment(`aims-${stamp}.zip`))
    .header('cache-control', 'no-store')
    .send(zip.stream);
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
        const { image, file } = await locateOriginal(ctx.database, ctx.roots, request.params.id, request.log);
        return sendFile(ctx, request, reply as FastifyReply, image, file);
      },
    );

    app.post(
      '/downloads',
      {
        config: download,
        schema: {
          tags: ['downloads'],
          summary:
            'A ZIP of originals, by ids or by the catalog filters (and their calibration); streamed, with manifest.csv',
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
        const { ids, filters: rawFilters, with_calibration } = request.body;
        if ((ids === undefined) === (rawFilters === undefined))
          throw badParameter('ids', 'or filters: send exactly one of them');
        const selection = ids ? { ids } : { filters: filtersFrom(rawFilters as Record<string, unknown>) };
        const options = with_calibration ? { withCalibration: ctx.config.calibration } : {};
        const plan = await planZip(ctx.database, ctx.roots, selection, request.log, options);
        return sendZip(ctx, request, reply as FastifyReply, plan, rawFilters);
      },
    );
  };
}
