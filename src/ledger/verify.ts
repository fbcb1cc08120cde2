/**
 * `verify`: re-checks everything a node holds, from the stored bytes alone — every signature,
 * chain link, Merkle root in every header, content hash and content schema — and reports
 * equivocation evidence. Signature checks, the costly part, run on worker threads that read the database file
 * themselves; the chain (ids, links, times, Merkle roots) and content are checked in this thread.
 */
import { hash, verify, type KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { EMPTY_TREE_ROOT, sha256hex, ZERO_HASH } from '../protocol/bytes.js';
import { checkHeaderShape, decodeHeader, verifyEntrySignature } from '../protocol/entry.js';
import type { ErrorCode } from '../protocol/errors.js';
import { HEADER_PAYLOAD_TYPE, pae, publicKeyFromRaw } from '../protocol/signing.js';
import type { Catalogue } from '../catalogue/index.js';
import { SqliteStore } from './sqlite.js';
import type { EntryRow, Store } from './store.js';

export interface Problem {
  author: string;
  seq: number;
  id: string;
  code: ErrorCode;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  problems: Problem[];
}

export interface VerifyOptions {
  /** Worker threads for signature checks; 0 checks in this thread. Default: one per core for large logs. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

const CHUNK = 1024;

/**
 * A job for a signature worker: one author's entries seq from..to, read from the database file by
 * the worker itself, so no row crosses threads.
 */
export interface RangeJob {
  file?: string;
  keys: Record<string, string>;
  author: string;
  from: number;
  to: number;
  /** The rows' smallest and largest local positions, and how many rows: lets a worker read by pos. */
  minPos: number;
  maxPos: number;
  rows: number;
}

type RangeRow = Pick<EntryRow, 'seq' | 'header' | 'sig'> & { id: string | Buffer };

// The DSSE pre-authentication encoding of each header, written into one scratch buffer: the
// same bytes as pae(HEADER_PAYLOAD_TYPE, header), without three allocations per signature.
let paeScratch = Buffer.alloc(2048);
const paePrefixes = new Map<number, Buffer>();
function verifyStored(header: Buffer, sig: Buffer, key: KeyObject): boolean {
  if (sig.length !== 64) return false;
  let prefix = paePrefixes.get(header.length);
  if (!prefix) paePrefixes.set(header.length, (prefix = pae(HEADER_PAYLOAD_TYPE, header).subarray(0, -header.length || undefined)));
  const n = prefix.length + header.length;
  if (n > paeScratch.length) paeScratch = Buffer.alloc(n);
  prefix.copy(paeScratch, 0);
  header.copy(paeScratch, prefix.length);
  try {
    return verify(null, paeScratch.subarray(0, n), key, sig);
  } catch {
    return false;
  }
}

/** Rows of a job whose signature does not verify, as problems. Runs in a worker or in-thread. */
export function checkRange(rows: Iterable<RangeRow>, job: RangeJob): Problem[] {
  const raw = job.keys[job.author];
  const key = raw === undefined ? undefined : publicKeyFromRaw(raw);
  const problems: Problem[] = [];
  for (const r of rows) {
    if (key && verifyStored(r.header, r.sig, key)) continue;
    const id = typeof r.id === 'string' ? r.id : r.id.toString('hex');
    problems.push({ author: job.author, seq: r.seq, id, code: 'PARLEY_ERR_BAD_SIGNATURE', message: `the signature of ${job.author}#${r.seq} does not verify against the roster key` });
  }
  return problems;
}

/** A job's rows through the store interface (in-thread, and when a worker failed). */
function storeRows(store: Store, job: RangeJob): RangeRow[] {
  return store.range(job.author, job.from - 1, job.to - job.from + 1).filter((r) => r.seq <= job.to);
}

function workerScript(): string | undefined {
  const url = new URL('./verify-worker.js', import.meta.url);
  const path = fileURLToPath(url);
  // Under a TypeScript test runner the compiled worker may not sit beside this file.
  return existsSync(path) ? path : undefined;
}

/**
 * Worker threads checking ranges of rows they read themselves. Each worker is handed its next job
 * when it answers one, so the work stays balanced to the end. If a worker fails, the jobs it owed
 * are checked in this thread instead, so a verify never hangs and never skips a signature.
 */
class RangePool {
  readonly #workers: Worker[];
  readonly #queue: { job: RangeJob; resolve: (p: Problem[]) => void }[] = [];
  readonly #busy = new Map<Worker, { job: RangeJob; resolve: (p: Problem[]) => void }[]>();
  #closing = false;

  constructor(
    size: number,
    script: string,
    readonly inThread: (job: RangeJob) => Problem[],
  ) {
    this.#workers = Array.from({ length: size }, () => {
      const w = new Worker(script);
      this.#busy.set(w, []);
      w.on('message', (problems: Problem[]) => {
        this.#busy.get(w)?.shift()?.resolve(problems);
        this.#feed(w);
      });
      const failed = () => {
        if (this.#closing) return;
        const i = this.#workers.indexOf(w);
        if (i < 0) return;
        this.#workers.splice(i, 1);
        const owed = this.#busy.get(w) ?? [];
        this.#busy.delete(w);
        for (const p of owed) p.resolve(this.inThread(p.job));
        if (this.#workers.length === 0) for (const p of this.#queue.splice(0)) p.resolve(this.inThread(p.job));
      };
      w.on('error', failed);
      w.on('exit', failed);
      return w;
    });
  }

  #feed(w: Worker): void {
    const owed = this.#busy.get(w);
    // A few jobs in flight per worker, so a worker never idles waiting for this thread to hand it one.
    while (owed && owed.length < 4 && this.#queue.length) {
      const next = this.#queue.shift()!;
      owed.push(next);
      w.postMessage(next.job);
    }
  }

  check(job: RangeJob): Promise<Problem[]> {
    if (this.#workers.length === 0) return Promise.resolve(this.inThread(job));
    return new Promise((resolve) => {
      this.#queue.push({ job, resolve });
      for (const w of this.#workers) this.#feed(w);
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}

/** The roots of the perfect subtrees of an author's tree so far, as hex: the verify-side Frontier. */
class HexFrontier {
  readonly #levels: number[] = [];
  readonly #hashes: string[] = [];
  size = 0;

  root(): string {
    const h = this.#hashes;
    if (h.length === 0) return EMPTY_TREE_ROOT;
    let r = h[h.length - 1];
    for (let i = h.length - 2; i >= 0; i--) r = nodeHex(h[i], r);
    return r;
  }

  append(leaf: Buffer): void {
    let level = 0;
    let node = leafHex(leaf);
    while (this.#levels.length > 0 && this.#levels[this.#levels.length - 1] === level) {
      this.#levels.pop();
      node = nodeHex(this.#hashes.pop()!, node);
      level++;
    }
    this.#levels.push(level);
    this.#hashes.push(node);
    this.size++;
  }
}

// RFC 9162 leaf and node hashes over scratch buffers, as hex: a hex digest skips the Buffer a
// binary one allocates, which is most of the cost of hashing 65 bytes.
const NODE_INPUT = Buffer.alloc(65, 1);
function nodeHex(left: string, right: string): string {
  NODE_INPUT.write(left, 1, 'hex');
  NODE_INPUT.write(right, 33, 'hex');
  return hash('sha256', NODE_INPUT, 'hex');
}
let LEAF_INPUT = Buffer.alloc(2048);
function leafHex(leaf: Buffer): string {
  if (leaf.length + 1 > LEAF_INPUT.length) LEAF_INPUT = Buffer.alloc(leaf.length + 1);
  LEAF_INPUT[0] = 0;
  leaf.copy(LEAF_INPUT, 1);
  return hash('sha256', LEAF_INPUT.subarray(0, leaf.length + 1), 'hex');
}

/** The columns the chain and content checks need, in (author, seq) order: read narrowly when the store is a file. */
function* chainRows(store: Store, file: string | undefined): IterableIterator<Pick<EntryRow, 'author' | 'seq' | 'id' | 'header' | 'content' | 'pos'>> {
  if (!file) {
    yield* store.scan();
    return;
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    const rows = db.prepare('SELECT author, seq, id, header, content, pos FROM entries ORDER BY author, seq').raw().iterate() as IterableIterator<[string, number, Buffer, Buffer, Buffer | null, number]>;
    for (const [author, seq, id, header, content, pos] of rows) yield { author, seq, id: id.toString('hex'), header, content, pos };
  } finally {
    db.close();
  }
}

function parseHeader(bytes: Buffer): ReturnType<typeof checkHeaderShape> {
  try {
    return checkHeaderShape(JSON.parse(bytes.toString('utf8')));
  } catch {
    return decodeHeader(bytes);
  }
}

export async function verifyStore(store: Store, catalogue: Catalogue, options: VerifyOptions = {}): Promise<VerifyReport> {
  const total = store.count();
  const parties = store.parties();
  const keys = Object.fromEntries(parties.map((p) => [p.party, p.publicKey]));
  const publicKeys = new Map(parties.map((p) => [p.party, publicKeyFromRaw(p.publicKey)!]));
  const script = workerScript();
  const wanted = options.workers ?? (total >= 5000 ? availableParallelism() : 0);
  // Workers read the database file themselves; a store in memory is checked in this thread.
  const file = store instanceof SqliteStore && store.file ? resolve(store.file) : undefined;
  const useWorkers = wanted > 0 && !!script && !!file;
  const inThread = (job: RangeJob) => checkRange(storeRows(store, job), job);
  const pool = useWorkers ? new RangePool(wanted, script, inThread) : undefined;
  const problems: Problem[] = [];
  const pending: Promise<void>[] = [];

  let author = '';
  let expectSeq = 1;
  let prevId = ZERO_HASH;
  let prevTime = '';
  let frontier = new HexFrontier();
  let scanned = 0;
  let done = 0;
  let job: RangeJob | undefined;

  const report = (r: Pick<EntryRow, 'author' | 'seq' | 'id'>, code: ErrorCode, message: string) =>
    problems.push({ author: r.author, seq: r.seq, id: r.id, code, message });

  const dispatch = (j: RangeJob) => {
    const n = j.rows;
    const finish = (found: Problem[]) => {
      problems.push(...found);
      done += n;
      options.onProgress?.(done, total);
    };
    if (pool) pending.push(pool.check(j).then(finish));
    else finish(inThread(j));
  };

  try {
    for (const row of chainRows(store, useWorkers ? file : undefined)) {
      if (row.author !== author) {
        author = row.author;
        expectSeq = 1;
        prevId = ZERO_HASH;
        prevTime = '';
        frontier = new HexFrontier();
        if (!publicKeys.has(author)) report(row, 'PARLEY_ERR_UNKNOWN_AUTHOR', `${author} holds entries but is not in the roster`);
      }
      checkChain(row);
      // Jobs are contiguous seq ranges of one author (a gap in seq only means the range reads fewer rows).
      if (job && (job.author !== row.author || row.seq < job.to || row.seq - job.from >= CHUNK)) {
        dispatch(job);
        job = undefined;
        // Let workers' replies in, so each is handed its next job while this thread still scans.
        if (pool) await new Promise<void>((r) => setImmediate(r));
      }
      const pos = row.pos ?? 0;
      if (job) {
        job.to = row.seq;
        job.rows++;
        if (pos < job.minPos) job.minPos = pos;
        if (pos > job.maxPos) job.maxPos = pos;
      } else job = { file, keys, author: row.author, from: row.seq, to: row.seq, minPos: pos, maxPos: pos, rows: 1 };
      scanned++;
    }
    if (job) dispatch(job);
    await Promise.all(pending);
  } finally {
    await pool?.close();
  }
  done = scanned;
  options.onProgress?.(done, total);

  function checkChain(row: Pick<EntryRow, 'author' | 'seq' | 'id' | 'header' | 'content'>): void {
    const id = sha256hex(row.header);
    if (id !== row.id) report(row, 'PARLEY_ERR_BAD_HEADER', `the stored header of ${row.author}#${row.seq} does not hash to its entry id`);
    // The bytes were checked canonical when stored, and the signature covers every byte of them,
    // so a plain parse is enough here; a changed byte fails the signature check.
    const h = parseHeader(row.header);
    if (!h.ok) {
      report(row, h.error.code, `${row.author}#${row.seq}: ${h.error.message}`);
    } else {
      const header = h.value;
      if (header.author !== row.author || header.seq !== row.seq) report(row, 'PARLEY_ERR_BAD_HEADER', `the header of ${row.author}#${row.seq} names ${header.author}#${header.seq}`);
      if (row.seq !== expectSeq) report(row, 'PARLEY_ERR_CHAIN_GAP', `${row.author}: expected seq ${expectSeq}, found ${row.seq}`);
      if (prevTime && header.time < prevTime) report(row, 'PARLEY_ERR_TIME_ORDER', `${row.author}#${row.seq}: time ${header.time} is earlier than the entry before it`);
      prevTime = header.time;
      if (header.prev !== prevId) report(row, 'PARLEY_ERR_BAD_PREV', `${row.author}#${row.seq}: prev is not the hash of the previous header`);
      if (header.root !== frontier.root()) report(row, 'PARLEY_ERR_BAD_ROOT', `${row.author}#${row.seq}: root is not the Merkle root of the ${frontier.size} headers before it`);
      if (row.content) checkContent(row, header.content);
    }
    frontier.append(row.header);
    prevId = id;
    expectSeq = row.seq + 1;
  }

  function checkContent(row: Pick<EntryRow, 'author' | 'seq' | 'id' | 'content'>, expected: string): void {
    const content = row.content!;
    if (sha256hex(content) !== expected) return void report(row, 'PARLEY_ERR_CONTENT_HASH', `${row.author}#${row.seq}: the stored content does not hash to header.content`);
    let c: { type?: unknown; body?: unknown } | undefined;
    try {
      c = JSON.parse(content.toString('utf8'));
    } catch {
      report(row, 'PARLEY_ERR_MALFORMED_JSON', `${row.author}#${row.seq}: the stored content is not JSON`);
    }
    if (c) {
      const v = catalogue.validate(String(c.type), c.body);
      if (!v.ok) report(row, v.error.code, `${row.author}#${row.seq}: ${v.error.message}`);
    }
  }

  for (const e of store.equivocations()) {
    const otherHeader = decodeHeader(e.otherHeader);
    const key = publicKeys.get(e.author);
    const signed = key && verifyEntrySignature({ headerBytes: e.otherHeader, sig: e.otherSig }, key);
    problems.push({
      author: e.author,
      seq: e.seq,
      id: e.otherId,
      code: 'PARLEY_ERR_EQUIVOCATION',
      message: `${e.author} signed two different entries at seq ${e.seq}: ${e.heldId} (held) and ${e.otherId} (shown by ${e.source})${signed && otherHeader.ok ? '' : ' — the second header no longer verifies'}`,
    });
  }
  problems.sort((a, b) => a.author.localeCompare(b.author) || a.seq - b.seq || a.code.localeCompare(b.code));
  return { ok: problems.length === 0, entries: done, problems };
}
