/**
 * Asynchronous TAP queries as UWS 1.1 jobs, kept in the catalog (db/tap-jobs.repository.ts) so
 * that every server process sees the same jobs and any of them may run a queued one.
 *
 *   new TapJobs(database, tap, { processId })
 *   .create(params, ownerId)          PENDING, or QUEUED with PHASE=RUN
 *   .phase(job, 'RUN' | 'ABORT')      PENDING → QUEUED; PENDING/QUEUED/EXECUTING → ABORTED
 *   .start() / .stop()                the runner: claims QUEUED jobs (one at a time per process),
 *                                     runs them within their execution duration, stores the result;
 *                                     deletes jobs past their destruction time. stop() puts running
 *                                     jobs back in the queue, so a restart loses none.
 *   .waitForChange(id, phase, s)      UWS 1.1 blocking poll (WAIT)
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/connection.js';
import {
  claimQueuedTapJob,
  createTapJob,
  deleteExpiredTapJobs,
  deleteTapJob,
  failStaleTapJobs,
  getTapJob,
  listTapJobs,
  readTapResult,
  saveTapResult,
  type TapJob,
  type UwsPhase,
  updateTapJob,
} from '../../db/tap-jobs.repository.js';
import type { DaliParams } from '../dali-params.js';
import { TapError, type TapService } from './tap.service.js';

/** Parameters that steer the job itself rather than the query. */
const UWS_PARAMETERS = new Set(['PHASE', 'RUNID', 'EXECUTIONDURATION', 'DESTRUCTION', 'ACTION', 'WAIT']);
const ACTIVE: UwsPhase[] = ['PENDING', 'QUEUED', 'EXECUTING'];

export class UwsError extends Error {
  override readonly name = 'UwsError';
}

export class TapJobs {
  private readonly running = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private stopping = false;
  private lastSweep = 0;

  constructor(
    private readonly database: Database,
    private readonly tap: TapService,
    private readonly options: { processId: string; pollMs?: number } = { processId: randomBytes(6).toString('hex') },
  ) {}

  async create(params: DaliParams, ownerId: number | null, baseUrl: string, now = Date.now()): Promise<TapJob> {
    const limits = this.tap.limits;
    const parameters: Record<string, string[]> = {};
    for (const [name, values] of params) if (!UWS_PARAMETERS.has(name)) parameters[name] = values;
    const run = params.get('PHASE')?.at(-1)?.toUpperCase();
    if (run !== undefined && run !== 'RUN')
      throw new UwsError(`PHASE=${run} is not allowed when creating a job; use RUN`);
    const job: TapJob = {
      id: randomBytes(12).toString('hex'),
      ownerId,
      phase: run === 'RUN' ? 'QUEUED' : 'PENDING',
      runId: params.get('RUNID')?.at(-1) ?? null,
      parameters,
      baseUrl,
      executionDurationS: this.duration(params.get('EXECUTIONDURATION')?.at(-1)),
      createdMs: now,
      startedMs: null,
      endedMs: null,
      destructionMs: now + limits.retentionSeconds * 1000,
      error: null,
      resultType: null,
      resultRows: null,
    };
    const destruction = params.get('DESTRUCTION')?.at(-1);
    if (destruction !== undefined) job.destructionMs = this.destruction(destruction, now);
    await createTapJob(this.database, job);
    if (job.phase === 'QUEUED') this.nudge();
    return job;
  }

  get(id: string): Promise<TapJob | null> {
    return getTapJob(this.database, id);
  }

  list(ownerId: number | null, filter: { phases?: UwsPhase[]; last?: number }): Promise<TapJob[]> {
    return listTapJobs(this.database, ownerId, filter);
  }

  /** The stored result document, a chunk at a time. */
  result(id: string): AsyncGenerator<string> {
    return readTapResult(this.database, id);
  }

  async phase(job: TapJob, phase: string): Promise<void> {
    const wanted = phase.toUpperCase();
    if (wanted === 'RUN') {
      // Running a job that already runs or ran is not an error (UWS 1.1, 2.2.3.1).
      if (await updateTapJob(this.database, job.id, { phase: 'QUEUED' }, { fromPhases: ['PENDING', 'HELD'] }))
        this.nudge();
      return;
    }
    if (wanted === 'ABORT') {
      await updateTapJob(this.database, job.id, { phase: 'ABORTED', endedMs: Date.now() }, { fromPhases: ACTIVE });
      this.running.get(job.id)?.abort();
      return;
    }
    throw new UwsError(`PHASE=${phase} is not allowed; use RUN or ABORT`);
  }

  async setParameters(job: TapJob, params: DaliParams): Promise<void> {
    if (job.phase !== 'PENDING') throw new UwsError(`the parameters of a ${job.phase} job cannot change`);
    const parameters = { ...job.parameters };
    for (const [name, values] of params) if (!UWS_PARAMETERS.has(name)) parameters[name] = values;
    const runId = params.get('RUNID')?.at(-1);
    await updateTapJob(
      this.database,
      job.id,
      { parameters, ...(runId !== undefined ? { runId } : {}) },
      { fromPhases: ['PENDING'] },
    );
  }

  async setExecutionDuration(job: TapJob, value: string): Promise<void> {
    if (job.phase !== 'PENDING') throw new UwsError(`the execution duration of a ${job.phase} job cannot change`);
    await updateTapJob(
      this.database,
      job.id,
      { executionDurationS: this.duration(value) },
      { fromPhases: ['PENDING'] },
    );
  }

  async setDestruction(job: TapJob, value: string): Promise<void> {
    await updateTapJob(this.database, job.id, { destructionMs: this.destruction(value, job.createdMs) });
  }

  async delete(job: TapJob): Promise<void> {
    this.running.get(job.id)?.abort();
    await deleteTapJob(this.database, job.id);
  }

  /** Waits up to `seconds` while the job is active and (if given) still in `phase`. */
  async waitForChange(id: string, phase: string | undefined, seconds: number): Promise<TapJob | null> {
    const until = Date.now() + Math.min(seconds, 60) * 1000;
    for (;;) {
      const job = await this.get(id);
      if (!job || !ACTIVE.includes(job.phase) || (phase && job.phase !== phase.toUpperCase()) || Date.now() >= until)
        return job;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  start(): void {
    if (this.timer) return;
    this.stopping = false;
    this.timer = setInterval(() => this.tick(), this.options.pollMs ?? 500);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const controller of this.running.values()) controller.abort();
    // Give aborted jobs their moment to be put back in the queue.
    for (let i = 0; i < 50 && this.running.size; i++) await new Promise((r) => setTimeout(r, 20));
  }

  private nudge(): void {
    if (this.timer) void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.busy || this.stopping) return;
    this.busy = true;
    try {
      const now = Date.now();
      if (now - this.lastSweep > 60_000) {
        this.lastSweep = now;
        await deleteExpiredTapJobs(this.database, now);
        await failStaleTapJobs(this.database, now);
      }
      for (;;) {
        if (this.stopping) return;
        const job = await claimQueuedTapJob(this.database, this.options.processId);
        if (!job) return;
        await this.execute(job);
      }
    } catch {
      // The catalog is unreachable for a moment: the next tick tries again.
    } finally {
      this.busy = false;
    }
  }

  private async execute(job: TapJob): Promise<void> {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    // Another process may abort or delete the job: look at its phase while it runs.
    const watch = setInterval(async () => {
      const current = await getTapJob(this.database, job.id).catch(() => job);
      if (!current || current.phase !== 'EXECUTING') controller.abort();
    }, 500);
    try {
      const params: DaliParams = new Map(Object.entries(job.parameters));
      const result = await this.tap.run(params, {
        baseUrl: job.baseUrl,
        signal: controller.signal,
        seconds: job.executionDurationS,
      });
      await saveTapResult(this.database, job.id, result.body);
      await updateTapJob(
        this.database,
        job.id,
        { phase: 'COMPLETED', endedMs: Date.now(), resultType: result.mediaType, resultRows: result.rows },
        { fromPhases: ['EXECUTING'] },
      );
    } catch (error) {
      if (this.stopping) {
        await updateTapJob(
          this.database,
          job.id,
          { phase: 'QUEUED', startedMs: null, claimedBy: null },
          { fromPhases: ['EXECUTING'] },
        );
      } else if (!controller.signal.aborted) {
        const message = error instanceof TapError ? error.message : 'FatalFault: the query failed on the server';
        await updateTapJob(
          this.database,
          job.id,
          { phase: 'ERROR', endedMs: Date.now(), error: message },
          { fromPhases: ['EXECUTING'] },
        );
      }
    } finally {
      clearInterval(watch);
      this.running.delete(job.id);
    }
  }

  private duration(value: string | undefined): number {
    const hard = this.tap.limits.asyncSeconds;
    if (value === undefined) return hard;
    if (!/^\s*\d+\s*$/.test(value)) throw new UwsError(`EXECUTIONDURATION=${value} is not a whole number of seconds`);
    const seconds = Number(value);
    // 0 means "no limit" in UWS; the service's own limit still holds.
    return seconds === 0 ? hard : Math.min(seconds, hard);
  }

  private destruction(value: string, from: number): number {
    const ms = Date.parse(value);
    if (!Number.isFinite(ms)) throw new UwsError(`DESTRUCTION=${value} is not an ISO 8601 time`);
    return Math.min(ms, from + this.tap.limits.retentionSeconds * 1000);
  }
}
