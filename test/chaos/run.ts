/**
 * `npm run chaos [-- --long] [-- --seed N] [-- --pairs MySQL->PG,PG->PG] [-- --faults restart-source,api-kill]`:
 * the fault-injection suite (chaos.ts) on its own private servers (instances.ts: CHAOS_PORT_BASE, CHAOS_ROOT)
 * and the local control-plane Postgres. The quick profile (default) is what CI runs
 * (test/integration/chaos-quick.test.ts); --long holds each network cut for 30-120 s and each restart for
 * 30-60 s over thirteen faults. Exit code 1 when any row was lost, extra or different, a fault was not
 * recovered from, or Sluice's verification disagrees.
 */
import { runChaos, type ChaosReport } from './chaos';
import { FAULT_KINDS, type FaultKind } from './faults';

export function failures(r: ChaosReport): string[] {
  const out: string[] = [];
  for (const x of r.rows) {
    if (x.recoveredS === null) out.push(`${x.fault} on ${x.pair}: not recovered`);
    if (x.lost + x.extra + x.different) out.push(`${x.fault} on ${x.pair}: ${x.lost} lost, ${x.extra} extra, ${x.different} different`);
  }
  for (const f of r.final) {
    if (f.lost + f.extra + f.different) out.push(`${f.pair} at the end: ${f.lost} lost, ${f.extra} extra, ${f.different} different`);
    if (f.verify.missing + f.verify.extra + f.verify.different + f.verify.mismatchedChunks)
      out.push(`${f.pair}: Sluice's verification disagrees (${JSON.stringify(f.verify)})`);
  }
  return out;
}

const isMain = process.argv[1]?.endsWith('run.ts');
if (isMain) {
  const args = process.argv.slice(2);
  const seedAt = args.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : undefined;
  const list = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1]!.split(',') : undefined);
  const faults = list('--faults');
  const bad = faults?.filter((f) => !(FAULT_KINDS as readonly string[]).includes(f));
  if (bad?.length) throw new Error(`unknown fault(s) ${bad.join(', ')}; known: ${FAULT_KINDS.join(', ')}`);
  runChaos(args.includes('--long') ? 'long' : 'quick', seed, console.log, { pairs: list('--pairs'), faults: faults as FaultKind[] | undefined })
    .then((r) => {
      const f = failures(r);
      if (f.length) console.error(`chaos: FAILED\n${f.join('\n')}`);
      process.exit(f.length ? 1 : 0);
    })
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
