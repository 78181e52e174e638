/**
 * pino JSON logs that redact by default. Never log row data, DSNs, passwords,
 * tokens or cookies; the redaction below is the safety net, not the plan.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Env } from './env';

const SENSITIVE = ['password', 'secret', 'token', 'authorization', 'cookie', 'dsn', 'apiKey', 'key', 'secretCiphertext', 'passwordHash', 'set-cookie'];

/** Redaction paths: each sensitive key at the top level and up to three levels deep, plus request headers. */
export const REDACT_PATHS: string[] = [
  ...SENSITIVE.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`].map((p) => (p.includes('-') ? p.replace(k, `["${k}"]`) : p))),
  'config.password',
  '*.config.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

export type { Logger };

/** drizzle puts the query's parameters in its error messages ("params: ..."): never log those values. */
function scrub(text: unknown): unknown {
  return typeof text === 'string' ? text.replace(/\nparams: [\s\S]*?(?=\n    at |$)/g, '\nparams: [redacted]') : text;
}

export function safeErrSerializer(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object') return out;
  out.message = scrub(out.message);
  out.stack = scrub(out.stack);
  delete out.extensions;
  const cause = out.cause as Record<string, unknown> | undefined;
  if (cause && typeof cause === 'object') {
    cause.message = scrub(cause.message);
    cause.stack = scrub(cause.stack);
    // pg errors carry the failing row in `detail` (e.g. "Key (email)=(a@b) already exists").
    delete cause.detail;
  }
  delete out.detail;
  return out;
}

export function createLogger(env: Pick<Env, 'LOG_LEVEL' | 'NODE_ENV'>, destination?: DestinationStream): Logger {
  return pino(
    {
      level: env.LOG_LEVEL,
      base: { service: 'sluice-api' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: safeErrSerializer },
    },
    destination,
  );
}
