import { describe, expect, it } from 'vitest';
import { presentSchemaObjects } from './objects';

describe('presentSchemaObjects', () => {
  it('types plan.objects for GraphQL (enums upper-case, absent fields null)', () => {
    const plan = {
      dryRun: true,
      objects: [
        { id: 'view:v', kind: 'view', name: 'v', status: 'translated', when: 'after_load', ddl: ['CREATE VIEW "v" AS SELECT 1'], sourceDdl: 'CREATE VIEW v' },
        { id: 'trigger:t', kind: 'trigger', name: 't', table: 'x', status: 'not_carried', ddl: [], reason: 'r', fix: 'f' },
      ],
    };
    const r = presentSchemaObjects(plan);
    expect(r.problem).toBeNull();
    expect(r.value).toEqual([
      expect.objectContaining({ kind: 'VIEW', status: 'TRANSLATED', when: 'AFTER_LOAD', result: null, table: null, ddl: ['CREATE VIEW "v" AS SELECT 1'] }),
      expect.objectContaining({ kind: 'TRIGGER', status: 'NOT_CARRIED', when: null, table: 'x', reason: 'r', fix: 'f' }),
    ]);
  });
  it('absent is null; what does not parse is a problem, never a crash', () => {
    expect(presentSchemaObjects({ dryRun: true })).toEqual({ value: null, problem: null });
    expect(presentSchemaObjects(null)).toEqual({ value: null, problem: null });
    const bad = presentSchemaObjects({ objects: [{ id: 'x', kind: 'wormhole' }] });
    expect(bad.value).toBeNull();
    expect(bad.problem).toMatch(/cannot read/);
  });
});
