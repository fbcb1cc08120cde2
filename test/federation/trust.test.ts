/**
 * What a node believes of its peers' requests: receipts only of entries it wrote, a batch id
 * answered from the cache only for the same entries, no replay across a restart, requests only
 * for its own authority.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { generateSigningKey } from '../../src/protocol/signing.js';
import { toB64url } from '../../src/protocol/bytes.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import type { Envelope } from '../../src/protocol/entry.js';
import { signRequest } from '../../src/federation/http-signature.js';
import { startNode } from '../../src/server/node.js';
import { forge } from '../support/forge.js';
import { rusAndBareUsa as bareUsaBesideRus, note, rawRequest, signedRequest, startNetwork, waitFor, type TestNetwork } from './support.js';

let net: TestNetwork | undefined;
const bare: Ledger[] = [];
afterEach(async () => {
  await net?.close();
  net = undefined;
  for (const l of bare.splice(0)) await l.close();
});

const PUSH = '/federation/v1/push';
const push = (entries: Envelope[], batch = 'batch-' + Math.random().toString(36).slice(2, 10)) => ({ batch, entries, heads: {} });

/** RUS runs a node; USA is a party without one, whose entries the test pushes by hand. */
async function rusAndBareUsa() {
  const made = await bareUsaBesideRus();
  net = made.net;
  bare.push(made.USA);
  return made;
}

const receipt = (of: string, upto: number, head: string) => ({
  type: 'receipt', to: [of], refs: [], body: { of, upto, head }, salt: toB64url(Buffer.alloc(16, 3)),
});

describe('receipts are checked against one\'s own log', () => {
  it('a receipt beyond this node\'s head, or of an entry it never wrote, is an alert, not delivery', async () => {
    const { RUS, usaKey } = await rusAndBareUsa();
    const own = await RUS.ledger.append({ type: 'note', to: ['USA'], body: note('one') });
    // USA "receipts" RUS's log up to 500, when RUS has written one entry.
    const forged = forge({ key: usaKey.key, header: { author: 'USA', seq: 1 }, content: receipt('RUS', 500, 'ab'.repeat(32)) });
    const r = await signedRequest(RUS, usaKey, 'POST', PUSH, push([forged]));
    expect(r.status).toBe(200);
    await waitFor('the alert', () => RUS.federation.status().alerts.some((a) => a.kind === 'receipt'));
    const status = RUS.federation.status();
    expect(status.peers.find((p) => p.party === 'USA')?.delivered).toBe(0);
    expect(status.alerts.find((a) => a.kind === 'receipt')).toMatchObject({ party: 'USA', seq: 500 });

    // A receipt of seq 1 naming another entry than RUS's own: a fork of RUS's log shown to USA.
    const { chainedReceipt } = await chain(usaKey.key, [forged]);
    const other = chainedReceipt(2, receipt('RUS', 1, 'cd'.repeat(32)));
    expect((await signedRequest(RUS, usaKey, 'POST', PUSH, push([other]))).status).toBe(200);
    await waitFor('the alert of the second', () => RUS.federation.status().alerts.some((a) => a.kind === 'receipt' && a.seq === 1));
    expect(RUS.federation.status().peers.find((p) => p.party === 'USA')?.delivered).toBe(0);

    // The honest receipt counts.
    const honest = chainedReceipt(3, receipt('RUS', 1, own.id));
    expect((await signedRequest(RUS, usaKey, 'POST', PUSH, push([honest]))).status).toBe(200);
    await waitFor('delivered 1', () => RUS.federation.status().peers.find((p) => p.party === 'USA')?.delivered === 1);
  }, 30_000);
});

/** Chains forged entries of one author on the ones given, as a real log would. */
async function chain(key: ReturnType<typeof generateSigningKey>, before: Envelope[]) {
  const { Frontier } = await import('../../src/protocol/merkle.js');
  const { fromB64url, sha256hex } = await import('../../src/protocol/bytes.js');
  const f = new Frontier();
  let prev = '';
  for (const e of before) {
    const bytes = fromB64url(e.header);
    f.append(bytes);
    prev = sha256hex(bytes);
  }
  return {
    chainedReceipt: (seq: number, content: ReturnType<typeof receipt>) => {
      const e = forge({ key, header: { author: 'USA', seq, prev, root: f.root().toString('hex') }, content });
      const bytes = fromB64url(e.header);
      f.append(bytes);
      prev = sha256hex(bytes);
      return e;
    },
  };
}

describe('the reply cache', () => {
  it('answers a retried batch from the cache only when it carries the same entries: a reused batch id cannot hide a fork', async () => {
    const { USA, RUS, usaKey } = await rusAndBareUsa();
    await USA.append({ type: 'note', to: ['RUS'], body: note('one') });
    const [first] = (await USA.range('USA', 0, 10)).map((e) => e.envelope);
    const fork = forge({ key: usaKey.key, header: { author: 'USA', seq: 1 }, content: { type: 'note', to: ['RUS'], refs: [], body: { subject: 'other', text: '' } } });
    expect((await signedRequest(RUS, usaKey, 'POST', PUSH, push([first], 'same-batch'))).status).toBe(200);
    const retry = await signedRequest(RUS, usaKey, 'POST', PUSH, push([first], 'same-batch'));
    expect(retry.json.accepted).toBe(1); // the cached answer
    const reused = await signedRequest(RUS, usaKey, 'POST', PUSH, push([fork], 'same-batch'));
    expect(reused.status).toBe(200);
    const evidence = await RUS.ledger.equivocations();
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ author: 'USA', seq: 1 });
  }, 30_000);
});

describe('signed requests', () => {
  it('a request taken before a restart is refused as a replay after it', async () => {
    const { USA, RUS, usaKey } = await rusAndBareUsa();
    await USA.append({ type: 'note', to: ['RUS'], body: note('one') });
    const first = await signedRequest(RUS, usaKey, 'GET', '/federation/v1/log/RUS?after=0&limit=10');
    expect(first.status).toBe(200);
    const port = RUS.port;
    await RUS.close();
    const again = await startNode({ dir: RUS.dir, port, logger: false, runFile: false });
    net!.nodes.RUS = again;
    const replay = await rawRequest(`${again.url}/federation/v1/log/RUS?after=0&limit=10`, 'GET', first.sent.headers, undefined);
    expect([replay.status, replay.json.error?.code]).toEqual([401, 'PARLEY_ERR_REPLAY']);
    // A request signed afresh is taken.
    expect((await signedRequest(again, usaKey, 'GET', '/federation/v1/log/RUS?after=0&limit=10')).status).toBe(200);
  }, 30_000);

  it('a request signed for another authority is refused, though sent to this node', async () => {
    const { RUS, usaKey } = await rusAndBareUsa();
    // Signed for an authority that is not RUS's (another node's address), delivered to RUS.
    const url = new URL('/federation/v1/log/RUS?after=0&limit=10', RUS.url);
    const headers = signRequest({ method: 'GET', authority: 'parley.ukr.example', pathAndQuery: url.pathname + url.search, recipient: 'RUS' }, undefined, { party: 'USA', privateKey: usaKey.key.privateKey }, Math.floor(Date.now() / 1000), 'n'.repeat(22));
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: RUS.port, path: url.pathname + url.search, method: 'GET', headers: { ...headers, host: 'parley.ukr.example' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).error).toMatchObject({ code: 'PARLEY_ERR_UNAUTHENTICATED' });
    expect(JSON.parse(answer.body).error.message).toMatch(/boundToThisNode/);
  }, 30_000);
});

describe('the nonce cache', () => {
  it('is bounded per party: one peer filling its cache does not refuse another', async () => {
    const { NonceCache } = await import('../../src/federation/replay.js');
    const cache = new NonceCache({ windowS: 60, max: 3 });
    for (const n of ['a', 'b', 'c']) expect(cache.use('USA', n, 1000, 1000)).toBe('fresh');
    expect(cache.use('USA', 'd', 1000, 1000)).toBe('full');
    expect(cache.use('RUS', 'a', 1000, 1000)).toBe('fresh');
    expect(cache.size).toBe(4);
  });

  it('journals its nonces: a new cache on the same file refuses them while they live', async () => {
    const { NonceCache } = await import('../../src/federation/replay.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const d = mkdtempSync(join(tmpdir(), 'parley-nonces-'));
    try {
      const one = new NonceCache({ windowS: 60, file: join(d, 'nonces'), nowS: 1000 });
      expect(one.use('USA', 'n1', 1000, 1000)).toBe('fresh');
      expect(one.use('USA', 'n2', 930, 1000)).toBe('fresh'); // lives until 990
      one.close();
      const two = new NonceCache({ windowS: 60, file: join(d, 'nonces'), nowS: 1010 });
      expect(two.use('USA', 'n1', 1000, 1010)).toBe('replay');
      expect(two.size).toBe(1);
      two.close();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
