import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineResult } from './hooks';
import { runStandaloneWith } from './standalone';

const spec = {
  jobId: 'standalone-unit',
  source: { kind: 'postgres', config: { host: '127.0.0.1', port: 1, database: 'd', user: 'u' } },
  target: { kind: 'postgres', config: { host: '127.0.0.1', port: 1, database: 'd', user: 'u' } },
  job: { mode: 'full_cdc' },
};

describe('runStandaloneWith', () => {
  it('a run stopped by a signal is not marked finished: the rerun resumes from its checkpoints', async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'sluice-standalone-')), 'state.json');
    const ac = new AbortController();
    const first = await runStandaloneWith(spec, { stateFile, signal: ac.signal }, async (_input, hooks) => {
      await hooks.checkpoint('cdc', { v: 1, kind: 'pg', lsn: '0/10' });
      ac.abort(); // SIGTERM while streaming: the engine returns what it did so far
      return { ok: true };
    });
    expect(first.alreadyFinished).toBeUndefined();
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { finishedAt?: string; checkpoints: Record<string, unknown> };
    expect(state.finishedAt).toBeUndefined();
    expect(state.checkpoints.cdc).toEqual({ v: 1, kind: 'pg', lsn: '0/10' });

    let resumedFrom: unknown;
    const second = await runStandaloneWith(spec, { stateFile }, async (_input, hooks) => {
      resumedFrom = hooks.resume.cdc;
      return { ok: true };
    });
    expect(resumedFrom).toEqual({ v: 1, kind: 'pg', lsn: '0/10' });
    expect(second.alreadyFinished).toBeUndefined();
    // That run ended on its own: a third run has nothing to do.
    const third = await runStandaloneWith(spec, { stateFile }, () => Promise.reject(new Error('must not run')));
    expect(third.alreadyFinished).toBe(true);
  });
});
