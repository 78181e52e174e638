/**
 * Verification's own database sessions (the interface; one module per engine
 * implements it: session-pg.ts, session-mysql.ts, chosen by db.ts). Verification
 * only runs aggregate and key/hash queries, so it keeps a small dedicated session
 * per side instead of borrowing the connectors' bulk sessions. Row data never
 * passes through here for matching chunks.
 */
import type { Connection } from '../protocol';
import { tlsFailure } from '../tls/client-tls';
import { ConnectorError, type SourcePosition } from '../connectors/spi';
import type { Side } from './canonical';

export interface SqlSession extends Side {
  /** Runs SQL and returns rows as string maps (every value as text or null). */
  query(sql: string, params?: string[]): Promise<Record<string, string | null>[]>;
  /** Starts the read-only transaction a source chunk is read in, with a consistent snapshot. */
  beginSnapshot(): Promise<void>;
  /** The source's log position of the snapshot this session reads in (the CDC gate). */
  snapshotPosition(): Promise<SourcePosition>;
  close(): Promise<void>;
  /** Database (MySQL) or schema (PG) holding the tables. */
  namespace: string;
}

/** The error for a session that could not connect: TLS failures say why, anything else is transient. */
export function unreachable(conn: Connection, e: unknown): ConnectorError {
  const msg = e instanceof Error ? e.message : String(e);
  const tls = tlsFailure(e);
  if (tls)
    return new ConnectorError(`verification could not connect to ${conn.kind}: ${tls.message}`, {
      class: 'config',
      code: 'TLS_FAILED',
      retryable: false,
      fix: tls.fix,
      cause: e,
    });
  return new ConnectorError(
    `verification could not connect to ${conn.kind} at ${'host' in conn.config ? `${conn.config.host}:${conn.config.port}` : '?'}: ${msg}`,
    {
      class: 'transient',
      code: 'UNREACHABLE',
      fix: 'check that the database is reachable from the agent and the credentials are right',
      cause: e,
    },
  );
}
