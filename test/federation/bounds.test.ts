/**
 * Bounded memory under hostile load (each test bounded in count and time): event streams per
 * credential and their replay within the per-client cap, entries held out of order per author in
 * bytes, fork evidence per seq, and rate limits on both APIs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { generateSigningKey } from '../../src/protocol/signing.js';
import { toB64url } from '../../src/protocol/bytes.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { MAX_EVIDENCE_PER_SEQ } from '../../src/ledger/ledger.js';
import { MAX_BUFFERED_BYTES, MAX_EVENT_CLIENTS_PER_OWNER } from '../../src/server/events.js';
import type { RunningNode } from '../../src/server/node.js';
import { forge } from '../support/forge.js';
import { bareLedger, signedRequest, startNetwork, waitFor, type TestNetwork } from './support.js';

let net: TestNetwork | undefined;
const bare: Ledger[] = [];
const streams: IncomingMessage[] = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.destroy();
  await net?.close();
  net = undefined;
  for (const l of bare.splice(0)) await l.close();
});

/** Opens an event stream; resolves with the response once its head arrived (the body is left unread). */
function openStream(node: RunningNode, token: string, after?: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpGet(`${node.url}/api/v1/events${after === undefined ? '' : `?after=${after}`}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      streams.push(res);
      resolve(res);
    });
    req.on('error', reject);
  });
}

const big = (i: number) => ({ subject: `bulk ${i}`, text: 'x'.repeat(95_000) });

describe('event streams', () => {
  it('one credential opens at most its share of the streams; another still gets one', async () => {
    net = await startNetwork(['RUS']);
    const { RUS } = net.nodes;
    for (let i = 0; i < MAX_EVENT_CLIENTS_PER_OWNER; i++) expect((await openStream(RUS, RUS.folder.tokens.analyst)).statusCode).toBe(200);
    const over = await openStream(RUS, RUS.folder.tokens.analyst);
    expect(over.statusCode).toBe(503);
    expect((await openStream(RUS, RUS.folder.tokens.officer)).statusCode).toBe(200);
    expect(RUS.events.size).toBe(MAX_EVENT_CLIENTS_PER_OWNER + 1);
  }, 30_000);

  it('a replay to a client that does not read stays within the per-client cap, and all of it arrives once it reads', async () => {
    net = await startNetwork(['RUS']);
    const { RUS } = net.nodes;
    const count = 150; // about 14 MB of entries to replay
    for (let i = 0; i < count; i++) await RUS.ledger.append({ type: 'note', to: ['RUS'], body: big(i) });
    const res = await openStream(RUS, RUS.folder.tokens.analyst, 0);
    res.pause();
    await new Promise((r) => setTimeout(r, 1500));
    expect(RUS.events.bufferedBytes()).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + 512 * 1024);
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.resume();
    await waitFor('the whole replay', () => (text.match(/^event: entry$/gm) ?? []).length >= count, 30_000);
    const subjects = [...text.matchAll(/"subject":"bulk (\d+)"/g)].map((m) => Number(m[1]));
    expect(subjects).toEqual([...Array(count).keys()]);
  }, 60_000);
});

describe('what a peer can make a node hold', () => {
  async function pair() {
    const usaKey = generateSigningKey();
    const rusKey = generateSigningKey();
    const roster = [
      { party: 'USA', name: 'USA', url: 'http://127.0.0.1:9', publicKey: usaKey.publicKeyB64 },
      { party: 'RUS', name: 'RUS', url: 'http://127.0.0.1:9', publicKey: rusKey.publicKeyB64 },
    ];
    const USA = await bareLedger('USA', usaKey, roster);
    const RUS = await bareLedger('RUS', rusKey, roster);
    bare.push(USA, RUS);
    return { USA, RUS, usaKey };
  }

  it('entries held out of order are bounded in bytes per author', async () => {
    const { USA, RUS } = await pair();
    for (let i = 0; i < 220; i++) await USA.append({ type: 'note', to: ['RUS'], body: big(i) });
    const all = (await USA.range('USA', 0, 1000)).map((e) => e.envelope);
    // Everything but the first: a gap that holds 219 entries of 95 KB (about 20 MiB) if nothing bounds it.
    for (let i = 1; i < all.length; i += 10) await RUS.accept(all.slice(i, i + 10), { source: 'USA', onGap: 'hold', receipts: false });
    const held = RUS.heldOutOfOrder().find((h) => h.author === 'USA')!;
    expect(held.bytes).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(held.entries).toBeGreaterThan(100);
    // The gap filled, what was held is taken, and the rest comes by a later accept (pull).
    await RUS.accept(all.slice(0, 1), { source: 'USA', onGap: 'hold', receipts: false });
    expect(RUS.head('USA')!.seq).toBe(1 + held.entries);
    await RUS.accept(all.slice(RUS.head('USA')!.seq), { source: 'USA', onGap: 'hold', receipts: false });
    expect(RUS.head('USA')!.seq).toBe(220);
  }, 60_000);

  it('fork evidence is bounded per seq', async () => {
    const { USA, RUS, usaKey } = await pair();
    await USA.append({ type: 'note', to: ['RUS'], body: { subject: 'genuine', text: '' } });
    await RUS.accept((await USA.range('USA', 0, 10)).map((e) => e.envelope), { source: 'USA', onGap: 'hold', receipts: false });
    for (let i = 0; i < 12; i++) {
      const fork = forge({ key: usaKey, header: { author: 'USA', seq: 1 }, content: { type: 'note', to: ['RUS'], refs: [], body: { subject: `fork ${i}`, text: '' }, salt: toB64url(Buffer.alloc(16, i)) } });
      await RUS.accept([fork], { source: 'USA', onGap: 'hold', receipts: false });
    }
    expect(await RUS.equivocations()).toHaveLength(MAX_EVIDENCE_PER_SEQ);
  }, 30_000);
});

describe('rate limits', () => {
  it('refuse a client over its budget on both APIs with PARLEY_ERR_RATE_LIMITED, and not another client', async () => {
    const limit = { max: 20, windowMs: 60_000 };
    net = await startNetwork(['RUS'], { rateLimits: { operator: limit, federation: limit } });
    const { RUS } = net.nodes;
    const status = (token: string) => fetch(`${RUS.url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } });
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await status(RUS.folder.tokens.analyst));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(20);
    const refused = answers.find((r) => r.status === 429)!;
    expect((await refused.json()).error.code).toBe('PARLEY_ERR_RATE_LIMITED');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await status(RUS.folder.tokens.officer)).status).toBe(200);

    const usaKey = generateSigningKey();
    await RUS.ledger.roster.add({ party: 'USA', name: 'USA', url: 'http://127.0.0.1:9', publicKey: usaKey.publicKeyB64 }, new Date().toISOString());
    await RUS.federation.rosterChanged();
    const codes: number[] = [];
    for (let i = 0; i < 30; i++) codes.push((await signedRequest(RUS, { party: 'USA', key: usaKey }, 'GET', '/federation/v1/log/RUS?after=0&limit=1')).status);
    expect(codes.filter((c) => c === 200)).toHaveLength(20);
    const over = await signedRequest(RUS, { party: 'USA', key: usaKey }, 'GET', '/federation/v1/log/RUS?after=0&limit=1');
    expect([over.status, over.json.error.code]).toEqual([429, 'PARLEY_ERR_RATE_LIMITED']);
  }, 60_000);
});
