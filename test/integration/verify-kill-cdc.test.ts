/**
 * kill -9 during verification beside CDC (issue 15): a full_cdc job (MariaDB -> PostgreSQL) whose
 * post-load verification runs beside CDC is killed with SIGKILL while verification is half-way. The
 * next process (another "agent", the same checkpoints) starts CDC at once: rows written while it was
 * down arrive before verification ends; and verification resumes where it stopped (the chunks the
 * killed one compared are not compared again), then finishes "ok". The agent runs in a child process
 * (verify-kill-child.ts) whose checkpoint store is a state file.
 *
 * Runs only with SLUICE_LONG=1 (about 2 minutes on the shared box: each chunk compared beside CDC waits for
 * the applier to pass its source position, ~0.5 s on an idle source), to keep npm test in CI's budget:
 *   source test/services/env.sh && SLUICE_SERVICES_UP=1 SLUICE_LONG=1 npx vitest run test/integration/verify-kill-cdc.test.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMariaDatabase, createPgDatabase, type MariaDatabase, type PgDatabase } from '../support/db-fixtures';
import { job, mysqlConnection, pgConnection, withMy, withPg } from '../conformance/helpers';
import { waitFor } from '../support/cdc-support';

const ROWS = 20_000;
const root = path.resolve(__dirname, '../..');
const childScript = path.join(__dirname, 'verify-kill-child.ts');
let src: MariaDatabase;
let dst: PgDatabase;
const dir = mkdtempSync(path.join(tmpdir(), 'sluice-policies-vkill-'));
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!process.env.SLUICE_LONG) return;
  src = await createMariaDatabase('cor_vkill');
  dst = await createPgDatabase('cor_vkill');
  await withMy(src, async (c) => {
    await c.query('CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(40))');
    await c.query(`INSERT INTO items SELECT seq, CONCAT('item-', seq) FROM seq_1_to_${ROWS}`);
  });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await src?.drop();
  await dst?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function start(env: string): { child: ChildProcess; stderr: string[] } {
  const stderr: string[] = [];
  // `node --import tsx` (not the tsx CLI, whose grandchild would survive a SIGKILL)
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    cwd: root,
    env: { ...process.env, SLUICE_VERIFY_CHILD: env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (b: Buffer) => stderr.push(b.toString()));
  children.push(child);
  return { child, stderr };
}

describe.skipIf(!process.env.SLUICE_LONG)('kill -9 during verification beside CDC', () => {
  it('CDC resumes at once and verification resumes where it stopped', { timeout: 300_000 }, async () => {
    const stateFile = path.join(dir, 'state.json');
    const table = `${src.database}.items`;
    const env = JSON.stringify({
      stateFile,
      input: {
        jobId: `cor_vkill_${Date.now().toString(36)}`,
        runId: 'r1',
        taskId: 't1',
        kind: 'full_cdc',
        job: job({ mode: 'full_cdc', options: { chunkSize: 100, parallelism: 1, verifyAfterLoad: true } }),
        source: mysqlConnection(src),
        target: pgConnection(dst),
        taskSpec: { heartbeatMs: 500 },
      },
    });
    const state = () =>
      existsSync(stateFile)
        ? (JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, { done?: number[]; finished?: boolean; table?: { status: string } }>)
        : {};
    const verify = () => state()[`verify:${table}`];

    const first = start(env);
    await waitFor(
      'verification half-way',
      async () => {
        if (first.child.exitCode !== null) throw new Error(`the first agent exited: ${first.stderr.join('')}`);
        const v = verify();
        return !!v && !v.finished && (v.done?.length ?? 0) >= 20;
      },
      180_000,
      50,
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const doneAtKill = verify()!.done!.length;
    expect(verify()!.finished).toBe(false);

    // Written while no agent runs: the next one must apply them through CDC without waiting for verification.
    await withMy(src, (c) => c.query(`INSERT INTO items VALUES (${ROWS + 1}, 'during the outage'), (${ROWS + 2}, 'also')`));
    const second = start(env);
    await waitFor(
      'CDC applied the rows written while the agent was down',
      async () => {
        if (second.child.exitCode !== null) throw new Error(`the second agent exited: ${second.stderr.join('')}`);
        return (await withPg(dst, (c) => c.query(`SELECT count(*)::int AS n FROM items WHERE id > ${ROWS}`))).rows[0].n === 2;
      },
      120_000,
      100,
    );
    const log = second.stderr.join('');
    expect(log).toMatch(new RegExp(`verification of ${table.replace('.', '\\.')} resumes: (\\d+) of \\d+ chunks were compared before the restart`));
    const resumedFrom = Number(new RegExp(`verification of ${table.replace('.', '\\.')} resumes: (\\d+) of`).exec(log)![1]);
    expect(resumedFrom).toBeGreaterThanOrEqual(doneAtKill);

    await waitFor(
      'verification finished',
      async () => {
        if (second.child.exitCode !== null) throw new Error(`the second agent exited: ${second.stderr.join('')}`);
        return verify()?.finished === true;
      },
      180_000,
      200,
    );
    expect(verify()!.table!.status).toBe('ok');
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  });
});
