/**
 * The flight plan of the demonstration feed (`parley tracks demo`, `parley network up --demo-feed`):
 * two synthetic aircraft, one of each of two parties, over the middle of the Black Sea — not real
 * units, and named so (`DEMO-<PARTY>`). They fly head-on legs along one parallel, the second party's
 * 100 m north of the first's line and 50 m above it, and pass `lead` after each leg begins; at the
 * end of a leg (two leads, 54 km apart at the default two minutes) both turn back, and the next pass
 * comes `lead` later. The feed stops half a lead after its last pass, the aircraft well apart.
 *
 * So a node watching the shared tracks predicts each pass `lead` ahead (within its horizon, 10
 * minutes by default), raises the encounter alarm, and clears it a moment after the pass. Pure:
 * positions are a function of the plan and the instant.
 */
import type { FixRow } from './tracks.js';
import { east, frame, north, offset, type GeoPoint } from './geo.js';

/** Where the aircraft pass: the middle of the Black Sea, over international waters. */
export const DEMO_POINT: GeoPoint = { lat: 43.3, lon: 33.0, alt: 0 };

export interface DemoPlan {
  /** The first party's aircraft flies east first at 200 m/s at 9000 m; the second's west at 250 m/s at 9050 m. */
  parties: readonly [string, string];
  /** When the first leg begins (epoch ms). */
  t0: number;
  /** From the start of a leg to its pass. */
  leadMs: number;
  passes: number;
}

const SPEED = [200, 250] as const;
const ALTITUDE = [9000, 9050] as const;
/** The second aircraft's line, north of the first's: the planted horizontal distance of every pass. */
export const DEMO_PASS_METRES = 100;
const DEG = 180 / Math.PI;

export const demoUnit = (party: string): string => `DEMO-${party}`;

/** The instants of the passes. */
export function demoPasses(plan: DemoPlan): number[] {
  return Array.from({ length: plan.passes }, (_, k) => plan.t0 + (2 * k + 1) * plan.leadMs);
}

/** When the feed ends: half a lead after the last pass. */
export function demoEnd(plan: DemoPlan): number {
  return plan.t0 + 2 * plan.passes * plan.leadMs - Math.round(plan.leadMs / 2);
}

/** Aircraft `i`'s position at `t`: east of the pass point on its tangent plane (back and forth), and north for the second. */
function place(plan: DemoPlan, i: 0 | 1, t: number): GeoPoint {
  const s = t - plan.t0;
  const leg = Math.max(0, Math.floor(s / (2 * plan.leadMs)));
  // The first flies east on even legs, the second west; each leg reverses both.
  const dir = (leg % 2 === 0 ? 1 : -1) * (i === 0 ? 1 : -1);
  const x = (dir * SPEED[i] * (s - (2 * leg + 1) * plan.leadMs)) / 1000;
  const y = i === 0 ? 0 : DEMO_PASS_METRES;
  const d = Math.hypot(x, y);
  return { ...(d === 0 ? DEMO_POINT : offset(DEMO_POINT, Math.atan2(x, y) * DEG, d)), alt: ALTITUDE[i] };
}

/** Aircraft `i`'s fix at `t`, with its speed and course over the ground read on its own meridian (the course of the leg beginning at `t` when it turns then). */
export function demoFix(plan: DemoPlan, i: 0 | 1, t: number): FixRow {
  const p = place(plan, i, t);
  const q = place(plan, i, t + 1000);
  const f = frame(p.lat, p.lon, 0);
  const g = frame(q.lat, q.lon, 0);
  const e = east(f, g.x - f.x, g.y - f.y);
  const n = north(f, g.x - f.x, g.y - f.y, g.z - f.z);
  return { unit: demoUnit(plan.parties[i]), kind: 'aircraft', t, lat: p.lat, lon: p.lon, alt: p.alt, speed: Math.hypot(e, n), course: ((Math.atan2(e, n) * DEG) + 360) % 360, vrate: 0 };
}
