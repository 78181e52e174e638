/**
 * The PostgreSQL target's writer: one pooled session whose batches go through COPY
 * (one COPY kept open across batches) or, when rows may already exist, through a
 * temporary stage table and INSERT … ON CONFLICT.
 */
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import type { EncodedRows, Fence, Row, WriteTarget } from '../spi';
import { ConnectorError } from '../spi';
import { classifyPgError } from '../errors';
import { encodePgCopyText, rowBytes } from '../copy-text';
import { encodeTextRows, type TextRows } from '../text-rows';
import { errCtx, qi, qt, type PgConn } from './client';
import { PG_BINARY_HEADER, PG_BINARY_TRAILER } from './copy-binary';

type CopyFormat = EncodedRows['format'];

const copyFromSql = (table: string, cols: string[], format: CopyFormat) =>
  `COPY ${table} (${cols.map(qi).join(', ')}) FROM STDIN${format === 'pg-copy-binary' ? ' (FORMAT binary)' : ''}`;

/** Binary tuples between the stream's header and trailer; text as it is. */
function* framed(data: Iterable<Buffer>, format: CopyFormat): Iterable<Buffer> {
  if (format === 'pg-copy-binary') yield PG_BINARY_HEADER;
  yield* data;
  if (format === 'pg-copy-binary') yield PG_BINARY_TRAILER;
}

/** One COPY of `data` into `table` (already quoted) on the client's session. */
export async function copyIntoPg(c: pg.PoolClient, table: string, cols: string[], data: Iterable<Buffer>, format: CopyFormat = 'pg-copy-text'): Promise<void> {
  const stream = c.query(copyStreams.from(copyFromSql(table, cols, format)));
  await pipeline(Readable.from(framed(data, format)), stream);
}

/** One pooled session; batches accumulate in one transaction until commit(). */
export class PgWriter {
  private inTx = false;
  private broken = false;
  private closed = false;
  private stageReady = false;
  private readonly table: string;
  private readonly stage: string;
  constructor(
    private readonly conn: PgConn,
    private readonly c: pg.PoolClient,
    private readonly w: WriteTarget,
    private readonly fence: Fence,
    /** Opens the transaction (BEGIN, then the lease fence check when the fence carries a lease). */
    private readonly begin: (c: pg.PoolClient, fence: Fence) => Promise<void> = (c) => c.query('BEGIN').then(() => undefined),
  ) {
    this.table = qt(w.schema, w.table);
    this.stage = `_sluice_stage_${createHash('sha1').update(`${w.schema}.${w.table}`).digest('hex').slice(0, 12)}`;
  }

  async write(rows: Row[]): Promise<{ rows: number; bytes: number }> {
    if (!rows.length) return { rows: 0, bytes: 0 };
    const bytes = rows.reduce((n, r) => n + rowBytes(r), 0);
    await this.put(() => encodePgCopyText(rows), rows.length, bytes);
    return { rows: rows.length, bytes };
  }

  async writeText(t: TextRows): Promise<{ rows: number; bytes: number }> {
    if (!t.count) return { rows: 0, bytes: 0 };
    await this.put(() => encodeTextRows(t, false), t.count, t.buf.length);
    return { rows: t.count, bytes: t.buf.length };
  }

  async writeEncoded(data: EncodedRows): Promise<{ rows: number; bytes: number }> {
    if (!data.rows) return { rows: 0, bytes: 0 };
    const bytes = data.chunks.reduce((n, b) => n + b.length, 0);
    await this.put(() => data.chunks, data.rows, bytes, data.format);
    return { rows: data.rows, bytes };
  }

  async put(data: () => Iterable<Buffer>, _rows: number, _bytes: number, format: CopyFormat = 'pg-copy-text'): Promise<void> {
    const { c, w } = this;
    try {
      if (!this.inTx) {
        this.inTx = true;
        await this.begin(c, this.fence);
      }
      if (!this.fence.mayExist || w.primaryKey.length === 0) {
        // one COPY stays open across batches until commit()
        await this.copyWrite(data(), format);
        return;
      }
      if (!this.stageReady) {
        await c.query(`CREATE TEMP TABLE IF NOT EXISTS ${qi(this.stage)} (LIKE ${this.table}) ON COMMIT DELETE ROWS`);
        this.stageReady = true;
      }
      await copyIntoPg(c, qi(this.stage), w.columns, data(), format);
      const nonKey = w.columns.filter((x) => !w.primaryKey.includes(x));
      const action = nonKey.length ? `DO UPDATE SET ${nonKey.map((x) => `${qi(x)} = EXCLUDED.${qi(x)}`).join(', ')}` : 'DO NOTHING';
      const cols = w.columns.map(qi).join(', ');
      await c.query(
        `INSERT INTO ${this.table} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM ${qi(this.stage)} ON CONFLICT (${w.primaryKey.map(qi).join(', ')}) ${action}`,
      );
      await c.query(`TRUNCATE ${qi(this.stage)}`);
    } catch (e) {
      await this.rollback();
      if ((e as { code?: string }).code === '23505' && w.primaryKey.length > 0 && !this.fence.mayExist) {
        throw new ConnectorError(`rows of ${w.table} are already in the target: rewriting the chunk as an upsert`, {
          class: 'transient',
          code: 'RETRY_AS_UPSERT',
          retryable: true,
          table: w.table,
        });
      }
      throw classifyPgError(e, errCtx(this.conn, `write ${w.table}`, w.table));
    }
  }

  private copy: { stream: NodeJS.WritableStream & { destroy(e?: Error): void }; done: Promise<void>; format: CopyFormat } | null = null;

  private async copyWrite(bufs: Iterable<Buffer>, format: CopyFormat): Promise<void> {
    if (this.copy && this.copy.format !== format) await this.copyEnd();
    if (!this.copy) {
      const stream = this.c.query(copyStreams.from(copyFromSql(this.table, this.w.columns, format)));
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', () => resolve());
        stream.on('error', reject);
      });
      done.catch(() => {});
      this.copy = { stream, done, format };
      if (format === 'pg-copy-binary') stream.write(PG_BINARY_HEADER);
    }
    const { stream, done } = this.copy;
    for (const b of bufs) {
      if (!stream.write(b)) await Promise.race([new Promise((r) => stream.once('drain', r)), done]);
    }
  }

  private async copyEnd(): Promise<void> {
    const cp = this.copy;
    if (!cp) return;
    this.copy = null;
    if (cp.format === 'pg-copy-binary') cp.stream.write(PG_BINARY_TRAILER);
    cp.stream.end();
    await cp.done;
  }

  private async rollback(): Promise<void> {
    if (this.copy) {
      const cp = this.copy;
      this.copy = null;
      cp.stream.end();
      await cp.done.catch(() => {});
    }
    if (!this.inTx) return;
    this.inTx = false;
    this.stageReady = false;
    await this.c.query('ROLLBACK').catch(() => {
      this.broken = true;
    });
  }

  async commit(): Promise<void> {
    if (!this.inTx) return;
    try {
      await this.copyEnd();
      await this.c.query('COMMIT');
      this.inTx = false;
    } catch (e) {
      await this.rollback();
      if ((e as { code?: string }).code === '23505' && this.w.primaryKey.length > 0 && !this.fence.mayExist) {
        throw new ConnectorError(`rows of ${this.w.table} are already in the target: rewriting the chunk as an upsert`, {
          class: 'transient',
          code: 'RETRY_AS_UPSERT',
          retryable: true,
          table: this.w.table,
        });
      }
      throw classifyPgError(e, errCtx(this.conn, `write ${this.w.table}`, this.w.table));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.rollback();
    this.c.release(this.broken);
  }
}
