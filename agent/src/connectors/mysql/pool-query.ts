/** A promise query on a pooled mysql2 connection that fails fast once the connection is lost. */
import type { PoolConnection as CorePoolConnection } from 'mysql2';
import type { Readable } from 'node:stream';

export type Query = (sql: string | { sql: string; infileStreamFactory?: () => Readable }, values?: unknown[]) => Promise<unknown>;

/** Connections that failed or closed: mysql2 would queue a new command on them forever. */
export const deadConns = new WeakSet<CorePoolConnection>();
const watched = new WeakSet<CorePoolConnection>();

export function q(conn: CorePoolConnection): Query {
  if (!watched.has(conn)) {
    watched.add(conn);
    conn.on('error', () => deadConns.add(conn));
    conn.on('end', () => deadConns.add(conn));
  }
  return (sql, values) =>
    new Promise((resolve, reject) => {
      if (deadConns.has(conn)) {
        reject(Object.assign(new Error('Connection lost: the server closed the connection'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }));
        return;
      }
      conn.query(sql as never, values as never, (err: unknown, res: unknown, fields: unknown) => (err ? reject(err) : resolve([res, fields])));
    });
}
