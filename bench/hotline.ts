/**
 * Hotline figure of issue 5: the round trip of a flash message — from the officer's send (the
 * append call) to the sender holding the addressee's signed receipt — between two real nodes on
 * loopback (the sender in this process, the addressee a `parley start` child process, every
 * commit durable at both ends), p50 and p99:
 *
 * - idle: nothing else flows;
 * - under load: 1,000 routine hotline messages per second flow from the same sender to the same
 *   addressee at the same time.
 *
 * Goal: p99 under load ≤ 2 × idle p99 — priority traffic must not queue behind bulk traffic.
 * Printed beside the raw limits measured in the same run (durable commits/s, signatures/s).
 *
 * Run alone: `node dist/bench/hotline.js [--quick] [--rate N]`. `bench/run.ts` can call {@link runHotlineBench}.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { initNode, introduce } from '../src/node/folder.js';
import { startNode, type RunningNode } from '../src/server/node.js';
import { readRunInfo } from '../src/server/runfile.js';
import { CLI, freePort, runIfMain, receiptWatch, sleep, spawnPeer, stopChild, until } from './peers.js';
import { measureLimits, type Limits } from './limits.js';
import { fmt, percentile } from './stats.js';

export interface HotlineBenchOptions {
  /** Fewer samples (while developing; the machine is shared). */
  quick?: boolean;
  /** Flash messages measured in each phase (default 300, quick 100). */
  samples?: number;
  /** Routine messages per second under load (default 1000). */
  bulkRate?: number;
  limits?: Limits;
}

export interface HotlineFigures {
  'flash round trip p50 ms, idle': number;
  'flash round trip p99 ms, idle': number;
  'flash round trip p50 ms, under load': number;
  'flash round trip p99 ms, under load': number;
  'p99 under load / p99 idle': number;
  'routine messages/s achieved under load': number;
  'flash send → committed p99 ms, under load': number;
  [k: string]: number;
}

const TEXT = 'Routine traffic: the schedule of the next liaison meeting, the points of contact for the week, the agenda items proposed.';
const flash = (i: number) => ({ priority: 'flash', subject: `flash ${i}`, text: 'Aircraft approaching the line of contact: confirm intentions.', language: 'en' });
const routine = (i: number) => ({ priority: 'routine', subject: `routine ${i}`, text: TEXT, language: 'en' });

export async function runHotlineBench(options: HotlineBenchOptions = {}): Promise<HotlineFigures> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first`);
  const samples = options.samples ?? (options.quick ? 100 : 300);
  const bulkRate = options.bulkRate ?? 1000;
  const root = mkdtempSync(join(tmpdir(), 'parley-bench-hotline-'));
  const [portA, portB] = [await freePort(), await freePort()];
  const usa = await initNode(join(root, 'USA'), { party: 'USA', url: `http://127.0.0.1:${portA}` });
  const rus = await initNode(join(root, 'RUS'), { party: 'RUS', url: `http://127.0.0.1:${portB}` });
  await introduce([usa, rus]);
  let child: ChildProcess | undefined;
  let sender: RunningNode | undefined;
  try {
    child = spawnPeer(rus.dir, portB);
    sender = await startNode({ dir: usa.dir, port: portA, logger: false, signingWorkers: Math.min(4, Math.max(1, availableParallelism() - 1)), settings: { hotline: { linkTests: false } } });
    await until(() => readRunInfo(rus.dir)?.pid === child!.pid, 30_000);
    const s = sender;
    await until(() => s.federation.status().peers.every((p) => p.link === 'up'), 20_000);
    const watch = receiptWatch(sender, 'RUS');
    try {
      await flashes(sender, watch, 30, 10); // warm: connections, JIT
      // Idle and loaded blocks alternate, so that whatever else the (shared) machine does in the
      // meantime weighs on both alike.
      const rounds = options.quick ? 1 : 3;
      const idle: number[] = [];
      const loaded: number[] = [];
      const commits: number[] = [];
      const ahead: number[] = [];
      const rates: number[] = [];
      for (let r = 0; r < rounds; r++) {
        idle.push(...(await flashes(sender, watch, Math.ceil(samples / rounds), 20)));
        const bulk = startBulk(sender, bulkRate);
        await sleep(500); // let the bulk flow settle
        loaded.push(...(await flashes(sender, watch, Math.ceil(samples / rounds), 20, commits, ahead)));
        rates.push(await bulk.stop());
        await watch.when(sender.ledger.head('USA')!.seq, 60_000);
      }
      const achieved = rates.reduce((a, b) => a + b, 0) / rates.length;
      const out: HotlineFigures = {
        'flash round trip p50 ms, idle': percentile(idle, 50),
        'flash round trip p99 ms, idle': percentile(idle, 99),
        'flash round trip p50 ms, under load': percentile(loaded, 50),
        'flash round trip p99 ms, under load': percentile(loaded, 99),
        'p99 under load / p99 idle': percentile(loaded, 99) / percentile(idle, 99),
        'routine messages/s achieved under load': achieved,
        'flash send → committed p99 ms, under load': percentile(commits, 99),
        'own entries not yet receipted ahead of a flash when committed, p50, under load': percentile(ahead, 50),
        'own entries not yet receipted ahead of a flash when committed, p99, under load': percentile(ahead, 99),
      };
      if (options.limits) {
        // The floor of a round trip: durable commits of the message (sender), of it and its receipt (receiver), of the receipt (sender).
        out['round-trip floor ms (3 durable commits, 2 signatures)'] = 3 * (1000 / options.limits.durableCommitsPerSec) + 2 * (1000 / options.limits.signsPerSec);
      }
      return out;
    } finally {
      watch.off();
    }
  } finally {
    await sender?.close();
    if (child) await stopChild(child);
    rmSync(root, { recursive: true, force: true });
  }
}

/** Sends `n` flash messages one after the other, `gapMs` apart; each sample is send → receipt, ms. */
async function flashes(sender: RunningNode, watch: ReturnType<typeof receiptWatch>, n: number, gapMs: number, committed: number[] = [], ahead: number[] = []): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const e = await sender.ledger.append({ type: 'hotline.message', to: ['RUS'], body: flash(i) });
    committed.push(performance.now() - t0);
    ahead.push(e.seq - 1 - watch.upto());
    out.push((await watch.when(e.seq)) - t0);
    await sleep(gapMs);
  }
  return out;
}

/** Routine messages at `rate` per second, paced by the clock (each tick sends what is due), until stopped. */
function startBulk(sender: RunningNode, rate: number): { stop: () => Promise<number> } {
  let stopped = false;
  let sent = 0;
  const t0 = performance.now();
  const pending = new Set<Promise<unknown>>();
  const loop = (async () => {
    while (!stopped) {
      const due = Math.floor(((performance.now() - t0) * rate) / 1000);
      for (; sent < due; sent++) {
        // Refused only once the node is stopping (the bench failed): nothing to count.
        const p = sender.ledger.append({ type: 'hotline.message', to: ['RUS'], body: routine(sent) }).catch(() => undefined);
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
      await sleep(5);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      const elapsed = performance.now() - t0;
      await loop;
      await Promise.all(pending);
      return (sent * 1000) / elapsed;
    },
  };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const i = process.argv.indexOf('--rate');
  const bulkRate = i > 0 ? Number(process.argv[i + 1]) : undefined;
  console.log('Physical limits (this run):');
  const limits = await measureLimits();
  console.log(`  raw Ed25519 signatures/s (1 core): ${fmt(limits.signsPerSec)}`);
  console.log(`  raw durable SQLite commits/s: ${fmt(limits.durableCommitsPerSec)}`);
  console.log(`\nHotline (issue 5)${quick ? ', quick' : ''}, ${bulkRate ?? 1000} routine messages/s under load:`);
  const figures = await runHotlineBench({ quick, limits, bulkRate });
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${fmt(v, v < 100 ? 2 : 0)}`);
  console.log('  goal: p99 under load ≤ 2 × p99 idle');
}

runIfMain(import.meta.url, main);
