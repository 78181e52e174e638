/** Which source/target kinds each mode accepts. Returns a message saying what is wrong, or null. */
import type { DataSourceKind } from '@sluice/agent/protocol';
import type { JobMode } from '@sluice/agent/protocol';

const SQL: DataSourceKind[] = ['mysql', 'postgres'];

export function checkModeCompatibility(mode: JobMode, source: DataSourceKind, target: DataSourceKind | null): string | null {
  if (!target) return `a ${mode} job needs a target data source`;
  if (mode === 'verify' && (!SQL.includes(source) || !SQL.includes(target))) {
    return `verify compares two databases: source and target must be mysql or postgres (got ${source} -> ${target})`;
  }
  if (source === 'kafka' && target !== 'kafka') {
    return `a kafka source can only be mirrored to a kafka target (got kafka -> ${target})`;
  }
  return null;
}
