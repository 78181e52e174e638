import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { dataSources, jobs } from '@sluice/db/schema';
import { toPage, type Page, type PageResult, type TimeKey } from './keyset';

export type DataSourceRow = typeof dataSources.$inferSelect;
export type DataSourceKind = DataSourceRow['kind'];

export function dataSourcesRepo(db: DbOrTx) {
  return {
    async insert(
      tenantId: string,
      v: { id?: string; name: string; kind: DataSourceKind; config: Record<string, unknown>; secretCiphertext: string | null; tlsCiphertext?: string | null },
    ): Promise<DataSourceRow> {
      const [d] = await db
        .insert(dataSources)
        .values({ tenantId, ...v })
        .returning();
      return d!;
    },
    async get(tenantId: string, id: string): Promise<DataSourceRow | undefined> {
      const [d] = await db
        .select()
        .from(dataSources)
        .where(and(eq(dataSources.tenantId, tenantId), eq(dataSources.id, id)))
        .limit(1);
      return d;
    },
    async getForUpdate(tenantId: string, id: string): Promise<DataSourceRow | undefined> {
      const [d] = await db
        .select()
        .from(dataSources)
        .where(and(eq(dataSources.tenantId, tenantId), eq(dataSources.id, id)))
        .limit(1)
        .for('update');
      return d;
    },
    async getMany(tenantId: string, ids: readonly string[]): Promise<DataSourceRow[]> {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(dataSources)
        .where(and(eq(dataSources.tenantId, tenantId), inArray(dataSources.id, [...ids])));
    },
    async findByName(tenantId: string, name: string): Promise<DataSourceRow | undefined> {
      const [d] = await db
        .select()
        .from(dataSources)
        .where(and(eq(dataSources.tenantId, tenantId), eq(dataSources.name, name)))
        .limit(1);
      return d;
    },
    async list(tenantId: string, page: Page<TimeKey>, kind?: DataSourceKind): Promise<PageResult<DataSourceRow>> {
      const a = page.after;
      const rows = await db
        .select()
        .from(dataSources)
        .where(
          and(
            eq(dataSources.tenantId, tenantId),
            kind ? eq(dataSources.kind, kind) : undefined,
            a ? sql`(${dataSources.createdAt}, ${dataSources.id}) < (${a.createdAt.toISOString()}::timestamptz, ${a.id}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(dataSources.createdAt), desc(dataSources.id))
        .limit(page.first + 1);
      return toPage(rows, page.first);
    },
    async update(
      tenantId: string,
      id: string,
      v: Partial<{ name: string; config: Record<string, unknown>; secretCiphertext: string | null; tlsCiphertext: string | null }>,
      now: Date,
    ): Promise<DataSourceRow | undefined> {
      const [d] = await db
        .update(dataSources)
        .set({ ...v, updatedAt: now })
        .where(and(eq(dataSources.tenantId, tenantId), eq(dataSources.id, id)))
        .returning();
      return d;
    },
    /** Stores the last connection test (the data-source list's health column); updatedAt is left alone. */
    async recordTest(tenantId: string, id: string, v: { at: Date; ok: boolean; summary: string }): Promise<void> {
      await db
        .update(dataSources)
        .set({ lastTestAt: v.at, lastTestOk: v.ok, lastTestSummary: v.summary })
        .where(and(eq(dataSources.tenantId, tenantId), eq(dataSources.id, id)));
    },
    async delete(tenantId: string, id: string): Promise<boolean> {
      const r = await db
        .delete(dataSources)
        .where(and(eq(dataSources.tenantId, tenantId), eq(dataSources.id, id)))
        .returning({ id: dataSources.id });
      return r.length > 0;
    },
    /** Names of jobs that use this data source as source or target. */
    async usedByJobs(tenantId: string, id: string): Promise<string[]> {
      const r = await db
        .select({ name: jobs.name })
        .from(jobs)
        .where(and(eq(jobs.tenantId, tenantId), or(eq(jobs.sourceId, id), eq(jobs.targetId, id))))
        .limit(20);
      return r.map((x) => x.name);
    },
  };
}
