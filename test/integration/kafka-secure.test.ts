/**
 * Kafka connections with SASL and TLS (issue 16, item 5), through the agent's Kafka connection check, on
 * cluster c (test/services/kafka-c.sh: SASL_SSL, a test CA, PLAIN and SCRAM users, StandardAuthorizer).
 * Every failure must say what to fix: a wrong password, a wrong CA, an unreachable broker, a missing ACL.
 */
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConnection, type CheckResult } from '../../agent/src/connectors';
import { ConnectorError } from '../../agent/src/connectors/connector-error';
import { KafkaSide } from '../../agent/src/connectors/kafka/side';
import { kafkaC, type KafkaC } from '../support/kafka-secure';
import { uniqueName } from '../support/services';

let c: KafkaC;
const topics: string[] = [];

beforeAll(async () => {
  c = await kafkaC();
}, 200_000);

afterAll(async () => {
  if (!c) return;
  await c.withAdmin(async (a) => {
    const existing = new Set(await a.listTopics());
    const mine = topics.filter((t) => existing.has(t));
    if (mine.length) await a.deleteTopics({ topics: mine });
    // Every ACL a test granted (prefixed sluice-check- / kafka-ops-): match any pattern, principal and operation.
    const any = { resourcePatternType: ResourcePatternTypes.MATCH, operation: AclOperationTypes.ANY, permissionType: AclPermissionTypes.ANY };
    await a.deleteAcls({
      filters: [
        { resourceType: AclResourceTypes.TOPIC, resourceName: 'sluice-check-x', ...any },
        { resourceType: AclResourceTypes.TOPIC, resourceName: 'kafka-ops-x', ...any },
        { resourceType: AclResourceTypes.GROUP, resourceName: 'kafka-ops-x', ...any },
      ],
    });
  });
});

const check = (name: string, r: CheckResult) => r.checks.find((x) => x.name === name);
const failure = (r: CheckResult) => r.checks.find((x) => !x.ok);

describe('Kafka over SASL_SSL with a CA-verified certificate', () => {
  it.each([
    ['PLAIN', 'alice'],
    ['SCRAM-SHA-256', 'scram256'],
    ['SCRAM-SHA-512', 'scram512'],
  ] as const)(
    'logs in with %s and verifies the broker certificate against the CA given',
    async (mechanism, user) => {
      const r = await checkConnection(c.connection(user), 'source');
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(check('connect', r)?.message).toContain(`logged in as ${user} (SASL ${mechanism})`);
      expect(r.tls).toMatchObject({ encrypted: true, verified: true, mode: 'verify-full' });
      expect(check('version', r)?.ok).toBe(true);
    },
    60_000,
  );

  it('a wrong password fails the login and says to fix the password', async () => {
    for (const user of ['alice', 'scram256'] as const) {
      const r = await checkConnection(c.connection(user, { password: 'not-the-password' }), 'source');
      expect(r.ok).toBe(false);
      const f = failure(r)!;
      expect(f.name).toBe('login');
      expect(`${f.message} ${f.fix}`).toMatch(/password/i);
      expect(f.message).not.toContain('not-the-password');
    }
  }, 60_000);

  it('a CA that did not sign the broker certificate fails and says to give the right CA', async () => {
    const r = await checkConnection(c.connection('alice', { ca: c.otherCa }), 'source');
    expect(r.ok).toBe(false);
    const f = failure(r)!;
    expect(f.message).toMatch(/certificate|CA/i);
    expect(f.fix).toMatch(/CA/);
  }, 60_000);

  it('an unreachable broker fails and names the address and what to check', async () => {
    const r = await checkConnection(c.connection('alice', { brokers: ['127.0.0.1:39099'] }), 'source');
    expect(r.ok).toBe(false);
    const f = failure(r)!;
    expect(f.name).toBe('connect');
    expect(f.message).toContain('127.0.0.1:39099');
    expect(f.fix).toBeTruthy();
  }, 60_000);

  it('a user without ACLs is told which ACL is missing; granting it fixes the check', async () => {
    const before = await checkConnection(c.connection('scram512'), 'target');
    const create = check('create topics', before)!;
    expect(create.ok).toBe(false);
    expect(create.fix).toMatch(/ACL|Create/);
    const tx = check('transactions', before)!;
    expect(tx.ok).toBe(false);
    expect(tx.fix).toMatch(/transactional id|ACL/i);

    // The check probes topic names starting "sluice-check-"; grant Create on that prefix.
    await c.grant('scram512', 'sluice-check-', ['create', 'describe']);
    const after = await checkConnection(c.connection('scram512'), 'target');
    expect(check('create topics', after)?.ok, JSON.stringify(after)).toBe(true);
  }, 90_000);

  it('reading a topic without a Read ACL is refused, and granted it works', async () => {
    const topic = uniqueName('kafka-ops-acl');
    topics.push(topic);
    await c.withAdmin((a) => a.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true }));
    const side = new KafkaSide(c.connection('alice'));
    try {
      const denied = await (await side.admin()).describeTopics([topic]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(denied).toBeInstanceOf(ConnectorError);
      expect((denied as ConnectorError).code).toBe('NOT_AUTHORIZED');
      expect((denied as ConnectorError).fix).toMatch(/grant the ACL/);
    } finally {
      await side.close();
    }
    await c.grant('alice', 'kafka-ops-', ['read', 'describe']);
    const granted = new KafkaSide(c.connection('alice'));
    try {
      const [meta] = await (await granted.admin()).describeTopics([topic]);
      expect(meta?.partitions).toHaveLength(1);
    } finally {
      await granted.close();
    }
  }, 90_000);
});
