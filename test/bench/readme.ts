/**
 * `npm run bench:readme` (or `npm run bench -- readme [--in file]`): rewrites the README's benchmark
 * sections between their `<!-- bench:<id>:start/end -->` markers from the result files alone, so the
 * published table is always the one the JSON holds. Measures nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib/fullload-env';
import { writeReadmeSection, type FullloadReport } from './lib/fullload-report';
import { parseArgs } from './lib/util';

export async function main(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  const file = typeof a.in === 'string' ? a.in : join(root, 'test/bench/results/fullload.json');
  const report = JSON.parse(readFileSync(file, 'utf8')) as FullloadReport;
  await writeReadmeSection(root, report);
  console.log(`README.md: full-load section rewritten from ${file}`);
}
