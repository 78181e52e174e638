import { and, desc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { auditLog } from '@sluice/db/schema';
import { toPage, type Page, type PageResult, type SerialKey } from './keyset';

export type AuditRow = typeof auditLog.$inferSelect;
export type AuditInsert = Omit<typeof auditLog.$inferInsert, 'id' | 'createdAt' | 'tenantId'>;

export interface AuditFilter {
  actorId?: string;
  actorType?: AuditRow['actorType'];
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditRow['outcome'];
  from?: Date;
  to?: Date;
}

/** Append-only: there is no update or delete here, and the database rejects both. */
export function auditRepo(db: DbOrTx) {
  return {
    /** tenantId null only for events with no resolvable tenant (e.g. an unknown credential). */
    async insert(tenantId: string | null, v: AuditInsert): Promise<AuditRow> {
      const [r] = await db
        .insert(auditLog)
        .values({ tenantId, ...v })
        .returning();
      return r!;
    },
    async list(tenantId: string, filter: AuditFilter, page: Page<SerialKey>): Promise<PageResult<AuditRow>> {
      const a = page.after;
      const rows = await db
        .select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.tenantId, tenantId),
            filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
            filter.actorType ? eq(auditLog.actorType, filter.actorType) : undefined,
            filter.action
              ? filter.action.endsWith('.*')
                ? sql`${auditLog.action} like ${filter.action.slice(0, -1) + '%'}`
                : eq(auditLog.action, filter.action)
              : undefined,
            filter.targetType ? eq(auditLog.targetType, filter.targetType) : undefined,
            filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
            filter.outcome ? eq(auditLog.outcome, filter.outcome) : undefined,
            filter.from ? gte(auditLog.createdAt, filter.from) : undefined,
            filter.to ? lte(auditLog.createdAt, filter.to) : undefined,
            a ? lt(auditLog.id, a.id) : undefined,
          ),
        )
        .orderBy(desc(auditLog.id))
        .limit(page.first + 1);
      return toPage(rows, page.first);
    },
  };
}
