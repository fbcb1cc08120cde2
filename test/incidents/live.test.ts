/**
 * Close encounters live, on two running nodes sharing tracks: a Su-27 and an RC-135 over the Black
 * Sea planted to pass within 100 m two minutes ahead raise the `incidents.encounter` alarm on both
 * nodes within one batch interval of the first batches (status, event stream, webhook, with a flash
 * hotline message ready), and it clears once they have passed and separated. Each batch carries
 * 20 s of flight; the alarm is due within 2 s of the first batches (one interval of a feed sending
 * every 2 s), and the later batches follow faster, so that the pass takes seconds, not minutes.
 */
import { afterEach, expect, it } from 'vitest';
import { east as eastOf, frame, north as northOf, offset } from '../../src/regimes/incidents/geo.js';
import { encodeTracks } from '../../src/regimes/incidents/tracks.js';
import type { IncidentsService } from '../../src/regimes/incidents/live/service.js';
import type { EncounterAlarm } from '../../src/regimes/incidents/live/watch.js';
import type { RunningNode } from '../../src/server/node.js';
import { startNode } from '../../src/server/node.js';
import { FAST_TIMINGS, operatorApi as api, startNetwork, waitFor, type TestNetwork } from '../federation/support.js';
import { recordEvents, webhookReceiver, type EventRecorder, type WebhookReceiver } from '../hotline/support.js';

let net: TestNetwork | undefined;
let hook: WebhookReceiver | undefined;
let stream: EventRecorder | undefined;
afterEach(async () => {
  stream?.stop();
  await net?.close();
  await hook?.close();
  net = hook = stream = undefined;
});

const watchOf = (node: RunningNode) => (node.services.get('incidents') as IncidentsService).runtime.watch;
const BASE = { lat: 43.6, lon: 32.9, alt: 0 };
const STEP_S = 20;
const BATCH_WALL_MS = 2000;

/** Where each aircraft is `s` seconds of flight after the start: straight lines on BASE's tangent plane, passing BASE at s = 120, 100 m apart. */
function place(who: 'USA' | 'RUS', s: number) {
  const east = who === 'USA' ? 200 * (s - 120) : -250 * (s - 120);
  const north = who === 'USA' ? 0 : 100;
  const d = Math.hypot(east, north);
  return d === 0 ? BASE : offset(BASE, (Math.atan2(east, north) * 180) / Math.PI, d);
}

/** The fix as the aircraft reports it: its course over the ground read on its own meridian. */
function position(who: 'USA' | 'RUS', s: number) {
  const p = place(who, s);
  const q = place(who, s + 1);
  const f = frame(p.lat, p.lon, 0);
  const g = frame(q.lat, q.lon, 0);
  const e = eastOf(f, g.x - f.x, g.y - f.y);
  const n = northOf(f, g.x - f.x, g.y - f.y, g.z - f.z);
  return { lat: p.lat, lon: p.lon, alt: who === 'USA' ? 9000 : 9050, speed: Math.hypot(e, n), course: ((Math.atan2(e, n) * 180) / Math.PI + 360) % 360 };
}

async function share(node: RunningNode, who: 'USA' | 'RUS', t0: number, s: number, to: string): Promise<void> {
  const p = position(who, s);
  const t = t0 + s * 1000;
  const body = encodeTracks(t, t, [{ unit: who === 'USA' ? 'RC-135 64-14845' : 'Su-27 RF-92212', kind: 'aircraft', t: [t], lat: [p.lat], lon: [p.lon], alt: [p.alt], speed: [p.speed], course: [p.course], vrate: [0] }]);
  await node.ledger.append({ type: 'incidents.tracks', to: [to], body: body as unknown as Record<string, unknown> });
}

it('an encounter planted 2 minutes ahead raises the alarm on both nodes within one batch interval, and clears when the aircraft separate', async () => {
  hook = await webhookReceiver();
  net = await startNetwork(['USA', 'RUS'], { settings: { incidents: { webhook: hook.url, horizonSeconds: 600 } } });
  const { USA, RUS } = net.nodes;
  stream = recordEvents(USA.url, USA.folder.tokens.analyst);
  await stream.opened;
  const t0 = Math.floor(Date.now() / 1000) * 1000;

  const sent = Date.now();
  await Promise.all([share(USA, 'USA', t0, 0, 'RUS'), share(RUS, 'RUS', t0, 0, 'USA')]);
  const id = 'encounter:RUS/Su-27 RF-92212:USA/RC-135 64-14845';
  await waitFor('the alarm on both nodes', () => watchOf(USA).alarms().length === 1 && watchOf(RUS).alarms().length === 1, BATCH_WALL_MS, 10);
  expect(Date.now() - sent).toBeLessThan(BATCH_WALL_MS);
  for (const [node, other] of [
    [USA, 'RUS'],
    [RUS, 'USA'],
  ] as const) {
    const [alarm] = watchOf(node).alarms();
    expect(alarm).toMatchObject({ id, kind: 'incidents.encounter', state: 'raised', severity: 'critical', party: other, a: { party: 'RUS', kind: 'aircraft' }, b: { party: 'USA' } });
    expect(alarm.tcpaSeconds).toBeCloseTo(120, 0);
    expect(alarm.dcpaMetres).toBeCloseTo(100, -1);
    expect(alarm.verticalMetres).toBeCloseTo(-50, 0);
    expect(alarm.evidence).toHaveLength(2);
    expect(alarm.draft).toMatchObject({ type: 'hotline.message', to: [other], body: { priority: 'flash', language: 'en' } });
    const status = await api(node, '/api/v1/status');
    expect(status.json.alerts).toContainEqual(expect.objectContaining({ id, kind: 'incidents.encounter', state: 'raised', party: other, dcpaMetres: alarm.dcpaMetres }));
    const live = await api(node, '/api/v1/encounters/live');
    expect(live.json).toMatchObject({ units: 2, alarms: [{ id }] });
  }
  // The officer sends the prefilled flash message as it is.
  const draft = watchOf(USA).alarms()[0].draft;
  const flash = await USA.ledger.append({ type: draft.type, to: draft.to, body: draft.body });
  expect(flash.type).toBe('hotline.message');

  // The flight goes on: they pass at s = 120 and are kilometres apart by s = 140.
  for (let s = STEP_S; s <= 160; s += STEP_S) {
    await new Promise((r) => setTimeout(r, BATCH_WALL_MS / 4));
    await Promise.all([share(USA, 'USA', t0, s, 'RUS'), share(RUS, 'RUS', t0, s, 'USA')]);
    const at = new Date(t0 + s * 1000).toISOString();
    await waitFor(`both fixes of s = ${s} at both nodes`, () => [USA, RUS].every((n) => watchOf(n).positions().filter((p) => p.t === at).length === 2), BATCH_WALL_MS * 5);
    // Until the pass, the alarm stays raised (the same one: no new announcement).
    if (s < 120) expect([watchOf(USA).alarms().length, watchOf(RUS).alarms().length]).toEqual([1, 1]);
  }
  await waitFor('the alarm to clear on both nodes', () => watchOf(USA).alarms().length === 0 && watchOf(RUS).alarms().length === 0, BATCH_WALL_MS * 5, 10);

  const changes = (list: EncounterAlarm[]) => list.filter((a) => a.id === id).map((a) => a.state);
  await waitFor('both changes on the stream and at both webhooks', () => changes(stream!.alarms() as unknown as EncounterAlarm[]).length === 2 && hook!.bodies.filter((b) => (b.alarm as unknown as EncounterAlarm).id === id).length === 4);
  expect(changes(stream.alarms() as unknown as EncounterAlarm[])).toEqual(['raised', 'cleared']);
  for (const node of ['USA', 'RUS']) expect(hook.bodies.filter((b) => b.node === node).map((b) => [b.type, b.alarm.kind, b.alarm.state])).toEqual([
    ['parley.alarm', 'incidents.encounter', 'raised'],
    ['parley.alarm', 'incidents.encounter', 'cleared'],
  ]);

  // Retrospectively, the regime finds the same pass in the record, at both nodes alike.
  const usa = await api(USA, '/api/v1/encounters');
  const rus = await api(RUS, '/api/v1/encounters');
  expect(usa.json).toEqual(rus.json);
  expect(usa.json).toHaveLength(1);
  expect(usa.json[0]).toMatchObject({ a: { party: 'RUS' }, b: { party: 'USA' }, domain: 'air-air', tcpa: new Date(t0 + 120_000).toISOString() });
  expect(usa.json[0].dcpaMetres).toBeCloseTo(100, -1);
});

it('a node restarted while an encounter is predicted raises it again without paging again, and pages its clearing', async () => {
  hook = await webhookReceiver();
  const settings = { incidents: { webhook: hook.url } };
  net = await startNetwork(['USA', 'RUS'], { settings });
  const { USA, RUS } = net.nodes;
  const t0 = Math.floor(Date.now() / 1000) * 1000;
  await Promise.all([share(USA, 'USA', t0, 0, 'RUS'), share(RUS, 'RUS', t0, 0, 'USA')]);
  const id = 'encounter:RUS/Su-27 RF-92212:USA/RC-135 64-14845';
  const paged = (node: string) => hook!.bodies.filter((b) => b.node === node && (b.alarm as unknown as EncounterAlarm).id === id).map((b) => b.alarm.state);
  await waitFor('the alarm paged by USA', () => paged('USA').length === 1);

  await USA.close();
  const back = await startNode({ dir: USA.dir, port: USA.port, logger: false, runFile: false, federation: { timings: FAST_TIMINGS }, settings });
  net.nodes.USA = back;
  expect(watchOf(back).alarms().map((a) => a.id)).toEqual([id]);
  expect((await api(back, '/api/v1/status')).json.alerts).toContainEqual(expect.objectContaining({ id, state: 'raised' }));
  // RUS keeps sending; USA takes the pass and the separation.
  for (const s of [60, 120, 160]) await Promise.all([share(back, 'USA', t0, s, 'RUS'), share(RUS, 'RUS', t0, s, 'USA')]);
  await waitFor('the clearing paged by USA', () => paged('USA').length === 2, 10_000);
  expect(paged('USA')).toEqual(['raised', 'cleared']);
});
