/**
 * Closest point of approach against hand-computed cases (head-on, crossing, parallel, overtaking,
 * one stationary, vertical separation, across the antimeridian, near the pole), dead reckoning
 * (straight, and along a turn when the track gives a rate of turn),
 * and a property: detection over a synthetic feed finds every planted encounter within the
 * thresholds with its distance and instant, none beyond them, and the same as comparing all pairs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detect, detectNaive, predict, prepare, trackApproach, type Thresholds, type Track, type UnitKind } from './cpa.js';
import { horizontalMetres, offset, type GeoPoint } from './geo.js';
import { DEFAULT_THRESHOLDS } from './rules.js';
import { synthetic } from './synthetic.js';
import { encodeTracks } from './tracks.js';
import { EncounterWatch, type EncounterAlarm } from './live/watch.js';

const T0 = Date.parse('2022-01-14T06:00:00.000Z');
const DEG = Math.PI / 180;

/** A straight track on the tangent plane of `base`: at T0 at (e, n) metres, moving (ve, vn) m/s, a fix every `dt` s. */
function line(party: string, unit: string, kind: UnitKind, base: GeoPoint, e: number, n: number, ve: number, vn: number, alt = 0, fixes = 121, dt = 10, vz = 0): Track {
  const t: number[] = [];
  const lat: number[] = [];
  const lon: number[] = [];
  const alts: number[] = [];
  for (let k = 0; k < fixes; k++) {
    const s = k * dt;
    const x = e + ve * s;
    const y = n + vn * s;
    const d = Math.hypot(x, y);
    const p = d === 0 ? base : offset(base, Math.atan2(x, y) / DEG, d);
    t.push(T0 + s * 1000);
    lat.push(p.lat);
    lon.push(p.lon);
    alts.push(alt + vz * s);
  }
  return { party, unit, kind, t, lat, lon, alt: alts };
}

const BLACK_SEA = { lat: 43.5, lon: 34, alt: 0 };
const cpa = (a: Track, b: Track) => trackApproach(prepare(a), prepare(b))!;
const seconds = (t: number) => (t - T0) / 1000;

describe('closest approach of recorded tracks, hand-computed', () => {
  it('head-on: closing at 20 m/s from 10 km with 500 m offset → 500 s, 500 m', () => {
    const r = cpa(line('USA', 'a', 'ship', BLACK_SEA, 0, 0, 0, 10), line('RUS', 'b', 'ship', BLACK_SEA, 500, 10_000, 0, -10));
    expect(seconds(r.t)).toBeCloseTo(500, 1);
    expect(r.horizontalMetres).toBeCloseTo(500, 0);
  });

  it('crossing at right angles: relative (5000, −4000) closing (−10, 10) → 450 s, 707.1 m', () => {
    const r = cpa(line('USA', 'a', 'ship', BLACK_SEA, -5000, 0, 10, 0), line('RUS', 'b', 'ship', BLACK_SEA, 0, -4000, 0, 10));
    expect(seconds(r.t)).toBeCloseTo(450, 1);
    expect(r.horizontalMetres).toBeCloseTo(Math.SQRT2 * 500, 0);
  });

  it('parallel at the same speed 1000 m apart: the distance never changes, the first common instant', () => {
    const r = cpa(line('USA', 'a', 'ship', BLACK_SEA, 0, 0, 7, 7), line('RUS', 'b', 'ship', BLACK_SEA, 1000 / Math.SQRT2, -1000 / Math.SQRT2, 7, 7));
    expect(r.horizontalMetres).toBeCloseTo(1000, 0);
    expect(cpa(line('USA', 'a', 'ship', BLACK_SEA, 0, 0, 7, 7), line('RUS', 'b', 'ship', BLACK_SEA, 1000, 0, 7, 7)).horizontalMetres).toBeCloseTo(1000, 0);
  });

  it('overtaking: 2000 m astern, 100 m abeam, 5 m/s faster → 400 s, 100 m', () => {
    const r = cpa(line('USA', 'a', 'ship', BLACK_SEA, 0, 0, 0, 5), line('RUS', 'b', 'ship', BLACK_SEA, 100, -2000, 0, 10));
    expect(seconds(r.t)).toBeCloseTo(400, 1);
    expect(r.horizontalMetres).toBeCloseTo(100, 0);
  });

  it('one stationary: passing at 3000 m, 400 s after the first fix', () => {
    const r = cpa(line('USA', 'a', 'ship', BLACK_SEA, 0, 0, 0, 0), line('RUS', 'b', 'ship', BLACK_SEA, 3000, -4000, 0, 10));
    expect(seconds(r.t)).toBeCloseTo(400, 1);
    expect(r.horizontalMetres).toBeCloseTo(3000, 0);
  });

  it('vertical separation: an aircraft 500 m above another crossing overhead is an encounter only where the vertical threshold exceeds 500 m', () => {
    const a = line('USA', 'a', 'aircraft', BLACK_SEA, -30_000, 0, 200, 0, 8000);
    const b = line('RUS', 'b', 'aircraft', BLACK_SEA, 0, -24_000, 0, 200, 8500);
    const r = cpa(a, b);
    expect(seconds(r.t)).toBeCloseTo(135, 0);
    expect(r.horizontalMetres).toBeCloseTo(Math.SQRT2 * 3000, -1);
    const direct = line('RUS', 'b', 'aircraft', BLACK_SEA, 0, -30_000, 0, 200, 8500);
    expect(cpa(a, direct).horizontalMetres).toBeLessThan(1);
    expect(cpa(a, direct).verticalMetres).toBeCloseTo(500, 6);
    const at = (v: number | null): Thresholds => ({ ...DEFAULT_THRESHOLDS, 'air-air': { horizontalMetres: 926, verticalMetres: v } });
    expect(detect([a, direct], () => at(150))).toEqual([]);
    const found = detect([a, direct], () => at(600));
    expect(found).toHaveLength(1);
    expect(seconds(found[0].cpa.t)).toBeCloseTo(150, 1);
    // a and b come ordered by party: a is RUS's, 500 m above USA's.
    expect(found[0].cpa.verticalMetres).toBeCloseTo(-500, 6);
  });

  it('a climbing aircraft: the encounter is the part of the pass where both distances hold', () => {
    // b passes directly over a at 150 s, climbing 10 m/s from 1000 m above: within 300 m vertically only until −70 s, never.
    const a = line('USA', 'a', 'ship', BLACK_SEA, 0, 0, 0, 0);
    const climbing = line('RUS', 'b', 'aircraft', BLACK_SEA, 0, -30_000, 0, 200, 1000, 121, 10, 10);
    expect(detect([a, climbing], () => DEFAULT_THRESHOLDS)).toEqual([]);
    // Descending 2 m/s from 500 m: within 300 m from 100 s on; horizontally within 1852 m from 140.74 s to 159.26 s.
    const descending = line('RUS', 'b', 'aircraft', BLACK_SEA, 0, -30_000, 0, 200, 500, 121, 10, -2);
    const [e] = detect([a, descending], () => DEFAULT_THRESHOLDS);
    expect(seconds(e.from)).toBeCloseTo(150 - 1852 / 200, 2);
    expect(seconds(e.to)).toBeCloseTo(150 + 1852 / 200, 2);
    expect(e.cpa.horizontalMetres).toBeLessThan(1);
    expect(e.cpa.verticalMetres).toBeCloseTo(-200, 3);
    expect(e.domain).toBe('air-surface');
  });

  it('across the antimeridian: two ships either side of 180° on the equator close head-on', () => {
    const east = { lat: 0, lon: 179.99, alt: 0 };
    const west = { lat: 0, lon: -179.99, alt: 0 };
    expect(horizontalMetres(east, west)).toBeCloseTo(0.02 * 111_319.49, -1);
    const a: Track = { party: 'USA', unit: 'a', kind: 'ship', t: [T0, T0 + 200_000], lat: [0, 0], lon: [179.99, -179.99], alt: [0, 0] };
    const b: Track = { party: 'RUS', unit: 'b', kind: 'ship', t: [T0, T0 + 200_000], lat: [0.005, 0.005], lon: [-179.99, 179.99], alt: [0, 0] };
    const r = cpa(a, b);
    expect(seconds(r.t)).toBeCloseTo(100, 1);
    expect(r.horizontalMetres).toBeCloseTo(0.005 * 110_574.4, -1);
    expect(detect([a, b], () => DEFAULT_THRESHOLDS)).toHaveLength(1);
  });

  it('near the pole: units on opposite meridians each 1000 m from the pole are 2000 m apart, and crossing over the pole they meet', () => {
    const pole = { lat: 90, lon: 0, alt: 0 };
    const p = offset(pole, 180, 1000);
    const q = offset({ lat: 90, lon: 180, alt: 0 }, 180, 1000);
    expect(horizontalMetres(p, q)).toBeCloseTo(2000, 0);
    // a goes over the pole along lon 0 → 180, b along lon 90 → −90: they cross at the pole, at 100 s.
    const a: Track = { party: 'USA', unit: 'a', kind: 'ship', t: [T0, T0 + 200_000], lat: [p.lat, p.lat], lon: [0, 180], alt: [0, 0] };
    const b: Track = { party: 'RUS', unit: 'b', kind: 'ship', t: [T0, T0 + 200_000], lat: [p.lat, p.lat], lon: [90, -90], alt: [0, 0] };
    const r = cpa(a, b);
    expect(seconds(r.t)).toBeCloseTo(100, 1);
    expect(r.horizontalMetres).toBeLessThan(1);
    // At latitude 85, 1° of longitude is only ≈ 9.7 km: a pass at 0.01° is ≈ 97 m, not 1.1 km.
    const c: Track = { party: 'USA', unit: 'c', kind: 'ship', t: [T0, T0 + 100_000], lat: [84.99, 85.01], lon: [20, 20], alt: [0, 0] };
    const d: Track = { party: 'RUS', unit: 'd', kind: 'ship', t: [T0, T0 + 100_000], lat: [85.01, 84.99], lon: [20.01, 20.01], alt: [0, 0] };
    expect(cpa(c, d).horizontalMetres).toBeCloseTo(horizontalMetres({ lat: 85, lon: 20, alt: 0 }, { lat: 85, lon: 20.01, alt: 0 }), 0);
    expect(cpa(c, d).horizontalMetres).toBeLessThan(100);
  });

  it('tracks that share no instant have no closest approach; the common span is what counts', () => {
    const a = line('USA', 'a', 'ship', BLACK_SEA, 0, 0, 0, 10);
    const later: Track = { ...line('RUS', 'b', 'ship', BLACK_SEA, 0, 0, 0, 10) };
    later.t = (later.t as number[]).map((t) => t + 2_000_000);
    expect(trackApproach(prepare(a), prepare(later))).toBeUndefined();
    // b starts at 600 s where a's earlier closeness is outside the common span.
    const b = line('RUS', 'b', 'ship', BLACK_SEA, 0, 0, 0, 0);
    b.t = (b.t as number[]).map((t) => t + 600_000);
    const r = cpa(a, b);
    expect(seconds(r.t)).toBe(600);
    expect(r.horizontalMetres).toBeCloseTo(6000, 0);
  });

  it('units of the same party are never a pair', () => {
    expect(detect([line('USA', 'a', 'ship', BLACK_SEA, 0, 0, 0, 10), line('USA', 'b', 'ship', BLACK_SEA, 0, 10, 0, 10)], () => DEFAULT_THRESHOLDS)).toEqual([]);
  });
});

describe('dead reckoning', () => {
  const th = DEFAULT_THRESHOLDS['surface-surface'];
  it('head-on at 20 m/s closing from 10 km, 500 m abeam: TCPA 500 s, DCPA 500 m', () => {
    const b = offset(BLACK_SEA, Math.atan2(500, 10_000) / DEG, Math.hypot(500, 10_000));
    const p = predict({ t: T0, ...BLACK_SEA, speed: 10, course: 0, vrate: 0 }, { t: T0, ...b, speed: 10, course: 180, vrate: 0 }, T0, 600_000, th);
    expect(p.tcpaMs / 1000).toBeCloseTo(500, 0);
    expect(p.horizontalMetres).toBeCloseTo(500, 0);
    expect(p.encounter).toBe(true);
    // Beyond the horizon: the closest within it is at its end.
    const short = predict({ t: T0, ...BLACK_SEA, speed: 10, course: 0, vrate: 0 }, { t: T0, ...b, speed: 10, course: 180, vrate: 0 }, T0, 120_000, th);
    expect(short.encounter).toBe(false);
    expect(short.tcpaMs).toBe(120_000);
  });

  it('fixes of different ages are brought to the same instant', () => {
    const b = offset(BLACK_SEA, 90, 3000);
    // b reported 60 s earlier, when 600 m further south, moving north at 10 m/s: at `now` it is abeam 3000 m east.
    const south = offset(b, 180, 600);
    const p = predict({ t: T0, ...BLACK_SEA, speed: 0, course: 0, vrate: 0 }, { t: T0 - 60_000, ...south, speed: 10, course: 0, vrate: 0 }, T0, 600_000, th);
    expect(Math.abs(p.tcpaMs)).toBeLessThan(500);
    expect(p.horizontalMetres).toBeCloseTo(3000, 0);
  });

  it('a unit in a turn follows its circle: a half circle at 1°/s brings an aircraft over a ship it would pass 11.5 km off in a straight line', () => {
    const air = DEFAULT_THRESHOLDS['air-surface'];
    // On the equator, meridians are parallel: the hand computation holds on every tangent plane.
    const ship = { lat: 0, lon: 30, alt: 0 };
    const radius = 100 / (1 * DEG);
    const start = offset(ship, 270, 2 * radius);
    const aircraft = { t: T0, ...start, alt: 200, speed: 100, course: 0, vrate: 0 };
    const stationary = { t: T0, ...ship, speed: 0, course: 0, vrate: 0 };
    const straight = predict(stationary, aircraft, T0, 600_000, air);
    expect(straight.encounter).toBe(false);
    expect(straight.horizontalMetres).toBeCloseTo(2 * radius, -1);
    const turning = predict(stationary, { ...aircraft, turn: 1 }, T0, 600_000, air);
    expect(turning.encounter).toBe(true);
    expect(turning.tcpaMs / 1000).toBeCloseTo(180, 0);
    expect(turning.horizontalMetres).toBeLessThan(5);
    expect(turning.verticalMetres).toBe(200);
    // Turning left instead, it circles away to the west: no encounter, closest at the start.
    const away = predict(stationary, { ...aircraft, turn: -1 }, T0, 600_000, air);
    expect(away.encounter).toBe(false);
    expect(away.tcpaMs).toBe(0);
    // No turn is the straight line, to the metre.
    const zero = predict(stationary, { ...aircraft, turn: 0 }, T0, 600_000, air);
    expect(zero).toEqual(straight);
  });

  it('the live watch reads the rate of turn from the batch: the turning aircraft raises the alarm, the same batch without it does not', () => {
    const ship = { lat: 0, lon: 30, alt: 0 };
    const start = offset(ship, 270, 2 * (100 / DEG));
    const alarms = (turn: number[] | undefined) => {
      const raised: EncounterAlarm[] = [];
      const watch = new EncounterWatch('USA', { horizonMs: 600_000, staleMs: 300_000 }, () => DEFAULT_THRESHOLDS, (a) => raised.push(a));
      watch.add('usa', 'USA', encodeTracks(T0, T0, [{ unit: 'DDG-55', kind: 'ship', t: [T0], lat: [ship.lat], lon: [ship.lon], alt: [0], speed: [0], course: [0], vrate: [0] }]));
      watch.add('rus', 'RUS', encodeTracks(T0, T0, [{ unit: 'Ka-27', kind: 'aircraft', t: [T0], lat: [start.lat], lon: [start.lon], alt: [200], speed: [100], course: [0], vrate: [0], ...(turn ? { turn } : {}) }]));
      watch.predict(T0);
      return raised;
    };
    const [alarm] = alarms([1]);
    expect(alarm).toMatchObject({ state: 'raised', a: { unit: 'Ka-27' }, b: { unit: 'DDG-55' } });
    expect(alarm.tcpaSeconds).toBeCloseTo(180, 0);
    expect(alarm.dcpaMetres).toBeLessThan(5);
    expect(alarms(undefined)).toEqual([]);
  });

  it('near the pole, courses are read on each unit\'s own meridian', () => {
    // a at lon 0 heading north (towards the pole), b at lon 180 heading north too: head-on over the pole.
    const a = offset({ lat: 90, lon: 0, alt: 0 }, 180, 2000);
    const b = offset({ lat: 90, lon: 180, alt: 0 }, 180, 2000);
    const p = predict({ t: T0, ...a, speed: 10, course: 0, vrate: 0 }, { t: T0, ...b, speed: 10, course: 0, vrate: 0 }, T0, 600_000, th);
    expect(p.tcpaMs / 1000).toBeCloseTo(200, 0);
    expect(p.horizontalMetres).toBeLessThan(1);
  });
});

describe('detection over a synthetic feed', () => {
  const parties = ['RUS', 'TUR', 'UKR', 'USA'];
  it('finds every planted encounter within the thresholds, none beyond, and exactly what comparing every pair finds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 5, max: 40 }), (seed, encounters) => {
        const { tracks, planted } = synthetic({ seed, parties, units: 60, points: 90, encounters, maxPlantedMetres: 4000 });
        const found = detect(tracks, () => DEFAULT_THRESHOLDS);
        const key = (a: { party: string; unit: string }, b: { party: string; unit: string }) => [`${a.party}/${a.unit}`, `${b.party}/${b.unit}`].sort().join('|');
        for (const e of found) {
          const th = DEFAULT_THRESHOLDS[e.domain];
          expect(e.cpa.horizontalMetres).toBeLessThanOrEqual(th.horizontalMetres + 1e-6);
          if (th.verticalMetres !== null) expect(Math.abs(e.cpa.verticalMetres)).toBeLessThanOrEqual(th.verticalMetres + 1e-6);
          expect(tracks[e.a].party).not.toBe(tracks[e.b].party);
        }
        for (const p of planted) {
          const th = DEFAULT_THRESHOLDS[p.domain];
          const mine = found.filter((e) => key(tracks[e.a], tracks[e.b]) === key(p.a, p.b));
          // Keep clear of the edges: a planted distance within 1 % of a threshold is not asserted either way.
          const near = (x: number, limit: number) => Math.abs(x - limit) < limit * 0.01 + 2;
          if (near(p.horizontalMetres, th.horizontalMetres) || (th.verticalMetres !== null && near(Math.abs(p.verticalMetres), th.verticalMetres))) continue;
          const inside = p.horizontalMetres < th.horizontalMetres && (th.verticalMetres === null || Math.abs(p.verticalMetres) < th.verticalMetres);
          if (!inside) {
            expect(mine).toEqual([]);
            continue;
          }
          expect(mine).toHaveLength(1);
          expect(mine[0].cpa.horizontalMetres).toBeCloseTo(p.horizontalMetres, -1);
          expect(Math.abs(mine[0].cpa.t - p.t)).toBeLessThan(2000);
          expect(Math.abs(Math.abs(mine[0].cpa.verticalMetres) - Math.abs(p.verticalMetres))).toBeLessThan(1);
        }
        const naive = detectNaive(tracks, () => DEFAULT_THRESHOLDS);
        const summary = (list: typeof found) => list.map((e) => [e.a, e.b, Math.round(e.cpa.t), e.cpa.horizontalMetres.toFixed(3)]);
        expect(summary(found)).toEqual(summary(naive));
      }),
      { numRuns: 12 },
    );
  });
});
