/**
 * Clocks that disagree. Nodes whose clocks differ by up to 4 minutes deliver everything exactly
 * once and in order, with receipts, and stay clean under verify; a node whose clock is off by more
 * than the protocol's 5 minutes is refused with a code that says so, raises an alert at its peer,
 * and catches up once its clock is set right.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_TIMINGS, startNetwork, waitFor, note, type TestNetwork } from './support.js';
import { startNode } from '../../src/server/node.js';

const MIN = 60_000;
let net: TestNetwork | undefined;
afterEach(async () => {
  await net?.close();
  net = undefined;
});

/** A node whose clock is `offsetMs` off the machine's: its ledger and its transport both read it. */
const skewed = (offsetMs: number) => {
  const clock = () => Date.now() + offsetMs;
  return { clock, federation: { clock } };
};

async function everyLogEverywhere(t: TestNetwork, authors: Record<string, number>): Promise<void> {
  await waitFor('every node to hold every log', () =>
    Object.values(t.nodes).every((n) => Object.entries(authors).every(([a, seq]) => (n.ledger.head(a)?.seq ?? 0) >= seq)), 30_000);
}

describe('clock skew between nodes', () => {
  it('delivers exactly once and in order between nodes up to 4 minutes apart, with receipts, no alert and verify clean', async () => {
    // USA on the machine's clock, RUS 4 minutes ahead, UKR 2 minutes ahead: every pair within 4
    // minutes, and each node sees peers both ahead of and behind its own clock.
    const offsets: Record<string, number> = { USA: 0, RUS: 4 * MIN, UKR: 2 * MIN };
    net = await startNetwork(['USA', 'RUS', 'UKR'], { each: (code) => skewed(offsets[code]) });
    const sent: Record<string, { id: string; seq: number }[]> = { USA: [], RUS: [], UKR: [] };
    for (let i = 0; i < 15; i++) {
      for (const code of ['USA', 'RUS', 'UKR']) {
        const e = await net.nodes[code].ledger.append({ type: 'note', to: ['*'], body: note(`${code} ${i}`) });
        sent[code].push({ id: e.id, seq: e.seq });
      }
    }
    // Each author's notes are followed by its receipts of the others: wait for the notes first.
    await everyLogEverywhere(net, { USA: sent.USA.at(-1)!.seq, RUS: sent.RUS.at(-1)!.seq, UKR: sent.UKR.at(-1)!.seq });
    for (const n of Object.values(net.nodes)) {
      for (const [author, entries] of Object.entries(sent)) {
        // Exactly once, in order: the author's notes are at the seqs it gave them, each with its id and content.
        const body = await Promise.all(entries.map(async (e) => (await n.ledger.get(e.id))?.body));
        expect(body, `${n.party} holds ${author}'s notes`).toEqual(entries.map((_, i) => note(`${author} ${i}`)));
        const held = await n.ledger.range(author, 0, 1000);
        const ids = held.map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const e of entries) expect(ids[e.seq - 1]).toBe(e.id);
      }
    }
    await waitFor('every peer to have receipted every note', () =>
      Object.values(net!.nodes).every((n) => n.federation.status().peers.every((p) => p.delivered >= sent[n.party].at(-1)!.seq)), 30_000);
    await waitFor('logs to converge', () => {
      const heads = Object.values(net!.nodes).map((n) => JSON.stringify(n.ledger.heads()));
      return heads.every((h) => h === heads[0]);
    }, 30_000);
    for (const n of Object.values(net.nodes)) {
      expect(n.federation.status().alerts).toEqual([]);
      expect(n.federation.status().peers.every((p) => p.link === 'up')).toBe(true);
      expect((await n.ledger.verify({ workers: 0 })).problems).toEqual([]);
    }
  });

  it('refuses a node more than 5 minutes off with PARLEY_ERR_REPLAY, alerts its peer, and catches up once its clock is right', async () => {
    net = await startNetwork(['USA', 'RUS'], { each: (code) => (code === 'RUS' ? skewed(6 * MIN) : {}) });
    const { USA } = net.nodes;
    const e = await USA.ledger.append({ type: 'note', to: ['RUS'], body: note('across a wrong clock') });
    await waitFor('USA to see its push refused for the clock', () =>
      USA.federation.status().alerts.some((a) => a.kind === 'refused' && a.party === 'RUS' && a.code === 'PARLEY_ERR_REPLAY'), 15_000);
    const alert = USA.federation.status().alerts.find((a) => a.kind === 'refused');
    expect(alert && 'message' in alert ? alert.message : '').toMatch(/clock/);
    expect(net.nodes.RUS.ledger.head('USA')).toBeUndefined();

    // RUS's operator sets the clock right and restarts the node: the backlog goes through, once.
    const rus = net.nodes.RUS;
    const dir = rus.folder.dir;
    const port = Number(new URL(rus.url).port);
    await rus.close();
    net.nodes.RUS = await startNode({ dir, port, logger: false, runFile: false, federation: { timings: FAST_TIMINGS } });
    await waitFor('RUS to hold the note after its clock is right', async () => (await net!.nodes.RUS.ledger.get(e.id))?.body !== undefined, 30_000);
    await waitFor('the refusal alert to clear at USA', () => !USA.federation.status().alerts.some((a) => a.kind === 'refused'), 30_000);
    expect(net.nodes.RUS.ledger.head('USA')?.seq).toBe(e.seq);
  });
});
