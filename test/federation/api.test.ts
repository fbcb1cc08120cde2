import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parleyAsync } from '../support/cli.js';
import { note, startNetwork, waitFor, type TestNetwork } from './support.js';
import type { RunningNode } from '../../src/server/node.js';

let net: TestNetwork;
let USA: RunningNode;
let tokens: Record<'admin' | 'officer' | 'analyst', string>;

beforeAll(async () => {
  net = await startNetwork(['USA', 'RUS'], { runFile: true });
  USA = net.nodes.USA;
  tokens = USA.folder.tokens;
});
afterAll(async () => net.close());

async function api(path: string, options: { token?: string; method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(USA.url + path, { method: options.method ?? 'GET', headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

const cli = parleyAsync;

describe('operator API', () => {
  it('asks for a token, and lets each role do only its part', async () => {
    expect(await api('/api/v1/status')).toMatchObject({ status: 401, json: { error: { code: 'PARLEY_ERR_UNAUTHENTICATED' } } });
    expect((await api('/api/v1/status', { token: 'po_wrong' })).status).toBe(401);
    const send = { type: 'note', to: ['RUS'], body: note('from the API') };
    expect(await api('/api/v1/entries', { token: tokens.analyst, method: 'POST', body: send })).toMatchObject({ status: 403, json: { error: { code: 'PARLEY_ERR_FORBIDDEN' } } });
    expect((await api('/api/v1/entries', { token: tokens.admin, method: 'POST', body: send })).status).toBe(403);
    const sent = await api('/api/v1/entries', { token: tokens.officer, method: 'POST', body: send });
    expect(sent).toMatchObject({ status: 201, json: { seq: 1, author: 'USA', id: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    for (const token of Object.values(tokens)) expect((await api('/api/v1/status', { token })).status).toBe(200);
    const descriptor = { party: 'POL', name: 'Poland', url: 'http://127.0.0.1:9', publicKey: USA.folder.key.publicKeyB64.replace(/^./, 'A') };
    expect((await api('/api/v1/roster', { token: tokens.officer, method: 'POST', body: descriptor })).status).toBe(403);
  });

  it('sends, lists, fetches, proves and checks; refuses bad entries with their codes', async () => {
    const officer = tokens.officer;
    for (let i = 0; i < 3; i++) expect((await api('/api/v1/entries', { token: officer, method: 'POST', body: { type: 'note', to: ['*'], body: note(`n${i}`) } })).status).toBe(201);
    await waitFor('a receipt from RUS', () => USA.ledger.head('RUS') !== undefined);

    const list = await api('/api/v1/entries?author=USA&after=1&limit=2', { token: tokens.analyst });
    expect(list.status).toBe(200);
    expect(list.json.entries.map((e: any) => e.seq)).toEqual([2, 3]);
    expect(list.json.next).toBe(3);
    const receipts = await api('/api/v1/entries?type=receipt&limit=10', { token: tokens.analyst });
    expect(receipts.json.entries.length).toBeGreaterThan(0);
    expect(receipts.json.entries.every((e: any) => e.type === 'receipt' && e.author === 'RUS')).toBe(true);
    const all = await api('/api/v1/entries?limit=1000', { token: tokens.analyst });
    expect(all.json.entries.map((e: any) => e.pos)).toEqual([...all.json.entries.map((e: any) => e.pos)].sort((a: number, b: number) => a - b));

    const first = list.json.entries[0];
    const one = await api(`/api/v1/entries/${first.id}`, { token: tokens.analyst });
    expect(one.json).toMatchObject({ id: first.id, author: 'USA', seq: 2, type: 'note', body: note('n0') });
    expect(await api(`/api/v1/entries/${'0'.repeat(64)}`, { token: tokens.analyst })).toMatchObject({ status: 404, json: { error: { code: 'PARLEY_ERR_NOT_FOUND' } } });
    expect(await api('/api/v1/entries/not-an-id', { token: tokens.analyst })).toMatchObject({ status: 400, json: { error: { code: 'PARLEY_ERR_BAD_ARGUMENT' } } });

    const proof = await api(`/api/v1/entries/${first.id}/proof`, { token: tokens.analyst });
    expect(proof.status).toBe(200);
    expect(await api('/api/v1/proofs/check', { token: tokens.analyst, method: 'POST', body: proof.json })).toMatchObject({ status: 200, json: { ok: true, proof: { id: first.id, seq: 2 } } });
    const tampered = { ...proof.json, leafIndex: 0 };
    expect(await api('/api/v1/proofs/check', { token: tokens.analyst, method: 'POST', body: tampered })).toMatchObject({ status: 200, json: { ok: false, error: { code: 'PARLEY_ERR_BAD_PROOF' } } });

    const bad = [
      [{ type: 'nope', to: ['RUS'], body: {} }, 400, 'PARLEY_ERR_UNKNOWN_TYPE'],
      [{ type: 'note', to: ['RUS'], body: { subject: 1 } }, 400, 'PARLEY_ERR_SCHEMA'],
      [{ type: 'note', to: ['XYZ'], body: note('x') }, 400, 'PARLEY_ERR_UNKNOWN_ADDRESSEE'],
      [{ type: 'note', to: ['RUS'] }, 400, 'PARLEY_ERR_BAD_ARGUMENT'],
      [{ type: 'note', to: ['RUS'], body: note('x'), extra: 1 }, 400, 'PARLEY_ERR_BAD_ARGUMENT'],
      [{ type: 'note', to: ['RUS'], refs: ['f'.repeat(64)], body: note('x') }, 404, 'PARLEY_ERR_NOT_FOUND'],
    ] as const;
    for (const [body, status, code] of bad) expect(await api('/api/v1/entries', { token: officer, method: 'POST', body })).toMatchObject({ status, json: { error: { code } } });
    expect(await api('/api/v1/entries', { token: officer, method: 'POST', raw: '{"type":' })).toMatchObject({ status: 400, json: { error: { code: 'PARLEY_ERR_MALFORMED_JSON' } } });
    expect(await api('/api/v1/entries', { token: officer, method: 'POST', raw: JSON.stringify({ type: 'note', to: ['RUS'], body: { subject: 's', text: 'x'.repeat(1_100_000) } }) })).toMatchObject({
      status: 413,
      json: { error: { code: 'PARLEY_ERR_TOO_LARGE' } },
    });
  });

  it('serves status, verify, catalogue and roster', async () => {
    const status = await api('/api/v1/status', { token: tokens.analyst });
    expect(status.json).toMatchObject({ party: 'USA', peers: [{ party: 'RUS', link: expect.stringMatching(/up|unknown/) }], alerts: [] });
    expect(Object.keys(status.json.peers[0]).sort()).toEqual(['backlog', 'delivered', 'lastContact', 'link', 'party', 'received']);
    expect((await api('/api/v1/verify', { token: tokens.analyst })).json).toMatchObject({ ok: true, problems: [] });
    expect(Object.keys((await api('/api/v1/catalogue', { token: tokens.analyst })).json)).toEqual(expect.arrayContaining(['note', 'receipt']));
    expect((await api('/api/v1/roster', { token: tokens.analyst })).json.map((p: any) => p.party)).toEqual(['RUS', 'USA']);
  });

  it('adds a party to the roster (admin) and starts a link to it', async () => {
    const { generateSigningKey } = await import('../../src/protocol/signing.js');
    const pol = { party: 'POL', name: 'Poland', url: 'http://127.0.0.1:9', publicKey: generateSigningKey().publicKeyB64 };
    expect(await api('/api/v1/roster', { token: tokens.admin, method: 'POST', body: pol })).toMatchObject({ status: 200, json: { party: 'POL', added: true } });
    expect(await api('/api/v1/roster', { token: tokens.admin, method: 'POST', body: { ...pol, publicKey: generateSigningKey().publicKeyB64 } })).toMatchObject({ status: 409, json: { error: { code: 'PARLEY_ERR_ROSTER_CONFLICT' } } });
    await waitFor('a link to POL, down', () => USA.federation.status().peers.some((p) => p.party === 'POL' && p.link === 'down'));
  });

  it('streams committed entries as server-sent events, with a single-use ticket in the query (never the token), and replays after Last-Event-ID', async () => {
    const ctrl = new AbortController();
    // The token is not taken from a URL.
    expect((await fetch(`${USA.url}/api/v1/events?token=${tokens.analyst}`)).status).toBe(401);
    const { json: t } = await api('/api/v1/events/ticket', { token: tokens.analyst, method: 'POST' });
    const res = await fetch(`${USA.url}/api/v1/events?ticket=${t.ticket}`, { signal: ctrl.signal });
    expect(res.status).toBe(200);
    const used = await fetch(`${USA.url}/api/v1/events?ticket=${t.ticket}`);
    expect([used.status, (await used.json()).error.code]).toEqual([401, 'PARLEY_ERR_TOKEN_EXPIRED']);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    const sent = await api('/api/v1/entries', { token: tokens.officer, method: 'POST', body: { type: 'note', to: ['RUS'], body: note('live') } });
    const until = Date.now() + 5000;
    while (!text.includes(sent.json.id) && Date.now() < until) text += new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    const event = text.split('\n\n').find((e) => e.includes(sent.json.id))!;
    expect(event).toMatch(/^id: \d+\nevent: entry\ndata: /);
    const id = /^id: (\d+)/.exec(event)![1];
    expect(JSON.parse(event.split('data: ')[1])).toMatchObject({ id: sent.json.id, author: 'USA', type: 'note', body: note('live') });

    // Reconnecting with Last-Event-ID one before it replays it.
    const again = await fetch(`${USA.url}/api/v1/events`, { headers: { authorization: `Bearer ${tokens.analyst}`, 'last-event-id': String(Number(id) - 1) } });
    const r2 = again.body!.getReader();
    let t2 = '';
    while (!t2.includes(sent.json.id)) t2 += new TextDecoder().decode((await r2.read()).value);
    await r2.cancel();
    expect((await fetch(`${USA.url}/api/v1/events`)).status).toBe(401);
  });

  it('describes every route in its OpenAPI document', async () => {
    const doc = await api('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.json.paths as Record<string, Record<string, any>>).flatMap(([p, m]) => Object.keys(m).map((k) => `${k.toUpperCase()} ${p}`));
    expect(ops.sort()).toEqual(
      [
        'GET /api/v1/catalogue', 'GET /api/v1/entries', 'GET /api/v1/entries/{id}', 'GET /api/v1/entries/{id}/proof', 'GET /api/v1/events', 'GET /api/v1/findings', 'GET /api/v1/hotline', 'GET /api/v1/obligations', 'GET /api/v1/openapi.json',
        'GET /api/v1/regimes', 'GET /api/v1/roster', 'GET /api/v1/status', 'GET /api/v1/talks', 'GET /api/v1/talks/statements', 'GET /api/v1/talks/{meeting}/compare', 'GET /api/v1/verify', 'GET /federation/v1/log/{author}', 'POST /api/v1/entries', 'POST /api/v1/proofs/check',
        'POST /api/v1/roster', 'POST /federation/v1/push', 'POST /api/v1/events/ticket',
        'GET /api/v1/incidents', 'GET /api/v1/encounters', 'GET /api/v1/encounters/live',
        'GET /api/v1/zones', 'GET /api/v1/zones/map',
        'GET /api/v1/missiles/sites', 'GET /api/v1/missiles/visits',
        'GET /api/v1/session', 'POST /api/v1/entries/preview',
      ].sort(),
    );
    const send = doc.json.paths['/api/v1/entries'].post;
    expect(send.requestBody.content['application/json'].schema.required).toEqual(['type', 'to', 'body']);
    expect(send['x-parley-roles']).toEqual(['officer']);
    expect(send.responses['403']).toBeDefined();
    // Every route Fastify serves is in the document.
    const served = USA.app.printRoutes({ commonPrefix: false });
    for (const op of ops) expect(served).toContain(op.split(' ')[1].replace(/\{(\w+)\}/g, ':$1').split('/').pop());
  });

  it('lets the CLI send through the running node and read its status', async () => {
    const sent = await cli(['send', '--dir', USA.dir, '--type', 'note', '--to', 'RUS', '--body', JSON.stringify(note('via the CLI')), '--json']);
    expect(sent.code).toBe(0);
    const { id, seq } = JSON.parse(sent.stdout);
    expect((await USA.ledger.get(id))?.seq).toBe(seq);
    await waitFor('RUS to hold it', async () => (await net.nodes.RUS.ledger.get(id)) !== undefined);
    const status = await cli(['status', '--dir', USA.dir, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ party: 'USA', seq: USA.ledger.head('USA')!.seq, peers: expect.any(Array), alerts: [] });
  });
});
