/** Worker thread for `verify`: checks the Ed25519 signatures of a chunk of stored entries. */
import { parentPort } from 'node:worker_threads';
import { badSignatures, type SignatureJob } from './verify.js';

parentPort?.on('message', (m: { id: number; job: SignatureJob }) => {
  parentPort!.postMessage({ id: m.id, bad: badSignatures(m.job) });
});
