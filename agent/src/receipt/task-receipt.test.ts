import { describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../protocol';
import { generateKeyPair } from '../runtime/credentials';
import { checkReceipt } from './receipt';
import { MAX_SENT_RECEIPT_BYTES, credentialSigner, taskReceipt } from './task-receipt';

const key = generateKeyPair();
const sign = credentialSigner({ privateKey: key.privateKeyPem, agentId: '00000000-0000-4000-8000-000000000001' });
const a = {
  jobId: '00000000-0000-4000-8000-0000000000aa',
  runId: '00000000-0000-4000-8000-0000000000bb',
  taskId: '00000000-0000-4000-8000-0000000000cc',
  job: jobSpecSchema.parse({ mode: 'full' }),
};
const table = (chunks: number) => ({
  tableName: 'shop.orders',
  status: 'ok',
  chunks,
  chunksOk: chunks,
  chunksMismatched: 0,
  chunksRepaired: 0,
  rowsSource: chunks * 10,
  rowsTarget: chunks * 10,
  rowsMissing: 0,
  rowsExtra: 0,
  rowsDifferent: 0,
  rowsRepaired: 0,
  chunkSums: Array.from({ length: chunks }, (_, index) => ({ index, source: { n: 10, h: 'ab'.repeat(32) }, target: { n: 10, h: 'ab'.repeat(32) } })),
});
const verified = (chunks: number) => ({
  load: { tables: [{ table: 'shop.orders', target: 'orders', rows: chunks * 10, chunks, skippedChunks: 0 }], rows: chunks * 10, bytes: 1, seconds: 1 },
  verify: {
    ok: true,
    tables: [table(chunks)],
    totals: { tables: 1, chunks, chunksOk: chunks, chunksMismatched: 0, chunksRepaired: 0, rowsMissing: 0, rowsExtra: 0, rowsDifferent: 0, rowsRepaired: 0 },
  },
});

describe('a control-plane task’s receipt', () => {
  it('is built like a standalone run’s, names the run and task, and verifies', () => {
    const r = taskReceipt(a, Date.now() - 1000, { outcome: 'completed', result: verified(3) }, sign)!;
    expect(r.body).toMatchObject({ jobId: a.jobId, runId: a.runId, taskId: a.taskId, end: 'completed', outcome: 'ok', exitCode: 0 });
    expect(r.signature.signer).toBe('00000000-0000-4000-8000-000000000001');
    expect(r.signature.publicKey).toBe(key.publicKeyB64);
    expect(checkReceipt(r, key.publicKeyB64)).toEqual([]);
  });

  it('says how a failed or stopped run ended, and a dry run has none', () => {
    const failed = taskReceipt(a, Date.now(), { outcome: 'failed', error: 'target unreachable' }, sign)!;
    expect(failed.body).toMatchObject({ end: 'failed', outcome: 'failed', exitCode: 1, error: 'target unreachable', plan: null, verification: null });
    expect(checkReceipt(failed)).toEqual([]);
    expect(taskReceipt(a, Date.now(), { outcome: 'stopped' }, sign)!.body).toMatchObject({ end: 'stopped', outcome: 'interrupted' });
    expect(taskReceipt(a, Date.now(), { outcome: 'completed', result: { dryRun: true, tables: [] } }, sign)).toBeNull();
  });

  it('leaves the per-chunk hashes out when they would not fit in one frame, and still verifies', () => {
    const r = taskReceipt(a, Date.now(), { outcome: 'completed', result: verified(20_000) }, sign)!;
    expect(Buffer.byteLength(JSON.stringify(r))).toBeLessThan(MAX_SENT_RECEIPT_BYTES);
    expect(r.body.chunkSumsOmitted).toBe(true);
    expect(checkReceipt(r)).toEqual([]);
  });
});
