/**
 * `parley tracks import`, `parley encounters` and `parley incidents list` on two running nodes: a
 * USA ship's track from CSV and a RUS aircraft's from GeoJSON lines, batched into entries sent to
 * each other; both nodes list the same low pass over the ship; addressees come from --to or from an
 * adopted agreement, and a file that is not positions is refused with its line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { offset } from '../../src/regimes/incidents/geo.js';
import { startNetwork, waitFor, type TestNetwork } from '../federation/support.js';
import { allEntries } from '../support/nodes.js';
import { parleyAsync as parley } from '../support/cli.js';

let net: TestNetwork | undefined;
afterAll(async () => net?.close());

const BASE = { lat: 44.1, lon: 31.5, alt: 0 };
const T0 = Date.parse('2022-01-14T06:00:00.000Z');
const at = (e: number, n: number) => {
  const d = Math.hypot(e, n);
  return d === 0 ? BASE : offset(BASE, (Math.atan2(e, n) * 180) / Math.PI, d);
};

it('imports tracks from CSV and GeoJSON lines, and both nodes list the same encounter', async () => {
  net = await startNetwork(['USA', 'RUS'], { runFile: true, settings: { hotline: { linkTests: false } } });
  const { USA, RUS } = net.nodes;
  // The ship steams north at 10 m/s; the aircraft flies east at 150 m/s, 150 m up: both over BASE at 06:05.
  const csv = ['unit,kind,time,lat,lon,speed,course'];
  const lines: string[] = [];
  for (let s = 0; s <= 600; s += 10) {
    const ship = at(0, 10 * (s - 300));
    csv.push(`DDG-75,ship,${new Date(T0 + s * 1000).toISOString()},${ship.lat.toFixed(7)},${ship.lon.toFixed(7)},10,0`);
    const plane = at(150 * (s - 300), 0);
    lines.push(JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [Number(plane.lon.toFixed(7)), Number(plane.lat.toFixed(7)), 150] }, properties: { unit: 'Su-24 RF-33', kind: 'aircraft', time: new Date(T0 + s * 1000).toISOString() } }));
  }
  const csvFile = join(net.root, 'usa.csv');
  const jsonFile = join(net.root, 'rus.jsonl');
  writeFileSync(csvFile, `${csv.join('\n')}\n`);
  writeFileSync(jsonFile, `${lines.join('\n')}\n`);

  const usa = await parley(['tracks', 'import', '--dir', USA.dir, '--file', csvFile, '--to', 'RUS', '--json']);
  expect(usa.code, usa.stderr).toBe(0);
  expect(usa.json()).toMatchObject({ to: ['RUS'], units: 1, fixes: 61 });
  expect(usa.json().entries).toHaveLength(11);

  // No agreement on incidents yet: the addressees must be named.
  const refused = await parley(['tracks', 'import', '--dir', RUS.dir, '--file', jsonFile, '--json']);
  expect(refused.code).not.toBe(0);
  expect(refused.stdout + refused.stderr).toContain('PARLEY_ERR_BAD_ARGUMENT');
  expect(refused.stdout + refused.stderr).toContain('--to');
  const rus = await parley(['tracks', 'import', '--dir', RUS.dir, '--file', jsonFile, '--to', 'USA', '--span-seconds', '300', '--json']);
  expect(rus.code, rus.stderr).toBe(0);
  expect(rus.json()).toMatchObject({ units: 1, fixes: 61 });
  expect(rus.json().entries).toHaveLength(3);

  const ids = [...usa.json().entries, ...rus.json().entries].map((e: { id: string }) => e.id);
  for (const node of [USA, RUS]) await waitFor(`every batch at ${node.party}`, async () => (await allEntries(node.ledger)).filter((e) => e.type === 'incidents.tracks' && e.body).length === 14);

  const lists = await Promise.all([USA, RUS].map((n) => parley(['encounters', '--dir', n.dir, '--json'])));
  expect(lists[0].stdout).toBe(lists[1].stdout);
  const [e, ...more] = lists[0].json();
  expect(more).toEqual([]);
  expect(e).toMatchObject({ a: { party: 'RUS', unit: 'Su-24 RF-33', kind: 'aircraft' }, b: { party: 'USA', unit: 'DDG-75', kind: 'ship' }, domain: 'air-surface', tcpa: '2022-01-14T06:05:00.000Z', verticalMetres: -150 });
  expect(e.dcpaMetres).toBeLessThan(1);
  expect(e.evidence.every((id: string) => ids.includes(id))).toBe(true);
  expect(e.evidence.length).toBeGreaterThanOrEqual(2);
  expect((await parley(['encounters', '--dir', USA.dir, '--from', '2022-01-14T06:06:00Z', '--json'])).json()).toEqual([]);
  const human = await parley(['encounters', '--dir', USA.dir, '--to', '2022-01-14T06:05:00Z']);
  expect(human.stdout).toContain('RUS aircraft Su-24 RF-33 — USA ship DDG-75');

  // A report of the pass, and the list.
  const body = { at: '2022-01-14T06:05:00Z', position: { lat: BASE.lat, lon: BASE.lon }, units: [{ party: 'USA', kind: 'ship', id: 'DDG-75' }, { party: 'RUS', kind: 'aircraft', id: 'Su-24 RF-33' }], categories: ['close-approach', 'simulated-attack'], closestMetres: 150, narrative: 'Low pass over the destroyer.' };
  const sent = await parley(['send', '--dir', USA.dir, '--type', 'incidents.report', '--to', 'RUS', '--body', JSON.stringify(body), '--json']);
  expect(sent.code, sent.stderr).toBe(0);
  const list = (await parley(['incidents', 'list', '--dir', USA.dir, '--json'])).json();
  expect(list).toMatchObject([{ id: sent.json().id, author: 'USA', categories: ['close-approach', 'simulated-attack'], replies: [] }]);

  // Not positions: refused with the line.
  const broken = join(net.root, 'broken.csv');
  writeFileSync(broken, 'unit,kind,time,lat,lon\nDDG-75,boat,2022-01-14T06:00:00Z,44,31\n');
  const bad = await parley(['tracks', 'import', '--dir', USA.dir, '--file', broken, '--to', 'RUS']);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('line 2');
  expect(bad.stderr).toContain('boat');
}, 180_000); // a dozen CLI processes one after another: slow on a busy machine
