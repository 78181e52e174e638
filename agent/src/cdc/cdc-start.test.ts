import { describe, expect, it } from 'vitest';
import type { StreamStart } from '../connectors/spi';
import { resolveStart, type StartInput } from './cdc-start';

const names = { jobId: 'j', slot: 's', publication: 'p' };
const base: StartInput = {
  jobId: 'j',
  mode: 'cdc',
  jobStart: undefined,
  stream: 'cdc',
  freshStart: false,
  cdcStart: undefined,
  resume: {},
  tables: ['public.t'],
  names,
};

function fakes(stored: unknown) {
  const calls: string[] = [];
  const streaming = {
    positionKind: 'pg' as const,
    prepare: async () => void calls.push('prepare'),
    initialPosition: async (_n: unknown, _t: unknown, s: StreamStart) => {
      calls.push(`initial:${s.from}`);
      return { v: 1 as const, kind: 'pg' as const, lsn: '0/100' };
    },
  };
  const applier = { readCheckpoint: async () => stored };
  return { calls, streaming, applier };
}

describe('CDC start resolution', () => {
  it('prefers the target checkpoint (an old stored JSON row), then prepares the source', async () => {
    const f = fakes('{"v":1,"kind":"pg","lsn":"0/5","slot":"s","publication":"p"}');
    const r = await resolveStart(
      { ...base, resume: { cdc: { v: 1, kind: 'pg', lsn: '0/4' } }, cdcStart: { v: 1, kind: 'pg', lsn: '0/3' } },
      f.streaming,
      f.applier,
    );
    expect(r).toEqual({ position: { v: 1, kind: 'pg', lsn: '0/5', slot: 's', publication: 'p' }, origin: 'target checkpoint' });
    expect(f.calls).toEqual(['prepare']);
  });

  it('falls back to the control plane, then T0, and ignores positions of another kind', async () => {
    const f = fakes({ v: 1, kind: 'mysql', file: 'b.1', pos: 4 });
    expect((await resolveStart({ ...base, resume: { cdc: { kind: 'pg', lsn: '0/4' } } }, f.streaming, f.applier)).origin).toBe('control-plane checkpoint');
    const r = await resolveStart({ ...base, cdcStart: { v: 1, kind: 'pg', lsn: '0/3' } }, f.streaming, f.applier);
    expect(r).toEqual({ position: { v: 1, kind: 'pg', lsn: '0/3' }, origin: 'snapshot start (T0)' });
  });

  it('a fresh start ignores what earlier runs left behind', async () => {
    const f = fakes({ v: 1, kind: 'pg', lsn: '0/9' });
    const r = await resolveStart(
      { ...base, freshStart: true, resume: { cdc: { kind: 'pg', lsn: '0/8' } }, cdcStart: { kind: 'pg', lsn: '0/1' } },
      f.streaming,
      f.applier,
    );
    expect(r.position).toMatchObject({ lsn: '0/1' });
  });

  it('mode cdc without a position starts where the job says; full_cdc without T0 is a config error', async () => {
    const f = fakes(null);
    const r = await resolveStart({ ...base, jobStart: { from: 'lsn', lsn: '0/50' } }, f.streaming, f.applier);
    expect(r.origin).toBe('job cdcStart lsn');
    expect(f.calls).toEqual(['initial:lsn']);
    expect((await resolveStart(base, f.streaming, f.applier)).origin).toBe('now');
    await expect(resolveStart({ ...base, mode: 'full_cdc' }, f.streaming, f.applier)).rejects.toMatchObject({ code: 'CDC_START_MISSING' });
  });

  it('a stored position before the T0 of this run belongs to an earlier run (a retried attempt after a re-snapshot): skipped, and said', async () => {
    const f = fakes({ v: 1, kind: 'pg', lsn: '0/5', slot: 's' });
    const notes: string[] = [];
    const r = await resolveStart({ ...base, mode: 'full_cdc', cdcStart: { v: 1, kind: 'pg', lsn: '0/90', slot: 's' } }, f.streaming, f.applier, (m) =>
      notes.push(m),
    );
    expect(r).toMatchObject({ position: { lsn: '0/90' }, origin: 'snapshot start (T0)' });
    expect(notes).toEqual([expect.stringMatching(/target checkpoint \(lsn 0\/5\) precedes this run's snapshot start \(lsn 0\/90\)/)]);
  });

  it('proves the chosen position before preparing or reading; a lost position stops the start', async () => {
    const f = fakes({ v: 1, kind: 'pg', lsn: '0/5', slot: 's' });
    const proven: unknown[] = [];
    const ok = { ...f.streaming, provePosition: async (p: unknown) => void proven.push(p) };
    await resolveStart(base, ok, f.applier);
    expect(proven).toEqual([{ v: 1, kind: 'pg', lsn: '0/5', slot: 's' }]);
    const lost = Object.assign(new Error('slot gone'), { code: 'CDC_POSITION_LOST' });
    const bad = { ...f.streaming, provePosition: async () => Promise.reject(lost) };
    await expect(resolveStart(base, bad, f.applier)).rejects.toBe(lost);
    expect(f.calls).toEqual(['prepare']); // only the proven start prepared the source
  });
});
