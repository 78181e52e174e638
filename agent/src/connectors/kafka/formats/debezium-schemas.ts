/**
 * The fixed Kafka Connect schemas of Debezium's records (source block,
 * transaction block, transaction metadata, schema-change events) as JSON text,
 * and the reverse mapping from a column's Connect schema to a column type
 * (target tables created from the envelope's `schema` part).
 */
import type { ColumnType, Engine } from '../../catalog';
import { member, memberStr, type JVal } from './exact-json';

const f = (type: string, field: string, optional = true): string => `{"type":"${type}","optional":${optional},"field":"${field}"}`;

export const MYSQL_SOURCE_SCHEMA = `{"type":"struct","fields":[${[
  f('string', 'version', false),
  f('string', 'connector', false),
  f('string', 'name', false),
  f('int64', 'ts_ms', false),
  '{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,last,false,incremental"},"default":"false","field":"snapshot"}',
  f('string', 'db', false),
  f('string', 'sequence'),
  f('string', 'table'),
  f('int64', 'server_id', false),
  f('string', 'gtid'),
  f('string', 'file', false),
  f('int64', 'pos', false),
  f('int32', 'row', false),
  f('int64', 'thread'),
  f('string', 'query'),
].join(',')}],"optional":false,"name":"io.debezium.connector.mysql.Source","field":"source"}`;

export const PG_SOURCE_SCHEMA = `{"type":"struct","fields":[${[
  f('string', 'version', false),
  f('string', 'connector', false),
  f('string', 'name', false),
  f('int64', 'ts_ms', false),
  '{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,last,false,incremental"},"default":"false","field":"snapshot"}',
  f('string', 'db', false),
  f('string', 'sequence'),
  f('string', 'schema', false),
  f('string', 'table', false),
  f('int64', 'txId'),
  f('int64', 'lsn'),
  f('int64', 'xmin'),
].join(',')}],"optional":false,"name":"io.debezium.connector.postgresql.Source","field":"source"}`;

export const TX_BLOCK_SCHEMA = `{"type":"struct","fields":[${f('string', 'id', false)},${f('int64', 'total_order', false)},${f('int64', 'data_collection_order', false)}],"optional":true,"name":"event.block","version":1,"field":"transaction"}`;

export const TX_KEY_SCHEMA = `{"type":"struct","fields":[${f('string', 'id', false)}],"optional":false,"name":"io.debezium.connector.common.TransactionMetadataKey"}`;

export const TX_VALUE_SCHEMA = `{"type":"struct","fields":[${[
  f('string', 'status', false),
  f('string', 'id', false),
  f('int64', 'event_count'),
  `{"type":"array","items":{"type":"struct","fields":[${f('string', 'data_collection', false)},${f('int64', 'event_count', false)}],"optional":false},"optional":true,"field":"data_collections"}`,
  f('int64', 'ts_ms', false),
].join(',')}],"optional":false,"name":"io.debezium.connector.common.TransactionMetadataValue"}`;

export const DDL_KEY_SCHEMA = `{"type":"struct","fields":[${f('string', 'databaseName', false)}],"optional":false,"name":"io.debezium.connector.mysql.SchemaChangeKey"}`;

export function ddlValueSchema(engine: Engine): string {
  const column = `{"type":"struct","fields":[${[f('string', 'name', false), f('string', 'typeName', false), f('int32', 'position', false), f('boolean', 'optional', false)].join(',')}],"optional":false}`;
  const table = `{"type":"struct","fields":[{"type":"array","items":{"type":"string","optional":false},"optional":true,"field":"primaryKeyColumnNames"},{"type":"array","items":${column},"optional":false,"field":"columns"}],"optional":true,"field":"table"}`;
  const change = `{"type":"struct","fields":[${f('string', 'type', false)},${f('string', 'id', false)},${table}],"optional":false}`;
  const source = engine === 'mysql' ? MYSQL_SOURCE_SCHEMA : PG_SOURCE_SCHEMA;
  return `{"type":"struct","fields":[${[source, f('int64', 'ts_ms'), f('string', 'databaseName'), f('string', 'schemaName'), f('string', 'ddl'), `{"type":"array","items":${change},"optional":false,"field":"tableChanges"}`].join(',')}],"optional":false,"name":"io.debezium.connector.${engine === 'mysql' ? 'mysql' : 'postgresql'}.SchemaChangeValue"}`;
}

/** A column type from a field's Connect schema (for creating a target table from the envelope). */
export function columnTypeOfSchema(s: JVal | undefined): ColumnType {
  const type = memberStr(s, 'type');
  const name = memberStr(s, 'name');
  const params = member(s, 'parameters');
  switch (name) {
    case 'org.apache.kafka.connect.data.Decimal': {
      const p = memberStr(params, 'connect.decimal.precision');
      const scale = Number(memberStr(params, 'scale') ?? '0');
      return p ? { kind: 'decimal', precision: Number(p), scale } : { kind: 'decimal', precision: 65, scale };
    }
    case 'io.debezium.data.VariableScaleDecimal':
      return { kind: 'decimal' };
    case 'io.debezium.data.Bits':
      return { kind: 'bit', length: Number(memberStr(params, 'length') ?? '1') };
    case 'io.debezium.time.Date':
      return { kind: 'date' };
    case 'io.debezium.time.Time':
      return { kind: 'time', fsp: 3 };
    case 'io.debezium.time.MicroTime':
    case 'io.debezium.time.NanoTime':
      return { kind: 'time', fsp: 6 };
    case 'io.debezium.time.Timestamp':
      return { kind: 'datetime', fsp: 3 };
    case 'io.debezium.time.MicroTimestamp':
    case 'io.debezium.time.NanoTimestamp':
      return { kind: 'datetime', fsp: 6 };
    case 'io.debezium.time.ZonedTimestamp':
      return { kind: 'timestamptz', fsp: 6 };
    case 'io.debezium.time.ZonedTime':
      return { kind: 'timetz', fsp: 6 };
    case 'io.debezium.time.Year':
      return { kind: 'year' };
    case 'io.debezium.time.Interval':
    case 'io.debezium.time.MicroDuration':
      return { kind: 'interval' };
    case 'io.debezium.data.Json':
      return { kind: 'json' };
    case 'io.debezium.data.Uuid':
      return { kind: 'uuid' };
    case 'io.debezium.data.Xml':
      return { kind: 'xml' };
    case 'io.debezium.data.Enum':
      return { kind: 'enum', enumValues: (memberStr(params, 'allowed') ?? '').split(',') };
    case 'io.debezium.data.EnumSet':
      return { kind: 'set', enumValues: (memberStr(params, 'allowed') ?? '').split(',') };
    default:
      break;
  }
  switch (type) {
    case 'boolean':
      return { kind: 'bool' };
    case 'int8':
    case 'int16':
      return { kind: 'int', bits: 16 };
    case 'int32':
      return { kind: 'int', bits: 32 };
    case 'int64':
      return { kind: 'int', bits: 64 };
    case 'float':
      return { kind: 'float', bits: 32 };
    case 'double':
      return { kind: 'float', bits: 64 };
    case 'bytes':
      return { kind: 'blob', size: 'long' };
    case 'array':
      return { kind: 'array', element: columnTypeOfSchema(member(s, 'items')) };
    default:
      return { kind: 'text', size: 'long' };
  }
}
