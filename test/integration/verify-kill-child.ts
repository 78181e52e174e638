/**
 * A full_cdc "agent" in its own process, for verify-kill-cdc.test.ts: runEngineTask with hooks backed by a
 * state file that plays the control plane's checkpoint store (written atomically), every log line on
 * stderr. The test kills it with SIGKILL while verification runs beside CDC.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { runEngineTask } from '../../agent/src/engine';
import type { EngineHooks, EngineTaskInput } from '../../agent/src/engine/hooks';

const cfg = JSON.parse(process.env.SLUICE_VERIFY_CHILD ?? '{}') as { input: EngineTaskInput; stateFile: string };
const state: Record<string, Record<string, unknown>> = existsSync(cfg.stateFile)
  ? (JSON.parse(readFileSync(cfg.stateFile, 'utf8')) as Record<string, Record<string, unknown>>)
  : {};
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());

const hooks: EngineHooks = {
  signal: controller.signal,
  resume: { ...state },
  async checkpoint(stream, position) {
    state[stream] = position;
    const tmp = `${cfg.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, cfg.stateFile);
  },
  progress() {},
  log(level, message) {
    process.stderr.write(`${level}: ${message}\n`);
  },
  event(type, message) {
    process.stderr.write(`event ${type}: ${message}\n`);
  },
  async waitIfPaused() {},
};

runEngineTask(cfg.input, hooks)
  .then(() => process.exit(0))
  .catch((e: Error) => {
    process.stderr.write(`child failed: ${e.message}\n`);
    process.exit(1);
  });
