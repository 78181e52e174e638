/**
 * The api's listener: plain HTTP, or HTTPS (so agents connect over wss) when
 * TLS_CERT_FILE and TLS_KEY_FILE are set. Agents trust a private CA with
 * `sluice-agent start --ca ca.pem`.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { Env } from '../env';

export function createListener(env: Pick<Env, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>, handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  if (!env.TLS_CERT_FILE && !env.TLS_KEY_FILE) return createHttp(handler);
  if (!env.TLS_CERT_FILE || !env.TLS_KEY_FILE) throw new Error('set both TLS_CERT_FILE and TLS_KEY_FILE (PEM files) to serve HTTPS, or neither for HTTP');
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new Error(`${name}=${file}: ${(e as Error).message}`);
    }
  };
  // https.Server has the same surface the app uses (listen, upgrade, closeAllConnections, close).
  return createHttps({ cert: read('TLS_CERT_FILE', env.TLS_CERT_FILE), key: read('TLS_KEY_FILE', env.TLS_KEY_FILE) }, handler) as unknown as Server;
}

export function schemeOf(env: Pick<Env, 'TLS_CERT_FILE'>): { http: 'http' | 'https'; ws: 'ws' | 'wss' } {
  return env.TLS_CERT_FILE ? { http: 'https', ws: 'wss' } : { http: 'http', ws: 'ws' };
}
