/**
 * The decoding step of a Kafka -> database job: one Kafka record (in the
 * job's format, or plain JSON mapped by job.kafka.topicTables) becomes the
 * generic row changes of changes.ts, in target table and column names, with
 * every value checked against its target column. A record that can't be
 * applied comes back as `dead` with the reason (the caller writes it to the
 * dead-letter table); transaction markers, tombstones and DDL events are skipped.
 */
import type { CdcRow, CdcValue, Change } from '../../changes';
import type { TableInfo } from '../../catalog';
import type { JobSpec, KafkaJobOptions } from '../../../protocol';
import { findTableMapping } from '../../../engine/type-mapping';
import { pgArrayToJson, pgMoneyToNumeric } from '../../postgres/text-values';
import { decodeRecord, FormatError, parseExactJson, type DecodedChange, type FormatColumn } from '../formats';
import { isObj, scalarText, stringifyExact, type JVal } from '../formats/exact-json';
import type { TargetTables } from './target-tables';
import { whyNotFits } from './value-fit';

export interface KafkaInRecord {
  topic: string;
  partition: number;
  /** Decimal text (int64). */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestampMs?: number;
  /** In record order (Debezium's `__debezium.oldkey` is read from here). */
  headers?: [string, Buffer][];
}

export type RecordResult = { kind: 'changes'; changes: Change[] } | { kind: 'skip' } | { kind: 'dead'; reason: string };

export interface DecodeContext {
  job: Pick<JobSpec, 'mapping'>;
  kafka: Pick<KafkaJobOptions, 'format' | 'topicTables'>;
  tables: TargetTables;
  /** Create missing target tables from the types a record carries. */
  createTables: boolean;
}

const tableKey = (ctx: DecodeContext, name: string): string => `${ctx.tables.namespace}.${name}`;

/** Source values in another engine's text form -> what the target column takes. */
function toTarget(v: CdcValue, col: TableInfo['columns'][number], from: FormatColumn | undefined): CdcValue {
  if (typeof v !== 'string') return v;
  if (col.type.kind === 'json' && from?.type.kind === 'array')
    return pgArrayToJson(
      v,
      ['int', 'decimal', 'float'].includes(from.type.element?.kind ?? '') ? 'number' : from.type.element?.kind === 'bool' ? 'bool' : 'string',
    );
  if ((col.type.kind === 'decimal' || col.type.kind === 'money') && from?.type.kind === 'money') return pgMoneyToNumeric(v);
  return v;
}

/** Maps a decoded row image onto the target table: renamed and excluded columns, converted and checked values. */
function mapImage(row: CdcRow, t: TableInfo, ctx: DecodeContext, srcTable: string, decoded: FormatColumn[] | null, check = true): CdcRow | string {
  const m = findTableMapping(ctx.job.mapping, t.schema, srcTable);
  const excluded = new Set(m?.excludeColumns ?? []);
  const out: CdcRow = {};
  for (const [k, v] of Object.entries(row)) {
    if (excluded.has(k)) continue;
    const name = m?.columns?.[k] ?? k;
    const col = t.columns.find((c) => c.name === name);
    if (!col) return `column ${name} does not exist in target table ${t.name}`;
    const tv = toTarget(
      v,
      col,
      decoded?.find((c) => c.name === k),
    );
    // A before image only locates the row (it may hold just the key): its values are not stored.
    const why = check ? whyNotFits(tv, col, ctx.tables.engine) : null;
    if (why) return why;
    out[name] = tv;
  }
  return out;
}

const keyText = (v: CdcValue | undefined): string => (Buffer.isBuffer(v) ? `b:${v.toString('hex')}` : `s:${String(v)}`);

function hasKey(row: CdcRow | null, t: TableInfo): boolean {
  return !!row && t.primaryKey.every((k) => k in row && row[k] !== null);
}

async function fromDecoded(d: DecodedChange, rec: KafkaInRecord, ctx: DecodeContext): Promise<RecordResult> {
  const mapping = findTableMapping(ctx.job.mapping, ctx.tables.namespace, d.table);
  const name = mapping?.rename ?? d.table;
  let t = await ctx.tables.get(name);
  if (!t && ctx.createTables && d.columns && d.keyColumns?.length) {
    const fromDebezium = ctx.kafka.format === 'debezium' || ctx.kafka.format === 'debezium-schema';
    t = await ctx.tables.ensure(name, d.columns, d.keyColumns, fromDebezium ? null : d.engine, mapping);
  }
  if (!t) return { kind: 'dead', reason: `target table ${name} does not exist${d.columns ? '' : ' (the record carries no column types to create it from)'}` };
  if (t.primaryKey.length === 0) return { kind: 'dead', reason: `target table ${name} has no primary key; changes are applied by key` };
  if (ctx.kafka.format === 'debezium' || ctx.kafka.format === 'debezium-schema') {
    // Decode again with the target's column types: a schemaless record's dates, times and bits need them.
    const hints = (): FormatColumn[] => t.columns.map((c) => ({ name: c.name, nativeType: c.nativeType, type: c.type, nullable: c.nullable }));
    const again = decodeRecord(ctx.kafka.format, rec.key, rec.value, hints, rec.headers)[0];
    if (again?.kind === 'change') d = again;
  }
  const before = d.before ? mapImage(d.before, t, ctx, d.table, d.columns, false) : null;
  const after = d.after ? mapImage(d.after, t, ctx, d.table, d.columns) : null;
  if (typeof before === 'string') return { kind: 'dead', reason: before };
  if (typeof after === 'string') return { kind: 'dead', reason: after };
  const table = tableKey(ctx, t.name);
  if (d.op === 'd') {
    if (!hasKey(before, t)) return { kind: 'dead', reason: `the delete carries no value for the key (${t.primaryKey.join(', ')}) of ${t.name}` };
    return { kind: 'changes', changes: [{ op: 'delete', table, before }] };
  }
  if (!hasKey(after, t)) return { kind: 'dead', reason: `the row carries no value for the key (${t.primaryKey.join(', ')}) of ${t.name}` };
  // Columns the record's types list but its row leaves out were not sent (unchanged TOAST): the target keeps them.
  const m = findTableMapping(ctx.job.mapping, t.schema, d.table);
  // A schemaless Debezium record lists no columns, but names those it marks unavailable.
  const listed = [...new Set([...(d.columns ?? []).map((c) => c.name), ...(d.unavailable ?? [])])];
  const unchanged = listed.map((c) => m?.columns?.[c] ?? c).filter((c) => !(c in after!) && t.columns.some((x) => x.name === c));
  // A create that names the key it moved from (Sluice JSON's `before`, Debezium's __debezium.oldkey header): an update
  // of that row, so it moves even when the delete of the old key is read later or from another partition, and keeps
  // the columns the source did not send (unchanged TOAST) from it.
  if (d.op === 'c' && hasKey(before, t) && (unchanged.length || t.primaryKey.some((k) => keyText(before![k]) !== keyText(after![k]))))
    return { kind: 'changes', changes: [{ op: 'update', table, before, after, ...(unchanged.length ? { unchanged } : {}) }] };
  if (d.op === 'u' && hasKey(before, t))
    return { kind: 'changes', changes: [{ op: 'update', table, before, after, ...(unchanged.length ? { unchanged } : {}) }] };
  if (unchanged.length) return { kind: 'changes', changes: [{ op: 'update', table, before: null, after, unchanged }] };
  return { kind: 'changes', changes: [{ op: 'insert', table, after }] };
}

const jsonText = (v: JVal): CdcValue => (v === null ? null : (scalarText(v) ?? stringifyExact(v)));

async function fromPlainJson(rec: KafkaInRecord, ctx: DecodeContext, map: KafkaJobOptions['topicTables'][string]): Promise<RecordResult> {
  const t = await ctx.tables.get(map.table);
  if (!t) return { kind: 'dead', reason: `target table ${map.table} (topicTables of ${rec.topic}) does not exist` };
  const colOf = (field: string): string => map.columns[field] ?? field;
  const parse = (b: Buffer, what: string): JVal => {
    try {
      return parseExactJson(b.toString('utf8'));
    } catch (e) {
      throw new FormatError(`the record ${what} is not JSON: ${(e as Error).message}`);
    }
  };
  const table = tableKey(ctx, t.name);
  if (rec.value === null) {
    if (!rec.key) return { kind: 'skip' };
    const k = parse(rec.key, 'key');
    const before: CdcRow = {};
    if (isObj(k)) for (const [f, v] of k) before[colOf(f)] = jsonText(v);
    else if (map.key.length === 1) before[map.key[0]!] = jsonText(k);
    const mapped = mapImage(before, t, { ...ctx, job: { mapping: {} } }, t.name, null, false);
    if (typeof mapped === 'string') return { kind: 'dead', reason: mapped };
    if (!map.key.every((c) => mapped[c] !== undefined && mapped[c] !== null))
      return { kind: 'dead', reason: `the tombstone's key does not give ${map.key.join(', ')}` };
    return { kind: 'changes', changes: [{ op: 'delete', table, before: mapped }] };
  }
  const v = parse(rec.value, 'value');
  if (!isObj(v)) return { kind: 'dead', reason: 'the record value is not a JSON object' };
  const row: CdcRow = {};
  for (const [f, x] of v) row[colOf(f)] = jsonText(x);
  const mapped = mapImage(row, t, { ...ctx, job: { mapping: {} } }, t.name, null);
  if (typeof mapped === 'string') return { kind: 'dead', reason: mapped };
  if (!map.key.every((c) => mapped[c] !== undefined && mapped[c] !== null))
    return { kind: 'dead', reason: `the record has no value for the key ${map.key.join(', ')}` };
  return { kind: 'changes', changes: [{ op: 'insert', table, after: mapped }] };
}

/** One record -> its changes, or why it can't be applied. Never throws for bad input (only for target errors). */
export async function recordToChanges(rec: KafkaInRecord, ctx: DecodeContext): Promise<RecordResult> {
  try {
    const plain = ctx.kafka.topicTables[rec.topic];
    if (plain) return await fromPlainJson(rec, ctx, plain);
    const decoded = decodeRecord(ctx.kafka.format, rec.key, rec.value, undefined, rec.headers);
    const changes: Change[] = [];
    for (const d of decoded) {
      if (d.kind !== 'change') continue;
      const r = await fromDecoded(d, rec, ctx);
      if (r.kind === 'dead') return r;
      if (r.kind === 'changes') changes.push(...r.changes);
    }
    return changes.length ? { kind: 'changes', changes } : { kind: 'skip' };
  } catch (e) {
    if (e instanceof FormatError || e instanceof SyntaxError || e instanceof RangeError) return { kind: 'dead', reason: e.message };
    throw e;
  }
}
