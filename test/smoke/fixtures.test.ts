/**
 * The per-test fixtures against the private instances: databases (test/support/db-fixtures.ts) are
 * usable and drop() removes them even with a slot and open connections; topics
 * (test/support/kafka-fixtures.ts) are created with their partitions and deleted with their groups.
 */
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase } from '../support/db-fixtures';
import { createKafkaTopic } from '../support/kafka-fixtures';
import { pgUrl, services } from '../support/services';

async function pgDatabaseExists(name: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: pgUrl('postgres') });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return r.rowCount === 1;
  } finally {
    await c.end();
  }
}

describe('test fixtures', () => {
  it('createPgDatabase gives a private database that drop() removes despite a slot and an open connection', async () => {
    const db = await createPgDatabase('h2_fix');
    expect(db.database).toMatch(/^h2_fix_[a-z0-9]+$/);
    expect(db.port).toBe(services.pg.port);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    c.on('error', () => {}); // terminated by drop() below
    await c.query('CREATE TABLE t (id int primary key)');
    await c.query(`SELECT pg_create_logical_replication_slot('${db.database}_slot', 'test_decoding')`);
    await c.query('INSERT INTO t VALUES (1)');
    const { rows } = await c.query<{ data: string }>(`SELECT data FROM pg_logical_slot_peek_changes('${db.database}_slot', NULL, NULL)`);
    expect(rows.some((r) => r.data.includes('INSERT: id[integer]:1'))).toBe(true);

    expect(await pgDatabaseExists(db.database)).toBe(true);
    await db.drop();
    await db.drop(); // idempotent
    expect(await pgDatabaseExists(db.database)).toBe(false);
    await c.end().catch(() => {});
  });

  it('createMariaDatabase gives a private database that drop() removes', async () => {
    const db = await createMariaDatabase('h2_fix');
    expect(db.port).toBe(services.mariadb.port);
    const c = await mysql.createConnection({ host: db.host, port: db.port, user: db.user, database: db.database });
    try {
      await c.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))');
      await c.query(`INSERT INTO t VALUES (1, 'ü')`);
      const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT v FROM t');
      expect(rows[0]?.v).toBe('ü');
    } finally {
      await c.end();
    }
    await db.drop();
    await db.drop();
    const admin = await mysql.createConnection({ host: db.host, port: db.port, user: db.user });
    try {
      const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db.database]);
      expect(rows).toHaveLength(0);
    } finally {
      await admin.end();
    }
  });

  it('rejects a prefix that is not a safe identifier, saying what is allowed', async () => {
    await expect(createPgDatabase('Bad-Prefix')).rejects.toThrow(/lowercase letters, digits or underscores/);
    await expect(createMariaDatabase('x'.repeat(40))).rejects.toThrow(/1-31/);
  });

  it('createKafkaTopic creates a topic on the chosen cluster and drop() deletes it and its group', async () => {
    const t = await createKafkaTopic('h2_fix', { cluster: 'B', partitions: 3 });
    const kafka = new Kafka({ clientId: 'h2-fixtures', brokers: t.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [t.topic] });
      expect(meta.topics[0]?.partitions).toHaveLength(3);
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      await producer.send({ topic: t.topic, messages: [{ key: 'a', value: '1' }] });
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: t.group() });
      await consumer.connect();
      await consumer.subscribe({ topic: t.topic, fromBeginning: true });
      const got = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message in 30 s')), 30_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve(message.value?.toString() ?? '');
          },
        });
      });
      await consumer.disconnect();
      expect(got).toBe('1');
      await t.drop();
      await t.drop();
      expect(await admin.listTopics()).not.toContain(t.topic);
      const groups = await admin.listGroups();
      expect(groups.groups.map((g) => g.groupId)).not.toContain(t.group());
    } finally {
      await admin.disconnect();
    }
  });
});
