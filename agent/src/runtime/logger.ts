import pino, { type Logger } from 'pino';

/** Never log secrets, keys, tokens or row data. */
export const redactPaths = [
  'secret',
  '*.secret',
  '*.*.secret',
  'password',
  '*.password',
  'privateKey',
  '*.privateKey',
  'token',
  '*.token',
  'connection',
  '*.connection',
  'source.secret',
  'target.secret',
];

export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { svc: 'sluice-agent', ...bindings },
    redact: { paths: redactPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
export type { Logger };
