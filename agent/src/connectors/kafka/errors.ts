/**
 * Kafka client errors as classified ConnectorErrors, each with a fix: bad login, unreachable broker,
 * missing ACL, unknown topic, record too large, fenced producer. Works on kafkajs's error shapes
 * (name, type, code, cause chain) without importing kafkajs, so other clients' errors pass through too.
 */
import { ConnectorError } from '../connector-error';
import { isNetworkError } from '../errors';
import { tlsFailure } from '../../tls/client-tls';

interface KafkaishError {
  name?: unknown;
  type?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
  code?: unknown;
  retriable?: unknown;
  broker?: unknown;
  errors?: unknown;
}

/** The innermost error with a Kafka protocol type, a SASL or connection failure, following causes. */
function chain(e: unknown): KafkaishError[] {
  const out: KafkaishError[] = [];
  let cur: unknown = e;
  for (let i = 0; i < 6 && cur && typeof cur === 'object'; i++) {
    const k = cur as KafkaishError;
    out.push(k);
    if (Array.isArray(k.errors) && k.errors.length) {
      cur = k.errors[0];
      continue;
    }
    cur = k.cause ?? k.originalError;
  }
  return out;
}

const AUTHZ: Record<string, string> = {
  TOPIC_AUTHORIZATION_FAILED: 'the user lacks an ACL on the topic (Read for a source; Write, Describe and Create for a target)',
  GROUP_AUTHORIZATION_FAILED: 'the user lacks Read on the consumer group (grant Read on groups prefixed "sluice-")',
  CLUSTER_AUTHORIZATION_FAILED: 'the user lacks a cluster ACL (IdempotentWrite for the target; Create to create topics; Describe)',
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'the user lacks Write and Describe on transactional ids prefixed "sluice-"',
  DELEGATION_TOKEN_AUTHORIZATION_FAILED: 'the user lacks the delegation-token ACL',
};

export interface KafkaErrorContext {
  /** What was being done, for the message: "reading topic orders", "connecting". */
  what: string;
  brokers?: string[];
  topic?: string;
}

export function classifyKafkaError(e: unknown, ctx: KafkaErrorContext): ConnectorError {
  if (e instanceof ConnectorError) return e;
  const errs = chain(e);
  const msg = errs.map((x) => (typeof x.message === 'string' ? x.message : '')).find((m) => m) ?? String(e);
  const at = ctx.brokers?.length ? ` at ${ctx.brokers.join(',')}` : '';
  const prefix = `${ctx.what}: `;
  const table = ctx.topic ? { table: ctx.topic } : {};
  const mk = (message: string, init: ConstructorParameters<typeof ConnectorError>[1]) => new ConnectorError(prefix + message, { ...table, ...init, cause: e });

  const tls = errs.map((x) => tlsFailure(x)).find((f) => f);
  if (tls) return mk(`Kafka${at}: ${tls.message}`, { class: 'config', code: 'TLS_FAILED', retryable: false, fix: tls.fix });
  for (const x of errs) {
    const name = typeof x.name === 'string' ? x.name : '';
    const type = typeof x.type === 'string' ? x.type : '';
    if (
      name === 'KafkaJSSASLAuthenticationError' ||
      type === 'SASL_AUTHENTICATION_FAILED' ||
      /SASL .*authentication failed|Authentication failed/i.test(typeof x.message === 'string' ? x.message : '')
    ) {
      return mk(`the Kafka login was refused${at} (${msg})`, {
        class: 'config',
        code: 'AUTH_FAILED',
        retryable: false,
        fix: 'check the SASL mechanism, user name and password of the data source',
      });
    }
    if (type === 'UNSUPPORTED_SASL_MECHANISM' || type === 'ILLEGAL_SASL_STATE') {
      return mk(`the broker does not accept this SASL mechanism${at} (${msg})`, {
        class: 'config',
        code: 'AUTH_FAILED',
        retryable: false,
        fix: 'choose the SASL mechanism the listener is configured with (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)',
      });
    }
    if (AUTHZ[type]) return mk(`not authorized (${type})`, { class: 'config', code: 'NOT_AUTHORIZED', retryable: false, fix: `grant the ACL: ${AUTHZ[type]}` });
    if ((type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'UNKNOWN_TOPIC_ID') && ctx.what.startsWith('writing')) {
      // A topic the job just created may not be known to every broker yet: retried; one deleted under the job fails after the wait budget.
      return mk(`target topic ${ctx.topic ?? ''} is not known to the broker (yet)`.replace('topic  ', 'topic '), {
        class: 'transient',
        code: 'TOPIC_MISSING',
        retryable: true,
        fix: 'if the topic was deleted while the job ran, restart the job so that it creates it again',
      });
    }
    if (type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'UNKNOWN_TOPIC_ID') {
      return mk(`topic ${ctx.topic ?? ''} does not exist`.replace('topic  ', 'the topic '), {
        class: 'config',
        code: 'TOPIC_MISSING',
        retryable: false,
        fix: 'create the topic, check its name, or let the job create it (job.kafka.createTopics)',
      });
    }
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') {
      return mk(`a record is larger than the topic's max.message.bytes (${msg})`, {
        class: 'config',
        code: 'RECORD_TOO_LARGE',
        retryable: false,
        fix: "raise max.message.bytes on the target topic (and the broker's message.max.bytes) to at least the source topic's",
      });
    }
    if (type === 'INVALID_RECORD' || type === 'CORRUPT_MESSAGE' || type === 'INVALID_TIMESTAMP') {
      return mk(`the broker rejected a record (${type}: ${msg})`, {
        class: 'config',
        code: 'RECORD_REJECTED',
        retryable: false,
        fix: "a compacted topic (cleanup.policy=compact) needs a key on every record, and the topic's message.timestamp.*.ms bounds must accept the records' timestamps: compare the target topic's configs with the source's",
      });
    }
    if (type === 'INVALID_PRODUCER_EPOCH' || type === 'PRODUCER_FENCED' || type === 'TRANSACTIONAL_ID_NOT_FOUND' || type === 'INVALID_PRODUCER_ID_MAPPING') {
      return mk(`the producer was fenced by a newer one with the same transactional id (${type})`, {
        class: 'transient',
        code: 'FENCED',
        retryable: true,
        fix: 'another agent took over this job; nothing to do',
      });
    }
    if (type === 'POLICY_VIOLATION' || type === 'INVALID_CONFIG' || type === 'INVALID_REPLICATION_FACTOR' || type === 'INVALID_PARTITIONS') {
      return mk(`the broker refused the topic (${type}: ${msg})`, {
        class: 'config',
        code: 'TOPIC_REFUSED',
        retryable: false,
        fix: "create the topic yourself with the plan's partitions and configs, or adjust the broker's topic policy",
      });
    }
    if (type === 'TOPIC_ALREADY_EXISTS')
      return mk(`the topic already exists`, { class: 'config', code: 'TOPIC_EXISTS', retryable: false, fix: 'the job uses the existing topic; re-plan' });
    if (type === 'UNSUPPORTED_VERSION' || name === 'KafkaJSServerDoesNotSupportApiKey') {
      return mk(`the broker does not support a request Sluice needs (${msg})`, {
        class: 'config',
        code: 'UNSUPPORTED',
        retryable: false,
        fix: 'use Kafka 2.5 or later (transactions and the request versions Sluice uses)',
      });
    }
  }
  for (const x of errs) {
    const name = typeof x.name === 'string' ? x.name : '';
    if (
      name === 'KafkaJSConnectionError' ||
      name === 'KafkaJSConnectionClosedError' ||
      name === 'KafkaJSNoBrokerAvailableError' ||
      name === 'KafkaJSBrokerNotFound' ||
      name === 'KafkaJSRequestTimeoutError' ||
      isNetworkError(x)
    ) {
      return mk(`cannot reach the Kafka brokers${at} (${msg})`, {
        class: 'transient',
        code: 'UNREACHABLE',
        fix: 'check the broker addresses (host:port of a listener this agent can reach), the firewall, and that the brokers run; the advertised listeners must be reachable too',
      });
    }
  }
  const retriable = errs.some((x) => x.retriable === true);
  return mk(`Kafka error: ${msg}`, { class: retriable ? 'transient' : 'system', code: 'KAFKA_ERROR', retryable: retriable });
}
