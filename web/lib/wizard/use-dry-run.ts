'use client';
/**
 * The engine's own dry run from the wizard: the job is saved with options.dryRun and started; an agent plans it
 * (tables, chunks, lossy type mappings, a timed sample read) without writing anything. The job it ran as is kept,
 * so creating the job afterwards reuses it (with dryRun off) instead of leaving a second one behind.
 */
import { useCallback, useState } from 'react';
import { request } from '../gql';
import { CREATE_JOB, JOB, JOB_LOGS, START_JOB, UPDATE_JOB, type JobDetail, type JobInput } from '../ops/jobs';
import type { KafkaPlan } from '../ops/kafka';
import type { SchemaObject } from '../ops/objects';

export interface EngineDryRun {
  /** The wizard revision (draft) it ran for. */
  revision: number;
  state: 'running' | 'done' | 'failed';
  jobState: string | null;
  warnings: string[];
  /** The engine's PlanReport, when the api stores it on the run. */
  plan: { totalRows?: number; totalBytes?: number; estimatedSeconds?: number; measuredRowsPerSec?: number | null } | null;
  /** A Kafka job's plan (topics, partitions, create/exists/mismatch), typed by the api; or why it could not be read. */
  kafkaPlan: KafkaPlan | null;
  kafkaPlanProblem: string | null;
  /** Every schema object of the plan: carried, translated or not carried (JobRun.schemaObjects). */
  schemaObjects: SchemaObject[] | null;
  schemaObjectsProblem: string | null;
  error: string | null;
}

const FINAL = ['COMPLETED', 'FAILED', 'STOPPED'];

export function useEngineDryRun(timeoutMs = 180_000) {
  const [dry, setDry] = useState<EngineDryRun | null>(null);
  const [dryJobId, setDryJobId] = useState<string | null>(null);

  const run = useCallback(
    async (input: JobInput, revision: number) => {
      const dryInput = { ...input, spec: { ...input.spec, options: { ...input.spec.options, dryRun: true } } };
      const base = {
        revision,
        warnings: [],
        plan: null,
        kafkaPlan: null,
        kafkaPlanProblem: null,
        schemaObjects: null,
        schemaObjectsProblem: null,
        error: null,
      };
      setDry({ ...base, state: 'running', jobState: null });
      try {
        let id = dryJobId;
        if (id) await request(UPDATE_JOB, { id, input: dryInput });
        else {
          id = (await request(CREATE_JOB, { input: dryInput })).createJob.id;
          setDryJobId(id);
        }
        const jobId = id;
        // A completed dry run puts the job back in the state it was started from (DRAFT here), so the dry run's
        // own run (Job.dryRun, a new id) is what tells that it has finished.
        const before = (await request(JOB, { id: jobId })).job.dryRun?.id ?? null;
        await request(START_JOB, { id: jobId });
        const deadline = Date.now() + timeoutMs;
        let job: JobDetail | null = null;
        while (Date.now() < deadline) {
          job = (await request(JOB, { id: jobId })).job;
          const jobState = job.state;
          setDry((d) => (d ? { ...d, jobState } : d));
          const ended = job.dryRun && job.dryRun.id !== before && FINAL.includes(job.dryRun.state);
          if (ended || FINAL.includes(job.state)) break;
          await new Promise((r) => setTimeout(r, 1000));
        }
        const logs = (await request(JOB_LOGS, { jobId, first: 100, newestFirst: true })).jobLogs.edges.map((e) => e.node);
        const warnings = logs
          .filter((l) => l.level === 'WARN' || l.level === 'ERROR')
          .map((l) => l.message)
          .reverse();
        const done = job?.dryRun?.id !== before && job?.dryRun?.state === 'COMPLETED';
        setDry({
          revision,
          state: done ? 'done' : 'failed',
          warnings: [...new Set(warnings)],
          // A dry run is not in Job.runs: its plan is on Job.dryRun.
          plan: (job?.dryRun?.plan as EngineDryRun['plan']) ?? null,
          kafkaPlan: job?.dryRun?.kafkaPlan ?? null,
          kafkaPlanProblem: job?.dryRun?.kafkaPlanProblem ?? null,
          schemaObjects: job?.dryRun?.schemaObjects ?? null,
          schemaObjectsProblem: job?.dryRun?.schemaObjectsProblem ?? null,
          error: done ? null : (job?.lastError ?? `the dry run ended ${job?.state.toLowerCase() ?? 'without finishing'}`),
          jobState: job?.state ?? null,
        });
      } catch (e) {
        setDry({ ...base, state: 'failed', error: e instanceof Error ? e.message : String(e), jobState: null });
      }
    },
    [dryJobId, timeoutMs],
  );

  return { dry, dryJobId, run };
}
