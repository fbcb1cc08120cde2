/**
 * The PostgreSQL dialect of the store: for a party that runs several node processes on one
 * database server, the database its operators already run, replicate and back up. Every commit is
 * one transaction with `synchronous_commit` left at its default (on): a commit that returned is
 * durable on the server. node-postgres (`pg`) is imported in this file only.
 *
 * Several processes may commit at once. The compare-and-set on author heads runs under a
 * transaction-scoped advisory lock per author, taken in one global order, so two committers of the
 * same author wait for each other (across processes) and the second sees the first's entries:
 * two processes appending at once produce one chain, never a fork of a log.
 *
 * Several processes of one node also share, through {@link SharedStore}: a notification on every
 * commit (LISTEN/NOTIFY, channel `parley_commit`, sent right after the commit, so it is heard
 * once the commit is visible), session advisory locks (the peer links: a lock lives as
 * long as its process's connection, so a process that dies frees its links), and writing turns
 * (a session advisory lock every commit of the author takes in shared mode first: the writer
 * holding the turn exclusively is never overtaken).
 *
 * The schema is versioned (table `parley_schema`); migrations run when the store opens, under a
 * lock so that processes starting together migrate once. A database whose schema is newer than
 * this code is refused, never written.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { leafHash } from '../protocol/merkle.js';
import { ParleyError } from '../protocol/errors.js';
import type { ChainRow, Commit, CommitResult, EntryRow, EquivocationRow, Head, PartyRow, ReaderSpec, SharedStore, Store, StoreChange } from './store.js';
import { entryOf, equivocationOf, headOf, partyOf, type Row } from './rows.js';

/**
 * The migrations, in order; `version` is the schema version a database has once the step ran.
 * Append a step to change the schema, never edit one that shipped.
 */
const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    // Text keys use the C collation: authors sort bytewise, as in every other dialect.
    sql: `
CREATE TABLE entries (
  pos     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  author  text COLLATE "C" NOT NULL,
  seq     bigint NOT NULL,
  id      bytea  NOT NULL UNIQUE, -- the 32-byte entry id
  time    text   NOT NULL,
  header  bytea  NOT NULL,
  sig     bytea  NOT NULL,
  content bytea,
  type    text,
  UNIQUE (author, seq)
);
-- Perfect subtrees of each author's Merkle tree, level 1 and up (a level-0 node is the hash of
-- the stored header itself).
CREATE TABLE merkle (
  author text COLLATE "C" NOT NULL,
  level  integer NOT NULL,
  idx    bigint  NOT NULL,
  hash   bytea   NOT NULL,
  PRIMARY KEY (author, level, idx)
);
CREATE TABLE equivocations (
  author       text COLLATE "C" NOT NULL,
  seq          bigint NOT NULL,
  held_id      text COLLATE "C" NOT NULL,
  other_id     text COLLATE "C" NOT NULL,
  other_header bytea  NOT NULL,
  other_sig    bytea  NOT NULL,
  seen_at      text   NOT NULL,
  source       text   NOT NULL,
  PRIMARY KEY (author, seq, other_id)
);
CREATE TABLE roster (
  party      text COLLATE "C" PRIMARY KEY,
  name       text NOT NULL,
  url        text NOT NULL,
  public_key text NOT NULL,
  added_at   text NOT NULL
);
CREATE TABLE meta (
  key   text COLLATE "C" PRIMARY KEY,
  value text NOT NULL
);
`,
  },
  {
    version: 2,
    // The nonces of signed federation requests taken by any process of the node, until their
    // signatures are too old to pass anyway (seconds since the epoch). Unlogged: a row costs no
    // WAL and no flush (one per request), and the table is emptied only by a crash of the server.
    sql: `
CREATE UNLOGGED TABLE nonces (
  party text COLLATE "C" NOT NULL,
  nonce text COLLATE "C" NOT NULL,
  until bigint NOT NULL,
  PRIMARY KEY (party, nonce)
);
`,
  },
];

/** The schema version this code reads and writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Rows per page of a scan: large enough to amortise a round trip, small enough to keep memory flat. */
const PAGE = 1000;
/** Connections per store: a node's serial writer, a scan and a few reads at once. */
const POOL_SIZE = 4;
/** The advisory lock key that serialises migrations of one database. */
const MIGRATION_LOCK = lockKey('parley schema migration');
/**
 * Held by a commit that stores entries from before it draws their positions until it is visible:
 * positions are then in the order commits become visible, so a reader that has seen position p
 * (its own commit, another process's event stream) has every entry before p to read — what lets an
 * event stream resume at any process of the node from the last position it gave. The price: the
 * processes of one node store entries one commit after another (each commit's flush is waited for
 * by the next); a process commits one at a time anyway, and other databases on the server (other
 * nodes) are not held up.
 */
const POSITIONS_LOCK = lockKey('entry positions');
/** The application name of a process's session connection: how the processes of a node count each other. */
const SESSION_NAME = 'parley session';
/** The channel every commit that stored or completed entries notifies. */
const CHANNEL = 'parley_commit';
/** A notification's payload is at most 8000 bytes: at most this many attached ids are named. */
const MAX_NOTIFIED_IDS = 64;
/** The session connection is checked this often, and given up when a check is not answered in SESSION_DEAD_MS. */
const SESSION_BEAT_MS = 1000;
const SESSION_DEAD_MS = 3000;
/** How often (seconds) the nonces past their signatures' validity are removed. */
const NONCE_SWEEP_S = 60;
/** The longest a writer waits for its turn before its write is refused. */
const TURN_WAIT_MS = 30_000;
/** The writing-turn lock of an author. */
const turnKey = (author: string) => lockKey(`turn:${author}`);

/** True for a location this dialect opens (a `postgres://` or `postgresql://` URL). */
export function isPostgresLocation(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The location with its password replaced, for messages and logs. */
export function redactLocation(location: string): string {
  try {
    const url = new URL(location);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return location.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/** A 64-bit advisory lock key for a name (a signed bigint, as PostgreSQL takes it). */
function lockKey(name: string): string {
  return createHash('sha256').update(`parley:${name}`).digest().readBigInt64BE(0).toString();
}


const HEX_ID = /^[0-9a-f]{64}$/;
const ENTRY_COLUMNS = 'pos, author, seq, id, time, header, sig, content, type';

export interface PostgresOptions {
  readonly?: boolean;
}

export class PostgresStore implements Store {
  readonly dialect = 'postgres';
  readonly shared: SharedStore | undefined;
  readonly #pool: pg.Pool;
  readonly #session: Session | undefined;
  /** The writing turn this process holds, and the connection holding it (its commits of that author run on it). */
  #turn: { author: string; client: pg.PoolClient; broken: boolean } | undefined;
  /** The location without its password. */
  readonly #where: string;
  /** When (seconds) this process last removed the expired nonces. */
  #nonceSweptS = 0;
  /** Settles when the schema is checked (and migrated); every call waits for it. */
  readonly #ready: Promise<void>;
  #closed = false;

  /**
   * Opens a pool on `url` and starts the schema check in the background: the store's first call
   * waits for it, and fails with its reason (an unreachable server, a schema newer than this code).
   */
  constructor(url: string, options: PostgresOptions = {}) {
    this.#where = redactLocation(url);
    this.#pool = new pg.Pool({
      connectionString: url,
      max: POOL_SIZE,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'parley',
      // A read-only store (an operator's CLI reading a running node's database) cannot write by accident.
      ...(options.readonly ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // A connection the server drops is an event, not a crash: the call on it fails with
    // PARLEY_ERR_STORE and the next call reconnects. (The pool listens on idle connections; this
    // listener covers those checked out for a commit or a scan.)
    this.#pool.on('error', () => {});
    this.#pool.on('connect', (client) => client.on('error', () => {}));
    this.#ready = this.#migrate(options.readonly ?? false);
    // Marked handled here; each call awaits it and sees the failure.
    this.#ready.catch(() => {});
    if (!options.readonly) {
      const session = (this.#session = new Session(url, this.#ready));
      this.shared = {
        watch: (listener) => session.watch(listener),
        tryLock: (name) => session.tryLock(name),
        unlock: (name) => session.unlock(name),
        onLost: (listener) => session.onLost(listener),
        withTurn: (author, work) => this.#withTurn(author, work),
        useNonce: (party, nonce, until, nowS) => this.#useNonce(party, nonce, until, nowS),
        lastPosition: async () => Number((await this.#query('SELECT coalesce(max(pos), 0) AS pos FROM entries'))[0].pos),
      };
    }
  }

  /**
   * One round trip: the nonce's row, and (once a minute) the removal of those expired, in an
   * unlogged table without waiting for a flush: visible to every process at once, lost only if the
   * database server itself crashes — then a request of the last minute could be taken twice, its
   * effect being the same (a pull reads; a push's entries are taken once by (author, seq)).
   */
  async #useNonce(party: string, nonce: string, until: number, nowS: number): Promise<boolean> {
    await this.#ready;
    const lit = (v: string) => pg.escapeLiteral(v);
    const sweep = nowS - this.#nonceSweptS >= NONCE_SWEEP_S;
    if (sweep) this.#nonceSweptS = nowS;
    const sql = [
      'BEGIN',
      'SET LOCAL synchronous_commit = off',
      ...(sweep ? [`DELETE FROM nonces WHERE until < ${Math.trunc(nowS)}`] : []),
      `INSERT INTO nonces (party, nonce, until) VALUES (${lit(party)}, ${lit(nonce)}, ${Math.trunc(until)}) ON CONFLICT DO NOTHING`,
      'COMMIT',
    ];
    let results: pg.QueryResult[];
    try {
      results = (await this.#pool.query(sql.join('; '))) as unknown as pg.QueryResult[];
    } catch (err) {
      throw this.#failure("recording a request's nonce", err);
    }
    return results[sql.length - 2].rowCount === 1;
  }

  async #withTurn<T>(author: string, work: () => Promise<T>): Promise<T> {
    await this.#ready;
    if (this.#turn) throw new ParleyError('PARLEY_ERR_STORE', `this process already holds the writing turn of ${this.#turn.author}`);
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw this.#failure('taking the writing turn', err);
    }
    const key = BigInt(turnKey(author)).toString();
    try {
      await client.query(`SET lock_timeout = ${TURN_WAIT_MS}; SELECT pg_advisory_lock(${key}); RESET lock_timeout`);
    } catch (err) {
      client.release(true);
      throw this.#failure('taking the writing turn', err);
    }
    const turn: { author: string; client: pg.PoolClient; broken: boolean } = { author, client, broken: false };
    this.#turn = turn;
    try {
      return await work();
    } finally {
      this.#turn = undefined;
      try {
        await client.query(`SELECT pg_advisory_unlock(${key})`);
      } catch {
        turn.broken = true;
      }
      client.release(turn.broken);
    }
  }

  /**
   * Wraps a failure of the server or the connection, keeping it as `cause` and the password out:
   * PARLEY_ERR_STORE_UNAVAILABLE when the server cannot be reached (stopped, restarting, the
   * connection cut), PARLEY_ERR_STORE otherwise.
   */
  #failure(doing: string, err: unknown): ParleyError {
    if (err instanceof ParleyError) return err;
    const message = err instanceof Error ? err.message : String(err);
    if (unreachable(err)) {
      return new ParleyError('PARLEY_ERR_STORE_UNAVAILABLE', `${doing} on the PostgreSQL store at ${this.#where} failed, the server cannot be reached (${message}); nothing was written — retry when it is back`, undefined, { cause: err });
    }
    return new ParleyError('PARLEY_ERR_STORE', `${doing} on the PostgreSQL store at ${this.#where} failed, nothing was written: ${message}`, undefined, { cause: err });
  }

  async #migrate(readonly: boolean): Promise<void> {
    const client = await this.#pool.connect().catch((err: unknown) => {
      throw new ParleyError('PARLEY_ERR_STORE', `cannot reach the PostgreSQL store at ${this.#where}: ${(err as Error).message}; check that the server runs and the URL in the node's config.json`, undefined, { cause: err });
    });
    try {
      if (readonly) {
        const found = await client.query<{ version: number | null }>(`SELECT (SELECT max(version) FROM parley_schema) AS version WHERE to_regclass('parley_schema') IS NOT NULL`);
        const version = found.rows[0]?.version ?? 0;
        this.#checkVersion(version);
        if (version < SCHEMA_VERSION) {
          throw new ParleyError('PARLEY_ERR_STORE', `the PostgreSQL store at ${this.#where} has schema version ${version}, older than this Parley's ${SCHEMA_VERSION}; start the node once to migrate it, then read it`);
        }
        return;
      }
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await client.query('CREATE TABLE IF NOT EXISTS parley_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
        const found = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM parley_schema');
        const version = found.rows[0].version ?? 0;
        this.#checkVersion(version);
        for (const m of MIGRATIONS) {
          if (m.version <= version) continue;
          await client.query(m.sql);
          await client.query('INSERT INTO parley_schema (version) VALUES ($1)', [m.version]);
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    } catch (err) {
      throw this.#failure('opening', err);
    } finally {
      client.release();
    }
  }

  #checkVersion(version: number): void {
    if (version > SCHEMA_VERSION) {
      throw new ParleyError(
        'PARLEY_ERR_STORE',
        `the PostgreSQL store at ${this.#where} has schema version ${version}, newer than this Parley's ${SCHEMA_VERSION}: a newer Parley wrote it; run that version (nothing was changed)`,
        { found: version, supported: SCHEMA_VERSION },
      );
    }
  }

  /** One read on a pooled connection, once the schema is ready. */
  async #query(sql: string, params: unknown[] = []): Promise<Row[]> {
    await this.#ready;
    try {
      return (await this.#pool.query(sql, params)).rows as Row[];
    } catch (err) {
      throw this.#failure('a read', err);
    }
  }

  async commit(c: Commit): Promise<CommitResult> {
    await this.#ready;
    // A commit of the author whose turn this process holds runs on the connection holding it.
    const turn = this.#turn && authorsOf(c).has(this.#turn.author) ? this.#turn : undefined;
    let client: pg.PoolClient;
    try {
      client = turn ? turn.client : await this.#pool.connect();
    } catch (err) {
      throw this.#failure('the commit', err);
    }
    let failed = false;
    let result: CommitResult;
    try {
      if (inlineBytes(c) <= MAX_INLINE_BYTES) result = await this.#applyInline(client, c, turn?.author);
      else {
        result = await this.#apply(client, c, turn?.author);
        await client.query('COMMIT');
      }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        failed = true;
      });
      // A connection whose rollback failed is not given to the next caller.
      if (!turn) client.release(failed);
      else if (failed) turn.broken = true;
      throw this.#failure('the commit', err);
    }
    // The other processes hear of the commit once it is durable and visible, by a notification
    // sent after it in a transaction of its own: inside the commit's transaction, PostgreSQL would
    // hold its cluster-wide notification lock through the commit's flush, so that no two commits
    // on the server (this node's, another node's on the same server) could share a flush. The
    // caller does not wait for it. A notification lost (this process dying between the two) is
    // made up for by the other processes' polling of the heads. A process alone on the database
    // (the usual node) notifies no one.
    const change = this.#session?.othersPresent === false ? undefined : changeOf(c);
    if (!change) {
      if (!turn) client.release();
      return result;
    }
    const sent = client.query(`SELECT pg_notify('${CHANNEL}', ${client.escapeLiteral(JSON.stringify(change))})`).then(
      () => false,
      () => true,
    );
    if (!turn) void sent.then((broken) => client.release(broken));
    else void sent.then((broken) => void (broken && (turn.broken = true)));
    return result;
  }

  /**
   * A commit of ordinary size (every commit of a running node: appends, accepted batches, their
   * receipts, metadata) in one round trip: one simple query of the transaction's start, its locks,
   * the head check (which raises when a head moved), every row as literals, and
   * COMMIT. A single awaiting writer, and every delivery, pays one wait on the server per commit.
   */
  async #applyInline(client: pg.PoolClient, c: Commit, turnHeld?: string): Promise<CommitResult> {
    const lit = (v: string) => client.escapeLiteral(v);
    const bytes = (b: Buffer | null) => (b ? `decode('${b.toString('hex')}', 'hex')` : 'NULL');
    const sql = [...lockStatements(c, turnHeld)];
    if (c.expect?.length) {
      // Read committed: this statement's snapshot is taken after the locks are granted.
      const checks = c.expect.map(
        (e) => `held := coalesce((SELECT max(seq) FROM entries WHERE author = ${lit(e.author)}), 0);
  IF held <> ${Math.trunc(e.seq)} THEN RAISE EXCEPTION '${STALE_MARK}' USING DETAIL = ${lit(e.author)} || ' ' || ${Math.trunc(e.seq)} || ' ' || held; END IF;`,
      );
      sql.push(`DO $parley$ DECLARE held bigint; BEGIN\n  ${checks.join('\n  ')}\nEND $parley$`);
    }
    const entries = c.entries ?? [];
    let entriesAt = -1;
    if (entries.length) {
      entriesAt = sql.length;
      const values = entries.map(
        (r) => `(${lit(r.author)}, ${Math.trunc(r.seq)}, ${bytes(Buffer.from(r.id, 'hex'))}, ${lit(r.time)}, ${bytes(r.header)}, ${bytes(r.sig)}, ${bytes(r.content)}, ${r.type === null ? 'NULL' : lit(r.type)})`,
      );
      sql.push(`INSERT INTO entries (author, seq, id, time, header, sig, content, type) VALUES ${values.join(', ')} RETURNING pos, author, seq`);
    }
    const nodes = merkleRows(c);
    if (nodes.length) {
      sql.push(`INSERT INTO merkle (author, level, idx, hash) VALUES ${nodes.map((n) => `(${lit(n.author)}, ${n.level}, ${n.idx}, ${bytes(n.hash)})`).join(', ')}
         ON CONFLICT (author, level, idx) DO UPDATE SET hash = excluded.hash`);
    }
    // Content once attached is never replaced.
    for (const a of c.attach ?? []) sql.push(`UPDATE entries SET content = ${bytes(a.content)}, type = ${lit(a.type)} WHERE id = ${bytes(Buffer.from(a.id, 'hex'))} AND content IS NULL`);
    let equivocationsAt = -1;
    if (c.equivocations?.length) {
      equivocationsAt = sql.length;
      const values = c.equivocations.map((e) => `(${lit(e.author)}, ${Math.trunc(e.seq)}, ${lit(e.heldId)}, ${lit(e.otherId)}, ${bytes(e.otherHeader)}, ${bytes(e.otherSig)}, ${lit(e.seenAt)}, ${lit(e.source)})`);
      sql.push(`INSERT INTO equivocations (author, seq, held_id, other_id, other_header, other_sig, seen_at, source) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING RETURNING 1`);
    }
    // A key given twice keeps its last value, as one upsert after another would.
    const meta = new Map(c.meta ?? []);
    if (meta.size) sql.push(`INSERT INTO meta (key, value) VALUES ${[...meta].map(([k, v]) => `(${lit(k)}, ${lit(v)})`).join(', ')} ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    sql.push('COMMIT');
    let results: pg.QueryResult[];
    try {
      const r = await client.query(sql.join(';\n'));
      results = (Array.isArray(r) ? r : [r]) as pg.QueryResult[];
    } catch (err) {
      const e = err as { message?: string; detail?: string };
      if (e.message === STALE_MARK && e.detail) {
        const [author, expected, held] = e.detail.split(' ');
        throw new ParleyError('PARLEY_ERR_STALE_HEAD', `the head of ${author} moved to seq ${held} while this commit was decided on seq ${expected}; nothing was written`, {
          author,
          expected: Number(expected),
          held: Number(held),
        });
      }
      throw err;
    }
    const positions: number[] = [];
    if (entriesAt >= 0) {
      const byKey = new Map((results[entriesAt].rows as { pos: string; author: string; seq: string }[]).map((r) => [`${r.author}#${r.seq}`, Number(r.pos)]));
      for (const r of entries) positions.push(byKey.get(`${r.author}#${r.seq}`)!);
    }
    return { positions, newEquivocations: equivocationsAt >= 0 ? (results[equivocationsAt].rowCount ?? 0) : 0 };
  }

  /**
   * A large commit (a `parley store copy` batch with contents) with its rows as parameters, in
   * four round trips: the transaction's start, its locks and the head check in one simple query;
   * the entries and their Merkle nodes in one statement; the rest; then COMMIT (by the caller).
   */
  async #apply(client: pg.PoolClient, c: Commit, turnHeld?: string): Promise<CommitResult> {
    const lead = lockStatements(c, turnHeld);
    // Read committed: each statement of the query takes its snapshot when it starts, so the head
    // check, after the locks, sees the heads the previous holder committed.
    if (c.expect?.length) lead.push(`SELECT author, max(seq) AS seq FROM entries WHERE author IN (${c.expect.map((e) => client.escapeLiteral(e.author)).join(', ')}) GROUP BY author`);
    const led = await client.query(lead.join('; '));
    if (c.expect?.length) {
      const results = (Array.isArray(led) ? led : [led]) as pg.QueryResult[];
      const found = results[results.length - 1] as pg.QueryResult<{ author: string; seq: string }>;
      const held = new Map<string, number>();
      for (const r of found.rows) held.set(r.author, Number(r.seq));
      for (const e of c.expect) {
        const seq = held.get(e.author) ?? 0;
        if (seq !== e.seq) {
          throw new ParleyError('PARLEY_ERR_STALE_HEAD', `the head of ${e.author} moved to seq ${seq} while this commit was decided on seq ${e.seq}; nothing was written`, {
            author: e.author,
            expected: e.seq,
            held: seq,
          });
        }
      }
    }

    const all = merkleRows(c);
    const merkleParams = [all.map((n) => n.author), all.map((n) => n.level), all.map((n) => n.idx), all.map((n) => n.hash)];
    const merkleInsert = (first: number) =>
      `INSERT INTO merkle (author, level, idx, hash) SELECT * FROM unnest($${first}::text[], $${first + 1}::int[], $${first + 2}::bigint[], $${first + 3}::bytea[])
         ON CONFLICT (author, level, idx) DO UPDATE SET hash = excluded.hash`;

    const positions: number[] = [];
    const entries = c.entries ?? [];
    if (entries.length) {
      // One statement for the batch and its Merkle nodes (two tables: the parts cannot meet);
      // positions are drawn in the batch's order.
      const insertEntries = `INSERT INTO entries (author, seq, id, time, header, sig, content, type)
         SELECT author, seq, id, time, header, sig, content, type
         FROM unnest($1::text[], $2::bigint[], $3::bytea[], $4::text[], $5::bytea[], $6::bytea[], $7::bytea[], $8::text[])
           WITH ORDINALITY AS t(author, seq, id, time, header, sig, content, type, n)
         ORDER BY n
         RETURNING pos, author, seq`;
      const inserted = await client.query<{ pos: string; author: string; seq: string }>(
        all.length ? `WITH e AS (${insertEntries}), m AS (${merkleInsert(9)}) SELECT pos, author, seq FROM e` : insertEntries,
        [
          entries.map((r) => r.author),
          entries.map((r) => r.seq),
          entries.map((r) => Buffer.from(r.id, 'hex')),
          entries.map((r) => r.time),
          entries.map((r) => r.header),
          entries.map((r) => r.sig),
          entries.map((r) => r.content),
          entries.map((r) => r.type),
          ...(all.length ? merkleParams : []),
        ],
      );
      const byKey = new Map(inserted.rows.map((r) => [`${r.author}#${r.seq}`, Number(r.pos)]));
      for (const r of entries) positions.push(byKey.get(`${r.author}#${r.seq}`)!);
    } else if (all.length) {
      await client.query(merkleInsert(1), merkleParams);
    }
    // Content once attached is never replaced.
    for (const a of c.attach ?? []) await client.query('UPDATE entries SET content = $1, type = $2 WHERE id = $3 AND content IS NULL', [a.content, a.type, Buffer.from(a.id, 'hex')]);
    let newEquivocations = 0;
    for (const e of c.equivocations ?? []) {
      const r = await client.query(
        'INSERT INTO equivocations (author, seq, held_id, other_id, other_header, other_sig, seen_at, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING',
        [e.author, e.seq, e.heldId, e.otherId, e.otherHeader, e.otherSig, e.seenAt, e.source],
      );
      newEquivocations += r.rowCount ?? 0;
    }
    // One statement for the metadata; a key given twice keeps its last value, as one upsert after another would.
    const meta = new Map(c.meta ?? []);
    if (meta.size) {
      await client.query('INSERT INTO meta (key, value) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [[...meta.keys()], [...meta.values()]]);
    }
    return { positions, newEquivocations };
  }

  async readNode(author: string, level: number, index: number): Promise<Buffer | undefined> {
    if (level === 0) {
      const [r] = await this.#query('SELECT header FROM entries WHERE author = $1 AND seq = $2', [author, index + 1]);
      return r && leafHash(r.header as Buffer);
    }
    const [r] = await this.#query('SELECT hash FROM merkle WHERE author = $1 AND level = $2 AND idx = $3', [author, level, index]);
    return r?.hash as Buffer | undefined;
  }

  async entryById(id: string): Promise<EntryRow | undefined> {
    if (!HEX_ID.test(id)) return undefined;
    const [r] = await this.#query(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE id = $1`, [Buffer.from(id, 'hex')]);
    return r && entryOf(r);
  }

  async entryBySeq(author: string, seq: number): Promise<EntryRow | undefined> {
    const [r] = await this.#query(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE author = $1 AND seq = $2`, [author, seq]);
    return r && entryOf(r);
  }

  async range(author: string, after: number, limit: number): Promise<EntryRow[]> {
    return (await this.#query(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE author = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [author, after, limit])).map(entryOf);
  }

  async *scan(): AsyncIterable<EntryRow[]> {
    // Keyset pages on the pool: other calls may run between pages.
    let page = (await this.#query(`SELECT ${ENTRY_COLUMNS} FROM entries ORDER BY author, seq LIMIT $1`, [PAGE])).map(entryOf);
    while (page.length > 0) {
      yield page;
      if (page.length < PAGE) return;
      const last = page[page.length - 1];
      page = (await this.#query(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE (author, seq) > ($1, $2) ORDER BY author, seq LIMIT $3`, [last.author, last.seq, PAGE])).map(entryOf);
    }
  }

  async *scanChain(): AsyncIterable<ChainRow[]> {
    await this.#ready;
    // Keyset pages inside one read-only repeatable-read transaction: one consistent snapshot,
    // which blocks no writer.
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw this.#failure('a read', err);
    }
    let broken = false;
    try {
      const read = async (sql: string, params: unknown[]): Promise<ChainRow[]> => {
        try {
          const r = await client.query<{ author: string; seq: string; id: Buffer; header: Buffer; content: Buffer | null; pos: string }>(sql, params);
          return r.rows.map((x) => ({ author: x.author, seq: Number(x.seq), id: x.id.toString('hex'), header: x.header, content: x.content, pos: Number(x.pos) }));
        } catch (err) {
          broken = true;
          throw this.#failure('a read', err);
        }
      };
      await read('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', []);
      const cols = 'SELECT author, seq, id, header, content, pos FROM entries';
      let page = await read(`${cols} ORDER BY author, seq LIMIT $1`, [PAGE]);
      while (page.length > 0) {
        yield page;
        if (page.length < PAGE) break;
        const last = page[page.length - 1];
        page = await read(`${cols} WHERE (author, seq) > ($1, $2) ORDER BY author, seq LIMIT $3`, [last.author, last.seq, PAGE]);
      }
    } finally {
      if (!broken) await client.query('COMMIT').catch(() => (broken = true));
      client.release(broken);
    }
  }

  async since(afterPos: number, limit: number): Promise<EntryRow[]> {
    return (await this.#query(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE pos > $1 ORDER BY pos LIMIT $2`, [afterPos, limit])).map(entryOf);
  }

  async count(): Promise<number> {
    const [r] = await this.#query('SELECT count(*) AS n FROM entries');
    return Number(r.n);
  }

  async heads(): Promise<Head[]> {
    // One index probe per author (a loose index scan), not a pass over every entry: the ledger
    // reads the heads again each time another process moved one.
    const rows = await this.#query(`
      WITH RECURSIVE authors AS (
        SELECT min(author) AS author FROM entries
        UNION ALL
        SELECT (SELECT min(author) FROM entries WHERE author > authors.author) FROM authors WHERE authors.author IS NOT NULL
      )
      SELECT h.author, h.seq, h.id, h.time FROM authors
      CROSS JOIN LATERAL (SELECT author, seq, id, time FROM entries WHERE author = authors.author ORDER BY seq DESC LIMIT 1) h
      ORDER BY h.author`);
    return rows.map(headOf);
  }

  async equivocations(): Promise<EquivocationRow[]> {
    const rows = await this.#query('SELECT * FROM equivocations ORDER BY author, seq, other_id');
    return rows.map(equivocationOf);
  }

  async putParty(p: PartyRow): Promise<void> {
    await this.#ready;
    try {
      await this.#pool.query(
        'INSERT INTO roster (party, name, url, public_key, added_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (party) DO UPDATE SET name = excluded.name, url = excluded.url, public_key = excluded.public_key',
        [p.party, p.name, p.url, p.publicKey, p.addedAt],
      );
    } catch (err) {
      throw this.#failure('adding a roster party', err);
    }
  }

  async parties(): Promise<PartyRow[]> {
    const rows = await this.#query('SELECT * FROM roster ORDER BY party');
    return rows.map(partyOf);
  }

  async getMeta(key: string): Promise<string | undefined> {
    const [r] = await this.#query('SELECT value FROM meta WHERE key = $1', [key]);
    return r?.value as string | undefined;
  }

  async metaEntries(): Promise<[string, string][]> {
    const rows = await this.#query('SELECT key, value FROM meta ORDER BY key');
    return rows.map((r) => [r.key as string, r.value as string]);
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.commit({ meta: [[key, value]] });
  }

  /**
   * None: node-postgres has no synchronous reads, so verify checks signatures in its own thread
   * on this store's reads instead of in workers.
   */
  readerSpec(): ReaderSpec | undefined {
    return undefined;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#session?.close();
    await this.#ready.catch(() => {});
    await this.#pool.end();
  }
}

/**
 * True for a failure to reach the server: a refused or cut connection, a server shutting down or
 * starting (SQLSTATE classes 08 and 57P), a connection the pool could not make in time.
 */
function unreachable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code) || /^08|^57P0[1-3]$/.test(code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(message);
}

/** A commit whose rows carry at most this many bytes is sent as one simple query, its rows as literals. */
const MAX_INLINE_BYTES = 1 << 20;
/** The message of the exception the one-round-trip commit raises when a head moved. */
const STALE_MARK = 'parley: stale head';

function inlineBytes(c: Commit): number {
  let n = 0;
  for (const r of c.entries ?? []) n += r.header.length + r.sig.length + (r.content?.length ?? 0) + 128;
  for (const a of c.attach ?? []) n += a.content.length + 64;
  for (const e of c.equivocations ?? []) n += e.otherHeader.length + e.otherSig.length + 256;
  for (const [k, v] of c.meta ?? []) n += k.length + v.length;
  for (const { nodes } of c.nodes ?? []) n += nodes.length * 64;
  return n;
}

/**
 * A commit's transaction start and locks, in one order (by key) so that two committers never wait
 * for each other in a cycle: first each author's writing turn in shared mode (waiting while
 * another process holds it, unless this commit runs in it), then the authors and, for a commit
 * that stores entries, the positions (POSITIONS_LOCK). The locks end with the transaction. Keys
 * are decimal integers made here.
 */
function lockStatements(c: Commit, turnHeld: string | undefined): string[] {
  const authors = authorsOf(c);
  const turns = sortedKeys([...authors].filter((a) => a !== turnHeld).map(turnKey));
  const keys = sortedKeys([...[...authors].map(lockKey), ...(c.entries?.length ? [POSITIONS_LOCK] : [])]);
  return ['BEGIN', ...turns.map((key) => `SELECT pg_advisory_xact_lock_shared(${key})`), ...keys.map((key) => `SELECT pg_advisory_xact_lock(${key})`)];
}

/** A commit's Merkle nodes above the leaves; a node computed twice is stored once (the last wins, as a replace would). */
function merkleRows(c: Commit): { author: string; level: number; idx: number; hash: Buffer }[] {
  const nodes = new Map<string, { author: string; level: number; idx: number; hash: Buffer }>();
  for (const { author, nodes: list } of c.nodes ?? []) for (const n of list) if (n.level > 0) nodes.set(`${author}/${n.level}/${n.index}`, { author, level: n.level, idx: n.index, hash: n.hash });
  return [...nodes.values()];
}

function authorsOf(c: Commit): Set<string> {
  return new Set<string>([...(c.expect ?? []).map((e) => e.author), ...(c.entries ?? []).map((e) => e.author)]);
}

/** Distinct lock keys in ascending order, as decimal text. */
function sortedKeys(keys: string[]): string[] {
  return [...new Set(keys)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)).map((k) => BigInt(k).toString());
}

/** What a commit tells the other processes, or undefined when it stored and completed no entry. */
function changeOf(c: Commit): StoreChange | undefined {
  if (!c.entries?.length && !c.attach?.length) return undefined;
  const heads: Record<string, number> = {};
  for (const e of c.entries ?? []) heads[e.author] = Math.max(heads[e.author] ?? 0, e.seq);
  return { heads, attached: (c.attach ?? []).slice(0, MAX_NOTIFIED_IDS).map((a) => a.id) };
}

/**
 * The process's own connection to the database besides the pool: it listens for other
 * processes' commits and holds the session advisory locks (peer links). It is checked every
 * second; one that does not answer within SESSION_DEAD_MS is dropped, and with it every lock
 * (the server, which sees it gone through TCP keepalives set low here, frees them too), and a new
 * one is made.
 */
class Session {
  readonly #url: string;
  readonly #ready: Promise<void>;
  readonly #watchers = new Set<(change: StoreChange | undefined) => void>();
  readonly #lostListeners = new Set<() => void>();
  readonly #held = new Set<string>();
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #beating = false;
  /** Whether another process's session was on the database at the last check (until known: yes). */
  #others = true;
  #closed = false;

  constructor(url: string, ready: Promise<void>) {
    this.#url = url;
    this.#ready = ready;
  }

  /**
   * False when, at the last check (every second), no other process of the node was on the
   * database: no one to notify. A process starting meanwhile reads the heads every 2 s, and is
   * notified from the next check on.
   */
  get othersPresent(): boolean {
    return this.#others;
  }

  watch(listener: (change: StoreChange | undefined) => void): () => void {
    this.#watchers.add(listener);
    this.#start();
    this.#connect().catch(() => {});
    return () => this.#watchers.delete(listener);
  }

  onLost(listener: () => void): () => void {
    this.#lostListeners.add(listener);
    return () => this.#lostListeners.delete(listener);
  }

  async tryLock(name: string): Promise<boolean> {
    if (this.#held.has(name)) return true;
    this.#start();
    let client: pg.Client;
    try {
      client = await this.#connect();
    } catch {
      return false;
    }
    try {
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [lockKey(`lock:${name}`)]);
      if (!r.rows[0]?.ok || this.#client !== client) return false;
      this.#held.add(name);
      return true;
    } catch {
      return false;
    }
  }

  async unlock(name: string): Promise<void> {
    if (!this.#held.delete(name)) return;
    await this.#client?.query('SELECT pg_advisory_unlock($1)', [lockKey(`lock:${name}`)]).catch(() => {});
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#held.clear();
    const c = this.#client ?? (await this.#connecting?.catch(() => undefined));
    this.#client = undefined;
    await c?.end().catch(() => {});
  }

  #start(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setInterval(() => void this.#beat(), SESSION_BEAT_MS);
    this.#timer.unref?.();
  }

  /** Reconnects a dropped session (while someone watches), or checks that the one held answers. */
  async #beat(): Promise<void> {
    if (this.#beating || this.#closed) return;
    this.#beating = true;
    try {
      const c = this.#client;
      if (!c) {
        if (this.#watchers.size) await this.#connect().catch(() => {});
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const dead = new Promise<'dead'>((resolve) => (timer = setTimeout(() => resolve('dead'), SESSION_DEAD_MS)));
      // The check is also the count of the node's other processes (their sessions) on the database.
      const others = c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = '${SESSION_NAME}' AND pid <> pg_backend_pid()`);
      const answer = await Promise.race([others.then((r) => r.rows[0]?.n ?? 1, () => 'dead' as const), dead]);
      clearTimeout(timer);
      if (answer === 'dead') this.#drop(c);
      else this.#others = answer > 0;
    } finally {
      this.#beating = false;
    }
  }

  #connect(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    if (this.#closed) return Promise.reject(new ParleyError('PARLEY_ERR_CLOSED'));
    this.#connecting ??= (async () => {
      await this.#ready;
      const c = new pg.Client({ connectionString: this.#url, application_name: SESSION_NAME, keepAlive: true, keepAliveInitialDelayMillis: 1000, connectionTimeoutMillis: SESSION_DEAD_MS });
      c.on('error', () => this.#drop(c));
      c.on('end', () => this.#drop(c));
      c.on('notification', (m) => this.#notified(m.channel, m.payload));
      try {
        await c.connect();
        // The server notices a vanished process within seconds, and frees its locks.
        await c.query(`SET tcp_keepalives_idle = 2; SET tcp_keepalives_interval = 1; SET tcp_keepalives_count = 3; LISTEN ${CHANNEL}`);
      } catch (err) {
        destroy(c);
        throw err;
      }
      if (this.#closed) {
        destroy(c);
        throw new ParleyError('PARLEY_ERR_CLOSED');
      }
      this.#client = c;
      // Commits made while no connection listened are not heard: watchers read the heads again.
      this.#emit(undefined);
      return c;
    })().finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  #drop(c: pg.Client): void {
    if (this.#client !== c) return;
    this.#client = undefined;
    this.#others = true;
    destroy(c);
    if (this.#held.size) {
      this.#held.clear();
      for (const l of this.#lostListeners) {
        try {
          l();
        } catch {
          // one listener's failure does not keep the others from hearing it
        }
      }
    }
  }

  #notified(channel: string, payload: string | undefined): void {
    if (channel !== CHANNEL) return;
    let change: StoreChange | undefined;
    try {
      const v = JSON.parse(payload ?? '') as StoreChange;
      if (v && typeof v.heads === 'object' && Array.isArray(v.attached)) change = v;
    } catch {
      // not ours: read the heads instead
    }
    this.#emit(change);
  }

  #emit(change: StoreChange | undefined): void {
    for (const w of this.#watchers) {
      try {
        w(change);
      } catch {
        // one watcher's failure does not keep the others from hearing it
      }
    }
  }
}

/** Closes a client's socket at once (ending politely may wait on a server that is gone). */
function destroy(c: pg.Client): void {
  (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  c.end().catch(() => {});
}
