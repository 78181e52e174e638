import { describe, expect, it } from 'vitest';
import { cliRunCommand } from './cli-command';
import type { DataSource } from './ops/data-sources';

const ds = (kind: DataSource['kind'], config: Record<string, unknown>, hasSecret = true) =>
  ({ id: kind, name: kind, kind, config, hasSecret }) as unknown as DataSource;

describe('cliRunCommand', () => {
  it('gives the standalone command with the data sources as URLs and passwords from the environment', () => {
    expect(
      cliRunCommand(
        ds('MYSQL', { host: 'db1', port: 3306, user: 'app', database: 'shop' }),
        ds('POSTGRES', { host: 'dw', port: 5432, user: 'load er', database: 'dw', schema: 'public' }, false),
      ),
    ).toBe(
      "SLUICE_SOURCE_PASSWORD=… sluice-agent run --spec job.json --source mysql://app@db1:3306/shop --target 'postgres://load%20er@dw:5432/dw?schema=public'",
    );
    expect(cliRunCommand(undefined, undefined)).toBe('sluice-agent run --spec job.json --source SOURCE_URL');
  });
});
