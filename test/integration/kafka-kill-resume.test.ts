/**
 * Effectively once under kill -9: `sluice-agent run --spec` (a full_cdc Kafka -> Kafka job) runs as a
 * child process while a producer writes to the source the whole time; the child is killed with SIGKILL
 * at random moments (in the full phase and live), and each time a fresh process ("another agent")
 * resumes. A read_committed reader of the target then sees every source record exactly once, in order
 * per partition.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutRecord } from '../../agent/src/connectors/kafka/client';
import { KafkaTestKit, kafkaConnection, topicName } from '../support/kafka-core-fixtures';
import { waitFor } from '../support/wait';

// Ten kills in `npm test`, the bar; KAFKA_CORE_KILLS sets another count.
const KILLS = Number(process.env.KAFKA_CORE_KILLS ?? 10);
const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'agent/bin/sluice-agent.mjs');
const kit = new KafkaTestKit();
const dir = mkdtempSync(path.join(tmpdir(), 'kafka-core-kill-'));
afterAll(async () => {
  await kit.cleanup();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function start(spec: string, state: string): { child: ChildProcess; exited: Promise<number | null>; stderr: string[] } {
  const stderr: string[] = [];
  const child = spawn(process.execPath, [bin, 'run', '--spec', spec, '--state-file', state], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (b: Buffer) => stderr.push(b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited, stderr };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Kafka -> Kafka kill -9 and resume', () => {
  it(`sees each record exactly once and in order after ${KILLS} kills under load`, async () => {
    const src = await kit.createTopic('A', topicName('kill'), 3);
    kit.track('B', src);
    const seq = [0, 0, 0];
    const batch = (n: number): OutRecord[] =>
      Array.from({ length: n }, (_, i) => {
        const p = i % 3;
        const s = seq[p]!++;
        return {
          partition: p,
          key: Buffer.from(`k${p}-${s}`),
          value: Buffer.from(`${p}:${s}`),
          headers: [['seq', Buffer.from(String(s))]],
          timestamp: String(Date.now()),
        };
      });
    // A backlog for the full phase, then a constant load while the job is killed and resumed.
    await kit.produce('A', src, batch(30_000));
    let producing = true;
    const load = (async () => {
      while (producing) {
        await kit.produce('A', src, batch(150));
        await sleep(50);
      }
    })();

    const spec = path.join(dir, 'kill.json');
    writeFileSync(
      spec,
      JSON.stringify({
        jobId: `kafka-core-kill-${Date.now().toString(36)}`,
        source: kafkaConnection('A'),
        target: kafkaConnection('B'),
        job: { mode: 'full_cdc', tables: { include: [src] } },
      }),
    );
    const state = path.join(dir, 'kill.state.json');
    try {
      const targetEnd = async () => (await (await kit.admin('B')).partitionOffsets(src).catch(() => [])).reduce((a, p) => a + p.latest, 0n);
      let before = 0n;
      const atKill: bigint[] = [];
      for (let k = 0; k < KILLS; k++) {
        const c = start(spec, state);
        // Once this agent is moving records (the target grew), kill it at a random moment: the first kills
        // fall in the full phase (the 30,000-record backlog), the later ones live.
        await waitFor(`agent ${k + 1} to copy records`, async () => (await targetEnd()) > before + 100n, 120_000, 100);
        await sleep(Math.floor(Math.random() * 1500));
        c.child.kill('SIGKILL');
        expect(await c.exited, `agent ${k + 1} ended by itself: ${c.stderr.join('').slice(-3000)}`).toBe(null);
        before = await targetEnd();
        atKill.push(before);
        const said = c.stderr
          .join('')
          .split('\n')
          .filter((l) => /T0|resuming/.test(l));
        console.log(`kill ${k + 1}: target end offsets ${before}, source records ${seq.reduce((a, b) => a + b, 0)}; ${said.join(' | ')}`);
      }
      // Every agent moved records before it was killed.
      expect(atKill.every((v, i) => i === 0 || v > atKill[i - 1]!)).toBe(true);
      const last = start(spec, state);
      producing = false;
      await load;
      const admin = await kit.admin('A');
      const total = seq.reduce((a, b) => a + b, 0);
      await waitFor(
        'the target to hold every source record',
        async () => [...(await kit.readAll('B', src).catch(() => new Map<number, unknown[]>())).values()].reduce((a, r) => a + r.length, 0) >= total,
        180_000,
        1000,
      );
      expect((await admin.partitionOffsets(src)).length).toBe(3);
      last.child.kill('SIGKILL');
      await last.exited;
      const b = await kit.readAll('B', src);
      for (let p = 0; p < 3; p++) {
        const values = b.get(p)!.map((r) => r.value!.toString());
        expect(values.length, `partition ${p}`).toBe(seq[p]);
        // Exactly once, in order: the values are the partition's sequence 0..n-1.
        expect(
          values.every((v, i) => v === `${p}:${i}`),
          `partition ${p} in order, no duplicate, none lost`,
        ).toBe(true);
      }
    } finally {
      producing = false;
      await load.catch(() => undefined);
    }
  }, 900_000);
});
