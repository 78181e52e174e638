/**
 * Kafka cluster "c" (test/services/kafka-c.sh): SASL_SSL on 127.0.0.1:$TEST_KAFKA_C_PORT (39092), a broker
 * certificate signed by a test CA, SASL PLAIN and SCRAM users, StandardAuthorizer with admin as super user.
 * Opt-in: `await kafkaC()` starts it once (idempotent, ~20 s the first time) and returns how to reach it.
 * The test files that use it leave it running for the next; `bash test/services/kafka-c.sh down` stops it.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, ResourcePatternTypes, logLevel, type Admin } from 'kafkajs';
import type { Connection } from '../../agent/src/protocol';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = process.env.SLUICE_TEST_ROOT ?? '/var/tmp/sluice-test';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** The test users of cluster c (fixtures, not secrets: kafka-c.sh creates them). */
export const KAFKA_C_USERS = {
  admin: { mechanism: 'plain', username: 'admin', password: 'admin-secret' },
  alice: { mechanism: 'plain', username: 'alice', password: 'alice-secret' },
  scram256: { mechanism: 'scram-sha-256', username: 'scram256', password: 'scram256-secret' },
  scram512: { mechanism: 'scram-sha-512', username: 'scram512', password: 'scram512-secret' },
} as const satisfies Record<string, { mechanism: SaslMechanism; username: string; password: string }>;
export type KafkaCUser = keyof typeof KAFKA_C_USERS;

export interface KafkaC {
  broker: string;
  /** The test CA that signed the broker's certificate (PEM). */
  ca: string;
  /** Another CA that signed nothing of cluster c: a wrong CA. */
  otherCa: string;
  /** A Kafka data-source connection for a user (verify-full TLS with the test CA unless overridden). */
  connection(user: KafkaCUser, over?: { password?: string; ca?: string; brokers?: string[] }): Extract<Connection, { kind: 'kafka' }>;
  /** An admin client logged in as the super user, for ACLs and cleanup. */
  withAdmin<T>(fn: (a: Admin) => Promise<T>): Promise<T>;
  /** Grants `user` the operations on topics (and consumer groups) whose names start with `prefix`. */
  grant(user: KafkaCUser, prefix: string, ops: ('read' | 'write' | 'create' | 'describe')[]): Promise<void>;
}

let started: Promise<void> | null = null;

export async function kafkaC(): Promise<KafkaC> {
  started ??= run('bash', [path.join(here, '../services/kafka-c.sh'), 'up'], { timeout: 180_000 }).then(
    () => undefined,
    (e: Error & { stderr?: string }) => {
      started = null;
      throw new Error(`could not start Kafka cluster c (bash test/services/kafka-c.sh up): ${e.stderr ?? e.message}`);
    },
  );
  await started;
  const port = process.env.TEST_KAFKA_C_PORT ?? '39092';
  const broker = `127.0.0.1:${port}`;
  const tlsDir = path.join(root, 'kafka', 'c', 'tls');
  const ca = readFileSync(path.join(tlsDir, 'ca.pem'), 'utf8');
  const otherCa = readFileSync(path.join(tlsDir, 'other-ca.pem'), 'utf8');

  const withAdmin = async <T>(fn: (a: Admin) => Promise<T>): Promise<T> => {
    const { mechanism, username, password } = KAFKA_C_USERS.admin;
    const admin = new Kafka({
      clientId: 'sluice-test-kafka-c',
      brokers: [broker],
      logLevel: logLevel.NOTHING,
      ssl: { ca: [ca] },
      sasl: { mechanism, username, password },
    }).admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  };

  return {
    broker,
    ca,
    otherCa,
    connection(user, over = {}) {
      const u = KAFKA_C_USERS[user];
      return {
        kind: 'kafka',
        config: {
          brokers: over.brokers ?? [broker],
          clientId: 'sluice-test',
          tls: { mode: 'verify-full' },
          sasl: { mechanism: u.mechanism, username: u.username },
        },
        secret: over.password ?? u.password,
        tls: { ca: over.ca ?? ca },
      };
    },
    withAdmin,
    async grant(user, prefix, ops) {
      const op = { read: AclOperationTypes.READ, write: AclOperationTypes.WRITE, create: AclOperationTypes.CREATE, describe: AclOperationTypes.DESCRIBE };
      const principal = `User:${KAFKA_C_USERS[user].username}`;
      const entry = (resourceType: AclResourceTypes, operation: AclOperationTypes) => ({
        resourceType,
        resourceName: prefix,
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        principal,
        host: '*',
        operation,
        permissionType: AclPermissionTypes.ALLOW,
      });
      const acl = ops.map((o) => entry(AclResourceTypes.TOPIC, op[o]));
      if (ops.includes('read')) acl.push(entry(AclResourceTypes.GROUP, AclOperationTypes.READ));
      await withAdmin((a) => a.createAcls({ acl }));
    },
  };
}
