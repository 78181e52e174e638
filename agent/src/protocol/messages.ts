/**
 * Agent <-> control plane protocol (ARCHITECTURE.md "Rules" P). Both sides validate every
 * frame with these zod schemas. Positions and progress are opaque JSON here;
 * row data never crosses this socket.
 */
import { z } from 'zod';
import { connectionSchema, tlsModeSchema } from './data-source';
import { jobSpecSchema } from './job-spec';
import { tableControlSchema } from './table-states';

export const PROTOCOL_VERSIONS = [1] as const;
export const CURRENT_PROTOCOL_VERSION = 1;

const uuid = z.string().uuid();
const json = z.record(z.string(), z.unknown());

export const errorCodeSchema = z.enum([
  'BAD_FRAME',
  'UNKNOWN_TYPE',
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'STALE_LEASE',
  'TIMEOUT',
  'CANCELLED',
  'INTERNAL',
  'UNSUPPORTED',
  'OVERLOADED',
  'FORBIDDEN',
  'FRAME_TOO_LARGE',
  'CLOSED',
  /** The receiver could not do what was asked (e.g. the agent has no free slot). */
  'REJECTED',
]);
export type ProtocolErrorCode = z.infer<typeof errorCodeSchema>;

export const taskAssignmentSchema = z.object({
  taskId: uuid,
  jobId: uuid,
  runId: uuid,
  leaseId: uuid,
  /** The lease epoch: grows on every assignment of the task; checked and advanced at the target with every write (fencing). */
  epoch: z.number().int().nonnegative().optional(),
  leaseTtlMs: z.number().int().positive(),
  kind: z.string(),
  /** Task-specific spec (chunk bounds, etc.). */
  spec: json,
  job: jobSpecSchema,
  source: connectionSchema,
  target: connectionSchema.optional(),
  /** Last checkpoints for this task, keyed by stream, to resume from. */
  checkpoints: z.record(z.string(), json).default({}),
  command: z.enum(['run', 'pause', 'stop']).default('run'),
});
export type TaskAssignment = z.infer<typeof taskAssignmentSchema>;

export const inFlightSchema = z.object({ taskId: uuid, leaseId: uuid });

/** A chunk the coordinating `run` task publishes as a `chunk` task (its spec; engine/spread.ts). */
export const chunkPublishSchema = z.object({
  stream: z.string().min(1).max(512),
  /** The planned SnapshotTask (bounds, columns), opaque here. */
  task: json,
  /** The source table as the coordinator discovered it (TableInfo), so a chunk task need not discover it again. */
  table: json.optional(),
  /** Rows of this chunk may already be in the target (resumed run, existing table, upsert mode). */
  mayExist: z.boolean(),
  /** The CDC start position (T0) captured before any chunk was read (full_cdc). */
  cdcStart: json.optional(),
  /** A source snapshot the chunk's reader imports (PG exported snapshot), while the coordinator keeps it open. */
  snapshot: z.string().max(256).optional(),
});
export type ChunkPublish = z.infer<typeof chunkPublishSchema>;

export const chunkStateSchema = z.object({
  stream: z.string(),
  taskId: uuid,
  state: z.string(),
  agentId: uuid.nullable(),
  agentName: z.string().nullable(),
  attempts: z.number().int(),
  rows: z.number(),
  bytes: z.number(),
  error: z.string().nullable(),
});
export type ChunkState = z.infer<typeof chunkStateSchema>;

/** A signed correctness receipt (agent/src/receipt/receipt.ts): the body and an Ed25519 signature over its canonical JSON. */
export const receiptSchema = z.object({
  body: json,
  signature: z.object({
    alg: z.literal('ed25519'),
    publicKey: z.string().min(1).max(256),
    signer: z.string().min(1).max(64),
    value: z.string().min(1).max(256),
  }),
});

/** Every message type and its payload. */
export const payloads = {
  // handshake
  hello: z.object({ nonce: z.string().min(16).max(128), serverTime: z.number(), protocolVersions: z.array(z.number().int()) }),
  connect: z.object({
    agentId: uuid,
    protocolVersions: z.array(z.number().int()).min(1),
    agentVersion: z.string().max(64),
    capacity: z.number().int().min(0).max(1024),
    inFlight: z.array(inFlightSchema).max(1024),
    ts: z.number(),
    /** The nonce from `hello` that was signed (lets the server name a replay precisely). */
    nonce: z.string().min(16).max(128).optional(),
    /** base64 Ed25519 signature over `${nonce}|${agentId}|${ts}`. */
    signature: z.string().max(256),
  }),
  ready: z.object({
    protocolVersion: z.number().int(),
    agentId: uuid,
    heartbeatMs: z.number().int().positive(),
    leaseTtlMs: z.number().int().positive(),
    maxFrameBytes: z.number().int().positive(),
    /** In-flight tasks the server no longer recognises: stop them. */
    revokedTasks: z.array(uuid).default([]),
  }),
  refused: z.object({ code: z.string(), reason: z.string(), retry: z.boolean() }),
  error: z.object({ code: errorCodeSchema, message: z.string().max(2000) }),
  ok: z.object({}).passthrough(),
  cancel: z.object({ requestId: z.string() }),

  // liveness
  heartbeat: z.object({
    inFlight: z.array(inFlightSchema).max(1024),
    freeSlots: z.number().int().min(0),
    cpu: z.number().min(0),
    rssBytes: z.number().int().min(0),
  }),
  /** Reply to `heartbeat`: in-flight tasks whose lease the server no longer recognises (stop them). */
  'heartbeat.ack': z.object({ serverTime: z.number(), staleTasks: z.array(uuid).default([]) }),

  // tasks (server -> agent)
  'task.assign': taskAssignmentSchema,
  'task.command': z.object({ taskId: uuid, leaseId: uuid, command: z.enum(['run', 'pause', 'stop']) }),

  // tasks (agent -> server); each carries the lease (fencing)
  'lease.extend': z.object({ taskId: uuid, leaseId: uuid }),
  'lease.extended': z.object({
    expiresAt: z.number(),
    command: z.enum(['run', 'pause', 'stop']),
    /** CDC jobs: the tables the job should have now (issue 14 §5); echoed in every ack. */
    tables: tableControlSchema.optional(),
    /** Ids of the schema changes approved for the task's job (CDC tables held by the pause policy). */
    schemaApprovals: z.array(z.string().max(64)).max(1000).optional(),
  }),
  'task.checkpoint': z.object({ taskId: uuid, leaseId: uuid, stream: z.string().min(1).max(512), position: json }),
  'task.progress': z.object({ taskId: uuid, leaseId: uuid, progress: json }),
  'task.log': z.object({ taskId: uuid, leaseId: uuid, level: z.enum(['debug', 'info', 'warn', 'error']), message: z.string().max(8192) }),
  'task.event': z.object({ taskId: uuid, leaseId: uuid, type: z.string().max(64), message: z.string().max(8192), data: json.default({}) }),
  'task.complete': z.object({ taskId: uuid, leaseId: uuid, result: json.default({}) }),
  /** The run's correctness receipt (issue 15 item 6), signed with the agent's key; sent just before the task's end (complete, fail or release). */
  'task.receipt': z.object({ taskId: uuid, leaseId: uuid, receipt: receiptSchema }),
  'task.fail': z.object({ taskId: uuid, leaseId: uuid, error: z.string().max(8192), retryable: z.boolean() }),
  'task.release': z.object({ taskId: uuid, leaseId: uuid }),
  'task.paused': z.object({ taskId: uuid, leaseId: uuid }),
  /** Reads the task's current assignment (spec, connections, checkpoints): fenced like any other. */
  'task.get': z.object({ taskId: uuid, leaseId: uuid }),
  /** The coordinating run task publishes its chunks as chunk tasks (idempotent) and reads their states. */
  'task.chunks': z.object({ taskId: uuid, leaseId: uuid, publish: z.array(chunkPublishSchema).max(500).optional() }),
  'task.chunks.state': z.object({ chunks: z.array(chunkStateSchema).max(100_000) }),
  /** Reads a data source's connection; allowed only for a source or target of a task the agent leases. */
  'datasource.get': z.object({ dataSourceId: uuid, taskId: uuid, leaseId: uuid }),
  'datasource.connection': z.object({ dataSourceId: uuid, connection: connectionSchema }),

  // work that needs the customer's network (server -> agent)
  'datasource.test': z.object({
    dataSourceId: uuid,
    connection: connectionSchema,
    /** What the data source is tested as: a target is checked for create/insert/update/delete. Default source. */
    role: z.enum(['source', 'target']).optional(),
    /** A source of a cdc/full_cdc job: also run the CDC preflight that job meets at Start, for its table selection. */
    cdc: z
      .object({
        mode: z.enum(['cdc', 'full_cdc']),
        tables: z.object({ include: z.array(z.string().min(1).max(512)).min(1).max(1000), exclude: z.array(z.string().min(1).max(512)).max(1000) }),
      })
      .optional(),
  }),
  'datasource.discover': z.object({ dataSourceId: uuid, connection: connectionSchema }),
  'datasource.tested': z.object({
    ok: z.boolean(),
    checks: z.array(
      z.object({ name: z.string(), ok: z.boolean(), message: z.string(), fix: z.string().optional(), severity: z.literal('warning').optional() }),
    ),
    version: z.string().optional(),
    /** Negotiated TLS (older agents omit it). */
    tls: z
      .object({ mode: tlsModeSchema, encrypted: z.boolean(), version: z.string().max(32).nullable(), verified: z.boolean(), message: z.string().max(1024) })
      .optional(),
  }),
  /** Discovery result (schemas, tables, columns, keys, row estimates), shape owned by the engine. */
  'datasource.discovered': z.object({ result: z.unknown() }),
  /** A deleted CDC job: release its streaming state on the source (PG slot and publication) and its target checkpoint rows. */
  'cdc.cleanup': z.object({
    jobId: uuid,
    source: connectionSchema,
    target: connectionSchema.optional(),
    slot: z.string().min(1).max(63),
    publication: z.string().min(1).max(63),
  }),
  'cdc.cleaned': z.object({
    source: z.object({ ok: z.boolean(), message: z.string().max(2000) }),
    target: z.object({ ok: z.boolean(), message: z.string().max(2000) }),
  }),
} as const;

/**
 * The reply type for each request type; any request not listed is answered
 * with `ok`. Every request may instead be answered with `error`.
 */
export const replyTypes = {
  connect: 'ready',
  heartbeat: 'heartbeat.ack',
  'lease.extend': 'lease.extended',
  'task.get': 'task.assign',
  'task.chunks': 'task.chunks.state',
  'datasource.get': 'datasource.connection',
  'datasource.test': 'datasource.tested',
  'datasource.discover': 'datasource.discovered',
  'cdc.cleanup': 'cdc.cleaned',
} as const satisfies Partial<Record<MessageType, MessageType>>;

/** Frames that are never requests: replies and notifications. */
export const nonRequestTypes = new Set<string>([
  'hello',
  'ready',
  'refused',
  'error',
  'ok',
  'cancel',
  'heartbeat.ack',
  'lease.extended',
  'task.chunks.state',
  'datasource.connection',
  'datasource.tested',
  'datasource.discovered',
  'cdc.cleaned',
]);

export type ReplyTypeOf<T extends MessageType> = T extends keyof typeof replyTypes ? (typeof replyTypes)[T] : 'ok';
export type ReplyOf<T extends MessageType> = Payload<ReplyTypeOf<T>>;

/** Messages from an agent that name a job, task or data source: each is ownership-checked and fenced. */
export const fencedAgentMessages = [
  'lease.extend',
  'task.checkpoint',
  'task.progress',
  'task.log',
  'task.event',
  'task.complete',
  'task.receipt',
  'task.fail',
  'task.release',
  'task.paused',
  'task.get',
  'task.chunks',
  'datasource.get',
] as const satisfies readonly MessageType[];
export type FencedAgentMessage = (typeof fencedAgentMessages)[number];

export type MessageType = keyof typeof payloads;
export type Payload<T extends MessageType> = z.infer<(typeof payloads)[T]>;

export const messageTypes = Object.keys(payloads) as MessageType[];

export const envelopeSchema = z.object({
  v: z.number().int(),
  id: z.string().min(1).max(64),
  replyTo: z.string().min(1).max(64).optional(),
  type: z.string().min(1).max(64),
  ts: z.number(),
  payload: z.unknown(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export type TypedEnvelope<T extends MessageType> = Omit<Envelope, 'type' | 'payload'> & { type: T; payload: Payload<T> };

/** Parses a raw frame: first the envelope, then the payload for its type. */
export function parseFrame(
  raw: string,
): { ok: true; env: Envelope & { type: MessageType } } | { ok: false; code: ProtocolErrorCode; message: string; id?: string } {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'BAD_FRAME', message: 'frame is not valid JSON' };
  }
  const env = envelopeSchema.safeParse(data);
  if (!env.success)
    return { ok: false, code: 'BAD_FRAME', message: `bad envelope: ${env.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  const schema = (payloads as Record<string, z.ZodType>)[env.data.type];
  if (!schema) return { ok: false, code: 'UNKNOWN_TYPE', message: `unknown message type "${env.data.type}"`, id: env.data.id };
  const p = schema.safeParse(env.data.payload);
  if (!p.success)
    return {
      ok: false,
      code: 'BAD_FRAME',
      message: `bad ${env.data.type} payload: ${p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      id: env.data.id,
    };
  return { ok: true, env: { ...env.data, type: env.data.type as MessageType, payload: p.data } };
}

export function signingInput(nonce: string, agentId: string, ts: number): Buffer {
  return Buffer.from(`${nonce}|${agentId}|${ts}`, 'utf8');
}
