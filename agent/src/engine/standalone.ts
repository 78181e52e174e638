/**
 * `sluice-agent run --spec job.json`: the same engine without a control plane.
 * Checkpoints live in a local JSON state file (written atomically) so a killed
 * run resumes where the target last committed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomUUID, createHash } from 'node:crypto';
import { standaloneSpecSchema, type StandaloneSpec } from '../protocol';
import type { EngineHooks, EngineProgress, EngineResult, Position } from './hooks';

export interface StandaloneOptions {
  onProgress?: (p: EngineProgress) => void;
  onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  onEvent?: (type: string, message: string, data?: Record<string, unknown>) => void;
  signal?: AbortSignal;
  /** Overrides spec.stateFile. */
  stateFile?: string;
  /**
   * Start over: ignore the state file, and reload target tables this job already wrote
   * (`existingTable: fail` becomes `truncate` for this run; `upsert` and `truncate` stay).
   */
  fresh?: boolean;
  /** Whether a result counts as finished, so that a rerun skips it (default: every result). */
  isFinished?: (result: EngineResult) => boolean;
}

/** What a rerun of a finished job returns instead of running it again. */
export interface AlreadyFinished extends Record<string, unknown> {
  alreadyFinished: true;
  finishedAt: string;
  stateFile: string;
  /** The result of the run that finished. */
  previous: EngineResult | null;
}

interface StateFile {
  version: 1;
  jobId: string;
  specHash: string;
  startedAt: string;
  finishedAt?: string;
  /** The finished run's result (counts and statuses; no row data, no secrets). */
  result?: EngineResult;
  checkpoints: Record<string, Position>;
}

export function defaultStateFile(jobId: string): string {
  return path.resolve(`.sluice-state-${jobId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

function specHash(spec: StandaloneSpec): string {
  const { stateFile: _s, ...rest } = spec;
  const redacted = { ...rest, source: { ...rest.source, secret: undefined }, target: rest.target ? { ...rest.target, secret: undefined } : undefined };
  return createHash('sha256').update(JSON.stringify(redacted)).digest('hex').slice(0, 16);
}

async function readState(file: string): Promise<StateFile | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as StateFile;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`state file ${file} is unreadable (${(e as Error).message}); delete it to start over`);
  }
}

async function writeState(file: string, s: StateFile): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(s));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
}

export async function runStandaloneWith(
  specInput: unknown,
  opts: StandaloneOptions,
  run: (
    input: {
      jobId: string;
      runId: string;
      taskId: string;
      kind: string;
      job: StandaloneSpec['job'];
      source: StandaloneSpec['source'];
      target?: StandaloneSpec['target'];
      taskSpec: Record<string, unknown>;
    },
    hooks: EngineHooks,
  ) => Promise<EngineResult>,
): Promise<EngineResult> {
  const parsed = standaloneSpecSchema.parse(specInput);
  const file = opts.stateFile ?? parsed.stateFile ?? defaultStateFile(parsed.jobId);
  const hash = specHash(parsed);
  const restartTruncates = opts.fresh === true && parsed.job.options.existingTable === 'fail' && !parsed.job.options.dryRun;
  const spec: StandaloneSpec = restartTruncates ? { ...parsed, job: { ...parsed.job, options: { ...parsed.job.options, existingTable: 'truncate' } } } : parsed;
  let state = opts.fresh ? null : await readState(file);
  const log = opts.onLog ?? (() => {});
  if (state && state.specHash !== hash) {
    log('warn', `state file ${file} belongs to a different spec; starting over`);
    state = null;
  }
  if (state?.finishedAt) {
    log('info', `this job already finished at ${state.finishedAt} (state file ${file}); nothing to do. --restart runs it again from the start`);
    return { alreadyFinished: true, finishedAt: state.finishedAt, stateFile: file, previous: state.result ?? null } satisfies AlreadyFinished;
  }
  if (restartTruncates)
    log('warn', 'restarting: target tables that already exist are truncated and loaded again (existingTable fail -> truncate for this run)');
  if (state) log('info', `resuming from ${file} (${Object.keys(state.checkpoints).length} checkpoints)`);
  const st: StateFile = state ?? { version: 1, jobId: spec.jobId, specHash: hash, startedAt: new Date().toISOString(), checkpoints: {} };
  const resume = { ...st.checkpoints };
  let chain: Promise<void> = Promise.resolve();
  const persist = () => {
    const snapshot: StateFile = { ...st, checkpoints: { ...st.checkpoints } };
    chain = chain.then(() => writeState(file, snapshot));
    return chain;
  };
  await persist();
  const hooks: EngineHooks = {
    signal: opts.signal ?? new AbortController().signal,
    resume,
    checkpoint: async (stream, position) => {
      st.checkpoints[stream] = position;
      await persist();
    },
    progress: (p) => opts.onProgress?.(p),
    log,
    event: (type, message, data) => (opts.onEvent ? opts.onEvent(type, message, data) : log('info', message)),
    waitIfPaused: () => Promise.resolve(),
  };
  const result = await run(
    {
      jobId: spec.jobId,
      runId: randomUUID(),
      taskId: 'standalone',
      kind: spec.job.mode,
      job: spec.job,
      source: spec.source,
      ...(spec.target ? { target: spec.target } : {}),
      taskSpec: {},
    },
    hooks,
  );
  // A run stopped by a signal (Ctrl-C, SIGTERM) returns what it did so far: it is not finished, and a rerun resumes it.
  if (!(result as { dryRun?: boolean }).dryRun && !hooks.signal.aborted && (opts.isFinished ?? (() => true))(result)) {
    st.finishedAt = new Date().toISOString();
    st.result = result;
    await persist();
  }
  return { ...result, stateFile: file };
}
