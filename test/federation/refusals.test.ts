import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/protocol/signing.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import type { Envelope } from '../../src/protocol/entry.js';
import { stubOf } from '../../src/protocol/entry.js';
import { forge } from '../support/forge.js';
import { bareLedger, rusAndBareUsa as bareUsaBesideRus, DIALECTS, note, signedRequest, startNetwork, stopPostgres, storedContents, waitFor, type TestNetwork } from './support.js';

let net: TestNetwork | undefined;
const bare: Ledger[] = [];
afterEach(async () => {
  await net?.close();
  net = undefined;
  for (const l of bare.splice(0)) await l.close();
});
afterAll(stopPostgres);

const PUSH = '/federation/v1/push';
const push = (entries: Envelope[], batch = 'batch-' + Math.random().toString(36).slice(2, 10)) => ({ batch, entries, heads: {} });
const own = async (l: Ledger, to: string) => (await l.range(l.party, 0, 1000)).map((e) => (e.to?.includes(to) || e.to?.[0] === '*' ? e.envelope : stubOf(e.envelope)));

/** RUS runs a node; USA is a party without one, whose entries the test pushes by hand. */
async function rusAndBareUsa() {
  const made = await bareUsaBesideRus();
  net = made.net;
  bare.push(made.USA);
  return made;
}

describe('federation refusals', () => {
  it('refuses unsigned, unknown-party, forged and replayed requests with 401 and stores nothing', async () => {
    const { USA, RUS, usaKey } = await rusAndBareUsa();
    await USA.append({ type: 'note', to: ['RUS'], body: note('one') });
    const body = push(await own(USA, 'RUS'));
    const before = await RUS.ledger.count();

    const unsigned = await fetch(RUS.url + PUSH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(unsigned.status).toBe(401);
    expect((await unsigned.json()).error.code).toBe('PARLEY_ERR_UNAUTHENTICATED');

    const stranger = await signedRequest(RUS, { party: 'XYZ', key: generateSigningKey() }, 'POST', PUSH, body);
    expect([stranger.status, stranger.json.error.code]).toEqual([401, 'PARLEY_ERR_UNAUTHENTICATED']);

    const forged = await signedRequest(RUS, { party: 'USA', key: generateSigningKey() }, 'POST', PUSH, body);
    expect([forged.status, forged.json.error.code]).toEqual([401, 'PARLEY_ERR_UNAUTHENTICATED']);

    const old = await signedRequest(RUS, usaKey, 'POST', PUSH, body, { createdS: Math.floor(Date.now() / 1000) - 400 });
    expect([old.status, old.json.error.code]).toEqual([401, 'PARLEY_ERR_REPLAY']);

    const forUkr = await signedRequest(RUS, usaKey, 'POST', PUSH, body, { recipient: 'UKR' });
    expect([forUkr.status, forUkr.json.error.code]).toEqual([401, 'PARLEY_ERR_UNAUTHENTICATED']);

    const pull = await fetch(`${RUS.url}/federation/v1/log/USA`);
    expect(pull.status).toBe(401);
    expect(await RUS.ledger.count()).toBe(before);

    // The genuine request is taken once; the same bytes again are a replay.
    const first = await signedRequest(RUS, usaKey, 'POST', PUSH, body);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ held: { seq: 1 }, accepted: 1, receipts: [expect.any(Object)] });
    const again = await fetch(RUS.url + PUSH, { method: 'POST', headers: first.sent.headers, body: first.sent.body });
    expect(again.status).toBe(401);
    expect((await again.json()).error.code).toBe('PARLEY_ERR_REPLAY');
    // Re-signed, the same batch is idempotent: the same reply, nothing stored twice.
    const retry = await signedRequest(RUS, usaKey, 'POST', PUSH, body);
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(await RUS.ledger.count()).toBe(before + 2); // USA#1 and RUS's receipt
  });

  it('refuses a batch out of seq order, a batch with a hole, another party\'s entries and a bad entry signature, storing none of it', async () => {
    const { USA, RUS, usaKey } = await rusAndBareUsa();
    for (let i = 1; i <= 4; i++) await USA.append({ type: 'note', to: ['RUS'], body: note(`n${i}`) });
    const env = await own(USA, 'RUS');
    const before = await RUS.ledger.count();

    const reordered = await signedRequest(RUS, usaKey, 'POST', PUSH, push([env[1], env[0]]));
    expect([reordered.status, reordered.json.error.code]).toEqual([400, 'PARLEY_ERR_CHAIN_ORDER']);
    const holey = await signedRequest(RUS, usaKey, 'POST', PUSH, push([env[0], env[1], env[3]]));
    expect([holey.status, holey.json.error.code]).toEqual([400, 'PARLEY_ERR_CHAIN_ORDER']);

    const ukrKey = generateSigningKey();
    const relayed = await signedRequest(RUS, usaKey, 'POST', PUSH, push([forge({ key: ukrKey, header: { author: 'UKR', seq: 1 } })]));
    expect([relayed.status, relayed.json.error.code]).toEqual([403, 'PARLEY_ERR_FORBIDDEN']);

    const badSig = await signedRequest(RUS, usaKey, 'POST', PUSH, push([env[0], forgeNext(env, ukrKey)]));
    expect([badSig.status, badSig.json.error.code]).toEqual([400, 'PARLEY_ERR_BAD_SIGNATURE']);

    const garbage = await signedRequest(RUS, usaKey, 'POST', PUSH, push([{ header: 'not-a-header', sig: 'x' }]));
    expect(garbage.status).toBe(400);
    expect(await RUS.ledger.count()).toBe(before);
    expect(RUS.ledger.head('USA')).toBeUndefined();
  });

  it('holds a batch that arrives before the one it follows, pulls the gap from its author, and ends with every entry once, in order', async () => {
    // USA runs a node RUS can pull from, but USA cannot reach RUS: only the test pushes.
    net = await startNetwork(['USA', 'RUS']);
    const { USA, RUS } = net.nodes;
    const usaKey = { party: 'USA', key: USA.folder.key };
    await USA.ledger.roster.add({ ...RUS.folder.descriptor, url: 'http://127.0.0.1:9' }, new Date().toISOString());
    await USA.federation.rosterChanged();
    await waitFor('RUS to have said hello to USA', () => RUS.federation.status().peers[0].link === 'up');
    for (let i = 1; i <= 6; i++) await USA.ledger.append({ type: 'note', to: ['RUS'], body: note(`n${i}`) });
    const env = await own(USA.ledger, 'RUS');
    // Batch 2 (seq 4–6) first: nothing stored yet, the gap is reported as held seq 0.
    const later = await signedRequest(RUS, usaKey, 'POST', PUSH, push(env.slice(3)));
    expect(later.status).toBe(200);
    expect(later.json).toMatchObject({ held: { seq: 0 }, accepted: 0, receipts: [] });
    // The gap makes RUS pull USA's log from USA (which knows RUS and serves it).
    await waitFor('RUS to pull USA#1–6', () => RUS.ledger.head('USA')?.seq === 6);
    // Batch 1 arrives late: all duplicates now, nothing new stored.
    const earlier = await signedRequest(RUS, usaKey, 'POST', PUSH, push(env.slice(0, 3)));
    expect(earlier.json).toMatchObject({ held: { seq: 6 }, accepted: 0, duplicates: 3 });
    const usaEntries = (await RUS.ledger.since(0, 100)).filter((e) => e.author === 'USA');
    expect(usaEntries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(usaEntries.map((e) => e.id)).toEqual((await USA.ledger.range('USA', 0, 10)).map((e) => e.id));
    expect(usaEntries.every((e) => e.body)).toBe(true);
  });
});

describe.each(DIALECTS)('federation refusals that hold on every store dialect (%s stores)', (store) => {
  it('never shows content to a party not addressed on it: a pull gives it stubs', async () => {
    net = await startNetwork(['USA', 'RUS', 'UKR'], { store });
    const { USA, UKR } = net.nodes;
    await USA.ledger.append({ type: 'note', to: ['RUS'], body: note('for Russia only') });
    await USA.ledger.append({ type: 'note', to: ['*'], body: note('for all') });
    const asUkr = await signedRequest(USA, { party: 'UKR', key: UKR.folder.key }, 'GET', '/federation/v1/log/USA?after=0&limit=10');
    expect(asUkr.status).toBe(200);
    expect(asUkr.json.entries).toHaveLength(2);
    expect(asUkr.json.entries[0].content).toBeUndefined();
    expect(asUkr.json.entries[1].content).toEqual(expect.any(String));
    const asRus = await signedRequest(USA, { party: 'RUS', key: net.nodes.RUS.folder.key }, 'GET', '/federation/v1/log/USA?after=0&limit=10');
    expect(asRus.json.entries[0].content).toEqual(expect.any(String));
    // UKR's operator token opens nothing at USA's node.
    const api = await fetch(`${USA.url}/api/v1/entries?author=USA`, { headers: { authorization: `Bearer ${UKR.folder.tokens.analyst}` } });
    expect(api.status).toBe(401);
    await waitFor('UKR to hold both', () => UKR.ledger.head('USA')?.seq === 2);
    expect((await UKR.ledger.range('USA', 0, 10)).map((e) => e.body)).toEqual([undefined, note('for all')]);
    // Past the ledger, in UKR's database itself: the row of the note to Russia holds no content.
    expect((await storedContents(UKR, 'USA')).map((c) => c !== null)).toEqual([false, true]);
  });

  it('exposes a fork pushed to two different peers: both keep both headers, alert in status, problem in verify', async () => {
    net = await startNetwork(['RUS', 'UKR'], { store });
    const { RUS, UKR } = net.nodes;
    // NAT has no node; whoever holds its key signs two different first entries.
    const natKey = generateSigningKey();
    const nat = { party: 'NAT', name: 'NAT', url: 'http://127.0.0.1:9', publicKey: natKey.publicKeyB64 };
    for (const n of [RUS, UKR]) {
      await n.ledger.roster.add(nat, new Date().toISOString());
      await n.federation.rosterChanged();
    }
    const roster = [nat, RUS.folder.descriptor, UKR.folder.descriptor];
    const a = await bareLedger('NAT', natKey, roster);
    const b = await bareLedger('NAT', natKey, roster);
    bare.push(a, b);
    const ea = await a.append({ type: 'note', to: ['*'], body: note('version told to Russia') });
    const eb = await b.append({ type: 'note', to: ['*'], body: note('version told to Ukraine') });
    const natSigner = { party: 'NAT', key: natKey };
    expect((await signedRequest(RUS, natSigner, 'POST', PUSH, push([ea.envelope]))).status).toBe(200);
    expect((await signedRequest(UKR, natSigner, 'POST', PUSH, push([eb.envelope]))).status).toBe(200);

    // The next exchange between RUS and UKR carries their heads; each sees the other's NAT#1.
    await RUS.ledger.append({ type: 'note', to: ['UKR'], body: note('anything') });
    await waitFor('both nodes to hold the equivocation', () =>
      [RUS, UKR].every((n) => n.federation.status().alerts.some((x) => x.kind === 'equivocation' && x.author === 'NAT' && x.seq === 1)),
    );
    expect(RUS.ledger.head('NAT')?.id).toBe(ea.id);
    expect(UKR.ledger.head('NAT')?.id).toBe(eb.id);
    const alert = RUS.federation.status().alerts.find((x) => x.kind === 'equivocation');
    expect(alert).toMatchObject({ author: 'NAT', seq: 1, heldId: ea.id, otherId: eb.id, source: 'UKR' });
    for (const n of [RUS, UKR]) {
      const report = await n.ledger.verify({ workers: 0 });
      expect(report.problems.map((p) => [p.author, p.seq, p.code])).toEqual([['NAT', 1, 'PARLEY_ERR_EQUIVOCATION']]);
      // Nothing but the evidence: NAT's log still has one entry here.
      expect(await n.ledger.range('NAT', 0, 10)).toHaveLength(1);
    }
  });
});

/** An envelope at the seq after env[0] whose signature is by the wrong key. */
function forgeNext(env: Envelope[], key: ReturnType<typeof generateSigningKey>): Envelope {
  const h = JSON.parse(Buffer.from(env[1].header, 'base64url').toString('utf8'));
  return forge({ key, header: h, content: Buffer.from(env[1].content!, 'base64url') });
}
