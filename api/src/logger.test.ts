import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(c, _e, cb) {
      lines.push(String(c));
      cb();
    },
  });
  return { logger: createLogger({ LOG_LEVEL: 'debug', NODE_ENV: 'test' }, sink), lines };
}

describe('logger redaction', () => {
  it('redacts sensitive keys at any depth', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        password: 'p1',
        token: 't1',
        input: { secret: 's1', config: { password: 'p2', host: 'h' } },
        req: { headers: { authorization: 'Bearer x1', cookie: 'sluice_session=c1' } },
        dsn: 'postgres://u:p3@h/db',
        apiKey: 'sk_k1',
      },
      'hello',
    );
    const out = lines.join('');
    for (const v of ['p1', 't1', 's1', 'p2', 'x1', 'c1', 'p3', 'sk_k1']) expect(out).not.toContain(v);
    expect(out).toContain('"host":"h"');
    expect(out).toContain('[redacted]');
  });

  it('drops query parameters and row details from logged errors', () => {
    const { logger, lines } = capture();
    const err = new Error('Failed query: insert into users values ($1, $2)\nparams: alice@example.com,$argon2id$hash');
    (err as Error & { cause?: unknown }).cause = Object.assign(new Error('duplicate key'), { detail: 'Key (email)=(alice@example.com) already exists' });
    logger.error({ err }, 'boom');
    const out = lines.join('');
    expect(out).toContain('Failed query: insert into users');
    expect(out).not.toContain('alice@example.com');
    expect(out).not.toContain('argon2id');
  });
});
