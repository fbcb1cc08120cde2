/**
 * Parley beside its nearest open-source peer, hypercore 11 (Holepunch's signed Merkle-tree
 * append-only log), in one process, on the same payloads and the same disk (folders under one
 * temporary directory), so every ratio is of two figures from the same run.
 *
 * Durability, stated exactly: Parley's append returns after its SQLite commit (WAL,
 * synchronous=FULL: one fsync of the WAL per commit). hypercore 11 keeps its core in RocksDB
 * (hypercore-storage) and never syncs on append; to make it as durable, each awaited append (or
 * batch) is followed by one fdatasync of RocksDB's current write-ahead log file (the file RocksDB
 * names through `currentWalFile()`, asked again before every sync in case it rotated). Replication
 * likewise ends with one fdatasync of the receiver's WAL, as `parley import` ends with one commit.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdirSync, openSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Hypercore from 'hypercore';
import messages from 'hypercore/messages.js';
import type { Ledger } from '../src/ledger/ledger.js';
import { encodeContent } from '../src/protocol/entry.js';
import { checkProof } from '../src/protocol/proof.js';
import { initNode, loadNode, openLedger } from '../src/node/folder.js';
import { median, medianOf } from './stats.js';

export const PAYLOAD_BYTES = 200;
const PARLEY_BIN = fileURLToPath(new URL('../../bin/parley.js', import.meta.url));

/** A note whose canonical content is PAYLOAD_BYTES long: what both logs store per entry. */
function notePayload(i: number): { type: string; to: string[]; body: { subject: string; text: string } } {
  const subject = `m${String(i).padStart(9, '0')}`;
  const bare = encodeContent({ type: 'note', to: ['RUS'], refs: [], body: { subject, text: '' }, salt: 'A'.repeat(22) }).length;
  return { type: 'note', to: ['RUS'], body: { subject, text: 'x'.repeat(Math.max(0, PAYLOAD_BYTES - bare)) } };
}
const block = (i: number) => Buffer.from(encodeContent({ ...notePayload(i), refs: [], salt: 'A'.repeat(22) }));

let folders = 0;
/** A USA node folder and ledger, and receivers: RUS node folders that pin USA's key. */
async function parleyPair(dir: string): Promise<{ usa: Ledger; usaDir: string; receiver: (checkWorkers?: number, checkWorkersFrom?: number) => Promise<{ ledger: Ledger; dir: string }> }> {
  const n = folders++;
  const usaFolder = await initNode(join(dir, `USA-${n}`), { party: 'USA', url: 'http://127.0.0.1:1' });
  const usa = await openLedger(loadNode(usaFolder.dir), { signingWorkers: Math.max(1, availableParallelism() - 1) });
  let receivers = 0;
  const receiver = async (checkWorkers?: number, checkWorkersFrom?: number) => {
    const rusFolder = await initNode(join(dir, `RUS-${n}-${receivers++}`), { party: 'RUS', url: 'http://127.0.0.1:2' });
    // USA addresses RUS by the first receiver's key; the others only receive.
    if (!usa.roster.has('RUS')) await usa.roster.add(rusFolder.descriptor, new Date().toISOString());
    const ledger = await openLedger(loadNode(rusFolder.dir), { checkWorkers, checkWorkersFrom });
    await ledger.roster.add(usaFolder.descriptor, new Date().toISOString());
    return { ledger, dir: rusFolder.dir };
  };
  // The addressee is pinned before the first append names it.
  await (await receiver()).ledger.close();
  return { usa, usaDir: usaFolder.dir, receiver };
}

/** hypercore with its WAL synced on demand (the durability emulation above). */
class DurableCore {
  readonly core: Hypercore;
  #fd = -1;
  #wal = -1;
  constructor(readonly dir: string, key?: Buffer) {
    this.core = new Hypercore(dir, key);
  }
  async sync(): Promise<void> {
    const wal = await this.core.core.db.db.currentWalFile();
    if (wal.number !== this.#wal) {
      if (this.#fd >= 0) {
        fdatasyncSync(this.#fd);
        closeSync(this.#fd);
      }
      this.#fd = openSync(join(this.dir, 'db', wal.path), 'r+');
      this.#wal = wal.number;
    }
    fdatasyncSync(this.#fd);
  }
  async close(): Promise<void> {
    if (this.#fd >= 0) closeSync(this.#fd);
    await this.core.close();
  }
}

/** fdatasync of a 200-byte write, per second, on this disk: the floor under every durable append. */
export function rawFdatasyncsPerSecond(dir: string, ms = 1000): number {
  const fd = openSync(join(dir, 'fdatasync.bin'), 'w');
  const buf = Buffer.alloc(PAYLOAD_BYTES, 1);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    writeSync(fd, buf);
    fdatasyncSync(fd);
    n++;
  }
  const rate = (n * 1000) / (performance.now() - t0);
  closeSync(fd);
  return rate;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface PeerFigures {
  entries: number;
  fdatasyncsPerSec: number;
  single: { parley: number; hypercore: number };
  batched: { parley: number; hypercore: number };
  cpuPerEntryUs: { parley: number; hypercore: number };
  receive: { parleyMs: number; hypercoreMs: number; parleyEntries: number };
  verify: { parleyMs: number; hypercoreMs: number };
  proofCheckMs: { parley: number; hypercore: number };
  proofBytes: { parley: number; hypercore: number };
  bytesPerEntry: { parley: number; hypercore: number };
  crossover: { size: number; inlineMs: number; workersMs: number }[];
}

/** Appends per second with one writer awaiting each, both durable. */
async function single(dir: string, ms: number): Promise<{ parley: number; hypercore: number }> {
  const parley = await medianOf(3, async () => {
    const { usa } = await parleyPair(dir);
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) await usa.append(notePayload(n++));
    const rate = (n * 1000) / (performance.now() - t0);
    await usa.close();
    return rate;
  });
  const hypercore = await medianOf(3, async () => {
    const c = new DurableCore(join(dir, `hc-single-${folders++}`));
    await c.core.ready();
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      await c.core.append(block(n++));
      await c.sync();
    }
    const rate = (n * 1000) / (performance.now() - t0);
    await c.close();
    return rate;
  });
  return { parley, hypercore };
}

/** Appends per second and CPU (all threads) per entry in awaited batches of 256, both durable. */
async function batched(dir: string, ms: number): Promise<{ rate: { parley: number; hypercore: number }; cpu: { parley: number; hypercore: number } }> {
  const B = 256;
  const runs = { parley: [] as number[][], hypercore: [] as number[][] };
  for (let r = 0; r < 3; r++) {
    const { usa } = await parleyPair(dir);
    let n = 0;
    const t0 = performance.now();
    const c0 = cpuMs();
    while (performance.now() - t0 < ms) await Promise.all(Array.from({ length: B }, () => usa.append(notePayload(n++))));
    runs.parley.push([(n * 1000) / (performance.now() - t0), ((cpuMs() - c0) * 1000) / n]);
    await usa.close();

    const c = new DurableCore(join(dir, `hc-batch-${folders++}`));
    await c.core.ready();
    let m = 0;
    const t1 = performance.now();
    const c1 = cpuMs();
    while (performance.now() - t1 < ms) {
      const blocks = Array.from({ length: B }, () => block(m++));
      await c.core.append(blocks);
      await c.sync();
    }
    runs.hypercore.push([(m * 1000) / (performance.now() - t1), ((cpuMs() - c1) * 1000) / m]);
    await c.close();
  }
  const med = (side: number[][], i: number) => median(side.map((x) => x[i]));
  return { rate: { parley: med(runs.parley, 0), hypercore: med(runs.hypercore, 0) }, cpu: { parley: med(runs.parley, 1), hypercore: med(runs.hypercore, 1) } };
}

function sizeOf(path: string, match: (name: string) => boolean = () => true): number {
  let total = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) total += sizeOf(p, match);
    else if (match(e.name)) total += statSync(p).size;
  }
  return total;
}

function cli(args: string[]): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [PARLEY_BIN, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`parley ${args[0]} failed (${r.status}): ${r.stderr}`);
  return { ms, out: r.stdout };
}

/**
 * A log of `count` entries on each side, then: receiving it (`parley import` of the exported file,
 * a fresh process as an operator runs it, vs. replication between two in-process cores over
 * piped streams), re-checking it (`parley verify` vs. hypercore's audit), proofs, and bytes on disk.
 */
async function log(dir: string, count: number, runs: number) {
  const { usa, usaDir, receiver } = await parleyPair(dir);
  const targets: string[] = [];
  for (let r = 0; r < runs; r++) {
    const t = await receiver();
    await t.ledger.close();
    targets.push(t.dir);
  }
  for (let i = 0; i < count; i += 1000) await Promise.all(Array.from({ length: Math.min(1000, count - i) }, (_, j) => usa.append(notePayload(i + j))));
  const lines: string[] = [];
  for await (const e of usa.all()) lines.push(JSON.stringify(e.envelope));
  const file = join(dir, 'usa.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');

  // Proofs: one bundle per sampled entry, checked offline with checkProof.
  const samples = 200;
  const ids: string[] = [];
  for (let s = 0; s < samples; s++) ids.push((await usa.bySeq('USA', 1 + Math.floor((s * (count - 2)) / samples)))!.id);
  const bundles = await Promise.all(ids.map((id) => usa.prove(id)));
  const parleyProofBytes = median(bundles.map((b) => Buffer.byteLength(JSON.stringify(b))));
  const parleyCheck: number[] = [];
  for (const b of bundles) {
    const t0 = performance.now();
    const r = checkProof(b);
    parleyCheck.push(performance.now() - t0);
    if (!r.ok) throw new Error(`a Parley proof did not check: ${r.error.message}`);
  }
  await usa.close();
  const parleyBytes = sizeOf(usaDir, (n) => n.startsWith('parley.db'));

  const writer = new DurableCore(join(dir, 'hc-writer'));
  await writer.core.ready();
  for (let i = 0; i < count; i += 1000) await writer.core.append(Array.from({ length: Math.min(1000, count - i) }, (_, j) => block(i + j)));
  await writer.sync();

  const imports: number[] = [];
  const verifies: number[] = [];
  const replications: number[] = [];
  const audits: number[] = [];
  let parleyEntries = 0;
  for (let r = 0; r < runs; r++) {
    // A fresh receiver each run: RUS folders made alike, with USA pinned.
    const target = targets[r];
    const imported = cli(['import', '--dir', target, '--file', file, '--json']);
    parleyEntries = JSON.parse(imported.out).accepted;
    imports.push(imported.ms);
    const v = cli(['verify', '--dir', target, '--json']);
    if (!JSON.parse(v.out).ok) throw new Error('parley verify found problems in a clean import');
    verifies.push(v.ms);

    const reader = new DurableCore(join(dir, `hc-reader-${r}`), writer.core.key);
    await reader.core.ready();
    const t0 = performance.now();
    const a = writer.core.replicate(true);
    const b = reader.core.replicate(false);
    a.pipe(b).pipe(a);
    await reader.core.download({ start: 0, end: count }).done();
    await reader.sync();
    replications.push(performance.now() - t0);
    if (reader.core.length !== count) throw new Error(`hypercore replicated ${reader.core.length} of ${count} blocks`);
    a.destroy();
    b.destroy();
    const t1 = performance.now();
    const audit = await reader.core.core.audit({ dryRun: true });
    audits.push(performance.now() - t1);
    if (!audit || audit.corrupt || audit.blocks !== count) throw new Error(`hypercore's audit of a clean core: ${JSON.stringify(audit)}`);
    await reader.close();
  }

  // hypercore proofs: the block with its Merkle nodes and a signed upgrade to the full length, as
  // the wire's data message carries it; checked on an empty core holding only the key.
  const hcBytes: number[] = [];
  const hcCheck: number[] = [];
  const checker = new Hypercore(join(dir, 'hc-checker'), writer.core.key);
  await checker.ready();
  for (let s = 0; s < samples; s++) {
    const index = Math.floor((s * (count - 2)) / samples);
    const proof = await writer.core.proof({ block: { index, nodes: 0 }, upgrade: { start: 0, length: count } });
    proof.block!.value = await writer.core.get(index);
    proof.manifest = writer.core.core.header.manifest;
    const state = { start: 0, end: 0 };
    messages.wire.data.preencode(state, { request: 0, ...proof });
    hcBytes.push(state.end);
    const t0 = performance.now();
    await checker.verifyFullyRemote(proof);
    hcCheck.push(performance.now() - t0);
  }
  await checker.close();
  await writer.core.core.db.db.compactRange();
  await writer.close();
  const hcBytesOnDisk = sizeOf(join(dir, 'hc-writer'));
  return {
    receive: { parleyMs: median(imports), hypercoreMs: median(replications), parleyEntries },
    verify: { parleyMs: median(verifies), hypercoreMs: median(audits) },
    proofCheckMs: { parley: median(parleyCheck), hypercore: median(hcCheck) },
    proofBytes: { parley: parleyProofBytes, hypercore: median(hcBytes) },
    bytesPerEntry: { parley: parleyBytes / count, hypercore: hcBytesOnDisk / count },
  };
}

/**
 * accept of a fresh batch of `size` entries (checks and one durable commit) into a new receiver,
 * signatures checked inline or on a warm pool of workers: where the pool starts paying.
 */
async function crossover(dir: string, sizes: number[]): Promise<{ size: number; inlineMs: number; workersMs: number }[]> {
  const { usa, receiver } = await parleyPair(dir);
  const max = Math.max(...sizes) + 64;
  await Promise.all(Array.from({ length: max }, (_, i) => usa.append(notePayload(i))));
  const envelopes = (await usa.range('USA', 0, max)).map((e) => e.envelope);
  const out: { size: number; inlineMs: number; workersMs: number }[] = [];
  const time = (batch: typeof envelopes, checkWorkers: number) =>
    medianOf(3, async () => {
      // Every batch, however small, to the workers when there are any.
      const { ledger } = await receiver(checkWorkers, 1);
      // The first 64 entries first, untimed: this starts the pool's workers (a node starts them at
      // its first large batch and keeps them), and the receiver's first commit is behind it.
      await ledger.accept(batch.slice(0, 64), { source: 'USA', onGap: 'hold', receipts: false });
      const t0 = performance.now();
      const r = await ledger.accept(batch.slice(64), { source: 'USA', onGap: 'hold', receipts: false });
      if (r.accepted.length !== batch.length - 64) throw new Error('the timed batch was not accepted whole');
      const ms = performance.now() - t0;
      await ledger.close();
      return ms;
    });
  for (const size of sizes) {
    const batch = envelopes.slice(0, 64 + size);
    out.push({ size, inlineMs: await time(batch, 0), workersMs: await time(batch, availableParallelism()) });
  }
  await usa.close();
  return out;
}

export async function benchPeer(dir: string, options: { entries?: number; runs?: number } = {}): Promise<PeerFigures> {
  const root = join(dir, 'peer');
  mkdirSync(root, { recursive: true });
  const entries = options.entries ?? 100_000;
  const fdatasyncsPerSec = rawFdatasyncsPerSecond(root);
  const s = await single(root, 1000);
  const b = await batched(root, 1500);
  const l = await log(root, entries, options.runs ?? 1);
  const c = await crossover(root, [16, 64, 256, 1024, 4096]);
  return { entries, fdatasyncsPerSec, single: s, batched: b.rate, cpuPerEntryUs: b.cpu, ...l, crossover: c };
}
