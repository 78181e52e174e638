import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('has working defaults pointing at the local services', () => {
    const e = parseEnv({});
    expect(e.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/sluice');
    expect(e.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(e.PORT).toBe(4000);
    expect(e.RUN_WORKER).toBe(true);
    expect(e.GRAPHQL_INTROSPECTION).toBe(true);
    expect(e.GRAPHQL_SUGGESTIONS).toBe(true);
    expect(e.COOKIE_SECURE).toBe(false);
    expect(e.SLUICE_SECRET_KEY).toHaveLength(32);
  });

  it('parses booleans as words ("false" is false) and derives production defaults', () => {
    expect(parseEnv({ RUN_WORKER: 'false' }).RUN_WORKER).toBe(false);
    const key = Buffer.alloc(32, 7).toString('hex');
    const prod = parseEnv({ NODE_ENV: 'production', SLUICE_SECRET_KEY: key });
    expect(prod.GRAPHQL_INTROSPECTION).toBe(false);
    expect(prod.GRAPHQL_SUGGESTIONS).toBe(false);
    expect(prod.COOKIE_SECURE).toBe(true);
    expect(prod.SLUICE_SECRET_KEY.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('names every bad variable and points to the README', () => {
    expect(() => parseEnv({ PORT: 'eighty', SLUICE_SECRET_KEY: 'short', RUN_WORKER: 'maybe' })).toThrow(
      /PORT: .*\n.*SLUICE_SECRET_KEY: must be 32 bytes.*openssl rand -base64 32[\s\S]*RUN_WORKER[\s\S]*README\.md "Environment"/,
    );
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/SLUICE_SECRET_KEY: set your own key in production/);
  });
});
