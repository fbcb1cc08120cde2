/**
 * Worker thread for `verify`: opens the store from its reader spec (read-only, its own connection)
 * and checks the signatures of one author's seq range per job, so no row is copied between threads.
 */
import { parentPort } from 'node:worker_threads';
import { openRangeReader } from './dialects.js';
import { checkRange, type RangeJob } from './verify.js';
import type { RangeReader } from './store.js';

const readers = new Map<string, RangeReader>();

parentPort?.on('message', (job: RangeJob) => {
  const spec = job.reader!;
  const key = `${spec.dialect}:${spec.location}`;
  let reader = readers.get(key);
  if (!reader) readers.set(key, (reader = openRangeReader(spec)));
  parentPort!.postMessage(checkRange(reader.signatures(job.author, job.from, job.to, job), job));
});
