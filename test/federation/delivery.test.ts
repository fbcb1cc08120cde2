import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, startNetwork, stopPostgres, storedContents, waitFor, note, type TestNetwork } from './support.js';

let net: TestNetwork | undefined;
afterEach(async () => {
  await net?.close();
  net = undefined;
});
afterAll(stopPostgres);

describe.each(DIALECTS)('delivery between nodes on loopback (%s stores)', (store) => {
  it('delivers content to addressees and stubs to everyone else, with every addressee\'s receipt back at the sender', async () => {
    net = await startNetwork(['USA', 'RUS', 'UKR', 'POL'], { store });
    const { USA, RUS, UKR, POL } = net.nodes;
    for (const n of Object.values(net.nodes)) expect(n.folder.config.store?.startsWith('postgres://') ?? false).toBe(store === 'postgres');
    const toOne = await USA.ledger.append({ type: 'note', to: ['RUS'], body: note('to Russia') });
    const toTwo = await USA.ledger.append({ type: 'note', to: ['RUS', 'UKR'], body: note('to Russia and Ukraine') });
    const toAll = await USA.ledger.append({ type: 'note', to: ['*'], body: note('to everyone') });
    const fromUkr = await UKR.ledger.append({ type: 'note', to: ['USA'], body: note('from Ukraine') });

    await waitFor('every node to hold USA#3 and UKR#1', () =>
      [RUS, UKR, POL].every((n) => (n.ledger.head('USA')?.seq ?? 0) >= 3) && [USA, RUS, POL].every((n) => (n.ledger.head('UKR')?.seq ?? 0) >= 1),
    );
    // A peer may relay an entry as a stub before its author's push brings the content: wait for the
    // content at every addressee (the content itself is asserted below, and stubs where not addressed).
    const bodyAt = async (n: typeof USA, id: string) => (await n.ledger.get(id))?.body !== undefined;
    await waitFor('every addressee to hold its content', async () =>
      (await Promise.all([bodyAt(RUS, toOne.id), bodyAt(UKR, toTwo.id), bodyAt(RUS, toAll.id), bodyAt(UKR, toAll.id), bodyAt(POL, toAll.id), bodyAt(USA, fromUkr.id)])).every(Boolean),
    );
    // Content where addressed, stub where not.
    expect((await RUS.ledger.get(toOne.id))?.body).toEqual(note('to Russia'));
    expect((await UKR.ledger.get(toOne.id))?.body).toBeUndefined();
    expect((await UKR.ledger.get(toOne.id))?.envelope.content).toBeUndefined();
    expect((await POL.ledger.get(toOne.id))?.body).toBeUndefined();
    expect((await UKR.ledger.get(toTwo.id))?.body).toEqual(note('to Russia and Ukraine'));
    expect((await POL.ledger.get(toTwo.id))?.body).toBeUndefined();
    for (const n of [RUS, UKR, POL]) expect((await n.ledger.get(toAll.id))?.body).toEqual(note('to everyone'));
    expect((await USA.ledger.get(fromUkr.id))?.body).toEqual(note('from Ukraine'));
    expect((await RUS.ledger.get(fromUkr.id))?.body).toBeUndefined();
    // Past the ledger, in the database itself: a non-addressee's rows hold no content.
    const held = async (n: typeof RUS, e: typeof toOne) => (await storedContents(n, e.author))[e.seq - 1] !== null;
    const notes = [toOne, toTwo, toAll];
    expect(await Promise.all(notes.map((e) => held(RUS, e)))).toEqual([true, true, true]);
    expect(await Promise.all(notes.map((e) => held(UKR, e)))).toEqual([false, true, true]);
    expect(await Promise.all(notes.map((e) => held(POL, e)))).toEqual([false, false, true]);
    expect(await held(USA, fromUkr)).toBe(true);
    expect(await held(RUS, fromUkr)).toBe(false);

    // Every addressee's receipt reaches the sender: RUS, UKR and POL have receipted USA up to its last entry.
    await waitFor('receipts of USA#3 from every peer', () => USA.federation.status().peers.every((p) => p.delivered >= toAll.seq));
    await waitFor('UKR to hold USA\'s receipt of its note', () => (UKR.federation.status().peers.find((p) => p.party === 'USA')?.delivered ?? 0) >= fromUkr.seq);
    await waitFor('every link up with nothing left to send', () => USA.federation.status().peers.every((p) => p.backlog === 0 && p.link === 'up'));
    const status = USA.federation.status();
    expect(status.party).toBe('USA');
    expect(status.seq).toBeGreaterThanOrEqual(4); // its three notes and its receipt of UKR's note
    for (const p of status.peers) expect(p).toMatchObject({ backlog: 0, link: 'up' });
    expect(status.alerts).toEqual([]);
    // What it cost on the wire: at least one push to each peer, each carrying at least the broadcast's envelope.
    const envelopeBytes = JSON.stringify(toAll.envelope).length;
    expect(status.wire!.requests).toBeGreaterThanOrEqual(3);
    expect(status.wire!.bytesSent).toBeGreaterThan(3 * envelopeBytes);
    expect(status.wire!.bytesReceived).toBeGreaterThan(0);

    // Receipts are entries too: every node ends up holding every log, and verify passes everywhere.
    await waitFor('logs to converge', () => {
      const heads = Object.values(net!.nodes).map((n) => JSON.stringify(n.ledger.heads()));
      return heads.every((h) => h === heads[0]);
    });
    for (const n of Object.values(net.nodes)) {
      const report = await n.ledger.verify({ workers: 0 });
      expect(report.problems).toEqual([]);
    }
  });
});
