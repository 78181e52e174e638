/**
 * Extensions installed into every app (api and worker) after its dependencies
 * are built: e.g. the agent gateway registers `deps.upgradeRoutes.set('/agent', ...)`
 * and replaces `deps.hooks` with real scheduling. Add one line to the list.
 */
import type { AppDeps } from './deps';
import { agentsExtension } from './gateway';

export interface Extension {
  name: string;
  /** Called once per process; `role` says whether this process serves HTTP, runs the worker, or both. */
  install(deps: AppDeps, role: { http: boolean; worker: boolean }): void | Promise<void>;
}

export const extensions: Extension[] = [agentsExtension];
