/**
 * The plan's schema objects (issue 15 item 3) as the agent reports them: in a dry run's
 * PlanReport (`plan.objects`), in the real run's `plan` event and in the `objects` event
 * with what happened to each. The api validates them with this schema (presenters/objects.ts).
 */
import { z } from 'zod';

export const objectKinds = [
  'table',
  'view',
  'materialized_view',
  'trigger',
  'procedure',
  'function',
  'sequence',
  'enum',
  'set',
  'domain',
  'check',
  'generated_column',
  'on_update',
  'comment',
  'fulltext_index',
  'spatial_index',
  'index',
] as const;

export const objectPlanEntrySchema = z.object({
  /** Unique in the plan: `<kind>:<source name>`. */
  id: z.string(),
  kind: z.enum(objectKinds),
  /** The source object's name; column-level objects are `table.column`. */
  name: z.string(),
  table: z.string().optional(),
  status: z.enum(['carried', 'translated', 'not_carried']),
  /** `with_tables`: part of the tables and indexes the load creates; `after_load`: created after the data is in. */
  when: z.enum(['with_tables', 'after_load']).optional(),
  /** The target DDL (carried and translated objects). */
  ddl: z.array(z.string()),
  /** The source's own DDL or SQL (always shown for objects not carried). */
  sourceDdl: z.string().optional(),
  /** Why it is not carried, or what changes in a translation. */
  reason: z.string().optional(),
  /** What to do about an object not carried. */
  fix: z.string().optional(),
  note: z.string().optional(),
  /** After the run: whether the target has it. */
  result: z.enum(['created', 'exists', 'failed']).optional(),
  error: z.string().optional(),
});
export type ObjectPlanEntry = z.infer<typeof objectPlanEntrySchema>;

export const objectPlanSchema = z.array(objectPlanEntrySchema);
