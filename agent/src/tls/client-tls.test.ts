import { describe, expect, it } from 'vitest';
import { kafkaTls, mysqlTls, nodeTlsOptions, pgTls, tlsFailure, tlsSettings } from './client-tls';

type Cfg = { ssl?: boolean; tls?: { mode?: 'disable' | 'require' | 'verify-ca' | 'verify-full'; serverName?: string } };
const conn = (config: Cfg, tls?: { ca?: string; cert?: string; key?: string }) => ({
  config: { host: 'db.example', port: 5432, ...config },
  ...(tls ? { tls } : {}),
});

describe('tlsSettings', () => {
  it('maps the legacy flag: ssl true -> require (not verified), false/absent -> disable', () => {
    expect(tlsSettings({ ssl: true })).toEqual({ mode: 'require', legacy: true });
    expect(tlsSettings({ ssl: false })).toEqual({ mode: 'disable', legacy: false });
    expect(tlsSettings({})).toEqual({ mode: 'disable', legacy: false });
  });
  it('a tls block wins over ssl, and defaults to verify-full', () => {
    expect(tlsSettings({ ssl: false, tls: {} }).mode).toBe('verify-full');
    expect(tlsSettings({ ssl: true, tls: { mode: 'verify-ca' } }).mode).toBe('verify-ca');
  });
});

describe('client options per mode', () => {
  it('disable: no TLS for any client', () => {
    expect(pgTls(conn({ tls: { mode: 'disable' } }))).toEqual({ ssl: false });
    expect(mysqlTls(conn({ tls: { mode: 'disable' } }))).toEqual({});
    expect(kafkaTls(conn({}))).toEqual({ ssl: false });
  });
  it('require: encrypted, chain not checked', () => {
    const o = nodeTlsOptions({ mode: 'require', legacy: false }, undefined)!;
    expect(o['rejectUnauthorized' as keyof typeof o]).toBe(false);
    expect(mysqlTls(conn({ ssl: true }))).toMatchObject({ ssl: { verifyIdentity: false } });
  });
  it('verify-ca: chain checked against the CA, name not checked', () => {
    const o = pgTls(conn({ tls: { mode: 'verify-ca' } }, { ca: 'CA' })).ssl as Record<string, unknown>;
    expect(o).toMatchObject({ ca: 'CA', rejectUnauthorized: true });
    expect((o.checkServerIdentity as () => unknown)()).toBeUndefined();
    expect(mysqlTls(conn({ tls: { mode: 'verify-ca' } }, { ca: 'CA' }))).toMatchObject({ ssl: { ca: 'CA', rejectUnauthorized: true, verifyIdentity: false } });
  });
  it('verify-full: chain and name; client certificate for mutual TLS; serverName overrides the name', () => {
    const o = pgTls(conn({ tls: { mode: 'verify-full' } }, { ca: 'CA', cert: 'C', key: 'K' })).ssl as Record<string, unknown>;
    expect(o).toMatchObject({ ca: 'CA', cert: 'C', key: 'K', rejectUnauthorized: true, minVersion: 'TLSv1.2' });
    expect(o.checkServerIdentity).toBeUndefined();
    const named = pgTls(conn({ tls: { mode: 'verify-full', serverName: 'pg.internal' } })).ssl as Record<string, unknown>;
    expect(named.servername).toBe('pg.internal');
    expect(typeof named.checkServerIdentity).toBe('function');
    const my = mysqlTls({ config: { host: '10.0.0.5', port: 3306, tls: { mode: 'verify-full', serverName: 'my.internal' } } }) as Record<string, unknown>;
    expect(my).toMatchObject({ host: 'my.internal', ssl: { verifyIdentity: true, rejectUnauthorized: true } });
    expect(typeof my.stream).toBe('function');
    // An IP address is named on the socket, so Node checks it (not "localhost").
    const ip = mysqlTls({ config: { host: '127.0.0.1', port: 1, tls: { mode: 'verify-full' } } }) as {
      host: string;
      stream: () => { _host: string; destroy(): void; on(e: string, f: () => void): void };
    };
    const sock = ip.stream();
    sock.on('error', () => {});
    expect(ip.host).toBe('127.0.0.1');
    expect(sock._host).toBe('127.0.0.1');
    sock.destroy();
  });
});

describe('tlsFailure names the reason', () => {
  it.each([
    [
      {
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        message: "Hostname/IP does not match certificate's altnames: Host: x. is not in the cert's altnames: DNS:evil.example",
      },
      'wrong-name',
    ],
    [{ code: 'HANDSHAKE_SSL_ERROR', message: "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list" }, 'wrong-name'],
    [{ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, 'expired'],
    [{ code: 'HANDSHAKE_SSL_ERROR', message: 'certificate has expired' }, 'expired'],
    [{ code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'self-signed certificate in certificate chain' }, 'unknown-ca'],
    [{ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate' }, 'unknown-ca'],
    [{ message: 'The server does not support SSL connections' }, 'no-tls'],
  ])('%o -> %s', (e, reason) => {
    expect(tlsFailure(e)?.reason).toBe(reason);
  });
  it('ignores errors that are not about TLS', () => {
    expect(tlsFailure({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' })).toBeUndefined();
    expect(tlsFailure({ code: '28P01', message: 'password authentication failed' })).toBeUndefined();
  });
});
