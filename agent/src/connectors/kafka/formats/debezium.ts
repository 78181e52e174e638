/**
 * The Debezium envelope in JSON (docs/formats/debezium.md): change events
 * (`before`, `after`, `source`, `op`, `ts_ms`, `transaction`), keys (a struct
 * of the key columns), transaction metadata and schema-change events, with
 * (`debezium-schema`, JsonConverter schemas.enable=true) or without the
 * `schema` part. Reading accepts both, and records written by Debezium itself.
 */
import type { CdcRow, CdcValue } from '../../changes';
import type { Engine } from '../../catalog';
import { decodeValue, encodeValue, fieldSchema, type DecimalMode } from './debezium-values';
import {
  columnTypeOfSchema,
  ddlValueSchema,
  DDL_KEY_SCHEMA,
  MYSQL_SOURCE_SCHEMA,
  PG_SOURCE_SCHEMA,
  TX_BLOCK_SCHEMA,
  TX_KEY_SCHEMA,
  TX_VALUE_SCHEMA,
} from './debezium-schemas';
import { isObj, JNum, jObj, jStr, member, memberStr, parseExactJson, scalarText, type JObj, type JVal } from './exact-json';
import {
  FormatError,
  type DdlEvent,
  type Decoded,
  type FormatChange,
  type FormatColumn,
  type FormatRecord,
  type FormatSource,
  type FormatTable,
  type TxMarker,
} from './model';

export const SLUICE_VERSION = 'sluice-1';

const wrap = (withSchema: boolean, schema: string, payload: string): string => (withSchema ? `{"schema":${schema},"payload":${payload}}` : payload);
const mode = (withSchema: boolean): DecimalMode => (withSchema ? 'precise' : 'string');
const collection = (t: { database: string; schema: string | null; name: string }): string => `${t.schema ?? t.database}.${t.name}`;

/** Debezium's placeholder for a value the source did not send (PostgreSQL unchanged TOAST). */
export const UNAVAILABLE = '__debezium_unavailable_value';
const TOASTABLE = new Set(['text', 'varchar', 'char', 'json', 'xml', 'other', 'blob', 'binary', 'varbinary']);

/**
 * A row image's JSON, compiled once per table, column list and mode (the hot path of a database -> Kafka job):
 * each column's `"name":` prefix and value encoder, and what a column the source did not send reads as.
 */
interface RowEncoder {
  names: string[];
  prefixes: string[];
  encode: ((v: CdcValue) => string)[];
  missing: string[];
}

const rowEncoders = new WeakMap<FormatTable, Map<string, RowEncoder>>();

function rowEncoder(t: FormatTable, cols: FormatColumn[], withSchema: boolean, which: 'row' | 'key'): RowEncoder {
  let m = rowEncoders.get(t);
  if (!m) rowEncoders.set(t, (m = new Map()));
  const id = `${which}:${withSchema}`;
  let e = m.get(id);
  if (!e) {
    const md = mode(withSchema);
    e = {
      names: cols.map((c) => c.name),
      prefixes: cols.map((c, i) => `${i === 0 ? '{' : ','}${jStr(c.name)}:`),
      encode: cols.map((c) => (v: CdcValue) => encodeValue(c.type, t.engine, md, v)),
      missing: cols.map((c) => (TOASTABLE.has(c.type.kind) ? encodeValue(c.type, t.engine, md, UNAVAILABLE) : 'null')),
    };
    m.set(id, e);
  }
  return e;
}

function rowJson(t: FormatTable, row: CdcRow | null, cols: FormatColumn[], withSchema: boolean, which: 'row' | 'key' = 'row'): string {
  if (!row) return 'null';
  const e = rowEncoder(t, cols, withSchema, which);
  const n = e.names.length;
  if (n === 0) return '{}';
  let out = '';
  for (let i = 0; i < n; i++) {
    const name = e.names[i]!;
    const v = row[name];
    out += e.prefixes[i]!;
    out += v !== undefined && v !== null ? e.encode[i]!(v) : v === null || name in row ? 'null' : e.missing[i]!;
  }
  return `${out}}`;
}

const isUnavailable = (v: CdcValue): boolean =>
  typeof v === 'string' ? v === UNAVAILABLE : Buffer.isBuffer(v) && v.length === UNAVAILABLE.length && v.toString('latin1') === UNAVAILABLE;

const schemaCache = new WeakMap<FormatTable, Map<string, string>>();
function cached(t: FormatTable, key: string, build: () => string): string {
  let m = schemaCache.get(t);
  if (!m) schemaCache.set(t, (m = new Map()));
  let s = m.get(key);
  if (s === undefined) m.set(key, (s = build()));
  return s;
}

const keyCols = (t: FormatTable): FormatColumn[] =>
  t.keyColumns.map((k) => t.columns.find((c) => c.name === k) ?? { name: k, nativeType: 'text', type: { kind: 'text' } });

function keySchema(t: FormatTable, serverName: string): string {
  return cached(
    t,
    `key:${serverName}`,
    () =>
      `{"type":"struct","fields":[${keyCols(t)
        .map((c) => fieldSchema(c, t.engine, 'precise', false))
        .join(',')}],"optional":false,"name":${jStr(`${serverName}.${t.schema ?? t.database}.${t.name}.Key`)}}`,
  );
}

/** The record key: a struct of the key columns (null for a table without a key). */
export function debeziumKey(t: FormatTable, row: CdcRow, withSchema: boolean, serverName: string): Buffer | null {
  if (t.keyColumns.length === 0) return null;
  return Buffer.from(wrap(withSchema, withSchema ? keySchema(t, serverName) : '', rowJson(t, row, keyCols(t), withSchema, 'key')));
}

function envelopeSchema(t: FormatTable, serverName: string): string {
  return cached(t, `env:${serverName}`, () => {
    const base = `${serverName}.${t.schema ?? t.database}.${t.name}`;
    const value = (field: string): string =>
      `{"type":"struct","fields":[${t.columns.map((c) => fieldSchema(c, t.engine, 'precise', c.nullable !== false && !t.keyColumns.includes(c.name))).join(',')}],"optional":true,"name":${jStr(`${base}.Value`)},"field":"${field}"}`;
    const source = t.engine === 'mysql' ? MYSQL_SOURCE_SCHEMA : PG_SOURCE_SCHEMA;
    return `{"type":"struct","fields":[${[value('before'), value('after'), source, '{"type":"string","optional":false,"field":"op"}', '{"type":"int64","optional":true,"field":"ts_ms"}', TX_BLOCK_SCHEMA].join(',')}],"optional":false,"name":${jStr(`${base}.Envelope`)},"version":1}`;
  });
}

/** PG 'X/Y' LSN -> its 64-bit number as decimal text. */
function lsnNumber(lsn: string | undefined): string {
  const m = lsn ? /^([0-9A-Fa-f]+)\/([0-9A-Fa-f]+)$/.exec(lsn) : null;
  return m ? ((BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`)).toString() : 'null';
}

function sourceJson(engine: Engine, s: FormatSource, db: string, schema: string | null, table: string | null): string {
  const p = s.position;
  const common: [string, string][] = [
    ['version', jStr(SLUICE_VERSION)],
    ['connector', jStr(engine === 'mysql' ? 'mysql' : 'postgresql')],
    ['name', jStr(s.serverName)],
    ['ts_ms', String(s.tsMs)],
    ['snapshot', jStr(s.snapshot)],
    ['db', jStr(db)],
    ['sequence', 'null'],
  ];
  if (engine === 'mysql') {
    const my = p?.kind === 'mysql' ? p : null;
    return jObj([
      ...common,
      ['table', table === null ? 'null' : jStr(table)],
      ['server_id', '0'],
      ['gtid', s.txId && !s.txId.startsWith('file=') ? jStr(s.txId) : 'null'],
      ['file', jStr(my?.file ?? '')],
      ['pos', String(my?.pos ?? 0)],
      ['row', '0'],
      ['thread', 'null'],
      ['query', 'null'],
    ]);
  }
  const pg = p?.kind === 'pg' ? p : null;
  return jObj([
    ...common,
    ['schema', jStr(schema ?? 'public')],
    ['table', jStr(table ?? '')],
    ['txId', s.txId && /^\d+$/.test(s.txId) ? s.txId : 'null'],
    ['lsn', lsnNumber(pg?.lsn)],
    ['xmin', 'null'],
  ]);
}

/** The last source block written: the changes of one transaction (or snapshot batch) share it. */
let lastSource: { engine: Engine; s: FormatSource; db: string; schema: string | null; table: string | null; json: string } | null = null;

function sourceJsonCached(engine: Engine, s: FormatSource, db: string, schema: string | null, table: string | null): string {
  const l = lastSource;
  if (
    l &&
    l.engine === engine &&
    l.db === db &&
    l.schema === schema &&
    l.table === table &&
    l.s.position === s.position &&
    l.s.tsMs === s.tsMs &&
    l.s.snapshot === s.snapshot &&
    l.s.serverName === s.serverName &&
    l.s.txId === s.txId
  )
    return l.json;
  const json = sourceJson(engine, s, db, schema, table);
  lastSource = { engine, s: { ...s }, db, schema, table, json };
  return json;
}

let lastTxId: [string, string] = ['', '""'];
const txIdJson = (id: string): string => (lastTxId[0] === id ? lastTxId[1] : (lastTxId = [id, jStr(id)])[1]);

/** The value of a change event. */
export function debeziumValue(ch: FormatChange, withSchema: boolean): Buffer {
  const t = ch.table;
  const tx = ch.tx ? `{"id":${txIdJson(ch.tx.id)},"total_order":${ch.tx.totalOrder},"data_collection_order":${ch.tx.collectionOrder}}` : 'null';
  const payload = `{"before":${rowJson(t, ch.before, t.columns, withSchema)},"after":${rowJson(t, ch.after, t.columns, withSchema)},"source":${sourceJsonCached(
    t.engine,
    ch.source,
    t.database,
    t.schema,
    t.name,
  )},"op":"${ch.op}","ts_ms":${ch.tsMs},"transaction":${tx}}`;
  return Buffer.from(wrap(withSchema, withSchema ? envelopeSchema(t, ch.source.serverName) : '', payload));
}

/** A transaction metadata record (topic `<prefix>.transaction`). */
export function debeziumMarker(m: TxMarker, withSchema: boolean): FormatRecord {
  const end = m.status === 'END';
  const colls = end
    ? `[${(m.collections ?? [])
        .map((c) =>
          jObj([
            ['data_collection', jStr(c.name)],
            ['event_count', String(c.count)],
          ]),
        )
        .join(',')}]`
    : 'null';
  const value = jObj([
    ['status', jStr(m.status)],
    ['id', jStr(m.id)],
    ['event_count', end ? String(m.eventCount ?? 0) : 'null'],
    ['data_collections', colls],
    ['ts_ms', String(m.tsMs)],
  ]);
  return { key: Buffer.from(wrap(withSchema, TX_KEY_SCHEMA, jObj([['id', jStr(m.id)]]))), value: Buffer.from(wrap(withSchema, TX_VALUE_SCHEMA, value)) };
}

/** A schema-change event (the DDL topic). */
export function debeziumDdl(e: DdlEvent, withSchema: boolean): FormatRecord {
  const changes = e.after
    ? `[${jObj([
        ['type', jStr('ALTER')],
        ['id', jStr(`"${e.after.schema ?? e.after.database}"."${e.after.name}"`)],
        [
          'table',
          jObj([
            ['primaryKeyColumnNames', `[${e.after.keyColumns.map(jStr).join(',')}]`],
            [
              'columns',
              `[${e.after.columns
                .map((c, i) =>
                  jObj([
                    ['name', jStr(c.name)],
                    ['typeName', jStr(c.nativeType)],
                    ['position', String(i + 1)],
                    ['optional', c.nullable === false ? 'false' : 'true'],
                  ]),
                )
                .join(',')}]`,
            ],
          ]),
        ],
      ])}]`
    : '[]';
  const value = jObj([
    ['source', sourceJson(e.engine, e.source, e.database, e.schema, e.table)],
    ['ts_ms', String(e.tsMs)],
    ['databaseName', jStr(e.database)],
    ['schemaName', e.schema === null ? 'null' : jStr(e.schema)],
    ['ddl', jStr(e.ddl)],
    ['tableChanges', changes],
  ]);
  return {
    key: Buffer.from(wrap(withSchema, DDL_KEY_SCHEMA, jObj([['databaseName', jStr(e.database)]]))),
    value: Buffer.from(wrap(withSchema, ddlValueSchema(e.engine), value)),
  };
}

// ---------------------------------------------------------------- reading

function parse(b: Buffer, what: string): { schema: JVal | undefined; payload: JVal } {
  let v: JVal;
  try {
    v = parseExactJson(b.toString('utf8'));
  } catch (e) {
    throw new FormatError(`the record ${what} is not JSON: ${(e as Error).message}`);
  }
  if (isObj(v) && v.has('payload') && v.has('schema') && v.size === 2) return { schema: v.get('schema'), payload: v.get('payload') ?? null };
  return { schema: undefined, payload: v };
}

const fieldsOf = (schema: JVal | undefined): Map<string, JVal> => {
  const out = new Map<string, JVal>();
  const fs = member(schema, 'fields');
  if (Array.isArray(fs)) for (const f of fs) out.set(memberStr(f, 'field') ?? '', f);
  return out;
};

export type ColumnHints = (database: string | null, schema: string | null, table: string) => FormatColumn[] | null;

/** The header Debezium puts on the create of a key-changing update: the old key (the delete before it carries `__debezium.newkey`). */
export const OLD_KEY_HEADER = '__debezium.oldkey';
export const NEW_KEY_HEADER = '__debezium.newkey';

/**
 * Reads one record written in the Debezium format (by Sluice or by Debezium). `oldKey`: the record's
 * `__debezium.oldkey` header; a create that carries it is the second half of a key-changing update, and its
 * `before` becomes the old key (decoded like the row), so a reader can move the row (and keep what the source did
 * not send) even when the delete of the old key is read later or elsewhere.
 */
export function decodeDebezium(key: Buffer | null, value: Buffer | null, hints?: ColumnHints, oldKey?: Buffer | null): Decoded {
  if (value === null || value.length === 0) return { kind: 'tombstone' };
  const { schema, payload } = parse(value, 'value');
  if (payload === null) return { kind: 'tombstone' };
  if (!isObj(payload)) throw new FormatError('the record value is not a JSON object');
  if (payload.has('status') && payload.has('id') && !payload.has('op')) return { kind: 'marker', marker: markerOf(payload) };
  const source = payload.get('source');
  const database = memberStr(source, 'db') ?? memberStr(payload, 'databaseName') ?? null;
  if (payload.has('ddl') || payload.has('historyRecord'))
    return { kind: 'ddl', database, table: memberStr(source, 'table') ?? null, ddl: memberStr(payload, 'ddl') ?? '' };
  const op = memberStr(payload, 'op');
  if (op !== 'c' && op !== 'u' && op !== 'd' && op !== 'r') throw new FormatError(`the Debezium record has no valid op (${op ?? 'none'})`);
  const table = memberStr(source, 'table');
  if (!table) throw new FormatError('the Debezium record names no table (source.table)');
  const connector = memberStr(source, 'connector');
  const engine: Engine | null = connector === 'mysql' || connector === 'mariadb' ? 'mysql' : connector === 'postgresql' ? 'postgres' : null;
  const pgSchema = engine === 'postgres' ? (memberStr(source, 'schema') ?? null) : null;
  const envelope = fieldsOf(schema);
  const rowSchema = envelope.get('after') ?? envelope.get('before');
  const colSchemas = fieldsOf(rowSchema);
  const hinted = hints?.(database, pgSchema, table) ?? null;
  const hintOf = (name: string) => hinted?.find((c) => c.name === name)?.type;
  const unavailable: string[] = [];
  const row = (v: JVal | undefined, image: 'before' | 'after'): CdcRow | null => {
    if (v === null || v === undefined) return null;
    if (!isObj(v)) throw new FormatError('a row image is not a JSON object');
    const out: CdcRow = {};
    for (const [k, x] of v) {
      const type = hintOf(k) ?? (colSchemas.has(k) ? columnTypeOfSchema(colSchemas.get(k)) : undefined);
      try {
        const v = decodeValue(colSchemas.get(k), x, { engine, ...(type ? { type } : {}) });
        // Not sent by the source (unchanged TOAST): left out, so the target keeps its value.
        if (!isUnavailable(v)) out[k] = v;
        else if (image === 'after') unavailable.push(k);
      } catch (e) {
        throw new FormatError(`column ${k}: ${(e as Error).message}`);
      }
    }
    return out;
  };
  const columns = colSchemas.size
    ? [...colSchemas].map(([name, s]) => ({
        name,
        nativeType: memberStr(s, 'name') ?? memberStr(s, 'type') ?? 'string',
        type: columnTypeOfSchema(s),
        nullable: member(s, 'optional') !== false,
      }))
    : null;
  let keyColumns: string[] | null = null;
  if (key && key.length) {
    const k = parse(key, 'key').payload;
    if (isObj(k)) keyColumns = [...k.keys()];
  }
  const ts = member(payload, 'ts_ms');
  const txId = memberStr(member(payload, 'transaction'), 'id') ?? scalarText(member(source, 'gtid') ?? member(source, 'txId') ?? undefined) ?? null;
  return {
    kind: 'change',
    op,
    engine,
    database,
    schema: pgSchema,
    table,
    before:
      op === 'c' && oldKey?.length && payload.get('before') == null
        ? row(parse(oldKey, `${OLD_KEY_HEADER} header`).payload, 'before')
        : row(payload.get('before'), 'before'),
    after: row(payload.get('after'), 'after'),
    columns,
    ...(unavailable.length ? { unavailable } : {}),
    keyColumns,
    tsMs: ts instanceof JNum ? Number(ts.text) : null,
    txId,
  };
}

function markerOf(p: JObj): TxMarker {
  const status = memberStr(p, 'status');
  if (status !== 'BEGIN' && status !== 'END') throw new FormatError(`unknown transaction status ${status ?? ''}`);
  const num = (v: JVal | undefined): number | undefined => (v instanceof JNum ? Number(v.text) : undefined);
  const m: TxMarker = { status, id: scalarText(p.get('id')) ?? '', tsMs: num(p.get('ts_ms')) ?? 0 };
  const n = num(p.get('event_count'));
  if (n !== undefined) m.eventCount = n;
  const colls = p.get('data_collections');
  if (Array.isArray(colls)) m.collections = colls.map((c) => ({ name: memberStr(c, 'data_collection') ?? '', count: num(member(c, 'event_count')) ?? 0 }));
  return m;
}
