import { describe, expect, it } from 'vitest';
import type { JobEventRow } from '../../repositories/jobs';
import { pendingFromEvents } from './schema-changes';

const at = new Date('2026-01-01T00:00:00Z');
const ev = (id: number, type: string, data: Record<string, unknown>) => ({ id, type, data, createdAt: at }) as unknown as JobEventRow;

describe('pendingFromEvents', () => {
  it('lists held changes until applied; an approval marks them; a replayed pause keeps the first', () => {
    const events = [
      ev(1, 'schema.paused', {
        changeId: 'a1',
        table: 'public.c',
        statement: 'ALTER TABLE c ADD z int',
        proposal: ['ALTER TABLE "public"."c" ADD COLUMN "z" integer'],
      }),
      ev(2, 'schema.paused', { changeId: 'b2', table: 'public.d', proposal: [] }),
      ev(3, 'schema.approved', { changeId: 'a1' }),
      ev(4, 'schema.paused', { changeId: 'a1', table: 'public.c', proposal: ['replayed'] }),
      ev(5, 'schema.applied', { changeId: 'b2' }),
      ev(6, 'schema.approved', { changeId: 'zz' }),
      // applied, then replayed after a crash before the position moved past it: still approved
      ev(7, 'schema.paused', { changeId: 'b2', table: 'public.d', proposal: [] }),
      ev(8, 'schema.approved', { changeId: 'b2' }),
      ev(9, 'schema.applied', { changeId: 'b2' }),
      ev(10, 'schema.paused', { changeId: 'b2', table: 'public.d', proposal: [] }),
    ];
    expect(pendingFromEvents(events)).toEqual([
      {
        changeId: 'a1',
        table: 'public.c',
        statement: 'ALTER TABLE c ADD z int',
        proposal: ['ALTER TABLE "public"."c" ADD COLUMN "z" integer'],
        targetTable: null,
        pausedAt: at,
        approved: true,
        approvedAt: at,
      },
      { changeId: 'b2', table: 'public.d', statement: null, proposal: [], targetTable: null, pausedAt: at, approved: true, approvedAt: at },
    ]);
  });
});
