'use client';

import type { Dispatch } from 'react';
import { KAFKA_FORMATS } from '../../lib/ops/kafka';
import type { KafkaDraft, KafkaPair } from '../../lib/wizard/kafka-draft';
import type { WizardAction } from '../../lib/wizard/reducer';
import type { TopicNames } from '../../lib/wizard/use-topic-names';
import { Field } from '../ui';
import { KafkaTopicPreview } from './kafka-topic-preview';
import { KafkaTopicTables } from './kafka-topic-tables';
import { Section } from './section';

const TITLE: Record<KafkaPair, string> = { 'kafka-kafka': 'Kafka → Kafka', 'db-kafka': 'Database → Kafka', 'kafka-db': 'Kafka → database' };

function Check({ checked, onChange, label, hint }: { checked: boolean; onChange: (v: boolean) => void; label: string; hint: string }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>
        {label}
        <span className="muted small" style={{ display: 'block' }}>
          {hint}
        </span>
      </span>
    </label>
  );
}

function StartFrom({ k, errors, set }: { k: KafkaDraft; errors: Record<string, string>; set: (p: Partial<KafkaDraft>) => void }) {
  return (
    <div className="grid-2">
      <Field
        label="Start reading from"
        hint="Earliest copies every record up to T0 (each partition's end when the job starts), then continues live from T0 with no gap."
      >
        <select value={k.start} onChange={(e) => set({ start: e.target.value as KafkaDraft['start'] })}>
          <option value="earliest">Earliest (full, then live)</option>
          <option value="latest">Latest (only new records)</option>
          <option value="timestamp">A point in time</option>
        </select>
      </Field>
      {k.start === 'timestamp' ? (
        <Field label="From" required error={errors['kafka.timestamp']} hint="The first record at or after this time, in every partition.">
          <input type="datetime-local" step={1} value={k.timestamp} onChange={(e) => set({ timestamp: e.target.value })} />
        </Field>
      ) : null}
    </div>
  );
}

function KafkaToKafka({
  k,
  errors,
  set,
  names,
}: {
  k: KafkaDraft;
  errors: Record<string, string>;
  set: (p: Partial<KafkaDraft>) => void;
  names: TopicNames | null;
}) {
  return (
    <>
      <StartFrom k={k} errors={errors} set={set} />
      <fieldset>
        <legend>Target topic names</legend>
        <div className="segmented" role="radiogroup" aria-label="Target topic names">
          {(
            [
              ['same', 'Same names'],
              ['affix', 'Prefix / suffix'],
              ['map', 'Explicit map'],
            ] as const
          ).map(([v, l]) => (
            <label key={v}>
              <input type="radio" name="kafka-rename" checked={k.rename === v} onChange={() => set({ rename: v })} />
              {l}
            </label>
          ))}
        </div>
        {k.rename === 'affix' ? (
          <div className="grid-2">
            <Field label="Prefix" error={errors['kafka.topicPrefix']}>
              <input type="text" value={k.topicPrefix} onChange={(e) => set({ topicPrefix: e.target.value })} spellCheck={false} placeholder="mirror." />
            </Field>
            <Field label="Suffix" error={errors['kafka.topicSuffix']}>
              <input type="text" value={k.topicSuffix} onChange={(e) => set({ topicSuffix: e.target.value })} spellCheck={false} placeholder="-copy" />
            </Field>
          </div>
        ) : null}
        {k.rename === 'map' ? (
          <Field label="Topic map" error={errors['kafka.topicMap']} hint="One source=target per line; topics not listed keep their names.">
            <textarea
              rows={4}
              value={k.topicMap}
              onChange={(e) => set({ topicMap: e.target.value })}
              spellCheck={false}
              placeholder={'orders=orders-v2\npayments=billing.payments'}
            />
          </Field>
        ) : null}
        <KafkaTopicPreview names={names} what="topics" />
      </fieldset>
      <div className="grid-2">
        <Field label="Partitioning" hint="Same keeps each record's partition (the target needs as many); by key hash places it as Kafka's default partitioner.">
          <select value={k.partitioning} onChange={(e) => set({ partitioning: e.target.value as KafkaDraft['partitioning'] })}>
            <option value="auto">Same when the counts match, else by key hash</option>
            <option value="same">Always the same partition</option>
            <option value="hash">By key hash</option>
          </select>
        </Field>
        <Field
          label="Consumer groups to translate"
          error={errors['kafka.consumerGroups']}
          hint="Their committed offsets are translated to the target, so a consumer moved there resumes exactly where it stopped."
        >
          <input
            type="text"
            value={k.consumerGroups}
            onChange={(e) => set({ consumerGroups: e.target.value })}
            spellCheck={false}
            placeholder="billing, audit"
          />
        </Field>
      </div>
      <Check
        checked={k.createTopics}
        onChange={(v) => set({ createTopics: v })}
        label="Create missing target topics"
        hint="With the source's partition count and topic configs (cleanup.policy, retention, max.message.bytes, compaction)."
      />
    </>
  );
}

function DbToKafka({
  k,
  errors,
  set,
  names,
}: {
  k: KafkaDraft;
  errors: Record<string, string>;
  set: (p: Partial<KafkaDraft>) => void;
  names: TopicNames | null;
}) {
  return (
    <>
      <FormatChoice k={k} set={set} legend="Format written" />
      <div className="grid-2">
        <Field
          label="Topic template"
          required
          error={errors['kafka.topicTemplate']}
          hint="{prefix} {database} {schema} {table}; without {table} every table goes to one topic."
        >
          <input type="text" value={k.topicTemplate} onChange={(e) => set({ topicTemplate: e.target.value })} spellCheck={false} />
        </Field>
        <Field label="Prefix" error={errors['kafka.prefix']} hint="The value of {prefix}.">
          <input type="text" value={k.prefix} onChange={(e) => set({ prefix: e.target.value })} spellCheck={false} />
        </Field>
      </div>
      <KafkaTopicPreview names={names} what="tables" />
      <p className="small muted">
        The record key is the table's primary key. An update that changes the key is written as a delete for the old key and a create for the new one.
      </p>
      <div className="grid-2">
        <Check
          checked={k.tombstones}
          onChange={(v) => set({ tombstones: v })}
          label="Tombstone after each delete"
          hint="A null value for the deleted key, so compacted topics drop it."
        />
        <Check
          checked={k.transactionMarkers}
          onChange={(v) => set({ transactionMarkers: v })}
          label="Transaction markers"
          hint={`BEGIN and END with the event count on ${k.prefix || 'sluice'}.transaction.`}
        />
      </div>
      <Field label="DDL topic" error={errors['kafka.ddlTopic']} hint="Schema changes are written here; leave empty to write none.">
        <input
          type="text"
          value={k.ddlTopic}
          onChange={(e) => set({ ddlTopic: e.target.value })}
          spellCheck={false}
          placeholder={`${k.prefix || 'sluice'}.schema-changes`}
        />
      </Field>
    </>
  );
}

function FormatChoice({ k, set, legend }: { k: KafkaDraft; set: (p: Partial<KafkaDraft>) => void; legend: string }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="choice-grid" role="radiogroup" aria-label={legend}>
        {KAFKA_FORMATS.map((f) => (
          <label key={f.value} className="choice">
            <input type="radio" name="kafka-format" value={f.value} checked={k.format === f.value} onChange={() => set({ format: f.value })} />
            <span>
              <span className="choice-title">{f.label}</span>
              <span className="choice-desc" style={{ display: 'block' }}>
                {f.desc}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The Kafka options of the route on the options step: start and renames, or format and topic template, or topic maps and dead letters. */
export function StepKafka({
  draft,
  pair,
  errors,
  dispatch,
  names,
}: {
  draft: { kafka: KafkaDraft };
  pair: KafkaPair;
  errors: Record<string, string>;
  dispatch: Dispatch<WizardAction>;
  names: TopicNames | null;
}) {
  const k = draft.kafka;
  const set = (patch: Partial<KafkaDraft>) => dispatch({ type: 'kafka', patch });
  return (
    <Section title={`Kafka: ${TITLE[pair]}`} description="Which topics are read and written, and how records are carried.">
      <div className="stack" data-testid={`kafka-options-${pair}`}>
        {pair === 'kafka-kafka' ? <KafkaToKafka k={k} errors={errors} set={set} names={names} /> : null}
        {pair === 'db-kafka' ? <DbToKafka k={k} errors={errors} set={set} names={names} /> : null}
        {pair === 'kafka-db' ? (
          <>
            <StartFrom k={k} errors={errors} set={set} />
            <FormatChoice k={k} set={set} legend="Format of the topics read" />
            <KafkaTopicTables rows={k.topicTables} errors={errors} onChange={(rows) => set({ topicTables: rows })} />
            <Field
              label="Dead-letter table"
              error={errors['kafka.deadLetterTable']}
              hint="A record that cannot be applied goes here with the reason and its offset; the job continues and the job page counts them."
            >
              <input type="text" value={k.deadLetterTable} onChange={(e) => set({ deadLetterTable: e.target.value })} spellCheck={false} />
            </Field>
          </>
        ) : null}
      </div>
    </Section>
  );
}
