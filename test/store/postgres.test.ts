/**
 * The PostgreSQL dialect passes the store conformance suite (test/store/conformance.ts) on a real
 * server (test/support/postgres.ts), and keeps its schema versioned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { SCHEMA_VERSION } from '../../src/ledger/postgres.js';
import { postgresServer, type PostgresServer } from '../support/postgres.js';
import { fakeRow, openStore, storeConformance } from './conformance.js';
import { serialWriter } from './serial-writer.js';

let server: PostgresServer;
beforeAll(async () => {
  server = await postgresServer();
}, 90_000);
afterAll(() => server?.stop());

storeConformance({
  name: 'postgres',
  fresh: () => server.fresh(),
  open: (location) => openStore(location),
});

// Two ledgers of one party on one database, appending and accepting receipt-causing batches at once.
serialWriter({ name: 'postgres', fresh: () => server.fresh(), minReceipts: 15 }, [1, 2]);

async function sql(location: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

describe('the PostgreSQL schema', () => {
  it('is migrated once, by whichever of several processes opens first', async () => {
    const location = await server.fresh();
    const stores = Array.from({ length: 3 }, () => openStore(location));
    try {
      expect(await Promise.all(stores.map((s) => s.count()))).toEqual([0, 0, 0]);
      const versions = await sql(location, 'SELECT version FROM parley_schema ORDER BY version');
      expect(versions.rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('refuses a database whose schema is newer than this code, and changes nothing', async () => {
    const location = await server.fresh();
    await openStore(location).close();
    await sql(location, `INSERT INTO parley_schema (version) VALUES (${SCHEMA_VERSION + 1})`);
    const store = openStore(location);
    try {
      await expect(store.heads()).rejects.toMatchObject({ code: 'PARLEY_ERR_STORE', message: expect.stringMatching(/newer than this Parley/) });
      await expect(store.commit({ meta: [['k', 'v']] })).rejects.toMatchObject({ code: 'PARLEY_ERR_STORE' });
    } finally {
      await store.close();
    }
    expect((await sql(location, 'SELECT count(*)::int AS n FROM meta')).rows[0].n).toBe(0);
  });

  it('says which server it cannot reach, without its password', async () => {
    const store = openStore('postgres://parley:s3cret-pw@127.0.0.1:1/nowhere');
    try {
      const err = await store.count().catch((e: unknown) => e as Error & { code: string });
      expect(err).toMatchObject({ code: 'PARLEY_ERR_STORE' });
      expect(err.message).toContain('127.0.0.1:1/nowhere');
      expect(err.message).not.toContain('s3cret-pw');
      expect(err.cause).toBeDefined();
    } finally {
      await store.close();
    }
  });
});

describe('the PostgreSQL commit', () => {
  it('takes a commit larger than one simple query carries (a store copy batch with contents) by parameters, stale heads refused alike', async () => {
    const location = await server.fresh();
    const store = openStore(location);
    try {
      await store.commit({ expect: [{ author: 'USA', seq: 0 }], entries: [fakeRow('USA', 1)] });
      const big = 'c'.repeat(400_000);
      const rows = [2, 3, 4].map((seq) => fakeRow('USA', seq, big));
      // Decided on seq 0: refused, nothing of it written.
      await expect(store.commit({ expect: [{ author: 'USA', seq: 0 }], entries: rows })).rejects.toMatchObject({ code: 'PARLEY_ERR_STALE_HEAD', detail: { author: 'USA', expected: 0, held: 1 } });
      expect(await store.count()).toBe(1);
      const { positions } = await store.commit({ expect: [{ author: 'USA', seq: 1 }], entries: rows, meta: [['k', 'v']] });
      expect(positions).toHaveLength(3);
      expect((await store.entryBySeq('USA', 3))?.content?.toString()).toBe(big);
      expect(await store.getMeta('k')).toBe('v');
      // And a small one after it, in one round trip, refused on the old head too.
      await expect(store.commit({ expect: [{ author: 'USA', seq: 1 }], entries: [fakeRow('USA', 2)] })).rejects.toMatchObject({ code: 'PARLEY_ERR_STALE_HEAD', detail: { author: 'USA', expected: 1, held: 4 } });
      expect((await store.heads()).map((h) => h.seq)).toEqual([4]);
    } finally {
      await store.close();
    }
  });
});

describe('the PostgreSQL store when the server drops its connections', () => {
  it('fails the calls in progress with PARLEY_ERR_STORE_UNAVAILABLE, keeps what was committed, and answers the next call without a restart', async () => {
    const location = await server.fresh();
    const store = openStore(location);
    try {
      await store.commit({ expect: [{ author: 'USA', seq: 0 }], entries: Array.from({ length: 1500 }, (_, i) => fakeRow('USA', i + 1)) });
      // A scan holds its connection between pages: drop every connection of the store under it.
      const pages = store.scanChain()[Symbol.asyncIterator]();
      expect((await pages.next()).value).toHaveLength(1000);
      await sql(location, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      await expect(pages.next()).rejects.toMatchObject({ code: 'PARLEY_ERR_STORE_UNAVAILABLE' });
      // The pool reconnects: reads and commits go on.
      expect(await store.count()).toBe(1500);
      await store.commit({ expect: [{ author: 'USA', seq: 1500 }], entries: [fakeRow('USA', 1501)] });
      expect((await store.heads()).map((h) => h.seq)).toEqual([1501]);
    } finally {
      await store.close();
    }
  });
});
