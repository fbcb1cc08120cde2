/**
 * Two running nodes of one party on one PostgreSQL database (as two `parley start` processes):
 * an entry sent through one process reaches the other's event stream and regimes, and only one of
 * them drives the link to the peer; stopping that one hands the link to the other at once;
 * equivocation evidence one stored is the other's alert too; a signed federation request taken by
 * one is a replay at the other (the nonces are kept in the database, not in each process).
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNode, loadNode, openLedger, type NodeFolder } from '../../src/node/folder.js';
import { startNode, type RunningNode } from '../../src/server/node.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { openStore } from '../../src/ledger/dialects.js';
import { signRequest } from '../../src/federation/http-signature.js';
import { catalogue } from '../../src/regimes/registry.js';
import { tempDir } from '../support/nodes.js';
import { postgresServer, type PostgresServer } from '../support/postgres.js';
import { waitFor } from './support.js';

const dir = tempDir('parley-shared-node-');
let server: PostgresServer;
const nodes: RunningNode[] = [];
beforeAll(async () => {
  server = await postgresServer();
}, 90_000);
afterAll(async () => {
  for (const n of nodes) await n.close();
  await server?.stop();
  dir.remove();
});

/** The address of USA's node (a reverse proxy's, in production); nothing listens there in these tests. */
const USA_URL = 'http://127.0.0.1:9';

/** USA's node as two processes (A, B) on a fresh database; RUS, in its roster, is not running. */
async function twoProcesses(sub: string): Promise<{ usa: NodeFolder; rus: NodeFolder; a: RunningNode; b: RunningNode }> {
  const usa = await initNode(join(dir.path, sub, 'USA'), { party: 'USA', url: USA_URL, store: await server.fresh() });
  const rus = await initNode(join(dir.path, sub, 'RUS'), { party: 'RUS', url: 'http://127.0.0.1:8' });
  const l = await openLedger(loadNode(usa.dir));
  for (const d of [usa.descriptor, rus.descriptor]) await l.roster.add(d, new Date().toISOString());
  await l.close();
  const a = await startNode({ dir: usa.dir, port: 0, logger: false, runFile: false });
  nodes.push(a);
  const b = await startNode({ dir: usa.dir, port: 0, logger: false, runFile: false });
  nodes.push(b);
  return { usa, rus, a, b };
}

/**
 * Reads a server-sent event stream (resumed after `lastEventId` when given) until `take` returns
 * true for an event; resolves with that event's data.
 */
async function readEvents(url: string, token: string, take: (event: string, data: any, id: string | undefined) => boolean, timeoutMs: number, lastEventId?: string): Promise<any> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) };
  const res = await fetch(`${url}/api/v1/events`, { headers, signal: AbortSignal.timeout(timeoutMs) });
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const id = /^id: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined && take(event, JSON.parse(data), id)) return JSON.parse(data);
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Reads a server-sent event stream until an event passes `match`; resolves with its data. */
const nextEvent = (url: string, token: string, match: (event: string, data: any) => boolean, timeoutMs: number) => readEvents(url, token, match, timeoutMs);

/** Sends exactly these headers and body to `port`, with the Host header given (the address a proxy would pass on). */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('two running nodes of one party on one PostgreSQL database', () => {
  it("each serves the other's entries on its event stream and in its regimes; one drives the link, and hands it over when stopping", async () => {
    const { usa, rus, a, b } = await twoProcesses('links');

    // B's stream shows what was sent through A.
    const heard = nextEvent(b.url, usa.tokens.analyst, (event, data) => event === 'entry' && data.body?.subject === 'through A', 15_000);
    await new Promise((r) => setTimeout(r, 300)); // the stream is attached
    const res = await fetch(`${a.url}/api/v1/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${usa.tokens.officer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'note', to: ['RUS'], body: { subject: 'through A', text: 'x' } }),
    });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as { id: string; seq: number };
    const event = await heard;
    expect(event).toMatchObject({ id: sent.id, seq: sent.seq, author: 'USA' });
    // And B's regimes hold it, and its head moved with it.
    await waitFor("B's regimes to hold the entry", () => b.regimes.held(sent.id) !== undefined, 10_000);
    expect(b.ledger.head('USA')?.seq).toBe(sent.seq);

    // The link to RUS is driven by exactly one of them (RUS is not running: the driver tries, the other does not).
    const driving = (n: RunningNode) => n.federation.status().peers[0].link !== 'unknown';
    await waitFor('one process to drive the link to RUS', () => driving(a) || driving(b), 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect([driving(a), driving(b)].filter(Boolean)).toHaveLength(1);
    // Equivocation evidence one process stored is the other's alert too.
    const forks = [];
    for (let i = 0; i < 2; i++) {
      const l = await Ledger.open({ store: openStore(':memory:'), party: 'RUS', key: loadNode(rus.dir).key, catalogue: catalogue() });
      for (const d of [usa.descriptor, rus.descriptor]) await l.roster.add(d, new Date().toISOString());
      forks.push((await l.append({ type: 'note', to: ['USA'], body: { subject: `fork ${i}`, text: '' } })).envelope);
      await l.close();
    }
    await a.ledger.accept([forks[0]], { source: 'RUS', onGap: 'hold', receipts: false });
    expect((await a.ledger.accept([forks[1]], { source: 'RUS', onGap: 'hold', receipts: false })).equivocations).toHaveLength(1);
    await waitFor("B's status to show the equivocation", () => b.federation.status().alerts.some((x) => x.kind === 'equivocation' && x.author === 'RUS' && x.seq === 1), 15_000, 100);

    const [driver, other] = driving(a) ? [a, b] : [b, a];
    // The other's status counts as outstanding what RUS has not receipted (here: everything, RUS is down).
    expect(other.federation.status().peers[0]).toMatchObject({ party: 'RUS', link: 'unknown', backlog: sent.seq, delivered: 0 });
    await driver.close();
    await waitFor('the other process to take the link', () => driving(other), 10_000);
  }, 90_000);

  it('a signed pull or push taken by one process is refused as a replay by the other', async () => {
    // The party's address (a reverse proxy's, in production) is the authority requests are signed for.
    const authority = new URL(USA_URL).host;
    const { usa, rus, a, b } = await twoProcesses('nonces');
    const key = loadNode(rus.dir).key;
    const signed = (method: 'GET' | 'POST', path: string, body?: string) => ({
      ...signRequest({ method, authority, pathAndQuery: path, recipient: 'USA' }, body === undefined ? undefined : Buffer.from(body), { party: 'RUS', privateKey: key.privateKey }, Math.floor(Date.now() / 1000), randomBytes(16).toString('base64url')),
      host: authority,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    });

    // A pull, taken by A, replayed to B.
    const pullPath = '/federation/v1/log/USA?after=0&limit=10';
    const pull = signed('GET', pullPath);
    expect((await send(a.port, 'GET', pullPath, pull)).status).toBe(200);
    const replayed = await send(b.port, 'GET', pullPath, pull);
    expect(replayed.status).toBe(401);
    expect(replayed.json.error.code).toBe('PARLEY_ERR_REPLAY');
    // The same pull signed again (a new nonce) is taken by B.
    expect((await send(b.port, 'GET', pullPath, signed('GET', pullPath))).status).toBe(200);

    // A push (a hello: no entries), taken by B, replayed to A — and to B itself.
    const body = JSON.stringify({ batch: 'hello-replay', entries: [], heads: {} });
    const push = signed('POST', '/federation/v1/push', body);
    expect((await send(b.port, 'POST', '/federation/v1/push', push, body)).status).toBe(200);
    for (const n of [a, b]) {
      const again = await send(n.port, 'POST', '/federation/v1/push', push, body);
      expect(again.status).toBe(401);
      expect(again.json.error.code).toBe('PARLEY_ERR_REPLAY');
    }

    // The nonces are in the database: a process started after the request was taken refuses it too.
    await a.close();
    nodes.splice(nodes.indexOf(a), 1);
    const c = await startNode({ dir: usa.dir, port: 0, logger: false, runFile: false });
    nodes.push(c);
    expect((await send(c.port, 'GET', pullPath, pull)).json.error?.code).toBe('PARLEY_ERR_REPLAY');
  }, 90_000);

  it('an event stream resumed at the other process with Last-Event-ID misses nothing: each gives positions in order, the same positions', async () => {
    const { usa, rus, a, b } = await twoProcesses('stream');
    // RUS's entries, accepted by A while B appends USA's: both processes store entries at once.
    const rusLedger = await Ledger.open({ store: openStore(':memory:'), party: 'RUS', key: loadNode(rus.dir).key, catalogue: catalogue() });
    for (const d of [usa.descriptor, rus.descriptor]) await rusLedger.roster.add(d, new Date().toISOString());
    const N = 150;
    const fromRus = [];
    for (let i = 0; i < N; i++) fromRus.push((await rusLedger.append({ type: 'note', to: ['USA'], body: { subject: `RUS ${i}`, text: '' } })).envelope);
    await rusLedger.close();

    type Seen = { pos: number; id: string };
    const first: Seen[] = [];
    const second: Seen[] = [];
    const entry = (into: Seen[]) => (event: string, data: any, id: string | undefined) => {
      if (event === 'entry') into.push({ pos: Number(id), id: data.id });
      return false;
    };
    // A client on A's stream, cut off midway; it resumes at B from the last position it got.
    const onA = readEvents(a.url, usa.tokens.analyst, (...e) => entry(first)(...e) || first.length >= N / 2, 60_000);
    await new Promise((r) => setTimeout(r, 300)); // the stream is attached
    const writing = Promise.all([
      (async () => {
        for (let i = 0; i < N; i++) await b.ledger.append({ type: 'note', to: ['RUS'], body: { subject: `USA ${i}`, text: '' } });
      })(),
      (async () => {
        for (const env of fromRus) await a.ledger.accept([env], { source: 'RUS', onGap: 'hold', receipts: false });
      })(),
    ]);
    await onA;
    const resumedAfter = first[first.length - 1].pos;
    const onB = readEvents(b.url, usa.tokens.analyst, (event, data, id) => (entry(second)(event, data, id), data.body?.subject === 'the end'), 60_000, String(resumedAfter));
    await writing;
    await a.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 'the end', text: '' } });
    await onB;
    const stored = (await a.ledger.since(first[0].pos - 1, 10_000)).map((e) => ({ pos: e.pos!, id: e.id }));

    const increasing = (list: Seen[]) => list.every((x, i) => i === 0 || x.pos > list[i - 1].pos);
    expect(increasing(first)).toBe(true);
    expect(increasing(second)).toBe(true);
    expect(second[0].pos).toBeGreaterThan(resumedAfter);
    // Together, every entry stored since the first one the client got — by the same position at both processes.
    expect([...first, ...second]).toEqual(stored);
    expect(stored).toHaveLength(2 * N + 1);
  }, 120_000);
});
