/**
 * The change formats of database <-> Kafka jobs (docs/formats/): encoders
 * turn a database change into the Kafka records of the job's format, decoders
 * turn a record back into a change. Each encoder is pure: the topic is the
 * caller's (kafka-spec.ts `topicForTable`, `<prefix>.transaction`, `ddlTopic`).
 *
 * - a delete gives a delete event, then a tombstone (a null value) for the
 *   same key when `tombstones` is on;
 * - an update that changes the key gives a delete of the old key (and its
 *   tombstone) and a create of the new key, as Debezium does;
 * - snapshot rows are op `r` (Canal has no read op: INSERT).
 */
import type { CdcRow, CdcValue } from '../../changes';
import { canalDdl, canalValue, decodeCanal, textKey } from './canal';
import { debeziumDdl, debeziumKey, debeziumMarker, debeziumValue, decodeDebezium, NEW_KEY_HEADER, OLD_KEY_HEADER, type ColumnHints } from './debezium';
import type { DdlEvent, Decoded, FormatChange, FormatRecord, FormatTable, KafkaFormat, TxMarker } from './model';
import { decodeSluice, sluiceDdl, sluiceKey, sluiceValue } from './sluice-json';

export * from './model';
export type { ColumnHints };
export { parseExactJson, JNum } from './exact-json';

export interface EncodeOptions {
  format: KafkaFormat;
  /** Debezium's logical server name (`source.name`, schema names): the job's `prefix`. */
  serverName: string;
  /** A tombstone follows every delete. */
  tombstones: boolean;
}

function keyOf(o: EncodeOptions, t: FormatTable, row: CdcRow): Buffer | null {
  switch (o.format) {
    case 'debezium':
    case 'debezium-schema':
      return debeziumKey(t, row, o.format === 'debezium-schema', o.serverName);
    case 'canal':
      return textKey(t, row);
    case 'sluice':
      return sluiceKey(t, row);
  }
}

function valueOf(o: EncodeOptions, ch: FormatChange): Buffer {
  switch (o.format) {
    case 'debezium':
    case 'debezium-schema':
      return debeziumValue(ch, o.format === 'debezium-schema');
    case 'canal':
      return canalValue(ch);
    case 'sluice':
      return sluiceValue(ch);
  }
}

const same = (a: CdcValue | undefined, b: CdcValue | undefined): boolean =>
  Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : (a ?? null) === (b ?? null);

/** True when an update moves the row to another key. */
export function keyChanged(t: FormatTable, before: CdcRow | null, after: CdcRow | null): boolean {
  if (!before || !after) return false;
  return t.keyColumns.some((k) => k in before && !same(before[k], after[k]));
}

/** The records of one change, in order. */
export function encodeChange(ch: FormatChange, o: EncodeOptions): FormatRecord[] {
  const t = ch.table;
  if (ch.op === 'd') {
    if (!ch.before) throw new Error(`a delete on ${t.name} has no before image`);
    const key = keyOf(o, t, ch.before);
    const out: FormatRecord[] = [{ key, value: valueOf(o, ch) }];
    if (o.tombstones && key) out.push({ key, value: null });
    return out;
  }
  if (!ch.after) throw new Error(`a ${ch.op} on ${t.name} has no after image`);
  if (ch.op === 'u' && keyChanged(t, ch.before, ch.after)) {
    const before = { ...ch.after, ...ch.before };
    // Sluice JSON: the create carries the old key in `before` ("moved from"), so a reader can keep the
    // values the source did not send (unchanged TOAST) from the old row.
    const movedFrom = o.format === 'sluice' ? Object.fromEntries(t.keyColumns.map((k) => [k, before[k] ?? null])) : null;
    const out = [...encodeChange({ ...ch, op: 'd', before, after: null }, o), ...encodeChange({ ...ch, op: 'c', before: movedFrom }, o)];
    if (o.format === 'debezium' || o.format === 'debezium-schema') {
      // as Debezium: the delete (and its tombstone) name the new key, the create names the old one (the key's JSON, no schema part)
      const oldKey = debeziumKey(t, before, false, o.serverName);
      const newKey = debeziumKey(t, ch.after, false, o.serverName);
      if (oldKey && newKey) out.forEach((r, i) => (r.headers = i === out.length - 1 ? [[OLD_KEY_HEADER, oldKey]] : [[NEW_KEY_HEADER, newKey]]));
    }
    return out;
  }
  return [{ key: keyOf(o, t, ch.after), value: valueOf(o, ch) }];
}

/** A transaction marker (Debezium's transaction metadata shape in every format; the schema part only for debezium-schema). */
export function encodeMarker(m: TxMarker, o: Pick<EncodeOptions, 'format'>): FormatRecord {
  return debeziumMarker(m, o.format === 'debezium-schema');
}

export function encodeDdl(e: DdlEvent, o: Pick<EncodeOptions, 'format'>): FormatRecord {
  switch (o.format) {
    case 'debezium':
    case 'debezium-schema':
      return debeziumDdl(e, o.format === 'debezium-schema');
    case 'canal':
      return canalDdl(e);
    case 'sluice':
      return sluiceDdl(e);
  }
}

/**
 * Decodes one record. Canal messages may hold several rows (Canal batches
 * them); every format gives a list. Throws FormatError for a record it cannot read.
 * `hints`: the column types of a table when known (the target's), for the
 * schemaless Debezium format.
 */
export function decodeRecord(
  format: KafkaFormat,
  key: Buffer | null,
  value: Buffer | null,
  hints?: ColumnHints,
  headers?: readonly [string, Buffer][],
): Decoded[] {
  switch (format) {
    case 'debezium':
    case 'debezium-schema':
      return [decodeDebezium(key, value, hints, headers?.find(([n]) => n === OLD_KEY_HEADER)?.[1])];
    case 'canal':
      return decodeCanal(value);
    case 'sluice':
      return [decodeSluice(value)];
  }
}
