import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/protocol/signing.js';
import {
  contentDigest, parseDictionary, signRequest, signResponse, verifyRequest, verifyResponse, type RequestTarget,
} from '../../src/federation/http-signature.js';
import { NonceCache } from '../../src/federation/replay.js';
import { backoffDelay } from '../../src/federation/backoff.js';

const usa = generateSigningKey();
const rus = generateSigningKey();
const keys: Record<string, typeof usa> = { USA: usa, RUS: rus };
const keyOf = (p: string) => keys[p]?.publicKey;
const NOW = 1_800_000_000;
const NONCE = 'AAAAAAAAAAAAAAAAAAAAAA';

const target: RequestTarget = { method: 'POST', authority: '127.0.0.1:7301', pathAndQuery: '/federation/v1/push', recipient: 'RUS' };
const body = Buffer.from('{"batch":"abcdefgh","entries":[],"heads":{}}');

function received(headers: Record<string, string>, overrides: Partial<{ method: string; authority: string; pathAndQuery: string; body: Buffer }> = {}) {
  return { method: 'POST', authority: '127.0.0.1:7301', pathAndQuery: '/federation/v1/push', headers, body, ...overrides };
}

describe('RFC 9421 request signatures', () => {
  it('builds the signature base line by line, as RFC 9421 §2.5 does', () => {
    const h = signRequest(target, body, { party: 'USA', privateKey: usa.privateKey }, NOW, NONCE);
    expect(h['content-digest']).toBe(contentDigest(body));
    expect(h['content-digest']).toMatch(/^sha-256=:[A-Za-z0-9+/]{43}=:$/);
    expect(h['signature-input']).toBe(
      `parley=("@method" "@authority" "@path" "@query" "parley-to" "content-digest");created=${NOW};nonce="${NONCE}";keyid="USA";alg="ed25519";tag="parley-v1"`,
    );
    expect(h.signature).toMatch(/^parley=:[A-Za-z0-9+/]{86}==:$/);
    expect(h['parley-to']).toBe('RUS');
  });

  it('verifies a request signed by a roster party, and names the party', () => {
    const h = signRequest(target, body, { party: 'USA', privateKey: usa.privateKey }, NOW, NONCE);
    const v = verifyRequest(received(h), { self: 'RUS', nowS: NOW + 30, keyOf });
    expect(v.ok && v.value).toEqual({ party: 'USA', nonce: NONCE, created: NOW });
  });

  it('verifies a GET with its query and no body', () => {
    const t = { method: 'GET', authority: 'rus.example:443', pathAndQuery: '/federation/v1/log/USA?after=3&limit=10', recipient: 'RUS' };
    const h = signRequest(t, undefined, { party: 'USA', privateKey: usa.privateKey }, NOW, NONCE);
    expect(h['content-digest']).toBeUndefined();
    const ok = verifyRequest({ method: 'GET', authority: 'rus.example:443', pathAndQuery: t.pathAndQuery, headers: h, body: undefined }, { self: 'RUS', nowS: NOW, keyOf });
    expect(ok.ok).toBe(true);
    const otherQuery = verifyRequest({ method: 'GET', authority: 'rus.example:443', pathAndQuery: '/federation/v1/log/USA?after=0&limit=10', headers: h, body: undefined }, { self: 'RUS', nowS: NOW, keyOf });
    expect(otherQuery.ok).toBe(false);
  });

  it('refuses every change to a covered component, with PARLEY_ERR_UNAUTHENTICATED', () => {
    const h = signRequest(target, body, { party: 'USA', privateKey: usa.privateKey }, NOW, NONCE);
    const ctx = { self: 'RUS', nowS: NOW, keyOf };
    const cases = [
      received(h, { method: 'PUT' }),
      received(h, { authority: 'evil.example' }),
      received(h, { pathAndQuery: '/federation/v1/push?x=1' }),
      received(h, { body: Buffer.from('{"batch":"abcdefgh","entries":[],"heads":{"X":1}}') }),
      received({ ...h, signature: h.signature.replace(/:(.)/, (_, c: string) => `:${c === 'A' ? 'B' : 'A'}`) }),
      received({ ...h, 'signature-input': h['signature-input'].replace('keyid="USA"', 'keyid="RUS"') }),
    ];
    for (const r of cases) {
      const v = verifyRequest(r, ctx);
      expect(v.ok).toBe(false);
      expect(!v.ok && v.error.code).toBe('PARLEY_ERR_UNAUTHENTICATED');
    }
  });

  it('refuses a request for another node, from an unknown party, unsigned, or without the body digest', () => {
    const h = signRequest(target, body, { party: 'USA', privateKey: usa.privateKey }, NOW, NONCE);
    const forUkr = verifyRequest(received(h), { self: 'UKR', nowS: NOW, keyOf: (p) => keys[p]?.publicKey ?? usa.publicKey });
    expect(!forUkr.ok && forUkr.error.message).toMatch(/addressedToThisNode/);
    const stranger = generateSigningKey();
    const s = signRequest(target, body, { party: 'XYZ', privateKey: stranger.privateKey }, NOW, NONCE);
    const unknown = verifyRequest(received(s), { self: 'RUS', nowS: NOW, keyOf });
    expect(!unknown.ok && unknown.error.code).toBe('PARLEY_ERR_UNAUTHENTICATED');
    expect(!unknown.ok && unknown.error.message).toMatch(/not in this node's roster/);
    const unsigned = verifyRequest(received({}), { self: 'RUS', nowS: NOW, keyOf });
    expect(!unsigned.ok && unsigned.error.code).toBe('PARLEY_ERR_UNAUTHENTICATED');
    const noDigest = signRequest(target, undefined, { party: 'USA', privateKey: usa.privateKey }, NOW, NONCE);
    const v = verifyRequest(received(noDigest), { self: 'RUS', nowS: NOW, keyOf });
    expect(!v.ok && v.error.message).toMatch(/content-digest/);
  });

  it('refuses a signature created more than 5 minutes away from the clock, with PARLEY_ERR_REPLAY', () => {
    const h = signRequest(target, body, { party: 'USA', privateKey: usa.privateKey }, NOW, NONCE);
    for (const nowS of [NOW + 301, NOW - 301]) {
      const v = verifyRequest(received(h), { self: 'RUS', nowS, keyOf });
      expect(!v.ok && v.error.code).toBe('PARLEY_ERR_REPLAY');
    }
    for (const nowS of [NOW + 300, NOW - 300]) expect(verifyRequest(received(h), { self: 'RUS', nowS, keyOf }).ok).toBe(true);
  });

  it('signs replies back, bound to the request by its nonce', () => {
    const reply = Buffer.from('{"ok":true}');
    const h = signResponse(200, reply, 'USA', NONCE, { party: 'RUS', privateKey: rus.privateKey }, NOW);
    const expected = { responder: 'RUS', requester: 'USA', nonce: NONCE, key: rus.publicKey, nowS: NOW };
    expect(verifyResponse(200, h, reply, expected).ok).toBe(true);
    expect(verifyResponse(201, h, reply, expected).ok).toBe(false);
    expect(verifyResponse(200, h, Buffer.from('{"ok":false}'), expected).ok).toBe(false);
    expect(verifyResponse(200, h, reply, { ...expected, nonce: 'BBBBBBBBBBBBBBBBBBBBBB' }).ok).toBe(false);
    expect(verifyResponse(200, h, reply, { ...expected, key: usa.publicKey }).ok).toBe(false);
  });

  it('parses only well-formed structured-field dictionaries', () => {
    expect(parseDictionary('a=("x" "y");created=1;k="v", b=:AAAA:')?.size).toBe(2);
    for (const bad of ['a=("x" "y"', 'a=("x")junk', '=("x")', 'a=(x)', 'a=:AA=A:', 'a=("x\u0001")', 'a=("x");=1']) {
      expect(parseDictionary(bad)).toBeUndefined();
    }
  });
});

describe('replay cache', () => {
  it('takes a nonce once within the window, and forgets it when the signature could no longer pass', () => {
    const cache = new NonceCache({ windowS: 60 });
    expect(cache.use('USA', 'n1', NOW, NOW)).toBe('fresh');
    expect(cache.use('USA', 'n1', NOW, NOW + 59)).toBe('replay');
    expect(cache.use('RUS', 'n1', NOW, NOW)).toBe('fresh');
    expect(cache.use('USA', 'n2', NOW + 70, NOW + 70)).toBe('fresh');
    expect(cache.size).toBe(1);
  });

  it('refuses rather than forgets when full', () => {
    const cache = new NonceCache({ windowS: 60, max: 2 });
    cache.use('USA', 'a', NOW, NOW);
    cache.use('USA', 'b', NOW, NOW);
    expect(cache.use('USA', 'c', NOW, NOW)).toBe('full');
  });
});

describe('backoff', () => {
  it('doubles from the base up to the cap, with equal jitter', () => {
    const policy = { baseMs: 50, capMs: 2000 };
    expect(backoffDelay(1, 0, policy)).toBe(25);
    expect(backoffDelay(1, 0.999999, policy)).toBe(50);
    expect(backoffDelay(3, 0, policy)).toBe(100);
    expect(backoffDelay(20, 0, policy)).toBe(1000);
    expect(backoffDelay(20, 0.999999, policy)).toBe(2000);
    expect(backoffDelay(10_000, 0.5, policy)).toBe(1500);
  });
});
