/**
 * `sluice-agent kafka translate-offsets --spec job.json [--group G] [--dry-run] [--every SECONDS] [--json]`:
 * the consumer switch-over of a Kafka -> Kafka job (connectors/kafka/switch-over.ts), on demand or every N seconds.
 */
import { kafkaJobSchema, targetTopicName } from '../protocol';
import { asKafka } from '../connectors/kafka/connection';
import { KafkaSide } from '../connectors/kafka/side';
import { describeOutcome, translateGroups, type GroupOutcome } from '../connectors/kafka/switch-over';
import { commandHelp, parseFlags, UsageError } from './options';
import { loadSpec } from './spec-input';

const json = (outcomes: GroupOutcome[]) => JSON.stringify(outcomes, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);

export async function kafkaCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') {
    process.stdout.write(commandHelp('kafka'));
    return sub ? 0 : 2;
  }
  if (sub !== 'translate-offsets') throw new UsageError(`unknown kafka command "${sub}": use translate-offsets (sluice-agent kafka --help)`);
  const f = parseFlags('kafka', rest);
  if (f.help) {
    process.stdout.write(commandHelp('kafka'));
    return 0;
  }
  if (typeof f.spec !== 'string') throw new UsageError('translate-offsets needs --spec job.json: the standalone spec of the Kafka -> Kafka job');
  const { spec } = await loadSpec(f.spec, { env: process.env });
  if (spec.source.kind !== 'kafka' || spec.target?.kind !== 'kafka')
    throw new UsageError(
      `--spec ${f.spec} is a ${spec.source.kind} -> ${spec.target?.kind ?? 'nothing'} job: consumer groups are translated only for Kafka -> Kafka jobs`,
    );
  const k = kafkaJobSchema.parse(spec.job.kafka ?? {});
  const groups =
    typeof f.group === 'string'
      ? f.group
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean)
      : k.consumerGroups;
  if (!groups.length) throw new UsageError(`--spec ${f.spec} names no consumer group (job.kafka.consumerGroups): give --group G`);
  const every = typeof f.every === 'string' ? Number(f.every) : 0;
  if (!Number.isFinite(every) || every < 0) throw new UsageError(`--every ${String(f.every)}: give a number of seconds`);

  const source = new KafkaSide(asKafka(spec.source));
  const target = new KafkaSide(asKafka(spec.target));
  const opts = { jobId: spec.jobId, groups, targetTopicOf: (t: string) => targetTopicName(t, k), partitioning: k.partitioning, dryRun: f['dry-run'] === true };
  let stop = false;
  const onSignal = () => {
    stop = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for (;;) {
      const outcomes = await translateGroups(source, target, opts);
      if (f.json === true) process.stdout.write(`${json(outcomes)}\n`);
      else process.stdout.write(`${new Date().toISOString()} job ${spec.jobId}\n${outcomes.flatMap(describeOutcome).join('\n')}\n`);
      const incomplete = outcomes.some((g) => g.status === 'active' || g.partitions.some((p) => p.status !== 'exact'));
      if (!every || stop) return incomplete ? 3 : 0;
      for (let waited = 0; waited < every * 1000 && !stop; waited += 200) await new Promise((r) => setTimeout(r, 200));
      if (stop) return incomplete ? 3 : 0;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await source.close();
    await target.close();
  }
}
