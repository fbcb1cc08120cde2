/**
 * The `entry` events of a node whose store several processes share (PostgreSQL), in position
 * order. A process hears its own commits at once and the other processes' a moment later, so
 * publishing entries as they are heard would give a stream positions out of order — and a client
 * resuming from the last position it got, at this process or another, could miss the entries
 * heard late. Here the stream is the store's own order: entries are published only as a run of
 * positions after the last one published, read from the store when the entries heard do not
 * continue it (a gap: another process's entries not yet heard, or positions of a refused commit).
 * The store gives positions in the order commits became visible, so nothing before a position read
 * is still to come.
 */
import type { LedgerEntry } from '../ledger/ledger.js';

/** Entries read from the store at once, when the entries heard leave a gap. */
const PAGE = 500;

export interface OrderedEntryFeedOptions {
  /** The store's entries after a position, in position order. */
  read(after: number, limit: number): Promise<LedgerEntry[]>;
  publish(entry: LedgerEntry): void;
  /** Whether any client listens: with none, nothing is read, only the last position heard kept. */
  listening(): boolean;
  /** The last position stored when the node started. */
  start: number;
}

export class OrderedEntryFeed {
  readonly #o: OrderedEntryFeedOptions;
  /** The last position published (or, while nobody listens, heard): the stream continues after it. */
  #after: number;
  #reading = false;
  #due = false;

  constructor(options: OrderedEntryFeedOptions) {
    this.#o = options;
    this.#after = options.start;
  }

  /** Entries this process committed or heard of (a commit listener). */
  committed(entries: readonly LedgerEntry[]): void {
    if (!this.#o.listening()) {
      // Everything before a position heard is stored: a client attaching now starts after it.
      if (!this.#reading) for (const e of entries) if ((e.pos ?? 0) > this.#after) this.#after = e.pos!;
      return;
    }
    if (!this.#reading) {
      const fresh = entries.filter((e) => (e.pos ?? 0) > this.#after).sort((x, y) => x.pos! - y.pos!);
      // The usual case: this process's own commit, continuing the stream.
      if (fresh.every((e, i) => e.pos === this.#after + 1 + i)) {
        for (const e of fresh) this.#published(e);
        return;
      }
    }
    this.#due = true;
    void this.#read();
  }

  #published(e: LedgerEntry): void {
    this.#after = e.pos!;
    this.#o.publish(e);
  }

  async #read(): Promise<void> {
    if (this.#reading) return;
    this.#reading = true;
    try {
      while (this.#due) {
        this.#due = false;
        for (;;) {
          const page = await this.#o.read(this.#after, PAGE);
          for (const e of page) if ((e.pos ?? 0) > this.#after) this.#published(e);
          if (page.length < PAGE) break;
        }
      }
    } catch {
      // The store cannot be read now: the next commit heard tries again.
    } finally {
      this.#reading = false;
    }
  }
}
