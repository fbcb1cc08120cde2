/**
 * The embedded store: one SQLite file, WAL, synchronous=FULL — a commit that returned is on disk.
 */
import Database from 'better-sqlite3';
import { leafHash, type MerkleNode } from '../protocol/merkle.js';
import { ParleyError } from '../protocol/errors.js';
import type { EntryRow, EquivocationRow, PartyRow, Store } from './store.js';

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

type Row = Record<string, unknown>;
const toEntry = (r: Row): EntryRow => ({
  pos: r.pos as number,
  author: r.author as string,
  seq: r.seq as number,
  id: (r.id as Buffer).toString('hex'),
  time: r.time as string,
  header: r.header as Buffer,
  sig: r.sig as Buffer,
  content: (r.content as Buffer | null) ?? null,
  type: (r.type as string | null) ?? null,
});

export interface SqliteOptions {
  readonly?: boolean;
}

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #s: Record<string, Database.Statement>;
  /** The database file, for a reader that opens it read-only itself (verify's workers); undefined in memory. */
  readonly file: string | undefined;

  constructor(file: string, options: SqliteOptions = {}) {
    this.file = file === ':memory:' || file === '' ? undefined : file;
    try {
      this.#db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    } catch (e) {
      throw new ParleyError('PARLEY_ERR_STORE', `cannot open the database ${file}: ${(e as Error).message}`);
    }
    this.#db.pragma('busy_timeout = 10000');
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
      range: db.prepare('SELECT * FROM entries WHERE author = ? AND seq > ? ORDER BY seq LIMIT ?'),
      scan: db.prepare('SELECT * FROM entries ORDER BY author, seq'),
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
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
  }

  transaction<T>(fn: () => T): T {
    // IMMEDIATE: take the write lock at the start, so a second process waits instead of failing mid-way.
    return this.#db.transaction(fn).immediate();
  }

  insertEntry(r: EntryRow): void {
    this.#s.insertEntry.run(r.author, r.seq, Buffer.from(r.id, 'hex'), r.time, r.header, r.sig, r.content, r.type);
  }

  attachContent(id: string, content: Buffer, type: string): void {
    this.#s.attachContent.run(content, type, Buffer.from(id, 'hex'));
  }

  insertNodes(author: string, nodes: readonly MerkleNode[]): void {
    for (const n of nodes) if (n.level > 0) this.#s.insertNode.run(author, n.level, n.index, n.hash);
  }

  readNode(author: string, level: number, index: number): Buffer | undefined {
    if (level === 0) {
      const header = this.#s.headerBySeq.get(author, index + 1) as Buffer | undefined;
      return header && leafHash(header);
    }
    return this.#s.readNode.get(author, level, index) as Buffer | undefined;
  }

  entryById(id: string): EntryRow | undefined {
    if (!/^[0-9a-f]{64}$/.test(id)) return undefined;
    const r = this.#s.byId.get(Buffer.from(id, 'hex')) as Row | undefined;
    return r && toEntry(r);
  }

  entryBySeq(author: string, seq: number): EntryRow | undefined {
    const r = this.#s.bySeq.get(author, seq) as Row | undefined;
    return r && toEntry(r);
  }

  range(author: string, after: number, limit: number): EntryRow[] {
    return (this.#s.range.all(author, after, limit) as Row[]).map(toEntry);
  }

  *scan(): IterableIterator<EntryRow> {
    for (const r of this.#s.scan.iterate() as IterableIterator<Row>) yield toEntry(r);
  }

  since(afterPos: number, limit: number): EntryRow[] {
    return (this.#s.since.all(afterPos, limit) as Row[]).map(toEntry);
  }

  count(): number {
    return this.#s.count.get() as number;
  }

  heads(): { author: string; seq: number; id: string; time: string }[] {
    return (this.#s.heads.all() as Row[]).map((r) => ({ author: r.author as string, seq: r.seq as number, id: (r.id as Buffer).toString('hex'), time: r.time as string }));
  }

  insertEquivocation(e: EquivocationRow): boolean {
    return this.#s.insertEquivocation.run(e.author, e.seq, e.heldId, e.otherId, e.otherHeader, e.otherSig, e.seenAt, e.source).changes > 0;
  }

  equivocations(): EquivocationRow[] {
    return (this.#s.equivocations.all() as Row[]).map((r) => ({
      author: r.author as string,
      seq: r.seq as number,
      heldId: r.held_id as string,
      otherId: r.other_id as string,
      otherHeader: r.other_header as Buffer,
      otherSig: r.other_sig as Buffer,
      seenAt: r.seen_at as string,
      source: r.source as string,
    }));
  }

  putParty(p: PartyRow): void {
    this.#s.putParty.run(p.party, p.name, p.url, p.publicKey, p.addedAt);
  }

  parties(): PartyRow[] {
    return (this.#s.parties.all() as Row[]).map((r) => ({
      party: r.party as string,
      name: r.name as string,
      url: r.url as string,
      publicKey: r.public_key as string,
      addedAt: r.added_at as string,
    }));
  }

  getMeta(key: string): string | undefined {
    return this.#s.getMeta.get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.#s.setMeta.run(key, value);
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
