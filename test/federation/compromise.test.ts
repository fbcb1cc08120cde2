/**
 * A stolen signing key, told to its owner: when a peer holds an entry of a party's own log that the
 * party's node never wrote — signed with its key — the owner's node raises a `key-compromise`
 * alert in its status, on its event stream and at its webhook, and keeps it across a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/ledger/ledger.js';
import { startNode } from '../../src/server/node.js';
import type { HotlineConfig } from '../../src/regimes/hotline/live/config.js';
import { bareLedger, FAST_TIMINGS, introduce, note, operatorApi, signedRequest, startNetwork, waitFor, type TestNetwork } from './support.js';
import { recordEvents, webhookReceiver, type EventRecorder, type WebhookReceiver } from '../hotline/support.js';

let net: TestNetwork | undefined;
let other: TestNetwork | undefined;
let hook: WebhookReceiver | undefined;
let stream: EventRecorder | undefined;
const bare: Ledger[] = [];
afterEach(async () => {
  stream?.stop();
  await net?.close();
  await other?.close();
  await hook?.close();
  for (const l of bare.splice(0)) await l.close();
  net = other = hook = stream = undefined;
});

describe('a stolen key is told to its owner', () => {
  it('a peer holding an entry of USA\'s log that USA never wrote raises key-compromise at USA (status, event stream, webhook), kept across a restart', async () => {
    hook = await webhookReceiver();
    const hotline: HotlineConfig = { webhook: { url: hook.url }, linkTests: false };
    net = await startNetwork(['USA', 'RUS', 'UKR'], { settings: { hotline } });
    const { USA, RUS } = net.nodes;
    stream = recordEvents(USA.url, USA.folder.tokens.analyst);
    await stream.opened;

    // USA writes one entry; every node holds it.
    const real = await USA.ledger.append({ type: 'note', to: ['RUS', 'UKR'], body: note('real one') });
    await waitFor('RUS to hold USA#1', () => RUS.ledger.head('USA')?.seq === 1);

    // A thief with USA's key writes USA#2 on top of it and pushes it to RUS alone.
    const thief = await bareLedger('USA', USA.folder.key, [USA, RUS, net.nodes.UKR].map((n) => ({ ...n.folder.descriptor, url: n.url })));
    bare.push(thief);
    await thief.accept([real.envelope], { source: 'copy', onGap: 'refuse', receipts: false, copy: true });
    const stolen = await thief.append({ type: 'note', to: ['RUS'], body: note('not written by USA') });
    const pushed = await signedRequest(RUS, { party: 'USA', key: USA.folder.key }, 'POST', '/federation/v1/push', { batch: 'thief-batch-1', entries: [stolen.envelope], heads: {} });
    expect(pushed.status).toBe(200);
    expect(RUS.ledger.head('USA')).toMatchObject({ seq: 2, id: stolen.id });
    expect(USA.ledger.head('USA')?.seq).toBe(1);

    // RUS's next push to USA gossips its heads: USA#2 is a head USA never wrote.
    await RUS.ledger.append({ type: 'note', to: ['USA'], body: note('hello') });
    await waitFor('the key-compromise alert at USA', () => USA.federation.status().alerts.some((a) => a.kind === 'key-compromise'));
    const alert = USA.federation.status().alerts.find((a) => a.kind === 'key-compromise');
    expect(alert).toMatchObject({ kind: 'key-compromise', party: 'USA', peer: 'RUS', seq: 2, heldId: '', otherId: stolen.id });
    expect(alert?.message).toMatch(/signing key is compromised/);
    // RUS and UKR raise nothing of the kind: it is USA's log.
    expect(RUS.federation.status().alerts.some((a) => a.kind === 'key-compromise')).toBe(false);

    // In the status API, on the event stream and at the webhook.
    const status = await operatorApi(USA, '/api/v1/status');
    expect(status.json.alerts).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'key-compromise', peer: 'RUS', seq: 2, otherId: stolen.id })]));
    await waitFor('the alert on the event stream', () => stream!.events.some((e) => e.event === 'alert' && JSON.parse(e.data).kind === 'key-compromise'));
    await waitFor('the alert at the webhook', () => hook!.bodies.some((b) => b.type === 'parley.alert' && b.node === 'USA' && b.alert?.kind === 'key-compromise'));
    expect(hook.bodies.find((b) => b.type === 'parley.alert')?.alert).toMatchObject({ party: 'USA', seq: 2, otherId: stolen.id });

    // Kept across a restart of USA's node.
    stream.stop();
    stream = undefined;
    await USA.close();
    const back = await startNode({ dir: USA.dir, port: USA.port, logger: false, runFile: false, federation: { timings: FAST_TIMINGS }, settings: { hotline } });
    net.nodes.USA = back;
    expect(back.federation.status().alerts.find((a) => a.kind === 'key-compromise')).toMatchObject({ peer: 'RUS', seq: 2, otherId: stolen.id });
  }, 60_000);

  it('a fork at a seq USA holds — the thief\'s USA#1 reached RUS first — raises key-compromise naming both entries, and the equivocation stays as evidence', async () => {
    // USA writes its USA#1 before it knows RUS; RUS, knowing USA, gets the thief's USA#1 first.
    net = await startNetwork(['USA']);
    other = await startNetwork(['RUS']);
    const { USA } = net.nodes;
    const { RUS } = other.nodes;
    const real = await USA.ledger.append({ type: 'note', to: ['*'], body: note('real one') });
    await RUS.ledger.roster.add({ ...USA.folder.descriptor, url: USA.url }, new Date().toISOString());
    await RUS.federation.rosterChanged();
    const thief = await bareLedger('USA', USA.folder.key, [USA, RUS].map((n) => ({ ...n.folder.descriptor, url: n.url })));
    bare.push(thief);
    const stolen = await thief.append({ type: 'note', to: ['RUS'], body: note('not written by USA') });
    expect((await signedRequest(RUS, { party: 'USA', key: USA.folder.key }, 'POST', '/federation/v1/push', { batch: 'thief-batch-2', entries: [stolen.envelope], heads: {} })).status).toBe(200);
    await introduce([USA, RUS]);
    await waitFor('the key-compromise alert at USA', () => USA.federation.status().alerts.some((a) => a.kind === 'key-compromise'));
    expect(USA.federation.status().alerts.find((a) => a.kind === 'key-compromise')).toMatchObject({ peer: 'RUS', seq: 1, heldId: real.id, otherId: stolen.id });
    // USA keeps the thief's header as equivocation evidence of its own log.
    await waitFor('the evidence at USA', async () => (await USA.ledger.equivocations()).some((e) => e.author === 'USA' && e.otherId === stolen.id));
  }, 30_000);

  it('a peer gossiping a head of USA\'s log that is not signed with USA\'s key raises no key-compromise alert', async () => {
    net = await startNetwork(['USA', 'RUS']);
    const { USA, RUS } = net.nodes;
    await USA.ledger.append({ type: 'note', to: ['RUS'], body: note('real one') });
    await waitFor('RUS to hold USA#1', () => RUS.ledger.head('USA')?.seq === 1);
    // RUS pushes its own entries with heads claiming USA is at seq 7 (an entry no one holds).
    const r = await signedRequest(USA, { party: 'RUS', key: RUS.folder.key }, 'POST', '/federation/v1/push', { batch: 'lying-heads-1', entries: [], heads: { USA: { seq: 7, id: 'ab'.repeat(32) } } });
    expect(r.status).toBe(200);
    await RUS.ledger.append({ type: 'note', to: ['USA'], body: note('hello') });
    await waitFor('USA to hold RUS#1', () => USA.ledger.head('RUS')?.seq === 1);
    await new Promise((res) => setTimeout(res, 500));
    expect(USA.federation.status().alerts.filter((a) => a.kind === 'key-compromise')).toEqual([]);
  }, 30_000);
});
