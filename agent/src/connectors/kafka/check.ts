/**
 * A Kafka data source's test: the brokers are reachable, the login works, the cluster's version, topics
 * can be listed, and for a target whether topics can be created (validateOnly) and transactions opened.
 */
import { randomUUID } from 'node:crypto';
import { isConnectorError } from '../connector-error';
import type { CheckResult } from '../spi';
import { asKafka, probeTls } from './connection';
import { KafkaSide } from './side';
import type { Connection } from '../../protocol';

type Check = CheckResult['checks'][number];

function failed(name: string, e: unknown): Check {
  const fix = isConnectorError(e) ? e.fix : undefined;
  return { name, ok: false, message: e instanceof Error ? e.message : String(e), ...(fix ? { fix } : {}) };
}

export async function checkKafka(c: Connection, role: 'source' | 'target'): Promise<CheckResult> {
  const conn = asKafka(c);
  const checks: Check[] = [];
  let side: KafkaSide;
  try {
    side = new KafkaSide(conn);
  } catch (e) {
    return { ok: false, checks: [failed('login', e)] };
  }
  let version: string | undefined;
  try {
    const tlsReport = await probeTls(conn);
    try {
      await side.admin();
    } catch (e) {
      const code = isConnectorError(e) ? e.code : '';
      checks.push(failed(code === 'AUTH_FAILED' ? 'login' : 'connect', e));
      return { ok: false, checks, ...(tlsReport ? { tls: tlsReport } : {}) };
    }
    checks.push({
      name: 'connect',
      ok: true,
      message: `reached ${conn.config.brokers.join(', ')}${conn.config.sasl ? ` and logged in as ${conn.config.sasl.username} (SASL ${conn.config.sasl.mechanism.toUpperCase()})` : ''}`,
    });
    try {
      const cl = await side.cluster();
      version = cl.version === 'unknown' ? undefined : `Kafka ${cl.version}`;
      checks.push({
        name: 'version',
        ok: true,
        message: `${version ?? 'Kafka (version not visible to this user)'}, ${cl.brokers.length} broker${cl.brokers.length === 1 ? '' : 's'}${cl.clusterId ? `, cluster ${cl.clusterId}` : ''}`,
      });
    } catch (e) {
      checks.push(failed('version', e));
    }
    try {
      const topics = await side.listTopics();
      checks.push({ name: 'list topics', ok: true, message: `${topics.length} topic${topics.length === 1 ? '' : 's'} visible` });
    } catch (e) {
      checks.push(failed('list topics', e));
    }
    if (role === 'target') {
      const probe = `sluice-check-${randomUUID().slice(0, 8)}`;
      try {
        await (await side.admin()).createTopics([{ name: probe, partitions: 1, configs: {} }], { validateOnly: true });
        checks.push({ name: 'create topics', ok: true, message: 'topics can be created (checked without creating one)' });
      } catch (e) {
        // Jobs can still write to topics that exist: a warning, not a failure.
        checks.push({ ...failed('create topics', e), severity: 'warning' });
      }
      try {
        const p = await side.client.producer({ transactionalId: `${probe}-tx`, transactionTimeoutMs: 10_000 });
        await p.close();
        checks.push({ name: 'transactions', ok: true, message: 'an idempotent transactional producer can start (effectively-once writes)' });
      } catch (e) {
        checks.push(failed('transactions', e));
      }
    }
    return { ok: checks.every((x) => x.ok || x.severity === 'warning'), ...(version ? { version } : {}), ...(tlsReport ? { tls: tlsReport } : {}), checks };
  } finally {
    await side.close();
  }
}
