/**
 * `npm run bench -- <name> [args]`: runs test/bench/<name>.ts (or <name>-bench.ts),
 * which exports `main(args: string[]): Promise<void>` (or is a script that runs on
 * import). Each benchmark is a file; adding one needs no change here.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.includes('.test.') && !f.includes('-child'))
  .map((f) => f.slice(0, -3).replace(/-bench$/, ''));

if (!name || name === '--help' || name === '-h') {
  process.stdout.write(`usage: npm run bench -- <name> [args]\navailable: ${available.join(', ') || '(none)'}\n`);
  process.exit(name ? 0 : 2);
}
// `agents` finds agents.ts or agents-bench.ts
const file = /^[a-z0-9-]+$/.test(name) ? [`${name}.ts`, `${name}-bench.ts`].find((f) => existsSync(join(here, f))) : undefined;
if (!file) {
  process.stderr.write(`unknown benchmark "${name}"; available: ${available.join(', ') || '(none)'}\n`);
  process.exit(2);
}
const mod = (await import(pathToFileURL(join(here, file)).href)) as { main?: (a: string[]) => Promise<void> };
// A benchmark without main() is a script that started on import and ends the process itself.
if (typeof mod.main === 'function') {
  try {
    await mod.main(args);
  } catch (e) {
    process.stderr.write(`bench ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  }
}
