/** Writes docs/type-mapping.md from the code's mapping: `npx tsx agent/src/engine/gen-type-mapping.ts [--check]`. */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { typeMappingMarkdown } from './type-mapping-doc';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const file = path.join(root, 'docs/type-mapping.md');
const md = typeMappingMarkdown();
if (process.argv.includes('--check')) {
  let cur = '';
  try {
    cur = readFileSync(file, 'utf8');
  } catch {
    /* missing */
  }
  if (cur !== md) {
    console.error('docs/type-mapping.md is stale: run npx tsx agent/src/engine/gen-type-mapping.ts');
    process.exit(1);
  }
} else {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, md);
  console.log(`wrote ${path.relative(root, file)}`);
}
