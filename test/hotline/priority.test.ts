/**
 * Priority in the push path: a flash message ends the batch it is in, so its receipt does not wait
 * for the peer to take the bulk entries committed after it (FederationOptions.endsBatch).
 */
import { afterEach, expect, it } from 'vitest';
import { startNetwork, waitFor, type TestNetwork } from '../federation/support.js';
import { allEntries } from '../support/nodes.js';
import { flash } from './support.js';

let net: TestNetwork | undefined;
afterEach(async () => {
  await net?.close();
  net = undefined;
});

const routine = (i: number) => ({ priority: 'routine', subject: `routine ${i}`, text: 'Bulk.', language: 'en' });

it('a flash message in the middle of a backlog ends its push batch: the peer receipts up to it first', async () => {
  net = await startNetwork(['USA', 'RUS'], { settings: { hotline: { linkTests: false } } });
  const { USA, RUS } = net.nodes;
  await waitFor('the link up', () => USA.federation.status().peers[0].link === 'up');
  // One group commit: 5 routine, a flash, 5 routine — then one push builds its batch from all of them.
  const appended = await Promise.all([
    ...[0, 1, 2, 3, 4].map((i) => USA.ledger.append({ type: 'hotline.message', to: ['RUS'], body: routine(i) })),
    USA.ledger.append({ type: 'hotline.message', to: ['RUS'], body: flash('Urgent') }),
    ...[5, 6, 7, 8, 9].map((i) => USA.ledger.append({ type: 'hotline.message', to: ['RUS'], body: routine(i) })),
  ]);
  const flashSeq = appended[5].seq;
  const last = appended[10].seq;
  await waitFor('everything receipted', () => USA.federation.status().peers[0].delivered === last);
  const receipted = (await allEntries(RUS.ledger)).filter((e) => e.author === 'RUS' && e.type === 'receipt' && e.body?.of === 'USA').map((e) => e.body!.upto);
  expect(receipted).toContain(flashSeq);
  expect(receipted[receipted.length - 1]).toBe(last);
});
