/**
 * The format conformance kit's fixtures (test/fixtures/formats/): the
 * type-torture tables as input (exact source text forms), the scenarios every
 * format is checked on (snapshot rows, create/update/key change/delete with
 * tombstones, transaction markers, DDL), and the golden record files
 * (`<format>/<engine>-<scenario>.jsonl`, one `{"key":…,"value":…}` per record).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CdcRow, CdcValue } from '../../agent/src/connectors/changes';
import type { ColumnType } from '../../agent/src/connectors/catalog';
import type { SourcePosition } from '../../agent/src/connectors/position';
import { parseMysqlType } from '../../agent/src/connectors/mysql/types';
import { parsePgType } from '../../agent/src/connectors/postgres/types';
import { stringifyExact as stringify } from '../../agent/src/connectors/kafka/formats/exact-json';
import {
  encodeChange,
  encodeDdl,
  encodeMarker,
  parseExactJson,
  type FormatChange,
  type FormatRecord,
  type FormatSource,
  type FormatTable,
  type KafkaFormat,
  type TxMarker,
} from '../../agent/src/connectors/kafka/formats';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/formats');
export const FORMATS: KafkaFormat[] = ['debezium', 'debezium-schema', 'canal', 'sluice'];
export const ENGINES = ['mysql', 'pg'] as const;
export type FixtureEngine = (typeof ENGINES)[number];
export const SCENARIOS = ['snapshot', 'changes', 'markers', 'ddl'] as const;
export type Scenario = (typeof SCENARIOS)[number];

type RawValue = string | null | { hex: string };
interface Input {
  table: {
    engine: 'mysql' | 'postgres';
    database: string;
    schema: string | null;
    name: string;
    keyColumns: string[];
    columns: { name: string; nativeType: string; nullable?: boolean; type?: ColumnType }[];
  };
  rows: Record<string, RawValue>[];
  /** Values a Debezium decoder returns in another (equal) text form, by row id. */
  decodedAs: { debezium?: Record<string, Record<string, string | null>> };
}

export interface Fixture {
  table: FormatTable;
  rows: CdcRow[];
  /** The row as a decoder of `format` returns it (`asId`: the input row it copies). */
  decoded(format: KafkaFormat, row: CdcRow, asId?: string): CdcRow;
}

const value = (v: RawValue): CdcValue => (v !== null && typeof v === 'object' ? Buffer.from(v.hex, 'hex') : v);

export function loadFixture(engine: FixtureEngine): Fixture {
  const input = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'input', `${engine}-torture.json`), 'utf8')) as Input;
  const t = input.table;
  const table: FormatTable = {
    ...t,
    columns: t.columns.map((c) => ({
      name: c.name,
      nativeType: c.nativeType,
      type: c.type ?? (t.engine === 'mysql' ? parseMysqlType(c.nativeType) : parsePgType(c.nativeType)),
      ...(c.nullable === false ? { nullable: false } : {}),
    })),
  };
  const rows = input.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, value(v)])));
  return {
    table,
    rows,
    decoded: (format, row, asId) => {
      const over = format.startsWith('debezium') ? input.decodedAs.debezium?.[asId ?? String(row.id)] : undefined;
      return over ? { ...row, ...over } : row;
    },
  };
}

const POSITIONS: Record<FixtureEngine, SourcePosition> = {
  mysql: { v: 1, kind: 'mysql', gtidSet: '0-1-101', file: 'mysql-bin.000003', pos: 4711 },
  pg: { v: 1, kind: 'pg', lsn: '0/16B3748' },
};
const TX_IDS: Record<FixtureEngine, string> = { mysql: '0-1-101', pg: '750' };
const TS = 1_700_000_000_000;

function source(engine: FixtureEngine, snapshot: FormatSource['snapshot']): FormatSource {
  return { serverName: 'sluice', tsMs: TS, snapshot, position: POSITIONS[engine], txId: snapshot === 'false' ? TX_IDS[engine] : null };
}

/** The changes of the `changes` scenario: an insert, an update, an update of the key, a delete. */
export function changeEvents(engine: FixtureEngine, f: Fixture): FormatChange[] {
  const [, r2, r3, r4] = f.rows as [CdcRow, CdcRow, CdcRow, CdcRow];
  const upd: CdcRow = engine === 'mysql' ? { vc: 'updated ✓', dc: '0.0000000001' } : { vc: 'updated ✓', n: '1.0000000000' };
  const list: [FormatChange['op'], CdcRow | null, CdcRow | null][] = [
    ['c', null, { ...r2, id: '6' }],
    ['u', r2, { ...r2, ...upd }],
    ['u', r3, { ...r3, id: '7' }],
    ['d', r4, null],
  ];
  return list.map(([op, before, after], i) => ({
    op,
    table: f.table,
    before,
    after,
    source: source(engine, 'false'),
    tsMs: TS + 5,
    tx: { id: TX_IDS[engine], totalOrder: i + 1, collectionOrder: i + 1 },
  }));
}

export function snapshotEvents(engine: FixtureEngine, f: Fixture): FormatChange[] {
  return f.rows.map((r, i) => ({
    op: 'r',
    table: f.table,
    before: null,
    after: r,
    source: source(engine, i === f.rows.length - 1 ? 'last' : 'true'),
    tsMs: TS + 1,
  }));
}

export function markers(engine: FixtureEngine, f: Fixture): TxMarker[] {
  const name = `${f.table.schema ?? f.table.database}.${f.table.name}`;
  return [
    { status: 'BEGIN', id: TX_IDS[engine], tsMs: TS },
    { status: 'END', id: TX_IDS[engine], tsMs: TS + 5, eventCount: 4, collections: [{ name, count: 4 }] },
  ];
}

export const DDL_TEXT = 'ALTER TABLE torture ADD COLUMN extra INT';

/** The records a format writes for a scenario, in order. */
export function encodeScenario(format: KafkaFormat, engine: FixtureEngine, scenario: Scenario): FormatRecord[] {
  const f = loadFixture(engine);
  const o = { format, serverName: 'sluice', tombstones: true };
  switch (scenario) {
    case 'snapshot':
      return snapshotEvents(engine, f).flatMap((e) => encodeChange(e, o));
    case 'changes':
      return changeEvents(engine, f).flatMap((e) => encodeChange(e, o));
    case 'markers':
      return markers(engine, f).map((m) => encodeMarker(m, o));
    case 'ddl': {
      const t = f.table;
      const after: FormatTable = {
        ...t,
        columns: [...t.columns, { name: 'extra', nativeType: engine === 'mysql' ? 'int(11)' : 'integer', type: { kind: 'int', bits: 32 } }],
      };
      return [
        encodeDdl(
          { engine: t.engine, database: t.database, schema: t.schema, table: t.name, ddl: DDL_TEXT, source: source(engine, 'false'), tsMs: TS + 5, after },
          o,
        ),
      ];
    }
  }
}

export const goldenPath = (format: KafkaFormat, engine: FixtureEngine, scenario: Scenario): string =>
  path.join(FIXTURES, format, `${engine}-${scenario}.jsonl`);

/** One golden line per record: the key's and the value's JSON text as they are (null for none). */
export function toLines(records: FormatRecord[]): string {
  return records.map((r) => `{"key":${r.key ? r.key.toString('utf8') : 'null'},"value":${r.value ? r.value.toString('utf8') : 'null'}}\n`).join('');
}

/** Golden lines back to records (exact: numbers keep their text); a line's `headers` object ({name: text}) in order. */
export function fromLines(text: string): (FormatRecord & { headers?: [string, Buffer][] })[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const v = parseExactJson(l);
      if (!(v instanceof Map)) throw new Error('a golden line is not an object');
      const part = (k: string): Buffer | null => {
        const raw = v.get(k);
        return raw === null || raw === undefined ? null : Buffer.from(stringify(raw));
      };
      const h = v.get('headers');
      const headers = h instanceof Map ? [...h].map(([n, x]): [string, Buffer] => [n, Buffer.from(typeof x === 'string' ? x : stringify(x))]) : null;
      return { key: part('key'), value: part('value'), ...(headers ? { headers } : {}) };
    });
}
