import { describe, expect, it } from 'vitest';
import type { Catalog, TestResult } from './ops/data-sources';
import type { JobInput } from './ops/jobs';
import { dryRunPlan, matchPattern, preflightChecks, tableSelected } from './preflight';

const catalog = (tables: Array<{ name: string; pk?: string[]; rows?: number; cols?: string[] }>, schema = 'shop'): Catalog => ({
  version: '10.11',
  flavor: 'mariadb',
  database: schema,
  tables: tables.map((t) => ({
    schema,
    name: t.name,
    rowEstimate: t.rows ?? 1000,
    sizeBytes: (t.rows ?? 1000) * 100,
    primaryKey: t.pk ?? ['id'],
    columns: (t.cols ?? ['id', 'name']).map((c) => ({ name: c, type: 'int', nullable: false })),
    uniqueKeys: [],
    indexes: [],
    foreignKeys: [],
  })),
});

const input = (spec: Partial<JobInput['spec']> = {}): JobInput => ({
  name: 'j',
  sourceId: 's',
  targetId: 't',
  spec: { mode: 'full', tables: { include: ['*'], exclude: [] }, mapping: {}, options: { existingTable: 'fail', chunkSize: 400 }, ...spec },
});

const passing: TestResult = { agentId: 'a', ok: true, version: '1', checks: [{ name: 'reachable', ok: true, message: 'ok', fix: null, severity: 'ERROR' }] };

describe('table patterns (same rules as the engine)', () => {
  it('matches table or schema.table, case-insensitively, with * and ?', () => {
    expect(matchPattern('ord*', 'ORDERS')).toBe(true);
    expect(matchPattern('shop.ord?rs', 'shop.orders')).toBe(true);
    expect(matchPattern('a.b', 'aXb')).toBe(false);
    expect(tableSelected(['*'], ['big_*'], { schema: 'shop', name: 'big_events' })).toBe(false);
    expect(tableSelected(['shop.*'], [], { schema: 'shop', name: 'orders' })).toBe(true);
  });
});

describe('preflightChecks', () => {
  it('lists each connection check with its fix, and fails an empty selection', () => {
    const failing: TestResult = {
      agentId: 'a',
      ok: false,
      version: null,
      checks: [{ name: 'binlog', ok: false, message: 'binlog_format is STATEMENT', fix: 'SET GLOBAL binlog_format = ROW;', severity: 'ERROR' }],
    };
    const checks = preflightChecks({
      input: input({ tables: { include: ['nothing_*'], exclude: [] } }),
      sourceKind: 'MYSQL',
      targetKind: 'POSTGRES',
      sourceTest: failing,
      targetTest: passing,
      sourceCatalog: catalog([{ name: 'orders' }]),
      targetCatalog: catalog([], 'public'),
      targetSchema: 'public',
    });
    expect(checks.find((c) => c.name === 'Source: binlog')).toMatchObject({ status: 'fail', fix: 'SET GLOBAL binlog_format = ROW;' });
    expect(checks.find((c) => c.name === 'Target: reachable')?.status).toBe('ok');
    expect(checks.find((c) => c.name === 'Tables selected')?.status).toBe('fail');
  });

  it('shows the CDC checks of the source test as CDC checks: errors fail, warnings warn, each with its fix', () => {
    const cdc: TestResult = {
      agentId: 'a',
      ok: false,
      version: null,
      checks: [
        { name: 'reachable', ok: true, message: 'ok', fix: null, severity: 'ERROR' },
        {
          name: 'CDC: replica_identity',
          ok: false,
          message: '1 table(s) without a primary key or replica identity: public.nokey',
          fix: 'ALTER TABLE "public"."nokey" REPLICA IDENTITY FULL;',
          severity: 'ERROR',
        },
        { name: 'CDC: primary_keys', ok: false, message: 'no key: public.nokey', fix: 'ALTER TABLE public.nokey ADD PRIMARY KEY (...);', severity: 'WARNING' },
        { name: 'CDC: wal_level', ok: true, message: 'wal_level is logical', fix: null, severity: 'ERROR' },
      ],
    };
    const checks = preflightChecks({
      input: input({ mode: 'full_cdc' }),
      sourceKind: 'POSTGRES',
      targetKind: 'POSTGRES',
      sourceTest: cdc,
      targetTest: passing,
      sourceCatalog: null,
      targetCatalog: null,
      targetSchema: 'public',
    });
    expect(checks.find((c) => c.name === 'CDC: replica_identity')).toMatchObject({
      status: 'fail',
      fix: 'ALTER TABLE "public"."nokey" REPLICA IDENTITY FULL;',
    });
    expect(checks.find((c) => c.name === 'CDC: primary_keys')).toMatchObject({ status: 'warn', fix: 'ALTER TABLE public.nokey ADD PRIMARY KEY (...);' });
    expect(checks.find((c) => c.name === 'CDC: wal_level')).toMatchObject({ status: 'ok', fix: null });
    expect(checks.find((c) => c.name === 'Source: reachable')?.status).toBe('ok');
  });

  it('warns on a missing primary key and fails unknown mapped columns and an existing target table', () => {
    const checks = preflightChecks({
      input: input({ mapping: { orders: { columns: { nope: 'x' } }, logs: { rename: 'events' } } }),
      sourceKind: 'MYSQL',
      targetKind: 'POSTGRES',
      sourceTest: passing,
      targetTest: passing,
      sourceCatalog: catalog([{ name: 'orders' }, { name: 'logs', pk: [] }]),
      targetCatalog: catalog([{ name: 'events', rows: 5 }], 'public'),
      targetSchema: 'public',
    });
    expect(checks.find((c) => c.name === 'Primary key on logs')?.status).toBe('warn');
    expect(checks.find((c) => c.name === 'Column mapping of orders')).toMatchObject({ status: 'fail', message: 'Unknown column: nope.' });
    const exists = checks.find((c) => c.name === 'Target table events');
    expect(exists?.status).toBe('fail');
    expect(exists?.fix).toContain('DROP TABLE "public"."events";');
  });

  it('accepts an existing target table when the job truncates or upserts', () => {
    const checks = preflightChecks({
      input: input({ options: { existingTable: 'upsert' } }),
      sourceKind: 'MYSQL',
      targetKind: 'POSTGRES',
      sourceTest: passing,
      targetTest: passing,
      sourceCatalog: catalog([{ name: 'orders' }]),
      targetCatalog: catalog([{ name: 'orders' }], 'public'),
      targetSchema: 'public',
    });
    expect(checks.find((c) => c.name === 'Target table orders')?.status).toBe('ok');
  });
});

describe('dryRunPlan', () => {
  it('plans selected tables with target names, chunks and totals', () => {
    const plan = dryRunPlan(
      input({ tables: { include: ['*'], exclude: ['tmp_*'] }, mapping: { orders: { rename: 'sales', where: 'id > 5' } } }),
      catalog([
        { name: 'orders', rows: 1000 },
        { name: 'nopk', pk: [], rows: 900 },
        { name: 'tmp_x', rows: 5 },
      ]),
      'public',
    );
    expect(plan.tables.map((t) => [t.source, t.target, t.chunks])).toEqual([
      ['shop.orders', 'public.sales', 3],
      ['shop.nopk', 'public.nopk', 1],
    ]);
    expect(plan.totalRows).toBe(1900);
    expect(plan.tables[0]?.notes.join(' ')).toContain('filtered');
    expect(plan.estimatedSeconds).toBe(Math.ceil(1900 / plan.rate));
  });
});
