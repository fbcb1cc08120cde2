/**
 * What `npm start` shows of the live encounter watch: `parley network up` with the winter scenario
 * and a demonstration feed between USA and RUS, run as a user runs it (the built CLI, one process per
 * node), the feed short and fast (three passes, each predicted 8 s ahead, a batch a second). The feed's
 * fixes go through the running nodes as signed incidents.tracks entries; the encounter alarm is
 * raised and cleared on both addressed nodes' event streams, each pass is a close encounter in both
 * records, every line of the feed says it is a demonstration, `parley tracks demo` runs it again
 * against the running network, and SIGTERM (Ctrl-C) stops it all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { EncounterAlarm } from '../../src/regimes/incidents/live/watch.js';
import { parley, parleyAsync, parleyBin } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';
import { recordEvents, type EventRecorder } from '../hotline/support.js';
import { waitFor } from '../federation/support.js';

const SCENARIO = resolve(import.meta.dirname, '../../scenarios/winter-2021-22.yaml');
const PARTIES = ['USA', 'RUS', 'UKR', 'BLR', 'OSCE'];
const ID = 'encounter:RUS/DEMO-RUS:USA/DEMO-USA';

const dir = tempDir('parley-demo-feed-');
let child: ChildProcess | undefined;
const streams: EventRecorder[] = [];
afterAll(async () => {
  for (const s of streams) s.stop();
  if (child && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  dir.remove();
});

const free = (port: number) =>
  new Promise<boolean>((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });

/** A first port with the next ones free too, for `--base-port`. */
async function basePort(n: number): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const p = 20_000 + Math.floor(Math.random() * 30_000);
    let ok = true;
    for (let k = 0; k < n && ok; k++) ok = await free(p + k);
    if (ok) return p;
  }
  throw new Error('no free ports');
}

interface Up {
  nodes: { party: string; url: string; officerToken: string }[];
}

async function get<T>(node: Up['nodes'][number], path: string): Promise<T> {
  const res = await fetch(node.url + path, { headers: { authorization: `Bearer ${node.officerToken}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

it('network up with the demonstration feed: the alarm rings and clears on both nodes, the passes are in both records, Ctrl-C stops it', async () => {
  const port = await basePort(PARTIES.length);
  const args = ['network', 'up', '--parties', PARTIES.join(','), '--dir', join(dir.path, 'network'), '--scenario', SCENARIO, '--base-port', String(port), '--demo-feed', 'USA,RUS', '--demo-minutes', '0.8', '--demo-lead', '8', '--demo-interval', '1', '--json'];
  child = spawn(process.execPath, [parleyBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));

  await waitFor(`the network's nodes on stdout (stderr so far: ${stderr})`, () => stdout.includes('\n') || child!.exitCode !== null, 180_000, 100);
  expect(child.exitCode).toBeNull();
  const up = JSON.parse(stdout) as Up;
  const node = (party: string) => up.nodes.find((n) => n.party === party)!;
  for (const party of ['USA', 'RUS']) {
    const s = recordEvents(node(party).url, node(party).officerToken);
    streams.push(s);
    await s.opened;
  }

  await waitFor('the feed to end', () => stderr.includes('[demonstration feed] ended'), 150_000, 100);
  const lines = stderr.split('\n').filter((l) => l.includes('DEMO') || l.includes('demonstration'));
  expect(lines.length).toBeGreaterThan(3);
  for (const l of lines) expect(l.startsWith('[demonstration feed] ')).toBe(true);
  expect(stderr).toContain('[demonstration feed] synthetic aircraft DEMO-USA and DEMO-RUS (not real units)');
  expect(stderr).toContain("USA's node raised the encounter alarm: " + ID);
  expect(stderr).toContain("RUS's node cleared the encounter alarm: " + ID);

  // On both addressed nodes' event streams: raised, then cleared, the last word cleared.
  for (const [party, s] of [
    ['USA', streams[0]],
    ['RUS', streams[1]],
  ] as const) {
    await waitFor(`${party}'s stream to hear the alarm raised and cleared`, () => {
      const states = (s.alarms() as unknown as EncounterAlarm[]).filter((a) => a.id === ID).map((a) => a.state);
      return states.includes('raised') && states[states.length - 1] === 'cleared';
    }, 20_000);
    const raised = (s.alarms() as unknown as EncounterAlarm[]).find((a) => a.id === ID && a.state === 'raised')!;
    expect(raised).toMatchObject({ kind: 'incidents.encounter', party: party === 'USA' ? 'RUS' : 'USA', a: { party: 'RUS', unit: 'DEMO-RUS', kind: 'aircraft' }, b: { party: 'USA', unit: 'DEMO-USA' } });
    expect(raised.dcpaMetres).toBeCloseTo(100, -1);
    expect(raised.verticalMetres).toBeCloseTo(-50, 0);
    expect(raised.draft.body.priority).toBe('flash');
    const live = await get<{ alarms: EncounterAlarm[]; positions: { unit: string }[] }>(node(party), '/api/v1/encounters/live');
    expect(live.alarms.filter((a) => a.id === ID)).toEqual([]);
    expect(live.positions.map((p) => p.unit)).toEqual(expect.arrayContaining(['DEMO-RUS', 'DEMO-USA']));
  }

  // Each pass is a close encounter in the record, the same at both nodes.
  type Listed = { a: { unit: string }; b: { unit: string }; dcpaMetres: number; verticalMetres: number; ongoing: boolean };
  const demo = (list: Listed[]) => list.filter((e) => e.a.unit === 'DEMO-RUS' && e.b.unit === 'DEMO-USA');
  let usa: Listed[] = [];
  let rus: Listed[] = [];
  await waitFor('both records to list the three passes alike', async () => {
    usa = demo(await get<Listed[]>(node('USA'), '/api/v1/encounters'));
    rus = demo(await get<Listed[]>(node('RUS'), '/api/v1/encounters'));
    return usa.length === 3 && JSON.stringify(usa) === JSON.stringify(rus);
  }, 20_000, 250);
  for (const e of usa) {
    expect(e.dcpaMetres).toBeCloseTo(100, -1);
    expect(e.verticalMetres).toBeCloseTo(-50, 0);
    expect(e.ongoing).toBe(false);
  }

  // Again against the running network, as `parley tracks demo`: one more pass, seen through both nodes.
  const again = await parleyAsync(['tracks', 'demo', '--network', join(dir.path, 'network'), '--parties', 'RUS,USA', '--minutes', '0.2', '--lead', '5', '--interval', '1', '--json']);
  expect(again.code).toBe(0);
  const report = again.json<{ passes: number; entries: number; seen: string[] }>();
  expect(report.passes).toBe(1);
  expect(report.seen).toEqual(expect.arrayContaining(['USA raised', 'RUS raised', 'USA cleared', 'RUS cleared']));
  expect(again.stderr).toContain('[demonstration feed] synthetic aircraft DEMO-RUS and DEMO-USA (not real units)');

  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
  expect(code).toBe(0);
}, 420_000);

it('refuses a demonstration feed it cannot run, before anything starts', () => {
  const one = parley(['tracks', 'demo', '--network', dir.path, '--parties', 'USA']);
  expect(one.code).not.toBe(0);
  expect(one.stderr).toContain('names two different parties');
  const none = parley(['tracks', 'demo', '--network', dir.path, '--parties', 'USA,RUS']);
  expect(none.code).not.toBe(0);
  expect(none.stderr).toContain(`no node of USA runs in ${join(dir.path, 'USA')}`);
  const stranger = parley(['network', 'up', '--parties', 'USA,RUS', '--dir', join(dir.path, 'refused'), '--demo-feed', 'USA,CHN']);
  expect(stranger.code).not.toBe(0);
  expect(stranger.stderr).toContain("CHN is not one of the network's parties");
  expect(existsSync(join(dir.path, 'refused'))).toBe(false);
  const slow = parley(['network', 'up', '--parties', 'USA,RUS', '--dir', join(dir.path, 'refused'), '--demo-feed', 'USA,RUS', '--demo-lead', '10', '--demo-interval', '6']);
  expect(slow.stderr).toContain('must be at most half the lead');
});
