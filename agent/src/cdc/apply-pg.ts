/**
 * PostgreSQL target. Per batch, in ONE transaction:
 *   1. COPY every final row image (and every deleted key) into a temp staging
 *      table per target table (`ON COMMIT DELETE ROWS`, reused across batches);
 *   2. TRUNCATE (when the batch truncated the table), DELETE ... USING staging,
 *      INSERT ... SELECT ... ON CONFLICT (key) DO UPDATE, and an UPDATE for rows
 *      with unchanged TOAST columns that sets only the columns that were sent (the rows it does not find
 *      are upserted whole from the source's current row: current-rows.ts);
 *   3. upsert `_sluice_checkpoints`;
 *   4. COMMIT.
 */
import pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { pgConfig, qi, type PgConnection } from './connections';
import { integerKeyRangeSql } from './key-range';
import {
  deletePgCheckpoints,
  ensurePgCheckpointTable,
  extraPartitionStreams,
  pgCheckpointUpsert,
  pgDropOtherPartitionsSql,
  readPgCheckpoint,
  readPgPartitionCheckpoints,
} from './checkpoint-table';
import { pgCheckLease } from './lease-fence';
import { isZeroDate, type Applier, type CheckpointWrite, type ResolvedPlan } from './applier';
import { renderPgDdl } from './target-ddl';
import { ConnectorError } from '../connectors/connector-error';
import { classifyPgError } from '../connectors/errors';
import type { CdcValue, TargetDdl } from './types';

interface TableMeta {
  columns: Map<string, string>;
  staging: string;
  stagingCols: string[];
}

function copyText(v: CdcValue | undefined, type: string): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (Buffer.isBuffer(v)) s = type === 'bytea' ? `\\x${v.toString('hex')}` : v.toString('utf8');
  else {
    s = v;
    if (type.startsWith('timestamp') || type === 'date') {
      if (isZeroDate(s)) return '\\N';
    } else if (type === 'boolean') {
      if (s === '1') s = 't';
      else if (s === '0') s = 'f';
    }
  }
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export class PgApplier implements Applier {
  readonly engine = 'postgres' as const;
  private client: pg.Client | null = null;
  private readonly meta = new Map<string, TableMeta>();
  private stagingSeq = 0;
  private readonly schema: string;

  constructor(private readonly conn: PgConnection) {
    this.schema = conn.config.schema;
  }

  private c(): pg.Client {
    if (!this.client) throw new Error('target not connected');
    return this.client;
  }

  async init(): Promise<void> {
    this.client = new pg.Client(pgConfig(this.conn));
    // Errors surface on the next query; an idle disconnect must not crash the process.
    this.client.on('error', () => undefined);
    await this.client.connect();
    await this.client.query("SET TIME ZONE 'UTC'");
    await ensurePgCheckpointTable(this.client, this.schema);
  }

  readCheckpoint(jobId: string, stream: string): Promise<unknown> {
    return readPgCheckpoint(this.c(), this.schema, jobId, stream);
  }

  forgetJob(jobId: string): Promise<number> {
    return deletePgCheckpoints(this.c(), this.schema, jobId);
  }

  readPartitionCheckpoints(jobId: string, stream: string): Promise<unknown[]> {
    return readPgPartitionCheckpoints(this.c(), this.schema, jobId, stream);
  }

  async partitionHints(): Promise<{ foreignKeys: boolean; uniqueTables: string[] }> {
    const fk = await this.c().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 AND c.contype = 'f'`,
      [this.schema],
    );
    const uq = await this.c().query<{ t: string }>(
      `SELECT DISTINCT t.relname AS t FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1 AND i.indisunique AND NOT i.indisprimary`,
      [this.schema],
    );
    return { foreignKeys: (fk.rows[0]?.n ?? 0) > 0, uniqueTables: uq.rows.map((r) => r.t) };
  }

  async forgetTable(table: string): Promise<void> {
    const m = this.meta.get(table);
    if (m) await this.c().query(`DROP TABLE IF EXISTS ${qi(m.staging)}`);
    this.meta.delete(table);
  }

  classifyError(e: unknown, what: string): ConnectorError {
    return classifyPgError(e, { what });
  }

  async integerKeysBetween(table: string, keyColumns: string[], after: string[] | null, upTo: string[] | null): Promise<string[][]> {
    const sql = integerKeyRangeSql(qi, (e) => `${e}::text`, `${qi(this.schema)}.${qi(table)}`, keyColumns, after, upTo);
    const r = await this.c().query<Record<string, string>>(sql);
    return r.rows.map((row) => keyColumns.map((_, i) => row[`k${i}`]!));
  }

  async columns(table: string): Promise<Map<string, string> | null> {
    const r = await this.c().query<{ name: string; type: string }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [this.schema, table],
    );
    if (!r.rowCount) return null;
    return new Map(r.rows.map((x) => [x.name, x.type.replace(/\(.*$/, '').replace(/ with(out)? time zone$/, (m) => m)]));
  }

  async addColumns(table: string, cols: { name: string; type: string }[]): Promise<void> {
    const adds = cols.map((c) => `ADD COLUMN IF NOT EXISTS ${qi(c.name)} ${c.type}`).join(', ');
    await this.c().query(`ALTER TABLE ${qi(this.schema)}.${qi(table)} ${adds}`);
    const m = this.meta.get(table);
    if (m) await this.c().query(`DROP TABLE IF EXISTS ${qi(m.staging)}`);
    this.meta.delete(table);
  }

  async columnTypes(table: string): Promise<Map<string, string> | null> {
    const r = await this.c().query<{ name: string; type: string }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [this.schema, table],
    );
    return r.rowCount ? new Map(r.rows.map((x) => [x.name, x.type])) : null;
  }

  renderDdl(table: string, ddl: TargetDdl): string[] {
    return renderPgDdl(this.schema, table, ddl);
  }

  async runDdl(table: string, statements: string[]): Promise<void> {
    for (const sql of statements) await this.c().query(sql);
    const m = this.meta.get(table);
    if (m) await this.c().query(`DROP TABLE IF EXISTS ${qi(m.staging)}`);
    this.meta.delete(table);
  }

  private async tableMeta(table: string): Promise<TableMeta> {
    const hit = this.meta.get(table);
    if (hit) return hit;
    const columns = await this.columns(table);
    if (!columns) {
      throw new ConnectorError(`target table ${this.schema}.${table} does not exist`, {
        class: 'config',
        code: 'TABLE_MISSING',
        table,
        fix: 'create it first (run the job as full_cdc, or create the table yourself), then start CDC',
      });
    }
    const staging = `_sluice_stg_${++this.stagingSeq}`;
    const stagingCols = [...columns.keys()];
    await this.c().query(
      `CREATE TEMP TABLE IF NOT EXISTS ${qi(staging)} ON COMMIT DELETE ROWS AS
         SELECT ${stagingCols.map(qi).join(', ')}, NULL::text AS _sluice_op
           FROM ${qi(this.schema)}.${qi(table)} WITH NO DATA`,
    );
    const m = { columns, staging, stagingCols };
    this.meta.set(table, m);
    return m;
  }

  async apply(plans: ResolvedPlan[], checkpoint: CheckpointWrite | null): Promise<void> {
    const c = this.c();
    const metas = new Map<string, TableMeta>();
    for (const p of plans) metas.set(p.table, await this.tableMeta(p.table));
    await c.query('BEGIN');
    try {
      if (checkpoint?.lease)
        await pgCheckLease(
          (sql, params) => c.query(sql, params).then((r) => r.rows as Record<string, unknown>[]),
          this.schema,
          checkpoint.jobId,
          checkpoint.lease,
        );
      for (const p of plans) await this.applyTable(p, metas.get(p.table)!);
      if (checkpoint) {
        const json = JSON.stringify(checkpoint.position);
        await c.query(pgCheckpointUpsert(this.schema), [checkpoint.jobId, checkpoint.stream, json]);
        if (checkpoint.partitions !== undefined) {
          const extra = extraPartitionStreams(checkpoint.stream, checkpoint.partitions);
          for (const s of extra) await c.query(pgCheckpointUpsert(this.schema), [checkpoint.jobId, s, json]);
          await c.query(pgDropOtherPartitionsSql(this.schema), [checkpoint.jobId, `${checkpoint.stream}@p`, extra]);
        }
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  private async applyTable(p: ResolvedPlan, m: TableMeta): Promise<void> {
    const c = this.c();
    const target = `${qi(this.schema)}.${qi(p.table)}`;
    for (const k of p.keyColumns) {
      if (!m.columns.has(k)) throw new Error(`target table ${p.table} has no key column ${k}`);
    }
    if (p.truncate) await c.query(`TRUNCATE ${target}`);
    if (p.deletes.length === 0 && p.upserts.length === 0) return;
    // Rows that moved to a new key with unchanged TOAST columns: take those values from the old row first
    // (at the key the row came from, else at a key it passed through in this batch: a target ahead of the stream).
    for (const u of p.upserts) {
      if (!u.fromKey || !u.unchanged?.length) continue;
      const where = p.keyColumns.map((k, i) => `${qi(k)} = $${i + 1}`).join(' AND ');
      let old: Record<string, string | null> | undefined;
      for (const from of [u.fromKey, ...(u.viaKeys ?? [])]) {
        const r = await c.query({
          text: `SELECT ${u.unchanged.map(qi).join(', ')} FROM ${target} WHERE ${where}`,
          values: p.keyColumns.map((k) => from[k] ?? null),
          types: { getTypeParser: () => (v: string) => v },
        } as pg.QueryConfig);
        old = r.rows[0] as Record<string, string | null> | undefined;
        if (old) break;
      }
      if (old) {
        for (const col of u.unchanged) u.row[col] = m.columns.get(col) === 'bytea' && old[col] ? Buffer.from(old[col]!.slice(2), 'hex') : (old[col] ?? null);
        delete u.unchanged;
      }
    }
    // Which columns the batch carries (others keep their target values / defaults).
    const carried = new Set<string>(p.keyColumns);
    for (const u of p.upserts) for (const k of Object.keys(u.row)) if (m.columns.has(k)) carried.add(k);
    const cols = m.stagingCols.filter((x) => carried.has(x));
    const sigs = new Map<string, string[]>();
    const lines: string[] = [];
    const ops: string[] = [];
    for (const d of p.deletes) {
      lines.push(`${cols.map((col) => copyText(d[col], m.columns.get(col)!)).join('\t')}\td`);
    }
    p.upserts.forEach((u, n) => {
      let op = 'u';
      if (u.unchanged?.length) {
        const sig = [...u.unchanged].sort().join(',');
        if (!sigs.has(sig)) sigs.set(sig, u.unchanged);
        op = `p${[...sigs.keys()].indexOf(sig)}:${n}`; // which upsert: the partial UPDATE returns the ones it found
      }
      ops.push(op);
      lines.push(`${cols.map((col) => copyText(u.row[col], m.columns.get(col)!)).join('\t')}\t${op}`);
    });
    await this.copyStaging(m, cols, lines);
    const on = p.keyColumns.map((k) => `t.${qi(k)} = s.${qi(k)}`).join(' AND ');
    if (p.deletes.length) {
      await c.query(`DELETE FROM ${target} t USING ${qi(m.staging)} s WHERE s._sluice_op = 'd' AND ${on}`);
    }
    if (p.upserts.some((u) => !u.unchanged?.length)) await this.upsertStaged(p, target, m, cols, 'u');
    const found = new Set<string>();
    let i = 0;
    for (const unchanged of sigs.values()) {
      const keep = new Set(unchanged);
      // no column to set but the key: set the key to itself, so RETURNING still tells which rows the target holds
      const nonKey = cols.filter((x) => !keep.has(x) && !p.keyColumns.includes(x));
      const setCols = nonKey.length ? nonKey : p.keyColumns.slice(0, 1);
      const r = await c.query<{ op: string }>(
        `UPDATE ${target} t SET ${setCols.map((x) => `${qi(x)} = s.${qi(x)}`).join(', ')}
           FROM ${qi(m.staging)} s WHERE s._sluice_op LIKE 'p${i}:%' AND ${on} RETURNING s._sluice_op AS op`,
      );
      for (const row of r.rows) found.add(row.op);
      i++;
    }
    // Not at any of its keys on the target (a target ahead of the stream): upsert the source's current row.
    const missing = p.upserts.filter((_, n) => ops[n] !== 'u' && !found.has(ops[n]!));
    if (!missing.length || !p.currentRows) return;
    const current = await p.currentRows(missing);
    const whole = missing.flatMap((u, n) => (current[n] ? [current[n]] : [])); // null: the source's later DELETE follows
    if (!whole.length) return;
    const fill = m.stagingCols.filter((x) => p.keyColumns.includes(x) || whole.some((r) => x in r));
    await this.copyStaging(
      m,
      fill,
      whole.map((r) => `${fill.map((col) => copyText(r[col], m.columns.get(col)!)).join('\t')}\tf`),
    );
    await this.upsertStaged(p, target, m, fill, 'f');
  }

  private async copyStaging(m: TableMeta, cols: string[], lines: string[]): Promise<void> {
    const copySql = `COPY ${qi(m.staging)} (${[...cols, '_sluice_op'].map(qi).join(', ')}) FROM STDIN`;
    const stream = this.c().query(copyFrom(copySql));
    await pipeline(Readable.from([Buffer.from(lines.join('\n') + '\n', 'utf8')]), stream);
  }

  private async upsertStaged(p: ResolvedPlan, target: string, m: TableMeta, cols: string[], op: string): Promise<void> {
    const nonKey = cols.filter((x) => !p.keyColumns.includes(x));
    const set = nonKey.length ? `DO UPDATE SET ${nonKey.map((x) => `${qi(x)} = EXCLUDED.${qi(x)}`).join(', ')}` : 'DO NOTHING';
    await this.c().query(
      `INSERT INTO ${target} (${cols.map(qi).join(', ')})
         SELECT ${cols.map(qi).join(', ')} FROM ${qi(m.staging)} WHERE _sluice_op = '${op}'
         ON CONFLICT (${p.keyColumns.map(qi).join(', ')}) ${set}`,
    );
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}
