/**
 * Resume: the standalone runner (`sluice-agent run --spec`, spawned with npx tsx)
 * is killed with SIGKILL mid-load, then run again. Finished chunks are skipped,
 * and row counts and hashes match the source exactly (no lost or duplicated rows).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMariaDatabase, createPgDatabase } from '../support/db-fixtures';
import { myTableHash, mysqlConnection, pgConnection, pgTableHash, withMy, withPg } from '../conformance/helpers';

const ROOT = path.resolve(__dirname, '../..');
const ROWS = 120_000;
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup) await f().catch(() => {});
});

function startRunner(specFile: string): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn('npx', ['tsx', 'agent/src/cli/main.ts', 'run', '--spec', specFile, '--quiet', '--json'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

interface State {
  finishedAt?: string;
  checkpoints: Record<string, { done?: boolean; rows?: number }>;
}

function readState(file: string): State | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as State;
  } catch {
    return null;
  }
}

const doneChunks = (s: State | null) => Object.entries(s?.checkpoints ?? {}).filter(([k, v]) => k.startsWith('chunk:') && v.done).length;

async function killMidLoad(specFile: string, stateFile: string, when: (s: State | null) => boolean) {
  const { child, done } = startRunner(specFile);
  let killed = false;
  for (let i = 0; i < 3000 && !killed; i++) {
    const s = readState(stateFile);
    if (when(s)) {
      process.kill(-child.pid!, 'SIGKILL');
      killed = true;
      break;
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const r = await done;
  if (!killed) throw new Error(`runner ended before it could be killed (code ${r.code}): ${r.stderr.slice(-2000)}`);
  return readState(stateFile)!;
}

const PG_EXPR = ['id::text', 'a::text', 'b', 'c::text', `to_char(d AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`];
const MY_EXPR = ['CAST(id AS CHAR)', 'CAST(a AS CHAR)', 'b', 'CAST(c AS CHAR)', `DATE_FORMAT(d, '%Y-%m-%d %H:%i:%s.%f')`];
const PG_NOPK = ['x::text', 'y'];
const MY_NOPK = ['CAST(x AS CHAR)', 'y'];

describe('engine resume after kill -9', () => {
  it('PostgreSQL -> MySQL: killed mid-load, resumed, exact counts and hashes', async () => {
    const src = await createPgDatabase('h3_res');
    const dst = await createMariaDatabase('h3_res');
    cleanup.push(src.drop, dst.drop);
    await withPg(src, async (c) => {
      await c.query(`CREATE TABLE big (id bigint PRIMARY KEY, a int, b text, c numeric(18,6), d timestamp(6))`);
      await c.query(
        `INSERT INTO big SELECT g, g % 1000, 'row ' || g || repeat('x', g % 40), g / 7.0, TIMESTAMP '2020-01-01' + g * interval '1.5 second' FROM generate_series(1, ${ROWS}) g`,
      );
      await c.query(`CREATE TABLE nopk (x int, y text)`);
      await c.query(`INSERT INTO nopk SELECT g % 50, 'dup ' || (g % 7) FROM generate_series(1, 20000) g`);
      await c.query('ANALYZE');
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'h3-resume-'));
    const stateFile = path.join(dir, 'state.json');
    const specFile = path.join(dir, 'job.json');
    // big gets one worker, so the keyless table (ctid chunks) loads at the same time
    writeFileSync(
      specFile,
      JSON.stringify({
        jobId: 'resume-pg-my',
        source: pgConnection(src),
        target: mysqlConnection(dst),
        stateFile,
        job: { mode: 'full', mapping: { big: { parallelism: 1 } }, options: { chunkSize: 4000, parallelism: 2, verifyAfterLoad: false } },
      }),
    );

    // kill once the keyless table is partly done: its rows must not be duplicated on resume
    const nopkDone = (s: State | null) => Object.entries(s?.checkpoints ?? {}).filter(([k, v]) => k.startsWith('chunk:public.nopk:') && v.done).length;
    const st = await killMidLoad(specFile, stateFile, (s) => (nopkDone(s) >= 1 && nopkDone(s) < 5 && doneChunks(s) >= 3) || doneChunks(s) >= 8);
    expect(st.finishedAt).toBeUndefined();
    const totalChunks = Object.keys(st.checkpoints).filter((k) => k.startsWith('plan:')).length;
    expect(totalChunks).toBe(2);
    const doneBefore = doneChunks(st);
    expect(doneBefore).toBeGreaterThanOrEqual(3);
    const partial = await myTableHash(dst, 'big', MY_EXPR);
    expect(partial.count).toBeLessThan(ROWS);
    // the keyless table's finished chunks are redone (it is reloaded whole), the keyed ones are skipped
    const nopkBefore = nopkDone(st);

    const { done } = startRunner(specFile);
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    const { result } = JSON.parse(r.stdout) as { result: { load: { skippedChunks: number } } };
    expect(result.load.skippedChunks).toBe(nopkBefore === 5 ? doneBefore : doneBefore - nopkBefore);
    expect(readState(stateFile)?.finishedAt).toBeDefined();
    expect(await myTableHash(dst, 'big', MY_EXPR)).toEqual(await pgTableHash(src, 'big', PG_EXPR));
    expect(await myTableHash(dst, 'nopk', MY_NOPK)).toEqual(await pgTableHash(src, 'nopk', PG_NOPK));
  });

  it('MySQL -> PostgreSQL: killed mid-load, resumed, exact counts and hashes', async () => {
    const src = await createMariaDatabase('h3_res');
    const dst = await createPgDatabase('h3_res');
    cleanup.push(src.drop, dst.drop);
    await withMy(src, async (c) => {
      await c.query(`CREATE TABLE big (id BIGINT PRIMARY KEY, a INT, b TEXT, c DECIMAL(18,6), d DATETIME(6))`);
      await c.query(`CREATE TABLE nopk (x INT, y TEXT)`);
      for (let start = 1; start <= ROWS; start += 20_000) {
        const vals: string[] = [];
        for (let g = start; g < start + 20_000 && g <= ROWS; g++)
          vals.push(`(${g}, ${g % 1000}, CONCAT('row ', ${g}, REPEAT('x', ${g % 40})), ${g} / 7.0, TIMESTAMPADD(MICROSECOND, ${g} * 1500000, '2020-01-01'))`);
        await c.query(`INSERT INTO big VALUES ${vals.join(',')}`);
      }
      const np = Array.from({ length: 20000 }, (_, i) => `(${(i + 1) % 50}, 'dup ${(i + 1) % 7}')`);
      await c.query(`INSERT INTO nopk VALUES ${np.join(',')}`);
      await c.query('ANALYZE TABLE big, nopk');
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'h3-resume-'));
    const stateFile = path.join(dir, 'state.json');
    const specFile = path.join(dir, 'job.json');
    writeFileSync(
      specFile,
      JSON.stringify({
        jobId: 'resume-my-pg',
        source: mysqlConnection(src),
        target: pgConnection(dst),
        stateFile,
        job: { mode: 'full', options: { chunkSize: 4000, parallelism: 2, verifyAfterLoad: false } },
      }),
    );

    const st = await killMidLoad(specFile, stateFile, (s) => doneChunks(s) >= 4);
    expect(st.finishedAt).toBeUndefined();
    const doneBefore = doneChunks(st);
    const { done } = startRunner(specFile);
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { result: { load: { skippedChunks: number } } }).result.load.skippedChunks).toBe(doneBefore);
    expect(existsSync(stateFile)).toBe(true);
    const PG_EXPR2 = ['id::text', 'a::text', 'b', 'c::text', `to_char(d, 'YYYY-MM-DD HH24:MI:SS.US')`];
    expect(await pgTableHash(dst, 'big', PG_EXPR2)).toEqual(await myTableHash(src, 'big', MY_EXPR));
    expect(await pgTableHash(dst, 'nopk', PG_NOPK)).toEqual(await myTableHash(src, 'nopk', MY_NOPK));
  });
});
