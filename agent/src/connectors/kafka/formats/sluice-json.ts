/**
 * Sluice JSON (docs/formats/sluice-json.md): our own change format. Every
 * value is the source's exact text (binary columns base64, marked so in
 * `columns`), each column carries its native type and type family, and every
 * change carries the source position and the transaction id.
 */
import { z } from 'zod';
import type { CdcRow, CdcValue } from '../../changes';
import type { ColumnType } from '../../catalog';
import { parsePosition } from '../../position';
import { parseMysqlType } from '../../mysql/types';
import { parsePgType } from '../../postgres/types';
import { jArr, jObj, jStr } from './exact-json';
import { FormatError, type DdlEvent, type Decoded, type FormatChange, type FormatColumn, type FormatRecord, type FormatTable } from './model';

const isBinary = (t: ColumnType): boolean => t.kind === 'binary' || t.kind === 'varbinary' || t.kind === 'blob' || t.kind === 'geometry';

function value(c: FormatColumn, v: CdcValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (Buffer.isBuffer(v)) return jStr(isBinary(c.type) ? v.toString('base64') : v.toString('utf8'));
  return jStr(isBinary(c.type) ? Buffer.from(v, 'utf8').toString('base64') : v);
}

function row(t: FormatTable, r: CdcRow | null): string {
  if (!r) return 'null';
  return jObj(t.columns.filter((c) => c.name in r).map((c) => [c.name, value(c, r[c.name])]));
}

function columnsJson(t: FormatTable): string {
  return jArr(
    t.columns.map((c) =>
      jObj([
        ['name', jStr(c.name)],
        ['type', jStr(c.nativeType)],
        ['kind', jStr(c.type.kind)],
        ['nullable', c.nullable === false ? 'false' : 'true'],
        ['encoding', isBinary(c.type) ? '"base64"' : undefined],
      ]),
    ),
  );
}

function sourceJson(t: { engine: string; database: string; schema: string | null; name: string | null }, snapshot: string, tsMs: number): string {
  return jObj([
    ['engine', jStr(t.engine)],
    ['database', jStr(t.database)],
    ['schema', t.schema === null ? 'null' : jStr(t.schema)],
    ['table', t.name === null ? 'null' : jStr(t.name)],
    ['snapshot', jStr(snapshot)],
    ['ts_ms', String(tsMs)],
  ]);
}

export function sluiceValue(ch: FormatChange): Buffer {
  const t = ch.table;
  const tx = ch.source.txId ?? ch.tx?.id ?? null;
  return Buffer.from(
    jObj([
      ['v', '1'],
      ['op', jStr(ch.op)],
      ['source', sourceJson(t, ch.source.snapshot, ch.source.tsMs)],
      ['position', ch.source.position ? JSON.stringify(ch.source.position) : 'null'],
      [
        'tx',
        tx === null
          ? 'null'
          : jObj([
              ['id', jStr(tx)],
              ['total_order', ch.tx ? String(ch.tx.totalOrder) : undefined],
              ['data_collection_order', ch.tx ? String(ch.tx.collectionOrder) : undefined],
            ]),
      ],
      ['columns', columnsJson(t)],
      ['key', jArr(t.keyColumns.map(jStr))],
      ['before', row(t, ch.before)],
      ['after', row(t, ch.after)],
      ['ts_ms', String(ch.tsMs)],
    ]),
  );
}

export function sluiceKey(t: FormatTable, r: CdcRow): Buffer | null {
  if (t.keyColumns.length === 0) return null;
  return Buffer.from(
    jObj(t.keyColumns.map((k) => [k, value(t.columns.find((c) => c.name === k) ?? { name: k, nativeType: 'text', type: { kind: 'text' } }, r[k])])),
  );
}

export function sluiceDdl(e: DdlEvent): FormatRecord {
  const value = jObj([
    ['v', '1'],
    ['op', '"ddl"'],
    ['source', sourceJson({ engine: e.engine, database: e.database, schema: e.schema, name: e.table }, e.source.snapshot, e.source.tsMs)],
    ['position', e.source.position ? JSON.stringify(e.source.position) : 'null'],
    ['ddl', jStr(e.ddl)],
    ['columns', e.after ? columnsJson(e.after) : undefined],
    ['key', e.after ? jArr(e.after.keyColumns.map(jStr)) : undefined],
    ['ts_ms', String(e.tsMs)],
  ]);
  return { key: null, value: Buffer.from(value) };
}

// ---------------------------------------------------------------- reading

const rowSchema = z.record(z.string(), z.string().nullable()).nullable();
const messageSchema = z.object({
  v: z.literal(1),
  op: z.enum(['r', 'c', 'u', 'd', 'ddl']),
  source: z.object({ engine: z.enum(['mysql', 'postgres']), database: z.string(), schema: z.string().nullable(), table: z.string().nullable() }),
  position: z.unknown().nullable().optional(),
  tx: z.object({ id: z.string() }).nullable().optional(),
  columns: z
    .array(z.object({ name: z.string(), type: z.string(), kind: z.string(), nullable: z.boolean().optional(), encoding: z.literal('base64').optional() }))
    .optional(),
  key: z.array(z.string()).optional(),
  before: rowSchema.optional(),
  after: rowSchema.optional(),
  ddl: z.string().optional(),
  ts_ms: z.number().optional(),
});

export function decodeSluice(value: Buffer | null): Decoded {
  if (value === null || value.length === 0) return { kind: 'tombstone' };
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString('utf8'));
  } catch (e) {
    throw new FormatError(`the record value is not JSON: ${(e as Error).message}`);
  }
  if (raw && typeof raw === 'object' && 'status' in raw && !('op' in raw)) {
    const m = raw as { status: unknown; id: unknown; ts_ms?: unknown; event_count?: unknown };
    return {
      kind: 'marker',
      marker: {
        status: m.status === 'END' ? 'END' : 'BEGIN',
        id: String(m.id),
        tsMs: Number(m.ts_ms ?? 0),
        ...(typeof m.event_count === 'number' ? { eventCount: m.event_count } : {}),
      },
    };
  }
  const r = messageSchema.safeParse(raw);
  if (!r.success) throw new FormatError(`not a Sluice JSON change: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const m = r.data;
  if (m.op === 'ddl') return { kind: 'ddl', database: m.source.database, table: m.source.table, ddl: m.ddl ?? '' };
  if (!m.source.table) throw new FormatError('the Sluice JSON change names no table');
  if (m.position !== undefined && m.position !== null) {
    try {
      parsePosition(m.position);
    } catch (e) {
      throw new FormatError((e as Error).message);
    }
  }
  const engine = m.source.engine;
  const columns: FormatColumn[] | null = m.columns
    ? m.columns.map((c) => ({
        name: c.name,
        nativeType: c.type,
        type: engine === 'mysql' ? parseMysqlType(c.type) : parsePgType(c.type),
        nullable: c.nullable !== false,
      }))
    : null;
  const b64 = new Set((m.columns ?? []).filter((c) => c.encoding === 'base64').map((c) => c.name));
  const rowOf = (x: Record<string, string | null> | null | undefined): CdcRow | null => {
    if (!x) return null;
    const out: CdcRow = {};
    for (const [k, v] of Object.entries(x)) out[k] = v !== null && b64.has(k) ? Buffer.from(v, 'base64') : v;
    return out;
  };
  return {
    kind: 'change',
    op: m.op,
    engine,
    database: m.source.database,
    schema: m.source.schema,
    table: m.source.table,
    before: rowOf(m.before),
    after: rowOf(m.after),
    columns,
    keyColumns: m.key ?? null,
    tsMs: m.ts_ms ?? null,
    txId: m.tx?.id ?? null,
  };
}
