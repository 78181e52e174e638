/**
 * Guard: only agent/src/tls/client-tls.ts may set the TLS verification switch.
 * Every other client (connectors, CDC, verification, Kafka, the api) must get its
 * TLS options from that module, so a new client cannot quietly skip verification.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ALLOWED = new Set(['agent/src/tls/client-tls.ts', 'agent/src/tls/client-tls.test.ts', 'agent/src/tls/client-tls-guard.test.ts']);
const SKIP_DIRS = new Set(['node_modules', '.next', '.git', '.turbo', 'dist', 'coverage']);
const EXT = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
// Assembled so this file does not match its own pattern by accident in other tools.
const NEEDLE = ['reject', 'Unauthorized'].join('');

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (EXT.test(name)) out.push(p);
  }
}

describe('TLS options are built in one place', () => {
  it(`no file outside agent/src/tls/client-tls.ts mentions ${NEEDLE}`, () => {
    const files: string[] = [];
    for (const top of ['agent', 'api', 'web', 'db', 'test', 'scripts']) {
      try {
        walk(path.join(root, top), files);
      } catch {
        /* a package folder may be absent */
      }
    }
    expect(files.length).toBeGreaterThan(50);
    const offenders = files
      .map((f) => path.relative(root, f))
      .filter((rel) => !ALLOWED.has(rel) && readFileSync(path.join(root, rel), 'utf8').includes(NEEDLE));
    expect(offenders, `build TLS options with agent/src/tls/client-tls.ts instead: ${offenders.join(', ')}`).toEqual([]);
  });
});
