// node scripts/lock-diff.mjs OLD_LOCK NEW_LOCK
// Exits 0 when NEW differs from OLD only by added packages marked optional (other platforms'
// binaries the registry started listing), 1 otherwise, naming what changed.
import { readFileSync } from 'node:fs';

const [oldPath, newPath] = process.argv.slice(2);
if (!oldPath || !newPath) {
  console.error('usage: node scripts/lock-diff.mjs OLD_LOCK NEW_LOCK');
  process.exit(2);
}
const read = (p) => JSON.parse(readFileSync(p, 'utf8')).packages ?? {};
const before = read(oldPath);
const after = read(newPath);
const problems = [];
for (const [key, entry] of Object.entries(before)) {
  const now = after[key];
  if (!now) problems.push(`removed: ${key || '(root)'}`);
  else if (now.version !== entry.version) problems.push(`changed: ${key} ${entry.version} -> ${now.version}`);
}
for (const [key, entry] of Object.entries(after)) {
  if (!(key in before) && entry.optional !== true) problems.push(`added (not optional): ${key}`);
}
if (problems.length > 0) {
  console.error(problems.slice(0, 20).join('\n'));
  process.exit(1);
}
