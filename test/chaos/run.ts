/**
 * `npm run chaos [-- --long] [-- --seed N]`: the fault-injection suite (chaos.ts) against the
 * test services (`bash test/services/up.sh`), the local control-plane Postgres and Redis.
 * The quick profile (default, about 3 minutes) is what CI runs (test/integration/chaos-quick.test.ts);
 * --long holds each network cut for 30-120 s over ten faults. Exit code 1 when any row was lost,
 * extra or different, a fault was not recovered from, or Sluice's verification disagrees.
 */
import { runChaos, type ChaosReport } from './chaos';

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
  runChaos(args.includes('--long') ? 'long' : 'quick', seed)
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
