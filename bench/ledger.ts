/**
 * Ledger figures of issue 2: appends/s (one writer, and many concurrent writers sharing group
 * commits), verify entries/s over a 100,000-entry log, and proof generation time at 1,000,000
 * entries.
 */
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { rmSync } from 'node:fs';
import { storedInclusionProof, type Ledger } from '../src/ledger/ledger.js';
import { openStore } from '../src/ledger/dialects.js';
import type { EntryRow } from '../src/ledger/store.js';
import { sha256hex } from '../src/protocol/bytes.js';
import { Frontier, leafHash, verifyInclusion, type MerkleNode } from '../src/protocol/merkle.js';
import { generateSigningKey } from '../src/protocol/signing.js';
import { initNode, loadNode, openLedger } from '../src/node/folder.js';
import { median, medianOf } from './stats.js';

/**
 * Where a bench ledger keeps its entries: the node folder's SQLite file by default, or a fresh
 * store this function names (a new PostgreSQL database for each ledger).
 */
export type StoreMaker = () => Promise<string>;

async function makeLedger(dir: string, party = 'USA', store?: StoreMaker): Promise<Ledger> {
  const at = store ? await store() : undefined;
  const folder = await initNode(join(dir, party + '-' + Math.random().toString(36).slice(2)), { party, url: 'http://127.0.0.1:1', ...(at ? { store: at } : {}) });
  const ledger = await openLedger(loadNode(folder.dir), { signingWorkers: Math.max(1, availableParallelism() - 1) });
  const peer = generateSigningKey();
  await ledger.roster.add({ party: 'RUS', name: 'RUS', url: 'http://127.0.0.1:2', publicKey: peer.publicKeyB64 }, new Date().toISOString());
  return ledger;
}

const note = (i: number) => ({ type: 'note', to: ['RUS'], body: { subject: `message ${i}`, text: 'The exercise announced for next week will not take place.' } });

export async function appendsSingle(dir: string, ms = 1500, store?: StoreMaker): Promise<number> {
  return medianOf(3, async () => {
    const ledger = await makeLedger(dir, 'USA', store);
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms / 3) {
      await ledger.append(note(n++));
    }
    const rate = (n * 1000) / (performance.now() - t0);
    await ledger.close();
    return rate;
  });
}

export async function appendsConcurrent(dir: string, writers = 1024, ms = 3000, store?: StoreMaker): Promise<number> {
  return medianOf(3, async () => {
    const ledger = await makeLedger(dir, 'USA', store);
    let n = 0;
    const t0 = performance.now();
    const stopAt = t0 + ms / 3;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (performance.now() < stopAt) {
          await ledger.append(note(n++));
        }
      }),
    );
    const rate = (n * 1000) / (performance.now() - t0);
    await ledger.close();
    return rate;
  });
}

/** Builds a log of `count` entries (group commits of 1,000) and times a full `verify` over it. */
export async function verifyRate(dir: string, count = 100_000, onProgress?: (n: number) => void): Promise<{ rate: number; entries: number }> {
  const ledger = await makeLedger(dir);
  for (let i = 0; i < count; i += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, count - i) }, (_, j) => ledger.append(note(i + j))));
    onProgress?.(i + 1000);
  }
  const runs: number[] = [];
  let entries = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const report = await ledger.verify();
    const dt = performance.now() - t0;
    if (!report.ok) throw new Error(`verify found problems in a clean log: ${JSON.stringify(report.problems.slice(0, 3))}`);
    entries = report.entries;
    runs.push((entries * 1000) / dt);
  }
  await ledger.close();
  return { rate: median(runs), entries };
}

/**
 * Proof generation at 1,000,000 entries. One author's log of 1,000,000 distinct header-sized
 * leaves is stored as the ledger stores it — entry rows (whose headers are the level-0 leaves) and
 * the Merkle table built by the same Frontier — and proofs are generated through the store for
 * random entries. (Signing a million entries would only add a minute of setup: proof generation
 * reads the tree and the headers, not the signatures.)
 */
export async function proofTime(dir: string, size = 1_000_000, samples = 2000): Promise<{ medianMs: number; p99Ms: number; size: number }> {
  const store = openStore(join(dir, 'proof.db'));
  const frontier = new Frontier();
  const leaves = (i: number) => Buffer.from(`{"author":"USA","content":"${i.toString(16).padStart(64, '0')}","seq":${i + 1},"v":1}`);
  let batch: MerkleNode[] = [];
  let rows: EntryRow[] = [];
  const flush = async () => {
    await store.commit({ entries: rows, nodes: [{ author: 'USA', nodes: batch }] });
    batch = [];
    rows = [];
  };
  const sig = Buffer.alloc(64);
  for (let i = 0; i < size; i++) {
    const header = leaves(i);
    for (const n of frontier.append(header)) batch.push(n);
    rows.push({ author: 'USA', seq: i + 1, id: sha256hex(header), time: '2022-02-11T00:00:00.000Z', header, sig, content: null, type: null });
    if (rows.length >= 20_000) await flush();
  }
  await flush();
  const root = frontier.root();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const m = Math.floor(Math.random() * size);
    const t0 = performance.now();
    const proof = await storedInclusionProof(store, 'USA', m, size);
    times.push(performance.now() - t0);
    if (s < 20 && !verifyInclusion(m, size, leafHash(leaves(m)), proof, root)) throw new Error('a generated proof does not verify');
  }
  await store.close();
  rmSync(join(dir, 'proof.db'), { force: true });
  times.sort((a, b) => a - b);
  return { medianMs: median(times), p99Ms: times[Math.floor(times.length * 0.99)], size };
}
