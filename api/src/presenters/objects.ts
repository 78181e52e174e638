/**
 * The plan's schema objects (issue 15 item 3) as GraphQL serves them: `plan.objects` of a run
 * (a dry run's PlanReport, or what a real run's `plan` and `objects` events recorded), validated
 * with the agent's zod schema. What does not parse presents as null with a `problem` beside it.
 */
import { objectPlanSchema, type ObjectPlanEntry } from '@sluice/agent/protocol';
import { describeZodIssues } from '../errors';

export type SchemaObjectView = {
  id: string;
  name: string;
  ddl: string[];
  kind: string;
  status: string;
  when: string | null;
  result: string | null;
  table: string | null;
  sourceDdl: string | null;
  reason: string | null;
  fix: string | null;
  note: string | null;
  error: string | null;
};

const up = (s: string | undefined) => (s === undefined ? null : s.toUpperCase());

function view(e: ObjectPlanEntry): SchemaObjectView {
  return {
    id: e.id,
    name: e.name,
    ddl: e.ddl,
    kind: e.kind.toUpperCase(),
    status: e.status.toUpperCase(),
    when: up(e.when),
    result: up(e.result),
    table: e.table ?? null,
    sourceDdl: e.sourceDdl ?? null,
    reason: e.reason ?? null,
    fix: e.fix ?? null,
    note: e.note ?? null,
    error: e.error ?? null,
  };
}

/** `plan.objects` of a run: null when absent, `problem` when it does not parse. */
export function presentSchemaObjects(plan: unknown): { value: SchemaObjectView[] | null; problem: string | null } {
  const raw = plan && typeof plan === 'object' ? (plan as Record<string, unknown>)['objects'] : undefined;
  if (raw === undefined || raw === null) return { value: null, problem: null };
  const r = objectPlanSchema.safeParse(raw);
  if (!r.success)
    return {
      value: null,
      problem: `the agent reported schema objects this api cannot read (${describeZodIssues(r.error.issues)}): upgrade the agent to this api's version`,
    };
  return { value: r.data.map(view), problem: null };
}
