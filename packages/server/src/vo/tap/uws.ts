/**
 * UWS 1.1 documents (IVOA Universal Worker Service Pattern): a job, the job list, a job's
 * parameters and results, in the schema's element order.
 */
import type { TapJob } from '../../db/tap-jobs.repository.js';
import { xmlEscape } from '../votable.js';

const NS =
  'xmlns:uws="http://www.ivoa.net/xml/UWS/v1.0" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const element = (name: string, value: string | number | null) =>
  value === null ? `<uws:${name} xsi:nil="true"/>` : `<uws:${name}>${xmlEscape(String(value))}</uws:${name}>`;

function parametersXml(job: TapJob): string {
  const items = Object.entries(job.parameters).flatMap(([name, values]) =>
    values.map((v) => `<uws:parameter id="${xmlEscape(name)}">${xmlEscape(v)}</uws:parameter>`),
  );
  return `<uws:parameters>${items.join('')}</uws:parameters>`;
}

function resultsXml(job: TapJob, jobUrl: string): string {
  return job.phase === 'COMPLETED'
    ? `<uws:results><uws:result id="result" xlink:type="simple" xlink:href="${xmlEscape(`${jobUrl}/results/result`)}"${
        job.resultType ? ` mime-type="${xmlEscape(job.resultType)}"` : ''
      }/></uws:results>`
    : '<uws:results/>';
}

export function uwsJob(job: TapJob, jobUrl: string, owner: string | null): string {
  const parts = [
    element('jobId', job.id),
    ...(job.runId !== null ? [element('runId', job.runId)] : []),
    element('ownerId', owner),
    element('phase', job.phase),
    element('quote', null),
    element('creationTime', iso(job.createdMs)),
    element('startTime', iso(job.startedMs)),
    element('endTime', iso(job.endedMs)),
    element('executionDuration', job.executionDurationS),
    element('destruction', iso(job.destructionMs)),
    parametersXml(job),
    resultsXml(job, jobUrl),
  ];
  if (job.phase === 'ERROR' && job.error)
    parts.push(
      `<uws:errorSummary type="fatal" hasDetail="true"><uws:message>${xmlEscape(job.error)}</uws:message></uws:errorSummary>`,
    );
  return `${XML}<uws:job ${NS} version="1.1">\n${parts.join('\n')}\n</uws:job>\n`;
}

export function uwsJobList(jobs: TapJob[], listUrl: string, owner: (job: TapJob) => string | null): string {
  const refs = jobs.map(
    (j) =>
      `<uws:jobref id="${xmlEscape(j.id)}" xlink:type="simple" xlink:href="${xmlEscape(`${listUrl}/${j.id}`)}">` +
      `${element('phase', j.phase)}${j.runId !== null ? element('runId', j.runId) : ''}${element('ownerId', owner(j))}` +
      `${element('creationTime', iso(j.createdMs))}</uws:jobref>`,
  );
  return `${XML}<uws:jobs ${NS} version="1.1">\n${refs.join('\n')}\n</uws:jobs>\n`;
}

export function uwsParameters(job: TapJob): string {
  return `${XML}${parametersXml(job).replace('<uws:parameters>', `<uws:parameters ${NS}>`)}\n`;
}

export function uwsResults(job: TapJob, jobUrl: string): string {
  const xml = resultsXml(job, jobUrl);
  return `${XML}${xml.replace(/^<uws:results/, `<uws:results ${NS}`)}\n`;
}
