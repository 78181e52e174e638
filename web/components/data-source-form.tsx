'use client';

import { useState, type FormEvent } from 'react';
import { GqlError } from '../lib/gql';
import type { DataSource, DataSourceInput, DataSourceKind } from '../lib/ops/data-sources';
import { KIND_LABEL } from './status';
import { Button, ErrorAlert, Field } from './ui';
import { TlsFields, tlsFromSource, tlsToInput, validateTls, type TlsFormState } from './data-source-tls-fields';

interface FormState extends TlsFormState {
  name: string;
  kind: DataSourceKind;
  host: string;
  port: string;
  user: string;
  database: string;
  schema: string;
  brokers: string;
  clientId: string;
  saslMechanism: '' | 'plain' | 'scram-sha-256' | 'scram-sha-512';
  saslUsername: string;
  secret: string;
  clearSecret: boolean;
}

const DEFAULT_PORT: Record<DataSourceKind, string> = { MYSQL: '3306', POSTGRES: '5432', KAFKA: '' };
const IDENT = /^\S.{0,127}$/;

function fromSource(ds: DataSource | undefined, kind: DataSourceKind): FormState {
  const c = (ds?.config ?? {}) as Record<string, unknown>;
  const sasl = (c['sasl'] ?? null) as { mechanism?: string; username?: string } | null;
  return {
    name: ds?.name ?? '',
    kind: ds?.kind ?? kind,
    host: String(c['host'] ?? ''),
    port: c['port'] !== undefined ? String(c['port']) : DEFAULT_PORT[ds?.kind ?? kind],
    user: String(c['user'] ?? ''),
    database: String(c['database'] ?? ''),
    schema: String(c['schema'] ?? 'public'),
    brokers: Array.isArray(c['brokers']) ? (c['brokers'] as string[]).join('\n') : '',
    clientId: String(c['clientId'] ?? 'sluice'),
    saslMechanism: (sasl?.mechanism as FormState['saslMechanism']) ?? '',
    saslUsername: sasl?.username ?? '',
    secret: '',
    clearSecret: false,
    ...tlsFromSource(ds),
  };
}

/** Mirrors the kind's zod schema in @sluice/agent/protocol so mistakes are caught before the round trip. */
export function validateDataSource(f: FormState): Record<string, string> {
  const e: Record<string, string> = {};
  if (!f.name.trim()) e['name'] = 'Give it a name, e.g. “orders-mysql-prod”.';
  else if (f.name.trim().length > 100) e['name'] = 'At most 100 characters.';
  if (f.kind === 'MYSQL' || f.kind === 'POSTGRES') {
    if (!f.host.trim()) e['host'] = 'Enter the host name or IP address the agent connects to.';
    else if (f.host.trim().length > 255) e['host'] = 'At most 255 characters.';
    const p = Number(f.port);
    if (!/^\d+$/.test(f.port.trim()) || p < 1 || p > 65535) e['port'] = 'A port is a whole number from 1 to 65535.';
    if (!IDENT.test(f.user.trim())) e['user'] = 'Enter the user name (at most 128 characters).';
    if (!IDENT.test(f.database.trim())) e['database'] = 'Enter the database name (at most 128 characters).';
    if (f.kind === 'POSTGRES' && !IDENT.test(f.schema.trim())) e['schema'] = 'Enter a schema, usually “public”.';
  } else {
    const brokers = f.brokers
      .split(/[\s,]+/)
      .map((b) => b.trim())
      .filter(Boolean);
    if (brokers.length === 0) e['brokers'] = 'Enter at least one broker as host:port.';
    else {
      const bad = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
      if (bad) e['brokers'] = `“${bad}” is not host:port.`;
      else if (brokers.length > 50) e['brokers'] = 'At most 50 brokers.';
    }
    if (!IDENT.test(f.clientId.trim())) e['clientId'] = 'Enter a client id (at most 128 characters).';
    if (f.saslMechanism && !IDENT.test(f.saslUsername.trim())) e['saslUsername'] = 'SASL needs a user name.';
  }
  return { ...validateTls(f), ...e };
}

export type FormOutput = DataSourceInput & { clearSecret?: boolean; clearTls?: boolean };

function toInput(f: FormState): FormOutput {
  let config: Record<string, unknown>;
  if (f.kind === 'KAFKA') {
    config = {
      brokers: f.brokers
        .split(/[\s,]+/)
        .map((b) => b.trim())
        .filter(Boolean),
      clientId: f.clientId.trim(),
      ...(f.saslMechanism ? { sasl: { mechanism: f.saslMechanism, username: f.saslUsername.trim() } } : {}),
    };
  } else {
    config = { host: f.host.trim(), port: Number(f.port), user: f.user.trim(), database: f.database.trim() };
    if (f.kind === 'POSTGRES') config['schema'] = f.schema.trim();
  }
  const t = tlsToInput(f);
  const input: FormOutput = { name: f.name.trim(), kind: f.kind, config: { ...config, ...t.config } };
  if (f.clearSecret) input.clearSecret = true;
  else if (f.secret) input.secret = f.secret;
  if (t.tls) input.tls = t.tls;
  if (t.clearTls) input.clearTls = true;
  return input;
}

export function DataSourceForm({
  existing,
  onSubmit,
  onCancel,
  loading,
  error,
  submitLabel,
}: {
  existing?: DataSource;
  onSubmit: (input: FormOutput) => Promise<void>;
  onCancel?: () => void;
  loading: boolean;
  error: unknown;
  submitLabel: string;
}) {
  const [f, setF] = useState<FormState>(() => fromSource(existing, 'MYSQL'));
  const [touched, setTouched] = useState(false);
  const local = touched ? validateDataSource(f) : {};
  const remote = error instanceof GqlError ? error.fieldErrors() : {};
  const err = (k: string) => local[k] ?? remote[k] ?? remote[`config.${k}`];
  const SHOWN = [
    'name',
    'host',
    'port',
    'user',
    'database',
    'schema',
    'brokers',
    'clientId',
    'saslUsername',
    'secret',
    'serverName',
    'ca',
    'cert',
    'key',
    'tls.mode',
    'tls.serverName',
    'tls.ca',
    'tls.cert',
    'tls.key',
  ];
  // When the api's error names a field shown on the form, it is shown there and not repeated above the buttons.
  const remoteShown = Object.keys(remote).length > 0 && Object.keys(remote).every((k) => SHOWN.includes(k.replace(/^config\./, '')));
  const set =
    <K extends keyof FormState>(k: K) =>
    (v: FormState[K]) =>
      setF((o) => ({ ...o, [k]: v }));
  const txt = (k: keyof FormState) => (e: { target: { value: string } }) => set(k)(e.target.value as never);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (Object.keys(validateDataSource(f)).length > 0) return;
    await onSubmit(toInput(f));
  }

  const isSql = f.kind !== 'KAFKA';
  const secretLabel = f.kind === 'KAFKA' ? 'SASL password' : 'Password';
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={submitLabel}>
      {!existing ? (
        <fieldset>
          <legend>Kind</legend>
          <div className="choice-grid" role="radiogroup" aria-label="Kind">
            {(['MYSQL', 'POSTGRES', 'KAFKA'] as const).map((k) => (
              <label key={k} className="choice">
                <input
                  type="radio"
                  name="kind"
                  value={k}
                  checked={f.kind === k}
                  onChange={() => setF((o) => ({ ...o, kind: k, port: o.port === DEFAULT_PORT[o.kind] ? DEFAULT_PORT[k] : o.port }))}
                />
                <span>
                  <span className="choice-title">{KIND_LABEL[k]}</span>
                  <span className="choice-desc" style={{ display: 'block' }}>
                    {k === 'MYSQL'
                      ? 'Source or target; CDC from the binlog'
                      : k === 'POSTGRES'
                        ? 'Source or target; CDC by logical replication'
                        : 'Topics as source or sink'}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      <Field label="Name" required error={err('name')}>
        <input type="text" value={f.name} onChange={txt('name')} maxLength={100} />
      </Field>
      {isSql ? (
        <>
          <div className="grid-2">
            <Field label="Host" required error={err('host')} hint="As the agent sees it.">
              <input type="text" value={f.host} onChange={txt('host')} autoComplete="off" spellCheck={false} />
            </Field>
            <Field label="Port" required error={err('port')}>
              <input type="number" inputMode="numeric" min={1} max={65535} value={f.port} onChange={txt('port')} />
            </Field>
          </div>
          <div className="grid-2">
            <Field label="User" required error={err('user')}>
              <input type="text" value={f.user} onChange={txt('user')} autoComplete="off" spellCheck={false} />
            </Field>
            <Field label="Database" required error={err('database')}>
              <input type="text" value={f.database} onChange={txt('database')} autoComplete="off" spellCheck={false} />
            </Field>
          </div>
          {f.kind === 'POSTGRES' ? (
            <Field label="Schema" required error={err('schema')} hint="Read from (as a source) or written to (as a target).">
              <input type="text" value={f.schema} onChange={txt('schema')} spellCheck={false} />
            </Field>
          ) : null}
        </>
      ) : (
        <>
          <Field label="Brokers" required error={err('brokers')} hint="One host:port per line.">
            <textarea value={f.brokers} onChange={txt('brokers')} rows={3} spellCheck={false} />
          </Field>
          <div className="grid-2">
            <Field label="Client id" required error={err('clientId')}>
              <input type="text" value={f.clientId} onChange={txt('clientId')} spellCheck={false} />
            </Field>
            <Field label="SASL mechanism">
              <select value={f.saslMechanism} onChange={(e) => set('saslMechanism')(e.target.value as FormState['saslMechanism'])}>
                <option value="">None</option>
                <option value="plain">PLAIN</option>
                <option value="scram-sha-256">SCRAM-SHA-256</option>
                <option value="scram-sha-512">SCRAM-SHA-512</option>
              </select>
            </Field>
          </div>
          {f.saslMechanism ? (
            <Field label="SASL user name" required error={err('saslUsername')}>
              <input type="text" value={f.saslUsername} onChange={txt('saslUsername')} autoComplete="off" />
            </Field>
          ) : null}
        </>
      )}
      <TlsFields f={f} set={(k) => (v) => setF((o) => ({ ...o, [k]: v }))} err={err} {...(existing ? { existing } : {})} />
      {isSql || f.saslMechanism ? (
        <Field
          label={secretLabel}
          error={err('secret')}
          hint={
            existing?.hasSecret
              ? 'A password is stored. Leave blank to keep it. It is never shown again.'
              : 'Write-only: encrypted at rest and handed only to the agent running your job.'
          }
        >
          <input
            type="password"
            value={f.secret}
            onChange={txt('secret')}
            autoComplete="new-password"
            placeholder={existing?.hasSecret ? '•••••••• (stored)' : ''}
            disabled={f.clearSecret}
          />
        </Field>
      ) : null}
      {existing?.hasSecret ? (
        <label className="check">
          <input type="checkbox" checked={f.clearSecret} onChange={(e) => set('clearSecret')(e.target.checked)} />
          <span>Remove the stored {secretLabel.toLowerCase()}</span>
        </label>
      ) : null}
      <ErrorAlert error={remoteShown ? undefined : error} />
      <div className="form-actions">
        {onCancel ? <Button onClick={onCancel}>Cancel</Button> : null}
        <Button type="submit" variant="primary" loading={loading}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
