import { describe, expect, it } from 'vitest';
import { classifyKafkaError } from './errors';

const protocol = (type: string) => Object.assign(new Error(`protocol ${type}`), { name: 'KafkaJSProtocolError', type, retriable: false });

describe('Kafka error classification', () => {
  it('names what to fix for a bad login, a missing ACL, a missing topic and a record too large', () => {
    const sasl = Object.assign(new Error('SASL SCRAM-SHA-256 authentication failed: Authentication failed'), { name: 'KafkaJSSASLAuthenticationError' });
    expect(classifyKafkaError(sasl, { what: 'connecting', brokers: ['b:9092'] })).toMatchObject({
      code: 'AUTH_FAILED',
      class: 'config',
      retryable: false,
      fix: expect.stringContaining('password'),
    });
    expect(classifyKafkaError(protocol('TOPIC_AUTHORIZATION_FAILED'), { what: 'reading' })).toMatchObject({
      code: 'NOT_AUTHORIZED',
      fix: expect.stringContaining('ACL'),
    });
    expect(classifyKafkaError(protocol('UNKNOWN_TOPIC_OR_PARTITION'), { what: 'reading', topic: 'orders' })).toMatchObject({
      code: 'TOPIC_MISSING',
      table: 'orders',
      message: 'reading: topic orders does not exist',
    });
    expect(classifyKafkaError(protocol('MESSAGE_TOO_LARGE'), { what: 'writing' })).toMatchObject({ code: 'RECORD_TOO_LARGE', class: 'config' });
  });

  it('treats an unreachable broker as transient, through the retry wrapper', () => {
    const conn = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { name: 'KafkaJSConnectionError', code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: conn });
    expect(classifyKafkaError(wrapped, { what: 'connecting', brokers: ['127.0.0.1:1'] })).toMatchObject({
      code: 'UNREACHABLE',
      class: 'transient',
      retryable: true,
      fix: expect.stringContaining('broker addresses'),
    });
  });

  it('says a fenced producer is another agent taking over', () => {
    expect(classifyKafkaError(protocol('PRODUCER_FENCED'), { what: 'committing' })).toMatchObject({ code: 'FENCED', class: 'transient' });
  });
});
