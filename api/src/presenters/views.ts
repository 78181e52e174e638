/** Read models returned to resolvers: never raw rows, never secrets or hashes. */
import type { AuditRow } from '../repositories/audit';
import type { ApiKeyRow } from '../repositories/api-keys';
import type { DataSourceRow } from '../repositories/data-sources';
import type { TenantRow, UserRow } from '../repositories/identity';
import type { JobRunRow } from '../repositories/job-runs';
import type { CheckpointRow, JobEventRow, JobLogRow, JobRow, VerificationRow } from '../repositories/jobs';
import type { InvitationRow } from '../repositories/tenants';
import { tlsView } from './tls-view';

export const userView = (u: Pick<UserRow, 'id' | 'email' | 'name'> & { createdAt?: Date }) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  createdAt: u.createdAt ?? null,
});
export type UserView = ReturnType<typeof userView>;

export const tenantView = (t: TenantRow) => ({ id: t.id, name: t.name, slug: t.slug, createdAt: t.createdAt });
export type TenantView = ReturnType<typeof tenantView>;

export const invitationView = (i: InvitationRow) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  expiresAt: i.expiresAt,
  acceptedAt: i.acceptedAt,
  revokedAt: i.revokedAt,
  createdAt: i.createdAt,
});

export const apiKeyView = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  role: k.role,
  createdById: k.createdBy,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
  createdAt: k.createdAt,
});

export const dataSourceView = (d: DataSourceRow) => ({
  id: d.id,
  name: d.name,
  kind: d.kind,
  config: d.config,
  hasSecret: d.secretCiphertext !== null,
  lastTest: d.lastTestAt ? { at: d.lastTestAt, ok: d.lastTestOk === true, summary: d.lastTestSummary ?? '' } : null,
  tls: tlsView(d.config, d.tlsCiphertext !== null),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});
export type DataSourceView = ReturnType<typeof dataSourceView>;

export const jobView = (j: JobRow) => ({
  id: j.id,
  name: j.name,
  mode: j.mode,
  state: j.state,
  spec: j.spec,
  progress: j.progress,
  lastError: j.lastError,
  version: j.version,
  sourceId: j.sourceId,
  targetId: j.targetId,
  createdAt: j.createdAt,
  updatedAt: j.updatedAt,
});
export type JobView = ReturnType<typeof jobView>;

export const jobRunView = (r: JobRunRow) => ({
  id: r.id,
  state: r.state,
  plan: r.plan,
  cdcStart: r.cdcStart,
  progress: r.progress,
  error: r.error,
  startedAt: r.startedAt,
  finishedAt: r.finishedAt,
  createdAt: r.createdAt,
});

export const checkpointView = (c: CheckpointRow) => ({ taskId: c.taskId, stream: c.stream, position: c.position, updatedAt: c.updatedAt });

/** A differing row as the agent named it (checked by the task service's verificationTableEvent). */
interface StoredDifference {
  kind: string;
  key: string;
  columns?: { column: string; source: string | null; target: string | null }[];
  columnsDiffering?: number;
}

export const verificationView = (v: VerificationRow) => ({
  id: String(v.id),
  runId: v.runId,
  tableName: v.tableName,
  chunksOk: v.chunksOk,
  chunksMismatched: v.chunksMismatched,
  chunksRepaired: v.chunksRepaired,
  rowsMissing: v.rowsMissing,
  rowsExtra: v.rowsExtra,
  rowsDifferent: v.rowsDifferent,
  // Rows stored before the status was kept: derived from the counts.
  status: v.status ?? (v.chunksMismatched === 0 ? 'ok' : v.chunksMismatched <= v.chunksRepaired ? 'repaired' : 'mismatch'),
  error: v.detail?.error ?? null,
  notes: v.detail?.notes ?? [],
  differencesTotal: v.detail?.differencesTotal ?? v.rowsMissing + v.rowsExtra + v.rowsDifferent,
  differences: ((v.detail?.differences ?? []) as StoredDifference[]).map((d) => ({
    kind: d.kind,
    key: d.key,
    columns: d.columns ?? [],
    columnsDiffering: d.columnsDiffering ?? d.columns?.length ?? 0,
  })),
  createdAt: v.createdAt,
});

export const jobEventView = (e: JobEventRow) => ({ id: String(e.id), runId: e.runId, type: e.type, message: e.message, data: e.data, createdAt: e.createdAt });
export const jobLogView = (l: Pick<JobLogRow, 'id' | 'taskId' | 'level' | 'message'> & { createdAt: Date | string }) => ({
  id: String(l.id),
  taskId: l.taskId,
  level: l.level,
  message: l.message,
  createdAt: l.createdAt,
});

export const auditView = (a: AuditRow) => ({
  id: String(a.id),
  actorType: a.actorType,
  actorId: a.actorId,
  action: a.action,
  targetType: a.targetType,
  targetId: a.targetId,
  outcome: a.outcome,
  requestId: a.requestId,
  ip: a.ip,
  detail: a.detail,
  createdAt: a.createdAt,
});
