/**
 * Every ciphertext at rest, for key rotation (`npm run secrets:rotate`). A system
 * operation across tenants: each replacement is conditional on the row still
 * holding the ciphertext that was read (and on its tenant), so a concurrent
 * update is never overwritten.
 */
import { and, eq, isNotNull, or } from 'drizzle-orm';
import type { DbOrTx } from '@sluice/db/client';
import { alertRules, dataSources } from '@sluice/db/schema';

export type RotatableColumn = 'dataSource.secret' | 'dataSource.tls' | 'alertRule.secret';

export interface StoredCiphertext {
  column: RotatableColumn;
  tenantId: string;
  id: string;
  ciphertext: string;
}

export function secretRotationRepo(db: DbOrTx) {
  return {
    async all(): Promise<StoredCiphertext[]> {
      const ds = await db
        .select({ id: dataSources.id, tenantId: dataSources.tenantId, s: dataSources.secretCiphertext, t: dataSources.tlsCiphertext })
        .from(dataSources)
        .where(or(isNotNull(dataSources.secretCiphertext), isNotNull(dataSources.tlsCiphertext)));
      const rules = await db.select({ id: alertRules.id, tenantId: alertRules.tenantId, s: alertRules.secretCiphertext }).from(alertRules);
      const out: StoredCiphertext[] = [];
      for (const d of ds) {
        if (d.s) out.push({ column: 'dataSource.secret', tenantId: d.tenantId, id: d.id, ciphertext: d.s });
        if (d.t) out.push({ column: 'dataSource.tls', tenantId: d.tenantId, id: d.id, ciphertext: d.t });
      }
      for (const r of rules) out.push({ column: 'alertRule.secret', tenantId: r.tenantId, id: r.id, ciphertext: r.s });
      return out;
    },
    /** Replaces `from` with `to`; false when the row changed meanwhile. */
    async replace(c: StoredCiphertext, to: string): Promise<boolean> {
      if (c.column === 'alertRule.secret') {
        const r = await db
          .update(alertRules)
          .set({ secretCiphertext: to })
          .where(and(eq(alertRules.tenantId, c.tenantId), eq(alertRules.id, c.id), eq(alertRules.secretCiphertext, c.ciphertext)))
          .returning({ id: alertRules.id });
        return r.length > 0;
      }
      const col = c.column === 'dataSource.secret' ? dataSources.secretCiphertext : dataSources.tlsCiphertext;
      const r = await db
        .update(dataSources)
        .set(c.column === 'dataSource.secret' ? { secretCiphertext: to } : { tlsCiphertext: to })
        .where(and(eq(dataSources.tenantId, c.tenantId), eq(dataSources.id, c.id), eq(col, c.ciphertext)))
        .returning({ id: dataSources.id });
      return r.length > 0;
    },
  };
}
