/**
 * A synthetic feed of shared tracks: ships and aircraft of several parties over the Black Sea and
 * the Baltic, each reporting every `intervalMs`, with planted encounters of known closest approach.
 * For tests, the bench and the scenario; seeded, so the same options give the same feed.
 *
 * A planted encounter is two units of different parties on straight courses that pass at a chosen
 * horizontal distance and altitude difference at a chosen instant: b's offset from a at that
 * instant is perpendicular to their relative velocity, so that instant is their closest approach.
 *
 * @example
 *   const { tracks, planted } = synthetic({ seed: 7, parties: ['RUS', 'USA'], units: 40, points: 120, encounters: 5 });
 */
import { offset, type GeoPoint } from './geo.js';
import { pairDomain, type PairDomain, type Track, type UnitKind } from './cpa.js';

export interface SyntheticOptions {
  seed: number;
  parties: readonly string[];
  /** Background units (planted pairs come on top, two units each). */
  units: number;
  /** Fixes per unit. */
  points: number;
  intervalMs?: number;
  start?: number;
  encounters?: number;
  /** Share of aircraft among units (the rest ships). Default 0.3. */
  aircraft?: number;
  /** Planted horizontal distances are drawn from [0, maxPlantedMetres]. Default 4000. */
  maxPlantedMetres?: number;
}

export interface PlantedEncounter {
  a: { party: string; unit: string; kind: UnitKind };
  b: { party: string; unit: string; kind: UnitKind };
  domain: PairDomain;
  t: number;
  horizontalMetres: number;
  /** Altitude of b minus altitude of a. */
  verticalMetres: number;
}

/** Mulberry32: a small seeded generator. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = [
  { name: 'Black Sea', lat: [41.8, 46.2], lon: [28.5, 40.5] },
  { name: 'Baltic', lat: [54.5, 59.5], lon: [13.5, 27.5] },
] as const;

const DEG = Math.PI / 180;

function fillTrack(track: Track, origin: GeoPoint, ve: number, vn: number, vz: number, t0: number, tRef: number, intervalMs: number, points: number): void {
  const t = track.t as number[];
  const lat = track.lat as number[];
  const lon = track.lon as number[];
  const alt = track.alt as number[];
  for (let k = 0; k < points; k++) {
    const time = t0 + k * intervalMs;
    const s = (time - tRef) / 1000;
    const e = ve * s;
    const n = vn * s;
    const dist = Math.hypot(e, n);
    const p = dist === 0 ? origin : offset(origin, Math.atan2(e, n) / DEG, dist);
    t.push(time);
    lat.push(p.lat);
    lon.push(p.lon);
    alt.push(origin.alt + vz * s);
  }
}

const emptyTrack = (party: string, unit: string, kind: UnitKind): Track => ({ party, unit, kind, t: [], lat: [], lon: [], alt: [] });

export function synthetic(o: SyntheticOptions): { tracks: Track[]; planted: PlantedEncounter[] } {
  const rnd = random(o.seed);
  const interval = o.intervalMs ?? 10_000;
  const start = o.start ?? Date.parse('2022-01-14T06:00:00.000Z');
  const share = o.aircraft ?? 0.3;
  const between = (a: number, b: number) => a + (b - a) * rnd();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const tracks: Track[] = [];
  const counters = new Map<string, number>();
  const name = (party: string, kind: UnitKind) => {
    const n = (counters.get(party) ?? 0) + 1;
    counters.set(party, n);
    return `${party}-${kind === 'aircraft' ? 'A' : 'S'}${String(n).padStart(4, '0')}`;
  };
  const motion = (kind: UnitKind) => {
    const speed = kind === 'aircraft' ? between(120, 260) : between(3, 15);
    const course = between(0, 360);
    return { ve: speed * Math.sin(course * DEG), vn: speed * Math.cos(course * DEG), alt: kind === 'aircraft' ? Math.round(between(300, 11_000)) : 0 };
  };
  for (let u = 0; u < o.units; u++) {
    const party = o.parties[u % o.parties.length];
    const kind: UnitKind = rnd() < share ? 'aircraft' : 'ship';
    const r = pick(REGIONS);
    const origin = { lat: between(r.lat[0], r.lat[1]), lon: between(r.lon[0], r.lon[1]), alt: 0 };
    const m = motion(kind);
    const track = emptyTrack(party, name(party, kind), kind);
    fillTrack(track, { ...origin, alt: m.alt }, m.ve, m.vn, 0, start, start, interval, o.points);
    tracks.push(track);
  }
  const planted: PlantedEncounter[] = [];
  const maxD = o.maxPlantedMetres ?? 4000;
  const span = (o.points - 1) * interval;
  for (let k = 0; k < (o.encounters ?? 0); k++) {
    const pa = o.parties[Math.floor(rnd() * o.parties.length)];
    let pb = pa;
    while (pb === pa) pb = pick(o.parties);
    const ka: UnitKind = rnd() < share ? 'aircraft' : 'ship';
    const kb: UnitKind = rnd() < share ? 'aircraft' : 'ship';
    const r = pick(REGIONS);
    const meet = { lat: between(r.lat[0], r.lat[1]), lon: between(r.lon[0], r.lon[1]), alt: 0 };
    // The instant of closest approach: inside the feed, away from its ends.
    const tc = start + Math.round(between(0.2, 0.8) * span);
    const ma = motion(ka);
    let mb = motion(kb);
    // Relative velocity must not vanish, or every instant is the closest.
    while (Math.hypot(mb.ve - ma.ve, mb.vn - ma.vn) < 1) mb = motion(kb);
    const we = mb.ve - ma.ve;
    const wn = mb.vn - ma.vn;
    const w = Math.hypot(we, wn);
    const side = rnd() < 0.5 ? 1 : -1;
    const d = between(0, maxD);
    // b's offset at tc: perpendicular to the relative velocity.
    const oe = (side * -wn * d) / w;
    const on = (side * we * d) / w;
    const altA = ka === 'aircraft' ? ma.alt : 0;
    const altB = kb === 'aircraft' ? (ka === 'aircraft' ? altA + Math.round(between(-600, 600)) : Math.round(between(30, 900))) : 0;
    const ua = emptyTrack(pa, name(pa, ka), ka);
    const ub = emptyTrack(pb, name(pb, kb), kb);
    const dist = Math.hypot(oe, on);
    const bAt = dist === 0 ? meet : offset(meet, Math.atan2(oe, on) / DEG, dist);
    fillTrack(ua, { ...meet, alt: altA }, ma.ve, ma.vn, 0, start, tc, interval, o.points);
    fillTrack(ub, { ...bAt, alt: altB }, mb.ve, mb.vn, 0, start, tc, interval, o.points);
    tracks.push(ua, ub);
    planted.push({ a: { party: pa, unit: ua.unit, kind: ka }, b: { party: pb, unit: ub.unit, kind: kb }, domain: pairDomain(ka, kb), t: tc, horizontalMetres: d, verticalMetres: altB - altA });
  }
  return { tracks, planted };
}

