import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import {
  ACTIVE_STATES,
  EDITABLE_STATES,
  JOB_STATES,
  TRANSITIONS,
  allowedActions,
  assertTransition,
  dryRunPriorState,
  nextState,
  type JobEvent,
} from './state-machine';

describe('job state machine', () => {
  it('follows the happy path start -> started -> completed', () => {
    expect(nextState('draft', 'start')).toBe('queued');
    expect(nextState('queued', 'started')).toBe('running');
    expect(nextState('running', 'completed')).toBe('completed');
    expect(nextState('completed', 'start')).toBe('queued');
  });

  it('pauses, resumes and stops', () => {
    expect(nextState('running', 'pause')).toBe('pausing');
    expect(nextState('pausing', 'paused')).toBe('paused');
    expect(nextState('paused', 'resume')).toBe('queued');
    expect(nextState('paused', 'stop')).toBe('stopping');
    expect(nextState('stopping', 'stopped')).toBe('stopped');
  });

  it('rejects invalid transitions with CONFLICT naming the allowed states', () => {
    expect(() => assertTransition('stopped', 'pause')).toThrow(AppError);
    try {
      assertTransition('running', 'start');
    } catch (e) {
      expect((e as AppError).code).toBe('CONFLICT');
      expect((e as AppError).message).toBe('cannot start a job that is running (start is allowed from: draft, stopped, completed, failed)');
    }
    expect(nextState('draft', 'resume')).toBeNull();
    expect(nextState('completed', 'stop')).toBeNull();
  });

  it('only ever moves between known states, and every non-terminal active state can be stopped or fail', () => {
    for (const [event, map] of Object.entries(TRANSITIONS)) {
      for (const [from, to] of Object.entries(map)) {
        expect(JOB_STATES, `${event} from ${from}`).toContain(from);
        expect(JOB_STATES, `${event} to ${to}`).toContain(to);
      }
    }
    for (const s of ACTIVE_STATES) {
      expect(nextState(s, 'failed')).toBe('failed');
      if (s !== 'stopping') expect(nextState(s, 'stop')).toBe('stopping');
    }
  });

  it('never lets a user intent leave an editable state except start', () => {
    const intents: JobEvent[] = ['pause', 'resume', 'stop'];
    for (const s of EDITABLE_STATES) for (const i of intents) expect(nextState(s, i)).toBeNull();
  });
});

describe('allowed actions', () => {
  it('follows the transitions and the editable states', () => {
    expect(allowedActions('draft')).toEqual(['start', 'edit', 'delete']);
    expect(allowedActions('running')).toEqual(['pause', 'stop']);
    expect(allowedActions('pausing')).toEqual(['resume', 'stop']);
    expect(allowedActions('paused')).toEqual(['resume', 'stop']);
    expect(allowedActions('stopping')).toEqual([]);
    expect(allowedActions('failed')).toEqual(['start', 'edit', 'delete']);
  });

  it('every allowed intent is a transition assertTransition accepts', () => {
    for (const s of JOB_STATES) for (const a of allowedActions(s)) if (a !== 'edit' && a !== 'delete') expect(() => assertTransition(s, a)).not.toThrow();
  });
});

describe('dry runs', () => {
  it('return the job to the state it was started from, and only from a state a job may rest in', () => {
    expect(dryRunPriorState({ dryRun: true, priorState: 'draft' })).toBe('draft');
    expect(dryRunPriorState({ dryRun: true, priorState: 'completed', tables: [] })).toBe('completed');
    expect(dryRunPriorState({ dryRun: true, priorState: 'running' })).toBeNull();
    expect(dryRunPriorState({ dryRun: true, priorState: 'nonsense' })).toBeNull();
    expect(dryRunPriorState({ dryRun: true })).toBeNull();
    expect(dryRunPriorState({ priorState: 'draft' })).toBeNull();
    expect(dryRunPriorState(null)).toBeNull();
  });
});
