// Crash-test child for the store conformance suite: commits forever, two entries and a counter
// per commit, each decided on the head it read (compare-and-set), and prints the commit's number
// only after the commit resolved. The test SIGKILLs it at random moments. Runs against dist/.
//   node test/store/commit-loop.js LOCATION
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';
import { openStore } from '../../dist/src/ledger/dialects.js';

const store = openStore(process.argv[2]);
const row = (seq) => {
  const header = Buffer.from(JSON.stringify({ author: 'USA', seq, pid: process.pid }));
  return { author: 'USA', seq, id: createHash('sha256').update(header).digest('hex'), time: new Date().toISOString(), header, sig: Buffer.alloc(64), content: Buffer.from(`commit content ${seq}`), type: 'note' };
};
let head = (await store.heads()).find((h) => h.author === 'USA')?.seq ?? 0;
for (;;) {
  const k = head / 2 + 1;
  await store.commit({ expect: [{ author: 'USA', seq: head }], entries: [row(head + 1), row(head + 2)], meta: [['commits', String(k)]] });
  head += 2;
  writeSync(1, `${k}\n`);
}
