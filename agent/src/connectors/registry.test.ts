import { describe, expect, it } from 'vitest';
import type { Connection } from '../protocol';
import { ConnectorRegistry } from './registry';
import type { ConnectorDefinition, Source } from './spi';

const pg: Connection = { kind: 'postgres', config: { host: 'h', port: 5432, user: 'u', database: 'd', schema: 'public', ssl: false } } as Connection;
const kafka = { kind: 'kafka', config: {} } as unknown as Connection;

describe('connector registry', () => {
  it('builds sources by connector kind and refuses unknown kinds with a fix', async () => {
    const built: Connection[] = [];
    const def: ConnectorDefinition = {
      kind: 'postgres',
      source: (c) => {
        built.push(c);
        return { kind: 'postgres' } as Source;
      },
      check: async () => ({ ok: true, checks: [] }),
    };
    const r = new ConnectorRegistry([def]);
    expect(r.createSource(pg).kind).toBe('postgres');
    expect(built).toEqual([pg]);
    expect(() => r.createSource(kafka)).toThrow(/kafka is not supported as a source/);
    expect(() => r.createTarget(pg)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', fix: 'no connector is registered' }));
    expect((await r.checkConnection(kafka, 'source')).ok).toBe(false);
    expect(r.kinds()).toEqual(['postgres']);
  });

  it('refuses a kind registered twice', () => {
    const def: ConnectorDefinition = { kind: 'mysql', check: async () => ({ ok: true, checks: [] }) };
    expect(() => new ConnectorRegistry([def, def])).toThrow(/twice/);
  });
});
