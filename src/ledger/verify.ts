/**
 * `verify`: re-checks everything a node holds, from the stored bytes alone — the acceptance
 * checks of checks.ts on every entry (signature, chain link, Merkle root, time order, content hash
 * and schema), that each stored id is its header's hash — and reports equivocation evidence.
 * Signature checks, the costly part, run on worker threads that open the store themselves from
 * its dialect-neutral reader spec; the chain and content are checked in this thread.
 */
import { hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { EMPTY_TREE_ROOT, fromB64url, sha256hex } from '../protocol/bytes.js';
import { checkHeaderShape, decodeHeader, verifyEntrySignature, type Content } from '../protocol/entry.js';
import type { ErrorCode } from '../protocol/errors.js';
import { publicKeyFromRaw, verifyHeaderSignature } from '../protocol/signing.js';
import type { Catalogue } from '../catalogue/index.js';
import { CHAIN_CHECKS, problems as failedChecks, signatureVerifies } from './checks.js';
import type { ChainRow, EntryRow, ReaderSpec, Store } from './store.js';
import { WorkerPool } from './worker-pool.js';

export interface Problem {
  author: string;
  seq: number;
  id: string;
  code: ErrorCode;
  message: string;
  /** The named check that failed (checks.ts), or what verify itself checks of the stored row. */
  check: string;
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
  reader?: ReaderSpec;
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

/** Rows of a job whose signature does not verify, as problems. Runs in a worker or in-thread. */
export function checkRange(rows: Iterable<RangeRow>, job: RangeJob): Problem[] {
  const b64 = job.keys[job.author];
  const raw = b64 === undefined ? undefined : fromB64url(b64);
  const key = raw?.length === 32 ? raw : undefined;
  const problems: Problem[] = [];
  for (const r of rows) {
    if (key && verifyHeaderSignature(r.header, r.sig, key)) continue;
    const id = typeof r.id === 'string' ? r.id : r.id.toString('hex');
    problems.push({ author: job.author, seq: r.seq, id, code: 'PARLEY_ERR_BAD_SIGNATURE', message: `the signature of ${job.author}#${r.seq} does not verify against the roster key`, check: signatureVerifies.name });
  }
  return problems;
}

/** A job's rows through the store interface (in-thread, and when a worker failed). */
async function storeRows(store: Store, job: RangeJob): Promise<RangeRow[]> {
  return (await store.range(job.author, job.from - 1, job.to - job.from + 1)).filter((r) => r.seq <= job.to);
}

function workerScript(): string | undefined {
  const url = new URL('./verify-worker.js', import.meta.url);
  const path = fileURLToPath(url);
  // Under a TypeScript test runner the compiled worker may not sit beside this file.
  return existsSync(path) ? path : undefined;
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

function parseHeader(bytes: Buffer): ReturnType<typeof checkHeaderShape> {
  try {
    return checkHeaderShape(JSON.parse(bytes.toString('utf8')));
  } catch {
    return decodeHeader(bytes);
  }
}

export async function verifyStore(store: Store, catalogue: Catalogue, options: VerifyOptions = {}): Promise<VerifyReport> {
  const total = await store.count();
  const parties = await store.parties();
  const keys = Object.fromEntries(parties.map((p) => [p.party, p.publicKey]));
  const publicKeys = new Map(parties.map((p) => [p.party, publicKeyFromRaw(p.publicKey)!]));
  const script = workerScript();
  const wanted = options.workers ?? (total >= 5000 ? availableParallelism() : 0);
  // Workers open the store themselves from its reader spec; a store in memory is checked in this thread.
  const reader = store.readerSpec();
  const useWorkers = wanted > 0 && !!script && !!reader;
  const inThread = async (job: RangeJob) => checkRange(await storeRows(store, job), job);
  const pool = useWorkers ? new WorkerPool<RangeJob, Problem[]>(wanted, script, inThread, 4) : undefined;
  const problems: Problem[] = [];
  const pending: Promise<void>[] = [];

  let author = '';
  let tipSeq = 0;
  let tipId = '';
  let tipTime = '';
  let frontier = new HexFrontier();
  const tip = { get seq() { return tipSeq; }, get id() { return tipId; }, get time() { return tipTime; }, root: () => frontier.root() };
  let scanned = 0;
  let done = 0;
  let job: RangeJob | undefined;

  const report = (r: Pick<EntryRow, 'author' | 'seq' | 'id'>, code: ErrorCode, message: string, check: string) =>
    problems.push({ author: r.author, seq: r.seq, id: r.id, code, message, check });

  const dispatch = (j: RangeJob) => {
    const n = j.rows;
    const finish = (found: Problem[]) => {
      problems.push(...found);
      done += n;
      options.onProgress?.(done, total);
    };
    pending.push((pool ? pool.run(j) : inThread(j)).then(finish));
  };

  try {
    for await (const page of store.scanChain()) {
      for (const row of page) {
        if (row.author !== author) {
          author = row.author;
          tipSeq = 0;
          tipId = '';
          tipTime = '';
          frontier = new HexFrontier();
          if (!publicKeys.has(author)) report(row, 'PARLEY_ERR_UNKNOWN_AUTHOR', `${author} holds entries but is not in the roster`, 'knownAuthor');
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
        } else job = { reader, keys, author: row.author, from: row.seq, to: row.seq, minPos: pos, maxPos: pos, rows: 1 };
        scanned++;
      }
    }
    if (job) dispatch(job);
    await Promise.all(pending);
  } finally {
    await pool?.close();
  }
  done = scanned;
  options.onProgress?.(done, total);

  function checkChain(row: ChainRow): void {
    const id = sha256hex(row.header);
    if (id !== row.id) report(row, 'PARLEY_ERR_BAD_HEADER', `the stored header of ${row.author}#${row.seq} does not hash to its entry id`, 'storedIdIsHeaderHash');
    // The bytes were checked canonical when stored, and the signature covers every byte of them,
    // so a plain parse is enough here; a changed byte fails the signature check.
    const h = parseHeader(row.header);
    if (!h.ok) {
      report(row, h.error.code, `${row.author}#${row.seq}: ${h.error.message}`, 'headerShape');
    } else {
      const header = h.value;
      if (header.author !== row.author || header.seq !== row.seq) report(row, 'PARLEY_ERR_BAD_HEADER', `the header of ${row.author}#${row.seq} names ${header.author}#${header.seq}`, 'headerNamesItsRow');
      let content: Content | undefined;
      if (row.content) {
        try {
          content = JSON.parse(row.content.toString('utf8')) as Content;
        } catch {
          report(row, 'PARLEY_ERR_MALFORMED_JSON', `${row.author}#${row.seq}: the stored content is not JSON`, 'contentIsJson');
        }
      }
      const candidate = { id, header, headerBytes: row.header, sig: NO_SIG, content, contentBytes: row.content ?? undefined };
      let hashFailed = false;
      for (const p of failedChecks(CHAIN_CHECKS, candidate, tip, { catalogue })) {
        // The schema of content that is not the author's content says nothing more.
        if (p.check === 'contentHashesToHeader') hashFailed = true;
        else if (hashFailed && p.check === 'contentFitsSchema') continue;
        report(row, p.code, `${row.author}#${row.seq}: ${p.message}`, p.check);
      }
      tipTime = header.time;
    }
    frontier.append(row.header);
    tipId = id;
    tipSeq = row.seq;
  }

  for (const e of await store.equivocations()) {
    const otherHeader = decodeHeader(e.otherHeader);
    const key = publicKeys.get(e.author);
    const signed = key && verifyEntrySignature({ headerBytes: e.otherHeader, sig: e.otherSig }, key);
    problems.push({
      author: e.author,
      seq: e.seq,
      id: e.otherId,
      code: 'PARLEY_ERR_EQUIVOCATION',
      message: `${e.author} signed two different entries at seq ${e.seq}: ${e.heldId} (held) and ${e.otherId} (shown by ${e.source})${signed && otherHeader.ok ? '' : ' — the second header no longer verifies'}`,
      check: 'oneEntryPerSeq',
    });
  }
  problems.sort((a, b) => a.author.localeCompare(b.author) || a.seq - b.seq || a.code.localeCompare(b.code));
  return { ok: problems.length === 0, entries: done, problems };
}

const NO_SIG = Buffer.alloc(0);
