/**
 * `verify`: re-checks everything a node holds, from the stored bytes alone — every signature,
 * chain link, Merkle root in every header, content hash and content schema — and reports
 * equivocation evidence. Signature checks, the costly part, run on worker threads when asked.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { EMPTY_TREE_ROOT, sha256hex, ZERO_HASH } from '../protocol/bytes.js';
import { checkHeaderShape, decodeHeader, verifyEntrySignature } from '../protocol/entry.js';
import type { ErrorCode } from '../protocol/errors.js';
import { Frontier } from '../protocol/merkle.js';
import { publicKeyFromRaw } from '../protocol/signing.js';
import type { Catalogue } from '../catalogue/index.js';
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

const CHUNK = 2048;

/** A job for a signature worker: the rows' header bytes, signatures and authors' keys. */
export interface SignatureJob {
  keys: Record<string, string>;
  authors: string[];
  headers: Uint8Array[];
  sigs: Uint8Array[];
}

/** Indices of the rows in a job whose signature does not verify. Runs in a worker or in-thread. */
export function badSignatures(job: SignatureJob): number[] {
  const keys = new Map(Object.entries(job.keys).map(([p, k]) => [p, publicKeyFromRaw(k)]));
  const bad: number[] = [];
  for (let i = 0; i < job.headers.length; i++) {
    const key = keys.get(job.authors[i]);
    if (!key || !verifyEntrySignature({ headerBytes: Buffer.from(job.headers[i]), sig: Buffer.from(job.sigs[i]) }, key)) bad.push(i);
  }
  return bad;
}

function workerScript(): string | undefined {
  const url = new URL('./verify-worker.js', import.meta.url);
  const path = fileURLToPath(url);
  // Under a TypeScript test runner the compiled worker may not sit beside this file.
  return existsSync(path) ? path : undefined;
}

/**
 * Worker threads checking signatures. If a worker fails, the jobs it owed are checked in this
 * thread instead, so a verify never hangs and never skips a signature.
 */
class SignaturePool {
  readonly #workers: Worker[];
  #next = 0;
  #seq = 0;
  readonly #waiting = new Map<number, { worker: Worker; job: SignatureJob; resolve: (bad: number[]) => void }>();
  #closing = false;

  constructor(size: number, script: string) {
    this.#workers = Array.from({ length: size }, () => {
      const w = new Worker(script);
      w.on('message', (m: { id: number; bad: number[] }) => {
        this.#waiting.get(m.id)?.resolve(m.bad);
        this.#waiting.delete(m.id);
      });
      const failed = () => {
        if (this.#closing) return;
        this.#workers.splice(this.#workers.indexOf(w), 1);
        for (const [id, p] of this.#waiting) {
          if (p.worker !== w) continue;
          this.#waiting.delete(id);
          p.resolve(badSignatures(p.job));
        }
      };
      w.on('error', failed);
      w.on('exit', failed);
      return w;
    });
  }

  check(job: SignatureJob): Promise<number[]> {
    if (this.#workers.length === 0) return Promise.resolve(badSignatures(job));
    const id = this.#seq++;
    const worker = this.#workers[this.#next++ % this.#workers.length];
    return new Promise((resolve) => {
      this.#waiting.set(id, { worker, job, resolve });
      worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
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
  const pool = wanted > 0 && script ? new SignaturePool(wanted, script) : undefined;
  const problems: Problem[] = [];
  const pendingSigs: Promise<void>[] = [];

  let author = '';
  let expectSeq = 1;
  let prevId = ZERO_HASH;
  let prevTime = '';
  let frontier = new Frontier();
  let done = 0;
  let chunk: EntryRow[] = [];

  const report = (r: Pick<EntryRow, 'author' | 'seq' | 'id'>, code: ErrorCode, message: string) =>
    problems.push({ author: r.author, seq: r.seq, id: r.id, code, message });

  const checkSignatures = (rows: EntryRow[]) => {
    const job: SignatureJob = { keys, authors: rows.map((r) => r.author), headers: rows.map((r) => r.header), sigs: rows.map((r) => r.sig) };
    const onBad = (bad: number[]) => {
      for (const i of bad) report(rows[i], 'PARLEY_ERR_BAD_SIGNATURE', `the signature of ${rows[i].author}#${rows[i].seq} does not verify against the roster key`);
    };
    if (pool) pendingSigs.push(pool.check(job).then(onBad));
    else onBad(badSignatures(job));
  };

  try {
    for (const row of store.scan()) {
      if (row.author !== author) {
        author = row.author;
        expectSeq = 1;
        prevId = ZERO_HASH;
        prevTime = '';
        frontier = new Frontier();
        if (!publicKeys.has(author)) report(row, 'PARLEY_ERR_UNKNOWN_AUTHOR', `${author} holds entries but is not in the roster`);
      }
      chunk.push(row);
      checkChain(row);
      if (chunk.length >= CHUNK) {
        checkSignatures(chunk);
        chunk = [];
        // Let workers' replies in, and keep memory bounded on very large logs.
        if (pendingSigs.length > 8) await Promise.all(pendingSigs.splice(0, pendingSigs.length - 4));
      }
      done++;
      if (options.onProgress && done % 1000 === 0) options.onProgress(done, total);
    }
    if (chunk.length) checkSignatures(chunk);
    await Promise.all(pendingSigs);
  } finally {
    await pool?.close();
  }
  options.onProgress?.(done, total);

  function checkChain(row: EntryRow): void {
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
      const root = frontier.size === 0 ? EMPTY_TREE_ROOT : frontier.root().toString('hex');
      if (header.root !== root) report(row, 'PARLEY_ERR_BAD_ROOT', `${row.author}#${row.seq}: root is not the Merkle root of the ${frontier.size} headers before it`);
      if (row.content) {
        const ch = sha256hex(row.content);
        if (ch !== header.content) report(row, 'PARLEY_ERR_CONTENT_HASH', `${row.author}#${row.seq}: the stored content does not hash to header.content`);
        else {
          let c: { type?: unknown; body?: unknown } | undefined;
          try {
            c = JSON.parse(row.content.toString('utf8'));
          } catch {
            report(row, 'PARLEY_ERR_MALFORMED_JSON', `${row.author}#${row.seq}: the stored content is not JSON`);
          }
          if (c) {
            const v = catalogue.validate(String(c.type), c.body);
            if (!v.ok) report(row, v.error.code, `${row.author}#${row.seq}: ${v.error.message}`);
          }
        }
      }
    }
    frontier.append(row.header);
    prevId = id;
    expectSeq = row.seq + 1;
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
