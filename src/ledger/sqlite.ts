/**
 * The SQLite dialect of the store: one file, WAL, synchronous=FULL — a commit that returned is on
 * disk. better-sqlite3 is synchronous; the port is asynchronous so that a server database can sit
 * behind the same interface (each call answers in a resolved promise, as Kysely's SQLite driver does).
 * better-sqlite3 is imported in this file only.
 */
import Database from 'better-sqlite3';
import { leafHash } from '../protocol/merkle.js';
import { ParleyError } from '../protocol/errors.js';
import type { ChainRow, Commit, CommitResult, EntryRow, EquivocationRow, Head, PartyRow, RangeReader, ReaderSpec, Store } from './store.js';
import { entryOf, equivocationOf, headOf, partyOf, type Row } from './rows.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  pos     INTEGER PRIMARY KEY AUTOINCREMENT,
  author  TEXT    NOT NULL,
  seq     INTEGER NOT NULL,
  id      BLOB    NOT NULL UNIQUE, -- the 32-byte entry id; half the index of its hex form
  time    TEXT    NOT NULL,
  header  BLOB    NOT NULL,
  sig     BLOB    NOT NULL,
  content BLOB,
  type    TEXT,
  UNIQUE (author, seq)
);
-- Perfect subtrees of each author's Merkle tree, level 1 and up (a level-0 node is the hash of
-- the stored header itself). Proofs for any entry read O(log n) of these rows.
CREATE TABLE IF NOT EXISTS merkle (
  author TEXT    NOT NULL,
  level  INTEGER NOT NULL,
  idx    INTEGER NOT NULL,
  hash   BLOB    NOT NULL,
  PRIMARY KEY (author, level, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS equivocations (
  author       TEXT    NOT NULL,
  seq          INTEGER NOT NULL,
  held_id      TEXT    NOT NULL,
  other_id     TEXT    NOT NULL,
  other_header BLOB    NOT NULL,
  other_sig    BLOB    NOT NULL,
  seen_at      TEXT    NOT NULL,
  source       TEXT    NOT NULL,
  PRIMARY KEY (author, seq, other_id)
);
CREATE TABLE IF NOT EXISTS roster (
  party      TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  url        TEXT NOT NULL,
  public_key TEXT NOT NULL,
  added_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/** Rows per page of a scan: large enough to amortise a query, small enough to keep memory flat. */
const PAGE = 1000;


const HEX_ID = /^[0-9a-f]{64}$/;

export interface SqliteOptions {
  readonly?: boolean;
}

function open(file: string, options: SqliteOptions): Database.Database {
  try {
    const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    db.pragma('busy_timeout = 10000');
    return db;
  } catch (e) {
    throw new ParleyError('PARLEY_ERR_STORE', `cannot open the database ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite';
  readonly #db: Database.Database;
  readonly #s: Record<string, Database.Statement>;
  readonly #write: (c: Commit) => CommitResult;
  /** The database file; undefined in memory. */
  readonly #file: string | undefined;

  constructor(file: string, options: SqliteOptions = {}) {
    this.#file = file === ':memory:' || file === '' ? undefined : file;
    this.#db = open(file, options);
    if (!options.readonly) {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = FULL');
      this.#db.exec(SCHEMA);
    }
    const db = this.#db;
    this.#s = {
      insertEntry: db.prepare('INSERT INTO entries (author, seq, id, time, header, sig, content, type) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      attachContent: db.prepare('UPDATE entries SET content = ?, type = ? WHERE id = ? AND content IS NULL'),
      insertNode: db.prepare('INSERT OR REPLACE INTO merkle (author, level, idx, hash) VALUES (?, ?, ?, ?)'),
      readNode: db.prepare('SELECT hash FROM merkle WHERE author = ? AND level = ? AND idx = ?').pluck(),
      byId: db.prepare('SELECT * FROM entries WHERE id = ?'),
      bySeq: db.prepare('SELECT * FROM entries WHERE author = ? AND seq = ?'),
      headerBySeq: db.prepare('SELECT header FROM entries WHERE author = ? AND seq = ?').pluck(),
      headSeq: db.prepare('SELECT max(seq) FROM entries WHERE author = ?').pluck(),
      range: db.prepare('SELECT * FROM entries WHERE author = ? AND seq > ? ORDER BY seq LIMIT ?'),
      scanFirst: db.prepare('SELECT * FROM entries ORDER BY author, seq LIMIT ?'),
      scanNext: db.prepare('SELECT * FROM entries WHERE (author, seq) > (?, ?) ORDER BY author, seq LIMIT ?'),
      since: db.prepare('SELECT * FROM entries WHERE pos > ? ORDER BY pos LIMIT ?'),
      count: db.prepare('SELECT count(*) FROM entries').pluck(),
      heads: db.prepare(
        'SELECT e.author, e.seq, e.id, e.time FROM entries e JOIN (SELECT author, max(seq) AS seq FROM entries GROUP BY author) m ON e.author = m.author AND e.seq = m.seq ORDER BY e.author',
      ),
      insertEquivocation: db.prepare(
        'INSERT OR IGNORE INTO equivocations (author, seq, held_id, other_id, other_header, other_sig, seen_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      equivocations: db.prepare('SELECT * FROM equivocations ORDER BY author, seq, other_id'),
      putParty: db.prepare(
        'INSERT INTO roster (party, name, url, public_key, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(party) DO UPDATE SET name = excluded.name, url = excluded.url, public_key = excluded.public_key',
      ),
      parties: db.prepare('SELECT * FROM roster ORDER BY party'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      metaEntries: db.prepare('SELECT key, value FROM meta ORDER BY key').raw(),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
    // IMMEDIATE: take the write lock at the start, so a second process waits instead of failing mid-way.
    const tx = db.transaction((c: Commit) => this.#apply(c));
    this.#write = (c) => tx.immediate(c);
  }

  #apply(c: Commit): CommitResult {
    const s = this.#s;
    for (const e of c.expect ?? []) {
      const held = (s.headSeq.get(e.author) as number | null) ?? 0;
      if (held !== e.seq) {
        throw new ParleyError('PARLEY_ERR_STALE_HEAD', `the head of ${e.author} moved to seq ${held} while this commit was decided on seq ${e.seq}; nothing was written`, {
          author: e.author,
          expected: e.seq,
          held,
        });
      }
    }
    const positions: number[] = [];
    for (const r of c.entries ?? []) {
      const info = s.insertEntry.run(r.author, r.seq, Buffer.from(r.id, 'hex'), r.time, r.header, r.sig, r.content, r.type);
      positions.push(Number(info.lastInsertRowid));
    }
    for (const { author, nodes } of c.nodes ?? []) for (const n of nodes) if (n.level > 0) s.insertNode.run(author, n.level, n.index, n.hash);
    for (const a of c.attach ?? []) s.attachContent.run(a.content, a.type, Buffer.from(a.id, 'hex'));
    let newEquivocations = 0;
    for (const e of c.equivocations ?? []) {
      newEquivocations += s.insertEquivocation.run(e.author, e.seq, e.heldId, e.otherId, e.otherHeader, e.otherSig, e.seenAt, e.source).changes;
    }
    for (const [k, v] of c.meta ?? []) s.setMeta.run(k, v);
    return { positions, newEquivocations };
  }

  async commit(c: Commit): Promise<CommitResult> {
    try {
      return this.#write(c);
    } catch (err) {
      if (err instanceof ParleyError) throw err;
      if ((err as { code?: string }).code === 'SQLITE_FULL') throw new ParleyError('PARLEY_ERR_DISK_FULL', `the disk of ${this.#file ?? 'the database'} is full; nothing was written — free space and retry`, undefined, { cause: err });
      throw new ParleyError('PARLEY_ERR_STORE', `the commit failed, nothing was written: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  async readNode(author: string, level: number, index: number): Promise<Buffer | undefined> {
    if (level === 0) {
      const header = this.#s.headerBySeq.get(author, index + 1) as Buffer | undefined;
      return header && leafHash(header);
    }
    return this.#s.readNode.get(author, level, index) as Buffer | undefined;
  }

  async entryById(id: string): Promise<EntryRow | undefined> {
    if (!HEX_ID.test(id)) return undefined;
    const r = this.#s.byId.get(Buffer.from(id, 'hex')) as Row | undefined;
    return r && entryOf(r);
  }

  async entryBySeq(author: string, seq: number): Promise<EntryRow | undefined> {
    const r = this.#s.bySeq.get(author, seq) as Row | undefined;
    return r && entryOf(r);
  }

  async range(author: string, after: number, limit: number): Promise<EntryRow[]> {
    return (this.#s.range.all(author, after, limit) as Row[]).map(entryOf);
  }

  async *scan(): AsyncIterable<EntryRow[]> {
    // Keyset pages, not one open cursor: other statements on this connection may run between pages.
    let page = (this.#s.scanFirst.all(PAGE) as Row[]).map(entryOf);
    while (page.length > 0) {
      yield page;
      if (page.length < PAGE) return;
      const last = page[page.length - 1];
      page = (this.#s.scanNext.all(last.author, last.seq, PAGE) as Row[]).map(entryOf);
    }
  }

  async *scanChain(): AsyncIterable<ChainRow[]> {
    if (!this.#file) {
      for await (const page of this.scan()) yield page;
      return;
    }
    // A second, read-only connection reads only the chain columns in one snapshot, without
    // blocking this connection's writers (WAL).
    const db = open(this.#file, { readonly: true });
    try {
      const rows = db.prepare('SELECT author, seq, id, header, content, pos FROM entries ORDER BY author, seq').raw().iterate() as IterableIterator<[string, number, Buffer, Buffer, Buffer | null, number]>;
      let page: ChainRow[] = [];
      for (const [author, seq, id, header, content, pos] of rows) {
        page.push({ author, seq, id: id.toString('hex'), header, content, pos });
        if (page.length === PAGE) {
          yield page;
          page = [];
        }
      }
      if (page.length) yield page;
    } finally {
      db.close();
    }
  }

  async since(afterPos: number, limit: number): Promise<EntryRow[]> {
    return (this.#s.since.all(afterPos, limit) as Row[]).map(entryOf);
  }

  async count(): Promise<number> {
    return this.#s.count.get() as number;
  }

  async heads(): Promise<Head[]> {
    return (this.#s.heads.all() as Row[]).map(headOf);
  }

  async equivocations(): Promise<EquivocationRow[]> {
    return (this.#s.equivocations.all() as Row[]).map(equivocationOf);
  }

  async putParty(p: PartyRow): Promise<void> {
    this.#s.putParty.run(p.party, p.name, p.url, p.publicKey, p.addedAt);
  }

  async parties(): Promise<PartyRow[]> {
    return (this.#s.parties.all() as Row[]).map(partyOf);
  }

  async getMeta(key: string): Promise<string | undefined> {
    return this.#s.getMeta.get(key) as string | undefined;
  }

  async metaEntries(): Promise<[string, string][]> {
    return this.#s.metaEntries.all() as [string, string][];
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.commit({ meta: [[key, value]] });
  }

  readerSpec(): ReaderSpec | undefined {
    return this.#file ? { dialect: this.dialect, location: this.#file } : undefined;
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

/** A read-only reader of signatures for a worker thread (verify), on its own connection. */
export class SqliteRangeReader implements RangeReader {
  readonly #db: Database.Database;
  readonly #bySeq: Database.Statement;
  readonly #byPos: Database.Statement;

  constructor(file: string) {
    this.#db = open(file, { readonly: true });
    const cols = 'SELECT seq, id, header, sig FROM entries';
    this.#bySeq = this.#db.prepare(`${cols} WHERE author = ? AND seq BETWEEN ? AND ?`).raw();
    // A run of rows stored together is read along the table itself, without an index lookup per row.
    this.#byPos = this.#db.prepare(`${cols} NOT INDEXED WHERE pos BETWEEN ? AND ? AND author = ? AND seq BETWEEN ? AND ?`).raw();
  }

  *signatures(author: string, from: number, to: number, hint?: { minPos: number; maxPos: number; rows: number }): Iterable<{ seq: number; id: string; header: Buffer; sig: Buffer }> {
    const dense = hint !== undefined && hint.maxPos - hint.minPos + 1 <= 2 * hint.rows;
    const rows = (dense ? this.#byPos.iterate(hint.minPos, hint.maxPos, author, from, to) : this.#bySeq.iterate(author, from, to)) as IterableIterator<[number, Buffer, Buffer, Buffer]>;
    for (const [seq, id, header, sig] of rows) yield { seq, id: id.toString('hex'), header, sig };
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
