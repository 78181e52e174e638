import { describe, expect, it } from 'vitest';
import type { SourcePosition } from '../../position';
import { topicRecord, type TopicRecord } from './change-records';
import type { SnapshotMark } from './snapshot-progress';
import { TxPipeline } from './tx-pipeline';

const pos = (n: number): SourcePosition => ({ v: 1, kind: 'kafka', offsets: { t: { '0': String(n) } } });
const recs = (from: number, n: number): TopicRecord[] => Array.from({ length: n }, (_, i) => topicRecord('t', null, Buffer.from(String(from + i))));

/** A send that holds each transaction until release() is called. */
function gatedSend() {
  const sent: { values: string[]; position: SourcePosition; done: SnapshotMark }[] = [];
  const gates: (() => void)[] = [];
  let failNext: Error | null = null;
  const send = (records: TopicRecord[], position: SourcePosition, done: SnapshotMark) => {
    sent.push({ values: records.map((r) => r.value!.toString()), position, done });
    const fail = failNext;
    failNext = null;
    return new Promise<void>((resolve, reject) => gates.push(() => (fail ? reject(fail) : resolve())));
  };
  const release = async () => {
    gates.shift()?.();
    await new Promise((r) => setImmediate(r));
  };
  return { sent, send, release, failOnNext: (e: Error) => (failNext = e) };
}

describe('TxPipeline', () => {
  it('keeps one transaction in flight, merges what arrives meanwhile, and commits in order with the last position', async () => {
    const g = gatedSend();
    const p = new TxPipeline(g.send, { minRecords: 2, maxRecords: 100, maxBytes: 1 << 20, maxAgeMs: 60_000 });
    await p.add(recs(0, 2), pos(2), false);
    expect(g.sent).toHaveLength(1);
    // in flight: these wait and merge, even past minRecords
    await p.add(recs(2, 2), pos(4), false);
    await p.add(recs(4, 3), pos(7), true);
    expect(g.sent).toHaveLength(1);
    expect(p.waiting).toBe(5);
    await g.release();
    await p.add([], pos(8), true);
    expect(g.sent).toHaveLength(2);
    expect(g.sent[1]).toEqual({ values: ['2', '3', '4', '5', '6'], position: pos(8), done: true });
    const drained = p.drain();
    await g.release();
    await drained;
    expect(g.sent.flatMap((s) => s.values)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('waits for the transaction in flight once maxRecords pile up', async () => {
    const g = gatedSend();
    const p = new TxPipeline(g.send, { minRecords: 1, maxRecords: 3, maxBytes: 1 << 20, maxAgeMs: 60_000 });
    await p.add(recs(0, 1), pos(1), false);
    let added = false;
    const adding = p.add(recs(1, 3), pos(4), false).then(() => (added = true));
    await new Promise((r) => setImmediate(r));
    expect(added).toBe(false);
    await g.release();
    await adding;
    expect(g.sent.map((s) => s.values.length)).toEqual([1, 3]);
  });

  it('starts a transaction on tick once maxAgeMs passed, not before', async () => {
    const g = gatedSend();
    let clock = 1000;
    const p = new TxPipeline(g.send, { minRecords: 100, maxRecords: 1000, maxBytes: 1 << 20, maxAgeMs: 30, now: () => clock });
    await p.add(recs(0, 1), pos(1), true);
    clock += 29;
    await p.tick();
    expect(g.sent).toHaveLength(0);
    clock += 1;
    await p.tick();
    expect(g.sent).toHaveLength(1);
  });

  it('throws a failed transaction from the next call, and never starts another after it', async () => {
    const g = gatedSend();
    const p = new TxPipeline(g.send, { minRecords: 1, maxRecords: 100, maxBytes: 1 << 20, maxAgeMs: 0 });
    g.failOnNext(new Error('fenced'));
    await p.add(recs(0, 1), pos(1), true);
    await g.release();
    await expect(p.tick()).rejects.toThrow('fenced');
    await expect(p.add(recs(1, 1), pos(2), true)).rejects.toThrow('fenced');
    await expect(p.drain()).rejects.toThrow('fenced');
    expect(g.sent).toHaveLength(1);
  });
});
