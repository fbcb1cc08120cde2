// Crash-test child: appends to a node's ledger in a loop, forever, and prints "seq id" for each
// entry only after its append promise resolved (the durable commit). The test SIGKILLs it at
// random moments. Runs with plain node against the built dist/.
//   node test/support/append-loop.js DIR
import { writeSync } from 'node:fs';
import { loadNode, openLedger } from '../../dist/src/node/folder.js';

// One signing worker, as a running node would use: batches of 16 or more are signed off-thread
// while the previous group commit is written.
const ledger = await openLedger(loadNode(process.argv[2]), { signingWorkers: 1 });
const head = ledger.head(ledger.party);
// writeSync: the line is in the pipe before the next append starts, with no buffer to lose.
writeSync(1, `start ${head ? `${head.seq} ${head.id}` : '0 -'}\n`);
for (let round = 0; ; round++) {
  // Batches of 1–4 and 24 concurrent appends, so kills land inside group commits and worker signing too.
  const size = [1, 2, 3, 4, 24][round % 5];
  await Promise.all(
    Array.from({ length: size }, (_, i) =>
      ledger.append({ type: 'note', to: ['*'], body: { subject: `round ${round}.${i}`, text: `pid ${process.pid}` } }).then((e) => {
        writeSync(1, `${e.seq} ${e.id}\n`);
      }),
    ),
  );
}
