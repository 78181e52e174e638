/**
 * Database -> Kafka, the encoding half: source transactions, snapshot rows
 * and schema changes become the records of the job's format (formats/), each
 * with its topic (`topicTemplate`), in source order. Per transaction, with
 * markers on: BEGIN, the changes (each with its transaction block), END with
 * the event count per table — Debezium's transaction metadata.
 */
import type { CdcRow, CdcValue, KafkaRecord, RowChange, SchemaChange, SourceTable, SourceTx, TableKey } from '../../changes';
import type { Engine } from '../../catalog';
import type { SourcePosition } from '../../position';
import { parseMysqlType } from '../../mysql/types';
import { parsePgType } from '../../postgres/types';
import { topicForTable, type KafkaJobOptions } from '../../../protocol';
import { encodeChange, encodeDdl, encodeMarker, type FormatChange, type FormatSource, type FormatTable } from '../formats';

/**
 * A record for a topic, already shaped as the writer's KafkaRecord: one object per record from the encoder to the
 * produce request (the writer stamps its offset and timestamp in place; the producer picks the partition by key).
 */
export type TopicRecord = KafkaRecord;

/** The records carry no headers unless a format asks for some: one shared (never mutated) empty list. */
const NO_HEADERS: KafkaRecord['headers'] = [];

export function topicRecord(topic: string, key: Buffer | null, value: Buffer | null, headers: KafkaRecord['headers'] = NO_HEADERS): TopicRecord {
  return { topic, partition: 0, offset: '', key, value, headers, timestamp: '', timestampType: 'create' };
}

/** BIT read by the snapshot as big-endian bytes -> the '0101' text the formats take (as CDC gives it). */
function bitText(b: Buffer, bits: number): string {
  let s = '';
  for (const byte of b) s += byte.toString(2).padStart(8, '0');
  return s.length > bits ? s.slice(s.length - bits) : s.padStart(bits, '0');
}

export class ChangeEncoder {
  private readonly tables = new Map<TableKey, FormatTable>();
  private readonly topics = new Map<TableKey, string>();

  constructor(
    private readonly k: KafkaJobOptions,
    private readonly engine: Engine,
    /** The source database (PG: the connection's database; MySQL: each table's schema). */
    private readonly database: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The format's view of a source table. */
  table(t: SourceTable, nullable?: (column: string) => boolean): FormatTable {
    const hit = this.tables.get(t.key);
    if (hit) return hit;
    const ft: FormatTable = {
      engine: this.engine,
      database: this.engine === 'mysql' ? t.schema : this.database,
      schema: this.engine === 'mysql' ? null : t.schema,
      name: t.name,
      keyColumns: t.keyColumns,
      columns: t.columns.map((c) => ({
        name: c.name,
        nativeType: c.type,
        type: this.engine === 'mysql' ? parseMysqlType(c.type) : parsePgType(c.type),
        ...(nullable && !nullable(c.name) ? { nullable: false } : {}),
      })),
    };
    this.tables.set(t.key, ft);
    return ft;
  }

  forget(table: TableKey): void {
    this.tables.delete(table);
  }

  topicOf(t: SourceTable): string {
    let topic = this.topics.get(t.key);
    if (!topic) {
      topic = topicForTable(this.k.topicTemplate, {
        prefix: this.k.prefix,
        database: this.engine === 'mysql' ? t.schema : this.database,
        schema: t.schema,
        table: t.name,
      });
      this.topics.set(t.key, topic);
    }
    return topic;
  }

  /** Where transaction markers go (Debezium: `<topic.prefix>.transaction`). */
  get transactionTopic(): string {
    return `${this.k.prefix || 'sluice'}.transaction`;
  }

  /** Every topic the job writes for these tables (created before data moves). */
  topicsFor(tables: SourceTable[]): string[] {
    const out = new Set(tables.map((t) => this.topicOf(t)));
    if (this.k.transactionMarkers) out.add(this.transactionTopic);
    if (this.k.ddlTopic) out.add(this.k.ddlTopic);
    return [...out];
  }

  /** Tables with a BIT column (normalize's work); looked up once per table, not per row. */
  private readonly bits = new WeakMap<FormatTable, boolean>();

  private normalize(ft: FormatTable, row: CdcRow | null | undefined): CdcRow | null {
    if (!row) return null;
    let bits = this.bits.get(ft);
    if (bits === undefined) this.bits.set(ft, (bits = ft.columns.some((c) => c.type.kind === 'bit')));
    if (!bits) return row;
    let out: CdcRow | null = null;
    for (const c of ft.columns) {
      const v: CdcValue | undefined = row[c.name];
      if (c.type.kind === 'bit' && Buffer.isBuffer(v)) (out ??= { ...row })[c.name] = bitText(v, c.type.length ?? v.length * 8);
    }
    return out ?? row;
  }

  private source(snapshot: FormatSource['snapshot'], tsMs: number, position: SourcePosition | null, txId: string | null): FormatSource {
    return { serverName: this.k.prefix || 'sluice', tsMs, snapshot, position, txId };
  }

  /** One source transaction. `describe` gives each table (already described by the caller). */
  encodeTx(tx: SourceTx, describe: (table: TableKey) => SourceTable): TopicRecord[] {
    const out: TopicRecord[] = [];
    const o = { format: this.k.format, serverName: this.k.prefix || 'sluice', tombstones: this.k.tombstones };
    const markers = this.k.transactionMarkers;
    const rows = tx.changes.filter((c): c is RowChange => c.op !== 'truncate');
    const now = this.now();
    if (markers && rows.length) {
      const m = encodeMarker({ status: 'BEGIN', id: tx.id, tsMs: tx.commitTimeMs }, o);
      out.push(topicRecord(this.transactionTopic, m.key, m.value));
    }
    const perTable = new Map<string, number>();
    // one source block per transaction: the format's encoder writes it once for all of the transaction's changes
    const source = this.source('false', tx.commitTimeMs, tx.position, tx.id);
    const op = { insert: 'c', update: 'u', delete: 'd' } as const;
    let total = 0;
    let lastTable: TableKey | null = null;
    let st: SourceTable | null = null;
    let ft: FormatTable | null = null;
    let name = '';
    let topic = '';
    for (const ch of rows) {
      if (ch.table !== lastTable || !st || !ft) {
        lastTable = ch.table;
        st = describe(ch.table);
        ft = this.table(st);
        name = `${ft.schema ?? ft.database}.${ft.name}`;
        topic = this.topicOf(st);
      }
      const n = (perTable.get(name) ?? 0) + 1;
      perTable.set(name, n);
      total++;
      const fc: FormatChange = {
        op: op[ch.op],
        table: ft,
        before: this.normalize(ft, ch.before),
        after: this.normalize(ft, ch.after),
        source,
        tsMs: now,
        ...(markers ? { tx: { id: tx.id, totalOrder: total, collectionOrder: n } } : {}),
      };
      for (const r of encodeChange(fc, o)) out.push(topicRecord(topic, r.key, r.value, r.headers));
    }
    if (markers && rows.length) {
      const m = encodeMarker(
        { status: 'END', id: tx.id, tsMs: tx.commitTimeMs, eventCount: total, collections: [...perTable].map(([name, count]) => ({ name, count })) },
        o,
      );
      out.push(topicRecord(this.transactionTopic, m.key, m.value));
    }
    return out;
  }

  /** Snapshot rows (op `r`); `last` marks the snapshot's final row. */
  encodeSnapshot(st: SourceTable, columns: string[], rows: CdcValue[][], position: SourcePosition | null, last: boolean): TopicRecord[] {
    const ft = this.table(st);
    const topic = this.topicOf(st);
    const o = { format: this.k.format, serverName: this.k.prefix || 'sluice', tombstones: false };
    const now = this.now();
    const out: TopicRecord[] = [];
    const source = this.source('true', now, position, null);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const row: CdcRow = {};
      for (let j = 0; j < columns.length; j++) row[columns[j]!] = r[j] ?? null;
      const fc: FormatChange = {
        op: 'r',
        table: ft,
        before: null,
        after: this.normalize(ft, row),
        source: last && i === rows.length - 1 ? this.source('last', now, position, null) : source,
        tsMs: now,
      };
      for (const rec of encodeChange(fc, o)) out.push(topicRecord(topic, rec.key, rec.value));
    }
    return out;
  }

  /** A schema change of a captured table, on `ddlTopic` (none when it is not set). */
  encodeSchema(change: SchemaChange, st: SourceTable | null, position: SourcePosition, ddl: string): TopicRecord[] {
    if (!this.k.ddlTopic) return [];
    const [schema, table] = [change.table.slice(0, change.table.indexOf('.')), change.table.slice(change.table.indexOf('.') + 1)];
    const now = this.now();
    const rec = encodeDdl(
      {
        engine: this.engine,
        database: this.engine === 'mysql' ? schema : this.database,
        schema: this.engine === 'mysql' ? null : schema,
        table,
        ddl,
        source: this.source('false', now, position, null),
        tsMs: now,
        ...(st ? { after: this.table(st) } : {}),
      },
      { format: this.k.format },
    );
    return [topicRecord(this.k.ddlTopic, rec.key, rec.value)];
  }
}
