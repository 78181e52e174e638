import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jobSpecJsonSchema, jobSpecJsonSchemaText } from './job-spec-json-schema';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/job-spec.schema.json');

describe('docs/job-spec.schema.json', () => {
  it('is the schema generated from the zod job spec (regenerate: npx tsx agent/scripts/gen-job-spec-schema.ts)', () => {
    const committed = readFileSync(file, 'utf8');
    expect(committed, 'docs/job-spec.schema.json is stale: run npx tsx agent/scripts/gen-job-spec-schema.ts and commit it').toBe(jobSpecJsonSchemaText());
  });

  it('describes both forms run --spec accepts, with the modes and options', () => {
    const s = jobSpecJsonSchema() as { anyOf: { properties: Record<string, { enum?: string[] }>; required?: string[] }[] };
    const [standalone, job] = s.anyOf;
    expect(standalone!.required).toEqual(expect.arrayContaining(['source', 'job']));
    expect(job!.properties.mode!.enum).toEqual(['full', 'full_cdc', 'cdc', 'verify']);
    expect(Object.keys(job!.properties)).toEqual(expect.arrayContaining(['mode', 'tables', 'mapping', 'options']));
  });
});
