import { describe, expect, it } from 'vitest';
import type { Connection } from '../protocol';
import { ConnectorRegistry } from './registry';
import type { ConnectorDefinition, Source, SourceCore } from './spi';

const pg: Connection = { kind: 'postgres', config: { host: 'h', port: 5432, user: 'u', database: 'd', schema: 'public', ssl: false } } as Connection;
const kafka = { kind: 'kafka', config: {} } as unknown as Connection;

describe('connector registry', () => {
  it('builds sources by connector kind and refuses unknown kinds with a fix', async () => {
    const built: Connection[] = [];
    const def: ConnectorDefinition = {
      kind: 'postgres',
      source: (c) => {
        built.push(c);
        return { kind: 'postgres', capabilities: () => ({ snapshot: true, schema: true }) } as Source;
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

  it('opens a source without tables through openSource, and refuses it where tables are needed', () => {
    const closed: string[] = [];
    const def: ConnectorDefinition = {
      kind: 'kafka',
      source: () =>
        ({
          kind: 'kafka',
          capabilities: () => ({ snapshot: false, schema: false, records: true }),
          close: async () => void closed.push('x'),
        }) as unknown as SourceCore,
      check: async () => ({ ok: true, checks: [] }),
    };
    const r = new ConnectorRegistry([def]);
    expect(r.openSource(kafka).capabilities().records).toBe(true);
    expect(() => r.createSource(kafka)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', message: 'a kafka source has no tables to read' }));
    expect(closed).toEqual(['x']);
  });

  it('refuses a kind registered twice', () => {
    const def: ConnectorDefinition = { kind: 'mysql', check: async () => ({ ok: true, checks: [] }) };
    expect(() => new ConnectorRegistry([def, def])).toThrow(/twice/);
  });
});
