import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkMysql } from '../mysql/check';
import { checkPg } from './check';

/**
 * A server restarting (the chaos suite's `restart-target`) answers a connection with either nothing (the socket is
 * accepted, by a proxy or a listener going down, and closed before the login) or a FATAL "starting up" / "shutting
 * down" (57P03). Either is "not reachable right now" (transient: the job waits and retries), never a failed
 * credentials check, which fails the job for good (test/chaos: a MySQL->PG job died on a 2.5 s target restart).
 */
const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function listen(onConnection: (s: net.Socket) => void): Promise<number> {
  const server = net.createServer(onConnection);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

/** A PostgreSQL ErrorResponse (FATAL, SQLSTATE `code`), sent once the startup message arrived. */
function pgFatal(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    ...[
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', code],
      ['M', message],
    ].map(([k, v]) => Buffer.from(`${k}${v}\0`)),
    Buffer.from([0]),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

const pgConn = (port: number) => ({
  kind: 'postgres' as const,
  config: { host: '127.0.0.1', port, user: 'u', database: 'd', schema: 'public', ssl: false } as never,
  secret: 'x',
});

const names = (r: { checks: { name: string; ok: boolean }[] }) => r.checks.map((c) => `${c.name}:${c.ok ? 'ok' : 'FAILED'}`);

describe('connection checks against a restarting server', () => {
  it('PostgreSQL: a connection closed before the login is "not reachable", not a credentials failure', async () => {
    const port = await listen((s) => s.destroy());
    const r = await checkPg(pgConn(port), 'target');
    expect(r.ok).toBe(false);
    expect(names(r)).toEqual(['reachable:FAILED']);
  });

  it('PostgreSQL: "the database system is starting up" (57P03) is "not reachable", not a credentials failure', async () => {
    const port = await listen((s) => s.once('data', () => s.end(pgFatal('57P03', 'the database system is starting up'))));
    const r = await checkPg(pgConn(port), 'target');
    expect(names(r)).toEqual(['reachable:FAILED']);
    expect(r.checks[0]!.message).toMatch(/starting up/);
  });

  it('PostgreSQL: a refused login (28P01) is still a credentials failure', async () => {
    const port = await listen((s) => s.once('data', () => s.end(pgFatal('28P01', 'password authentication failed for user "u"'))));
    const r = await checkPg(pgConn(port), 'target');
    expect(names(r)).toEqual(['reachable:ok', 'credentials:FAILED']);
  });

  it('MySQL: a connection closed before the handshake is "not reachable", not a credentials failure', async () => {
    const port = await listen((s) => s.destroy());
    const r = await checkMysql({ kind: 'mysql', config: { host: '127.0.0.1', port, user: 'u', database: 'd', ssl: false } as never, secret: 'x' }, 'target');
    expect(names(r)).toEqual(['reachable:FAILED']);
  });
});
