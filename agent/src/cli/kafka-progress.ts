/**
 * `sluice-agent run` progress lines for a job with a Kafka source or target (`progress.kafka`,
 * protocol/kafka-shapes.ts): the phase with records copied of T0 and the rate, then per partition what
 * it copied of T0 (full phase) or its lag in messages and seconds (live), and the dead-letter count.
 * Offsets are int64 text: sums and percentages go through BigInt, never a JS number.
 */
import { kafkaProgressSchema, type KafkaProgress } from '../protocol/kafka-shapes';

/** progress.kafka when the engine's progress carries a readable one, else null. */
export function kafkaProgressOf(p: unknown): KafkaProgress | null {
  const raw = p && typeof p === 'object' ? (p as { kafka?: unknown }).kafka : undefined;
  if (raw === undefined) return null;
  const r = kafkaProgressSchema.safeParse(raw);
  return r.success ? r.data : null;
}

const group = (s: string) => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const secs = (s: number | undefined) => (s === undefined ? '' : ` ${s < 10 ? s.toFixed(1) : Math.round(s)}s`);

/** What a partition still has to copy up to T0, and the percentage done (null without a T0). */
function ofT0(pp: KafkaProgress['topics'][number]['partitions'][number]): { toCopy: bigint; pct: string } | null {
  if (pp.t0 === undefined) return null;
  const left = BigInt(pp.t0) > BigInt(pp.next) ? BigInt(pp.t0) - BigInt(pp.next) : 0n;
  const toCopy = BigInt(pp.copied) + left;
  const pct = toCopy > 0n ? Number((BigInt(pp.copied) * 1000n) / toCopy) / 10 : 100;
  return { toCopy, pct: `${pct.toFixed(1)}%` };
}

/** The terminal lines: a headline and one line per partition (at most `maxPartitions`). */
export function formatKafkaProgress(k: KafkaProgress, maxPartitions = 24): string[] {
  let copied = 0n;
  let toCopy = 0n;
  let lag = 0n;
  let parts = 0;
  const rows: string[] = [];
  for (const t of k.topics) {
    for (const pp of t.partitions) {
      parts++;
      copied += BigInt(pp.copied);
      lag += BigInt(pp.lagMessages);
      const o = ofT0(pp);
      if (o) toCopy += o.toCopy;
      if (rows.length >= maxPartitions) continue;
      const name = `${t.topic}[${pp.partition}]`.slice(0, 40).padEnd(40);
      rows.push(
        k.phase === 'full' && o
          ? `  ${name} ${group(pp.copied)}/${group(o.toCopy.toString())} ${o.pct}  lag ${group(pp.lagMessages)}${secs(pp.lagSeconds)}`
          : `  ${name} lag ${group(pp.lagMessages)} msgs${secs(pp.lagSeconds)}  next ${group(pp.next)} end ${group(pp.end)}`,
      );
    }
  }
  const rate = k.recordsPerSecond !== undefined ? `  ${group(String(Math.round(k.recordsPerSecond)))} records/s` : '';
  const dead = k.deadLetters !== undefined ? `  dead letters ${group(String(k.deadLetters))}` : '';
  const head =
    k.phase === 'full'
      ? `kafka  full ${group(copied.toString())}/${group(toCopy.toString())} records${toCopy > 0n ? ` (${(Number((copied * 1000n) / toCopy) / 10).toFixed(1)}%)` : ''}${rate}${dead}`
      : `kafka  live lag ${group(lag.toString())} msgs over ${parts} partitions${rate}${dead}`;
  if (parts > maxPartitions) rows.push(`  … ${parts - maxPartitions} more partitions`);
  return [head, ...rows];
}

/** The one-line form for logs (not a terminal). */
export function formatKafkaPlain(k: KafkaProgress): string {
  const lines = formatKafkaProgress(k, 0);
  return lines[0]!.replace(/^kafka\s+/, 'kafka: ');
}
