import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/protocol/signing.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { forge } from '../support/forge.js';
import { bareLedger, note, rawRequest, signedRequest, startNetwork, type TestNetwork } from './support.js';
import type { RunningNode } from '../../src/server/node.js';

/**
 * A bounded flood (a few hundred requests, 16 at a time) of malformed, oversized, unauthenticated
 * and hostile requests at both APIs of one node: every answer is a 4xx with a Parley error code,
 * the node keeps serving, and its database does not grow by a byte.
 */
let net: TestNetwork;
let RUS: RunningNode;
let USA: Ledger;
const usaKey = generateSigningKey();

beforeAll(async () => {
  net = await startNetwork(['RUS']);
  RUS = net.nodes.RUS;
  const usa = { party: 'USA', name: 'USA', url: 'http://127.0.0.1:9', publicKey: usaKey.publicKeyB64 };
  await RUS.ledger.roster.add(usa, new Date().toISOString());
  await RUS.federation.rosterChanged();
  USA = await bareLedger('USA', usaKey, [usa, RUS.folder.descriptor]);
  await USA.append({ type: 'note', to: ['RUS'], body: note('genuine') });
});
afterAll(async () => {
  await USA.close();
  await net.close();
});

const dbSize = (dir: string) => ['parley.db', 'parley.db-wal'].map((f) => join(dir, f)).filter(existsSync).reduce((n, f) => n + statSync(f).size, 0);

type Attempt = () => Promise<{ status: number; json: any }>;

describe('a flood of bad requests', () => {
  it('gets only 4xx with error codes, no crash, no growth of the database', async () => {
    const as = { party: 'USA', key: usaKey };
    const genuine = (await USA.range('USA', 0, 1))[0].envelope;
    const schemaBreaking = forge({ key: usaKey, header: { author: 'USA', seq: 1 }, content: { type: 'note', to: ['RUS'], refs: [], body: { subject: 7 } } });
    const futureTime = forge({ key: usaKey, header: { author: 'USA', seq: 1, time: new Date(Date.now() + 3_600_000).toISOString() } });
    const wrongKey = forge({ key: generateSigningKey(), header: { author: 'USA', seq: 1 } });
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const officer = RUS.folder.tokens.officer;
    const admin = RUS.folder.tokens.admin;
    const op = (path: string, init: { method?: string; token?: string; body?: string; type?: string } = {}) => () =>
      rawRequest(RUS.url + path, init.method ?? 'GET', { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.body !== undefined ? { 'content-type': init.type ?? 'application/json' } : {}) }, init.body);
    const fed = (body: unknown, options: Parameters<typeof signedRequest>[5] = {}) => () => signedRequest(RUS, as, 'POST', '/federation/v1/push', body, options);
    const pull = (query: string) => () => signedRequest(RUS, as, 'GET', `/federation/v1/log/${query}`);

    const kinds: Attempt[] = [
      // federation: unauthenticated or badly signed
      () => rawRequest(`${RUS.url}/federation/v1/push`, 'POST', { 'content-type': 'application/json' }, '{"batch":"x"}'),
      () => rawRequest(`${RUS.url}/federation/v1/push`, 'POST', { 'content-type': 'application/json', 'signature-input': 'parley=(garbage', signature: 'parley=:AAAA:' }, '{}'),
      () => rawRequest(`${RUS.url}/federation/v1/push`, 'POST', { 'content-type': 'text/plain', 'signature-input': 'x'.repeat(5000), signature: 'y' }, 'hello'),
      fed({ batch: 'abcdefgh', entries: [], heads: {} }, { headers: (h) => ({ ...h, 'content-digest': 'sha-256=:AAAA:' }) }),
      // federation: authenticated, but the body is bad
      fed(undefined, { rawBody: '{"batch": "abcdefgh", "entries": [' }),
      fed(undefined, { rawBody: huge }),
      fed([1, 2, 3]),
      fed({ batch: 'short', entries: [], heads: {} }),
      fed({ batch: 'abcdefgh', entries: 'many', heads: {} }),
      fed({ batch: 'abcdefgh', entries: Array.from({ length: 600 }, () => genuine), heads: {} }),
      fed({ batch: 'abcdefgh', entries: [{ header: '!!!', sig: '???' }], heads: {} }),
      fed({ batch: 'abcdefgh', entries: [{ ...genuine, content: genuine.content + 'AA' }], heads: {} }),
      fed({ batch: 'abcdefgh', entries: [schemaBreaking], heads: {} }),
      fed({ batch: 'abcdefgh', entries: [futureTime], heads: {} }),
      fed({ batch: 'abcdefgh', entries: [wrongKey], heads: {} }),
      fed({ batch: 'abcdefgh', entries: [genuine], heads: { usa: { seq: 1, id: 'x' } } }),
      fed({ batch: 'abcdefgh', entries: [genuine], heads: { USA: { seq: -1, id: 'f'.repeat(64) } } }),
      pull('USA?after=-1'),
      pull('USA?limit=99999'),
      pull('USA?after=abc'),
      pull('usa'),
      pull('XYZ'),
      pull('USA?after=1e400'),
      () => rawRequest(`${RUS.url}/federation/v1/push`, 'PUT', {}, 'x'),
      // operator API
      op('/api/v1/status'),
      op('/api/v1/status', { token: 'pa_' + 'x'.repeat(40) }),
      op('/api/v1/entries', { method: 'POST', token: officer, body: '{"type":"note",' }),
      op('/api/v1/entries', { method: 'POST', token: officer, body: huge }),
      op('/api/v1/entries', { method: 'POST', token: officer, body: '[]' }),
      op('/api/v1/entries', { method: 'POST', token: officer, body: '{"type":"note","to":"RUS","body":{}}' }),
      op('/api/v1/entries', { method: 'POST', token: officer, body: '{"__proto__":{"x":1},"type":"note","to":["RUS"],"body":{"subject":"s","text":""}}' }),
      op('/api/v1/entries', { method: 'POST', token: officer, body: JSON.stringify({ type: 'note', to: ['RUS'], body: { subject: 's', text: 'x'.repeat(200_000) } }) }),
      op('/api/v1/entries', { method: 'POST', token: officer, body: 'type=note', type: 'application/x-www-form-urlencoded' }),
      op('/api/v1/entries?limit=abc', { token: officer }),
      op('/api/v1/entries?after=-5', { token: officer }),
      op('/api/v1/entries?author=usa', { token: officer }),
      op('/api/v1/entries?' + 'a=1&'.repeat(2000), { token: officer }),
      op(`/api/v1/entries/${'a'.repeat(300)}`, { token: officer }),
      op('/api/v1/entries/%00', { token: officer }),
      op('/api/v1/roster', { method: 'POST', token: admin, body: '{"party":"POL","name":"P","url":"javascript:alert(1)","publicKey":"AAAA"}' }),
      op('/api/v1/roster', { method: 'POST', token: admin, body: '{"party":"POL"}' }),
      op('/api/v1/events?after=-1', { token: officer }),
      op('/nowhere/at/all'),
    ];

    const sizeBefore = dbSize(RUS.dir);
    const countBefore = await RUS.ledger.count();
    const statuses = new Map<number, number>();
    const codes = new Set<string>();
    const attempts = Array.from({ length: 300 }, (_, i) => kinds[i % kinds.length]);
    for (let i = 0; i < attempts.length; i += 16) {
      const results = await Promise.all(
        attempts.slice(i, i + 16).map((a) =>
          a().catch((e: Error) => ({ status: 0, json: { error: { code: `client: ${e.message}` } } })),
        ),
      );
      for (const r of results) {
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(r.status, JSON.stringify(r.json).slice(0, 300)).toBeGreaterThanOrEqual(400);
        expect(r.status, JSON.stringify(r.json).slice(0, 300)).toBeLessThan(500);
        expect(r.json?.error?.code, JSON.stringify(r.json).slice(0, 300)).toMatch(/^PARLEY_ERR_/);
        codes.add(r.json.error.code);
      }
    }
    expect([...codes].sort()).toEqual(
      expect.arrayContaining(['PARLEY_ERR_UNAUTHENTICATED', 'PARLEY_ERR_MALFORMED_JSON', 'PARLEY_ERR_TOO_LARGE', 'PARLEY_ERR_BAD_ARGUMENT', 'PARLEY_ERR_BAD_SIGNATURE', 'PARLEY_ERR_SCHEMA', 'PARLEY_ERR_FUTURE_TIME', 'PARLEY_ERR_NOT_FOUND']),
    );
    // A bundle that proves nothing is a verdict, not a refusal.
    const verdict = await op('/api/v1/proofs/check', { method: 'POST', token: officer, body: '{"v":1,"kind":"parley.proof","entry":{"header":"x"}}' })();
    expect(verdict).toMatchObject({ status: 200, json: { ok: false, error: { code: 'PARLEY_ERR_BAD_PROOF' } } });
    // Still serving, nothing stored.
    const status = await rawRequest(`${RUS.url}/api/v1/status`, 'GET', { authorization: `Bearer ${officer}` }, undefined);
    expect(status.status).toBe(200);
    expect(await RUS.ledger.count()).toBe(countBefore);
    expect(dbSize(RUS.dir)).toBe(sizeBefore);
    // And the genuine push still goes through afterwards.
    const ok = await signedRequest(RUS, as, 'POST', '/federation/v1/push', { batch: 'genuine1', entries: [genuine], heads: {} });
    expect(ok.status).toBe(200);
    expect(RUS.ledger.head('USA')?.seq).toBe(1);
  });
});
