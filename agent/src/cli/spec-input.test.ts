import { describe, expect, it } from 'vitest';
import { parseConnectionUrl } from './spec-input';

describe('--source / --target URLs', () => {
  it('turn into connections, with the password from the URL or the environment', () => {
    expect(parseConnectionUrl('source', 'mariadb://app:p%40ss@db1:3307/shop', 'env')).toEqual({
      kind: 'mysql',
      config: { host: 'db1', port: 3307, user: 'app', database: 'shop', ssl: false },
      secret: 'p@ss',
    });
    expect(parseConnectionUrl('target', 'postgres://loader@dw/dw?schema=stage&sslmode=verify-full', 'from-env')).toEqual({
      kind: 'postgres',
      config: { host: 'dw', port: 5432, user: 'loader', database: 'dw', schema: 'stage', tls: { mode: 'verify-full' } },
      secret: 'from-env',
    });
  });

  it('refuse what is not a usable URL, saying what to write', () => {
    expect(() => parseConnectionUrl('source', 'db1:3306', undefined)).toThrow(/--source: unknown scheme db1:\/\/ \(use mysql:\/\//);
    expect(() => parseConnectionUrl('source', 'mysql://db1/shop', undefined)).toThrow(/needs a user, a host and a database/);
    expect(() => parseConnectionUrl('target', 'postgres://u@h/d?sslmode=sometimes', undefined)).toThrow(
      /sslmode=sometimes is not one of disable, require, verify-ca, verify-full/,
    );
  });
});
