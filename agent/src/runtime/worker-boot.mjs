// Worker threads do not inherit the TypeScript loader of the main thread:
// register tsx here, then load the real entry named in workerData.__entry.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.__entry);
