/**
 * Format conformance, both ways, for every format (Debezium with and without
 * the schema part, Canal JSON, Sluice JSON) on both type-torture tables:
 * - writing: what the encoders write equals the golden files byte for byte;
 * - reading: what the decoders read from the golden files is exactly the input
 *   (every type, create/update/key change/delete, tombstones, markers, DDL).
 * SLUICE_UPDATE_FIXTURES=1 rewrites the golden files (review the diff!).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CdcRow } from '../../agent/src/connectors/changes';
import {
  decodeRecord,
  encodeChange,
  FormatError,
  type Decoded,
  type FormatColumn,
  type FormatTable,
  type KafkaFormat,
} from '../../agent/src/connectors/kafka/formats';
import { parseMysqlType } from '../../agent/src/connectors/mysql/types';
import {
  changeEvents,
  DDL_TEXT,
  encodeScenario,
  ENGINES,
  FORMATS,
  fromLines,
  goldenPath,
  loadFixture,
  markers,
  SCENARIOS,
  toLines,
  type FixtureEngine,
} from './formats-fixtures';

const update = process.env.SLUICE_UPDATE_FIXTURES === '1';

function readGolden(format: KafkaFormat, engine: FixtureEngine, scenario: (typeof SCENARIOS)[number]) {
  return fromLines(fs.readFileSync(goldenPath(format, engine, scenario), 'utf8'));
}

function decodeAll(format: KafkaFormat, engine: FixtureEngine, scenario: (typeof SCENARIOS)[number]): Decoded[] {
  const f = loadFixture(engine);
  const hints = (): FormatColumn[] => f.table.columns;
  return readGolden(format, engine, scenario).flatMap((r) => decodeRecord(format, r.key, r.value, hints));
}

describe.each(FORMATS)('format %s', (format) => {
  describe.each(ENGINES)('%s type-torture', (engine) => {
    it.each(SCENARIOS)('writes the golden %s records', (scenario) => {
      const text = toLines(encodeScenario(format, engine, scenario));
      const file = goldenPath(format, engine, scenario);
      if (update) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
      }
      expect(text).toBe(fs.readFileSync(file, 'utf8'));
    });

    it('reads every snapshot row back exactly', () => {
      const f = loadFixture(engine);
      const got = decodeAll(format, engine, 'snapshot');
      expect(got).toHaveLength(f.rows.length);
      got.forEach((d, i) => {
        if (d.kind !== 'change') throw new Error(`record ${i} decoded as ${d.kind}`);
        expect(d.op).toBe(format === 'canal' ? 'c' : 'r');
        expect(d.table).toBe('torture');
        expect(d.before).toBeNull();
        expect(d.after).toEqual(f.decoded(format, f.rows[i]!));
      });
    });

    it('reads creates, updates, a key change (delete + create) and a delete with tombstones back exactly', () => {
      const f = loadFixture(engine);
      const [ins, upd, keyUpd, del] = changeEvents(engine, f);
      const dec = (r: CdcRow | null | undefined, asId?: string) => (r ? f.decoded(format, r, asId) : null);
      const got = decodeAll(format, engine, 'changes');
      expect(got.map((d) => (d.kind === 'change' ? d.op : d.kind))).toEqual(['c', 'u', 'd', 'tombstone', 'c', 'd', 'tombstone']);
      const ch = got.filter((d) => d.kind === 'change');
      expect(ch[0]!.after).toEqual(dec(ins!.after, '2'));
      expect(ch[1]!.before).toEqual(dec(upd!.before));
      expect(ch[1]!.after).toEqual(dec(upd!.after));
      expect(ch[2]!.before).toEqual(dec(keyUpd!.before));
      expect(ch[3]!.after).toEqual(dec(keyUpd!.after, '3'));
      expect(ch[4]!.before).toEqual(dec(del!.before));
      if (format !== 'canal') for (const c of ch) expect(c.txId).toBe(engine === 'mysql' ? '0-1-101' : '750');
    });

    it('reads the transaction markers and the DDL event', () => {
      const f = loadFixture(engine);
      const m = decodeAll(format, engine, 'markers');
      expect(m.map((d) => (d.kind === 'marker' ? [d.marker.status, d.marker.id] : d.kind))).toEqual(markers(engine, f).map((x) => [x.status, x.id]));
      if (format !== 'canal') expect(m[1]).toMatchObject({ kind: 'marker', marker: { eventCount: 4 } });
      const ddl = decodeAll(format, engine, 'ddl');
      expect(ddl).toEqual([{ kind: 'ddl', database: 'shop', table: 'torture', ddl: DDL_TEXT }]);
    });
  });
});

describe('records as a real Debezium MySQL connector writes them (test/fixtures/formats/debezium-real)', () => {
  const records = fromLines(
    fs.readFileSync(path.join(path.dirname(goldenPath('debezium', 'mysql', 'snapshot')), '../debezium-real/mysql-customers.jsonl'), 'utf8'),
  );
  const anne = { id: '1004', first_name: 'Anne', last_name: 'Kretchmar', email: 'annek@noanswer.org' };
  const anneMarie = { ...anne, first_name: 'Anne Marie' };

  it.each(['debezium', 'debezium-schema'] as const)('reads them with the %s decoder: the create, update, delete, tombstone and markers', (format) => {
    const got = records.flatMap((r) => decodeRecord(format, r.key, r.value));
    expect(got[0]).toMatchObject({
      kind: 'change',
      op: 'c',
      engine: 'mysql',
      database: 'inventory',
      table: 'customers',
      before: null,
      after: anne,
      keyColumns: ['id'],
      tsMs: 1465491411815,
    });
    expect(got[1]).toMatchObject({ kind: 'change', op: 'u', before: anne, after: anneMarie });
    expect(got[2]).toMatchObject({ kind: 'change', op: 'd', before: anneMarie, after: null });
    expect(got[3]).toEqual({ kind: 'tombstone' });
    expect(got[4]).toEqual({ kind: 'marker', marker: { status: 'BEGIN', id: '571:53195829', tsMs: 1486500577125 } });
    expect(got[5]).toEqual({
      kind: 'marker',
      marker: {
        status: 'END',
        id: '571:53195832',
        tsMs: 1486500577691,
        eventCount: 2,
        collections: [
          { name: 's1.a', count: 1 },
          { name: 's2.a', count: 1 },
        ],
      },
    });
    const first = got[0]!;
    if (first.kind !== 'change') throw new Error('not a change');
    expect(first.columns?.map((c) => [c.name, c.type.kind, c.nullable])).toEqual([
      ['id', 'int', false],
      ['first_name', 'text', false],
      ['last_name', 'text', false],
      ['email', 'text', false],
    ]);
  });
});

describe('a key change as Debezium 3.5 MariaDB writes it (recorded: test/fixtures/formats/debezium-real/mariadb-key-change.jsonl)', () => {
  const records = fromLines(
    fs.readFileSync(path.join(path.dirname(goldenPath('debezium', 'mysql', 'snapshot')), '../debezium-real/mariadb-key-change.jsonl'), 'utf8'),
  );

  it('reads the create that carries __debezium.oldkey as moved from the old key; the delete and tombstone as they are', () => {
    expect(records.map((r) => r.headers?.find(([n]) => n.endsWith('key'))?.[0] ?? null)).toEqual([
      null,
      '__debezium.newkey',
      '__debezium.newkey',
      '__debezium.oldkey',
    ]);
    const got = records.flatMap((r) => decodeRecord('debezium', r.key, r.value, undefined, r.headers));
    expect(got[0]).toMatchObject({
      kind: 'change',
      op: 'r',
      engine: 'mysql',
      database: 'k17_oldkey',
      table: 't',
      before: null,
      after: { id: '1', code: 'a', note: 'first' },
    });
    expect(got[1]).toMatchObject({ kind: 'change', op: 'd', before: { id: '1', code: 'a', note: 'first' }, after: null });
    expect(got[2]).toEqual({ kind: 'tombstone' });
    expect(got[3]).toMatchObject({
      kind: 'change',
      op: 'c',
      before: { id: '1', code: 'a' },
      after: { id: '2', code: 'a', note: 'moved' },
      keyColumns: ['id', 'code'],
    });
    // without the header the create is a plain create, as before
    expect(decodeRecord('debezium', records[3]!.key, records[3]!.value)[0]).toMatchObject({ op: 'c', before: null });
  });

  it.each(['debezium', 'debezium-schema'] as const)('writes the same key-change headers as Debezium (%s)', (format) => {
    const cols: [string, string][] = [
      ['id', 'int'],
      ['code', 'varchar(10)'],
      ['note', 'varchar(20)'],
      ['amount', 'decimal(10,2)'],
    ];
    const table: FormatTable = {
      engine: 'mysql',
      database: 'k17_oldkey',
      schema: null,
      name: 't',
      keyColumns: ['id', 'code'],
      columns: cols.map(([name, t]) => ({ name, nativeType: t, type: parseMysqlType(t) })),
    };
    const source = { serverName: 's', tsMs: 1, snapshot: 'false' as const, position: null, txId: null };
    const before = { id: '1', code: 'a', note: 'first', amount: '12.50' };
    const out = encodeChange(
      { op: 'u', table, before, after: { ...before, id: '2', note: 'moved' }, source, tsMs: 1 },
      { format, serverName: 's', tombstones: true },
    );
    const header = (i: number) => out[i]!.headers?.map(([n, v]) => [n, v.toString()]);
    // Debezium's own records carry exactly these (plus its __debezium.context.* headers)
    const want = (i: number) => records[i]!.headers!.filter(([n]) => !n.startsWith('__debezium.context.')).map(([n, v]) => [n, v.toString()]);
    expect(out.map((r) => r.value === null)).toEqual([false, true, false]);
    expect([header(0), header(1), header(2)]).toEqual([want(1), want(2), want(3)]);
  });
});

describe('bad input', () => {
  it.each(FORMATS)('%s: a record that is not JSON, or not a change, is a FormatError naming why', (format) => {
    expect(() => decodeRecord(format, null, Buffer.from('{"op": "c", '))).toThrow(/not JSON/);
    expect(() => decodeRecord(format, null, Buffer.from('[1,2]'))).toThrow(FormatError);
  });
});
