/**
 * Agents benchmark (not part of the test suite):
 *   npx tsx test/bench/agents-bench.ts [--agents 1000] [--heartbeat-ms 5000] [--seconds 30]
 *
 * Starts ONE api process (its own Postgres database and Redis prefix), makes N
 * agents spread over 10 tenants, connects them all through the real signed
 * handshake, and keeps them heartbeating (each heartbeat is a real RPC, as a
 * sluice-agent sends it). While they do, it queries GraphQL (`agents` of one
 * tenant, with running tasks) and measures:
 *   - the api process's CPU (cores) and RSS,
 *   - heartbeat handling p99 on the api (its Prometheus histogram) and the heartbeat round trip p99 seen by agents,
 *   - GraphQL p50/p95/p99 under that load.
 * Prints a table and writes test/bench/results/agents.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import WebSocket from 'ws';
import { ensureDatabase, runMigrations } from '@sluice/db/migrate';
import { PROTOCOL_VERSIONS, RpcPeer, frame, parseFrame, signingInput } from '@sluice/agent/protocol';
import { deleteRedisKeys, dropControlDatabase } from '../support/cleanup';
import { freePort } from '../support/free-port';
import { controlDbUrl, services, uniqueName } from '../support/services';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = parseArgs({
  options: {
    agents: { type: 'string', default: '1000' },
    'heartbeat-ms': { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '30' },
    tenants: { type: 'string', default: '10' },
  },
}).values;
const N = Number(args.agents);
const HB = Number(args['heartbeat-ms']);
const SECONDS = Number(args.seconds);
const TENANTS = Number(args.tenants);

const dbName = uniqueName('sluice_h4_bench');
const databaseUrl = controlDbUrl(dbName);
const redisPrefix = uniqueName('h4bench');

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function procStat(pid: number): { cpuTicks: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuTicks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const rss = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuTicks, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
}

/** p99 from a Prometheus histogram's cumulative buckets (upper bound of the bucket holding the 99th percentile). */
function histogramQuantile(metrics: string, name: string, q: number): { value: number; count: number } {
  const buckets: [number, number][] = [];
  let count = 0;
  for (const line of metrics.split('\n')) {
    const m = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)`).exec(line);
    if (m) buckets.push([m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2])]);
    const c = new RegExp(`^${name}_count (\\d+)`).exec(line);
    if (c) count = Number(c[1]);
  }
  const target = q * count;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, c] of buckets) {
    if (c >= target) {
      // Linear interpolation inside the bucket, like histogram_quantile().
      if (!Number.isFinite(le)) return { value: prevLe, count };
      const inBucket = c - prevCount;
      return { value: inBucket > 0 ? prevLe + ((le - prevLe) * (target - prevCount)) / inBucket : le, count };
    }
    prevLe = le;
    prevCount = c;
  }
  return { value: NaN, count };
}

async function main(): Promise<void> {
  const port = await freePort(4280);
  const base = `http://127.0.0.1:${port}`;
  await ensureDatabase(databaseUrl);
  await runMigrations(databaseUrl);
  let apiOut = '';
  const api: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: '10',
      REDIS_URL: services.redis,
      REDIS_PREFIX: redisPrefix,
      LOG_LEVEL: 'warn',
      AGENT_HEARTBEAT_MS: String(HB),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout!.on('data', (d: Buffer) => (apiOut += d.toString()));
  api.stderr!.on('data', (d: Buffer) => (apiOut += d.toString()));
  const cleanup = async () => {
    api.kill('SIGKILL');
    await dropControlDatabase(dbName);
    await deleteRedisKeys(redisPrefix);
  };
  try {
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 200));
      if (i === 299) throw new Error(`api did not start:\n${apiOut}`);
    }
    const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: T; errors?: unknown[] };
      if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
      return body.data as T;
    };

    // Tenants and agents. Agents are inserted directly (setup only); each has its own Ed25519 key.
    process.stdout.write(`setting up ${TENANTS} tenants and ${N} agents...\n`);
    const owners: { token: string; tenantId: string }[] = [];
    for (let t = 0; t < TENANTS; t++) {
      const d = await gql<{ signUp: { token: string; me: { tenant: { id: string } } } }>(
        `mutation($input: SignUpInput!) { signUp(input: $input) { token me { tenant { id } } } }`,
        { input: { email: `bench-${t}-${redisPrefix}@example.test`, password: `bench-password-${t}`, name: `Bench ${t}`, tenantName: `Bench ${t}` } },
      );
      owners.push({ token: d.signUp.token, tenantId: d.signUp.me.tenant.id });
    }
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const agents: { id: string; key: KeyObject; tenantId: string }[] = [];
    for (let i = 0; i < N; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const tenantId = owners[i % TENANTS]!.tenantId;
      const r = await db.query<{ id: string }>('insert into agents (tenant_id, name, public_key) values ($1, $2, $3) returning id', [
        tenantId,
        `bench-${i}`,
        publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      ]);
      agents.push({ id: r.rows[0]!.id, key: privateKey, tenantId });
    }
    await db.end();

    // Baseline: the same GraphQL query with the agents registered but none connected.
    const BASE_QUERY = `{ agents { id name status online inFlight freeSlots cpu rssBytes lastSeenAt runningTasks { id } } }`;
    const baseline: number[] = [];
    {
      const until = Date.now() + Math.min(15, SECONDS) * 1000;
      const w = async () => {
        while (Date.now() < until) {
          const q0 = performance.now();
          await gql(BASE_QUERY, {}, owners[0]!.token);
          baseline.push(performance.now() - q0);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await Promise.all([w(), w()]);
      baseline.sort((a, b) => a - b);
      process.stdout.write(`baseline GraphQL (no agents connected): p50 ${pct(baseline, 50).toFixed(1)} ms, p99 ${pct(baseline, 99).toFixed(1)} ms\n`);
    }

    // Connect them all through the real handshake, 50 at a time.
    const rtts: number[] = [];
    let hbErrors = 0;
    let measuring = false;
    const sockets: WebSocket[] = [];
    const timers: ReturnType<typeof setInterval>[] = [];
    const connectOne = (a: (typeof agents)[number]) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/agent`);
        sockets.push(ws);
        let peer: RpcPeer | null = null;
        ws.on('error', reject);
        ws.on('message', (d) => {
          const raw = d.toString();
          if (peer) return peer.receive(raw);
          const p = parseFrame(raw);
          if (!p.ok) return reject(new Error(p.message));
          if (p.env.type === 'hello') {
            const nonce = (p.env.payload as { nonce: string }).nonce;
            const ts = Date.now();
            ws.send(
              frame('connect', {
                agentId: a.id,
                protocolVersions: [...PROTOCOL_VERSIONS],
                agentVersion: 'bench',
                capacity: 4,
                inFlight: [],
                ts,
                nonce,
                signature: sign(null, signingInput(nonce, a.id, ts), a.key).toString('base64'),
              }),
            );
          } else if (p.env.type === 'ready') {
            peer = new RpcPeer({ send: (x) => ws.send(x), bufferedAmount: () => ws.bufferedAmount }, { timeoutMs: 30_000 });
            // Spread heartbeats over the interval, like independent agents.
            setTimeout(() => {
              const beat = async () => {
                const t0 = performance.now();
                try {
                  await peer!.call('heartbeat', { inFlight: [], freeSlots: 4, cpu: 0.01, rssBytes: 80_000_000 });
                  if (measuring) rtts.push(performance.now() - t0);
                } catch {
                  if (measuring) hbErrors++;
                }
              };
              void beat();
              timers.push(setInterval(() => void beat(), HB));
            }, Math.random() * HB);
            resolve();
          } else if (p.env.type === 'refused') reject(new Error(JSON.stringify(p.env.payload)));
        });
      });
    const tConnect = performance.now();
    for (let i = 0; i < agents.length; i += 50) await Promise.all(agents.slice(i, i + 50).map(connectOne));
    const connectSeconds = (performance.now() - tConnect) / 1000;
    process.stdout.write(`connected ${agents.length} agents in ${connectSeconds.toFixed(1)} s; warming up...\n`);
    await new Promise((r) => setTimeout(r, Math.min(10_000, HB * 2)));

    // Measure.
    const metricsBefore = await (await fetch(`${base}/metrics`)).text();
    const hbCountBefore = histogramQuantile(metricsBefore, 'sluice_agent_heartbeat_handling_seconds', 0.99).count;
    const s0 = procStat(api.pid!);
    const t0 = performance.now();
    measuring = true;
    const gqlTimes: number[] = [];
    let gqlErrors = 0;
    let rssPeak = s0.rssBytes;
    const owner = owners[0]!;
    const AGENTS_QUERY = `{ agents { id name status online inFlight freeSlots cpu rssBytes lastSeenAt runningTasks { id } } }`;
    let listed = 0;
    let deadline = Date.now() + SECONDS * 1000;
    const gqlWorker = async () => {
      while (Date.now() < deadline) {
        const q0 = performance.now();
        try {
          const d = await gql<{ agents: unknown[] }>(AGENTS_QUERY, {}, owner.token);
          listed = d.agents.length;
          gqlTimes.push(performance.now() - q0);
        } catch {
          gqlErrors++;
        }
        rssPeak = Math.max(rssPeak, procStat(api.pid!).rssBytes);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await Promise.all([gqlWorker(), gqlWorker()]);
    measuring = false;
    const s1 = procStat(api.pid!);
    const elapsed = (performance.now() - t0) / 1000;
    const metricsAfter = await (await fetch(`${base}/metrics`)).text();
    const hbServer = histogramQuantile(metricsAfter, 'sluice_agent_heartbeat_handling_seconds', 0.99);
    const flush = histogramQuantile(metricsAfter, 'sluice_agent_heartbeat_flush_seconds', 0.99);
    const connectedMetric = /^sluice_agent_connections (\d+)/m.exec(metricsAfter)?.[1];
    const ticks = 100; // USER_HZ on Linux
    rtts.sort((a, b) => a - b);
    gqlTimes.sort((a, b) => a - b);

    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: (await import('node:os')).cpus().length,
        node: process.version,
        loadAverage1m: Number((await import('node:os')).loadavg()[0]!.toFixed(2)),
        note: 'shared machine: other processes ran during the measurement; see loadAverage1m',
      },
      setup: { agents: N, tenants: TENANTS, heartbeatMs: HB, measureSeconds: Number(elapsed.toFixed(1)), connectSeconds: Number(connectSeconds.toFixed(1)) },
      api: {
        connectedAgents: Number(connectedMetric ?? NaN),
        cpuCores: Number(((s1.cpuTicks - s0.cpuTicks) / ticks / elapsed).toFixed(3)),
        rssMB: Number((s1.rssBytes / 1048576).toFixed(1)),
        rssPeakMB: Number((rssPeak / 1048576).toFixed(1)),
      },
      heartbeats: {
        handled: hbServer.count - hbCountBefore,
        perSecond: Number(((hbServer.count - hbCountBefore) / elapsed).toFixed(1)),
        serverHandlingP99Ms: Number((hbServer.value * 1000).toFixed(3)),
        roundTripP50Ms: Number(pct(rtts, 50).toFixed(2)),
        roundTripP99Ms: Number(pct(rtts, 99).toFixed(2)),
        errors: hbErrors,
        dbFlushP99Ms: Number((flush.value * 1000).toFixed(2)),
      },
      graphql: {
        query: 'agents { ...10 fields, runningTasks } of one tenant',
        agentsListed: listed,
        requests: gqlTimes.length,
        errors: gqlErrors,
        p50Ms: Number(pct(gqlTimes, 50).toFixed(2)),
        p95Ms: Number(pct(gqlTimes, 95).toFixed(2)),
        p99Ms: Number(pct(gqlTimes, 99).toFixed(2)),
        targetP99Ms: 50,
        baselineNoAgents: { requests: baseline.length, p50Ms: Number(pct(baseline, 50).toFixed(2)), p99Ms: Number(pct(baseline, 99).toFixed(2)) },
      },
    };
    const rows: [string, string][] = [
      ['agents connected (api gauge)', String(result.api.connectedAgents)],
      ['heartbeat interval', `${HB} ms`],
      ['heartbeats handled / s', String(result.heartbeats.perSecond)],
      ['api CPU (cores)', String(result.api.cpuCores)],
      ['api RSS (end / peak)', `${result.api.rssMB} / ${result.api.rssPeakMB} MB`],
      ['heartbeat handling p99 (api)', `${result.heartbeats.serverHandlingP99Ms} ms`],
      ['heartbeat round trip p50 / p99', `${result.heartbeats.roundTripP50Ms} / ${result.heartbeats.roundTripP99Ms} ms`],
      ['heartbeat DB flush p99 (batched)', `${result.heartbeats.dbFlushP99Ms} ms`],
      ['GraphQL agents p50 / p95 / p99', `${result.graphql.p50Ms} / ${result.graphql.p95Ms} / ${result.graphql.p99Ms} ms (target p99 < 50)`],
      ['GraphQL p50 / p99, no agents connected', `${result.graphql.baselineNoAgents.p50Ms} / ${result.graphql.baselineNoAgents.p99Ms} ms`],
      ['machine load average (1 min, 2 cores)', String(result.machine.loadAverage1m)],
      ['GraphQL requests / errors', `${result.graphql.requests} / ${result.graphql.errors}`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(`\n| ${'measure'.padEnd(w)} | value |\n|${'-'.repeat(w + 2)}|-------|\n`);
    for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(w)} | ${v} |\n`);
    const out = path.join(ROOT, 'test/bench/results');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'agents.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(`\nwrote test/bench/results/agents.json\n`);
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.terminate();
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`agents bench failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
