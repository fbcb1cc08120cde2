/**
 * The hotline in running nodes on loopback: a peer unreachable turns the link alarm on within the
 * stated seconds and off when it comes back; a flash message sent while the peer is down arrives
 * when it returns, keeps the deadline of when it was sent, and its late acknowledgement is a
 * finding; every alarm reaches the event stream and the webhook; link tests run on schedule and
 * their absence is a finding.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateAll } from '../../src/regimes/index.js';
import { HL } from '../../src/regimes/hotline/rules.js';
import { startNode, type RunningNode } from '../../src/server/node.js';
import type { HotlineConfig } from '../../src/regimes/hotline/live/config.js';
import { FAST_TIMINGS, operatorApi as api, startNetwork, waitFor, type TestNetwork } from '../federation/support.js';
import { allEntries } from '../support/nodes.js';
import { adoptHotlineTerms, flash, hotlineOf, recordEvents, webhookReceiver, type EventRecorder, type WebhookReceiver } from './support.js';

let net: TestNetwork | undefined;
let hook: WebhookReceiver | undefined;
let stream: EventRecorder | undefined;
afterEach(async () => {
  stream?.stop();
  await net?.close();
  await hook?.close();
  net = hook = stream = undefined;
});

/** Brings a stopped node back on the port its peers know. */
async function restart(node: RunningNode, hotline: HotlineConfig): Promise<RunningNode> {
  const back = await startNode({ dir: node.dir, port: node.port, logger: false, runFile: false, federation: { timings: FAST_TIMINGS }, settings: { hotline } });
  net!.nodes[node.party] = back;
  return back;
}

describe('hotline alarms', () => {
  it('a peer unreachable turns the link alarm on within receiptAlarmSeconds, and off when it comes back; each change reaches the event stream and the webhook', async () => {
    hook = await webhookReceiver();
    // The message sent during the outage is receipted only after the restart: its round trip is the
    // outage itself, which on a loaded machine can pass the default 2 s of `degradedRttMs`.
    const settings: HotlineConfig = { receiptAlarmSeconds: 1, degradedRttMs: 60_000, webhook: { url: hook.url, secret: 'pager secret' }, linkTests: false };
    net = await startNetwork(['USA', 'RUS'], { settings: { hotline: settings } });
    const { USA, RUS } = net.nodes;
    stream = recordEvents(USA.url, USA.folder.tokens.analyst);
    await stream.opened;

    // Link up: the receipt comes back in milliseconds, the round trip is measured, no alarm.
    await USA.ledger.append({ type: 'hotline.message', to: ['RUS'], body: flash('Radio check') });
    await waitFor('a round trip to RUS', () => hotlineOf(USA).health()[0]?.rttMs !== null);
    expect(hotlineOf(USA).health()[0]).toMatchObject({ party: 'RUS', health: 'up', link: 'up', awaitingReceipt: 0 });
    expect(hotlineOf(USA).health()[0].rttMs).toBeLessThan(1000);

    await RUS.close();
    const sentAt = Date.now();
    const m = await USA.ledger.append({ type: 'hotline.message', to: ['RUS'], body: flash('Aircraft approaching the line of contact') });
    await waitFor('the link alarm', () => hotlineOf(USA).alarms().some((a) => a.id === 'link:RUS'), 5000, 10);
    const after = Date.now() - sentAt;
    // Stated: 1 s; checked every 250 ms.
    expect(after).toBeGreaterThanOrEqual(1000);
    expect(after).toBeLessThan(1000 + 250 + 2000); // the slack is for a loaded machine's timers
    const status = await api(USA, '/api/v1/status');
    expect(status.json.alerts).toMatchObject([{ id: 'link:RUS', kind: 'hotline.link', state: 'raised', severity: 'critical', party: 'RUS', entry: m.id }]);
    expect(status.json.linkHealth).toMatchObject([{ party: 'RUS', health: 'down', awaitingReceipt: 1 }]);

    const back = await restart(RUS, settings);
    await waitFor('the link alarm to clear', () => hotlineOf(USA).alarms().length === 0, 10_000, 10);
    expect((await back.ledger.get(m.id))?.body).toMatchObject({ subject: 'Aircraft approaching the line of contact' });
    expect(hotlineOf(USA).health()[0]).toMatchObject({ health: 'up', awaitingReceipt: 0 });

    // Raised, then cleared: on the event stream and at the webhook, in that order, signed.
    const states = (list: { id: string; state: string }[]) => list.filter((a) => a.id === 'link:RUS').map((a) => a.state);
    await waitFor('both changes on the stream and at the webhook', () => states(stream!.alarms()).length === 2 && states(hook!.bodies.filter((b) => b.node === 'USA').map((b) => b.alarm)).length === 2);
    expect(states(stream.alarms())).toEqual(['raised', 'cleared']);
    const usaHooks = hook.bodies.filter((b) => b.node === 'USA');
    expect(usaHooks.map((b) => [b.type, b.alarm.kind, b.alarm.state])).toEqual([
      ['parley.alarm', 'hotline.link', 'raised'],
      ['parley.alarm', 'hotline.link', 'cleared'],
    ]);
    expect(hook.headers[0]['x-parley-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('a flash message sent while the peer is down arrives when it returns, keeps the deadline of when it was sent, and the late acknowledgement is a finding', async () => {
    hook = await webhookReceiver();
    const settings: HotlineConfig = { receiptAlarmSeconds: 1, webhook: hook.url, linkTests: false };
    net = await startNetwork(['USA', 'RUS'], { settings: { hotline: settings } });
    const { USA, RUS } = net.nodes;
    await waitFor('the link up', () => USA.federation.status().peers[0].link === 'up');
    // The parties' agreement, in the record: a 2-second flash window.
    await adoptHotlineTerms([USA, RUS], { ackSeconds: { flash: 2 } });
    await RUS.close();

    const m = await USA.ledger.append({ type: 'hotline.message', to: ['RUS'], body: flash('Missile launch detected: test or attack?') });
    const due = new Date(Date.parse(m.time) + 2000).toISOString();
    await waitFor('the escalation alarm at the sender', () => hotlineOf(USA).alarms().some((a) => a.id === `escalation:${m.id}:RUS`), 6000, 10);
    expect(hotlineOf(USA).alarms().find((a) => a.kind === 'hotline.escalation')).toMatchObject({ party: 'RUS', priority: 'flash', due, entry: m.id });

    const back = await restart(RUS, settings);
    await waitFor('the message at RUS', async () => (await back.ledger.get(m.id))?.body !== undefined, 10_000, 10);
    // It arrives with its own header time: the deadline RUS computes is the one of when it was sent.
    expect((await back.ledger.get(m.id))?.time).toBe(m.time);
    const seen = hotlineOf(back).view().messages.find((x) => x.id === m.id)!;
    expect(seen).toMatchObject({ direction: 'in', priority: 'flash', addressees: [{ party: 'RUS', status: 'missed', due }] });
    await waitFor('RUS\'s own escalation alarm', () => hotlineOf(back).alarms().some((a) => a.id === `escalation:${m.id}:RUS`));

    const ack = await api(back, '/api/v1/entries', { type: 'hotline.ack', to: ['USA'], refs: [m.id], body: { officer: 'duty officer' } });
    expect(ack.status).toBe(201);
    await waitFor('the acknowledgement at USA', async () => (await USA.ledger.get(ack.json.id))?.type === 'hotline.ack', 10_000, 10);
    await waitFor('both escalations cleared', () => hotlineOf(USA).alarms().length === 0 && hotlineOf(back).alarms().length === 0);

    // The record: met late, a finding naming both entries — the same at both parties.
    const at = Date.now();
    const usa = evaluateAll(await allEntries(USA.ledger), at);
    const rus = evaluateAll(await allEntries(back.ledger), at);
    const o = usa.obligations.find((x) => x.evidence[0] === m.id)!;
    expect(o).toMatchObject({ rule: HL.ackFlash.id, debtor: 'RUS', due, status: 'met-late', metBy: ack.json.id });
    const f = usa.findings.filter((x) => x.rule === HL.ackFlash.id);
    expect(f).toMatchObject([{ evidence: [m.id, ack.json.id], parties: ['RUS', 'USA'], severity: 'violation' }]);
    expect(rus.findings.filter((x) => x.rule === HL.ackFlash.id)).toEqual(f);

    // Nothing silently dropped: every alarm change reached the webhook of the node that had it.
    await waitFor('the webhook deliveries', () => hook!.bodies.filter((b) => b.alarm.kind === 'hotline.escalation' && b.alarm.state === 'cleared').length === 2);
    const escalations = hook.bodies.filter((b) => b.alarm.kind === 'hotline.escalation').map((b) => `${b.node} ${b.alarm.state}`);
    expect(escalations.sort()).toEqual(['RUS cleared', 'RUS raised', 'USA cleared', 'USA raised']);
  });

  it('a restarted node does not page again for an alarm it already raised, and announces its end once', async () => {
    hook = await webhookReceiver();
    const settings: HotlineConfig = { receiptAlarmSeconds: 0.5, webhook: hook.url, linkTests: false };
    net = await startNetwork(['USA', 'RUS'], { settings: { hotline: settings } });
    const { USA, RUS } = net.nodes;
    await RUS.close();
    await USA.ledger.append({ type: 'hotline.message', to: ['RUS'], body: flash('Radio check') });
    const fromUsa = () => hook!.bodies.filter((b) => b.node === 'USA').map((b) => `${b.alarm.id} ${b.alarm.state}`);
    await waitFor('the link alarm paged', () => fromUsa().length === 1);

    await USA.close();
    const usa = await restart(USA, settings);
    await waitFor('the alarm raised again after the restart', () => hotlineOf(usa).alarms().some((a) => a.id === 'link:RUS'));
    await new Promise((r) => setTimeout(r, 700));
    expect(fromUsa()).toEqual(['link:RUS raised']);

    await restart(RUS, settings);
    await waitFor('its end paged', () => fromUsa().length === 2, 10_000);
    expect(fromUsa()).toEqual(['link:RUS raised', 'link:RUS cleared']);
  });

  it('link tests go to every peer on the agreement\'s interval; their round trips give link health; two intervals without one are a finding', async () => {
    net = await startNetwork(['USA', 'RUS']);
    const { USA, RUS } = net.nodes;
    // The parties' agreement, in the record: a link test every 0.2 s.
    await adoptHotlineTerms([USA, RUS], { linkTestIntervalSeconds: 0.2 });
    const testsBy = async (node: RunningNode, author: string) => (await allEntries(node.ledger)).filter((e) => e.author === author && e.type === 'link.test');
    await waitFor('three link tests from USA at RUS', async () => (await testsBy(RUS, 'USA')).length >= 3, 10_000);
    expect((await testsBy(RUS, 'USA')).slice(0, 3).map((e) => [e.body?.n, e.to])).toEqual([[1, ['*']], [2, ['*']], [3, ['*']]]);
    await waitFor('a measured round trip', () => hotlineOf(USA).health()[0].rttMs !== null);
    expect(hotlineOf(USA).health()[0]).toMatchObject({ party: 'RUS', health: 'up' });
    expect(hotlineOf(RUS).view().peers[0].lastLinkTest).not.toBeNull();

    await USA.close();
    const last = (await testsBy(RUS, 'USA')).pop()!;
    await new Promise((r) => setTimeout(r, 500));
    const findings = evaluateAll(await allEntries(RUS.ledger), Date.now()).findings.filter((f) => f.rule === HL.linkTest.id && f.parties[0] === 'USA');
    expect(findings).toMatchObject([{ evidence: [last.id], severity: 'warning' }]);
    await waitFor('USA down at RUS', () => hotlineOf(RUS).health()[0].health === 'down');
  });
});
