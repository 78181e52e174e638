/**
 * The connector registry: connector kind -> how to build its Source and
 * Target and test a connection. The engine (full load, CDC, verification)
 * builds every connector through it and never names a kind. A new connector
 * (Kafka) adds its ConnectorDefinition to the `connectors` list in index.ts.
 */
import type { Connection } from '../protocol';
import { ConnectorError } from './connector-error';
import {
  hasTables,
  type CheckResult,
  type ConnectorDefinition,
  type ConnectorKind,
  type Source,
  type SourceCore,
  type Target,
  type TargetCore,
  type TargetOptions,
} from './spi';

export class ConnectorRegistry {
  private readonly defs = new Map<ConnectorKind, ConnectorDefinition>();

  constructor(defs: ConnectorDefinition[]) {
    for (const d of defs) {
      if (this.defs.has(d.kind)) throw new Error(`connector kind ${d.kind} is registered twice`);
      this.defs.set(d.kind, d);
    }
  }

  kinds(): ConnectorKind[] {
    return [...this.defs.keys()];
  }

  get(kind: ConnectorKind): ConnectorDefinition | undefined {
    return this.defs.get(kind);
  }

  private supported(side: 'source' | 'target'): string {
    const kinds = [...this.defs.values()].filter((d) => d[side]).map((d) => d.kind);
    return kinds.length ? `use a ${kinds.join(' or ')} data source` : 'no connector is registered';
  }

  /** Any source: its capabilities say what it can do. */
  openSource(conn: Connection): SourceCore {
    const def = this.defs.get(conn.kind);
    if (!def?.source) {
      throw new ConnectorError(`${conn.kind} is not supported as a source`, {
        class: 'config',
        code: 'UNSUPPORTED',
        retryable: false,
        fix: this.supported('source'),
      });
    }
    return def.source(conn);
  }

  /** Any target: its capabilities say what it can do. */
  openTarget(conn: Connection, opts: TargetOptions = {}): TargetCore {
    const def = this.defs.get(conn.kind);
    if (!def?.target) {
      throw new ConnectorError(`${conn.kind} is not supported as a target yet`, {
        class: 'config',
        code: 'UNSUPPORTED',
        retryable: false,
        fix: this.supported('target'),
      });
    }
    return def.target(conn, opts);
  }

  /** A source with tables (snapshot and schema capabilities), for the table paths (full load, CDC, verification). */
  createSource(conn: Connection): Source {
    const s = this.openSource(conn);
    if (hasTables(s)) return s;
    void s.close().catch(() => undefined);
    throw new ConnectorError(`a ${conn.kind} source has no tables to read`, {
      class: 'config',
      code: 'UNSUPPORTED',
      retryable: false,
      fix: `read a ${conn.kind} source into a ${conn.kind} target (its records are copied as they are)`,
    });
  }

  /** A target with tables (schema capability and row writes). */
  createTarget(conn: Connection, opts: TargetOptions = {}): Target {
    const t = this.openTarget(conn, opts);
    if (hasTables(t)) return t;
    void t.close().catch(() => undefined);
    throw new ConnectorError(`a ${conn.kind} target has no tables to write`, {
      class: 'config',
      code: 'UNSUPPORTED',
      retryable: false,
      fix: `write a ${conn.kind} target from a ${conn.kind} source`,
    });
  }

  checkConnection(conn: Connection, role: 'source' | 'target'): Promise<CheckResult> {
    const def = this.defs.get(conn.kind);
    if (!def) {
      return Promise.resolve({
        ok: false,
        checks: [{ name: 'kind', ok: false, message: `no connector is registered for ${conn.kind} connections`, fix: this.supported(role) }],
      });
    }
    return def.check(conn, role);
  }
}
