/**
 * The frontier zones' benchmark (issue 13):
 *
 * 1. Zone assignment of observed positions: 20 zones — 50 km bands on each side of 10 borders of
 *    the OSCE area, drawn from the shipped boundaries — and 1,000,000 seeded random positions
 *    over their bounding box; positions per second on one core with the flatbush index and the
 *    prepared polygons (ZoneIndex.first), beside turf's plain booleanPointInPolygon trying each
 *    zone in turn over the first positions of the same set (it is some thousand times slower, so
 *    it gets fewer), in the same run; the two must agree on every position both assign.
 * 2. The evaluation of a year of monthly declarations by 57 parties for 20 zones (each party has
 *    a ceiling in every zone: 13,680 declaration obligations), with 1,200 observer reports and
 *    120 movement notices, evaluated in full; and one more report added to that evaluation.
 *
 * Not part of the regimes: this file reads the clock (performance.now) and, run directly, prints.
 *   node dist/bench/zones.js
 */
import { pathToFileURL } from 'node:url';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { sha256hex } from '../src/protocol/bytes.js';
import { Evaluation, evaluate } from '../src/regimes/engine.js';
import type { RecordEntry } from '../src/regimes/types.js';
import { borderBand } from '../src/regimes/zones/boundaries.js';
import { ZoneIndex, bboxOf, type Area } from '../src/regimes/zones/geometry.js';
import { zones } from '../src/regimes/zones/index.js';
import { OSCE_STATES } from './regimes.js';
import { median, prng } from './stats.js';

const DAY = 86_400_000;

/**
 * Runs `fn` once: its wall time, and the CPU time this process spent meanwhile (user + system,
 * ms). The loops measured are single-threaded, so the CPU time is one core's: the machines are
 * shared, and a core this process waits for does not count against it.
 */
function timed(fn: () => void): { wallMs: number; cpuMs: number } {
  const c = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wallMs = performance.now() - t0;
  const d = process.cpuUsage(c);
  return { wallMs, cpuMs: (d.user + d.system) / 1000 };
}
const iso = (t: number) => new Date(t).toISOString();

/** Ten land borders of the OSCE area; a band on each side of each: 20 zones. */
const BORDERS: [string, string][] = [
  ['RUS', 'UKR'], ['BLR', 'UKR'], ['BLR', 'RUS'], ['BLR', 'POL'], ['BLR', 'LTU'],
  ['EST', 'RUS'], ['LVA', 'RUS'], ['FIN', 'RUS'], ['POL', 'UKR'], ['MDA', 'UKR'],
];

export interface ZoneShapes {
  shapes: { id: string; side: string; area: Area }[];
  bbox: [number, number, number, number];
}

export function benchZones(widthKm = 50): ZoneShapes {
  const shapes: ZoneShapes['shapes'] = [];
  for (const [a, b] of BORDERS) {
    const band = borderBand(a, b, widthKm);
    for (const side of [a, b]) shapes.push({ id: `${a}-${b}-${side}`.toLowerCase(), side, area: band.sides[side] });
  }
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const z of shapes) {
    const [zw, zs, ze, zn] = bboxOf(z.area);
    [w, s, e, n] = [Math.min(w, zw), Math.min(s, zs), Math.max(e, ze), Math.max(n, zn)];
  }
  return { shapes, bbox: [w, s, e, n] };
}

export interface AssignmentResult {
  zones: number;
  vertices: number;
  points: number;
  inZones: number;
  /** Per CPU-second of one core, and per wall-clock second. */
  indexPerSec: number;
  indexPerWallSec: number;
  turfPoints: number;
  turfPerSec: number;
  turfPerWallSec: number;
  disagreements: number;
}

export function benchAssignment(z: ZoneShapes, points = 1_000_000, turfPoints = 5_000, runs = 3): AssignmentResult {
  const rnd = prng(13);
  const [w, s, e, n] = z.bbox;
  const xy = new Float64Array(points * 2);
  for (let i = 0; i < points; i++) {
    xy[2 * i] = w + rnd() * (e - w);
    xy[2 * i + 1] = s + rnd() * (n - s);
  }
  const index = new ZoneIndex(z.shapes);
  const out = new Int32Array(points);
  const rates: number[] = [];
  const wallRates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = timed(() => {
      for (let i = 0; i < points; i++) out[i] = index.first(xy[2 * i], xy[2 * i + 1]);
    });
    rates.push(points / (t.cpuMs / 1000));
    wallRates.push(points / (t.wallMs / 1000));
  }
  let inZones = 0;
  for (let i = 0; i < points; i++) if (out[i] >= 0) inZones++;
  const turfRates: number[] = [];
  const turfWallRates: number[] = [];
  let disagreements = 0;
  for (let r = 0; r < runs; r++) {
    const hits = new Int32Array(turfPoints);
    const t = timed(() => {
      for (let i = 0; i < turfPoints; i++) {
        const p = [xy[2 * i], xy[2 * i + 1]];
        hits[i] = z.shapes.findIndex((shape) => booleanPointInPolygon(p, shape.area as never));
      }
    });
    turfRates.push(turfPoints / (t.cpuMs / 1000));
    turfWallRates.push(turfPoints / (t.wallMs / 1000));
    if (r === 0) for (let i = 0; i < turfPoints; i++) if (hits[i] !== out[i]) disagreements++;
  }
  let vertices = 0;
  for (const shape of z.shapes) for (const poly of shape.area.type === 'Polygon' ? [shape.area.coordinates] : shape.area.coordinates) for (const ring of poly) vertices += ring.length;
  return { zones: z.shapes.length, vertices, points, inZones, indexPerSec: median(rates), indexPerWallSec: median(wallRates), turfPoints, turfPerSec: median(turfRates), turfPerWallSec: median(turfWallRates), disagreements };
}

export interface EvaluationResult {
  parties: number;
  zones: number;
  entries: number;
  obligations: number;
  findings: number;
  /** CPU and wall ms, medians. */
  fullMs: number;
  fullWallMs: number;
  addOneMs: number;
  addOneWallMs: number;
}

/** A year (2022) under one agreement: 57 parties, ceilings for each in every zone, monthly declarations, reports and notices. */
export function zonesRecord(z: ZoneShapes, parties = OSCE_STATES): RecordEntry[] {
  const rnd = prng(2022);
  const t0 = Date.parse('2022-01-01T00:00:00.000Z');
  const drafts: { author: string; t: number; type: string; refs?: string[]; body: Record<string, unknown> }[] = [];
  const ceiling = { troops: 10_000, battleTanks: 100, armouredCombatVehicles: 300, artillery: 100 };
  const terms = {
    zones: Object.fromEntries(z.shapes.map((s) => [s.id, { side: s.side, area: s.area, ceilings: Object.fromEntries(parties.map((p) => [p, ceiling])), activityLimit: { troops: 4000 } }])),
    declarations: { every: 'month', withinDays: 5 },
    movementNoticeDays: 7,
    accessReplyHours: 24,
  };
  const effective = iso(t0);
  const proposalId = sha256hex(Buffer.from('zones-bench-proposal'));
  const ids: string[] = [];
  const push = (d: (typeof drafts)[number], id = sha256hex(Buffer.from(`zones-bench-${drafts.length}`))) => {
    drafts.push(d);
    ids.push(id);
  };
  push({ author: parties[0], t: t0 - 3 * DAY, type: 'agreement.proposal', body: { title: 'Frontier zones (bench)', parties, terms: { zones: terms }, effective } }, proposalId);
  for (const p of parties.slice(1)) push({ author: p, t: t0 - 2 * DAY, type: 'agreement.endorsement', refs: [proposalId], body: { proposal: proposalId, parties, terms: { zones: terms }, effective } });
  for (let m = 0; m < 12; m++) {
    const start = Date.UTC(2022, m, 1);
    for (const p of parties) {
      // Most on time, some late, a few missing.
      const r = rnd();
      if (r < 0.02) continue;
      const t = start + (r < 0.1 ? 6 : 1 + Math.floor(rnd() * 4)) * DAY;
      push({ author: p, t, type: 'zones.declaration', body: { asOf: iso(start), holdings: z.shapes.map((s) => ({ zone: s.id, counts: { troops: Math.floor(rnd() * 10_200), battleTanks: Math.floor(rnd() * 100) } })) } });
    }
  }
  const [w, s, e, n] = z.bbox;
  for (let i = 0; i < 1200; i++) {
    push({ author: 'OSCE', t: t0 + Math.floor(rnd() * 360 * DAY), type: 'zones.report', body: { at: iso(t0 + Math.floor(rnd() * 360 * DAY)), position: [w + rnd() * (e - w), s + rnd() * (n - s)], observedParty: parties[Math.floor(rnd() * parties.length)], counts: { troops: Math.floor(rnd() * 12_000) } } });
  }
  for (let i = 0; i < 120; i++) {
    const t = t0 + Math.floor(rnd() * 350 * DAY);
    push({ author: parties[Math.floor(rnd() * parties.length)], t, type: 'zones.movement', body: { zone: z.shapes[Math.floor(rnd() * z.shapes.length)].id, enters: iso(t + Math.floor(rnd() * 10) * DAY), counts: { troops: Math.floor(rnd() * 3000) } } });
  }
  const order = drafts.map((d, i) => ({ d, id: ids[i] })).sort((a, b) => a.d.t - b.d.t || (a.id < b.id ? -1 : 1));
  const seqs = new Map<string, number>();
  return order.map(({ d, id }) => {
    const seq = (seqs.get(d.author) ?? 0) + 1;
    seqs.set(d.author, seq);
    return { id, author: d.author, seq, time: iso(d.t), type: d.type, to: ['*'], refs: d.refs ?? [], body: d.body };
  });
}

export function benchZonesEvaluation(z: ZoneShapes, runs = 3): EvaluationResult {
  const entries = zonesRecord(z);
  const at = Date.parse('2023-01-01T00:00:00.000Z');
  const times: { wallMs: number; cpuMs: number }[] = [];
  let result = evaluate([zones], entries, at);
  for (let r = 0; r < runs; r++) times.push(timed(() => (result = evaluate([zones], entries, at))));
  // One more observer report, into an evaluation that holds the year.
  const ev = new Evaluation([zones]);
  for (const e of entries) ev.add(e);
  ev.result(at);
  const adds: { wallMs: number; cpuMs: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const extra: RecordEntry = { id: sha256hex(Buffer.from(`zones-bench-extra-${r}`)), author: 'OSCE', seq: 100_000 + r, time: '2022-12-30T00:00:00.000Z', type: 'zones.report', to: ['*'], refs: [], body: { at: '2022-12-29T00:00:00.000Z', position: z.shapes[0].area.type === 'Polygon' ? z.shapes[0].area.coordinates[0][0] : z.shapes[0].area.coordinates[0][0][0], observedParty: 'RUS', counts: { troops: 20_000 } } };
    adds.push(
      timed(() => {
        ev.add(extra);
        ev.result(at);
      }),
    );
  }
  return { parties: OSCE_STATES.length, zones: z.shapes.length, entries: entries.length, obligations: result.obligations.length, findings: result.findings.length, fullMs: median(times.map((t) => t.cpuMs)), fullWallMs: median(times.map((t) => t.wallMs)), addOneMs: median(adds.map((t) => t.cpuMs)), addOneWallMs: median(adds.map((t) => t.wallMs)) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const z = benchZones();
  console.log(benchAssignment(z));
  console.log(benchZonesEvaluation(z));
}
