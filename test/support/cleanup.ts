/**
 * Teardown shared by the suites and benches that own a control-plane database
 * and a Redis key prefix: drop the database, delete the keys.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import { controlDbUrl, services } from './services';

/** Drops a control-plane database this run created (connections are forced off). */
export async function dropControlDatabase(dbName: string): Promise<void> {
  const admin = new pg.Client({ connectionString: controlDbUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${dbName}" with (force)`);
  } finally {
    await admin.end();
  }
}

/** Deletes every Redis key under `${prefix}:` (BullMQ queues, rate limits, pub/sub state). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(services.redis);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
