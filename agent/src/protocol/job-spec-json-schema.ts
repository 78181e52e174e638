/**
 * The JSON Schema of what `sluice-agent run --spec` accepts, generated from the zod schemas in
 * job-spec.ts (z.toJSONSchema, input side: defaults are optional). Published as
 * docs/job-spec.schema.json by `npx tsx agent/scripts/gen-job-spec-schema.ts`; a unit test fails
 * when the committed file is stale.
 */
import { z } from 'zod';
import { jobSpecSchema, standaloneSpecSchema } from './job-spec';

export function jobSpecJsonSchema(): Record<string, unknown> {
  const strip = (s: Record<string, unknown>) => {
    const { $schema: _s, ...rest } = s;
    return rest;
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Sluice job spec',
    description:
      'What `sluice-agent run --spec FILE` accepts: a standalone spec (connections inline) or the job spec the portal shows (connections from --source and --target). See docs/job-spec.md.',
    anyOf: [
      { title: 'Standalone spec', ...strip(z.toJSONSchema(standaloneSpecSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>) },
      {
        title: 'Job spec (as the portal shows it)',
        ...strip(z.toJSONSchema(jobSpecSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>),
      },
    ],
  };
}

export function jobSpecJsonSchemaText(): string {
  return JSON.stringify(jobSpecJsonSchema(), null, 2) + '\n';
}
