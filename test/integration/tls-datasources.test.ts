/**
 * Verified TLS to customer databases (issue 18): a PostgreSQL and a MariaDB with
 * certificates made by openssl (test/services/tls-dbs.sh). Under verify-full a
 * wrong name, an unknown CA and an expired certificate are refused with the reason
 * named; the right CA is accepted and reported as verified with its TLS version;
 * require encrypts without verifying (and says so); mutual TLS works. Every client
 * kind is exercised: connector check, verification session, CDC connection config.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from '../../agent/src/engine';
import { openSession } from '../../agent/src/verify/db';
import { mysqlConfig, pgConfig } from '../../agent/src/cdc/connections';
import type { Connection } from '../../agent/src/protocol';

const SCRIPT = path.resolve(__dirname, '../services/tls-dbs.sh');
const ROOT = process.env.SLUICE_TLS_TEST_ROOT ?? '/var/tmp/sluice-security/tls';
const PG_PORT = Number(process.env.TLS_TEST_PG_PORT ?? 56432);
const MY_PORT = Number(process.env.TLS_TEST_MARIADB_PORT ?? 36306);
const pem = (n: string) => readFileSync(path.join(ROOT, 'certs', n), 'utf8');
const sh = (...args: string[]) => execFileSync('bash', [SCRIPT, ...args], { stdio: 'pipe', timeout: 120_000 });

type Mode = 'disable' | 'require' | 'verify-ca' | 'verify-full';
type Tls = { ca?: string; cert?: string; key?: string };

function pgConn(tls: { mode?: Mode; serverName?: string } | undefined, material?: Tls, user = 'app', legacySsl?: boolean): Connection {
  return {
    kind: 'postgres',
    config: {
      host: '127.0.0.1',
      port: PG_PORT,
      user,
      database: 'postgres',
      schema: 'public',
      ...(tls ? { tls: { mode: tls.mode ?? 'verify-full', ...(tls.serverName ? { serverName: tls.serverName } : {}) } } : {}),
      ...(legacySsl !== undefined ? { ssl: legacySsl } : {}),
    },
    ...(material ? { tls: material } : {}),
  };
}
function myConn(tls: { mode?: Mode; serverName?: string } | undefined, material?: Tls, user = 'app', legacySsl?: boolean): Connection {
  return {
    kind: 'mysql',
    config: {
      host: '127.0.0.1',
      port: MY_PORT,
      user,
      database: 'tlsdb',
      ...(tls ? { tls: { mode: tls.mode ?? 'verify-full', ...(tls.serverName ? { serverName: tls.serverName } : {}) } } : {}),
      ...(legacySsl !== undefined ? { ssl: legacySsl } : {}),
    },
    secret: user === 'mtls' ? 'mtlspw' : 'apppw',
    ...(material ? { tls: material } : {}),
  };
}

const engines = [
  { name: 'PostgreSQL', conn: pgConn },
  { name: 'MariaDB', conn: myConn },
] as const;

beforeAll(() => {
  sh('up');
}, 180_000);

afterAll(() => {
  sh('down');
}, 60_000);

function tlsCheck(r: { checks: { name: string; ok: boolean; message: string; fix?: string }[] }) {
  return r.checks.find((c) => c.name === 'tls');
}

describe.each(engines)('$name over TLS', ({ name, conn }) => {
  it('verify-full with the right CA: accepted, verified, TLS version reported', async () => {
    sh('use', 'good');
    const r = await testConnection(conn({ mode: 'verify-full' }, { ca: pem('ca.pem') }));
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r.tls).toMatchObject({ mode: 'verify-full', encrypted: true, verified: true });
    expect(r.tls?.version).toMatch(/^TLSv1\.[23]$/);
    expect(tlsCheck(r)?.message).toMatch(/certificate verified/);
  });

  it('verify-full without the CA: refused, the certificate is not from a trusted CA', async () => {
    sh('use', 'good');
    const r = await testConnection(conn({ mode: 'verify-full' }));
    expect(r.ok).toBe(false);
    expect(tlsCheck(r)).toMatchObject({ ok: false });
    expect(tlsCheck(r)?.message).toMatch(/not signed by a trusted CA/);
    expect(tlsCheck(r)?.fix).toMatch(/CA bundle/);
  });

  it('a certificate for another name: refused under verify-full; accepted by verify-ca and by verify-full with serverName', async () => {
    sh('use', 'wrong-name');
    const bad = await testConnection(conn({ mode: 'verify-full' }, { ca: pem('ca.pem') }));
    expect(bad.ok).toBe(false);
    expect(tlsCheck(bad)?.message).toMatch(
      new RegExp(`${name === 'MariaDB' ? 'MySQL' : name} at 127.0.0.1:\\d+: TLS refused: the server's certificate is not issued for this name`),
    );
    const ca = await testConnection(conn({ mode: 'verify-ca' }, { ca: pem('ca.pem') }));
    expect(ca.ok, JSON.stringify(ca.checks)).toBe(true);
    expect(ca.tls).toMatchObject({ mode: 'verify-ca', verified: true });
    const named = await testConnection(conn({ mode: 'verify-full', serverName: 'evil.example' }, { ca: pem('ca.pem') }));
    expect(named.ok, JSON.stringify(named.checks)).toBe(true);
    expect(named.tls?.verified).toBe(true);
  });

  it('connecting to an IP address checks that address: a certificate for "localhost" only is refused', async () => {
    sh('use', 'dns-only');
    const r = await testConnection(conn({ mode: 'verify-full' }, { ca: pem('ca.pem') }));
    expect(r.ok).toBe(false);
    expect(tlsCheck(r)?.message).toMatch(/not issued for this name.*127\.0\.0\.1/);
  });

  it('a certificate from an unknown CA: refused under verify-full and verify-ca', async () => {
    sh('use', 'unknown-ca');
    for (const mode of ['verify-full', 'verify-ca'] as const) {
      const r = await testConnection(conn({ mode }, { ca: pem('ca.pem') }));
      expect(r.ok).toBe(false);
      expect(tlsCheck(r)?.message).toMatch(/not signed by a trusted CA/);
    }
  });

  it('an expired certificate: refused, named as expired', async () => {
    sh('use', 'expired');
    const r = await testConnection(conn({ mode: 'verify-full' }, { ca: pem('ca.pem') }));
    expect(r.ok).toBe(false);
    expect(tlsCheck(r)?.message).toMatch(/expired/);
    expect(tlsCheck(r)?.fix).toMatch(/renew/);
  });

  it('require (and the legacy ssl: true) encrypts but reports "not verified", even for a bad certificate', async () => {
    sh('use', 'wrong-name');
    const r = await testConnection(conn({ mode: 'require' }));
    expect(r.ok, JSON.stringify(r.checks)).toBe(true);
    expect(r.tls).toMatchObject({ mode: 'require', encrypted: true, verified: false });
    expect(tlsCheck(r)?.message).toMatch(/encrypted, not verified/);
    const legacy = await testConnection(conn(undefined, undefined, 'app', true));
    expect(legacy.ok).toBe(true);
    expect(legacy.tls).toMatchObject({ mode: 'require', verified: false });
    expect(tlsCheck(legacy)?.message).toMatch(/legacy "ssl: true"/);
  });

  it('mutual TLS: the client certificate logs in; without it the server refuses', async () => {
    sh('use', 'good');
    const ok = await testConnection(conn({ mode: 'verify-full' }, { ca: pem('ca.pem'), cert: pem('mtls.pem'), key: pem('mtls.key') }, 'mtls'));
    expect(ok.ok, JSON.stringify(ok.checks)).toBe(true);
    expect(ok.tls?.verified).toBe(true);
    const no = await testConnection(conn({ mode: 'verify-full' }, { ca: pem('ca.pem') }, 'mtls'));
    expect(no.ok).toBe(false);
    expect(no.checks.find((c) => c.name === 'credentials')?.ok).toBe(false);
  });

  it('verification sessions use the same TLS options: refused with a wrong name, accepted with the CA', async () => {
    sh('use', 'wrong-name');
    await expect(openSession(conn({ mode: 'verify-full' }, { ca: pem('ca.pem') }))).rejects.toThrow(/not issued for this name/);
    sh('use', 'good');
    const s = await openSession(conn({ mode: 'verify-full' }, { ca: pem('ca.pem') }));
    expect((await s.query('SELECT 1 AS one'))[0]?.one).toBe('1');
    await s.close();
  });
});

describe('CDC connection configs carry the same TLS options', () => {
  it('pg (also used for replication) and mysql2/zongji refuse an unknown CA and accept the right one', async () => {
    sh('use', 'unknown-ca');
    const p = pgConn({ mode: 'verify-full' }, { ca: pem('ca.pem') }) as Extract<Connection, { kind: 'postgres' }>;
    const badPg = new pg.Client(pgConfig(p));
    await expect(badPg.connect()).rejects.toThrow(/self[- ]signed|unable to verify|issuer/i);
    await badPg.end().catch(() => {});
    const m = myConn({ mode: 'verify-full' }, { ca: pem('ca.pem') }) as Extract<Connection, { kind: 'mysql' }>;
    await expect(mysql.createConnection(mysqlConfig(m))).rejects.toThrow(/self[- ]signed|unable to verify|issuer/i);
    sh('use', 'good');
    const goodPg = new pg.Client(pgConfig(p));
    await goodPg.connect();
    expect((await goodPg.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0]?.ssl).toBe(true);
    await goodPg.end();
    const goodMy = await mysql.createConnection(mysqlConfig(m));
    const [rows] = await goodMy.query("SHOW SESSION STATUS LIKE 'Ssl_version'");
    expect(String((rows as { Value: string }[])[0]?.Value)).toMatch(/^TLSv1\.[23]$/);
    await goodMy.end();
  });
});
