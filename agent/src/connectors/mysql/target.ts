import mysql from 'mysql2';
import { MysqlApplier } from '../../cdc/apply-mysql';
import { mysqlCheckpointTableDdl } from '../../cdc/checkpoint-table';
import { mysqlCheckLease } from '../../cdc/lease-fence';
import type { Applier } from '../changes';
import type { Pool as CorePool, PoolConnection as CorePoolConnection } from 'mysql2';
import { PassThrough } from 'node:stream';
import type {
  TargetWriter,
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
import { classifyMysqlError } from '../errors';
import { encodeMysqlLoadData } from '../copy-text';
import { connectMysql, endMysql, errCtx, mysqlOptions, qt, type MyConn } from './client';
import { discoverMysql } from './discover';
import { checkMysql } from './check';
import { deadConns, q, type Query } from './pool-query';
import { applyMysqlSchema } from './target-schema';
import { insertInto, isBinaryType, loadDataFrom, loadDataInto, prepareRows } from './load';
import { encodeTextRows, textRowsToRows, type TextRows } from '../text-rows';

export class MysqlTarget implements Target {
  readonly kind = 'mysql' as const;
  readonly engine = 'mysql' as const;
  get namespace(): string {
    return this.conn.config.database;
  }
  private pool: CorePool;
  private loadData: boolean | null = null;
  private closed = false;

  /** loadData: false forces the multi-row INSERT path (used when LOAD DATA LOCAL is disabled). */
  constructor(
    private readonly conn: MyConn,
    opts: { maxConnections?: number; loadData?: boolean } = {},
  ) {
    if (opts.loadData === false) this.loadData = false;
    this.pool = mysql.createPool({ ...mysqlOptions(conn), connectionLimit: opts.maxConnections ?? 8, waitForConnections: true, idleTimeout: 30_000 });
    this.pool.on('connection', (c) => {
      c.query("SET time_zone = '+00:00'");
      c.query("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");
      c.query('SET SESSION foreign_key_checks = 0');
    });
  }

  capabilities(): TargetCapabilities {
    return {
      transactions: true,
      bulkLoad: true,
      upsert: true,
      schema: true,
      changes: true,
      records: false,
      objects: {
        kinds: [
          'table',
          'view',
          'trigger',
          'procedure',
          'function',
          'enum',
          'set',
          'check',
          'generated_column',
          'on_update',
          'comment',
          'fulltext_index',
          'spatial_index',
        ],
        virtualColumns: true,
      },
    };
  }

  check(): Promise<CheckResult> {
    return checkMysql(this.conn, 'target');
  }

  openApplier(): Applier {
    return new MysqlApplier(this.conn);
  }

  private async getConn(what: string): Promise<CorePoolConnection> {
    return new Promise((resolve, reject) => this.pool.getConnection((err, c) => (err ? reject(classifyMysqlError(err, errCtx(this.conn, what))) : resolve(c))));
  }

  async discover(filter?: (schema: string, table: string) => boolean): Promise<Catalog> {
    const c = await connectMysql(this.conn, 'discover target');
    try {
      return await discoverMysql(c, this.conn.config.database, filter);
    } finally {
      await endMysql(c);
    }
  }

  /** DDL commits on its own in MySQL: a step's statements run one by one, on a session with the server's default sql_mode. */
  async applyObjects(steps: ObjectStep[]): Promise<ObjectStepResult[]> {
    const c = await connectMysql(this.conn, 'apply objects');
    try {
      return await runObjectSteps(
        steps,
        async (step) => {
          for (const sql of step.statements) await c.p.query(sql);
        },
        // table/routine/trigger/column/key/constraint already exists (a rerun)
        (e) => [1050, 1304, 1359, 1060, 1061, 1826, 3822].includes(Number((e as { errno?: number }).errno)),
      );
    } finally {
      await endMysql(c);
    }
  }

  async applySchema(changes: SchemaChange[]): Promise<ApplySchemaResult> {
    const c = await this.getConn('apply schema');
    try {
      return await applyMysqlSchema(this.conn, q(c), changes);
    } finally {
      if (deadConns.has(c)) c.destroy();
      else c.release();
    }
  }

  async writeBatch(w: WriteTarget, rows: Row[], fence: Fence): Promise<{ rows: number; bytes: number }> {
    if (rows.length === 0) return { rows: 0, bytes: 0 };
    const writer = await this.openWriter(w, fence);
    try {
      const r = await writer.write(rows);
      await writer.commit();
      return r;
    } finally {
      await writer.close();
    }
  }

  private fenceTable: Promise<void> | null = null;

  /** Under a lease: `_sluice_checkpoints` exists (once per target; DDL outside the transaction), START TRANSACTION, the fence check. */
  private async beginFenced(query: Query, fence: Fence): Promise<void> {
    const lease = fence.lease;
    if (lease) {
      this.fenceTable ??= query(mysqlCheckpointTableDdl(this.namespace)).then(
        () => undefined,
        (e: unknown) => {
          this.fenceTable = null;
          throw e;
        },
      );
      await this.fenceTable;
    }
    await query('START TRANSACTION');
    if (lease)
      await mysqlCheckLease((sql, params) => query(sql, params).then((r) => (r as [Record<string, unknown>[]])[0]), this.namespace, fence.jobId, lease);
  }

  async openWriter(w: WriteTarget, fence: Fence): Promise<TargetWriter> {
    const c = await this.getConn(`write ${w.table}`);
    const query = q(c);
    let inTx = false;
    let destroy = false;
    let closed = false;
    const fail = async (e: unknown): Promise<never> => {
      const ce = classifyMysqlError(e, errCtx(this.conn, `write ${w.table}`, w.table));
      if (inTx) {
        inTx = false;
        await query('ROLLBACK').catch(() => {
          destroy = true;
        });
      }
      if (ce.class === 'transient') destroy = true;
      throw ce;
    };
    // once LOAD DATA LOCAL is known to work, one statement stays open across batches until commit()
    let load: { pass: PassThrough; done: Promise<void> } | null = null;
    const endLoad = async () => {
      const l = load;
      if (!l) return;
      load = null;
      l.pass.end();
      await l.done;
    };
    const stream = async (bufs: Iterable<Buffer>) => {
      if (!load) {
        const pass = new PassThrough();
        const done = loadDataFrom(query, w, () => pass);
        done.catch(() => {});
        load = { pass, done };
      }
      const l = load;
      for (const b of bufs) if (!l.pass.write(b)) await Promise.race([new Promise((r) => l.pass.once('drain', r)), l.done]);
    };
    const failLoad = async (e: unknown): Promise<never> => {
      if (load) {
        const l = load;
        load = null;
        l.pass.destroy();
        await l.done.catch(() => {});
      }
      return fail(e);
    };
    // binary target columns travel as hex (UNHEX in the statement), as prepareRows makes them Buffers
    const hexCols = w.types.map(isBinaryType);
    const writer: TargetWriter = {
      write: async (rows: Row[]) => {
        if (rows.length === 0) return { rows: 0, bytes: 0 };
        try {
          if (!inTx) {
            inTx = true;
            await this.beginFenced(query, fence);
          }
          if (this.loadData !== true) return await this.putRows(query, w, rows);
          const bytes = prepareRows(w, rows);
          await stream(encodeMysqlLoadData(rows));
          return { rows: rows.length, bytes };
        } catch (e) {
          return failLoad(e);
        }
      },
      writeText: async (t: TextRows) => {
        // until LOAD DATA LOCAL is known to work, batches go the rows' way
        if (t.count === 0 || this.loadData !== true) return writer.write(textRowsToRows(t));
        try {
          if (!inTx) {
            inTx = true;
            await this.beginFenced(query, fence);
          }
          await stream(encodeTextRows(t, true, hexCols));
          return { rows: t.count, bytes: t.buf.length };
        } catch (e) {
          return failLoad(e);
        }
      },
      commit: async () => {
        if (!inTx) return;
        try {
          await endLoad();
          await query('COMMIT');
          inTx = false;
        } catch (e) {
          await fail(e);
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        if (load) {
          const l = load;
          load = null;
          l.pass.destroy();
          await l.done.catch(() => (destroy = true));
        }
        if (inTx) await query('ROLLBACK').catch(() => (destroy = true));
        if (destroy || deadConns.has(c)) c.destroy();
        else c.release();
      },
    };
    return writer;
  }

  private async putRows(query: Query, w: WriteTarget, rows: Row[]): Promise<{ rows: number; bytes: number }> {
    const bytes = prepareRows(w, rows);
    if (this.loadData !== false) {
      try {
        await loadDataInto(query, w, rows);
        this.loadData = true;
        return { rows: rows.length, bytes };
      } catch (e) {
        const ce = classifyMysqlError(e, errCtx(this.conn, `write ${w.table}`, w.table));
        if (ce.code !== 'LOCAL_INFILE_DISABLED') throw ce;
        this.loadData = false;
      }
    }
    await insertInto(query, w, rows);
    return { rows: rows.length, bytes };
  }

  async clearTable(schema: string, table: string): Promise<void> {
    const c = await this.getConn(`clear ${table}`);
    try {
      await q(c)(`TRUNCATE TABLE ${qt(schema, table)}`);
    } catch (e) {
      throw classifyMysqlError(e, errCtx(this.conn, `clear ${table}`, table));
    } finally {
      if (deadConns.has(c)) c.destroy();
      else c.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((r) => this.pool.end(() => r()));
  }
}
