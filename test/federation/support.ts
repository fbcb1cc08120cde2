/** Test fixtures for federation: in-process nodes on loopback, introduced to each other. */
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { join } from 'node:path';
import { catalogue } from '../../src/regimes/registry.js';
import { signRequest } from '../../src/federation/http-signature.js';
import { Ledger } from '../../src/ledger/ledger.js';
import type { PartyDescriptor } from '../../src/ledger/roster.js';
import { openStore } from '../../src/ledger/dialects.js';
import { generateSigningKey, type SigningKey } from '../../src/protocol/signing.js';
import { databasePath, initNode } from '../../src/node/folder.js';
import { startNode, type RunningNode, type StartOptions } from '../../src/server/node.js';
import { tempDir } from '../support/nodes.js';
import { postgresServer, type PostgresServer } from '../support/postgres.js';

export interface TestNetwork {
  root: string;
  nodes: Record<string, RunningNode>;
  /** Stops every node still running and removes the folders. */
  close(): Promise<void>;
}

export const FAST_TIMINGS = { heartbeatMs: 400, inlineGraceMs: 50, backoff: { baseMs: 20, capMs: 300 } };

/** The store dialects a federation test may run its nodes on. */
export type StoreDialect = 'sqlite' | 'postgres';
export const DIALECTS: readonly StoreDialect[] = ['sqlite', 'postgres'];

let server: Promise<PostgresServer> | undefined;

/**
 * The PostgreSQL server of this test file, started on first use (`PARLEY_PG_URL`, or an embedded
 * server). A file that starts PostgreSQL nodes calls `afterAll(stopPostgres)`.
 */
export function sharedPostgres(): Promise<PostgresServer> {
  server ??= postgresServer();
  return server;
}

/** Stops this file's PostgreSQL server, dropping the databases its nodes used; nothing if none started. */
export async function stopPostgres(): Promise<void> {
  const s = server;
  server = undefined;
  if (s) await (await s).stop();
}

/**
 * Makes node folders for `codes`, starts each in this process on a free loopback port, and gives
 * every node every other's descriptor with the URL it actually listens on. With `store:
 * 'postgres'` every node's entries live in a fresh database of its own on {@link sharedPostgres}.
 */
export async function startNetwork(
  codes: string[],
  options: Partial<StartOptions> & { store?: StoreDialect; /** options of one node, over the others */ each?: (code: string) => Partial<StartOptions> } = {},
): Promise<TestNetwork> {
  const { store: dialect = 'sqlite', each, ...start } = options;
  const dir = tempDir('parley-fed-');
  const nodes: Record<string, RunningNode> = {};
  for (const code of codes) {
    const store = dialect === 'postgres' ? await (await sharedPostgres()).fresh() : undefined;
    const folder = await initNode(join(dir.path, code), { party: code, url: 'http://127.0.0.1:9', name: `${code} node`, ...(store ? { store } : {}) });
    const own = each?.(code) ?? {};
    nodes[code] = await startNode({
      dir: folder.dir, port: 0, logger: false, runFile: false, ...start, ...own,
      federation: { timings: FAST_TIMINGS, ...start.federation, ...own.federation },
    });
  }
  await introduce(Object.values(nodes));
  return {
    root: dir.path,
    nodes,
    close: async () => {
      for (const n of Object.values(nodes)) await n.close().catch(() => {});
      dir.remove();
    },
  };
}

/** RUS runs a node; USA is a party without one (a bare ledger with USA's key), whose requests a test makes by hand. */
export async function rusAndBareUsa(): Promise<{ net: TestNetwork; RUS: RunningNode; USA: Ledger; usaKey: { party: string; key: SigningKey } }> {
  const net = await startNetwork(['RUS']);
  const { RUS } = net.nodes;
  const key = generateSigningKey();
  const usa = { party: 'USA', name: 'USA', url: 'http://127.0.0.1:9', publicKey: key.publicKeyB64 };
  await RUS.ledger.roster.add(usa, new Date().toISOString());
  await RUS.federation.rosterChanged();
  const USA = await bareLedger('USA', key, [usa, RUS.folder.descriptor]);
  return { net, RUS, USA, usaKey: { party: 'USA', key } };
}

/** Gives every node every other node's descriptor, with its current URL. */
export async function introduce(nodes: RunningNode[]): Promise<void> {
  const now = new Date().toISOString();
  for (const n of nodes) {
    for (const m of nodes) await n.ledger.roster.add({ ...m.folder.descriptor, url: m.url }, now);
    await n.federation.rosterChanged();
  }
}

/**
 * The content column of `author`'s rows in the database of `node`, read with SQL past the store
 * (null where the node holds a stub), in seq order.
 */
export async function storedContents(node: RunningNode, author: string): Promise<(Buffer | null)[]> {
  const location = node.folder.config.store;
  const sql = 'SELECT content FROM entries WHERE author = $1 ORDER BY seq';
  if (location) {
    const client = new pg.Client({ connectionString: location });
    await client.connect();
    try {
      return (await client.query<{ content: Buffer | null }>(sql, [author])).rows.map((r) => r.content);
    } finally {
      await client.end();
    }
  }
  const db = new Database(databasePath(node.folder.dir), { readonly: true });
  try {
    return (db.prepare(sql.replace('$1', '?')).all(author) as { content: Buffer | null }[]).map((r) => r.content);
  } finally {
    db.close();
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes (then fails with `what`). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const note = (subject: string, text = '') => ({ subject, text });

/** Sends a federation request signed as `as` (any key: a forger's too), with hooks to break it. */
export async function signedRequest(
  node: { url: string; party: string },
  as: { party: string; key: SigningKey },
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  options: { nonce?: string; createdS?: number; recipient?: string; headers?: (h: Record<string, string>) => Record<string, string>; rawBody?: string } = {},
): Promise<{ status: number; json: any; headers: Headers; sent: { headers: Record<string, string>; body: string | undefined } }> {
  const url = new URL(path, node.url);
  const text = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  let headers = signRequest(
    { method, authority: url.host, pathAndQuery: url.pathname + url.search, recipient: options.recipient ?? node.party },
    text === undefined ? undefined : Buffer.from(text),
    { party: as.party, privateKey: as.key.privateKey },
    options.createdS ?? Math.floor(Date.now() / 1000),
    options.nonce ?? randomBytes(16).toString('base64url'),
  );
  if (text !== undefined) headers['content-type'] = 'application/json';
  if (options.headers) headers = options.headers(headers);
  return rawRequest(url.toString(), method, headers, text);
}

export async function rawRequest(url: string, method: string, headers: Record<string, string>, body: string | undefined) {
  const res = await fetch(url, { method, headers, body });
  const t = await res.text();
  let json: any;
  try {
    json = JSON.parse(t);
  } catch {
    json = t;
  }
  return { status: res.status, json, headers: res.headers, sent: { headers, body } };
}

/** A ledger of `party` on an in-memory store: a forger holding a party's key, or a party with no node. */
export async function bareLedger(party: string, key: SigningKey, roster: PartyDescriptor[]): Promise<Ledger> {
  const l = await Ledger.open({ store: openStore(':memory:'), party, key, catalogue: catalogue() });
  for (const d of roster) await l.roster.add(d, new Date(0).toISOString());
  return l;
}

/** Calls a node's operator API with its officer token: GET, or POST with a JSON body. */
export async function operatorApi(node: RunningNode, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(node.url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${node.folder.tokens.officer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}
