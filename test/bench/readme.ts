/**
 * `npm run bench:readme` (or `npm run bench -- readme [--in file] [--debezium-in file]`): rewrites the README's
 * benchmark sections between their `<!-- bench:<id>:start/end -->` markers from the result files alone, so the
 * published table is always the one the JSON holds: `fullload` from results/fullload.json, `debezium` from the newer
 * of results/debezium.json and results/debezium-quick.json. Measures nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib/fullload-env';
import { writeReadmeSection, type FullloadReport } from './lib/fullload-report';
import { readmeSection as debeziumSection, type DebeziumReport } from './lib/debezium-report';
import { parseArgs, sh, updateReadme } from './lib/util';

export async function main(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  const file = typeof a.in === 'string' ? a.in : join(root, 'test/bench/results/fullload.json');
  const report = JSON.parse(readFileSync(file, 'utf8')) as FullloadReport;
  await writeReadmeSection(root, report);
  console.log(`README.md: full-load section rewritten from ${file}`);
  const candidates =
    typeof a['debezium-in'] === 'string' ? [a['debezium-in']] : ['debezium.json', 'debezium-quick.json'].map((f) => join(root, 'test/bench/results', f));
  const reports = candidates.filter((f) => existsSync(f)).map((f) => ({ f, r: JSON.parse(readFileSync(f, 'utf8')) as DebeziumReport }));
  const newest = reports.filter(({ r }) => r.rows && r.at).sort((x, y) => y.r.at.localeCompare(x.r.at))[0];
  if (newest) {
    await updateReadme(join(root, 'README.md'), 'debezium', debeziumSection(newest.r), '### MySQL → Kafka CDC against Debezium');
    await sh(`${join(root, 'node_modules/.bin/prettier')} --write ${join(root, 'README.md')}`);
    console.log(`README.md: Debezium section rewritten from ${newest.f}`);
  }
}
