/** Worker thread for append: signs a slice of headers with the node's key (see signer.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { signHeader, signingKeyFromPem } from '../protocol/signing.js';

const key = signingKeyFromPem((workerData as { pem: string }).pem);
parentPort?.on('message', (m: { id: number; headers: Uint8Array[] }) => {
  const sigs = m.headers.map((h) => signHeader(h, key));
  parentPort!.postMessage({ id: m.id, sigs });
});
