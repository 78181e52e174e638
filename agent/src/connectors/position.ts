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
import { lsnCompare } from '../cdc/lsn';

/** Tables stopped after an unsupported schema change: `schema.table` -> reason. */
const quarantined = z.record(z.string(), z.string()).optional();
/**
 * Live tables of a CDC job (issue 14 §5), committed with the rows they cover:
 * `tables`, the captured tables this position covers (absent in older checkpoints:
 * the job's selection); `snapshots`, live snapshots in progress (the last key copied,
 * null before the first chunk); `done`, the last resync request handled per table.
 */
const liveSchema = z
  .object({
    tables: z.array(z.string()).optional(),
    snapshots: z
      .record(
        z.string(),
        z.object({
          after: z.array(z.string().nullable()).nullable(),
          rows: z.coerce.number().int().nonnegative().default(0),
          kind: z.enum(['add', 'resync']),
          request: z.string().optional(),
        }),
      )
      .optional(),
    done: z.record(z.string(), z.string()).optional(),
  })
  .optional();
export type LiveTablesState = NonNullable<z.output<typeof liveSchema>>;
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
  /** The source's identity when this position was read: IDENTIFY_SYSTEM's systemid and timeline. */
  systemId: z.string().optional(),
  timeline: count,
  quarantined,
  live: liveSchema,
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
  /** The source's identity when this position was read: MySQL's server_uuid, MariaDB's server_id and gtid_domain_id. */
  serverUuid: z.string().optional(),
  serverId: count,
  domainId: count,
  quarantined,
  live: liveSchema,
};

const kafkaShape = {
  v: v1,
  kind: z.literal('kafka'),
  /** topic -> partition -> the NEXT offset to read (decimal text: offsets are int64). */
  offsets: z.record(z.string(), z.record(z.string(), z.string().regex(/^\d+$/, 'an offset is a non-negative integer'))),
  /** T0: the end offset of every partition when the job first started (the full phase copies up to it). */
  t0: z.record(z.string(), z.record(z.string(), z.string().regex(/^\d+$/, 'an offset is a non-negative integer'))).optional(),
  /**
   * Target topic -> partition -> the end offset after the job's last committed record there. A resume proves the
   * target still holds it (a target topic deleted or recreated under the job is data loss, never a silent skip).
   */
  targetEnds: z.record(z.string(), z.record(z.string(), z.string().regex(/^\d+$/, 'an offset is a non-negative integer'))).optional(),
  /** Database -> Kafka: the database position the job's topics hold every change up to (no offsets then). */
  source: z.unknown().optional(),
  /** Database -> Kafka: the snapshot (op r records) is complete. */
  snapshotDone: z.boolean().optional(),
  /**
   * Database -> Kafka, while the snapshot runs: its chunk bounds per table (a resume plans the same chunks), the
   * chunks written whole, and how far the chunk being written got (its last key), for a per-chunk resume.
   */
  snapshot: z
    .object({
      bounds: z.record(z.string(), z.array(z.array(z.string().nullable()))),
      done: z.array(z.string()),
      at: z.object({ task: z.string(), rows: z.number().int().nonnegative(), after: z.array(z.string().nullable()) }).optional(),
    })
    .optional(),
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

/** The same position with its live-tables state set (removed when empty). */
export function withLive<P extends SourcePosition>(p: P, live: LiveTablesState | null): P {
  const out = { ...p } as P & { live?: LiveTablesState };
  if (live && out.kind !== 'kafka') out.live = live;
  else delete out.live;
  return out;
}

/** The live-tables state a position carries, if any. */
export function liveOf(p: SourcePosition): LiveTablesState | null {
  return p.kind === 'kafka' ? null : (p.live ?? null);
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

/** MariaDB GTID positions ('0-1-42,1-2-7') as domain -> sequence; null for anything else (MySQL's uuid sets). */
function mariaSeqs(gtid: string): Map<string, bigint> | null {
  const out = new Map<string, bigint>();
  for (const part of gtid
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d+)-\d+-(\d+)$/.exec(part);
    if (!m) return null;
    out.set(m[1]!, BigInt(m[2]!));
  }
  return out;
}

function binlogBefore(a: MysqlPosition, b: MysqlPosition): boolean | null {
  if (!a.file || !b.file || a.pos === undefined || b.pos === undefined) return null;
  return a.file < b.file || (a.file === b.file && a.pos < b.pos);
}

/**
 * Whether `a` is strictly earlier than `b` in the same source's log (same slot for
 * PG); null when the two cannot be compared (other kinds, other slots, missing fields).
 */
export function positionPrecedes(a: SourcePosition, b: SourcePosition): boolean | null {
  if (a.kind === 'pg' && b.kind === 'pg') {
    if (!a.lsn || !b.lsn || (a.slot && b.slot && a.slot !== b.slot)) return null;
    return lsnCompare(a.lsn, b.lsn) < 0;
  }
  if (a.kind === 'mysql' && b.kind === 'mysql') {
    const x = a.gtidSet ? mariaSeqs(a.gtidSet) : null;
    const y = b.gtidSet ? mariaSeqs(b.gtidSet) : null;
    if (!x || !y) return binlogBefore(a, b);
    let less = false;
    for (const [d, seq] of x) if (seq > (y.get(d) ?? 0n)) return false;
    for (const [d, seq] of y) if ((x.get(d) ?? 0n) < seq) less = true;
    return less;
  }
  return null;
}
