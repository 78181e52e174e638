/**
 * PostgreSQL's logical replication stream on `pg` + pg-copy-streams' CopyBoth
 * (START_REPLICATION ... LOGICAL on a `replication=database` connection).
 *
 * We own the wire protocol here (no library internals touched):
 *   - XLogData ('w') and primary keepalive ('k') CopyData frames are parsed by
 *     `parseReplicationMessage`;
 *   - standby status updates ('r') are built by `standbyStatus` and carry ONLY
 *     the LSN the caller says is durable: nothing is ever confirmed on a
 *     keepalive beyond that (a keepalive that asks for a reply gets the same
 *     durable LSN);
 *   - backpressure: pause() stops reading the socket (TCP pushes back on the server).
 */
import type { Duplex, DuplexOptions } from 'node:stream';
import pg, { type Submittable } from 'pg';
import { both as copyBoth, type CopyBothQueryStream } from 'pg-copy-streams';
import { bigToLsn, lsnToBig } from './lsn';

// pg-copy-streams exports `both` (CopyBoth, for replication); @types/pg-copy-streams does not declare it.
declare module 'pg-copy-streams' {
  /** `alignOnCopyDataFrame`: every chunk read is exactly one CopyData payload. */
  export function both(txt: string, options?: DuplexOptions & { alignOnCopyDataFrame?: boolean }): CopyBothQueryStream;
  export interface CopyBothQueryStream extends Duplex, Submittable {
    text: string;
    /** pg's active-query callbacks (the Submittable protocol pg's Client drives). */
    handleError(err: Error): void;
    handleReadyForQuery(): void;
  }
}
type CopyBothStream = CopyBothQueryStream;

/** Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01). */
const PG_EPOCH_MS = 946_684_800_000;

export type ReplicationMessage =
  | { type: 'xlog'; walStart: string; walEnd: string; sendTimeMs: number; data: Buffer }
  | { type: 'keepalive'; walEnd: string; sendTimeMs: number; replyRequested: boolean };

function readLsn(buf: Buffer, offset: number): string {
  return bigToLsn(buf.readBigUInt64BE(offset));
}

function readTime(buf: Buffer, offset: number): number {
  return Number(buf.readBigInt64BE(offset) / 1000n) + PG_EPOCH_MS;
}

/** One CopyData payload of the replication stream. Throws on a frame the protocol does not define. */
export function parseReplicationMessage(buf: Buffer): ReplicationMessage {
  const tag = buf[0];
  if (tag === 0x77 /* w */) {
    if (buf.length < 25) throw new Error(`replication stream: XLogData frame of ${buf.length} bytes is truncated`);
    return { type: 'xlog', walStart: readLsn(buf, 1), walEnd: readLsn(buf, 9), sendTimeMs: readTime(buf, 17), data: buf.subarray(25) };
  }
  if (tag === 0x6b /* k */) {
    if (buf.length < 18) throw new Error(`replication stream: keepalive frame of ${buf.length} bytes is truncated`);
    return { type: 'keepalive', walEnd: readLsn(buf, 1), sendTimeMs: readTime(buf, 9), replyRequested: buf[17] === 1 };
  }
  throw new Error(`replication stream: unknown message type 0x${(tag ?? 0).toString(16)}`);
}

/** A standby status update: written, flushed and applied all at `lsn` (the durable position). */
export function standbyStatus(lsn: string, nowMs: number, replyRequested = false): Buffer {
  const v = lsnToBig(lsn);
  const buf = Buffer.alloc(34);
  buf[0] = 0x72; // 'r'
  for (const off of [1, 9, 17]) buf.writeBigUInt64BE(v, off);
  buf.writeBigInt64BE(BigInt(nowMs - PG_EPOCH_MS) * 1000n, 25);
  buf[33] = replyRequested ? 1 : 0;
  return buf;
}

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The START_REPLICATION command for a logical slot; option values are quoted literals. */
export function startReplicationSql(slot: string, startLsn: string, options: Record<string, string>): string {
  lsnToBig(startLsn); // validates
  const opts = Object.entries(options).map(([k, v]) => `${quoteIdent(k)} ${quoteLiteral(v)}`);
  return `START_REPLICATION SLOT ${quoteIdent(slot)} LOGICAL ${startLsn}${opts.length ? ` (${opts.join(', ')})` : ''}`;
}

export interface ReplicationHandlers {
  message(m: ReplicationMessage): void;
  error(e: Error): void;
}

export class PgReplicationStream {
  private client: pg.Client | null = null;
  private stream: CopyBothStream | null = null;
  private closing = false;
  /** The server ended the stream or it failed: there is no CopyBoth left to end. */
  private finished = false;

  constructor(private readonly config: pg.ClientConfig) {}

  /** Connects and starts streaming; resolves once START_REPLICATION was sent. Errors later go to handlers.error. */
  async start(slot: string, startLsn: string, options: Record<string, string>, handlers: ReplicationHandlers): Promise<void> {
    // pg passes `replication` in the startup packet; @types/pg does not list it.
    const config: pg.ClientConfig & { replication: 'database' } = { ...this.config, replication: 'database' };
    const client = new pg.Client(config);
    this.client = client;
    client.on('error', (e) => {
      if (!this.closing) handlers.error(e);
    });
    await client.connect();
    const stream = copyBoth(startReplicationSql(slot, startLsn, options), { alignOnCopyDataFrame: true, readableHighWaterMark: 4 << 20 });
    this.stream = stream;
    stream.on('data', (chunk: Buffer) => {
      if (this.closing) return;
      let m: ReplicationMessage;
      try {
        m = parseReplicationMessage(chunk);
      } catch (e) {
        handlers.error(e as Error);
        return;
      }
      handlers.message(m);
    });
    stream.on('error', (e: Error) => {
      this.finished = true;
      if (!this.closing) handlers.error(e);
    });
    stream.on('end', () => {
      if (!this.closing) {
        this.finished = true;
        handlers.error(new Error('the replication stream ended (the server closed it)'));
      }
    });
    client.query(this.activeQuery(stream));
  }

  /**
   * What pg's Client drives while the command runs. The CopyBoth stream handles the copy; the end is
   * ours: the copy stream expects ReadyForQuery only after WE ended it (it then calls its end
   * callback, which does not exist otherwise), so a ReadyForQuery after a server ERROR or a
   * server-side CopyDone is not passed on. (PostgreSQL 15 ends the walsender after such an ERROR;
   * this keeps a server that does not from crashing the agent.)
   */
  private activeQuery(stream: CopyBothStream): Submittable & Record<string, unknown> {
    const noop = () => undefined;
    return {
      submit: (connection) => stream.submit(connection),
      handleError: (err: Error) => stream.handleError(err),
      handleReadyForQuery: () => {
        if (this.closing && !this.finished) stream.handleReadyForQuery();
      },
      handleCommandComplete: noop,
      handleCopyData: noop,
      handleCopyInResponse: noop,
      handleEmptyQuery: noop,
      handleRowDescription: noop,
      handleDataRow: noop,
      handlePortalSuspended: noop,
    };
  }

  /** Reports `lsn` as written, flushed and applied. Only ever pass a position the target made durable. */
  sendStatus(lsn: string, nowMs = Date.now()): void {
    if (!this.stream || this.closing) return;
    this.stream.write(standbyStatus(lsn, nowMs));
  }

  pause(): void {
    this.stream?.pause();
  }

  resume(): void {
    this.stream?.resume();
  }

  /** Ends the stream (CopyDone, bounded wait) and the connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const stream = this.stream;
    const client = this.client;
    this.stream = null;
    this.client = null;
    if (stream && client && !this.finished) {
      stream.resume(); // drain whatever is in flight so the server's CopyDone can be read
      await Promise.race([
        new Promise<void>((res) => {
          stream.once('finish', () => res());
          stream.once('error', () => res());
          stream.end();
        }),
        new Promise<void>((res) => setTimeout(res, 2_000).unref()),
      ]);
    }
    await client?.end().catch(() => undefined);
  }
}
