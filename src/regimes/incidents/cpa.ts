/**
 * Closest point of approach between units, in two forms:
 *
 * - **Dead reckoning** (`predict`): from each unit's last fix, speed, course, vertical rate and,
 *   where the track gives it, rate of turn, the time and distance of closest approach (TCPA/DCPA)
 *   on the tangent plane of the first, within a horizon: in closed form for straight-line motion;
 *   a unit turning follows its circle, cut into chords of at most 5° of heading, each solved in
 *   closed form (a chord strays from its arc by at most 0.1 % of the circle's radius: 4 m for an
 *   aircraft at 200 m/s in a standard-rate turn).
 * - **Recorded tracks** (`trackApproach`, `detect`): the semantics of PostGIS
 *   `ST_ClosestPointOfApproach` — over the time span both tracks cover, each unit moves linearly in
 *   time between consecutive fixes; the span is cut at every fix of either track and the closest
 *   approach found exactly on each piece.
 *
 * Distances: horizontal is measured between the units' ground positions (their fixes brought to the
 * ellipsoid, see geo.ts: no seam at the antimeridian or the poles), vertical is the difference of
 * altitudes. An **encounter** is a time when both are within the thresholds of the pair's domains
 * (surface–surface, air–surface, air–air); a pair's encounter episode is an unbroken run of such
 * times, and its closest approach is the least horizontal distance within it (vertical read at that
 * instant). `detect` finds every episode of every pair of units of different parties without
 * comparing every pair: a hash grid over Earth-centred coordinates per time slice proposes the
 * pairs whose padded boxes meet, and only those are computed.
 *
 * Pure and deterministic: the same tracks give the same numbers at every party.
 */
import { east, frame, north } from './geo.js';

/** What a unit is; ships, submarines and ground units are on the surface, aircraft in the air. */
export const UNIT_KINDS = ['ship', 'submarine', 'aircraft', 'ground'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export type Domain = 'surface' | 'air';
export type PairDomain = 'surface-surface' | 'air-surface' | 'air-air';
export const PAIR_DOMAINS: readonly PairDomain[] = ['surface-surface', 'air-surface', 'air-air'];

export const domainOf = (kind: UnitKind): Domain => (kind === 'aircraft' ? 'air' : 'surface');
export function pairDomain(a: UnitKind, b: UnitKind): PairDomain {
  const x = domainOf(a);
  const y = domainOf(b);
  return x === 'air' && y === 'air' ? 'air-air' : x === 'air' || y === 'air' ? 'air-surface' : 'surface-surface';
}

/** How close is an encounter for one pair of domains: both at once. `verticalMetres` null: altitude is not compared. */
export interface Threshold {
  horizontalMetres: number;
  verticalMetres: number | null;
}
export type Thresholds = Readonly<Record<PairDomain, Threshold>>;

/** One unit's recorded track: fixes in time order (times in epoch ms; no two fixes at the same instant). */
export interface Track {
  party: string;
  unit: string;
  kind: UnitKind;
  t: ArrayLike<number>;
  lat: ArrayLike<number>;
  lon: ArrayLike<number>;
  /** Metres above the ellipsoid (0 at the sea surface; negative for a submerged submarine). */
  alt: ArrayLike<number>;
  /** Per fix, the index of the entry that carried it (the caller's list): evidence. */
  src?: ArrayLike<number>;
}

/** The closest approach on a piece of track, or of a whole pair. */
export interface Approach {
  /** The instant, epoch ms. */
  t: number;
  horizontalMetres: number;
  /** Altitude of b minus altitude of a at that instant. */
  verticalMetres: number;
  /** The fixes of a and of b either side of the instant (indexes into the tracks). */
  aFixes: [number, number];
  bFixes: [number, number];
}

/** An encounter episode between tracks `a` and `b` (indexes into the list given to `detect`). */
export interface Encounter {
  a: number;
  b: number;
  domain: PairDomain;
  /** When the pair was first and last within the thresholds, epoch ms. */
  from: number;
  to: number;
  cpa: Approach;
}

/** A track's fixes in the form the computation reads: ground positions in ECEF and the tangent basis at each. */
export interface Prepared {
  readonly track: Track;
  readonly n: number;
  readonly t: Float64Array;
  readonly alt: Float64Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly sinLat: Float64Array;
  readonly cosLat: Float64Array;
  readonly sinLon: Float64Array;
  readonly cosLon: Float64Array;
}

export function prepare(track: Track): Prepared {
  const n = track.t.length;
  const p = {
    track,
    n,
    t: Float64Array.from(track.t),
    alt: Float64Array.from(track.alt),
    x: new Float64Array(n),
    y: new Float64Array(n),
    z: new Float64Array(n),
    sinLat: new Float64Array(n),
    cosLat: new Float64Array(n),
    sinLon: new Float64Array(n),
    cosLon: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const f = frame(track.lat[i], track.lon[i], 0);
    p.x[i] = f.x;
    p.y[i] = f.y;
    p.z[i] = f.z;
    p.sinLat[i] = f.sinLat;
    p.cosLat[i] = f.cosLat;
    p.sinLon[i] = f.sinLon;
    p.cosLon[i] = f.cosLon;
  }
  return p;
}

/**
 * The closest approach of straight-line relative motion over `[0, T]`: horizontal offset (pe, pn)
 * and velocity (we, wn) per unit time, vertical offset dz and rate vz. Returns the instant τ of
 * least horizontal distance, and, with thresholds, the part of `[0, T]` where both hold.
 */
export function linearApproach(pe: number, pn: number, we: number, wn: number, T: number): number {
  const ww = we * we + wn * wn;
  if (ww === 0 || T <= 0) return 0;
  const tau = -(pe * we + pn * wn) / ww;
  return tau <= 0 ? 0 : tau >= T ? T : tau;
}

/** The part of [0, T] where the horizontal distance is at most H and |dz + vz τ| at most V (V null: any); undefined if none. */
export function withinInterval(pe: number, pn: number, we: number, wn: number, dz: number, vz: number, T: number, H: number, V: number | null): [number, number] | undefined {
  let lo = 0;
  let hi = T;
  const a = we * we + wn * wn;
  const c = pe * pe + pn * pn - H * H;
  if (a === 0) {
    if (c > 0) return undefined;
  } else {
    const b = 2 * (pe * we + pn * wn);
    const disc = b * b - 4 * a * c;
    if (disc < 0) return undefined;
    const s = Math.sqrt(disc);
    lo = Math.max(lo, (-b - s) / (2 * a));
    hi = Math.min(hi, (-b + s) / (2 * a));
  }
  if (V !== null) {
    if (vz === 0) {
      if (Math.abs(dz) > V) return undefined;
    } else {
      const r1 = (-V - dz) / vz;
      const r2 = (V - dz) / vz;
      lo = Math.max(lo, Math.min(r1, r2));
      hi = Math.min(hi, Math.max(r1, r2));
    }
  }
  return lo <= hi ? [lo, hi] : undefined;
}

interface Piece {
  /** Absolute start of the piece and its length. */
  t0: number;
  T: number;
  pe: number;
  pn: number;
  we: number;
  wn: number;
  dz: number;
  vz: number;
  i: number;
  j: number;
}

/**
 * Walks the common time span of `a` and `b` within [from, to], cut at every fix of either, and
 * calls `visit` with each piece's relative motion on the tangent plane of a's fix at its start.
 */
function walk(a: Prepared, b: Prepared, from: number, to: number, visit: (p: Piece) => void): void {
  if (a.n === 0 || b.n === 0) return;
  const lo = Math.max(a.t[0], b.t[0], from);
  const hi = Math.min(a.t[a.n - 1], b.t[b.n - 1], to);
  if (lo > hi) return;
  let i = seek(a, lo);
  let j = seek(b, lo);
  let cur = lo;
  const piece: Piece = { t0: 0, T: 0, pe: 0, pn: 0, we: 0, wn: 0, dz: 0, vz: 0, i: 0, j: 0 };
  for (;;) {
    while (i < a.n - 2 && a.t[i + 1] <= cur) i++;
    while (j < b.n - 2 && b.t[j + 1] <= cur) j++;
    const aEnd = a.n > 1 ? a.t[i + 1] : cur;
    const bEnd = b.n > 1 ? b.t[j + 1] : cur;
    const next = Math.min(aEnd, bEnd, hi);
    // Positions at cur and next, by linear interpolation in time (a single fix stands still).
    const ia = a.n > 1 ? i + 1 : i;
    const jb = b.n > 1 ? j + 1 : j;
    const ka0 = a.t[ia] > a.t[i] ? (cur - a.t[i]) / (a.t[ia] - a.t[i]) : 0;
    const ka1 = a.t[ia] > a.t[i] ? (next - a.t[i]) / (a.t[ia] - a.t[i]) : 0;
    const kb0 = b.t[jb] > b.t[j] ? (cur - b.t[j]) / (b.t[jb] - b.t[j]) : 0;
    const kb1 = b.t[jb] > b.t[j] ? (next - b.t[j]) / (b.t[jb] - b.t[j]) : 0;
    const adx = a.x[ia] - a.x[i], ady = a.y[ia] - a.y[i], adz = a.z[ia] - a.z[i];
    const bdx = b.x[jb] - b.x[j], bdy = b.y[jb] - b.y[j], bdz = b.z[jb] - b.z[j];
    const ox = b.x[j] - a.x[i], oy = b.y[j] - a.y[i], oz = b.z[j] - a.z[i];
    const dx0 = ox + bdx * kb0 - adx * ka0;
    const dy0 = oy + bdy * kb0 - ady * ka0;
    const dz0 = oz + bdz * kb0 - adz * ka0;
    const dx1 = ox + bdx * kb1 - adx * ka1;
    const dy1 = oy + bdy * kb1 - ady * ka1;
    const dz1 = oz + bdz * kb1 - adz * ka1;
    const f = { sinLat: a.sinLat[i], cosLat: a.cosLat[i], sinLon: a.sinLon[i], cosLon: a.cosLon[i] };
    const T = next - cur;
    piece.t0 = cur;
    piece.T = T;
    piece.pe = east(f, dx0, dy0);
    piece.pn = north(f, dx0, dy0, dz0);
    const e1 = east(f, dx1, dy1);
    const n1 = north(f, dx1, dy1, dz1);
    piece.we = T > 0 ? (e1 - piece.pe) / T : 0;
    piece.wn = T > 0 ? (n1 - piece.pn) / T : 0;
    const aa0 = a.alt[i] + (a.alt[ia] - a.alt[i]) * ka0;
    const aa1 = a.alt[i] + (a.alt[ia] - a.alt[i]) * ka1;
    const ba0 = b.alt[j] + (b.alt[jb] - b.alt[j]) * kb0;
    const ba1 = b.alt[j] + (b.alt[jb] - b.alt[j]) * kb1;
    piece.dz = ba0 - aa0;
    piece.vz = T > 0 ? (ba1 - aa1 - piece.dz) / T : 0;
    piece.i = i;
    piece.j = j;
    visit(piece);
    if (next >= hi) return;
    cur = next;
  }
}

/** The index of the fix starting the segment that holds instant `t` (the last fix at or before it, at most n − 2). */
function seek(p: Prepared, t: number): number {
  let lo = 0;
  let hi = Math.max(0, p.n - 2);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (p.t[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const fixes = (p: Prepared, i: number): [number, number] => [i, Math.min(i + 1, p.n - 1)];

/**
 * The closest horizontal approach of two recorded tracks over the span both cover (within
 * [from, to]): PostGIS `ST_ClosestPointOfApproach` / `ST_DistanceCPA` on their ground tracks.
 * Undefined when the tracks share no instant.
 */
export function trackApproach(a: Prepared, b: Prepared, from = -Infinity, to = Infinity): Approach | undefined {
  let best: Approach | undefined;
  walk(a, b, from, to, (p) => {
    const tau = linearApproach(p.pe, p.pn, p.we, p.wn, p.T);
    const h = Math.hypot(p.pe + p.we * tau, p.pn + p.wn * tau);
    if (best === undefined || h < best.horizontalMetres) {
      best = { t: p.t0 + tau, horizontalMetres: h, verticalMetres: p.dz + p.vz * tau, aFixes: fixes(a, p.i), bFixes: fixes(b, p.j) };
    }
  });
  return best;
}

/** The encounter episodes of one pair within [from, to] under threshold `th`, in time order. */
export function pairEncounters(a: Prepared, b: Prepared, th: Threshold, from = -Infinity, to = Infinity, into: { from: number; to: number; cpa: Approach }[] = []): { from: number; to: number; cpa: Approach }[] {
  walk(a, b, from, to, (p) => {
    const w = withinInterval(p.pe, p.pn, p.we, p.wn, p.dz, p.vz, p.T, th.horizontalMetres, th.verticalMetres);
    if (!w) return;
    const tau = Math.min(Math.max(linearApproach(p.pe, p.pn, p.we, p.wn, p.T), w[0]), w[1]);
    const h = Math.hypot(p.pe + p.we * tau, p.pn + p.wn * tau);
    const start = p.t0 + w[0];
    const end = p.t0 + w[1];
    const last = into[into.length - 1];
    const cpa: Approach = { t: p.t0 + tau, horizontalMetres: h, verticalMetres: p.dz + p.vz * tau, aFixes: fixes(a, p.i), bFixes: fixes(b, p.j) };
    if (last && start <= last.to + EPSILON_MS) {
      last.to = Math.max(last.to, end);
      if (h < last.cpa.horizontalMetres) last.cpa = cpa;
    } else into.push({ from: start, to: end, cpa });
  });
  return into;
}

/** Pieces of one episode meet at a shared instant; float rounding may leave them this far apart. */
const EPSILON_MS = 1e-6;

export interface DetectOptions {
  from?: number;
  to?: number;
  /** Length of the time slices of the index (default 300 s). */
  sliceMs?: number;
  /** Edge of the grid cells, metres (default 50 km). */
  cellMetres?: number;
}

/** The thresholds of a pair of parties (the terms in force between them). */
export type ThresholdsOf = (partyA: string, partyB: string) => Thresholds;

const CELL_OFFSET = 1024;
const cellKey = (cx: number, cy: number, cz: number): number => ((cx + CELL_OFFSET) * 2048 + (cy + CELL_OFFSET)) * 2048 + (cz + CELL_OFFSET);

/**
 * Every encounter episode between units of different parties in `tracks` (each unit once, fixes
 * in time order), sorted by the instant of closest approach, then by the pair's (party, unit).
 */
export function detect(tracks: readonly Track[], thresholdsOf: ThresholdsOf, options: DetectOptions = {}): Encounter[] {
  const prepared = tracks.map(prepare);
  return detectPrepared(prepared, thresholdsOf, options);
}

export function detectPrepared(prepared: readonly Prepared[], thresholdsOf: ThresholdsOf, options: DetectOptions = {}): Encounter[] {
  const slice = options.sliceMs ?? 300_000;
  const cell = options.cellMetres ?? 50_000;
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  let tMin = Infinity;
  let tMax = -Infinity;
  for (const p of prepared) {
    if (p.n === 0) continue;
    tMin = Math.min(tMin, p.t[0]);
    tMax = Math.max(tMax, p.t[p.n - 1]);
  }
  tMin = Math.max(tMin, from);
  tMax = Math.min(tMax, to);
  if (!(tMin <= tMax)) return [];
  const thresholds = thresholdCache(prepared, thresholdsOf);
  const pad = thresholds.maxHorizontal * 1.01 + 1;
  const episodes = new Map<number, { from: number; to: number; cpa: Approach }[]>();
  const cursor = new Int32Array(prepared.length);
  const n = prepared.length;
  const boxes = new Float64Array(n * 8);
  const active: number[] = [];
  const grid = new Map<number, number[]>();
  const seen = new Set<number>();
  for (let s0 = Math.floor(tMin / slice) * slice; s0 <= tMax; s0 += slice) {
    const lo = Math.max(s0, tMin);
    const hi = Math.min(s0 + slice, tMax);
    active.length = 0;
    grid.clear();
    seen.clear();
    for (let u = 0; u < n; u++) {
      const p = prepared[u];
      if (p.n === 0 || p.t[0] > hi || p.t[p.n - 1] < lo) continue;
      let k = cursor[u];
      while (k < p.n - 1 && p.t[k + 1] <= lo) k++;
      cursor[u] = k;
      let m = k;
      let x0 = p.x[k], x1 = x0, y0 = p.y[k], y1 = y0, z0 = p.z[k], z1 = z0, a0 = p.alt[k], a1 = a0;
      while (m < p.n - 1 && p.t[m] < hi) {
        m++;
        const x = p.x[m], y = p.y[m], z = p.z[m], al = p.alt[m];
        if (x < x0) x0 = x; else if (x > x1) x1 = x;
        if (y < y0) y0 = y; else if (y > y1) y1 = y;
        if (z < z0) z0 = z; else if (z > z1) z1 = z;
        if (al < a0) a0 = al; else if (al > a1) a1 = al;
      }
      const o = u * 8;
      boxes[o] = x0 - pad / 2; boxes[o + 1] = x1 + pad / 2;
      boxes[o + 2] = y0 - pad / 2; boxes[o + 3] = y1 + pad / 2;
      boxes[o + 4] = z0 - pad / 2; boxes[o + 5] = z1 + pad / 2;
      boxes[o + 6] = a0; boxes[o + 7] = a1;
      active.push(u);
      const cx0 = Math.floor(boxes[o] / cell), cx1 = Math.floor(boxes[o + 1] / cell);
      const cy0 = Math.floor(boxes[o + 2] / cell), cy1 = Math.floor(boxes[o + 3] / cell);
      const cz0 = Math.floor(boxes[o + 4] / cell), cz1 = Math.floor(boxes[o + 5] / cell);
      for (let cx = cx0; cx <= cx1; cx++) {
        for (let cy = cy0; cy <= cy1; cy++) {
          for (let cz = cz0; cz <= cz1; cz++) {
            const key = cellKey(cx, cy, cz);
            const list = grid.get(key);
            if (list === undefined) {
              grid.set(key, [u]);
              continue;
            }
            for (const v of list) {
              const pu = prepared[v];
              if (pu.track.party === p.track.party) continue;
              const pair = v * n + u;
              if (seen.has(pair)) continue;
              seen.add(pair);
              const q = v * 8;
              if (boxes[q] > boxes[o + 1] || boxes[o] > boxes[q + 1] || boxes[q + 2] > boxes[o + 3] || boxes[o + 2] > boxes[q + 3] || boxes[q + 4] > boxes[o + 5] || boxes[o + 4] > boxes[q + 5]) continue;
              const th = thresholds.of(v, u);
              if (th.verticalMetres !== null && (boxes[q + 6] - th.verticalMetres > boxes[o + 7] || boxes[o + 6] - th.verticalMetres > boxes[q + 7])) continue;
              let found = episodes.get(pair);
              if (found === undefined) {
                found = [];
                episodes.set(pair, found);
              }
              pairEncounters(prepared[v], p, th, lo, hi, found);
            }
            list.push(u);
          }
        }
      }
    }
  }
  return collect(prepared, episodes, n);
}

/** The same episodes by comparing every pair of units of different parties over the whole span: the reference `detect` must equal. */
export function detectNaive(tracks: readonly Track[], thresholdsOf: ThresholdsOf, options: Pick<DetectOptions, 'from' | 'to'> = {}): Encounter[] {
  const prepared = tracks.map(prepare);
  const thresholds = thresholdCache(prepared, thresholdsOf);
  const n = prepared.length;
  const episodes = new Map<number, { from: number; to: number; cpa: Approach }[]>();
  for (let v = 0; v < n; v++) {
    for (let u = v + 1; u < n; u++) {
      if (prepared[v].track.party === prepared[u].track.party) continue;
      const list = pairEncounters(prepared[v], prepared[u], thresholds.of(v, u), options.from, options.to);
      if (list.length) episodes.set(v * n + u, list);
    }
  }
  return collect(prepared, episodes, n);
}

function thresholdCache(prepared: readonly Prepared[], thresholdsOf: ThresholdsOf): { maxHorizontal: number; of: (v: number, u: number) => Threshold } {
  const byParties = new Map<string, Thresholds>();
  const parties = [...new Set(prepared.map((p) => p.track.party))].sort();
  let maxHorizontal = 0;
  for (const a of parties) {
    for (const b of parties) {
      if (a >= b) continue;
      const th = thresholdsOf(a, b);
      byParties.set(`${a}\u0000${b}`, th);
      for (const d of PAIR_DOMAINS) maxHorizontal = Math.max(maxHorizontal, th[d].horizontalMetres);
    }
  }
  return {
    maxHorizontal,
    of(v, u) {
      const a = prepared[v].track;
      const b = prepared[u].track;
      const th = byParties.get(a.party < b.party ? `${a.party}\u0000${b.party}` : `${b.party}\u0000${a.party}`)!;
      return th[pairDomain(a.kind, b.kind)];
    },
  };
}

function collect(prepared: readonly Prepared[], episodes: Map<number, { from: number; to: number; cpa: Approach }[]>, n: number): Encounter[] {
  const out: Encounter[] = [];
  for (const [key, list] of episodes) {
    const v = Math.floor(key / n);
    const u = key % n;
    // Order the pair by (party, unit) so that a and b do not depend on the order tracks were given.
    const swap = compareUnits(prepared[v].track, prepared[u].track) > 0;
    const [a, b] = swap ? [u, v] : [v, u];
    const domain = pairDomain(prepared[a].track.kind, prepared[b].track.kind);
    for (const e of list) {
      const cpa = swap ? { t: e.cpa.t, horizontalMetres: e.cpa.horizontalMetres, verticalMetres: -e.cpa.verticalMetres, aFixes: e.cpa.bFixes, bFixes: e.cpa.aFixes } : e.cpa;
      out.push({ a, b, domain, from: e.from, to: e.to, cpa });
    }
  }
  out.sort((x, y) => x.cpa.t - y.cpa.t || compareUnits(prepared[x.a].track, prepared[y.a].track) || compareUnits(prepared[x.b].track, prepared[y.b].track) || x.from - y.from);
  return out;
}

export function compareUnits(a: Pick<Track, 'party' | 'unit'>, b: Pick<Track, 'party' | 'unit'>): number {
  return a.party < b.party ? -1 : a.party > b.party ? 1 : a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0;
}

/** A unit's last known state, for dead reckoning. */
export interface Fix {
  t: number;
  lat: number;
  lon: number;
  alt: number;
  /** Metres per second over the ground, degrees from true north, metres per second upward. */
  speed: number;
  course: number;
  vrate: number;
  /** Rate of turn, degrees per second, positive to the right (clockwise seen from above); absent or 0: straight. */
  turn?: number;
}

export interface Prediction {
  /** The instant of closest approach (epoch ms) and how far ahead of `now` it is. */
  t: number;
  tcpaMs: number;
  horizontalMetres: number;
  verticalMetres: number;
  /** Whether the pair is within the threshold at some instant of [now, now + horizon]. */
  encounter: boolean;
}

const RAD = Math.PI / 180;

/** Headings changed by at most this much along one chord of a turning unit's predicted circle. */
const CHORD_DEGREES = 5;
/** And at most this many chords over the horizon (a faster turn gets longer chords: 3°/s over 10 minutes is 360). */
const MAX_CHORDS = 720;

/**
 * Dead reckoning of `a` and `b` from their last fixes, both brought to `now` (a fix later than
 * `now` is taken as it is), over [now, now + horizonMs]: the closest horizontal approach, and
 * whether the pair is within `th` at some instant (the closest approach among those instants is
 * reported then; for a unit coming round its circle again, among those of the first encounter).
 * A unit with a rate of turn follows its circle; without, a straight line.
 */
export function predict(a: Fix, b: Fix, now: number, horizonMs: number, th: Threshold): Prediction {
  const fa = frame(a.lat, a.lon, 0);
  const fb = frame(b.lat, b.lon, 0);
  const dx = fb.x - fa.x;
  const dy = fb.y - fa.y;
  const dz = fb.z - fa.z;
  const e0 = east(fa, dx, dy);
  const n0 = north(fa, dx, dy, dz);
  // Seconds from each fix to `now`.
  const da = (now - a.t) / 1000;
  const db = (now - b.t) / 1000;
  const dz0 = b.alt + b.vrate * db - (a.alt + a.vrate * da);
  const vz = (b.vrate - a.vrate) / 1000;
  const turning = Math.max(Math.abs(a.turn ?? 0), Math.abs(b.turn ?? 0));
  const horizon = horizonMs / 1000;
  const chords = turning === 0 ? 1 : Math.min(MAX_CHORDS, Math.max(1, Math.ceil((horizon * turning) / CHORD_DEGREES)));
  const step = horizonMs / chords;
  // b's offset from a, on a's tangent plane, `s` ms after now.
  const at = (s: number): [number, number] => {
    const pa = displacement(fa, fa, a, da + s / 1000);
    const pb = displacement(fb, fa, b, db + s / 1000);
    return [e0 + pb[0] - pa[0], n0 + pb[1] - pa[1]];
  };
  let best: Prediction | undefined;
  let start = at(0);
  for (let k = 0; k < chords; k++) {
    const t0 = k * step;
    const end = k === chords - 1 ? at(horizonMs) : at(t0 + step);
    const T = k === chords - 1 ? horizonMs - t0 : step;
    const [pe, pn] = start;
    const we = (end[0] - pe) / T;
    const wn = (end[1] - pn) / T;
    const dzk = dz0 + vz * t0;
    const w = withinInterval(pe, pn, we, wn, dzk, vz, T, th.horizontalMetres, th.verticalMetres);
    let tau = linearApproach(pe, pn, we, wn, T);
    if (w) tau = Math.min(Math.max(tau, w[0]), w[1]);
    const h = Math.hypot(pe + we * tau, pn + wn * tau);
    // A turning unit may come round again: the first encounter is the one predicted.
    if (best?.encounter && w === undefined) break;
    // The closest approach: among the instants within the thresholds if there are any, else overall.
    if (best === undefined || (w !== undefined && !best.encounter) || ((w !== undefined) === best.encounter && h < best.horizontalMetres)) {
      best = { t: now + t0 + tau, tcpaMs: t0 + tau, horizontalMetres: h, verticalMetres: dzk + vz * tau, encounter: w !== undefined };
    }
    start = end;
  }
  return best!;
}

/**
 * How far a fix's unit has moved `s` seconds after its fix (before it, for negative `s`), in
 * metres east and north on the tangent plane `onto`: along its course, or its circle when turning.
 */
function displacement(own: ReturnType<typeof frame>, onto: ReturnType<typeof frame>, f: Fix, s: number): [number, number] {
  const c = f.course * RAD;
  const w = (f.turn ?? 0) * RAD;
  let ve: number;
  let vn: number;
  if (w === 0) {
    ve = f.speed * s * Math.sin(c);
    vn = f.speed * s * Math.cos(c);
  } else {
    // Heading c + w·s: the integral of speed × (sin, cos) of it.
    const r = f.speed / w;
    ve = r * (Math.cos(c) - Math.cos(c + w * s));
    vn = r * (Math.sin(c + w * s) - Math.sin(c));
  }
  return toPlane(own, onto, ve, vn);
}

/** A horizontal vector given east/north at `own`, brought through ECEF onto the tangent plane `onto`. */
function toPlane(own: ReturnType<typeof frame>, onto: ReturnType<typeof frame>, ve: number, vn: number): [number, number] {
  const x = -own.sinLon * ve - own.sinLat * own.cosLon * vn;
  const y = own.cosLon * ve - own.sinLat * own.sinLon * vn;
  const z = own.cosLat * vn;
  return [east(onto, x, y), north(onto, x, y, z)];
}
