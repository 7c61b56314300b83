/**
 * TAP 1.1 asynchronous queries as UWS 1.1 jobs, under /api/vo/tap/async:
 *
 *   GET  /async                         the caller's jobs (PHASE=…, LAST=n filter)
 *   POST /async                         a new job from TAP parameters (PHASE=RUN starts it) → 303
 *   GET  /async/{id}                    the job (WAIT=s blocks while it is active, UWS 1.1)
 *   POST /async/{id}                    ACTION=DELETE, or more parameters while PENDING → 303
 *   DELETE /async/{id}                  → 303 to the list
 *   GET|POST /async/{id}/phase          PHASE=RUN | ABORT
 *   GET|POST /async/{id}/executionduration, /destruction
 *   GET  /async/{id}/quote, /owner, /error, /parameters, /results, /results/result
 *
 * A job belongs to the account that created it (anonymous jobs, with AIMS_PUBLIC_READ, to nobody
 * and are found by their unguessable id); other callers get 404, admins see every job.
 */

import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TapJob } from '../../db/tap-jobs.repository.js';
import { type TapJobs, UwsError } from '../../vo/tap/tap-jobs.js';
import { uwsJob, uwsJobList, uwsParameters, uwsResults } from '../../vo/tap/uws.js';
import { siaErrorVotable, VOTABLE_CONTENT_TYPE } from '../../vo/votable.js';
import { daliParams, requestBase } from '../dali-request.js';

const XML = 'text/xml; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';

export function registerTapAsync(app: FastifyInstance, jobs: TapJobs): void {
  const read = { access: 'read' as const };
  const tags = ['vo'];
  const schema = (summary: string) => ({ tags, summary });
  const listUrl = (request: FastifyRequest) => `${requestBase(request)}/api/vo/tap/async`;
  const owner = (job: TapJob) => (job.ownerId === null ? null : String(job.ownerId));

  /** The job of the path, if the caller may see it; else a 404 has been sent. */
  async function jobOf(request: FastifyRequest, reply: FastifyReply): Promise<TapJob | null> {
    const { id } = request.params as { id: string };
    const job = await jobs.get(id);
    const user = request.user;
    if (job && (job.ownerId === (user?.id ?? null) || user?.role === 'admin')) return job;
    await reply.code(404).type(TEXT).send(`no job ${id}`);
    return null;
  }
  const seeJob = (request: FastifyRequest, reply: FastifyReply, id: string) =>
    reply
      .code(303)
      .header('location', `${listUrl(request)}/${id}`)
      .send();

  app.get('/vo/tap/async', { config: read, schema: schema("TAP async: the caller's jobs") }, async (request, reply) => {
    const params = daliParams(request);
    const phases = params.get('PHASE')?.map((p) => p.toUpperCase()) as TapJob['phase'][] | undefined;
    const last = params.get('LAST')?.at(-1);
    const list = await jobs.list(request.user?.id ?? null, {
      ...(phases ? { phases } : {}),
      ...(last !== undefined && /^\d+$/.test(last) ? { last: Number(last) } : {}),
    });
    return reply.type(XML).send(uwsJobList(list, listUrl(request), owner));
  });

  app.post('/vo/tap/async', { config: read, schema: schema('TAP async: create a job') }, async (request, reply) => {
    const job = await jobs.create(daliParams(request), request.user?.id ?? null, requestBase(request));
    return seeJob(request, reply, job.id);
  });

  app.get('/vo/tap/async/:id', { config: read, schema: schema('TAP async: a job') }, async (request, reply) => {
    let job = await jobOf(request, reply);
    if (!job) return reply;
    const params = daliParams(request);
    const wait = params.get('WAIT')?.at(-1);
    if (wait !== undefined) {
      const seconds = wait === '-1' ? 60 : Number(wait);
      if (!Number.isFinite(seconds) || seconds < 0) throw new UwsError(`WAIT=${wait} is not a number of seconds`);
      job = (await jobs.waitForChange(job.id, params.get('PHASE')?.at(-1), seconds)) ?? job;
    }
    return reply.type(XML).send(uwsJob(job, `${listUrl(request)}/${job.id}`, owner(job)));
  });

  const remove = async (request: FastifyRequest, reply: FastifyReply) => {
    const job = await jobOf(request, reply);
    if (!job) return reply;
    await jobs.delete(job);
    return reply.code(303).header('location', listUrl(request)).send();
  };
  app.delete('/vo/tap/async/:id', { config: read, schema: schema('TAP async: delete a job') }, remove);
  app.post(
    '/vo/tap/async/:id',
    { config: read, schema: schema('TAP async: delete a job or set parameters') },
    async (request, reply) => {
      const params = daliParams(request);
      if (params.get('ACTION')?.at(-1)?.toUpperCase() === 'DELETE') return remove(request, reply);
      const job = await jobOf(request, reply);
      if (!job) return reply;
      await jobs.setParameters(job, params);
      return seeJob(request, reply, job.id);
    },
  );

  app.get('/vo/tap/async/:id/phase', { config: read, schema: schema('TAP async: phase') }, async (request, reply) => {
    const job = await jobOf(request, reply);
    return job ? reply.type(TEXT).send(job.phase) : reply;
  });
  app.post(
    '/vo/tap/async/:id/phase',
    { config: read, schema: schema('TAP async: run or abort') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      if (!job) return reply;
      const phase = daliParams(request).get('PHASE')?.at(-1);
      if (phase === undefined) throw new UwsError('PHASE is required (RUN or ABORT)');
      await jobs.phase(job, phase);
      return seeJob(request, reply, job.id);
    },
  );

  app.get(
    '/vo/tap/async/:id/executionduration',
    { config: read, schema: schema('TAP async: execution duration') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      return job ? reply.type(TEXT).send(String(job.executionDurationS)) : reply;
    },
  );
  app.post(
    '/vo/tap/async/:id/executionduration',
    { config: read, schema: schema('TAP async: set the execution duration') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      if (!job) return reply;
      await jobs.setExecutionDuration(job, daliParams(request).get('EXECUTIONDURATION')?.at(-1) ?? '');
      return seeJob(request, reply, job.id);
    },
  );
  app.get(
    '/vo/tap/async/:id/destruction',
    { config: read, schema: schema('TAP async: destruction time') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      return job ? reply.type(TEXT).send(new Date(job.destructionMs).toISOString()) : reply;
    },
  );
  app.post(
    '/vo/tap/async/:id/destruction',
    { config: read, schema: schema('TAP async: set the destruction time') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      if (!job) return reply;
      await jobs.setDestruction(job, daliParams(request).get('DESTRUCTION')?.at(-1) ?? '');
      return seeJob(request, reply, job.id);
    },
  );
  app.get(
    '/vo/tap/async/:id/quote',
    { config: read, schema: schema('TAP async: quote (none given)') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      return job ? reply.type(TEXT).send('') : reply;
    },
  );
  app.get('/vo/tap/async/:id/owner', { config: read, schema: schema('TAP async: owner') }, async (request, reply) => {
    const job = await jobOf(request, reply);
    return job ? reply.type(TEXT).send(owner(job) ?? '') : reply;
  });
  app.get(
    '/vo/tap/async/:id/parameters',
    { config: read, schema: schema('TAP async: parameters') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      return job ? reply.type(XML).send(uwsParameters(job)) : reply;
    },
  );
  app.post(
    '/vo/tap/async/:id/parameters',
    { config: read, schema: schema('TAP async: set parameters of a pending job') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      if (!job) return reply;
      await jobs.setParameters(job, daliParams(request));
      return seeJob(request, reply, job.id);
    },
  );
  app.get(
    '/vo/tap/async/:id/results',
    { config: read, schema: schema('TAP async: results') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      return job ? reply.type(XML).send(uwsResults(job, `${listUrl(request)}/${job.id}`)) : reply;
    },
  );
  app.get(
    '/vo/tap/async/:id/error',
    { config: read, schema: schema('TAP async: error document') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      if (!job) return reply;
      if (job.phase !== 'ERROR') return reply.code(404).type(TEXT).send(`job ${job.id} is ${job.phase}, not ERROR`);
      return reply.type(VOTABLE_CONTENT_TYPE).send(siaErrorVotable(job.error ?? 'FatalFault: the job failed'));
    },
  );
  app.get(
    '/vo/tap/async/:id/results/result',
    { config: read, schema: schema('TAP async: the result document') },
    async (request, reply) => {
      const job = await jobOf(request, reply);
      if (!job) return reply;
      if (job.phase !== 'COMPLETED') return reply.code(404).type(TEXT).send(`job ${job.id} is ${job.phase}: no result`);
      return reply.type(job.resultType ?? VOTABLE_CONTENT_TYPE).send(Readable.from(jobs.result(job.id)));
    },
  );
}
