/**
 * Where a worker thread's code is. From the TypeScript sources (a checkout), a worker boots
 * through worker-boot.mjs, which registers tsx and imports the .ts entry named in
 * workerData.__entry. In the self-contained bundle served by the api (agent/scripts/bundle.mjs
 * defines __SLUICE_BUNDLE__), every entry is a plain .mjs file next to the code that starts it.
 */
declare const __SLUICE_BUNDLE__: boolean | undefined;

export type WorkerName = 'session-worker' | 'task-worker';

export const isBundle = typeof __SLUICE_BUNDLE__ !== 'undefined' && __SLUICE_BUNDLE__ === true;

/** `url` is what to pass to `new Worker`, `entry` goes into workerData.__entry. */
export function workerEntry(name: WorkerName, override?: URL): { url: URL; entry: string } {
  if (isBundle) {
    const url = new URL(`./${name}.mjs`, import.meta.url);
    return { url, entry: url.href };
  }
  return { url: new URL('./worker-boot.mjs', import.meta.url), entry: (override ?? new URL(`./${name}.ts`, import.meta.url)).href };
}
