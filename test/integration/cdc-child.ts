/**
 * A CDC "agent" in its own process, for cdc-kill-resume.test.ts. It runs
 * runCdc with hooks backed by a state file that plays the control plane's
 * checkpoint store (written atomically, like a fenced checkpoint), and prints
 * STREAMING once it is reading the source. The test kills it with SIGKILL.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { runCdc } from '../../agent/src/cdc';
import type { EngineHooks, EngineTaskInput } from '../../agent/src/engine/hooks';

const cfg = JSON.parse(process.env.H6_CDC_CHILD ?? '{}') as { input: EngineTaskInput; stateFile: string };
const state: Record<string, Record<string, unknown>> = existsSync(cfg.stateFile)
  ? (JSON.parse(readFileSync(cfg.stateFile, 'utf8')) as Record<string, Record<string, unknown>>)
  : {};
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());

const hooks: EngineHooks = {
  signal: controller.signal,
  resume: state,
  async checkpoint(stream, position) {
    state[stream] = position;
    const tmp = `${cfg.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, cfg.stateFile);
  },
  progress() {},
  log(level, message) {
    if (message.startsWith('cdc: starting')) process.stdout.write('STREAMING\n');
    if (level === 'warn' || level === 'error') process.stderr.write(`${level}: ${message}\n`);
  },
  event(type, message) {
    process.stderr.write(`event ${type}: ${message}\n`);
  },
  async waitIfPaused() {},
};

runCdc(cfg.input, hooks)
  .then(() => process.exit(0))
  .catch((e: Error) => {
    process.stderr.write(`cdc child failed: ${e.message}\n`);
    process.exit(1);
  });
