import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

  it('outside production without SLUICE_SECRET_KEY: a key generated once into a 0600 file; production requires one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sluice-key-'));
    const file = path.join(dir, 'nested', 'secret-key');
    const a = parseEnv({ SLUICE_SECRET_KEY_FILE: file });
    expect(a.SLUICE_SECRET_KEY_SOURCE).toBe('file');
    expect(a.SLUICE_SECRET_KEY).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseEnv({ SLUICE_SECRET_KEY_FILE: file }).SLUICE_SECRET_KEY.equals(a.SLUICE_SECRET_KEY)).toBe(true);
    const other = parseEnv({ SLUICE_SECRET_KEY_FILE: path.join(dir, 'other') });
    expect(other.SLUICE_SECRET_KEY.equals(a.SLUICE_SECRET_KEY)).toBe(false);
    const key = Buffer.alloc(32, 9).toString('hex');
    expect(parseEnv({ SLUICE_SECRET_KEY: key, SLUICE_SECRET_KEY_FILE: file }).SLUICE_SECRET_KEY_SOURCE).toBe('env');
    expect(() => parseEnv({ NODE_ENV: 'production', SLUICE_SECRET_KEY_FILE: file })).toThrow(/SLUICE_SECRET_KEY: set your own key in production/);
    expect(
      parseEnv({ SLUICE_SECRET_KEY: key, SLUICE_OLD_SECRET_KEYS: `${Buffer.alloc(32, 1).toString('hex')}, ${Buffer.alloc(32, 2).toString('base64')}` })
        .SLUICE_OLD_SECRET_KEYS,
    ).toHaveLength(2);
    expect(() => parseEnv({ SLUICE_SECRET_KEY: key, SLUICE_OLD_SECRET_KEYS: 'nope' })).toThrow(/SLUICE_OLD_SECRET_KEYS: each key must be 32 bytes/);
  });
});
