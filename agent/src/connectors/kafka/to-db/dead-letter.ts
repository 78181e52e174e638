/**
 * The dead-letter table of a Kafka -> database job (job.kafka.deadLetter.table,
 * default `_sluice_dead_letters`): one row per record that could not be
 * applied, keyed by (topic, partition, offset), with the reason and the raw
 * key and value. Rows are written as ordinary upserts in the same target
 * transaction as the batch and its checkpoint, so a replay after a crash
 * writes the same rows again instead of duplicating them.
 */
import type { CdcRow } from '../../changes';
import type { Engine } from '../../catalog';
import type { TargetTable } from '../../spi';

export const DEAD_LETTER_KEY = ['kafka_topic', 'kafka_partition', 'kafka_offset'];

export function deadLetterTable(engine: Engine, schema: string, name: string): TargetTable {
  const my = engine === 'mysql';
  const col = (n: string, sqlType: string, kind: 'varchar' | 'int' | 'text' | 'blob' | 'datetime', nullable: boolean) => ({
    name: n,
    sqlType,
    type: { kind },
    nullable,
    default: null,
    autoIncrement: false,
  });
  return {
    schema,
    name,
    columns: [
      col('kafka_topic', my ? 'VARCHAR(249)' : 'varchar(249)', 'varchar', false),
      col('kafka_partition', my ? 'INT' : 'integer', 'int', false),
      col('kafka_offset', my ? 'BIGINT' : 'bigint', 'int', false),
      col('reason', my ? 'TEXT' : 'text', 'text', false),
      col('format', my ? 'VARCHAR(32)' : 'varchar(32)', 'varchar', false),
      col('record_key', my ? 'LONGBLOB' : 'bytea', 'blob', true),
      col('record_value', my ? 'LONGBLOB' : 'bytea', 'blob', true),
      col('failed_at', my ? 'DATETIME(6)' : 'timestamp(6)', 'datetime', false),
    ],
    primaryKey: DEAD_LETTER_KEY,
    indexes: [],
    foreignKeys: [],
  };
}

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  reason: string;
  key: Buffer | null;
  value: Buffer | null;
}

export function deadLetterRow(d: DeadLetter, format: string, now = new Date()): CdcRow {
  return {
    kafka_topic: d.topic,
    kafka_partition: String(d.partition),
    kafka_offset: d.offset,
    reason: d.reason.slice(0, 4000),
    format,
    record_key: d.key,
    record_value: d.value,
    failed_at: now.toISOString().replace('T', ' ').replace('Z', ''),
  };
}
