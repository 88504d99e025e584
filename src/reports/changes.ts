/**
 * `/s3 changes`: who changed a bucket's configuration, when, from where and with what, newest
 * first, from CloudTrail management events; failed calls are shown as attempts.
 */
import type { AwsPorts } from '../aws/ports.js';
import { bucketChanges, madeBy, type BucketChange } from '../cloudtrail/bucket-changes.js';
import type { BucketConfig } from '../config/schema.js';
import { UserFacingError } from '../lib/errors.js';
import { formatCount, formatTimestamp, plural } from '../message/format.js';
import { code, lit, stripMarkup } from '../message/markup.js';
import { changeActor, changeWhat } from '../message/change-wording.js';
import type { Block, ListItem, Report } from '../message/model.js';
import { bucketLabel, type BucketRef } from './types.js';
import { answeredOr, isUnavailable, unansweredBlocks } from './unanswered.js';
import { readBucketAccessLog } from './access-log-read.js';
import { accessLogChanges, notInTrail } from '../cloudtrail/access-log-changes.js';
import type { AccessLogReadBudget } from '../access-logs/read-window.js';
import { startDeadline } from '../aws/deadlines.js';
import { silentLogger, type Logger } from '../lib/logger.js';

/** How long the bucket's logging configuration is waited for: CloudTrail's answer must not wait on it. */
export const ACCESS_LOG_FACTS_WAIT_MS = 3_000;
import { windowName } from './window.js';

/** `--since` when not given. */
export const CHANGES_DEFAULT_WINDOW_MS = 7 * 86_400_000;
/** Changes listed one by one; older ones are counted (all are in `--json`). */
export const CHANGES_SHOWN = 20;

export interface ChangesOptions {
  sinceMs: number;
  /** The most of the server access log the window reads; the default budget when absent. */
  logBudget?: AccessLogReadBudget;
  /** Where an access log that could not be read is reported. */
  logger?: Logger;
  /** Only changes by this principal (readable form, ARN or name; a trailing `*` matches a prefix). */
  who?: string;
}

/** A change as the data behind the report holds it: what is shown, in plain text. */
export interface ChangeRow {
  time: Date;
  call: string;
  who: string;
  whoArn: string | null;
  sourceIp: string | null;
  client: string;
  /** Set for a failed call: an attempt that changed nothing. */
  errorCode: string | null;
  changed: string[];
  risks: string[];
  source: BucketChange['source'];
}

export interface ChangesData {
  bucket: BucketRef;
  generatedAt: Date;
  since: Date;
  sinceMs: number;
  who: string | null;
  /** Newest first. */
  changes: BucketChange[];
  /** Why CloudTrail could not be read (a missing permission, …); the answer says it instead of failing. */
  trailProblem?: string;
  /** Set when the bucket's server access log was read as a second source: its calls CloudTrail does not tell are in `changes`. */
  accessLog?: { logBucket: string; logged: number };
  /** Why the access log, with logging on, could not be read. */
  accessLogProblem?: string;
  /** One sentence per source that did not answer in time. */
  unanswered?: string[];
}

/** Reads the bucket's changes over the window; a CloudTrail that refuses or does not answer is noted, not thrown. */
export async function gatherChanges(ports: AwsPorts, bucket: BucketConfig, now: Date, options: ChangesOptions): Promise<ChangesData> {
  const since = new Date(now.getTime() - options.sinceMs);
  const base = { bucket: { name: bucket.name, alias: bucket.alias }, generatedAt: now, since, sinceMs: options.sinceMs, who: options.who ?? null };
  const [trail, logged] = await Promise.all([readTrail(ports, bucket, since, now), readAccessLog(ports, bucket, since, now, options)]);
  const fromLog = 'changes' in logged ? notInTrail(logged.changes, trail.changes) : [];
  const changes = [...trail.changes, ...fromLog]
    .filter((c) => c.time >= since && (!options.who || madeBy(c, options.who)))
    .sort((a, b) => b.time.getTime() - a.time.getTime());
  const unanswered = [...trail.unanswered, ...('unanswered' in logged ? [logged.unanswered] : [])];
  return {
    ...base,
    changes,
    ...(trail.problem ? { trailProblem: trail.problem } : {}),
    ...('changes' in logged ? { accessLog: { logBucket: logged.logBucket, logged: logged.changes.length } } : {}),
    ...('problem' in logged ? { accessLogProblem: logged.problem } : {}),
    ...(unanswered.length ? { unanswered } : {}),
  };
}

async function readTrail(ports: AwsPorts, bucket: BucketConfig, since: Date, now: Date): Promise<{ changes: BucketChange[]; unanswered: string[]; problem?: string }> {
  if (!ports.trail) return { changes: [], unanswered: [], problem: 'CloudTrail is not offered here.' };
  try {
    const answer = await answeredOr(ports.trail.bucketEvents(bucket.name, { start: since, end: now }));
    if ('unanswered' in answer) return { changes: [], unanswered: [answer.unanswered] };
    return { changes: bucketChanges(answer.value), unanswered: [] };
  } catch (error) {
    if (error instanceof UserFacingError) return { changes: [], unanswered: [], problem: error.userMessage };
    throw error;
  }
}

/** The bucket's logged configuration calls, where its server access log is on and can be read. */
async function readAccessLog(
  ports: AwsPorts,
  bucket: BucketConfig,
  since: Date,
  now: Date,
  options: ChangesOptions,
): Promise<{ changes: BucketChange[]; logBucket: string } | { unanswered: string } | { problem: string } | { off: true }> {
  if (!ports.accessLogs) return { off: true };
  // The logging configuration gets a share of the command's time, as for uploads: CloudTrail answers regardless.
  const deadline = startDeadline(ACCESS_LOG_FACTS_WAIT_MS);
  try {
    const facts = await ports.facts.getFacts(bucket.name, { signal: deadline.signal });
    if (!facts.logging) return { off: true };
    const log = await readBucketAccessLog(ports, facts, { start: since, end: now }, options.logger ?? silentLogger(), options.logBudget ? { budget: options.logBudget } : {});
    if (!log.ok) return isUnavailable(log.cause) ? { unanswered: `The access log is left out: ${log.reason}` } : { problem: log.reason };
    return { changes: accessLogChanges(log.window.configChanges ?? []), logBucket: facts.logging.targetBucket };
  } catch (error) {
    if (isUnavailable(error)) return { unanswered: `The access log is left out: ${error.userMessage}` };
    if (error instanceof UserFacingError) return { problem: error.userMessage };
    throw error;
  } finally {
    deadline.stop();
  }
}

function changeItem(change: BucketChange): ListItem {
  const severity = change.errorCode ? 'warning' : change.risks.length ? 'critical' : 'info';
  return {
    severity,
    text: `**${formatTimestamp(change.time)}** ${changeWhat(change)}`,
    detail: `${changeActor(change)}: ${lit(change.call)}`,
  };
}

/** The data behind the answer, in plain text, for `--json`. */
export function changeRow(change: BucketChange): ChangeRow {
  return {
    time: change.time,
    call: change.call,
    who: change.principal.label,
    whoArn: change.principal.arn,
    sourceIp: change.sourceIp,
    client: change.client,
    errorCode: change.errorCode,
    changed: change.phrases.map(stripMarkup),
    risks: change.risks,
    source: change.source,
  };
}

/** The changes report. */
export function buildChanges(data: ChangesData): Report<Omit<ChangesData, 'changes'> & { changes: ChangeRow[] }> {
  const label = bucketLabel(data.bucket);
  const window = windowName(data.sinceMs);
  const by = data.who ? ` by ${code(data.who)}` : '';
  const blocks: Block[] = [
    { kind: 'header', text: `Changes to ${label}` },
    { kind: 'context', text: `Configuration changes${by} in the last ${window}, newest first, from CloudTrail management events (they arrive about 5 min after the call).` },
  ];
  if (data.trailProblem) {
    blocks.push({ kind: 'list', title: 'CloudTrail could not be read', items: [{ severity: 'warning', text: data.trailProblem }] });
  } else if (!data.unanswered?.length && data.changes.length === 0) {
    blocks.push({ kind: 'text', text: `No configuration changes${by} in the last ${window}.` });
  }
  if (data.changes.length > 0) {
    const shown = data.changes.slice(0, CHANGES_SHOWN);
    const attempts = data.changes.filter((c) => c.errorCode).length;
    const title = `${plural(data.changes.length, 'change')}${attempts ? `, ${formatCount(attempts)} of them ${attempts === 1 ? 'an attempt' : 'attempts'} that failed` : ''}`;
    blocks.push({ kind: 'list', title, items: shown.map(changeItem) });
    const older = data.changes.length - shown.length;
    if (older > 0) blocks.push({ kind: 'context', text: `${plural(older, 'older change')} not shown; \`s3-chatops changes ${lit(data.bucket.name)} --json\` lists them all.` });
  }
  if (data.accessLog) {
    blocks.push({ kind: 'context', text: `Also read: the server access log in ${code(data.accessLog.logBucket)}, ${plural(data.accessLog.logged, 'configuration call')}; those CloudTrail does not tell are marked (from the server access log).` });
  }
  if (data.accessLogProblem) blocks.push({ kind: 'context', text: `The server access log was not read: ${data.accessLogProblem}` });
  blocks.push(...unansweredBlocks(data.unanswered));
  const newest = data.changes[0];
  const summary = data.trailProblem
    ? `Changes to ${label}: CloudTrail could not be read`
    : newest
      ? `Changes to ${label}: ${plural(data.changes.length, 'change')} in ${window}, newest ${changeWhat(newest)} by ${code(newest.principal.label)}`
      : `Changes to ${label}: none in ${window}`;
  return { message: { summary, blocks }, data: { ...data, changes: data.changes.map(changeRow) } };
}
