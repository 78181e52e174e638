/**
 * The current committed values of some columns of PostgreSQL rows, looked up by key, in the forms the
 * pgoutput decoder gives (text output under the replication stream's session settings, bytea as bytes).
 * A database -> Kafka job uses it to fill the columns a key-moving update left out (unchanged TOAST).
 */
import pg from 'pg';
import type { CdcRow, CdcValue, TableKey } from '../connectors/changes';
import { PG_TEXT_OPTIONS, pgConfig, qi, type PgConnection } from './connections';
import { BYTEA_OID, decodeByteaText } from './pgoutput-decode';

const PER_QUERY = 200;
const raw = { getTypeParser: () => (v: string) => v };

const keyId = (cols: string[], row: CdcRow): string =>
  JSON.stringify(
    cols.map((c) => {
      const v = row[c];
      return Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : (v ?? null);
    }),
  );

export async function pgCurrentRows(conn: PgConnection, table: TableKey, keys: CdcRow[], columns: string[]): Promise<(CdcRow | null)[]> {
  if (!keys.length) return [];
  const dot = table.indexOf('.');
  const from = `${qi(table.slice(0, dot))}.${qi(table.slice(dot + 1))}`;
  const keyCols = Object.keys(keys[0]!);
  const found = new Map<string, CdcRow>();
  const c = new pg.Client(pgConfig(conn, { options: PG_TEXT_OPTIONS }));
  c.on('error', () => undefined); // a server-side end (a restart) while idle surfaces on the next query, not as an uncaught error
  await c.connect();
  try {
    for (let i = 0; i < keys.length; i += PER_QUERY) {
      const part = keys.slice(i, i + PER_QUERY);
      const params: CdcValue[] = [];
      const where = part.map((k) => `(${keyCols.map((col) => `${qi(col)} = $${params.push(k[col] ?? null)}`).join(' AND ')})`).join(' OR ');
      const sel = [...keyCols, ...columns.filter((col) => !keyCols.includes(col))];
      const r = await c.query<Record<string, string | null>>({
        text: `SELECT ${sel.map(qi).join(', ')} FROM ${from} WHERE ${where}`,
        values: params,
        types: raw,
      });
      const bytea = new Set(r.fields.filter((f) => f.dataTypeID === BYTEA_OID).map((f) => f.name));
      for (const row of r.rows) {
        const out: CdcRow = {};
        for (const col of sel) {
          const v = row[col] ?? null;
          out[col] = v !== null && bytea.has(col) ? decodeByteaText(v) : v;
        }
        found.set(keyId(keyCols, out), out);
      }
    }
  } finally {
    await c.end();
  }
  return keys.map((k) => found.get(keyId(keyCols, k)) ?? null);
}
