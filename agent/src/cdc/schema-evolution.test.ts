import { describe, expect, it } from 'vitest';
import { jobSpecSchema } from '../protocol';
import type { ColumnMap, TableColumnMaps } from './column-maps';
import { SchemaEvolution } from './schema-evolution';

const job = jobSpecSchema.parse({
  mode: 'cdc',
  mapping: { 'public.orders': { rename: 'orders_copy', columns: { total: 'amount' }, excludeColumns: ['secret'] } },
});

function setup(targetColumns: string[] | null, maps = new Map<string, TableColumnMaps>()) {
  const added: { table: string; cols: { name: string; type: string }[] }[] = [];
  const events: string[] = [];
  const evolution = new SchemaEvolution(
    { job },
    { event: (type, message) => void events.push(`${type}: ${message}`), log: () => {} },
    {
      engine: 'postgres',
      describe: async (table) => ({
        key: table,
        schema: 'public',
        name: 'orders',
        keyColumns: ['id'],
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'note', type: 'character varying(20)' },
          { name: 'total', type: 'numeric(10,2)' },
        ],
      }),
    },
    {
      engine: 'mysql',
      columns: async () => (targetColumns ? new Map(targetColumns.map((c) => [c, 'x'])) : null),
      addColumns: async (table, cols) => void added.push({ table, cols }),
    },
    maps,
    async () => new Map(),
  );
  return { evolution, added, events };
}

describe('CDC schema evolution', () => {
  it('maps rows through the job mapping: renames, exclusions, converters', () => {
    const maps = new Map<string, TableColumnMaps>([
      [
        'public.orders',
        {
          known: new Set(['id', 'total', 'gen']),
          columns: new Map<string, ColumnMap>([
            ['id', { target: 'id', sqlType: 'int', convert: null }],
            ['total', { target: 'amount', sqlType: 'decimal(10,2)', convert: (v) => `${String(v)}0` }],
          ]),
        },
      ],
    ]);
    const { evolution } = setup([], maps);
    const map = evolution.tableMap('public.orders');
    expect(map.name).toBe('orders_copy');
    expect(evolution.mapRow({ id: '1', total: '2.5', gen: 'x', secret: 's', extra: 'e' }, map, 'public.orders')).toEqual({
      id: '1',
      amount: '2.50',
      extra: 'e',
    });
  });

  it('adds a source ADD COLUMN to the target, translated to its dialect', async () => {
    const { evolution, added, events } = setup([]);
    await evolution.addColumns({
      kind: 'add_columns',
      table: 'public.orders',
      columns: [
        { name: 'note', type: 'character varying(20)' },
        { name: 'secret', type: 'text' },
      ],
    });
    expect(added).toEqual([{ table: 'orders_copy', cols: [{ name: 'note', type: 'varchar(20)' }] }]);
    expect(events[0]).toMatch(/^table.column_added: added note varchar\(20\) to orders_copy/);
  });

  it('adds only the columns a batch writes that the target lacks', async () => {
    const { evolution, added } = setup(['id', 'amount']);
    await evolution.addMissingColumns(
      { table: 'orders_copy', keyColumns: ['id'], truncate: false, deletes: [], upserts: [{ row: { id: '1', amount: '2', note: 'n' } }] },
      'public.orders',
    );
    expect(added).toEqual([{ table: 'orders_copy', cols: [{ name: 'note', type: 'varchar(20)' }] }]);
    const none = setup(null);
    await none.evolution.addMissingColumns(
      { table: 'gone', keyColumns: ['id'], truncate: false, deletes: [], upserts: [{ row: { note: 'n' } }] },
      'public.orders',
    );
    expect(none.added).toEqual([]);
  });
});
