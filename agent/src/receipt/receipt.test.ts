import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../runtime/credentials';
import { canonicalJson, checkReceipt, receiptBody, signReceipt } from './receipt';

const sums = (n: number, h: string) => ({ n, h });
const table = {
  tableName: 'shop.orders',
  targetTable: 'public.orders',
  status: 'repaired',
  chunks: 2,
  chunksOk: 1,
  chunksMismatched: 1,
  chunksRepaired: 1,
  rowsSource: 30,
  rowsTarget: 29,
  rowsMissing: 1,
  rowsExtra: 0,
  rowsDifferent: 0,
  rowsRepaired: 1,
  chunkSums: [
    { index: 0, source: sums(10, 'aa'), target: sums(10, 'aa') },
    { index: 1, source: sums(20, 'bb'), target: sums(19, 'cc') },
  ],
};
const result = {
  load: {
    tables: [{ table: 'shop.orders', target: 'public.orders', rows: 30, bytes: 900, chunks: 2, skippedChunks: 0 }],
    rows: 30,
    bytes: 900,
    seconds: 1,
    warnings: [],
    objects: [
      { id: 'view:v', kind: 'view', name: 'v', status: 'carried', ddl: ['CREATE VIEW v AS SELECT 1'], result: 'created' },
      { id: 'trigger:t', kind: 'trigger', name: 't', status: 'not_carried', ddl: [], reason: 'procedural code' },
    ],
    cdcStart: { v: 1, kind: 'pg', lsn: '0/16B3748' },
  },
  verify: {
    ok: true,
    tables: [table],
    totals: { tables: 1, chunks: 2, chunksOk: 1, chunksMismatched: 1, chunksRepaired: 1, rowsMissing: 1, rowsExtra: 0, rowsDifferent: 0, rowsRepaired: 1 },
  },
  cdc: { position: { v: 1, kind: 'pg', lsn: '0/16B9000' }, events: 12, transactions: 3 },
};
const run = {
  jobId: 'j1',
  mode: 'full_cdc',
  agentVersion: '1.0.0',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: '2026-01-01T00:01:00Z',
  outcome: 'ok',
  exitCode: 0,
  result,
};

interface Signed {
  body: {
    load: { rows: number };
    verification: { tables: { status: string; chunkSums: { source: { n: number } }[] }[] };
  } & Record<string, unknown>;
  signature: Record<string, string>;
}

describe('correctness receipt', () => {
  const kp = generateKeyPair();
  const receipt = () => JSON.parse(JSON.stringify(signReceipt(receiptBody(run), kp.privateKeyPem, 'agent-1'))) as Signed;

  it('holds the plan, T0 and the final position, CDC applied, per-chunk counts and hashes on both sides; its signature verifies', () => {
    const r = receipt();
    expect(r.body).toMatchObject({
      jobId: 'j1',
      plan: {
        tables: [{ table: 'shop.orders', chunks: 2, rows: 30 }],
        objects: [
          { id: 'view:v', status: 'carried', result: 'created' },
          { id: 'trigger:t', status: 'not_carried', reason: 'procedural code' },
        ],
      },
      positions: { t0: { lsn: '0/16B3748' }, final: { lsn: '0/16B9000' } },
      cdc: { applied: [{ from: { lsn: '0/16B3748' }, to: { lsn: '0/16B9000' }, events: 12 }] },
      verification: { ok: true, tables: [{ table: 'shop.orders', status: 'repaired', chunkSums: table.chunkSums }] },
    });
    expect(r.signature).toMatchObject({ alg: 'ed25519', publicKey: kp.publicKeyB64, signer: 'agent-1' });
    expect(checkReceipt(r)).toEqual([]);
    expect(checkReceipt(r, kp.publicKeyB64)).toEqual([]);
  });

  it('a tampered receipt fails: changed content, another key, inconsistent figures', () => {
    const changed = receipt();
    changed.body.verification.tables[0]!.status = 'ok';
    expect(checkReceipt(changed).join('\n')).toMatch(/signature does not match[\s\S]*status ok with mismatched chunks/);
    const resigned = receipt();
    resigned.body.load.rows = 31;
    const forged = signReceipt(resigned.body, generateKeyPair().privateKeyPem, 'agent-1');
    expect(checkReceipt(forged, kp.publicKeyB64).join('\n')).toMatch(/another key[\s\S]*plan's tables hold 30 rows, the load says 31/);
    const sumsOff = receipt();
    sumsOff.body.verification.tables[0]!.chunkSums[0]!.source.n = 11;
    expect(checkReceipt(signReceipt(sumsOff.body, kp.privateKeyPem, 'x'))).toEqual(['shop.orders: chunk counts add up to 31 source rows, the table says 30']);
    expect(checkReceipt({ nope: 1 })).toEqual(['not a Sluice receipt (body and signature expected)']);
  });

  it('signs canonical JSON (key order does not matter)', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }] })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
  });
});
