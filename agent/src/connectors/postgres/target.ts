import pg from 'pg';
import { PgApplier } from '../../cdc/apply-pg';
import { ensurePgCheckpointTable } from '../../cdc/checkpoint-table';
import { pgCheckLease } from '../../cdc/lease-fence';
import type { Applier } from '../changes';
import type {
  EncodedRows,
  ApplySchemaResult,
  Catalog,
  CheckResult,
  Fence,
  ObjectStep,
  ObjectStepResult,
  Row,
  SchemaChange,
  Target,
  TargetCapabilities,
  WriteTarget,
} from '../spi';
import { runObjectSteps } from '../objects';
import { objectKinds } from '../../protocol/objects-shapes';
import { classifyPgError } from '../errors';
import { encodePgCopyText, rowBytes } from '../copy-text';
import { errCtx, pgClientConfig, qi, qt, type PgConn } from './client';
import { discoverPg } from './discover';
import { checkPg } from './check';
import { applyPgSchema } from './target-schema';
import { PgWriter } from './writer';

export class PgTarget implements Target {
  readonly kind = 'postgres' as const;
  readonly engine = 'postgres' as const;
  get namespace(): string {
    return this.conn.config.schema;
  }
  private pool: pg.Pool;
  private closed = false;

  constructor(
    private readonly conn: PgConn,
    opts: { maxConnections?: number } = {},
  ) {
    this.pool = new pg.Pool({ ...pgClientConfig(conn), max: opts.maxConnections ?? 8, idleTimeoutMillis: 30_000 });
    this.pool.on('error', () => {});
  }

  capabilities(): TargetCapabilities {
    return {
      transactions: true,
      bulkLoad: true,
      upsert: true,
      schema: true,
      changes: true,
      records: false,
      objects: { kinds: [...objectKinds].filter((k) => k !== 'set'), virtualColumns: false },
      deferredKeys: true,
      concurrentIndexBuilds: true,
    };
  }

  check(): Promise<CheckResult> {
    return checkPg(this.conn, 'target');
  }

  openApplier(): Applier {
    return new PgApplier(this.conn);
  }

  private guarded = new WeakSet<pg.PoolClient>();
  private fenceTable: Promise<void> | null = null;

  /** Under a lease: `_sluice_checkpoints` exists (once per target), then BEGIN, then the fence check. */
  private async beginFenced(c: pg.PoolClient, fence: Fence): Promise<void> {
    const lease = fence.lease;
    if (lease) {
      this.fenceTable ??= ensurePgCheckpointTable(c, this.namespace).catch((e: unknown) => {
        this.fenceTable = null;
        throw e;
      });
      await this.fenceTable;
    }
    await c.query('BEGIN');
    if (lease) await pgCheckLease((sql, params) => c.query(sql, params).then((r) => r.rows as Record<string, unknown>[]), this.namespace, fence.jobId, lease);
  }

  private async client(what: string): Promise<pg.PoolClient> {
    try {
      const c = await this.pool.connect();
      if (!this.guarded.has(c)) {
        // a checked-out client whose server session dies emits 'error'; the pending query reports it
        c.on('error', () => {});
        this.guarded.add(c);
      }
      return c;
    } catch (e) {
      throw classifyPgError(e, errCtx(this.conn, what));
    }
  }

  async discover(filter?: (schema: string, table: string) => boolean): Promise<Catalog> {
    const c = await this.client('discover target');
    try {
      return await discoverPg(c as unknown as pg.Client, this.conn.config.database, this.conn.config.schema, filter);
    } finally {
      c.release();
    }
  }

  async applySchema(changes: SchemaChange[]): Promise<ApplySchemaResult> {
    const c = await this.client('apply schema');
    try {
      return await applyPgSchema(this.conn, c, changes);
    } finally {
      c.release();
    }
  }

  async applyObjects(steps: ObjectStep[]): Promise<ObjectStepResult[]> {
    const c = await this.client('apply objects');
    try {
      return await runObjectSteps(
        steps,
        async (step) => {
          await c.query('BEGIN');
          try {
            await c.query(`SELECT set_config('search_path', $1, true)`, [qi(this.namespace)]);
            for (const sql of step.statements) await c.query(sql);
            await c.query('COMMIT');
          } catch (e) {
            await c.query('ROLLBACK').catch(() => {});
            throw e;
          }
        },
        (e) => ['42710', '42P07', '42723', '42701'].includes((e as { code?: string }).code ?? ''),
      );
    } finally {
      c.release();
    }
  }

  encodedFormats(): EncodedRows['format'][] {
    return ['pg-copy-text', 'pg-copy-binary'];
  }

  async writeEncoded(w: WriteTarget, data: EncodedRows, fence: Fence): Promise<{ rows: number; bytes: number }> {
    if (data.rows === 0) return { rows: 0, bytes: 0 };
    return this.write(
      w,
      () => data.chunks,
      data.rows,
      data.chunks.reduce((n, b) => n + b.length, 0),
      fence,
      data.format,
    );
  }

  async writeBatch(w: WriteTarget, rows: Row[], fence: Fence): Promise<{ rows: number; bytes: number }> {
    if (rows.length === 0) return { rows: 0, bytes: 0 };
    const bytes = rows.reduce((n, r) => n + rowBytes(r), 0);
    return this.write(w, () => encodePgCopyText(rows), rows.length, bytes, fence);
  }

  private async write(
    w: WriteTarget,
    data: () => Iterable<Buffer>,
    nrows: number,
    bytes: number,
    fence: Fence,
    format: EncodedRows['format'] = 'pg-copy-text',
  ): Promise<{ rows: number; bytes: number }> {
    let writer = await this.openWriter(w, fence);
    try {
      try {
        await writer.put(data, nrows, bytes, format);
        await writer.commit();
      } catch (e) {
        if ((e as { code?: string }).code !== 'RETRY_AS_UPSERT') throw e;
        await writer.close();
        writer = await this.openWriter(w, { ...fence, mayExist: true });
        await writer.put(data, nrows, bytes, format);
        await writer.commit();
      }
      return { rows: nrows, bytes };
    } finally {
      await writer.close();
    }
  }

  async openWriter(w: WriteTarget, fence: Fence): Promise<PgWriter> {
    return new PgWriter(this.conn, await this.client(`write ${w.table}`), w, fence, (c, f) => this.beginFenced(c, f));
  }

  async clearTable(schema: string, table: string): Promise<void> {
    const c = await this.client(`clear ${table}`);
    try {
      await c.query(`TRUNCATE ${qt(schema, table)}`);
    } catch (e) {
      throw classifyPgError(e, errCtx(this.conn, `clear ${table}`, table));
    } finally {
      c.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => {});
  }
}
