'use client';

import type { DataSource, TlsMode } from '../lib/ops/data-sources';
import { Alert, Field } from './ui';

/** The TLS part of the data-source form (config.tls plus the write-only PEM material). */
export interface TlsFormState {
  tlsMode: TlsMode;
  serverName: string;
  ca: string;
  cert: string;
  key: string;
  clearTls: boolean;
}

export const TLS_MODE_VALUE: Record<TlsMode, string> = { DISABLE: 'disable', REQUIRE: 'require', VERIFY_CA: 'verify-ca', VERIFY_FULL: 'verify-full' };

export const TLS_MODE_LABEL: Record<TlsMode, string> = {
  DISABLE: 'Off: not encrypted',
  REQUIRE: 'Encrypt only (certificate not checked)',
  VERIFY_CA: 'Verify CA (chain checked, name not checked)',
  VERIFY_FULL: 'Verify full (chain and name checked)',
};

export const NOT_VERIFIED_WARNING =
  'Encrypted, not verified: the server’s certificate is not checked, so a machine in the middle could read the password and the rows. Choose “Verify full” and add the CA that signed the server’s certificate.';

export function tlsFromSource(ds: DataSource | undefined): TlsFormState {
  return { tlsMode: ds?.tls?.mode ?? 'DISABLE', serverName: ds?.tls?.serverName ?? '', ca: '', cert: '', key: '', clearTls: false };
}

export function validateTls(f: TlsFormState): Record<string, string> {
  const e: Record<string, string> = {};
  if (f.serverName.trim() && !/^[A-Za-z0-9.:*-]{1,253}$/.test(f.serverName.trim())) e['serverName'] = 'A DNS name or IP address, e.g. db.example.com.';
  if (f.ca.trim() && !f.ca.includes('-----BEGIN CERTIFICATE-----')) e['ca'] = 'Paste PEM certificates (-----BEGIN CERTIFICATE----- …).';
  if (f.cert.trim() && !f.cert.includes('-----BEGIN CERTIFICATE-----')) e['cert'] = 'Paste the client certificate as PEM.';
  if (!!f.cert.trim() !== !!f.key.trim()) e[f.cert.trim() ? 'key' : 'cert'] = 'Mutual TLS needs both the client certificate and its key.';
  if (f.key.trim() && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(f.key)) e['key'] = 'Paste the unencrypted private key as PEM.';
  return e;
}

/** config.tls and the material for the api input. */
export function tlsToInput(f: TlsFormState): {
  config: { tls: { mode: string; serverName?: string } };
  tls?: { ca?: string; cert?: string; key?: string };
  clearTls?: boolean;
} {
  const mode = TLS_MODE_VALUE[f.tlsMode];
  const config = { tls: { mode, ...(f.tlsMode !== 'DISABLE' && f.serverName.trim() ? { serverName: f.serverName.trim() } : {}) } };
  if (f.clearTls) return { config, clearTls: true };
  const m = { ...(f.ca.trim() ? { ca: f.ca } : {}), ...(f.cert.trim() ? { cert: f.cert } : {}), ...(f.key.trim() ? { key: f.key } : {}) };
  return Object.keys(m).length ? { config, tls: m } : { config };
}

export function TlsFields({
  f,
  set,
  err,
  existing,
}: {
  f: TlsFormState;
  set: <K extends keyof TlsFormState>(k: K) => (v: TlsFormState[K]) => void;
  err: (k: string) => string | undefined;
  existing?: DataSource;
}) {
  const on = f.tlsMode !== 'DISABLE';
  const verifying = f.tlsMode === 'VERIFY_CA' || f.tlsMode === 'VERIFY_FULL';
  const txt = (k: 'serverName' | 'ca' | 'cert' | 'key') => (e: { target: { value: string } }) => set(k)(e.target.value);
  return (
    <fieldset className="stack-sm">
      <legend>TLS</legend>
      <Field label="TLS mode" error={err('tls.mode')} hint="Verify full is the safe choice: the agent checks the certificate chain and the server’s name.">
        <select value={f.tlsMode} onChange={(e) => set('tlsMode')(e.target.value as TlsMode)} aria-label="TLS mode">
          {(['VERIFY_FULL', 'VERIFY_CA', 'REQUIRE', 'DISABLE'] as const).map((m) => (
            <option key={m} value={m}>
              {TLS_MODE_LABEL[m]}
            </option>
          ))}
        </select>
      </Field>
      {f.tlsMode === 'REQUIRE' ? (
        <Alert tone="warn" title="Encrypted, not verified">
          {NOT_VERIFIED_WARNING}
        </Alert>
      ) : null}
      {on ? (
        <>
          {f.tlsMode === 'VERIFY_FULL' ? (
            <Field
              label="Server name"
              error={err('serverName') ?? err('tls.serverName')}
              hint="Only when the certificate names the server differently from Host."
            >
              <input type="text" value={f.serverName} onChange={txt('serverName')} autoComplete="off" spellCheck={false} />
            </Field>
          ) : null}
          {verifying ? (
            <Field
              label="CA bundle (PEM)"
              error={err('ca') ?? err('tls.ca')}
              hint={
                existing?.tls?.hasMaterial
                  ? 'TLS material is stored. Paste to replace it; it is never shown again.'
                  : 'The CA that signed the server’s certificate. Without it, the agent trusts only the public roots.'
              }
            >
              <textarea value={f.ca} onChange={txt('ca')} rows={3} spellCheck={false} placeholder="-----BEGIN CERTIFICATE-----" disabled={f.clearTls} />
            </Field>
          ) : null}
          <div className="grid-2">
            <Field label="Client certificate (mutual TLS)" error={err('cert') ?? err('tls.cert')}>
              <textarea value={f.cert} onChange={txt('cert')} rows={3} spellCheck={false} placeholder="-----BEGIN CERTIFICATE-----" disabled={f.clearTls} />
            </Field>
            <Field label="Client key" error={err('key') ?? err('tls.key')} hint="Write-only: encrypted at rest.">
              <textarea
                value={f.key}
                onChange={txt('key')}
                rows={3}
                spellCheck={false}
                placeholder="-----BEGIN PRIVATE KEY-----"
                disabled={f.clearTls}
                autoComplete="off"
              />
            </Field>
          </div>
        </>
      ) : null}
      {existing?.tls?.hasMaterial ? (
        <label className="check">
          <input type="checkbox" checked={f.clearTls} onChange={(e) => set('clearTls')(e.target.checked)} />
          <span>Remove the stored CA bundle and client certificate</span>
        </label>
      ) : null}
    </fieldset>
  );
}
