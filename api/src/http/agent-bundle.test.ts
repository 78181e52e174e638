import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { AgentBundler } from './agent-bundle';

/** A tree shaped like the repo, whose bundle.mjs writes its build count into the tarball. */
function fakeRepo() {
  const root = mkdtempSync(path.join(tmpdir(), 'sluice-bundler-'));
  mkdirSync(path.join(root, 'agent/src'), { recursive: true });
  mkdirSync(path.join(root, 'agent/scripts'));
  writeFileSync(path.join(root, 'agent/package.json'), '{}');
  writeFileSync(path.join(root, 'package-lock.json'), '{}');
  writeFileSync(path.join(root, 'agent/src/a.ts'), 'export const a = 1;');
  writeFileSync(path.join(root, 'agent/src/a.test.ts'), 'test');
  writeFileSync(
    path.join(root, 'agent/scripts/bundle.mjs'),
    `import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
const out = process.argv[process.argv.indexOf('--out') + 1];
appendFileSync(${JSON.stringify(path.join(root, 'builds.log'))}, 'x');
writeFileSync(out + '/sluice-agent.tgz', 'build ' + readFileSync(${JSON.stringify(path.join(root, 'builds.log'))}, 'utf8').length);
`,
  );
  return root;
}

describe('AgentBundler', () => {
  it('builds once per source hash, serves the cached build, and rebuilds when agent/ changes (tests excluded)', async () => {
    const root = fakeRepo();
    const cache = path.join(root, 'cache');
    mkdirSync(cache);
    const b = new AgentBundler(cache, pino({ level: 'silent' }), root);
    const [first, concurrent] = await Promise.all([b.current(), b.current()]);
    expect(first.hash).toBe(concurrent.hash);
    expect(readFileSync(first.file, 'utf8')).toBe('build 1');
    expect((await b.current()).file).toBe(first.file);

    writeFileSync(path.join(root, 'agent/src/a.test.ts'), 'changed test');
    await new Promise((r) => setTimeout(r, 2_100)); // past the hash memo
    expect((await b.current()).hash).toBe(first.hash);

    writeFileSync(path.join(root, 'agent/src/a.ts'), 'export const a = 2;');
    await new Promise((r) => setTimeout(r, 2_100));
    const second = await b.current();
    expect(second.hash).not.toBe(first.hash);
    expect(readFileSync(second.file, 'utf8')).toBe('build 2');
    expect(readdirSync(cache)).toEqual([second.hash]);
  }, 30_000); // two 2.1 s waits past the hash memo plus three builds: the 5 s default flakes on a busy machine

  it('two processes sharing the cache dir both get a complete build, and a leftover dir without a tarball is replaced', async () => {
    const root = fakeRepo();
    const cache = path.join(root, 'cache');
    const a = new AgentBundler(cache, pino({ level: 'silent' }), root);
    const hash = await a.sourceHash();
    mkdirSync(path.join(cache, hash), { recursive: true }); // a crash left an empty build dir
    const b = new AgentBundler(cache, pino({ level: 'silent' }), root);
    const [x, y] = await Promise.all([a.current(), b.current()]);
    expect(x.file).toBe(y.file);
    expect(readFileSync(x.file, 'utf8')).toMatch(/^build [12]$/);
    expect(readdirSync(cache)).toEqual([hash]);
  });

  it('reports a build that fails with its output', async () => {
    const root = fakeRepo();
    writeFileSync(path.join(root, 'agent/scripts/bundle.mjs'), "console.error('esbuild: cannot resolve x'); process.exit(1);");
    const b = new AgentBundler(path.join(root, 'cache'), pino({ level: 'silent' }), root);
    await expect(b.current()).rejects.toThrow(/agent bundle build exited with 1: esbuild: cannot resolve x/);
  });
});
