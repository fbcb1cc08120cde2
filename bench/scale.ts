/**
 * Cost as the network grows (issue 18): networks of 5, 15 and 57 parties (the OSCE's participating
 * States), one `parley start` process per node on this machine, each with a bounded heap. USA
 * broadcasts one note to `*`; measured per broadcast:
 *
 * - until every peer's receipt is back at USA (USA's node in this process watches its commits);
 * - until the network is quiet: every node holds every other node's whole log (receipts included,
 *   so every stub is everywhere) with nothing left to send (every node's status polled);
 * - requests and bytes on the wire, summed over every node's own counters (`wire` in the status),
 *   with the idle background (link heartbeats) measured beforehand and given separately.
 *
 * The growth of bytes per broadcast with N is fitted as bytes ∝ N^k (least squares on logs).
 * Run alone: `node dist/bench/scale.js [--quick]`.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { initNode, introduce, type NodeFolder } from '../src/node/folder.js';
import { startNode, type RunningNode } from '../src/server/node.js';
import { readRunInfo } from '../src/server/runfile.js';
import { CLI, freePort, receiptWatch, runIfMain, sleep, stopChild, until } from './peers.js';
import { fmt, median } from './stats.js';

/** The 57 participating States of the OSCE, ISO 3166-1 alpha-3; USA first (it broadcasts). */
export const OSCE = [
  'USA', 'RUS', 'UKR', 'BLR', 'POL', 'ALB', 'AND', 'ARM', 'AUT', 'AZE', 'BEL', 'BIH', 'BGR', 'CAN', 'HRV', 'CYP', 'CZE', 'DNK', 'EST',
  'FIN', 'FRA', 'GEO', 'DEU', 'GRC', 'VAT', 'HUN', 'ISL', 'IRL', 'ITA', 'KAZ', 'KGZ', 'LVA', 'LIE', 'LTU', 'LUX', 'MLT', 'MDA', 'MCO',
  'MNG', 'MNE', 'NLD', 'MKD', 'NOR', 'PRT', 'ROU', 'SMR', 'SRB', 'SVK', 'SVN', 'ESP', 'SWE', 'CHE', 'TJK', 'TUR', 'TKM', 'GBR', 'UZB',
];

/** Heap bound of each node process (MiB). */
const HEAP_MIB = 192;

export interface ScaleFigure {
  parties: number;
  broadcasts: number;
  receiptsMs: number;
  quietMs: number;
  requests: number;
  bytes: number;
  idleRequestsPerSec: number;
  idleBytesPerSec: number;
  rssMiBMedian: number;
  rssMiBMax: number;
}

interface Wire {
  requests: number;
  bytes: number;
}

export async function runScaleBench(options: { quick?: boolean; sizes?: number[] } = {}): Promise<{ figures: ScaleFigure[]; exponent: number }> {
  const sizes = options.sizes ?? (options.quick ? [5, 15] : [5, 15, 57]);
  const root = mkdtempSync(join(tmpdir(), 'parley-bench-scale-'));
  const figures: ScaleFigure[] = [];
  try {
    for (const n of sizes) figures.push(await measure(join(root, `n${n}`), n, options.quick ? 3 : 5));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { figures, exponent: slope(figures.map((f) => Math.log(f.parties)), figures.map((f) => Math.log(f.bytes))) };
}

async function measure(dir: string, n: number, times: number): Promise<ScaleFigure> {
  const codes = OSCE.slice(0, n);
  const ports = await Promise.all(codes.map(() => freePort()));
  const folders: NodeFolder[] = [];
  for (const [i, code] of codes.entries()) folders.push(await initNode(join(dir, code), { party: code, url: `http://127.0.0.1:${ports[i]}` }));
  await introduce(folders);
  const children: ChildProcess[] = [];
  let usa: RunningNode | undefined;
  try {
    for (let i = 1; i < n; i++) children.push(spawnBounded(folders[i].dir, ports[i]));
    usa = await startNode({ dir: folders[0].dir, port: ports[0], logger: false });
    for (const [i, c] of children.entries()) await ready(folders[i + 1].dir, c);
    const sender = usa;
    await until(() => sender.federation.status().peers.every((p) => p.link === 'up'), 120_000);
    const statuses = () => Promise.all(folders.map((f, i) => (i === 0 ? Promise.resolve(sender.federation.status()) : status(f, ports[i]))));
    const quiet = async () => {
      const all = await statuses();
      const own = new Map(all.map((s) => [s.party, s.seq]));
      return all.every((s) => s.peers.every((p) => p.received === own.get(p.party) && p.backlog === 0));
    };
    const waitQuiet = async (timeoutMs: number) => {
      const end = Date.now() + timeoutMs;
      while (!(await quiet())) {
        if (Date.now() > end) throw new Error(`the ${n}-party network did not settle within ${timeoutMs} ms`);
        await sleep(50);
      }
    };
    const wire = async (): Promise<Wire> => {
      const all = await statuses();
      return all.reduce((w, s) => ({ requests: w.requests + (s.wire?.requests ?? 0), bytes: w.bytes + (s.wire?.bytesSent ?? 0) + (s.wire?.bytesReceived ?? 0) }), { requests: 0, bytes: 0 });
    };

    // Warm up (connections, JIT), then the idle background over 5 s.
    const watches = codes.slice(1).map((p) => receiptWatch(sender, p));
    try {
      for (let i = 0; i < 2; i++) {
        const e = await sender.ledger.append({ type: 'note', to: ['*'], body: { subject: `warm-up ${i}`, text: '' } });
        await Promise.all(watches.map((w) => w.when(e.seq, 120_000)));
        await waitQuiet(120_000);
      }
      const idle0 = await wire();
      const idleT0 = Date.now();
      await sleep(5000);
      const idle1 = await wire();
      const idleS = (Date.now() - idleT0) / 1000;
      const idleReq = (idle1.requests - idle0.requests) / idleS;
      const idleBytes = (idle1.bytes - idle0.bytes) / idleS;

      const receipts: number[] = [];
      const quietMs: number[] = [];
      const requests: number[] = [];
      const bytes: number[] = [];
      for (let i = 0; i < times; i++) {
        await waitQuiet(120_000);
        const w0 = await wire();
        const t0 = performance.now();
        const e = await sender.ledger.append({ type: 'note', to: ['*'], body: { subject: `broadcast ${i}`, text: 'The exercise announced for next week will not take place.' } });
        const tReceipts = Math.max(...(await Promise.all(watches.map((w) => w.when(e.seq, 120_000)))));
        receipts.push(tReceipts - t0);
        await waitQuiet(120_000);
        const tQuiet = performance.now();
        quietMs.push(tQuiet - t0);
        const w1 = await wire();
        // What the broadcast cost, without the heartbeats that flowed meanwhile.
        const windowS = (tQuiet - t0) / 1000;
        requests.push(Math.max(0, w1.requests - w0.requests - idleReq * windowS));
        bytes.push(Math.max(0, w1.bytes - w0.bytes - idleBytes * windowS));
      }
      const rss = children.map((c) => rssMiB(c.pid!)).filter((x): x is number => x !== undefined);
      return {
        parties: n,
        broadcasts: times,
        receiptsMs: median(receipts),
        quietMs: median(quietMs),
        requests: median(requests),
        bytes: median(bytes),
        idleRequestsPerSec: idleReq,
        idleBytesPerSec: idleBytes,
        rssMiBMedian: median(rss),
        rssMiBMax: Math.max(...rss),
      };
    } finally {
      for (const w of watches) w.off();
    }
  } finally {
    await usa?.close();
    await Promise.all(children.map(stopChild));
  }
}

function spawnBounded(dir: string, port: number): ChildProcess {
  const log = openSync(join(dir, 'node.log'), 'a');
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MIB}`, CLI, 'start', '--dir', dir, '--port', String(port)], {
    stdio: ['ignore', log, log],
    env: { ...process.env, PARLEY_LOG_LEVEL: 'warn' },
  });
  closeSync(log);
  return child;
}

async function ready(dir: string, child: ChildProcess): Promise<void> {
  await until(() => {
    if (child.exitCode !== null) throw new Error(`the node in ${dir} exited; see its node.log`);
    return readRunInfo(dir)?.pid === child.pid;
  }, 120_000);
}

interface StatusJson {
  party: string;
  seq: number;
  peers: { party: string; received: number; backlog: number }[];
  wire?: { requests: number; bytesSent: number; bytesReceived: number };
}

async function status(folder: NodeFolder, port: number): Promise<StatusJson> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/status`, { headers: { authorization: `Bearer ${folder.tokens.analyst}` }, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`status of ${folder.descriptor.party}: HTTP ${res.status}`);
  return (await res.json()) as StatusJson;
}

function rssMiB(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Least-squares slope of y on x. */
function slope(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    num += (x[i] - mx) * (y[i] - my);
    den += (x[i] - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** Prints the figures as `npm run bench scale` does. */
export function describeScale(r: { figures: ScaleFigure[]; exponent: number }, add: (figure: string, value: string, limit?: string, ratio?: string, goal?: string) => void): void {
  for (const f of r.figures) {
    add(
      `${f.parties} parties, one broadcast to *: every receipt back at the author`,
      `${fmt(f.receiptsMs)} ms p50`,
      '',
      '',
      f.parties === 57 ? '≤ 1,000 ms' : '',
    );
    add(`${f.parties} parties: until every node holds every log (every stub everywhere) and nothing is left to send`, `${fmt(f.quietMs)} ms p50`);
    add(
      `${f.parties} parties: requests and bytes on the wire per broadcast (heartbeats removed)`,
      `${fmt(f.requests)} requests, ${fmt(f.bytes / 1024, 1)} KiB`,
      `N² = ${fmt(f.parties ** 2)} stub deliveries`,
      `${fmt(f.requests / f.parties ** 2, 2)} requests per N²`,
    );
    add(`${f.parties} parties: idle background (link heartbeats), whole network`, `${fmt(f.idleRequestsPerSec)} requests/s, ${fmt(f.idleBytesPerSec / 1024, 1)} KiB/s`);
    add(`${f.parties} parties: resident memory per node process (heap capped at ${HEAP_MIB} MiB)`, `${fmt(f.rssMiBMedian)} MiB median, ${fmt(f.rssMiBMax)} MiB max`);
  }
  if (r.figures.length > 1) add('bytes per broadcast ∝ N^k, fitted k', fmt(r.exponent, 2), 'k = 2 (every stub to every party)', '', 'clearly below 2');
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const r = await runScaleBench({ quick });
  describeScale(r, (figure, value, limit, ratio, goal) => console.log(`  ${figure}: ${value}${limit ? `  (${limit}${ratio ? `, ${ratio}` : ''})` : ''}${goal ? `  goal ${goal}` : ''}`));
}

runIfMain(import.meta.url, main);
