/**
 * The job state machine, written down. Users express intents (start, pause,
 * resume, stop); the control plane and agents report facts (started, paused,
 * stopped, completed, failed). Anything not in this table is rejected with
 * CONFLICT naming the states it is allowed from.
 *
 *   draft ──start──> queued ──started──> running ──completed──> completed
 *                      │  ^                 │
 *                 pause│  │resume      pause│
 *                      v  │                 v
 *                    pausing ──paused──> paused
 *   queued|running|pausing|paused ──stop──> stopping ──stopped──> stopped
 *   any active state ──failed──> failed
 *   stopped|completed|failed ──start──> queued (a new run)
 */
import { AppError } from '../../errors';

export const JOB_STATES = ['draft', 'queued', 'running', 'pausing', 'paused', 'stopping', 'stopped', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JOB_INTENTS = ['start', 'pause', 'resume', 'stop'] as const;
export type JobIntent = (typeof JOB_INTENTS)[number];
export const JOB_FACTS = ['started', 'paused', 'stopped', 'completed', 'failed'] as const;
export type JobFact = (typeof JOB_FACTS)[number];
export type JobEvent = JobIntent | JobFact;

export const TRANSITIONS: Record<JobEvent, Partial<Record<JobState, JobState>>> = {
  start: { draft: 'queued', stopped: 'queued', completed: 'queued', failed: 'queued' },
  pause: { queued: 'pausing', running: 'pausing' },
  resume: { paused: 'queued', pausing: 'queued' },
  stop: { queued: 'stopping', running: 'stopping', pausing: 'stopping', paused: 'stopping' },
  started: { queued: 'running' },
  paused: { pausing: 'paused' },
  stopped: { stopping: 'stopped' },
  completed: { running: 'completed' },
  failed: { queued: 'failed', running: 'failed', pausing: 'failed', paused: 'failed', stopping: 'failed' },
};

/** States in which a run exists and may hold agent work. */
export const ACTIVE_STATES: readonly JobState[] = ['queued', 'running', 'pausing', 'paused', 'stopping'];
/** States in which the job's definition may be edited or the job deleted. */
export const EDITABLE_STATES: readonly JobState[] = ['draft', 'stopped', 'completed', 'failed'];

export function nextState(from: JobState, event: JobEvent): JobState | null {
  return TRANSITIONS[event][from] ?? null;
}

export function allowedFrom(event: JobEvent): JobState[] {
  return Object.keys(TRANSITIONS[event]) as JobState[];
}

/** The next state, or CONFLICT: "cannot pause a job that is stopped (pause is allowed from: queued, running)". */
export function assertTransition(from: JobState, event: JobEvent): JobState {
  const to = nextState(from, event);
  if (!to) {
    throw AppError.conflict(`cannot ${event} a job that is ${from} (${event} is allowed from: ${allowedFrom(event).join(', ')})`, {
      state: from,
    });
  }
  return to;
}

export function isActive(s: JobState): boolean {
  return ACTIVE_STATES.includes(s);
}

/** What a user may do to a job: the intents of the machine plus editing and deleting its definition. */
export const JOB_ACTIONS = ['start', 'pause', 'resume', 'stop', 'edit', 'delete'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

/**
 * The actions allowed in a state, read off TRANSITIONS and EDITABLE_STATES (the one
 * place the rules live): the portal renders its buttons from this list.
 */
export function allowedActions(s: JobState): JobAction[] {
  return JOB_ACTIONS.filter((a) => (a === 'edit' || a === 'delete' ? EDITABLE_STATES.includes(s) : nextState(s, a) !== null));
}

/**
 * A dry run changes nothing, so when it completes the job goes back to the state it was
 * started from (kept on the run's plan as `priorState`), not to `completed`. Returns null
 * for a run that is not a dry run or whose recorded state is not one a job may rest in.
 */
export function dryRunPriorState(plan: Record<string, unknown> | null | undefined): JobState | null {
  if (!plan || plan['dryRun'] !== true) return null;
  const prior = plan['priorState'];
  return typeof prior === 'string' && (EDITABLE_STATES as readonly string[]).includes(prior) ? (prior as JobState) : null;
}
