/**
 * Copies one planned chunk: read batches from the source (from the committed
 * cursor), convert, write them in target transactions of up to
 * `commitEveryMs` / `commitBytes`, and checkpoint the cursor after each commit.
 * A transient failure is retried (with backoff) as an upsert from the last
 * committed cursor; a chunk of a table without a key restarts from its start.
 */
import {
  ConnectorError,
  isConnectorError,
  type Batch,
  type ChunkCursor,
  type EncodedRows,
  type LeaseFence,
  type Row,
  type SnapshotTask,
  type Source,
  type Target,
  type WriteTarget,
} from '../connectors/spi';
import { fullJitterDelay, sleep } from '../runtime/backoff';
import { textRowsColumn, textRowsToRows, type TextRows } from '../connectors/text-rows';
import type { EngineHooks } from './hooks';
import type { ProgressTracker } from './progress';
import type { TableMappingResult } from './type-mapping';
import { REJECT_COLUMNS, REJECTS_TABLE, RowRejected, rejectRow } from './value-policy';

export interface ChunkSettings {
  batchRows: number;
  batchBytes: number;
  retries: number;
  commitEveryMs: number;
  commitBytes: number;
  /** Backoff between retries: full jitter up to min(cap, base * 2^attempt). */
  retryBaseMs: number;
  retryCapMs: number;
}

export interface ChunkContext {
  jobId: string;
  /** The lease's fence at the target (absent without a control plane). */
  lease?: LeaseFence;
  source: Pick<Source, 'readTask' | 'capabilities'>;
  target: Pick<Target, 'openWriter' | 'writeBatch' | 'writeEncoded' | 'encodedFormats' | 'clearTable'>;
  hooks: Pick<EngineHooks, 'checkpoint' | 'log' | 'waitIfPaused'>;
  progress: Pick<ProgressTracker, 'addRows'>;
  settings: ChunkSettings;
  signal: AbortSignal;
  /** Rows of this chunk may already be in the target (resumed run, table that existed, upsert mode). */
  mayExist: boolean;
  /** The table has other chunks: a keyless table cannot retry one chunk alone. */
  siblingChunks: boolean;
  /**
   * The table is loading without its primary key (built after the load): builds it now. Called before a
   * chunk is written again (a retry upserts the rows after its last commit, which needs the key), so no
   * row is written twice into a table without its key.
   */
  ensureKey?: () => Promise<void>;
  /** Told once per chunk how its rows travelled: an encoded format passed through, rows as bytes (`text-rows`), or decoded `rows`. */
  onWire?: (wire: EncodedRows['format'] | 'text-rows' | 'rows') => void;
}

/** The chunk settings of a run (full-load options, defaults). */
export function chunkSettings(o: {
  batchRows?: number;
  batchBytes?: number;
  retries?: number;
  checkpointEveryMs?: number;
  commitBytes?: number;
}): ChunkSettings {
  return {
    batchRows: o.batchRows ?? 2_500,
    batchBytes: o.batchBytes ?? 2 << 20,
    retries: o.retries ?? 3,
    commitEveryMs: o.checkpointEveryMs ?? 1000,
    commitBytes: o.commitBytes ?? 64 << 20,
    retryBaseMs: 500,
    retryCapMs: 10_000,
  };
}

export function abortError(): ConnectorError {
  return new ConnectorError('stopped', { class: 'transient', code: 'ABORTED', retryable: true });
}

/** Reads the next batch while the current one is being written (depth 1 prefetch). */
export async function* prefetch<T>(it: AsyncIterable<T>): AsyncGenerator<T> {
  const iter = it[Symbol.asyncIterator]();
  let pending = iter.next();
  pending.catch(() => {});
  try {
    for (;;) {
      const r = await pending;
      if (r.done) return;
      pending = iter.next();
      pending.catch(() => {});
      yield r.value;
    }
  } finally {
    await pending.catch(() => undefined);
    await iter.return?.(undefined)?.catch(() => undefined);
  }
}

/** The write target and per-column converters of a task. */
function writePlan(task: SnapshotTask, m: TableMappingResult) {
  const colMaps = task.columns.map((c) => m.columns.find((x) => x.source.name === c)!);
  const converters = colMaps.map((c) => c.convert);
  const wt: WriteTarget = {
    schema: m.target.schema,
    table: m.target.name,
    columns: colMaps.map((c) => c.target.name),
    types: colMaps.map((c) => c.target.type),
    primaryKey: m.target.primaryKey,
  };
  return { wt, converters, anyConvert: converters.some((f) => f !== null), deadLetter: colMaps.some((c) => c.policy?.policy === 'dead-letter') };
}

/** Where a table's rejected rows go: `_sluice_rejects` in the target table's schema. */
export function rejectsTarget(schema: string): WriteTarget {
  return { schema, table: REJECTS_TABLE, columns: REJECT_COLUMNS, types: REJECT_COLUMNS.map(() => ({ kind: 'text' as const })), primaryKey: ['reject_id'] };
}

/**
 * Converts a batch in place. A row with a value its column's policy sends to dead-letter is taken
 * out of the batch and returned as a `_sluice_rejects` row (keyed by the source key values).
 */
export function convertRows(
  rows: Row[],
  converters: (((v: Row[number]) => Row[number]) | null)[],
  reject: { jobId: string; table: string; keyIdx: number[]; keyNames: string[]; phase: 'load' | 'repair' } | null,
): { rows: Row[]; rejects: Row[] } {
  const rejects: Row[] = [];
  let out: Row[] | null = null;
  for (let j = 0; j < rows.length; j++) {
    const r = rows[j]!;
    const orig = reject ? r.slice() : null;
    try {
      for (let i = 0; i < converters.length; i++) {
        const f = converters[i];
        if (f) r[i] = f(r[i] ?? null);
      }
      out?.push(r);
    } catch (e) {
      if (!(e instanceof RowRejected) || !reject || !orig) throw e;
      out ??= rows.slice(0, j);
      const key = reject.keyIdx.length ? Object.fromEntries(reject.keyIdx.map((i, n) => [reject.keyNames[n]!, orig[i] ?? null])) : null;
      rejects.push(rejectRow(reject.jobId, reject.table, key, orig, e, reject.phase));
    }
  }
  return { rows: out ?? rows, rejects };
}

/**
 * Converts TextRows' converted columns: their values replace the bytes. False, with `t` unchanged, when
 * a value is rejected (dead-letter): the caller converts the batch as rows, which sets such rows aside.
 */
export function convertTextRows(t: TextRows, converters: (((v: Row[number]) => Row[number]) | null)[]): boolean {
  const done: [number, Row[number][]][] = [];
  for (let c = 0; c < converters.length; c++) {
    const f = converters[c];
    if (!f) continue;
    const vals = textRowsColumn(t, c);
    try {
      for (let r = 0; r < vals.length; r++) vals[r] = f(vals[r] ?? null);
    } catch (e) {
      if (e instanceof RowRejected) return false;
      throw e;
    }
    done.push([c, vals]);
  }
  for (const [c, vals] of done) t.values[c] = vals;
  return true;
}

/**
 * Same wire format on both sides and nothing to convert: encoded batches pass straight through. Binary
 * COPY only where every column is declared exactly the same on both sides (binary forms are per type).
 */
export function passthroughFormat(
  ctx: Pick<ChunkContext, 'source' | 'target'>,
  task: SnapshotTask,
  m: TableMappingResult,
  anyConvert: boolean,
): EncodedRows['format'] | undefined {
  if (anyConvert || task.readExpr || !ctx.target.writeEncoded) return undefined;
  const both = (f: EncodedRows['format']) => ctx.source.capabilities().encodedFormats.includes(f) && (ctx.target.encodedFormats?.() ?? []).includes(f);
  // an enum the target creates from the source's labels is the same type under a quoted name
  const sameTypes = m.columns.every((c) => c.target.sqlType === c.source.nativeType || (c.source.type.kind === 'enum' && !!c.target.createEnum));
  if (sameTypes && both('pg-copy-binary')) return 'pg-copy-binary';
  return both('pg-copy-text') ? 'pg-copy-text' : undefined;
}

export async function runChunk(
  ctx: ChunkContext,
  task: SnapshotTask,
  m: TableMappingResult,
  worker: number,
  resumeCursor: ChunkCursor | undefined,
): Promise<void> {
  const { source, target, hooks, settings, signal } = ctx;
  const keyed = task.keyColumns.length > 0;
  const { wt, converters, anyConvert, deadLetter } = writePlan(task, m);
  const rejectCtx = deadLetter
    ? {
        jobId: ctx.jobId,
        table: `${m.source.schema}.${m.source.name}`,
        keyIdx: task.keyColumns.map((k) => task.columns.indexOf(k)),
        keyNames: task.keyColumns,
        phase: 'load' as const,
      }
    : null;
  const passthrough = passthroughFormat(ctx, task, m, anyConvert);
  let attempt = 0;
  let committed = resumeCursor;
  let told = false;
  for (;;) {
    let mayExist = ctx.mayExist || attempt > 0;
    if (keyed && mayExist && ctx.ensureKey) await ctx.ensureKey();
    if (!keyed) {
      // no key: a chunk is rewritten from its start; a retry of a table's only chunk clears it first
      committed = undefined;
      if (attempt > 0) await target.clearTable(m.target.schema, m.target.name);
      mayExist = false;
    }
    const fence = { jobId: ctx.jobId, stream: task.stream, mayExist, ...(ctx.lease ? { lease: ctx.lease } : {}) };
    // several batches share one target transaction; the checkpoint follows each commit
    const writer = target.openWriter ? await target.openWriter(wt, fence) : null;
    let lastCommit = Date.now();
    let pendRows = 0;
    let pendBytes = 0;
    let pendCursor: ChunkCursor | undefined;
    let pendRejects: Row[] = [];
    const commit = async () => {
      if (writer) await writer.commit();
      // the rows' rejects before the checkpoint: a crash in between replays the rows, which rejects them again
      if (pendRejects.length) {
        await target.writeBatch(rejectsTarget(m.target.schema), pendRejects, { ...fence, stream: `${task.stream}:rejects`, mayExist: true });
        pendRejects = [];
      }
      committed = pendCursor;
      ctx.progress.addRows(m.source.name, pendRows, pendBytes);
      pendRows = 0;
      pendBytes = 0;
      if (pendCursor && (keyed || pendCursor.done)) await hooks.checkpoint(task.stream, pendCursor);
      lastCommit = Date.now();
    };
    try {
      for await (const batch of prefetch<Batch>(
        source.readTask(task, committed, {
          worker,
          batchRows: settings.batchRows,
          batchBytes: settings.batchBytes,
          signal,
          ...(passthrough ? { passthrough } : {}),
          // rows as bytes when the writer takes them
          ...(!passthrough && writer?.writeText ? { textRows: true } : {}),
        }),
      )) {
        if (signal.aborted) throw abortError();
        await hooks.waitIfPaused();
        if (!told) {
          told = true;
          ctx.onWire?.(batch.encoded ? batch.encoded.format : batch.text ? 'text-rows' : 'rows');
        }
        if (batch.encoded) {
          if (batch.encoded.rows) {
            const w = writer?.writeEncoded ? await writer.writeEncoded(batch.encoded) : await target.writeEncoded!(wt, batch.encoded, fence);
            pendRows += w.rows;
          }
        } else if (batch.text && writer?.writeText && (!anyConvert || convertTextRows(batch.text, converters))) {
          if (batch.text.count) pendRows += (await writer.writeText(batch.text)).rows;
        } else if (batch.rows.length || batch.text?.count) {
          // TextRows reach here only unconverted (a rejected value): converted as rows, so rows are set aside
          let rows: Row[] = batch.text ? textRowsToRows(batch.text) : batch.rows;
          if (anyConvert) {
            const c = convertRows(rows, converters, rejectCtx);
            rows = c.rows;
            if (c.rejects.length) pendRejects.push(...c.rejects);
          }
          if (rows.length) {
            const w = writer ? await writer.write(rows) : await target.writeBatch(wt, rows, fence);
            pendRows += w.rows;
          }
        }
        pendBytes += batch.bytes;
        pendCursor = batch.cursor;
        if (batch.cursor.done || Date.now() - lastCommit >= settings.commitEveryMs || pendBytes >= settings.commitBytes) await commit();
      }
      return;
    } catch (e) {
      if (signal.aborted) throw abortError();
      const ce = isConnectorError(e) ? e : new ConnectorError(String((e as Error)?.message ?? e), { class: 'system', code: 'ENGINE', cause: e });
      if (!ce.retryable || attempt >= settings.retries || (!keyed && ctx.siblingChunks)) throw ce;
      attempt++;
      if (ce.code === 'RETRY_AS_UPSERT') {
        hooks.log('info', `chunk ${task.stream}: ${ce.message}`);
        continue;
      }
      hooks.log('warn', `chunk ${task.stream} failed (${ce.message}); retry ${attempt}/${settings.retries}`);
      await sleep(Math.max(settings.retryBaseMs, fullJitterDelay(attempt, settings.retryBaseMs, settings.retryCapMs)), signal);
      if (signal.aborted) throw abortError();
    } finally {
      await writer?.close();
    }
  }
}
