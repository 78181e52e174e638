import { describe, expect, it } from 'vitest';
import { checkModeCompatibility } from './compatibility';

describe('checkModeCompatibility', () => {
  it('accepts SQL to SQL in every mode and SQL or Kafka to Kafka for moves', () => {
    for (const mode of ['full', 'full_cdc', 'cdc', 'verify'] as const) expect(checkModeCompatibility(mode, 'mysql', 'postgres')).toBeNull();
    expect(checkModeCompatibility('cdc', 'postgres', 'kafka')).toBeNull();
    expect(checkModeCompatibility('full_cdc', 'kafka', 'kafka')).toBeNull();
  });
  it('explains what is wrong otherwise', () => {
    expect(checkModeCompatibility('full', 'mysql', null)).toMatch(/needs a target/);
    expect(checkModeCompatibility('verify', 'kafka', 'kafka')).toMatch(/verify compares two databases/);
    expect(checkModeCompatibility('cdc', 'kafka', 'postgres')).toMatch(/kafka source can only be mirrored/);
  });
});
