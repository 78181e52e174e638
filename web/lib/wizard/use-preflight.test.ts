import { describe, expect, it } from 'vitest';
import type { JobInput } from '../ops/jobs';
import { targetRole, targetSchemaOf } from './use-preflight';

const input = (mode: JobInput['spec']['mode'], repair?: boolean): JobInput => ({
  name: 'j',
  sourceId: 's',
  targetId: 't',
  spec: { mode, tables: { include: ['*'], exclude: [] }, mapping: {}, options: repair === undefined ? {} : { repair } },
});

describe('the wizard preflight', () => {
  it('checks the target as a target unless the job only verifies without repairing', () => {
    expect(targetRole(input('full'))).toBe('TARGET');
    expect(targetRole(input('full_cdc'))).toBe('TARGET');
    expect(targetRole(input('cdc'))).toBe('TARGET');
    expect(targetRole(input('verify'))).toBe('SOURCE');
    expect(targetRole(input('verify', false))).toBe('SOURCE');
    expect(targetRole(input('verify', true))).toBe('TARGET');
  });
  it('knows the schema the engine writes to', () => {
    expect(targetSchemaOf({ kind: 'POSTGRES', config: {} })).toBe('public');
    expect(targetSchemaOf({ kind: 'POSTGRES', config: { schema: 'dw' } })).toBe('dw');
    expect(targetSchemaOf({ kind: 'MYSQL', config: { database: 'shop' } })).toBe('shop');
    expect(targetSchemaOf(undefined)).toBeNull();
  });
});
