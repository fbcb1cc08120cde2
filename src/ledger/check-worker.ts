/** Worker thread for `accept`: checks the signatures of a packed slice of a batch (see check-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { checkPacked, type PackedJob } from './check-pool.js';

parentPort?.on('message', (job: PackedJob) => {
  const verdicts = checkPacked(job);
  parentPort!.postMessage(verdicts, [verdicts.buffer as ArrayBuffer]);
});
