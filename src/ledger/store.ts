/**
 * The narrow storage interface under the ledger. The ledger does chain, Merkle and acceptance
 * logic; a store only keeps rows durably. Callers above the ledger never see which store it is.
 *
 * The interface is synchronous: the embedded store (better-sqlite3) is, and that keeps the
 * ledger's single-writer logic free of interleavings. A store for a server database would run
 * the same calls inside one connection's transaction.
 */
import type { MerkleNode } from '../protocol/merkle.js';

/** One entry as stored: the exact bytes received or signed, plus columns for queries. */
export interface EntryRow {
  author: string;
  seq: number;
  id: string;
  time: string;
  header: Buffer;
  sig: Buffer;
  /** Content bytes, held only by the author and the addressees. */
  content: Buffer | null;
  /** Content type, when the content is held. */
  type: string | null;
  /** Local arrival order, assigned by the store. */
  pos?: number;
}

export interface EquivocationRow {
  author: string;
  seq: number;
  /** The entry held in the log at that seq. */
  heldId: string;
  /** The conflicting signed header, kept as evidence. */
  otherId: string;
  otherHeader: Buffer;
  otherSig: Buffer;
  seenAt: string;
  /** Which party showed us the conflicting header (a peer, or 'import'). */
  source: string;
}

export interface PartyRow {
  party: string;
  name: string;
  url: string;
  publicKey: string;
  addedAt: string;
}

export interface Store {
  /** Runs `fn` as one durable transaction: all of it is committed, or none of it. */
  transaction<T>(fn: () => T): T;

  insertEntry(row: EntryRow): void;
  /** Adds content to an entry held as a stub (content arrived later, e.g. by pull). */
  attachContent(id: string, content: Buffer, type: string): void;
  insertNodes(author: string, nodes: readonly MerkleNode[]): void;
  readNode(author: string, level: number, index: number): Buffer | undefined;

  entryById(id: string): EntryRow | undefined;
  entryBySeq(author: string, seq: number): EntryRow | undefined;
  /** Entries of one author with seq > after, in seq order. */
  range(author: string, after: number, limit: number): EntryRow[];
  /** Every entry, per author in seq order (authors sorted), streamed. */
  scan(): IterableIterator<EntryRow>;
  /** Entries in local arrival order, after position `afterPos`. */
  since(afterPos: number, limit: number): EntryRow[];
  count(): number;
  /** Last seq and id per author. */
  heads(): { author: string; seq: number; id: string; time: string }[];

  insertEquivocation(row: EquivocationRow): boolean;
  equivocations(): EquivocationRow[];

  putParty(row: PartyRow): void;
  parties(): PartyRow[];

  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;

  close(): void;
}
