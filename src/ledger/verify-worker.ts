/**
 * Worker thread for `verify`: opens the database file read-only and checks the signatures of one
 * author's seq range per job, so no row is copied between threads.
 */
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { checkRange, type RangeJob } from './verify.js';

type Reads = { bySeq: Database.Statement; byPos: Database.Statement };
const statements = new Map<string, Reads>();

function readsOf(file: string): Reads {
  let s = statements.get(file);
  if (!s) {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 10000');
    const cols = 'SELECT seq, id, header, sig FROM entries';
    s = {
      bySeq: db.prepare(`${cols} WHERE author = ? AND seq BETWEEN ? AND ?`).raw(),
      // A run of rows stored together is read along the table itself, without an index lookup per row.
      byPos: db.prepare(`${cols} NOT INDEXED WHERE pos BETWEEN ? AND ? AND author = ? AND seq BETWEEN ? AND ?`).raw(),
    };
    statements.set(file, s);
  }
  return s;
}

function rowsOf(job: RangeJob): IterableIterator<[number, Buffer, Buffer, Buffer]> {
  const reads = readsOf(job.file!);
  const dense = job.maxPos - job.minPos + 1 <= 2 * job.rows;
  return (dense ? reads.byPos.iterate(job.minPos, job.maxPos, job.author, job.from, job.to) : reads.bySeq.iterate(job.author, job.from, job.to)) as IterableIterator<
    [number, Buffer, Buffer, Buffer]
  >;
}

parentPort?.on('message', (job: RangeJob) => {
  const rows = rowsOf(job);
  function* mapped() {
    for (const [seq, id, header, sig] of rows) yield { seq, id, header, sig };
  }
  parentPort!.postMessage(checkRange(mapped(), job));
});
