/**
 * What deleted CDC jobs left on a data source (cdc_cleanups, pending), with the
 * exact SQL to finish by hand. Batched per request; tenant-scoped.
 */
import DataLoader from 'dataloader';
import { ddlCaptureDropSql } from '@sluice/agent/protocol';
import type { AuthContext } from '../auth/context';
import type { Repos } from '../repositories';
import type { CdcCleanupRow } from '../repositories/cdc-cleanups';

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;
const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The SQL a person runs to finish by hand what is still pending (source side on PostgreSQL, with the DDL capture; target checkpoint rows). */
export function cleanupSql(row: CdcCleanupRow, sourceKind: string, target: { kind: string; config: Record<string, unknown> } | null): string {
  const lines: string[] = [];
  if (!row.sourceClean && sourceKind === 'postgres') {
    lines.push(
      `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ${quoteLiteral(row.slot)};`,
      `DROP PUBLICATION IF EXISTS ${quoteIdent(row.publication)};`,
      `-- then, if no other Sluice job streams from this database (no other sluice_% slot in pg_replication_slots), its DDL capture:`,
      ...ddlCaptureDropSql(),
    );
  }
  if (!row.targetClean && target) {
    const ns = target.kind === 'postgres' ? target.config.schema : target.config.database;
    const table =
      target.kind === 'postgres'
        ? `${quoteIdent(String(ns ?? 'public'))}."_sluice_checkpoints"`
        : `\`${String(ns ?? '').replace(/`/g, '``')}\`.\`_sluice_checkpoints\``;
    lines.push(`-- on the target data source:\nDELETE FROM ${table} WHERE job_id = ${quoteLiteral(row.jobId)};`);
  }
  return lines.join('\n');
}

export function cleanupPresenters(deps: { repos: Repos }, auth: AuthContext) {
  const t = auth.tenantId;
  const repos = deps.repos;
  const pendingBySource = new DataLoader<string, CdcCleanupRow[]>(async (ids) => {
    const rows = await repos.cdcCleanups.pendingFor(t, ids);
    return ids.map((id) => rows.filter((r) => r.dataSourceId === id));
  });
  return {
    /** Pending cleanups on a data source of this tenant (as the deleted job's source), oldest first. */
    async pendingCleanups(ds: { id: string; kind: string }) {
      const rows = await pendingBySource.load(ds.id);
      const targets = await repos.dataSources.getMany(t, [...new Set(rows.map((r) => r.targetId).filter((x): x is string => !!x))]);
      return rows.map((r) => {
        const target = targets.find((d) => d.id === r.targetId) ?? null;
        return {
          id: r.id,
          jobId: r.jobId,
          jobName: r.jobName,
          slot: r.slot,
          publication: r.publication,
          sourceClean: r.sourceClean,
          targetClean: r.targetClean || !r.targetId,
          targetName: target?.name ?? null,
          reason: r.reason,
          attempts: r.attempts,
          sql: cleanupSql(r, ds.kind, target ? { kind: target.kind, config: target.config } : null),
          createdAt: r.createdAt,
          updatedAt: r.updatedAt,
        };
      });
    },
  };
}
