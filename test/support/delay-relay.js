/**
 * A TCP relay that delays every chunk, in both directions, by a latency with random jitter —
 * what `tc netem delay 300ms 100ms` does to packets, for a kernel without netem. Within one
 * connection bytes keep their order (as TCP would deliver them); across connections the jitter
 * lets a later request overtake an earlier one, so requests arrive reordered.
 *
 *   node delay-relay.js <listen host> <listen port> <target host> <target port> <latency ms> <jitter ms>
 *
 * Runs until killed. Prints "ready" once listening.
 */
import { createServer, connect } from 'node:net';

const [host, port, toHost, toPort, latency, jitter] = process.argv.slice(2);
const base = Number(latency);
const spread = Number(jitter);

/** Writes chunks from `from` to `to`, each no earlier than its delay and never before the one before it. */
function delayed(from, to) {
  let last = 0;
  from.on('data', (chunk) => {
    const due = Math.max(last, Date.now() + base + (Math.random() * 2 - 1) * spread);
    last = due;
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, due - Date.now());
  });
  from.on('end', () => setTimeout(() => to.end(), Math.max(0, last - Date.now()) + 1));
  from.on('error', () => to.destroy());
}

createServer((client) => {
  const upstream = connect(Number(toPort), toHost);
  delayed(client, upstream);
  delayed(upstream, client);
  // A side that closed is followed by the other once what is still in flight has been delivered.
  const later = (s) => () => setTimeout(() => s.destroy(), base + spread + 10);
  client.on('close', later(upstream));
  upstream.on('close', later(client));
}).listen(Number(port), host, () => console.log('ready'));
