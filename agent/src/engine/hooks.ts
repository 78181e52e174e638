/**
 * The contract between the engine and whatever runs it: an agent task (via the
 * control plane) or the standalone CLI (`sluice-agent run --spec`). The engine
 * never talks to the control plane directly.
 */
import type { ChunkPublish, ChunkState, Connection, JobSpec } from '../protocol';
import type { KafkaProgress } from '../protocol/kafka-shapes';
import type { LeaseFence } from '../connectors/changes';
import type { TableControl, TableStates } from '../protocol/table-states';

export type Position = Record<string, unknown>;

export interface TableProgress {
  table: string;
  rowsDone: number;
  rowsTotal: number;
  bytesDone: number;
  rowsPerSec: number;
  etaSeconds: number | null;
  phase: 'pending' | 'schema' | 'loading' | 'indexes' | 'verifying' | 'done' | 'failed' | 'cdc';
}

export interface EngineProgress {
  phase: string;
  tables: TableProgress[];
  /** A job with a Kafka source or target: per topic and partition (protocol/kafka-shapes.ts). */
  kafka?: KafkaProgress;
  /** CDC metrics, when streaming. */
  cdc?: {
    eventsPerSec: number;
    lagP50Ms: number;
    lagP99Ms: number;
    /** Changes received from the source but not applied yet. */
    backlog: number;
    position?: Position;
    /** Source log bytes not yet read (PG WAL after the last received LSN; binlog bytes after our file/pos). */
    backlogBytes?: number | null;
    /** Estimated seconds until the source may purge logs this job still needs; null = never/unknown. */
    secondsUntilPurge?: number | null;
    events?: number;
    transactions?: number;
    /** Per source table (`schema.table`). */
    tables?: Record<string, { events: number; eventsPerSec: number; lagP50Ms: number; lagP99Ms: number }>;
    /** Tables stopped after an unsupported schema change: table -> reason. */
    quarantined?: Record<string, string>;
    /** Every captured (or removed) table's state (issue 14 §5). */
    tableStates?: TableStates;
  };
}

export interface EngineHooks {
  /** Aborted on stop or when the lease is lost; the engine must stop promptly. */
  signal: AbortSignal;
  /** Checkpoints from an earlier attempt, keyed by stream. Finished chunks are not redone. */
  resume: Record<string, Position>;
  /**
   * Persist a checkpoint. Called only AFTER the target has committed the data
   * it covers. Resolves once it is durable (fenced by the lease on the control
   * plane); rejects if the lease is stale, in which case the engine must stop.
   */
  checkpoint(stream: string, position: Position): Promise<void>;
  progress(p: EngineProgress): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  event(type: string, message: string, data?: Record<string, unknown>): void;
  /** Resolves immediately when running; blocks while the job is paused. */
  waitIfPaused(): Promise<void>;
  /**
   * The tables the control plane wants now (selection + resync requests), latest first seen;
   * null until one arrived. Absent without a control plane.
   */
  tableControl?(): TableControl | null;
  /**
   * Ids of the schema changes the user approved for this job (CDC tables paused by the `pause` policy);
   * absent where nothing can approve (a standalone run).
   */
  schemaApprovals?(): Promise<string[]>;
  /**
   * Spread full load (job `placement.spread`): publishes chunks as chunk tasks other agents lease (idempotent), and
   * returns the states of every chunk task of the run. Absent without a control plane.
   */
  chunks?(publish?: ChunkPublish[]): Promise<ChunkState[]>;
}

export interface EngineTaskInput {
  jobId: string;
  runId: string;
  taskId: string;
  kind: string;
  job: JobSpec;
  source: Connection;
  target?: Connection;
  taskSpec: Record<string, unknown>;
  /** The lease's fence at the target (absent when no control plane runs the task). */
  lease?: LeaseFence;
}

export type EngineResult = Record<string, unknown>;

export interface ConnectionTestResult {
  ok: boolean;
  checks: { name: string; ok: boolean; message: string; fix?: string; severity?: 'warning' }[];
  version?: string;
  /** Negotiated TLS version and whether the certificate was verified (absent when the connection failed). */
  tls?: { mode: 'disable' | 'require' | 'verify-ca' | 'verify-full'; encrypted: boolean; version: string | null; verified: boolean; message: string };
}
