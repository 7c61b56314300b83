/**
 * IVOA DataLink and SODA for the frames of the catalog (each ObsCore record's access_url):
 *
 *   GET|POST /api/vo/datalink?ID=…   DataLink 1.1 {links}: #this, #preview, #cutout ('read')
 *   GET|POST /api/vo/soda?ID=…&CIRCLE=…|POLYGON=…|POS=…|PIXEL=…
 *                                    SODA 1.0 sync: a FITS cutout ('download'; audited)
 *
 * Bad parameters are DALI errors (400, message starting with "UsageFault: "): a VOTable from
 * DataLink, text/plain from SODA (SODA §5.2).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { locateOriginal } from '../../catalog/downloads.js';
import { getImages } from '../../db/images.repository.js';
import { mayDownload } from '../../domain/user.js';
import { DaliParameterError } from '../../vo/dali-params.js';
import { DATALINK_CONTENT_TYPE, type DatalinkEntry, datalinkVotable } from '../../vo/datalink.js';
import { idFromPublisherDid, publisherDid } from '../../vo/obscore.columns.js';
import { parseSodaRequest } from '../../vo/soda.js';
import type { AppContext } from '../app-context.js';
import { audit } from '../audit.js';
import { attachment } from '../content-disposition.js';
import { voErrorHandler } from '../errors.js';
import { acceptFormPosts, baseUrl, daliParams } from '../vo-request.js';

/** IDs one DataLink request may ask for. */
const MAX_DATALINK_IDS = 1000;

/** SODA errors are text/plain documents starting with the fault (SODA 1.0 §5.2). */
function sodaErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof DaliParameterError) {
    request.log.info({ reason: error.message }, 'bad SODA request');
    void reply.code(400).type('text/plain; charset=utf-8').send(`UsageFault: ${error.message}\n`);
    return;
  }
  voErrorHandler(error, request, reply);
}

export function datalinkRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    const tags = ['vo'];
    app.setErrorHandler(voErrorHandler);
    acceptFormPosts(app);

    app.route({
      method: ['GET', 'POST'],
      url: '/vo/datalink',
      config: { access: 'read' },
      schema: { tags, summary: 'IVOA DataLink 1.1 links of frames: the original, a preview, SODA cutouts' },
      handler: async (request, reply) => {
        const ids = daliParams(request).get('ID') ?? [];
        if (ids.length === 0) throw new DaliParameterError('ID: required');
        if (ids.length > MAX_DATALINK_IDS) throw new DaliParameterError(`ID: at most ${MAX_DATALINK_IDS} per request`);
        const wanted = ids.map((id) => ({ id, image: idFromPublisherDid(id) }));
        const numbers = wanted.flatMap((w) => (w.image !== null && publisherDid(w.image) === w.id ? [w.image] : []));
        const found = new Map((await getImages(ctx.database, numbers)).map((i) => [i.id, i]));
        const allowed = request.user !== null && mayDownload(request.user);
        const entries: DatalinkEntry[] = wanted.map(({ id, image }) => {
          const hit = image === null ? undefined : found.get(image);
          return hit && publisherDid(hit.id) === id ? { id, image: hit, mayDownload: allowed } : { id, image: null };
        });
        const body = datalinkVotable(entries, { baseUrl: baseUrl(request) });
        return reply.code(200).type(DATALINK_CONTENT_TYPE).send(body);
      },
    });

    app.register(async (soda) => {
      soda.setErrorHandler(sodaErrorHandler);
      soda.route({
        method: ['GET', 'POST'],
        url: '/vo/soda',
        config: { access: 'download' },
        schema: {
          tags,
          summary: 'IVOA SODA 1.0 sync: a FITS cutout of a frame, WCS kept',
          produces: ['application/fits'],
        },
        handler: async (request, reply) => {
          const params = daliParams(request);
          const sodaRequest = parseSodaRequest(params);
          const { image, file } = await locateOriginal(ctx.database, ctx.roots, sodaRequest.id, request.log);
          // A client that leaves stops its cutout (queued, or its thread stopped).
          const left = new AbortController();
          const onClose = () => {
            if (!reply.raw.writableFinished) left.abort(new Error('the client left'));
          };
          reply.raw.once('close', onClose);
          const job = {
            path: file.path,
            hduIndex: image.hdu_index,
            params,
            maxInflateRatio: ctx.config.maxInflateRatio,
            label: `image ${image.id}`,
          };
          const cutout = await ctx.cutouts(job, left.signal).finally(() => reply.raw.off('close', onClose));
          if (!cutout.ok) throw new DaliParameterError(cutout.message);
          await audit(ctx.database, request, 'download.cutout', `image:${image.id}`, { box: cutout.box });
          return reply
            .code(200)
            .type('application/fits')
            .header('content-disposition', attachment(`aims-${image.id}-cutout.fits`))
            .send(Buffer.from(cutout.bytes.buffer, cutout.bytes.byteOffset, cutout.bytes.byteLength));
        },
      });
    });
  };
}
