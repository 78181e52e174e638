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
import { sideTable, type SideColumn } from '../../side-table';
import type { TargetTable } from '../../spi';

export const DEAD_LETTER_KEY = ['kafka_topic', 'kafka_partition', 'kafka_offset'];

const DEAD_LETTER_COLUMNS: readonly SideColumn[] = [
  ['kafka_topic', 'VARCHAR(249)', 'varchar(249)', 'varchar', false],
  ['kafka_partition', 'INT', 'integer', 'int', false],
  ['kafka_offset', 'BIGINT', 'bigint', 'int', false],
  ['reason', 'TEXT', 'text', 'text', false],
  ['format', 'VARCHAR(32)', 'varchar(32)', 'varchar', false],
  ['record_key', 'LONGBLOB', 'bytea', 'blob', true],
  ['record_value', 'LONGBLOB', 'bytea', 'blob', true],
  ['failed_at', 'DATETIME(6)', 'timestamp(6)', 'datetime', false],
];

export function deadLetterTable(engine: Engine, schema: string, name: string): TargetTable {
  return sideTable(engine, schema, name, DEAD_LETTER_COLUMNS, DEAD_LETTER_KEY);
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
