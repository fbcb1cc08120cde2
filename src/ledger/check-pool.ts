/**
 * Signature checks of `accept` on worker threads. A batch from a peer or a file (push, pull,
 * import) is cut into slices as it is decoded; each slice — headers, signatures and the roster key
 * of each entry, packed into a few flat buffers (one copy each to a worker) — is checked there while
 * this thread goes on decoding. The acceptance checks then run in order in this thread as before,
 * taking each entry's signature verdict from the pool instead of computing it: the same rules, the
 * same first refusal and code, only the Ed25519 arithmetic moved to the other cores.
 *
 * Small batches are checked inline (a worker round trip costs more than a few verifications). If a
 * worker fails, the slices it owed are checked in this thread (worker-pool.ts), so a batch is never
 * left unchecked.
 */
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DecodedEntry } from '../protocol/entry.js';
import { fromB64url } from '../protocol/bytes.js';
import { verifyHeaderSignature } from '../protocol/signing.js';
import { WorkerPool } from './worker-pool.js';

/**
 * Batches smaller than this are checked inline. Measured with `npm run bench peer` on a 2-core
 * machine shared by many processes (load 12–16), workers did not pay below 1,024 entries: every
 * core was already busy, and a batch of one slice gives no decoding to overlap with. From one full
 * slice up, the checks leave the event loop free, and run in parallel wherever cores are free.
 */
export const POOL_MIN_BATCH = 1024;
/** Entries per slice handed to a worker. */
const SLICE = 1024;
const NO_KEY = 0xffff;

/** A slice of a batch as a worker receives it. */
export interface PackedJob {
  /** Raw 32-byte public keys, one after another. */
  keys: Uint8Array;
  /** Per entry, the index of its author's key in `keys` (NO_KEY: none). */
  keyIndex: Uint16Array;
  headers: Uint8Array;
  /** Per entry, where its header ends in `headers`. */
  ends: Uint32Array;
  /** 64 bytes per entry. */
  sigs: Uint8Array;
}

/** One verdict per entry of the job: 1 when its signature verifies against its key. */
export function checkPacked(job: PackedJob): Uint8Array {
  const n = job.keyIndex.length;
  const out = new Uint8Array(n);
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = job.ends[i];
    const k = job.keyIndex[i];
    if (k !== NO_KEY) {
      const key = job.keys.subarray(k * 32, k * 32 + 32);
      out[i] = verifyHeaderSignature(job.headers.subarray(start, end), job.sigs.subarray(i * 64, i * 64 + 64), key) ? 1 : 0;
    }
    start = end;
  }
  return out;
}

function pack(entries: readonly DecodedEntry[], keyOf: (author: string) => string | undefined): { job: PackedJob; keysUsed: (string | undefined)[] } {
  const keyList: Buffer[] = [];
  const keyAt = new Map<string, number>();
  const keyIndex = new Uint16Array(entries.length);
  const keysUsed: (string | undefined)[] = [];
  let bytes = 0;
  for (const e of entries) bytes += e.headerBytes.length;
  const headers = new Uint8Array(bytes);
  const ends = new Uint32Array(entries.length);
  const sigs = new Uint8Array(entries.length * 64);
  let at = 0;
  entries.forEach((e, i) => {
    const b64 = keyOf(e.header.author);
    keysUsed.push(b64);
    let k = b64 === undefined ? NO_KEY : keyAt.get(b64);
    if (k === undefined) {
      const raw = fromB64url(b64!);
      if (raw?.length === 32 && keyList.length < NO_KEY) {
        keyAt.set(b64!, (k = keyList.length));
        keyList.push(raw);
      } else k = NO_KEY;
    }
    keyIndex[i] = k;
    headers.set(e.headerBytes, at);
    at += e.headerBytes.length;
    ends[i] = at;
    if (e.sig.length === 64) sigs.set(e.sig, i * 64);
    else keyIndex[i] = NO_KEY;
  });
  const keys = new Uint8Array(keyList.length * 32);
  keyList.forEach((k, i) => keys.set(k, i * 32));
  return { job: { keys, keyIndex, headers, ends, sigs }, keysUsed };
}

/**
 * The verdicts of one batch, as they come back from the workers. `verdict` answers whether an
 * entry's signature verifies against `key` (the author's roster key, base64url, when the entry is
 * checked), or undefined when it was not checked against that key (then the caller checks it).
 */
export class BatchVerdicts {
  readonly #slices: { entries: readonly DecodedEntry[]; keysUsed: (string | undefined)[]; verdicts: Promise<Uint8Array> }[] = [];
  readonly #at = new Map<DecodedEntry, { slice: number; index: number }>();
  #ready: { keysUsed: (string | undefined)[]; verdicts: Uint8Array }[] = [];

  add(entries: readonly DecodedEntry[], keysUsed: (string | undefined)[], verdicts: Promise<Uint8Array>): void {
    const slice = this.#slices.length;
    entries.forEach((e, index) => this.#at.set(e, { slice, index }));
    this.#slices.push({ entries, keysUsed, verdicts });
    // Settled or not, a refused batch may never read these: no unhandled rejection.
    verdicts.catch(() => {});
  }

  /** Waits for every slice's verdicts. */
  async settle(): Promise<void> {
    this.#ready = await Promise.all(this.#slices.map(async (s) => ({ keysUsed: s.keysUsed, verdicts: await s.verdicts })));
  }

  verdict(e: DecodedEntry, key: string | undefined): boolean | undefined {
    const at = this.#at.get(e);
    const slice = at && this.#ready[at.slice];
    if (!slice || key === undefined || slice.keysUsed[at.index] !== key) return undefined;
    return slice.verdicts[at.index] === 1;
  }
}

/** Worker threads checking packed slices (a failed worker's slices are checked in this thread). */
export class CheckPool {
  readonly #pool: WorkerPool<PackedJob, Uint8Array>;

  constructor(size: number, script: string) {
    this.#pool = new WorkerPool(size, script, checkPacked);
  }

  /**
   * Starts checking `entries` (in slices, as they are added) against the roster keys `keyOf`
   * names; returns the batch's verdicts, to be settled before the acceptance checks read them.
   */
  batch(): { add(entries: readonly DecodedEntry[], keyOf: (author: string) => string | undefined): void; verdicts: BatchVerdicts } {
    const verdicts = new BatchVerdicts();
    return {
      verdicts,
      add: (entries, keyOf) => {
        for (let i = 0; i < entries.length; i += SLICE) {
          const slice = entries.slice(i, i + SLICE);
          const { job, keysUsed } = pack(slice, keyOf);
          verdicts.add(slice, keysUsed, this.#pool.run(job));
        }
      },
    };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** The compiled worker script beside this file, when present (the built node; not under a TypeScript test runner). */
export function checkWorkerScript(): string | undefined {
  const path = fileURLToPath(new URL('./check-worker.js', import.meta.url));
  return existsSync(path) ? path : undefined;
}

/** Workers a ledger checks signatures on by default: one per core. */
export function defaultCheckWorkers(): number {
  return availableParallelism();
}
