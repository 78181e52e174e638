import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { apiKeys } from '@sluice/db/schema';
import type { Role } from '../auth/roles';
import { toPage, type Page, type PageResult, type TimeKey } from './keyset';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export function apiKeysRepo(db: DbOrTx) {
  return {
    async insert(tenantId: string, v: { name: string; prefix: string; keyHash: string; role: Role; createdBy: string | null }): Promise<ApiKeyRow> {
      const [k] = await db
        .insert(apiKeys)
        .values({ tenantId, ...v })
        .returning();
      return k!;
    },
    async get(tenantId: string, keyId: string): Promise<ApiKeyRow | undefined> {
      const [k] = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)))
        .limit(1);
      return k;
    },
    async getMany(tenantId: string, ids: readonly string[]): Promise<ApiKeyRow[]> {
      const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      if (valid.length === 0) return [];
      return db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.tenantId, tenantId), inArray(apiKeys.id, valid)));
    },
    async list(tenantId: string, page: Page<TimeKey>): Promise<PageResult<ApiKeyRow>> {
      const a = page.after;
      const rows = await db
        .select()
        .from(apiKeys)
        .where(
          and(
            eq(apiKeys.tenantId, tenantId),
            a ? sql`(${apiKeys.createdAt}, ${apiKeys.id}) < (${a.createdAt.toISOString()}::timestamptz, ${a.id}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
        .limit(page.first + 1);
      return toPage(rows, page.first);
    },
    async revoke(tenantId: string, keyId: string, now: Date): Promise<ApiKeyRow | undefined> {
      const [k] = await db
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
        .returning();
      return k;
    },
  };
}
