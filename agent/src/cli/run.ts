/**
 * `sluice-agent run --spec job.json`: one job standalone. Progress and log lines go to stderr;
 * stdout gets the human summary at the end, or with --json exactly one JSON document. The exit
 * code says how it ended (outcome.ts, documented in options.ts RUN_EXIT_CODES).
 */
import { outOfRangePolicySchema, repairEnabled } from '../protocol';
import { loadEngine } from '../runtime/engine';
import { capMemory } from '../runtime/memory-cap';
import { commandHelp, parseFlags, UsageError } from './options';
import { EXIT_CODES, classify, summarize, type Outcome } from './outcome';
import { renderProgress } from './progress';
import { loadSpec } from './spec-input';
import { AGENT_VERSION } from '../runtime/version';
import { receiptBody, signReceipt } from '../receipt/receipt';
import { receiptKey, receiptPath, writeReceipt } from '../receipt/receipt-cli';

/** RSS (MB) above which a standalone run collects garbage in full (the bound is 300 MB peak). */
const DEFAULT_RUN_MEMORY_MB = 256;

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

export async function runCommand(args: string[]): Promise<number> {
  const f = parseFlags('run', args);
  if (f.help) {
    process.stdout.write(commandHelp('run'));
    return 0;
  }
  if (typeof f.spec !== 'string')
    throw new UsageError('run needs --spec job.json (a standalone spec, or the job spec the portal shows with --source and --target; sluice-agent run --help)');
  const minLevel = (f['log-level'] ?? 'info') as string;
  if (!(LEVELS as readonly string[]).includes(minLevel)) throw new UsageError(`--log-level ${minLevel}: use one of ${LEVELS.join(', ')}`);
  const oor = f['out-of-range'];
  if (oor !== undefined && !outOfRangePolicySchema.safeParse(oor).success)
    throw new UsageError(`--out-of-range ${String(oor)}: use one of ${outOfRangePolicySchema.options.join(', ')}`);
  const { spec } = await loadSpec(f.spec, {
    ...(typeof f.source === 'string' ? { source: f.source } : {}),
    ...(typeof f.target === 'string' ? { target: f.target } : {}),
    ...(typeof f['state-file'] === 'string' ? { stateFile: f['state-file'] } : {}),
    env: process.env,
  });
  if (f['dry-run'] === true) spec.job.options.dryRun = true;
  // The job-wide policy for values the target can't hold (per-column choices in the spec's mapping still win).
  if (typeof oor === 'string') spec.job.options.outOfRange = outOfRangePolicySchema.parse(oor);
  const json = f.json === true;
  const quiet = f.quiet === true;
  const engine = await loadEngine();
  // RSS budget of a standalone run (runtime/memory-cap.ts); SLUICE_RUN_MEMORY_MB=0 turns it off.
  const budgetMb = Number(process.env.SLUICE_RUN_MEMORY_MB ?? DEFAULT_RUN_MEMORY_MB);
  const cap = Number.isFinite(budgetMb) && budgetMb > 0 ? capMemory(budgetMb) : null;
  const ac = new AbortController();
  const onSignal = () => {
    if (ac.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping at the next checkpoint (Ctrl-C again to abort now)\n');
    ac.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const bar = renderProgress(process.stderr, quiet);
  // The engine often logs a line and records the same text as an event: print it once.
  const recent: string[] = [];
  const show = (level: Level, message: string) => {
    if (LEVELS.indexOf(level) < LEVELS.indexOf(minLevel as Level)) return;
    if (recent.includes(message)) return;
    recent.push(message);
    if (recent.length > 50) recent.shift();
    bar.log(level, message);
  };
  const repairOn = repairEnabled(spec.job);
  const started = Date.now();
  let result: Record<string, unknown> | null = null;
  let outcome: Outcome;
  let error: { message: string; fix?: string; code?: string } | undefined;
  try {
    result = await engine.runStandalone(spec, {
      signal: ac.signal,
      onProgress: (p) => bar.update(p),
      onLog: show,
      onEvent: (_type, message) => show('info', message),
      ...(f.restart ? { fresh: true } : {}),
      isFinished: (r) => EXIT_CODES[classify(r, repairOn)] === 0,
    });
    outcome = ac.signal.aborted ? 'interrupted' : classify(result, repairOn);
  } catch (e) {
    const err = e as Error & { fix?: string; code?: string };
    outcome = ac.signal.aborted ? 'interrupted' : 'failed';
    error = { message: err.message, ...(err.fix ? { fix: err.fix } : {}), ...(typeof err.code === 'string' ? { code: err.code } : {}) };
  } finally {
    bar.done();
    cap?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const exitCode = EXIT_CODES[outcome];
  const seconds = (Date.now() - started) / 1000;
  // Every run that did something leaves a signed receipt (a dry run and an already finished job do not).
  let receipt: string | undefined;
  if (outcome !== 'dry-run' && outcome !== 'already-finished') {
    try {
      const key = await receiptKey(typeof f.credentials === 'string' ? f.credentials : undefined);
      const body = receiptBody({
        jobId: spec.jobId,
        mode: spec.job.mode,
        agentVersion: AGENT_VERSION,
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date().toISOString(),
        outcome,
        exitCode,
        result,
      });
      receipt = receiptPath({ ...(typeof f.receipt === 'string' ? { receipt: f.receipt } : {}), spec: f.spec, jobId: spec.jobId });
      await writeReceipt(receipt, signReceipt(body, key.privateKeyPem, key.signer));
      process.stderr.write(`receipt: ${receipt} (sluice-agent receipt verify ${receipt})\n`);
    } catch (e) {
      process.stderr.write(`warning: no receipt written: ${(e as Error).message}\n`);
      receipt = undefined;
    }
  }
  const stateFile = (result?.stateFile as string | undefined) ?? spec.stateFile ?? engine.defaultStateFile(spec.jobId);
  if (json) {
    const doc = {
      ok: exitCode === 0,
      exitCode,
      outcome,
      jobId: spec.jobId,
      mode: spec.job.mode,
      stateFile,
      seconds: Math.round(seconds * 10) / 10,
      result,
      ...(receipt ? { receipt } : {}),
      ...(error ? { error } : {}),
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    process.stdout.write(summarize({ jobId: spec.jobId, mode: spec.job.mode, outcome, result, ...(error ? { error } : {}), seconds, stateFile }));
  }
  return exitCode;
}
