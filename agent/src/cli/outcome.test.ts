import { describe, expect, it } from 'vitest';
import { EXIT_CODES, classify, summarize } from './outcome';

const table = (status: string, extra: Record<string, unknown> = {}) => ({
  tableName: 'shop.orders',
  status,
  chunks: 2,
  chunksOk: status === 'ok' ? 2 : 1,
  chunksMismatched: status === 'ok' ? 0 : 1,
  chunksRepaired: status === 'repaired' ? 1 : 0,
  rowsMissing: 0,
  rowsExtra: 0,
  rowsDifferent: status === 'ok' ? 0 : 1,
  rowsRepaired: status === 'repaired' ? 1 : 0,
  ...extra,
});
const verify = (...tables: ReturnType<typeof table>[]) => ({
  ok: tables.every((t) => t.status === 'ok' || t.status === 'repaired'),
  tables,
  totals: {
    tables: tables.length,
    chunks: 2,
    chunksOk: 1,
    chunksMismatched: 1,
    chunksRepaired: 0,
    rowsMissing: 0,
    rowsExtra: 0,
    rowsDifferent: 1,
    rowsRepaired: 0,
  },
});

describe('run outcome', () => {
  it('maps results to the documented exit codes', () => {
    expect(classify({ mode: 'full', load: { tables: [] } }, true)).toBe('ok');
    expect(classify({ mode: 'full', verify: verify(table('repaired')) }, true)).toBe('ok');
    expect(classify({ mode: 'full', verify: verify(table('mismatch')) }, false)).toBe('mismatch');
    expect(classify({ mode: 'full', verify: verify(table('mismatch')) }, true)).toBe('mismatch-after-repair');
    expect(classify(verify(table('ok'), table('failed', { error: 'boom' })), false)).toBe('verify-failed');
    expect(classify({ alreadyFinished: true }, true)).toBe('already-finished');
    expect(classify({ dryRun: true }, true)).toBe('dry-run');
    expect(EXIT_CODES).toMatchObject({
      ok: 0,
      'already-finished': 0,
      failed: 1,
      mismatch: 4,
      'mismatch-after-repair': 5,
      'verify-failed': 6,
      interrupted: 130,
    });
  });

  it('summarises in a few human lines, naming differing keys, with no JSON', () => {
    const s = summarize({
      jobId: 'j1',
      mode: 'full',
      outcome: 'mismatch',
      seconds: 3.2,
      stateFile: '/tmp/s.json',
      result: {
        load: {
          tables: [{ table: 'orders', target: 'orders', rows: 1200, bytes: 2048, chunks: 2, skippedChunks: 0 }],
          rows: 1200,
          bytes: 2048,
          seconds: 1.5,
          rowsPerSec: 800,
          warnings: ['lossy: x'],
        },
        verify: verify(table('mismatch', { sampleKeys: { missing: [], extra: [], different: ['42'] } })),
      },
    });
    expect(s).toBe(
      [
        'sluice-agent run j1 (full): VERIFICATION FOUND DIFFERENCES (repair is off)',
        '  loaded 1,200 rows (2.0 KB) into 1 table in 1.5 s, 800 rows/s',
        '  warning: lossy: x',
        '  verified 1 table, 2 chunks: 1 ok, 1 differed, 0 repaired (rows missing 0, extra 0, different 1; 0 repaired)',
        '    shop.orders: mismatch: missing 0, extra 0, different 1, repaired 0',
        '      different keys: (42)',
        '  state file: /tmp/s.json',
        '  took 3.2 s; exit code 4',
        '',
      ].join('\n'),
    );
    expect(summarize({ jobId: 'j', mode: 'full', outcome: 'failed', result: null, error: { message: 'no such db', fix: 'create it' }, seconds: 0.1 })).toMatch(
      /FAILED\n {2}error: no such db\n {2}fix: create it\n/,
    );
  });

  it('names each differing row with its columns and both values, and counts the rest', () => {
    const differences = [
      {
        kind: 'different',
        key: '42',
        columns: [
          { column: 'price', source: '1.5e0', target: '1.51e0' },
          { column: 'note', source: null, target: 'x' },
        ],
        columnsDiffering: 3,
      },
      { kind: 'missing', key: '7' },
    ];
    const s = summarize({
      jobId: 'j1',
      mode: 'verify',
      outcome: 'mismatch',
      seconds: 1,
      result: { ...verify(table('mismatch', { differences, differencesTotal: 14 })) },
    });
    expect(s).toContain(
      [
        '      different (42)',
        '        price: source "1.5e0", target "1.51e0"',
        '        note: source NULL, target "x"',
        '        … 1 more columns',
        '      missing (7)',
        '      … 12 more rows differ (--json lists the first 2)',
      ].join('\n'),
    );
  });
});

describe('schema objects in the summary', () => {
  const objects = [
    { id: 'view:v_paid', kind: 'view', name: 'v_paid', status: 'translated', when: 'after_load', ddl: ['CREATE VIEW "v_paid" AS SELECT "id" FROM "items"'] },
    {
      id: 'trigger:t1',
      kind: 'trigger',
      name: 't1',
      table: 'items',
      status: 'not_carried',
      ddl: [],
      sourceDdl: 'CREATE TRIGGER t1 …',
      reason: 'procedural code',
      fix: 'rewrite it by hand',
    },
    {
      id: 'check:items.c',
      kind: 'check',
      name: 'items.c',
      table: 'items',
      status: 'carried',
      when: 'after_load',
      ddl: ['ALTER TABLE …'],
      result: 'failed',
      error: 'boom',
    },
  ];
  it('a dry run lists every object with its target DDL or why not', () => {
    const text = summarize({ jobId: 'j', mode: 'full', outcome: 'dry-run', result: { dryRun: true, tables: [], objects }, seconds: 1 });
    expect(text).toContain('schema objects: 1 carried, 1 translated, 1 not carried');
    expect(text).toContain('translated: view v_paid (after the load)');
    expect(text).toContain('-> CREATE VIEW "v_paid" AS SELECT "id" FROM "items"');
    expect(text).toContain('not carried: trigger t1: procedural code');
    expect(text).toContain('fix: rewrite it by hand');
  });
  it('a run names the objects that could not be created', () => {
    const load = { tables: [], rows: 0, bytes: 0, seconds: 1, rowsPerSec: 0, warnings: [], objects };
    const text = summarize({ jobId: 'j', mode: 'full', outcome: 'ok', result: { load }, seconds: 1 });
    expect(text).toContain('schema objects: 1 carried, 1 translated, 1 not carried, 1 failed');
    expect(text).toContain('failed: check items.c: boom');
    expect(text).not.toContain('-> CREATE VIEW');
  });
});
