/** Client options from a Kafka data source: brokers, SASL login (the secret is the password), TLS with the CA given. */
import tls from 'node:tls';
import type { Connection } from '../../protocol';
import { ConnectorError } from '../connector-error';
import { describeTls, kafkaTls, tlsSettings, type TlsReport } from '../../tls/client-tls';
import type { KafkaClientOptions } from './client/types';

export type KafkaConn = Extract<Connection, { kind: 'kafka' }>;

export function asKafka(c: Connection): KafkaConn {
  if (c.kind !== 'kafka') throw new Error(`kafka connector given a ${c.kind} connection`);
  return c;
}

export function kafkaClientOptions(conn: KafkaConn, over: Partial<KafkaClientOptions> = {}): KafkaClientOptions {
  const { sasl } = conn.config;
  if (sasl && !conn.secret) {
    throw new ConnectorError(`the data source logs in as ${sasl.username} with SASL ${sasl.mechanism.toUpperCase()} but has no password`, {
      class: 'config',
      code: 'AUTH_FAILED',
      retryable: false,
      fix: "enter the SASL user's password in the data source",
    });
  }
  return {
    brokers: conn.config.brokers,
    clientId: conn.config.clientId,
    ...kafkaTls(conn),
    ...(sasl && conn.secret ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: conn.secret } } : {}),
    ...over,
  };
}

/** What TLS a connection to the first broker negotiates (the data-source test reports it); null when TLS is off. */
export async function probeTls(conn: KafkaConn, timeoutMs = 5000): Promise<TlsReport | null> {
  const settings = tlsSettings(conn.config);
  const { ssl } = kafkaTls(conn);
  if (!ssl) return null;
  const [host, port] = (conn.config.brokers[0] ?? '').split(':');
  return new Promise<TlsReport | null>((resolve) => {
    const sock = tls.connect({ ...ssl, host, port: Number(port), ...(ssl.servername || !host || /^[\d.:]+$/.test(host) ? {} : { servername: host }) });
    const done = (r: TlsReport | null) => {
      clearTimeout(t);
      sock.destroy();
      resolve(r);
    };
    const t = setTimeout(() => done(null), timeoutMs);
    sock.once('secureConnect', () => done(describeTls(settings, sock)));
    sock.once('error', () => done(null));
  });
}
