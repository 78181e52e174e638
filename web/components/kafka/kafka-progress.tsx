'use client';

import { formatBytes } from '../../lib/format';
import { formatCount, formatKafkaLag, kafkaHeadline } from '../../lib/kafka-figures';
import type { KafkaProgress, KafkaTopicProgress } from '../../lib/ops/kafka';
import { Alert, Badge, ProgressBar } from '../ui';

function PartitionTable({ t, full }: { t: KafkaTopicProgress; full: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table stacked" aria-label={`Partitions of ${t.topic}`}>
        <thead>
          <tr>
            <th className="num">Partition</th>
            {full ? <th className="num">Copied / T0</th> : <th className="num">Copied</th>}
            {full ? <th className="num">%</th> : null}
            <th className="num">Next offset</th>
            <th className="num">End offset</th>
            <th className="num">Lag (messages)</th>
            <th className="num">Lag (s)</th>
          </tr>
        </thead>
        <tbody>
          {t.partitions.map((p) => (
            <tr key={p.partition} data-testid={`partition-${t.topic}-${p.partition}`}>
              <td data-label="Partition" className="num">
                {p.partition}
              </td>
              <td data-label="Copied" className="num mono">
                {formatCount(p.copied)}
                {full && p.toCopy ? ` / ${formatCount(p.toCopy)}` : ''}
              </td>
              {full ? (
                <td data-label="%" className="num">
                  {p.percent !== null && p.percent !== undefined ? `${p.percent}%` : '—'}
                </td>
              ) : null}
              <td data-label="Next" className="num mono">
                {formatCount(p.next)}
              </td>
              <td data-label="End" className="num mono">
                {formatCount(p.end)}
              </td>
              <td data-label="Lag" className="num mono" data-testid="partition-lag">
                {formatCount(p.lagMessages)}
              </td>
              <td data-label="Lag (s)" className="num">
                {p.lagSeconds !== null && p.lagSeconds !== undefined ? p.lagSeconds.toFixed(1) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A Kafka job's progress (Job.kafkaProgress): per topic and partition, copied of T0 in the full phase, then lag live. */
export function KafkaProgressCard({
  progress,
  problem,
  deadLetterTable,
}: {
  progress: KafkaProgress | null | undefined;
  problem: string | null | undefined;
  deadLetterTable: string | null;
}) {
  if (!progress && !problem) return null;
  const head = progress ? kafkaHeadline(progress) : null;
  const full = progress?.phase === 'FULL';
  return (
    <div className="card" data-testid="kafka-progress" data-phase={progress?.phase ?? ''}>
      <div className="card-head">
        <div>
          <h2>Topics and partitions</h2>
          {head ? (
            <p>
              <Badge tone={full ? 'info' : 'ok'}>{head.title}</Badge> <span data-testid="kafka-headline">{head.detail}</span>
              {progress?.bytesPerSecond ? ` · ${formatBytes(progress.bytesPerSecond)}/s` : ''}
            </p>
          ) : null}
        </div>
      </div>
      <div className="card-body stack">
        {problem ? (
          <Alert tone="warn" title="Kafka progress could not be read">
            {problem}
          </Alert>
        ) : null}
        {progress && progress.deadLetters !== null && progress.deadLetters !== undefined ? (
          <Alert
            tone={progress.deadLetters > 0 ? 'warn' : 'ok'}
            title={`${progress.deadLetters.toLocaleString('en')} record${progress.deadLetters === 1 ? '' : 's'} sent to the dead-letter table`}
          >
            <span data-testid="dead-letters">{progress.deadLetters}</span> record{progress.deadLetters === 1 ? '' : 's'} could not be applied; each is kept with
            its reason and offset
            {deadLetterTable ? (
              <>
                {' '}
                in <span className="mono">{deadLetterTable}</span> on the target
              </>
            ) : null}
            . The other partitions keep going.
          </Alert>
        ) : null}
        {progress?.topics.map((t) => (
          <details key={t.topic} data-testid={`kafka-topic-${t.topic}`} open={progress.topics.length <= 3}>
            <summary>
              <span className="row-between small" style={{ display: 'inline-flex', width: 'calc(100% - 20px)' }}>
                <span className="mono">
                  {t.topic}
                  {t.target !== t.topic ? ` → ${t.target}` : ''}
                </span>
                <span className="muted">
                  {full
                    ? `${formatCount(t.copied)}${t.toCopy ? ` of ${formatCount(t.toCopy)}` : ''} copied`
                    : `lag ${formatKafkaLag(t.lagMessages, t.maxLagSeconds)} · ${formatCount(t.copied)} copied`}{' '}
                  · {t.partitions.length} partition{t.partitions.length === 1 ? '' : 's'}
                </span>
              </span>
              {full ? <ProgressBar value={t.percent ?? 0} label={`${t.topic} copy progress`} tone={(t.percent ?? 0) >= 100 ? 'ok' : undefined} /> : null}
            </summary>
            <PartitionTable t={t} full={full} />
          </details>
        ))}
      </div>
    </div>
  );
}
