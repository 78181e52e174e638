/**
 * Tables as first-class objects of a CDC job (issue 14 §5). Operations (operator
 * role, tenant-checked, audited): add tables to a job, remove one, resync one,
 * un-quarantine one (a resync). Add and remove edit the job's stored selection
 * (so a restart keeps it); the agent holding the task learns the selection and
 * the resync requests from every lease ack (`tableControlFor`), reconciles
 * without a restart, and reports each table's state (`reportTableStates`).
 */
import { jobSpecSchema, tableStatesSchema, type JobSpec, type TableControl } from '@sluice/agent/protocol';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AuthContext } from '../../auth/context';
import type { Persistence, Publisher } from '../../core/ports';
import { AppError, parseInput } from '../../errors';
import type { Repos } from '../../repositories';
import type { JobRow } from '../../repositories/jobs';
import type { JobTableRow } from '../../repositories/job-tables';
import { topics } from '../../pubsub/redis-pubsub';
import { audited } from '../audit/audit';

const tableName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(256)
  .regex(/^[A-Za-z0-9_$.-]+$/, 'a table is named `table` or `schema.table` (letters, digits, _ $ . -)');
export const addJobTablesInput = z.array(tableName).min(1, 'name at least one table').max(100);
export const jobTableInput = tableName;

const CDC_MODES = new Set(['cdc', 'full_cdc']);
const bare = (k: string) => (k.includes('.') ? k.slice(k.indexOf('.') + 1) : k);

export type JobTablesDeps = Persistence & { pubsub: Publisher };

/** The selection with `tables` added: removed from `exclude`, added to `include` when no pattern covers them. */
export function selectionWith(spec: JobSpec, tables: string[]): JobSpec['tables'] {
  const drop = new Set(tables.flatMap((t) => [t, bare(t)]));
  const include = [...spec.tables.include];
  for (const t of tables) if (!include.includes(t) && !include.includes(bare(t)) && !include.includes('*')) include.push(t);
  return { include, exclude: spec.tables.exclude.filter((p) => !drop.has(p)) };
}

/** The selection without `table`: its exact entries leave `include`, and it is excluded by name. */
export function selectionWithout(spec: JobSpec, table: string): JobSpec['tables'] {
  const names = new Set([table, bare(table)]);
  const include = spec.tables.include.filter((p) => !names.has(p));
  const exclude = spec.tables.exclude.includes(table) ? spec.tables.exclude : [...spec.tables.exclude, table];
  return { include: include.length ? include : spec.tables.include, exclude };
}

/** What the agent holding a CDC job's task should have now; undefined for other jobs. */
export async function tableControlFor(r: Repos, tenantId: string, jobId: string): Promise<TableControl | undefined> {
  const job = await r.jobs.get(tenantId, jobId);
  if (!job || !CDC_MODES.has(job.mode)) return undefined;
  const spec = jobSpecSchema.parse(job.spec);
  return { tables: spec.tables, resyncs: await r.jobTables.pendingResyncs(tenantId, jobId) };
}

/** Stores the table states an agent reported in its CDC progress (ignored when absent or malformed). */
export async function reportTableStates(r: Repos, tenantId: string, jobId: string, progress: Record<string, unknown>): Promise<void> {
  const raw = (progress.cdc as Record<string, unknown> | undefined)?.tableStates;
  if (!raw) return;
  const parsed = tableStatesSchema.safeParse(raw);
  if (!parsed.success) return;
  await r.jobTables.report(tenantId, jobId, parsed.data);
}

export class JobTablesService {
  constructor(private readonly deps: JobTablesDeps) {}

  async #cdcJob(r: Repos, tenantId: string, unverifiedJobId: string): Promise<{ job: JobRow; spec: JobSpec }> {
    const job = await r.jobs.getForUpdate(tenantId, unverifiedJobId);
    if (!job) throw AppError.notFound('job', unverifiedJobId);
    if (!CDC_MODES.has(job.mode)) {
      throw AppError.badInput(
        `a ${job.mode} job has no live tables: tables are added to or removed from cdc and full_cdc jobs; edit this job with updateJob`,
        'jobId',
      );
    }
    return { job, spec: jobSpecSchema.parse(job.spec) };
  }

  async #table(r: Repos, tenantId: string, jobId: string, table: string): Promise<JobTableRow> {
    const row = await r.jobTables.get(tenantId, jobId, table);
    if (!row) {
      throw new AppError('NOT_FOUND', `table ${table} is not one of this job's tables: use schema.table as the job's table list shows it`, {
        field: 'table',
        fix: 'pick a table from Job.tables; tables appear there once the agent reports them (seconds after the job streams)',
      });
    }
    return row;
  }

  async #publish(tenantId: string, jobId: string): Promise<void> {
    await this.deps.pubsub.publish(topics.jobUpdated(tenantId, jobId), { jobId });
  }

  async addTables(auth: AuthContext, unverifiedJobId: string, rawTables: unknown): Promise<JobRow> {
    const tables = parseInput(addJobTablesInput, rawTables, 'tables');
    return audited(
      this.deps,
      auth,
      { action: 'job.tables.add', targetType: 'job', targetId: unverifiedJobId, minRole: 'operator' },
      async ({ r, detail, afterCommit }) => {
        const { job, spec } = await this.#cdcJob(r, auth.tenantId, unverifiedJobId);
        const next = { ...spec, tables: selectionWith(spec, tables) };
        const updated = await r.jobs.update(auth.tenantId, job.id, { spec: jobSpecSchema.parse(next) as unknown as Record<string, unknown> }, new Date());
        detail.tables = tables;
        await r.jobs.insertEvent(auth.tenantId, {
          jobId: job.id,
          type: 'job.tables_added',
          message: `${tables.join(', ')} added by ${auth.actor.type} ${auth.actor.id}: snapshotted live while the other tables keep streaming`,
          data: { tables },
        });
        afterCommit(() => this.#publish(auth.tenantId, job.id));
        return updated!;
      },
    );
  }

  async removeTable(auth: AuthContext, unverifiedJobId: string, rawTable: unknown): Promise<JobRow> {
    const table = parseInput(jobTableInput, rawTable, 'table');
    return audited(
      this.deps,
      auth,
      { action: 'job.tables.remove', targetType: 'job', targetId: unverifiedJobId, minRole: 'operator' },
      async ({ r, detail, afterCommit }) => {
        const { job, spec } = await this.#cdcJob(r, auth.tenantId, unverifiedJobId);
        const row = await this.#table(r, auth.tenantId, job.id, table);
        if (row.state === 'removed') throw AppError.conflict(`table ${table} is already removed from this job`, { state: row.state });
        const rows = await r.jobTables.list(auth.tenantId, job.id);
        if (rows.filter((x) => x.state !== 'removed').length <= 1) {
          throw AppError.conflict(`table ${table} is the job's last table: stop or delete the job instead`, { state: row.state });
        }
        const next = { ...spec, tables: selectionWithout(spec, table) };
        const updated = await r.jobs.update(auth.tenantId, job.id, { spec: jobSpecSchema.parse(next) as unknown as Record<string, unknown> }, new Date());
        detail.table = table;
        await r.jobs.insertEvent(auth.tenantId, {
          jobId: job.id,
          type: 'job.table_removed',
          message: `${table} removed by ${auth.actor.type} ${auth.actor.id}: its changes stop; the target table is kept`,
          data: { table },
        });
        afterCommit(() => this.#publish(auth.tenantId, job.id));
        return updated!;
      },
    );
  }

  /** Resync one table live; `quarantinedOnly` for un-quarantine (the same operation, on a quarantined table). */
  async resyncTable(auth: AuthContext, unverifiedJobId: string, rawTable: unknown, quarantinedOnly = false): Promise<JobTableRow> {
    const table = parseInput(jobTableInput, rawTable, 'table');
    const action = quarantinedOnly ? 'job.tables.unquarantine' : 'job.tables.resync';
    return audited(this.deps, auth, { action, targetType: 'job', targetId: unverifiedJobId, minRole: 'operator' }, async ({ r, detail, afterCommit }) => {
      const { job } = await this.#cdcJob(r, auth.tenantId, unverifiedJobId);
      const row = await this.#table(r, auth.tenantId, job.id, table);
      if (row.state === 'removed') throw AppError.conflict(`table ${table} is removed from this job: add it again instead`, { state: row.state });
      if (quarantinedOnly && row.state !== 'quarantined') {
        throw AppError.conflict(`table ${table} is ${row.state}, not quarantined: use resyncJobTable to copy it again`, { state: row.state });
      }
      const request = randomUUID();
      const updated = await r.jobTables.requestResync(auth.tenantId, job.id, table, request);
      Object.assign(detail, { table, request, previousState: row.state });
      await r.jobs.insertEvent(auth.tenantId, {
        jobId: job.id,
        type: quarantinedOnly ? 'job.table_unquarantined' : 'job.table_resync',
        message: `${table}: ${quarantinedOnly ? 'un-quarantine' : 'resync'} requested by ${auth.actor.type} ${auth.actor.id}; copied again live while the other tables keep streaming`,
        data: { table, request },
      });
      afterCommit(() => this.#publish(auth.tenantId, job.id));
      return updated!;
    });
  }
}
