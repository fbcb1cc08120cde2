/**
 * One continuous encounter is one finding, however many hour boundaries it crosses: a 25-minute
 * encounter of two aircraft from 06:48 to 07:13, with a first dip to 300 m at 06:49 and a second
 * to 600 m at 07:05, shared one batch a minute. Hour 06:00 finds it (it begins then) and follows it
 * past 07:00; hour 07:00, which sees it already under way when its window opens, leaves it alone.
 * Fed batch by batch to the incremental evaluation, the finding keeps one id from its first batch
 * to its last (updated as the episode grows, never removed or doubled); the live watch raises one
 * alarm and clears it once.
 */
import { describe, expect, it } from 'vitest';
import { RecordBuilder } from '../../../test/support/record.js';
import { defaultRegistry } from '../registry.js';
import type { Finding, RecordEntry } from '../types.js';
import { DEFAULT_THRESHOLDS } from './rules.js';
import { offset } from './geo.js';
import { batchFixes, type FixRow, type TracksBody } from './tracks.js';
import { encountersHeld } from './views.js';
import { EncounterWatch, type EncounterAlarm } from './live/watch.js';
import { hoursOf } from './encounters.js';

const H = Date.parse('2022-01-14T07:00:00.000Z');
const MIN = 60_000;
const BASE = { lat: 43.4, lon: 31.0, alt: 0 };
/** RUS's offset north of USA's aircraft (metres) by minute from H; linear between (both fly east at 200 m/s). */
const PROFILE: [number, number][] = [
  [-20, 2000],
  [-13, 2000],
  [-12, 900],
  [-11, 300],
  [-10, 800],
  [4, 850],
  [5, 600],
  [6, 850],
  [13, 900],
  [14, 2000],
  [20, 2000],
];

function northOffset(minute: number): number {
  for (let k = 1; k < PROFILE.length; k++) {
    const [m0, d0] = PROFILE[k - 1];
    const [m1, d1] = PROFILE[k];
    if (minute <= m1) return d0 + ((d1 - d0) * (minute - m0)) / (m1 - m0);
  }
  return PROFILE[PROFILE.length - 1][1];
}

/** Fixes every 20 s from H − 20 min to H + 20 min: USA's along the parallel, RUS's to its north. */
function fixes(): Map<string, FixRow[]> {
  const usa: FixRow[] = [];
  const rus: FixRow[] = [];
  for (let t = H - 20 * MIN; t <= H + 20 * MIN; t += 20_000) {
    const east = 200 * ((t - H) / 1000);
    const a = offset(BASE, east >= 0 ? 90 : 270, Math.abs(east));
    const n = northOffset((t - H) / MIN);
    const b = offset({ ...a, alt: 0 }, 0, n);
    usa.push({ unit: 'P-8A 169001', kind: 'aircraft', t, lat: a.lat, lon: a.lon, alt: 9000 });
    rus.push({ unit: 'Su-30 RF-33001', kind: 'aircraft', t, lat: b.lat, lon: b.lon, alt: 9050 });
  }
  return new Map([
    ['USA', usa],
    ['RUS', rus],
  ]);
}

/** Both parties' one-minute batches, in the order they are sent (5 s after each minute). */
function record(): RecordEntry[] {
  const r = new RecordBuilder();
  const batches: { party: string; body: TracksBody }[] = [];
  for (const [party, rows] of fixes()) for (const body of batchFixes(rows)) batches.push({ party, body });
  batches.sort((x, y) => Date.parse(x.body.until) - Date.parse(y.body.until) || (x.party < y.party ? -1 : 1));
  for (const { party, body } of batches) r.add(party, Date.parse(body.until) + 5000, 'incidents.tracks', body, { to: [party === 'USA' ? 'RUS' : 'USA'] });
  return r.entries;
}

const encounterFindings = (list: readonly Finding[]) => list.filter((f) => f.rule === 'incidents.encounter');

describe('an encounter of 25 minutes across an hour boundary', () => {
  const entries = record();

  it('is one encounter, begun in the earlier hour, its closest approach the first dip, followed to its end', () => {
    const listed = encountersHeld(entries);
    expect(listed).toHaveLength(1);
    const [e] = listed;
    expect(e).toMatchObject({ a: { party: 'RUS' }, b: { party: 'USA' }, domain: 'air-air', ongoing: false });
    expect(Math.abs(Date.parse(e.tcpa) - (H - 11 * MIN))).toBeLessThan(1000);
    expect(e.dcpaMetres).toBeCloseTo(300, -1);
    // Within 926 m from 06:47:58.6 (2000 → 900 m between 06:47 and 06:48) to 07:13:01.4.
    expect(Math.abs(Date.parse(e.from) - (H - 12 * MIN - 1.4 * 1000))).toBeLessThan(1500);
    expect(Math.abs(Date.parse(e.to) - (H + 13 * MIN + 1.4 * 1000))).toBeLessThan(1500);
    expect((Date.parse(e.to) - Date.parse(e.from)) / MIN).toBeCloseTo(25, 0);
    // The same in the regime's findings: one.
    const { findings } = defaultRegistry().evaluate(entries, H + 2 * 3_600_000);
    const found = encounterFindings(findings);
    expect(found).toHaveLength(1);
    expect(found[0].explanation).toContain(`came within 300 m horizontally`);
    expect(found[0].explanation).toContain(`within them from ${e.from} to ${e.to}`);
  });

  it('fed batch by batch, keeps one finding id from the first batch within the thresholds to the last, never removed, never doubled', () => {
    const evaluation = defaultRegistry().evaluation();
    const seen = new Set<string>();
    const removed: string[] = [];
    let most = 0;
    for (const e of entries) {
      evaluation.add(e);
      const changes = evaluation.update(Date.parse(e.time));
      for (const f of encounterFindings(changes.findings)) seen.add(f.id);
      removed.push(...changes.findingsRemoved.filter((id) => seen.has(id)));
      most = Math.max(most, encounterFindings(evaluation.result(Date.parse(e.time)).findings).length);
    }
    expect(seen.size).toBe(1);
    expect(removed).toEqual([]);
    expect(most).toBe(1);
    const [last] = encounterFindings(evaluation.result(H + 2 * 3_600_000).findings);
    expect(last.id).toBe([...seen][0]);
    expect(last.explanation).toContain('came within 300 m horizontally');
  });

  it('while the feed is still within the thresholds, the encounter is ongoing, and says so', () => {
    const upTo = entries.filter((e) => Date.parse(e.time) <= H + 2 * MIN);
    const [e] = encountersHeld(upTo);
    expect(e.ongoing).toBe(true);
    const [f] = encounterFindings(defaultRegistry().evaluate(upTo, H + 3 * MIN).findings);
    expect(f.explanation).toContain(`and still at ${e.to}, the last fixes read`);
  });

  it('the live watch raises one alarm for it and clears it once', () => {
    const changes: EncounterAlarm[] = [];
    const watch = new EncounterWatch('USA', { horizonMs: 600_000, staleMs: 300_000 }, () => DEFAULT_THRESHOLDS, (a) => changes.push(a));
    for (const e of entries) {
      watch.add(e.id, e.author, e.body as unknown as TracksBody);
      watch.predict(Date.parse(e.time));
    }
    expect(changes.map((c) => c.state)).toEqual(['raised', 'cleared']);
    expect(Date.parse(changes[0].since)).toBeLessThan(H - 11 * MIN);
    expect(Date.parse(changes[1].at)).toBeGreaterThan(H + 13 * MIN);
  });
});

describe('the hours a batch is read with', () => {
  const hours = (from: string, until: string) => hoursOf({ from, until }).map((h) => new Date(h).toISOString().slice(11, 16));

  it('its own hour, the one before (which follows an episode begun in it to its end), and the next within 10 minutes of its span', () => {
    expect(hours('2022-01-14T06:20:00Z', '2022-01-14T06:21:00Z')).toEqual(['05:00', '06:00']);
    expect(hours('2022-01-14T06:55:00Z', '2022-01-14T06:56:00Z')).toEqual(['05:00', '06:00', '07:00']);
    // Exactly 10 minutes before 07:00: read with it.
    expect(hours('2022-01-14T06:49:00Z', '2022-01-14T06:50:00Z')).toEqual(['05:00', '06:00', '07:00']);
    expect(hours('2022-01-14T06:48:00Z', '2022-01-14T06:49:59.999Z')).toEqual(['05:00', '06:00']);
    // Exactly two hours after 04:00 began: still read with it.
    expect(hours('2022-01-14T05:59:00Z', '2022-01-14T06:00:00Z')).toEqual(['04:00', '05:00', '06:00']);
    expect(hours('2022-01-14T06:00:00.001Z', '2022-01-14T06:01:00Z')).toEqual(['05:00', '06:00']);
  });
});
