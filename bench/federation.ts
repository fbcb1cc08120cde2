/**
 * Federation figures of issue 3, between real nodes on loopback (the sender in this process, each
 * peer its own `parley start` child process, every commit durable at both ends):
 *
 * - delivery latency at a steady 100 entries/s: from the sender's append returning (what the
 *   operator's send call answers after) to the sender holding the receiver's signed receipt;
 * - sustained throughput of one sender to one peer, until the receipt of the last entry is back;
 * - broadcast to 10 peers: from the append returning to every peer's receipt held.
 *
 * Run alone: `node dist/bench/federation.js [--quick]` prints the figures beside the physical
 * limits measured in the same run. `bench/run.ts` calls {@link runFederationBench}.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { initNode, introduce, type NodeFolder } from '../src/node/folder.js';
import { startNode, type RunningNode } from '../src/server/node.js';
import { readRunInfo } from '../src/server/runfile.js';
import { CLI, freePort, runIfMain, receiptWatch, spawnPeer, stopChild, until } from './peers.js';
import { measureLimits, type Limits } from './limits.js';
import type { StoreMaker } from './ledger.js';
import { fmt, median, percentile } from './stats.js';

export interface FederationBenchOptions {
  /** Fewer and shorter runs (while developing; the machine is shared). */
  quick?: boolean;
  /** Raw limits measured in the same run; adds the ratios to them. */
  limits?: Limits;
  /** Each node's store: a fresh location per node (a new PostgreSQL database); default its folder's SQLite file. */
  store?: StoreMaker;
  /** Only the two-node figures (latency, one-to-one throughput), not the broadcast to 10 peers. */
  pairOnly?: boolean;
}

const body = (i: number) => ({ subject: `message ${i}`, text: 'The exercise announced for next week will not take place.' });

/** Every federation figure, keyed by name; medians of repeated runs. */
export async function runFederationBench(options: FederationBenchOptions = {}): Promise<Record<string, number>> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
  const runs = options.quick ? 1 : 3;
  const out: Record<string, number> = {};
  const root = mkdtempSync(join(tmpdir(), 'parley-bench-fed-'));
  try {
    const p50s: number[] = [];
    const p99s: number[] = [];
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      await withNetwork(join(root, `pair-${r}`), 1, options.store, async (sender, peers) => {
        const lat = await steadyLatency(sender, peers[0], options.quick ? 2000 : 5000);
        p50s.push(lat.p50);
        p99s.push(lat.p99);
        rates.push(await throughput(sender, peers[0], options.quick ? 3000 : 10_000));
      });
    }
    out['delivery latency p50 ms (2 nodes, 100 entries/s)'] = median(p50s);
    out['delivery latency p99 ms (2 nodes, 100 entries/s)'] = median(p99s);
    out['throughput entries/s (1 sender → 1 peer, durable both ends)'] = median(rates);

    if (!options.pairOnly) {
      const broadcasts: number[] = [];
      await withNetwork(join(root, 'ten'), 10, options.store, async (sender, peers) => {
        for (let r = 0; r < runs; r++) broadcasts.push(await broadcast(sender, peers, options.quick ? 10 : 20));
      });
      out['broadcast to 10 peers, all receipts back, p50 ms'] = median(broadcasts);
    }

    if (options.limits) {
      const l = options.limits;
      // The floor of one delivery after the send returned: the receiver's durable commit (entry
      // and receipt), the sender's durable commit of the receipt; the receipt's and both HTTP
      // messages' signatures; verifying the request, the entry, the reply and the receipt.
      const floorMs = 2 * (1000 / l.durableCommitsPerSec) + 3 * (1000 / l.signsPerSec) + 4 * (1000 / l.verifiesPerSec);
      out['delivery floor ms (2 durable commits, 3 signatures, 4 verifications)'] = floorMs;
      out['delivery p50 / floor'] = out['delivery latency p50 ms (2 nodes, 100 entries/s)'] / floorMs;
      const slower = Math.min(l.signsPerSec, l.durableCommitsPerSec);
      out['throughput / slower raw limit (signing, durable commits)'] = out['throughput entries/s (1 sender → 1 peer, durable both ends)'] / slower;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return out;
}

/** A sender node in this process and `n` peers as child processes, all introduced to each other. */
async function withNetwork(dir: string, n: number, store: StoreMaker | undefined, fn: (sender: RunningNode, peers: string[]) => Promise<void>): Promise<void> {
  const codes = ['USA', ...Array.from({ length: n }, (_, i) => ['RUS', 'UKR', 'POL', 'DEU', 'FRA', 'GBR', 'BLR', 'LTU', 'LVA', 'EST'][i])];
  const ports = await Promise.all(codes.map(() => freePort()));
  const folders: NodeFolder[] = [];
  for (const [i, code] of codes.entries()) {
    const at = store ? await store() : undefined;
    folders.push(await initNode(join(dir, code), { party: code, url: `http://127.0.0.1:${ports[i]}`, ...(at ? { store: at } : {}) }));
  }
  await introduce(folders);
  const children: ChildProcess[] = [];
  let sender: RunningNode | undefined;
  try {
    for (let i = 1; i < codes.length; i++) children.push(spawnPeer(folders[i].dir, ports[i]));
    sender = await startNode({ dir: folders[0].dir, port: ports[0], logger: false, signingWorkers: Math.min(4, availableParallelism() - 1) });
    await Promise.all(folders.slice(1).map((f, i) => ready(f.dir, children[i])));
    const s = sender;
    await until(() => s.federation.status().peers.every((p) => p.link === 'up'), 20_000);
    await fn(sender, codes.slice(1));
  } finally {
    await sender?.close();
    await Promise.all(children.map(stopChild));
  }
}

async function steadyLatency(sender: RunningNode, peer: string, ms: number): Promise<{ p50: number; p99: number }> {
  const watch = receiptWatch(sender, peer);
  const samples: number[] = [];
  const pending: Promise<void>[] = [];
  try {
    // Warm the path (connections, JIT) first.
    for (let i = 0; i < 50; i++) {
      const e = await sender.ledger.append({ type: 'note', to: [peer], body: body(i) });
      await watch.when(e.seq);
    }
    const interval = 10; // 100 entries/s
    const count = Math.floor(ms / interval);
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = start + i * interval - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(
        sender.ledger.append({ type: 'note', to: [peer], body: body(i) }).then(async (e) => {
          const t0 = performance.now();
          samples.push((await watch.when(e.seq)) - t0);
        }),
      );
    }
    await Promise.all(pending);
  } finally {
    watch.off();
  }
  return { p50: median(samples), p99: percentile(samples, 99) };
}

async function throughput(sender: RunningNode, peer: string, n: number): Promise<number> {
  const watch = receiptWatch(sender, peer);
  try {
    const t0 = performance.now();
    let last = 0;
    const window = 2048;
    for (let i = 0; i < n; i += window) {
      const batch = await Promise.all(Array.from({ length: Math.min(window, n - i) }, (_, j) => sender.ledger.append({ type: 'note', to: [peer], body: body(i + j) })));
      last = batch[batch.length - 1].seq;
    }
    const t1 = await watch.when(last);
    return (n * 1000) / (t1 - t0);
  } finally {
    watch.off();
  }
}

async function broadcast(sender: RunningNode, peers: string[], times: number): Promise<number> {
  const watches = peers.map((p) => receiptWatch(sender, p));
  const samples: number[] = [];
  try {
    for (let i = 0; i < times + 3; i++) {
      const e = await sender.ledger.append({ type: 'note', to: ['*'], body: body(i) });
      const t0 = performance.now();
      const t1 = Math.max(...(await Promise.all(watches.map((w) => w.when(e.seq)))));
      if (i >= 3) samples.push(t1 - t0); // the first few warm the connections
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    for (const w of watches) w.off();
  }
  return median(samples);
}

async function ready(dir: string, child: ChildProcess): Promise<void> {
  await until(() => {
    if (child.exitCode !== null) throw new Error(`the node in ${dir} exited; see its node.log`);
    return readRunInfo(dir)?.pid === child.pid;
  }, 30_000);
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  console.log('Physical limits (this run):');
  const limits = await measureLimits();
  console.log(`  raw Ed25519 signatures/s (1 core): ${fmt(limits.signsPerSec)}`);
  console.log(`  raw Ed25519 verifications/s (1 core): ${fmt(limits.verifiesPerSec)}`);
  console.log(`  raw durable SQLite commits/s: ${fmt(limits.durableCommitsPerSec)}`);
  console.log(`\nFederation (issue 3)${quick ? ', quick' : ', medians of 3 runs'}:`);
  const figures = await runFederationBench({ quick, limits });
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${fmt(v, v < 100 ? 2 : 0)}`);
  console.log('  goals: p50 ≤ 5 ms, p99 ≤ 20 ms; throughput ≥ 0.3 × the slower raw limit');
}

runIfMain(import.meta.url, main);
