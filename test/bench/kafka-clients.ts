/**
 * Kafka client benchmark (issue 16, item 7): kafkajs 2.2.4 against @platformatic/kafka on cluster A.
 *   npm run bench -- kafka-clients [--quick] [--runs 3] [--broker 127.0.0.1:19092]
 *
 * Each measurement runs in its own node process (kafka-clients-child.ts) so that its peak RSS is its own:
 *   - produce: N records of 100 B and of 10 KB to a 3-partition topic, ~512 KB per request, acks=all, idempotent;
 *   - consume: the same N records from the earliest offset (time from creating the consumer to the last record,
 *     group join included, as a job sees it; the time to the first record is shown too);
 *   - transactions: commit one transaction and abort another, each with records and a consumer group's offset;
 *     a read_committed consumer must see only the committed records and the group only the committed offset.
 * Median of --runs runs (clients interleaved). Prints a table; writes test/bench/results/kafka-clients.json.
 * Topics and groups are prefixed kafka-ops-bc-; the topics are deleted at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTopics, deleteTopics } from './lib/kafka-clients-kafkajs';
import { PARTITIONS, type ConsumeResult, type ProduceResult, type TxnResult } from './lib/kafka-clients-types';
import { markdownTable, parseArgs, runNodeChild } from './lib/util';

const here = dirname(fileURLToPath(import.meta.url));
const CLIENTS = ['kafkajs', 'platformatic'] as const;
type ClientName = (typeof CLIENTS)[number];

interface Sample<T> {
  result: T;
  peakRssMb: number;
}

async function child<T>(args: string[]): Promise<Sample<T>> {
  const r = await runNodeChild(['--import', 'tsx', join(here, 'kafka-clients-child.ts'), ...args], { timeoutMs: 15 * 60_000, env: { NODE_ENV: 'production' } });
  const line = /^RESULT (.*)$/m.exec(r.stdout)?.[1];
  if (r.code !== 0 || !line) throw new Error(`kafka-clients-child ${args.join(' ')} failed (${r.code}):\n${r.stderr.slice(-2000)}`);
  return { result: JSON.parse(line) as T, peakRssMb: r.peakRssMb };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

interface Row {
  client: ClientName;
  size: number;
  records: number;
  produceRecPerSec: number;
  produceMBps: number;
  produceRssMb: number;
  consumeRecPerSec: number;
  consumeMBps: number;
  consumeFirstRecordS: number;
  consumeRssMb: number;
  runs: { produce: Sample<ProduceResult>[]; consume: Sample<ConsumeResult>[] };
}

export async function main(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  const quick = a.quick === true;
  const runs = Number(a.runs ?? 3);
  const broker = typeof a.broker === 'string' ? a.broker : `127.0.0.1:${process.env.TEST_KAFKA_A_PORT ?? '19092'}`;
  const sizes: [number, number][] = quick
    ? [
        [100, 50_000],
        [10_240, 2_000],
      ]
    : [
        [100, 300_000],
        [10_240, 20_000],
      ];
  const stamp = Date.now().toString(36);
  const topics: string[] = [];
  const topic = (...parts: (string | number)[]) => {
    const t = `kafka-ops-bc-${stamp}-${parts.join('-')}`;
    topics.push(t);
    return t;
  };
  const rows: Row[] = [];
  const txn: Record<ClientName, TxnResult> = {} as Record<ClientName, TxnResult>;
  try {
    // Warm the broker (it runs slower for its first minute of load): an unmeasured produce.
    const warm = topic('warm');
    await createTopics(broker, [warm], PARTITIONS);
    for (const c of CLIENTS) await child<ProduceResult>([c, 'produce', broker, warm, '100', quick ? '20000' : '100000']);

    for (const [size, count] of sizes) {
      const produced: Record<ClientName, Sample<ProduceResult>[]> = { kafkajs: [], platformatic: [] };
      const consumed: Record<ClientName, Sample<ConsumeResult>[]> = { kafkajs: [], platformatic: [] };
      let readBack = '';
      for (let run = 1; run <= runs; run++) {
        for (const c of run % 2 ? CLIENTS : [...CLIENTS].reverse()) {
          const t = topic(c, size, run);
          await createTopics(broker, [t], PARTITIONS);
          const s = await child<ProduceResult>([c, 'produce', broker, t, String(size), String(count)]);
          produced[c].push(s);
          readBack ||= t;
          process.stderr.write(`[kafka-clients] produce ${c} ${size} B run ${run}: ${Math.round(count / s.result.seconds)} rec/s, ${s.peakRssMb} MB\n`);
        }
      }
      for (let run = 1; run <= runs; run++) {
        for (const c of run % 2 ? CLIENTS : [...CLIENTS].reverse()) {
          const s = await child<ConsumeResult>([c, 'consume', broker, readBack, String(count)]);
          consumed[c].push(s);
          process.stderr.write(`[kafka-clients] consume ${c} ${size} B run ${run}: ${Math.round(count / s.result.seconds)} rec/s, ${s.peakRssMb} MB\n`);
        }
      }
      for (const c of CLIENTS) {
        const pr = median(produced[c].map((s) => count / s.result.seconds));
        const cr = median(consumed[c].map((s) => count / s.result.seconds));
        rows.push({
          client: c,
          size,
          records: count,
          produceRecPerSec: Math.round(pr),
          produceMBps: Math.round((pr * size) / 1e5) / 10,
          produceRssMb: median(produced[c].map((s) => s.peakRssMb)),
          consumeRecPerSec: Math.round(cr),
          consumeMBps: Math.round((cr * size) / 1e5) / 10,
          consumeFirstRecordS: Math.round(median(consumed[c].map((s) => s.result.firstRecordSeconds)) * 100) / 100,
          consumeRssMb: median(consumed[c].map((s) => s.peakRssMb)),
          runs: { produce: produced[c], consume: consumed[c] },
        });
      }
    }
    for (const c of CLIENTS) txn[c] = (await child<TxnResult>([c, 'txn', broker, `kafka-ops-bc-${stamp}-txn-${c}`])).result;
  } finally {
    await deleteTopics(broker, topics).catch((e: unknown) => process.stderr.write(`[kafka-clients] could not delete topics: ${String(e)}\n`));
  }

  const ratio = (size: number, k: 'produceRecPerSec' | 'consumeRecPerSec') => {
    const kj = rows.find((r) => r.client === 'kafkajs' && r.size === size)![k];
    const pl = rows.find((r) => r.client === 'platformatic' && r.size === size)![k];
    return Math.round((pl / kj) * 100) / 100;
  };
  const ratios = Object.fromEntries(
    sizes.map(([size]) => [`${size}B`, { produce: ratio(size, 'produceRecPerSec'), consume: ratio(size, 'consumeRecPerSec') }]),
  );
  const table = markdownTable(
    ['client', 'record', 'produce rec/s', 'produce MB/s', 'produce peak RSS MB', 'consume rec/s', 'consume MB/s', 'first record s', 'consume peak RSS MB'],
    rows.map((r) => [
      r.client,
      r.size === 100 ? '100 B' : '10 KB',
      r.produceRecPerSec,
      r.produceMBps,
      r.produceRssMb,
      r.consumeRecPerSec,
      r.consumeMBps,
      r.consumeFirstRecordS,
      r.consumeRssMb,
    ]),
  );
  const txnTable = markdownTable(
    ['client', 'transactions work', 'read_committed saw (committed/aborted)', 'group offset after commit+abort', 'error'],
    CLIENTS.map((c) => [c, txn[c].works ? 'yes' : 'NO', `${txn[c].committedSeen}/${txn[c].abortedSeen}`, txn[c].groupOffset ?? '—', txn[c].error ?? '']),
  );
  process.stdout.write(`\n${table}\n\n${txnTable}\n\nplatformatic / kafkajs: ${JSON.stringify(ratios)}\n`);
  const out = join(here, 'results', 'kafka-clients.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        broker,
        quick,
        runs,
        versions: { kafkajs: '2.2.4', platformatic: '1.35.0', node: process.version },
        setup: `3 partitions, ~512 KB per produce request, acks=all, idempotent (max 1 in flight), one process per measurement; consume time from creating the consumer to the last record`,
        rows,
        transactions: txn,
        ratios,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`wrote ${out}\n`);
}
