/**
 * A CDC "agent" process (`test/integration/cdc-child.ts`) for the kill -9 suites (cdc-kill-resume,
 * cdc-parallel-apply), and what they do with it: start, kill, resume, compare. Started with
 * `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that survives a
 * SIGKILL of the CLI, which would leave the "killed" task running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { PgConnection } from '../../agent/src/cdc/connections';
import { setupPgCdc } from '../../agent/src/cdc/pg-logical';
import { mysqlCurrentPosition } from '../../agent/src/cdc/run-cdc';
import { diff, dumpTables, myAdmin, waitForSameRows, type Db } from './cdc-support';

const root = path.resolve(__dirname, '../..');
const childScript = path.join(root, 'test/integration/cdc-child.ts');

export interface CdcChild {
  child: ChildProcess;
  /** Resolves once the task reads the source (or the process ended). */
  streaming: Promise<void>;
  exited: Promise<number | null>;
  stderr: string[];
}

/** `env`: JSON `{input, stateFile}` (see cdc-child.ts). */
export function startCdcChild(env: string): CdcChild {
  const stderr: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    cwd: root,
    env: { ...process.env, H6_CDC_CHILD: env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const streaming = new Promise<void>((resolve) => {
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('STREAMING')) resolve();
    });
    child.once('exit', () => resolve());
  });
  child.stderr!.on('data', (b: Buffer) => stderr.push(b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, streaming, exited, stderr };
}

/** Where the child's task starts reading `src`: a new slot and publication `slot` (PostgreSQL), or the binlog position now. */
export async function captureCdcStart(src: Db, slot: string, tables: string[]): Promise<Record<string, unknown>> {
  if (src.kind === 'postgres') {
    const { lsn } = await setupPgCdc(src.conn as PgConnection, { slot, publication: slot, tables });
    return { v: 1, kind: 'pg', lsn, slot, publication: slot };
  }
  const c = await myAdmin(src.name);
  const position = await mysqlCurrentPosition(c);
  await c.end();
  return position;
}

/** The child's env for `input`, its state file in a new directory `<prefix>*` (pushed to `dirs` for the suite to remove). */
export function childEnv(input: unknown, prefix: string, dirs: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return JSON.stringify({ input, stateFile: path.join(dir, 'state.json') });
}

/** SIGKILLs child `c` (run `i`) and waits for its end; checks no process is left, and notes any other exit in `failures`. */
export async function killCdcChild(c: CdcChild, i: number, failures: string[]): Promise<void> {
  c.child.kill('SIGKILL');
  const code = await c.exited;
  // The process that ran the task is gone (no orphan keeps applying).
  expect(() => process.kill(c.child.pid!, 0)).toThrow();
  if (code !== null && code !== 0) failures.push(`run ${i} exited ${code}: ${c.stderr.join('').slice(0, 400)}`);
}

/** A last child from `env` runs until `tgt` holds `src`'s rows (else fails with the difference and its stderr), then stops. */
export async function resumeUntilSame(env: string, src: Db, tgt: Db, timeoutMs: number): Promise<void> {
  const last = startCdcChild(env);
  try {
    await waitForSameRows(src, tgt, timeoutMs, 'target to match source after the last resume').catch(async (e) => {
      const [a, b] = await Promise.all([dumpTables(src), dumpTables(tgt)]);
      throw new Error(`${(e as Error).message}: items ${JSON.stringify(diff(a.items, b.items)).slice(0, 600)} child: ${last.stderr.join('').slice(0, 600)}`);
    });
  } finally {
    last.child.kill('SIGTERM');
    await last.exited;
  }
}

/** Source and target hold exactly the same rows: none missing, none extra. */
export async function expectSameRows(src: Db, tgt: Db): Promise<void> {
  const [a, b] = await Promise.all([dumpTables(src), dumpTables(tgt)]);
  const d = diff(a.items, b.items);
  expect(d.missing).toEqual([]);
  expect(d.extra).toEqual([]);
  expect(b.items).toEqual(a.items);
  expect(b.lines).toEqual(a.lines);
}
