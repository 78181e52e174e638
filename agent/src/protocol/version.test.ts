import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SLUICE_VERSION, compareVersions } from './version';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pkgVersion = (dir: string) => (JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { version: string }).version;

describe('SLUICE_VERSION', () => {
  it('is the version of the agent and api packages (the api serves the agent built from the same tree)', () => {
    expect(pkgVersion('agent')).toBe(SLUICE_VERSION);
    expect(pkgVersion('api')).toBe(SLUICE_VERSION);
  });

  it('orders release versions numerically, a pre-release before its release', () => {
    expect(compareVersions('0.1.9', '0.1.10')).toBe(-1);
    expect(compareVersions('0.2.0', '0.1.10')).toBe(1);
    expect(compareVersions('v1.0.0', '1.0')).toBe(0);
    expect(compareVersions('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(compareVersions('1.0.0-rc.2', '1.0.0-rc.1')).toBe(1);
  });
});
