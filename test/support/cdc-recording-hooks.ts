/**
 * Engine hooks for the CDC integration tests that record what the engine
 * reports (checkpoints, events, progress, logs) and can pause it.
 */
import type { EngineHooks, EngineProgress } from '../../agent/src/engine/hooks';

export interface RecordingHooks extends EngineHooks {
  controller: AbortController;
  checkpoints: { stream: string; position: Record<string, unknown> }[];
  events: { type: string; message: string; data?: Record<string, unknown> }[];
  progressReports: EngineProgress[];
  logs: string[];
  paused: boolean;
}

export function recordingHooks(resume: Record<string, Record<string, unknown>> = {}): RecordingHooks {
  const controller = new AbortController();
  let release: (() => void) | null = null;
  const h: RecordingHooks = {
    controller,
    signal: controller.signal,
    resume,
    checkpoints: [],
    events: [],
    progressReports: [],
    logs: [],
    paused: false,
    async checkpoint(stream, position) {
      h.checkpoints.push({ stream, position });
    },
    progress(p) {
      h.progressReports.push(p);
    },
    log(level, message) {
      h.logs.push(`${level}: ${message}`);
    },
    event(type, message, data) {
      h.events.push({ type, message, ...(data ? { data } : {}) });
    },
    async waitIfPaused() {
      while (h.paused && !controller.signal.aborted) {
        await new Promise<void>((r) => {
          release = r;
          setTimeout(r, 50);
        });
      }
      release = null;
    },
  };
  return h;
}
