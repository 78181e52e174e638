/**
 * Kafka figures as people read them, pure. Offsets and counts arrive as int64 decimal text (GraphQL String):
 * they are grouped as text, never through a JS number, so 9007199254740993 stays exact.
 */
import type { JobFigures } from './job-figures';
import type { KafkaProgress, KafkaTopic } from './ops/kafka';

/** `12345678` -> `12,345,678`; null/empty -> an em dash. Exact for any length. */
export function formatCount(v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const m = /^(-?)(\d+)$/.exec(v);
  if (!m) return v;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

/** Bytes given as decimal text, as a number for formatBytes (exact enough for display). */
export function bytesOf(v: string | null | undefined): number | null {
  return v === null || v === undefined || v === '' ? null : Number(v);
}

/** Lag of a partition or topic: "caught up", "1,204 messages · 3.2 s". */
export function formatKafkaLag(messages: string, seconds: number | null | undefined): string {
  if (messages === '0' && !seconds) return 'caught up';
  const m = `${formatCount(messages)} message${messages === '1' ? '' : 's'}`;
  return seconds === null || seconds === undefined ? m : `${m} · ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
}

/** The headline of a Kafka job: what the full phase copied of T0, or the live lag. */
export function kafkaHeadline(p: KafkaProgress): { title: string; detail: string } {
  const rate = p.recordsPerSecond !== null && p.recordsPerSecond !== undefined ? `${Math.round(p.recordsPerSecond).toLocaleString('en')} records/s` : null;
  if (p.phase === 'FULL') {
    const of = p.toCopy !== null && p.toCopy !== undefined ? ` of ${formatCount(p.toCopy)}` : '';
    const pc = p.percent !== null && p.percent !== undefined ? ` (${p.percent.toFixed(p.percent < 10 ? 1 : 0)}%)` : '';
    return { title: 'Copying up to T0', detail: [`${formatCount(p.copied)}${of} records${pc}`, rate].filter(Boolean).join(' · ') };
  }
  return {
    title: 'Live',
    detail: [`lag ${formatKafkaLag(p.lagMessages, p.maxLagSeconds)}`, rate, `${p.partitionCount} partition${p.partitionCount === 1 ? '' : 's'}`]
      .filter(Boolean)
      .join(' · '),
  };
}

/** Topic configs worth a column in the topic list (the rest sit behind the details). */
export function headlineConfigs(t: Pick<KafkaTopic, 'configs'>): string {
  const get = (n: string) => t.configs.find((c) => c.name === n)?.value;
  const parts = [get('cleanup.policy'), get('retention.ms') ? `retention ${retention(get('retention.ms')!)}` : null].filter(Boolean);
  return parts.join(' · ');
}

function retention(ms: string): string {
  if (ms === '-1') return 'forever';
  const n = Number(ms);
  if (!Number.isFinite(n)) return ms;
  const days = n / 86_400_000;
  return days >= 1 ? `${Number.isInteger(days) ? days : days.toFixed(1)} d` : `${Math.round(n / 3_600_000)} h`;
}

/** A sample key or value for display: text as is (React escapes it), binary marked as base64; null is a tombstone/no key. */
export function sampleText(v: string | null | undefined, encoding: string): { text: string; note: string | null } {
  if (v === null || v === undefined) return { text: 'null', note: null };
  if (encoding === 'base64') return { text: v, note: 'binary, shown as base64' };
  return { text: v, note: null };
}

/**
 * A Kafka source has no tables: the headline figures come from progress.kafka instead (records copied of T0,
 * records/s and the time left in the full phase; live, records/s as the change rate, the summed lag as the
 * backlog and the largest partition lag as the lag). Jobs whose figures come from tables are left as they are.
 */
export function withKafkaFigures(f: JobFigures, k: KafkaProgress | null | undefined): JobFigures {
  if (!k || f.tables.length > 0 || f.cdc) return f;
  const rate = k.recordsPerSecond ?? null;
  if (k.phase === 'FULL') {
    const loaded = Number(k.copied);
    const total = k.toCopy ? Number(k.toCopy) : null;
    return {
      ...f,
      phase: f.phase ?? 'loading',
      loaded,
      loadTotal: total,
      loadRate: rate,
      loadEtaSeconds: total !== null && rate ? Math.max(0, total - loaded) / rate : f.loadEtaSeconds,
    };
  }
  const lagMs = k.maxLagSeconds !== null && k.maxLagSeconds !== undefined ? k.maxLagSeconds * 1000 : null;
  return {
    ...f,
    phase: 'cdc',
    loaded: Math.max(f.loaded, Number(k.copied)),
    cdcEvents: f.cdcEvents,
    cdc: {
      events: null,
      eventsPerSec: rate,
      lagP50Ms: lagMs,
      lagP99Ms: null,
      backlog: Number(k.lagMessages),
      backlogBytes: null,
      secondsUntilPurge: null,
      position: null,
      tables: {},
    },
  };
}
