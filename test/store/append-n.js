// Child for the several-processes test: one process of a party's node, appending on the node's
// store alongside others. Waits for "go" on stdin, appends N entries (waves of concurrent appends
// with short pauses between them, so group commits race the other process's), prints "seq id"
// for each entry only after its append resolved, then closes and exits. Runs against dist/.
//   node test/store/append-n.js DIR N
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadNode, openLedger } from '../../dist/src/node/folder.js';

const [dir, n] = [process.argv[2], Number(process.argv[3])];
const ledger = await openLedger(loadNode(dir));
writeSync(1, 'ready\n');
for await (const line of createInterface({ input: process.stdin })) if (line === 'go') break;
for (let done = 0; done < n; ) {
  const wave = Math.min(n - done, 1 + Math.floor(Math.random() * 64));
  await Promise.all(
    Array.from({ length: wave }, (_, i) =>
      ledger.append({ type: 'note', to: ['*'], body: { subject: `pid ${process.pid} #${done + i}`, text: '' } }).then((e) => {
        writeSync(1, `${e.seq} ${e.id}\n`);
      }),
    ),
  );
  done += wave;
  // A breath between waves, as an operator's traffic has: under unbroken back-to-back commits one
  // process can keep winning the head and starve the other until it stops (a known limit: writers
  // of one party on one database are not yet taken in turn).
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
}
await ledger.close();
