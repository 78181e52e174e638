/**
 * The one source position type. Every connector's position is a version-1
 * object with a `kind` tag; it is stored in checkpoints (the control plane's
 * and the target's `_sluice_checkpoints`) as JSON, so it only ever GAINS
 * optional fields. A field that changes meaning needs `v: 2` and a reader for
 * both versions here.
 *
 * `parsePosition` reads anything a checkpoint ever held (fields an older or
 * newer agent wrote are kept as they are), so nothing else casts positions.
 */
import { z } from 'zod';

/** Tables stopped after an unsupported schema change: `schema.table` -> reason. */
const quarantined = z.record(z.string(), z.string()).optional();
/** Older checkpoints may lack `v`; they are version 1. */
const v1 = z.literal(1).default(1);
const count = z.coerce.number().int().nonnegative().optional();

const pgShape = {
  v: v1,
  kind: z.literal('pg'),
  /** Commit END LSN of the last fully applied transaction (or a heartbeat's LSN), e.g. '16/B374D848'. */
  lsn: z.string().optional(),
  /** Inside an oversized transaction: the commit LSN of the transaction applied up to `seq` changes. */
  txLsn: z.string().optional(),
  seq: count,
  /** The logical replication slot and publication this position belongs to. */
  slot: z.string().optional(),
  publication: z.string().optional(),
  quarantined,
};

const mysqlShape = {
  v: v1,
  kind: z.literal('mysql'),
  /** GTID set after the last applied transaction (MariaDB: gtid_binlog_pos; MySQL: gtid_executed). */
  gtidSet: z.string().optional(),
  /** binlog file/pos, the fallback when GTIDs are off. */
  file: z.string().optional(),
  pos: count,
  /** Inside an oversized transaction: the GTID of the transaction applied up to `seq` changes. */
  txGtid: z.string().optional(),
  seq: count,
  /** Events and rows already applied within the transaction at this position. */
  skipEvents: count,
  skipRows: count,
  quarantined,
};

const kafkaShape = {
  v: v1,
  kind: z.literal('kafka'),
  /** topic -> partition -> the NEXT offset to read (decimal text: offsets are int64). */
  offsets: z.record(z.string(), z.record(z.string(), z.string().regex(/^\d+$/, 'an offset is a non-negative integer'))),
  quarantined,
};

// Types: the declared fields only (no index signature), so a typo is a type error.
const pgStrict = z.object(pgShape);
const mysqlStrict = z.object(mysqlShape);
const kafkaStrict = z.object(kafkaShape);
export type PgPosition = z.output<typeof pgStrict>;
export type MysqlPosition = z.output<typeof mysqlStrict>;
export type KafkaPosition = z.output<typeof kafkaStrict>;
export type SourcePosition = PgPosition | MysqlPosition | KafkaPosition;
export type PositionKind = SourcePosition['kind'];
/** A position of the given kind. */
export type PositionOf<K extends PositionKind> = Extract<SourcePosition, { kind: K }>;

// Parsing: unknown fields are kept (positions written by a newer agent survive a round trip).
const pgLoose = z.looseObject(pgShape);
const mysqlLoose = z.looseObject(mysqlShape);
const kafkaLoose = z.looseObject(kafkaShape);
export const positionSchema = z.discriminatedUnion('kind', [pgLoose, mysqlLoose, kafkaLoose]);

/** Parses a stored position (an object or its JSON text); throws a readable error when it is not one. */
export function parsePosition(raw: unknown): SourcePosition {
  const value = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  const r = positionSchema.safeParse(value);
  if (!r.success) throw new Error(`not a source position: ${r.error.issues.map((i) => `${i.path.join('.') || 'kind'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** The position when `raw` is one of `kind`, otherwise null (absent, another connector's, or not a position). */
export function positionOfKind<K extends PositionKind>(raw: unknown, kind: K): PositionOf<K> | null {
  if (raw === null || raw === undefined) return null;
  let p: SourcePosition;
  try {
    p = parsePosition(raw);
  } catch {
    return null;
  }
  return isKind(p, kind) ? p : null;
}

export function isKind<K extends PositionKind>(p: SourcePosition, kind: K): p is PositionOf<K> {
  return p.kind === kind;
}

/** The same position with its quarantine list set (removed when empty). */
export function withQuarantined<P extends SourcePosition>(p: P, q: Record<string, string>): P {
  const out: P = { ...p };
  if (Object.keys(q).length) out.quarantined = { ...q };
  else delete out.quarantined;
  return out;
}

/** A short human description for logs: `lsn 0/16B3748`, `gtid 0-1-42`, `binlog.000003:1234`, `3 partitions`. */
export function describePosition(p: SourcePosition): string {
  switch (p.kind) {
    case 'pg':
      return `lsn ${p.lsn ?? '0/0'}${p.txLsn ? ` (+${p.seq ?? 0} of tx ${p.txLsn})` : ''}`;
    case 'mysql':
      return p.gtidSet ? `gtid ${p.gtidSet}` : `${p.file ?? '?'}:${p.pos ?? '?'}`;
    case 'kafka': {
      const n = Object.values(p.offsets).reduce((a, parts) => a + Object.keys(parts).length, 0);
      return `${n} partition${n === 1 ? '' : 's'}`;
    }
  }
}
