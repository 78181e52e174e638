/**
 * A CDC "agent" process (`test/integration/cdc-child.ts`) for the kill -9 suites. Started with
 * `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that survives a
 * SIGKILL of the CLI, which would leave the "killed" task running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

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
