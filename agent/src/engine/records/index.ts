/**
 * The records job (Kafka -> Kafka): full (earliest..T0, then stop), full_cdc (full, then live from T0 with
 * no gap) and cdc (live from job.kafka.start). One transaction at a time carries records, the checkpoint
 * and the offset syncs (effectively once); the next one is read while it commits. Resume comes from the
 * target's checkpoint; checkpoints are also reported to the control plane (fenced by the lease).
 * New topics that match the job are picked up while it runs.
 */
import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../../connectors/connector-error';
import { describePosition, positionOfKind } from '../../connectors/position';
import { advanceTargetEnds, type RecordSourceCapability, type RecordStream, type RecordTargetCapability, type RecordWriter } from '../../connectors/records';
import { kafkaJobSchema, targetTopicName } from '../../protocol/kafka-spec';
import { abortError } from '../chunk-runner';
import type { EngineHooks, EngineResult, EngineTaskInput } from '../hooks';
import { planReport } from './plan';
import { collect, committed, DEFAULT_LIMITS, toWrite, type Collected, type Limits } from './pump';
import { addNewPartitions, createTargetTopics, partitionsOf, planTopics, proveTargetHolds } from './setup';
import { JobState } from './state';

export const RECORDS_STREAM = 'kafka';
const REFRESH_MS = 10_000;
const REPORT_MS = 2_000;
const PROGRESS_MS = 1_000;
/** How often the job's consumer groups are translated to the target while it is live (job.kafka.consumerGroups). */
const TRANSLATE_MS = 30_000;

export interface RecordJobOptions {
  limits?: Partial<Limits>;
  refreshMs?: number;
  translateMs?: number;
}

export async function runRecordJob(
  input: EngineTaskInput,
  hooks: EngineHooks,
  src: RecordSourceCapability,
  tgt: RecordTargetCapability,
  opts: RecordJobOptions = {},
): Promise<EngineResult> {
  const job = input.job;
  if (job.mode === 'verify')
    throw new ConnectorError('a Kafka job has no verification mode', {
      class: 'config',
      code: 'UNSUPPORTED',
      retryable: false,
      fix: 'use mode full, full_cdc or cdc',
    });
  const k = job.kafka ?? kafkaJobSchema.parse({});
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const began = Date.now();

  const planned = await planTopics(src, tgt, job, k);
  if (job.options.dryRun) {
    const counts = new Map<string, bigint>();
    for (const t of planned) {
      const ps = await partitionsOf(src, t, k.start, null, job.mode);
      counts.set(
        t.src.name,
        ps.reduce((a, p) => a + (p.t0 > p.next ? p.t0 - p.next : 0n), 0n),
      );
    }
    const kafka = planReport(
      planned.map((t) => t.plan),
      counts,
      undefined,
      [],
    );
    return { dryRun: true, tables: [], estimatedSeconds: kafka.estimatedSeconds ?? 0, kafka };
  }

  await createTargetTopics(tgt, planned);
  // Opening the writer fences an earlier one (a killed agent): only then is the checkpoint final.
  const writer = await tgt.openWriter({ jobId: input.jobId, stream: RECORDS_STREAM });
  let stream: RecordStream | null = null;
  try {
    let ckpt = await writer.checkpoint();
    const reported = positionOfKind(hooks.resume[RECORDS_STREAM], 'kafka');
    if (!ckpt && reported) {
      // The target lost its checkpoint log (deleted?): the control plane's copy (up to REPORT_MS older) is the best there is.
      hooks.log('warn', `the target has no checkpoint for this job; resuming from the one the control plane holds (${describePosition(reported)})`);
      ckpt = { position: reported, ts: 0 };
    }
    // Never resume past records the target no longer holds (its topic deleted or recreated under the job).
    if (ckpt) await proveTargetHolds(tgt, ckpt.position, !!reported && ckpt.position === reported);
    const state = new JobState();
    state.targetEnds = ckpt?.position.targetEnds ?? {};
    for (const t of planned) state.add(t.plan, await partitionsOf(src, t, k.start, ckpt?.position ?? null, job.mode));
    const counts = new Map([...state.topics].map(([name, t]) => [name, [...t.parts.values()].reduce((a, p) => a + (p.t0 > p.next ? p.t0 - p.next : 0n), 0n)]));
    const plan = planReport(
      planned.map((t) => t.plan),
      counts,
      state.t0(),
      [],
    );
    hooks.event('kafka.plan', `${ckpt ? 'resuming' : 'starting'}: ${planned.length} topics, ${plan.messages} messages to T0`, { kafka: plan, resumed: !!ckpt });
    hooks.log('info', `${ckpt ? 'resuming from the target checkpoint' : 'T0 captured'}: ${planned.length} topics`);

    const openStream = async (): Promise<RecordStream> => {
      const full = job.mode === 'full';
      const assignments = state
        .all()
        .filter((p) => !full || p.next < p.t0)
        .map((p) => ({ topic: p.topic, partition: p.partition, offset: p.next }));
      return src.open(assignments, `sluice-${input.jobId}-${randomUUID().slice(0, 8)}`);
    };
    stream = await openStream();
    let inflight: Promise<unknown> | null = null;
    let lastReport = 0;
    let lastProgress = 0;
    let lastRefresh = Date.now();
    const phase = () => (job.mode === 'cdc' || state.fullDone() ? 'live' : 'full');

    const write = async (c: Collected, w: RecordWriter): Promise<void> => {
      const results = await w.write(toWrite(c, state));
      committed(c, state);
      state.targetEnds = advanceTargetEnds(state.targetEnds, results);
      if (Date.now() - lastReport >= REPORT_MS || (job.mode === 'full' && state.fullDone())) {
        lastReport = Date.now();
        await hooks.checkpoint(RECORDS_STREAM, state.position());
      }
    };
    const settle = async () => {
      const r = await inflight;
      inflight = null;
      if (r instanceof Error) throw r;
    };

    // Consumer switch-over inside the job: the groups' offsets follow the copy, so a consumer moved to the target
    // resumes where it stopped. A failure is reported and retried at the next round; it never stops the copy.
    let lastTranslate = 0;
    let lastLines = '';
    const translate = async (): Promise<void> => {
      if (!k.consumerGroups.length) return;
      lastTranslate = Date.now();
      if (!tgt.translateGroups) {
        if (!lastLines) hooks.event('kafka.groups_not_translated', 'this target cannot translate consumer groups', {});
        lastLines = 'unsupported';
        return;
      }
      const o = { jobId: input.jobId, groups: k.consumerGroups, targetTopicOf: (t: string) => targetTopicName(t, k), partitioning: k.partitioning };
      try {
        const r = await tgt.translateGroups(src, o);
        const text = r.lines.join('\n');
        if (text !== lastLines) hooks.event('kafka.groups_translated', `consumer groups translated to the target:\n${text}`, { complete: r.complete });
        lastLines = text;
      } catch (e) {
        hooks.log('warn', `consumer groups not translated this round (retried in ${TRANSLATE_MS / 1000} s): ${(e as Error).message}`);
      }
    };

    for (;;) {
      if (hooks.signal.aborted) throw abortError();
      const wasFull = phase() === 'full';
      const c = await collect(stream, state, limits, job.mode === 'full');
      await settle();
      if (c.parts.size) {
        inflight = write(c, writer).then(
          () => null,
          (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
        );
      }
      const now = Date.now();
      if (now - lastProgress >= PROGRESS_MS) {
        lastProgress = now;
        hooks.progress(state.progress(phase()));
      }
      if (job.mode === 'full' && state.fullDone()) {
        await settle();
        await translate();
        break;
      }
      if (phase() === 'live' && now - lastTranslate >= (opts.translateMs ?? TRANSLATE_MS)) {
        await settle();
        await translate();
      }
      if (wasFull && phase() === 'live') hooks.event('kafka.live', 'copied every partition up to T0: now live', {});
      if (job.mode !== 'full' && now - lastRefresh >= (opts.refreshMs ?? REFRESH_MS)) {
        lastRefresh = now;
        const known = new Set(state.topics.keys());
        const fresh = await planTopics(src, tgt, job, k, (t) => !known.has(t));
        // Partitions added to a topic being copied: copied too, from their earliest offset (never silently left out).
        const grown = await addNewPartitions(src, tgt, state);
        if (grown.length) {
          hooks.event('kafka.partitions_added', `partitions added to source topics picked up: ${grown.join('; ')}`, { partitions: grown });
        }
        if (fresh.length || grown.length) {
          await settle();
          await createTargetTopics(tgt, fresh);
          for (const t of fresh) state.add(t.plan, await partitionsOf(src, t, 'earliest', null, 'full_cdc'));
          if (fresh.length)
            hooks.event('kafka.topics_added', `new topics picked up: ${fresh.map((t) => t.src.name).join(', ')}`, {
              topics: fresh.map((t) => ({ source: t.plan.source, target: t.plan.target })),
            });
          await stream.close();
          stream = await openStream();
        }
      }
      await hooks.waitIfPaused();
    }
    hooks.progress(state.progress('full'));
    await hooks.checkpoint(RECORDS_STREAM, state.position());
    const seconds = (Date.now() - began) / 1000;
    return {
      mode: job.mode,
      kafka: {
        topics: state.topics.size,
        partitions: state.all().length,
        records: state.records,
        bytes: state.bytes,
        seconds,
        recordsPerSec: state.records / Math.max(seconds, 0.001),
        plan,
      },
    };
  } finally {
    await stream?.close().catch(() => undefined);
    await writer.close().catch(() => undefined);
  }
}
