/**
 * The intercept over the Black Sea in the shipped scenario: its shared tracks, fed to the live
 * encounter watch as a running node takes them, raise the alarm two minutes ahead and clear it after
 * the pass; played into node folders, both parties list the same encounter and find it, the flash
 * exchange is acknowledged in time, and the incident report is answered.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import YAML from 'yaml';
import { DEFAULT_THRESHOLDS } from '../../src/regimes/incidents/rules.js';
import { EncounterWatch, type EncounterAlarm } from '../../src/regimes/incidents/live/watch.js';
import type { TracksBody } from '../../src/regimes/incidents/tracks.js';
import { parley } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';

const SCENARIO = resolve(import.meta.dirname, '../../scenarios/winter-2021-22.yaml');
const steps = (YAML.parse(readFileSync(SCENARIO, 'utf8')).steps as { id: string; author: string; type: string; body: unknown }[]);
const step = (id: string) => steps.find((s) => s.id === id)!;

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir('parley-intercept-');
});
afterAll(() => dir.remove());

it('the scenario\'s intercept raises the live alarm two minutes ahead on each side, and clears it after the pass', () => {
  for (const party of ['USA', 'RUS']) {
    const changes: EncounterAlarm[] = [];
    const watch = new EncounterWatch(party, { horizonMs: 600_000, staleMs: 300_000 }, () => DEFAULT_THRESHOLDS, (a) => changes.push(a));
    for (const id of ['usa-tracks-intercept-1', 'rus-tracks-intercept-1']) watch.add(id, step(id).author, step(id).body as TracksBody);
    watch.predict(Date.parse('2022-01-24T10:00:05Z'));
    expect(changes).toHaveLength(1);
    const [alarm] = changes;
    expect(alarm).toMatchObject({ state: 'raised', party: party === 'USA' ? 'RUS' : 'USA', tcpa: '2022-01-24T10:02:00.000Z', evidence: ['rus-tracks-intercept-1', 'usa-tracks-intercept-1'] });
    expect(alarm.dcpaMetres).toBeCloseTo(30, -1);
    expect(alarm.verticalMetres).toBe(-30);
    expect(alarm.draft.body.subject).toBe(step('usa-flash-intercept').body && (step('usa-flash-intercept').body as { subject: string }).subject);
    for (const id of ['usa-tracks-intercept-2', 'rus-tracks-intercept-2']) watch.add(id, step(id).author, step(id).body as TracksBody);
    watch.predict(Date.parse('2022-01-24T10:04:05Z'));
    expect(changes.map((c) => c.state)).toEqual(['raised', 'cleared']);
  }
});

it('a feed that stops: its units are forgotten after the stale time, and the alarm they were in clears', () => {
  const changes: EncounterAlarm[] = [];
  const watch = new EncounterWatch('USA', { horizonMs: 600_000, staleMs: 300_000 }, () => DEFAULT_THRESHOLDS, (a) => changes.push(a));
  const wall = Date.parse('2026-12-03T12:00:00Z');
  watch.add('usa-tracks-intercept-1', 'USA', step('usa-tracks-intercept-1').body as TracksBody, wall);
  watch.add('rus-tracks-intercept-1', 'RUS', step('rus-tracks-intercept-1').body as TracksBody, wall + 60_000);
  watch.predict(wall + 60_000);
  expect(changes.map((c) => c.state)).toEqual(['raised']);
  watch.expire(wall + 300_000);
  expect([watch.units(), changes.length]).toEqual([2, 1]);
  // USA's feed has been silent for more than 5 minutes: its aircraft is no longer predicted.
  watch.expire(wall + 300_001);
  expect(watch.units()).toBe(1);
  expect(changes.map((c) => c.state)).toEqual(['raised', 'cleared']);
});

it('played into node folders: both parties list the same encounter and find it; the flash is acknowledged in time; the report is answered', () => {
  const run = parley(['scenario', 'run', SCENARIO, '--dir', join(dir.path, 'winter'), '--json']);
  expect(run.code, run.stderr).toBe(0);
  const lists = ['USA', 'RUS'].map((p) => parley(['encounters', '--dir', join(dir.path, 'winter', p), '--json']));
  expect(lists[0].stdout).toBe(lists[1].stdout);
  const [e, ...more] = lists[0].json();
  expect(more).toEqual([]);
  expect(e).toMatchObject({ a: { party: 'RUS', unit: 'Su-27 RF-92215' }, b: { party: 'USA', unit: 'RC-135W 62-4134' }, domain: 'air-air', tcpa: '2022-01-24T10:02:00.000Z', verticalMetres: -30 });
  expect(e.evidence).toHaveLength(2);
  // UKR was not sent the tracks: it sees no encounter.
  expect(parley(['encounters', '--dir', join(dir.path, 'winter', 'UKR'), '--json']).json()).toEqual([]);
  const findings = parley(['findings', '--dir', join(dir.path, 'winter', 'RUS'), '--at', '2022-03-01T00:00:00Z', '--json']).json().findings as { rule: string; explanation: string; parties: string[] }[];
  expect(findings.filter((f) => f.rule === 'incidents.encounter')).toMatchObject([{ parties: ['RUS', 'USA'] }]);
  expect(findings.filter((f) => f.rule.startsWith('incidents.') && f.rule !== 'incidents.encounter')).toEqual([]);
  expect(findings.some((f) => /flash/.test(f.explanation) && f.explanation.includes('Close encounter'))).toBe(false);
  const [report] = parley(['incidents', 'list', '--dir', join(dir.path, 'winter', 'USA'), '--json']).json();
  expect(report).toMatchObject({ author: 'USA', categories: ['unsafe-intercept', 'close-approach'], replies: [{ party: 'RUS', stance: 'disputed' }] });
});
