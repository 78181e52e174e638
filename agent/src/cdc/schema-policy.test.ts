import { describe, expect, it } from 'vitest';
import { portableDefault } from './ddl-text';
import { decodePgDdl } from './pg-ddl-capture';
import { policyFor, SchemaPolicyDecider } from './schema-policy';
import { classifyTypeChange } from './type-change';

describe('schema change helpers', () => {
  it('policyFor: exact and pattern overrides, narrowing apart', () => {
    const job = {
      schemaChanges: {
        policy: 'apply' as const,
        narrowing: 'pause' as const,
        tables: { 'public.a': 'ignore' as const, 'log_*': 'quarantine' as const },
        captureDdl: true,
      },
    };
    expect(policyFor(job, 'public.a')).toBe('ignore');
    expect(policyFor(job, 'public.log_2024')).toBe('quarantine');
    expect(policyFor(job, 'public.b')).toBe('apply');
    expect(policyFor(job, 'public.b', true)).toBe('pause');
    expect(policyFor({}, 'public.b', true)).toBe('quarantine');
  });

  it('portableDefault: literals through PG casts; expressions are not portable', () => {
    expect(portableDefault('7')).toEqual({ kind: 'literal', text: '7', numeric: true });
    expect(portableDefault("'it''s'::character varying")).toEqual({ kind: 'literal', text: "it's", numeric: false });
    expect(portableDefault("('7'::integer)")).toEqual({ kind: 'literal', text: '7', numeric: false });
    expect(portableDefault('now()')).toBeNull();
    expect(portableDefault("nextval('s'::regclass)")).toBeNull();
  });

  it('classifyTypeChange: widening vs narrowing in either dialect', () => {
    expect(classifyTypeChange('integer', 'bigint')).toBe('widening');
    expect(classifyTypeChange('int(11)', 'bigint')).toBe('widening');
    expect(classifyTypeChange('bigint', 'integer')).toBe('narrowing');
    expect(classifyTypeChange('character varying(20)', 'character varying(50)')).toBe('widening');
    expect(classifyTypeChange('varchar(50)', 'varchar(10)')).toBe('narrowing');
    expect(classifyTypeChange('varchar(50)', 'text')).toBe('widening');
    expect(classifyTypeChange('numeric(10,2)', 'numeric(12,2)')).toBe('widening');
    expect(classifyTypeChange('numeric(10,2)', 'numeric(10,3)')).toBe('narrowing');
    expect(classifyTypeChange('text', 'integer')).toBe('narrowing');
    expect(classifyTypeChange('bigint', 'bigint')).toBe('same');
  });

  it('decodePgDdl: diffs by attnum, so a rename is a rename', () => {
    const col = (n: number, name: string, type = 'integer', extra = {}) => ({ n, name, type, notNull: false, default: null, ...extra });
    const before = { table: 'public.t', columns: [col(1, 'id'), col(2, 'v', 'text'), col(3, 'x')] };
    const after = { table: 'public.t', columns: [col(1, 'id', 'bigint'), col(2, 'w', 'text'), col(4, 'c', 'integer', { notNull: true, default: '7' })] };
    const msg = JSON.stringify({ tag: 'ALTER TABLE', object: 'table', table: 'public.t', before, after, query: 'ALTER TABLE t ...' });
    expect(decodePgDdl(msg, '0/1')).toEqual([
      { at: '0/1', statement: 'ALTER TABLE t ...', kind: 'drop_columns', table: 'public.t', columns: ['x'] },
      { at: '0/1', statement: 'ALTER TABLE t ...', kind: 'alter_type', table: 'public.t', column: 'id', type: 'bigint', notNull: false },
      { at: '0/1', statement: 'ALTER TABLE t ...', kind: 'rename_column', table: 'public.t', from: 'v', to: 'w' },
      {
        at: '0/1',
        statement: 'ALTER TABLE t ...',
        kind: 'add_columns',
        table: 'public.t',
        columns: [{ name: 'c', type: 'integer', notNull: true, default: '7' }],
      },
    ]);
    const renamed = JSON.stringify({ tag: 'ALTER TABLE', object: 'table', table: 'public.u', before, after: { ...before, table: 'public.u' } });
    expect(decodePgDdl(renamed, '0/2')).toEqual([{ at: '0/2', kind: 'rename_table', table: 'public.t', to: 'public.u' }]);
    const dropped = JSON.stringify({ tag: 'DROP TABLE', object: 'table', table: 'public.t', dropped: true });
    expect(decodePgDdl(dropped, '0/3')).toEqual([{ at: '0/3', kind: 'drop_table', table: 'public.t' }]);
  });

  it('SchemaPolicyDecider: CREATE TABLE is added live only under apply or pause; ignore and quarantine leave it out', async () => {
    const names = {
      tableMap: (t: string) => ({ name: t.slice(t.indexOf('.') + 1) }) as never,
      columnFor: () => null,
      targetName: () => null,
      refresh: async () => undefined,
    };
    const applier = { columnTypes: async () => null, renderDdl: () => [] };
    const decide = (policy: 'apply' | 'pause' | 'ignore' | 'quarantine') =>
      new SchemaPolicyDecider(
        { tables: { include: ['*'], exclude: [] }, mapping: {}, schemaChanges: { policy, narrowing: 'quarantine', tables: {}, captureDdl: true } },
        names,
        applier,
      ).decide({
        kind: 'create_table',
        table: 'public.n',
      });
    expect((await decide('apply')).effect).toEqual({ kind: 'added' });
    expect((await decide('pause')).effect).toEqual({ kind: 'added' });
    for (const p of ['ignore', 'quarantine'] as const) {
      const d = await decide(p);
      expect(d.action).toBe(p);
      expect(d.effect).toBeUndefined();
      expect(d.reason).toMatch(/left out of the job/);
    }
  });
});
