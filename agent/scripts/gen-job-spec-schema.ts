// Writes docs/job-spec.schema.json from the zod schemas (agent/src/protocol/job-spec.ts).
// Run after changing the job spec: npx tsx agent/scripts/gen-job-spec-schema.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jobSpecJsonSchemaText } from '../src/protocol/job-spec-json-schema';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/job-spec.schema.json');
writeFileSync(out, jobSpecJsonSchemaText());
process.stdout.write(`wrote ${out}\n`);
