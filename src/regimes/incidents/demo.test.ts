/**
 * The demonstration feed's flight plan: continuous flight (no jumps at the turns), each pass
 * predicted `lead` ahead from the fixes at the start of its leg, and found in the recorded tracks at
 * its planted instant and distance — one encounter per pass, none at the turns.
 */
import { expect, it } from 'vitest';
import { detect, predict, type Fix, type Track } from './cpa.js';
import { demoEnd, demoFix, demoPasses, type DemoPlan } from './demo.js';
import { horizontalMetres } from './geo.js';
import { DEFAULT_THRESHOLDS } from './rules.js';

const plan: DemoPlan = { parties: ['USA', 'RUS'], t0: Date.parse('2026-12-03T18:00:00Z'), leadMs: 120_000, passes: 3 };
const fix = (i: 0 | 1, t: number): Fix => {
  const r = demoFix(plan, i, t);
  return { t, lat: r.lat, lon: r.lon, alt: r.alt!, speed: r.speed!, course: r.course!, vrate: 0 };
};

it('each pass is predicted a lead ahead from the start of its leg, 100 m apart and 50 m above', () => {
  expect(demoPasses(plan)).toEqual([plan.t0 + 120_000, plan.t0 + 360_000, plan.t0 + 600_000]);
  expect(demoEnd(plan)).toBe(plan.t0 + 660_000);
  for (const leg of [0, 1, 2]) {
    const t = plan.t0 + leg * 240_000;
    const p = predict(fix(0, t), fix(1, t), t, 600_000, DEFAULT_THRESHOLDS['air-air']);
    expect(p.encounter).toBe(true);
    expect(p.tcpaMs / 1000).toBeCloseTo(120, 0);
    expect(p.horizontalMetres).toBeCloseTo(100, -1);
    expect(p.verticalMetres).toBe(50);
    // Half a lead after the pass they are apart, and not predicted to meet again on this leg.
    const after = t + 180_000;
    expect(predict(fix(0, after), fix(1, after), after, 600_000, DEFAULT_THRESHOLDS['air-air']).encounter).toBe(false);
  }
});

it('flies without jumps, and its recorded tracks hold one encounter per pass, at the planted instant and distance', () => {
  const tracks: Track[] = ([0, 1] as const).map((i) => {
    const rows = [];
    for (let t = plan.t0; t <= demoEnd(plan); t += 2000) rows.push(demoFix(plan, i, t));
    for (let k = 1; k < rows.length; k++) expect(horizontalMetres({ ...rows[k - 1], alt: 0 }, { ...rows[k], alt: 0 })).toBeLessThan(2 * 250 * 1.01);
    return { party: plan.parties[i], unit: rows[0].unit, kind: 'aircraft', t: rows.map((r) => r.t), lat: rows.map((r) => r.lat), lon: rows.map((r) => r.lon), alt: rows.map((r) => r.alt!) };
  });
  const found = detect(tracks, () => DEFAULT_THRESHOLDS);
  expect(found).toHaveLength(3);
  for (const [k, e] of found.entries()) {
    expect(Math.abs(e.cpa.t - demoPasses(plan)[k])).toBeLessThan(500);
    expect(e.cpa.horizontalMetres).toBeCloseTo(100, -1);
  }
});
