/**
 * The plan's schema objects as `sluice-agent run` prints them (issue 15 item 3): a count per
 * status, then each object with what happens to it: the target DDL of a translation, the
 * reason and fix of an object not carried, and after a run the objects that failed.
 */
import { objectPlanSchema, type ObjectPlanEntry } from '../protocol/objects-shapes';

const oneLine = (s: string, max = 160) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

/** Lines for the summary; none when the result has no objects. `ran`: after a real run (results shown). */
export function objectLines(raw: unknown, ran: boolean): string[] {
  const parsed = objectPlanSchema.safeParse(raw);
  if (!parsed.success || parsed.data.length === 0) return [];
  const objects = parsed.data;
  const count = (s: ObjectPlanEntry['status']) => objects.filter((o) => o.status === s).length;
  const failed = objects.filter((o) => o.result === 'failed');
  const lines = [
    `  schema objects: ${count('carried')} carried, ${count('translated')} translated, ${count('not_carried')} not carried${ran && failed.length ? `, ${failed.length} failed` : ''}`,
  ];
  for (const o of objects) {
    const what = `${o.kind.replace(/_/g, ' ')} ${o.name}`;
    if (o.status === 'not_carried') {
      lines.push(`    not carried: ${what}: ${o.reason ?? ''}`);
      if (o.fix) lines.push(`      fix: ${oneLine(o.fix, 300)}`);
      if (o.sourceDdl) lines.push(`      source: ${oneLine(o.sourceDdl)}`);
    } else if (o.result === 'failed') {
      lines.push(`    failed: ${what}: ${o.error ?? 'unknown error'}`);
    } else if (!ran) {
      lines.push(`    ${o.status}: ${what}${o.when === 'after_load' ? ' (after the load)' : ''}${o.note ? `; ${o.note}` : ''}`);
      if (o.status === 'translated') for (const d of o.ddl) lines.push(`      -> ${oneLine(d)}`);
    }
  }
  return lines;
}
