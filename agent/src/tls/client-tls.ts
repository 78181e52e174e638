/**
 * The ONE place that builds TLS options for every client the agent opens to a
 * customer system: connectors (pg, mysql2), CDC (pg replication, zongji's
 * mysql2 connections), verification, and Kafka. Nothing else in the agent may
 * set `rejectUnauthorized` (client-tls-guard.test.ts greps the source tree).
 *
 * Modes follow libpq's sslmode:
 * - `disable`: plain TCP.
 * - `require`: encrypted, the certificate is NOT checked (reported as "encrypted, not verified").
 * - `verify-ca`: the chain must lead to the CA bundle (or the system roots); the name is not checked.
 * - `verify-full`: chain and name (host, or `serverName` when set); the default once TLS is on.
 * Legacy configs with `ssl: true` map to `require` (they never verified anything; mapping them to
 * verify-full would break existing self-signed servers), and are reported as not verified.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ConnectionOptions as MysqlOptions } from 'mysql2';
import { tlsSettings, type TlsConfigLike, type TlsMode, type TlsSettings } from '../protocol/data-source';

export { tlsSettings, type TlsConfigLike, type TlsMode, type TlsSettings };

/** PEM material, decrypted by the control plane for this connection only. Never log it. */
export interface TlsMaterial {
  ca?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
}

interface ConnLike {
  config: TlsConfigLike & { host: string; port: number };
  tls?: TlsMaterial | undefined;
}

/** Node `tls.connect` options for a mode, or undefined for `disable`. */
export function nodeTlsOptions(s: TlsSettings, m: TlsMaterial | undefined): tls.ConnectionOptions | undefined {
  if (s.mode === 'disable') return undefined;
  const base: tls.ConnectionOptions = {
    minVersion: 'TLSv1.2',
    ...(m?.ca ? { ca: m.ca } : {}),
    ...(m?.cert ? { cert: m.cert } : {}),
    ...(m?.key ? { key: m.key } : {}),
  };
  const noNameCheck = () => undefined;
  if (s.mode === 'require') return { ...base, rejectUnauthorized: false, checkServerIdentity: noNameCheck };
  if (s.mode === 'verify-ca') return { ...base, rejectUnauthorized: true, checkServerIdentity: noNameCheck };
  const name = s.serverName;
  return {
    ...base,
    rejectUnauthorized: true,
    ...(name
      ? {
          servername: net.isIP(name) ? undefined : name,
          checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(name, cert),
        }
      : {}),
  };
}

/** `ssl` for a node-postgres ClientConfig (connectors, verification, CDC, replication). */
export function pgTls(conn: ConnLike): { ssl: tls.ConnectionOptions | false } {
  return { ssl: nodeTlsOptions(tlsSettings(conn.config), conn.tls) ?? false };
}

/**
 * mysql2 options (connectors, verification, zongji). mysql2 takes the CA, cert and key in `ssl`
 * and checks the name only with `verifyIdentity`, against `host`; a `serverName` is honoured by
 * naming the server `serverName` while the socket goes to the real host. For an IP address
 * mysql2 sends no SNI and Node would check the name "localhost" (a net socket to an IP has no
 * `_host`), so under verify-full we open the socket ourselves and name the address on it.
 */
export function mysqlTls(conn: ConnLike): Partial<MysqlOptions> {
  const s = tlsSettings(conn.config);
  const o = nodeTlsOptions(s, conn.tls);
  if (!o) return {};
  const ssl = {
    ...(o.ca ? { ca: o.ca as string } : {}),
    ...(o.cert ? { cert: o.cert as string } : {}),
    ...(o.key ? { key: o.key as string } : {}),
    minVersion: 'TLSv1.2',
    rejectUnauthorized: o.rejectUnauthorized !== false,
    verifyIdentity: s.mode === 'verify-full',
  };
  if (s.mode !== 'verify-full') return { ssl } as Partial<MysqlOptions>;
  const { host, port } = conn.config;
  const name = s.serverName ?? host;
  const stream = () => {
    const sock = net.connect(port, host);
    if (net.isIP(name)) (sock as unknown as { _host: string })._host = name;
    return sock;
  };
  return { ssl, host: name, stream } as Partial<MysqlOptions>;
}

/** kafkajs-shaped `ssl` (boolean | tls.ConnectionOptions), for the Kafka connector. */
export function kafkaTls(conn: { config: TlsConfigLike; tls?: TlsMaterial | undefined }): { ssl: tls.ConnectionOptions | false } {
  return { ssl: nodeTlsOptions(tlsSettings(conn.config), conn.tls) ?? false };
}

export interface TlsReport {
  mode: TlsMode;
  encrypted: boolean;
  /** e.g. TLSv1.3; null when not encrypted. */
  version: string | null;
  /** True only under verify-ca / verify-full with an authorised chain. */
  verified: boolean;
  message: string;
}

/** What a connected socket actually negotiated (the data-source test reports it). */
export function describeTls(s: TlsSettings, socket: unknown): TlsReport {
  const t = socket instanceof tls.TLSSocket ? socket : null;
  if (s.mode === 'disable' || !t) {
    return {
      mode: s.mode,
      encrypted: false,
      version: null,
      verified: false,
      message: 'not encrypted (TLS disabled): the password and rows cross the network in clear',
    };
  }
  const version = t.getProtocol() ?? 'TLS';
  if (s.mode === 'require') {
    const why = s.legacy ? ' (legacy "ssl: true" means require; set tls.mode to verify-full and add the CA)' : '';
    return {
      mode: s.mode,
      encrypted: true,
      version,
      verified: false,
      message: `${version}, encrypted, not verified: the server's certificate was not checked${why}`,
    };
  }
  const verified = t.authorized;
  const what = s.mode === 'verify-ca' ? 'certificate chain verified (name not checked)' : `certificate verified for ${s.serverName ?? 'the host'}`;
  return { mode: s.mode, encrypted: true, version, verified, message: `${version}, ${verified ? what : 'certificate NOT verified'}` };
}

export interface TlsFailure {
  reason: 'wrong-name' | 'unknown-ca' | 'expired' | 'not-yet-valid' | 'no-tls' | 'bad-material' | 'handshake';
  message: string;
  fix: string;
}

const CA_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

/** Names the reason a TLS connection failed, or undefined when the error is not about TLS. */
export function tlsFailure(e: unknown): TlsFailure | undefined {
  const err = e as { code?: string; message?: string } | null;
  const code = err?.code ?? '';
  const msg = err?.message ?? String(e);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /does not match certificate's altnames/i.test(msg))
    return {
      reason: 'wrong-name',
      message: `TLS refused: the server's certificate is not issued for this name (${msg})`,
      fix: 'connect with the name the certificate was issued for, set tls.serverName, or get a certificate for this host',
    };
  if (code === 'CERT_HAS_EXPIRED' || /certificate has expired/i.test(msg))
    return { reason: 'expired', message: `TLS refused: the server's certificate has expired (${msg})`, fix: 'renew the server certificate' };
  if (code === 'CERT_NOT_YET_VALID' || /certificate is not yet valid/i.test(msg))
    return {
      reason: 'not-yet-valid',
      message: `TLS refused: the server's certificate is not valid yet (${msg})`,
      fix: "check the server's certificate dates and the clocks",
    };
  if (
    CA_CODES.has(code) ||
    /self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate|certificate signature failure/i.test(msg)
  )
    return {
      reason: 'unknown-ca',
      message: `TLS refused: the server's certificate is not signed by a trusted CA (${msg})`,
      fix: "add the CA that signed the server's certificate as the data source's CA bundle",
    };
  if (/does not support (SSL|secure connection)/i.test(msg) || code === 'HANDSHAKE_NO_SSL_SUPPORT')
    return {
      reason: 'no-tls',
      message: `TLS refused: the server does not accept TLS connections (${msg})`,
      fix: 'enable TLS on the server, or set tls.mode to disable if the network is trusted',
    };
  if (/^ERR_OSSL|^ERR_TLS/.test(code) || /PEM|no start line|bad decrypt|key values mismatch/i.test(msg))
    return {
      reason: 'bad-material',
      message: `TLS setup failed: ${msg}`,
      fix: 'check the CA bundle, client certificate and key (PEM, the key matching the certificate)',
    };
  if (code === 'HANDSHAKE_SSL_ERROR' || (code === 'ECONNRESET' && /TLS|SSL|secure/i.test(msg)))
    return { reason: 'handshake', message: `TLS handshake failed: ${msg}`, fix: 'check the TLS settings of the data source and the server' };
  return undefined;
}
