/**
 * Schema objects beyond tables and rows (issue 15 item 3): what a connector with the
 * `objects` capability discovers in the selected schema (`Source.discoverObjects`) and
 * what a target can create (`TargetCapabilities.objects`, `Target.applyObjects`).
 * The engine plans each as carried, translated or not carried (engine/objects/plan.ts).
 */

import type { objectKinds } from '../protocol/objects-shapes';

/** Every kind of object the plan accounts for ('index': other indexes a target may not build, e.g. expression or GIN). */
export type ObjectKind = (typeof objectKinds)[number];

/** What a target can create beyond tables (TargetCapabilities.objects). */
export interface ObjectCapability {
  kinds: ObjectKind[];
  /** Generated columns may be VIRTUAL (else they become STORED). */
  virtualColumns: boolean;
}

/** One object as the source's catalogue describes it. Fields beyond kind/schema/name depend on the kind. */
export interface SchemaObject {
  kind: ObjectKind;
  schema: string;
  /** The object's own name (for column-level objects: the column). */
  name: string;
  /** The table it belongs to (triggers, checks, generated columns, ON UPDATE, comments, indexes). */
  table?: string;
  column?: string;
  /**
   * The native DDL in the source dialect, with names unqualified where the source allows
   * (a same-engine target runs it in its own schema); for display when not carried.
   */
  ddl: string;
  /** The SQL a translation starts from: a view's SELECT, a CHECK / generated / domain expression, a trigger's body. */
  definition?: string;
  /** Generated columns: STORED (true) or VIRTUAL (false). */
  stored?: boolean;
  /** Column-level objects and domains: the native type (domains: the base type). */
  nativeType?: string;
  nullable?: boolean;
  /** Column default in the source dialect. */
  default?: string | null;
  /** ON UPDATE CURRENT_TIMESTAMP: its fractional seconds precision. */
  fsp?: number;
  /** Enums and sets: the values. */
  values?: string[];
  /** Comments: the text. */
  text?: string;
  /** Domains: the columns that use it ("table.column"). */
  usedBy?: string[];
  /** Sequences: the value setval() restores after the load (exact text) and whether it was called. */
  lastValue?: string | null;
  /** Triggers: BEFORE/AFTER/INSTEAD OF and the events. */
  timing?: string;
  events?: string[];
  /** Why the source could not describe it fully (e.g. no privilege to read a routine's body). */
  unreadable?: string;
}

/** One DDL step a target runs after the load: the statements of one planned object. */
export interface ObjectStep {
  id: string;
  statements: string[];
}

export interface ObjectStepResult {
  id: string;
  result: 'created' | 'exists' | 'failed';
  error?: string;
}

/**
 * Runs steps in order, then again the ones that failed, for as long as a pass makes progress
 * (a view created before the view it reads fails once, then succeeds). `exists(e)` tells an
 * error that means the object is already there (a rerun) from a real failure.
 */
export async function runObjectSteps(
  steps: ObjectStep[],
  run: (step: ObjectStep) => Promise<void>,
  exists: (e: unknown) => boolean,
): Promise<ObjectStepResult[]> {
  const results = new Map<string, ObjectStepResult>();
  let pending = steps;
  for (;;) {
    const failed: ObjectStep[] = [];
    for (const step of pending) {
      try {
        await run(step);
        results.set(step.id, { id: step.id, result: 'created' });
      } catch (e) {
        if (exists(e)) results.set(step.id, { id: step.id, result: 'exists' });
        else {
          results.set(step.id, { id: step.id, result: 'failed', error: e instanceof Error ? e.message : String(e) });
          failed.push(step);
        }
      }
    }
    if (failed.length === 0 || failed.length === pending.length) break;
    pending = failed;
  }
  return steps.map((s) => results.get(s.id)!);
}
