/**
 * Cleanup after a deleted CDC job (issue 14 §7, issue 19 §4). `deleteJob` records
 * a `cdc_cleanups` row and a `cdc.cleanup` outbox job in its own transaction
 * (`recordCdcCleanup`); the job's handler nudges every api process; a process
 * holding an online agent of the tenant asks it (`cdc.cleanup` over the agent
 * socket) to release the source's streaming state and the target's checkpoint
 * rows through the connector SPI. What could not be cleaned stays pending, is
 * shown on the source data source with the SQL to run (presenters/cleanups.ts), and is
 * retried whenever an agent of the tenant connects. Every attempt is audited.
 */
import { defaultSlotName } from '@sluice/agent/protocol';
import type { JobRow } from '../../repositories/jobs';
import type { AgentRouter, Outbox, Persistence, Publisher } from '../../core/ports';
import type { SecretBox } from '../../crypto/secret-box';
import type { Repos } from '../../repositories';
import { writeAuditAlone } from '../audit/audit';
import { systemSubject } from '../agents/identity';
import { connectionForAgent } from '../data-sources/secrets';

export const CDC_CLEANUP_TOPIC = 'sys:agents:cdc-cleanup';
const WAITING = 'waiting for an agent of this organisation to drop them';

/** The job's slot and publication: the names its run tasks use (`defaultSlotName`, shared with the agent). */
export function cdcNames(jobId: string): { slot: string; publication: string } {
  const slot = defaultSlotName(jobId);
  return { slot, publication: slot };
}

/** Inside deleteJob's transaction: the row and its outbox job. Returns the outbox id to flush after commit, or null (not a CDC job). */
export async function recordCdcCleanup(r: Repos, outbox: Outbox, job: JobRow): Promise<{ cleanupId: string; outboxId: number } | null> {
  if (job.mode !== 'cdc' && job.mode !== 'full_cdc') return null;
  const names = cdcNames(job.id);
  const row = await r.cdcCleanups.insert(job.tenantId, {
    dataSourceId: job.sourceId,
    targetId: job.targetId,
    jobId: job.id,
    jobName: job.name,
    ...names,
    reason: WAITING,
  });
  const outboxId = await outbox.add(r, job.tenantId, 'cdc.cleanup', { tenantId: job.tenantId, cleanupId: row.id });
  return { cleanupId: row.id, outboxId };
}

export type CdcCleanupDeps = Persistence & { secretBox: SecretBox; pubsub: Publisher };

export class CdcCleanupService {
  /** The agent sockets of this process (set by the composition root when it serves HTTP). */
  router: Pick<AgentRouter, 'callTenantAgent'> | null = null;

  constructor(
    private readonly deps: CdcCleanupDeps,
    private readonly o: { timeoutMs: number } = { timeoutMs: 60_000 },
  ) {}

  /** The `cdc.cleanup` job's handler (any process): tell the processes holding agent sockets. */
  async nudge(tenantId: string, cleanupId: string): Promise<void> {
    await this.deps.pubsub.publish(CDC_CLEANUP_TOPIC, { tenantId, cleanupId });
  }

  /** An agent of the tenant connected to this process: retry everything pending. */
  async retryTenant(tenantId: string): Promise<void> {
    for (const row of await this.deps.repos.cdcCleanups.pending(tenantId)) await this.attempt(tenantId, row.id);
  }

  /** One attempt through an online agent of the tenant held by this process. Never throws. */
  async attempt(tenantId: string, cleanupId: string): Promise<'done' | 'pending' | 'skipped'> {
    const log = this.deps.logger.child({ component: 'cdc-cleanup', tenantId, cleanupId });
    try {
      const row = await this.deps.repos.cdcCleanups.get(tenantId, cleanupId);
      if (!row || row.state !== 'pending' || !this.router) return 'skipped';
      const source = await connectionForAgent(this.deps, tenantId, row.dataSourceId);
      const target = row.targetId && !row.targetClean ? await connectionForAgent(this.deps, tenantId, row.targetId).catch(() => undefined) : undefined;
      let agentId: string;
      let reply: { source: { ok: boolean; message: string }; target: { ok: boolean; message: string } };
      try {
        ({ agentId, reply } = await this.router.callTenantAgent(
          tenantId,
          undefined,
          'cdc.cleanup',
          { jobId: row.jobId, source, ...(target ? { target } : {}), slot: row.slot, publication: row.publication },
          this.o.timeoutMs,
        ));
      } catch (e) {
        const reason = `no agent could run it: ${e instanceof Error ? e.message : String(e)}; it is retried when an agent of this organisation connects`;
        await this.deps.repos.cdcCleanups.noteAttempt(tenantId, row.id, {
          sourceClean: row.sourceClean,
          targetClean: row.targetClean,
          reason,
          attempted: false,
        });
        return 'pending';
      }
      const sourceClean = row.sourceClean || reply.source.ok;
      const targetClean = row.targetClean || !row.targetId || reply.target.ok;
      const failures = [!reply.source.ok && `source: ${reply.source.message}`, !reply.target.ok && row.targetId && `target: ${reply.target.message}`].filter(
        Boolean,
      );
      const reason = failures.length ? `agent ${agentId} could not clean up: ${failures.join('; ')}` : 'cleaned';
      await this.deps.repos.cdcCleanups.noteAttempt(tenantId, row.id, { sourceClean, targetClean, reason, attempted: true });
      const done = sourceClean && targetClean;
      await writeAuditAlone(this.deps, systemSubject(tenantId), {
        action: 'job.cdc-cleanup',
        targetType: 'job',
        targetId: row.jobId,
        outcome: done ? 'ok' : 'error',
        detail: {
          cleanupId: row.id,
          agentId,
          dataSourceId: row.dataSourceId,
          slot: row.slot,
          publication: row.publication,
          source: reply.source.message,
          target: reply.target.message,
        },
      });
      log.info({ agentId, done }, 'cdc cleanup attempted');
      return done ? 'done' : 'pending';
    } catch (err) {
      log.error({ err }, 'cdc cleanup attempt failed');
      return 'pending';
    }
  }
}
