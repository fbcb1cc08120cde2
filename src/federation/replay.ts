/**
 * The replay cache: every nonce of an authenticated federation request, kept for as long as its
 * signature could still pass the clock check, so the same signed request is taken at most once.
 * One cache per signing party, each bounded: a peer that floods this node with requests fills
 * only its own cache, and is refused (never forgotten) while the others go on.
 *
 * With a journal file (the node folder's `nonces`), every nonce taken is appended to it before
 * the request is served, and the live ones are read back at start: a request taken before a
 * restart (kill -9 included — the write is in the kernel before the answer) is still a replay after it.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { ParleyError } from '../protocol/errors.js';
import { MAX_SIGNATURE_SKEW_S } from './http-signature.js';

/** Beyond this many live nonces of one party a node refuses that party's new requests rather than forget one (memory bound). */
export const MAX_LIVE_NONCES = 100_000;

export class NonceCache {
  /** party → nonce → second after which the signature carrying it is too old to pass anyway. */
  readonly #seen = new Map<string, Map<string, number>>();
  readonly #windowS: number;
  readonly #max: number;

  /** The journal's file descriptor, and how many lines it holds. */
  #journal: { file: string; fd: number; lines: number } | undefined;

  constructor(options: { windowS?: number; /** live nonces per party */ max?: number; /** the journal file */ file?: string; nowS?: number } = {}) {
    this.#windowS = options.windowS ?? MAX_SIGNATURE_SKEW_S;
    this.#max = options.max ?? MAX_LIVE_NONCES;
    if (options.file) this.#openJournal(options.file, options.nowS ?? Math.floor(Date.now() / 1000));
  }

  /** Reads the journal's live nonces, and starts it again with only those. */
  #openJournal(file: string, nowS: number): void {
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const [party, nonce, until] = line.split(' ');
        if (party && nonce && Number(until) >= nowS) this.#add(party, nonce, Number(until));
      }
    }
    this.#compact(file);
  }

  #compact(file: string): void {
    const lines: string[] = [];
    for (const [party, m] of this.#seen) for (const [nonce, until] of m) lines.push(`${party} ${nonce} ${until}\n`);
    const tmp = openSync(`${file}.tmp`, 'w', 0o600);
    try {
      writeSync(tmp, lines.join(''));
    } finally {
      closeSync(tmp);
    }
    renameSync(`${file}.tmp`, file);
    const fd = openSync(file, 'a', 0o600);
    // The old journal is closed only once the new one is in place: a failure above leaves it in use.
    if (this.#journal) closeSync(this.#journal.fd);
    this.#journal = { file, fd, lines: lines.length };
  }

  /** Closes the journal file. */
  close(): void {
    if (this.#journal) closeSync(this.#journal.fd);
    this.#journal = undefined;
  }

  /** Live nonces held, every party together. */
  get size(): number {
    let n = 0;
    for (const m of this.#seen.values()) n += m.size;
    return n;
  }

  /**
   * Records `party`'s nonce: 'replay' if it was already used, 'full' if that party's cache is
   * full. `created` and `nowS` are in seconds.
   */
  use(party: string, nonce: string, created: number, nowS: number): 'fresh' | 'replay' | 'full' {
    this.#sweep(nowS);
    const mine = this.#seen.get(party);
    if (mine?.has(nonce)) return 'replay';
    if (mine && mine.size >= this.#max) return 'full';
    const until = created + this.#windowS;
    this.#add(party, nonce, until);
    const j = this.#journal;
    if (j) {
      // Party codes and base64url nonces hold no space or newline (the signature parser checked the nonce).
      try {
        writeSync(j.fd, `${party} ${nonce} ${until}\n`);
        if (++j.lines > 4 * this.size + 10_000) this.#compact(j.file);
      } catch (err) {
        // Unjournalled, the request could be taken again after a restart: refuse it (the peer retries).
        const full = (err as NodeJS.ErrnoException).code === 'ENOSPC';
        throw new ParleyError(full ? 'PARLEY_ERR_DISK_FULL' : 'PARLEY_ERR_UNAVAILABLE', `cannot record this request's nonce: ${(err as Error).message}`, undefined, { cause: err });
      }
    }
    return 'fresh';
  }

  #add(party: string, nonce: string, until: number): void {
    let mine = this.#seen.get(party);
    if (!mine) this.#seen.set(party, (mine = new Map()));
    mine.set(nonce, until);
  }

  #sweep(nowS: number): void {
    // Insertion order is nearly expiry order (created is within the window of arrival), so the
    // front of each map holds the oldest; stop at the first live one.
    for (const [party, m] of this.#seen) {
      for (const [nonce, until] of m) {
        if (until >= nowS) break;
        m.delete(nonce);
      }
      if (m.size === 0) this.#seen.delete(party);
    }
  }
}
