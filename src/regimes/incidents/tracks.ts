/**
 * The compact columnar encoding of an `incidents.tracks` batch: per unit, one string per column
 * (time, latitude, longitude, and optionally altitude, speed, course, vertical rate, rate of turn), each the
 * base64 of zig-zag varints of the differences between consecutive values in fixed units. A fix
 * of a ship moving steadily costs about 10 bytes and each unit about 90 more; a minute of the whole
 * Danish AIS feed (≈ 7,600 fixes, from well over a thousand vessels) fits one entry under the
 * 256 KiB content limit.
 *
 * | column   | unit                    | first value      |
 * |----------|-------------------------|------------------|
 * | `t`      | millisecond             | after `from`     |
 * | `lat`    | 1e-6 degree (≈ 0.11 m)  | absolute         |
 * | `lon`    | 1e-6 degree             | absolute         |
 * | `alt`    | decimetre               | absolute         |
 * | `speed`  | cm/s over the ground    | absolute         |
 * | `course` | 1/100 degree from north | absolute         |
 * | `vrate`  | cm/s upward             | absolute         |
 * | `turn`   | 1/1000 degree per second, + to the right | absolute |
 *
 * Pure: no I/O.
 */
import { UNIT_KINDS, type Track, type UnitKind } from './cpa.js';

export interface UnitFixes {
  unit: string;
  kind: UnitKind;
  name?: string;
  t: number[];
  lat: number[];
  lon: number[];
  alt: number[];
  /** m/s, degrees, m/s, degrees per second (+ to the right); absent where the batch does not carry them. */
  speed?: number[];
  course?: number[];
  vrate?: number[];
  turn?: number[];
}

export interface EncodedUnit {
  unit: string;
  kind: UnitKind;
  name?: string;
  n: number;
  t: string;
  lat: string;
  lon: string;
  alt?: string;
  speed?: string;
  course?: string;
  vrate?: string;
  turn?: string;
}

export interface TracksBody {
  from: string;
  until: string;
  units: EncodedUnit[];
}

const SCALE = { lat: 1e6, lon: 1e6, alt: 10, speed: 100, course: 100, vrate: 100, turn: 1000 } as const;
type Column = keyof typeof SCALE;
const OPTIONAL: readonly Column[] = ['alt', 'speed', 'course', 'vrate', 'turn'];
/** The columns of motion a fix may carry besides its position. */
const MOTION = ['speed', 'course', 'vrate', 'turn'] as const;

function encodeColumn(values: readonly number[], scale: number, base = 0): string {
  const bytes: number[] = [];
  let prev = base;
  for (const v of values) {
    const q = Math.round(v * scale);
    const d = q - prev;
    prev = q;
    let z = d >= 0 ? d * 2 : -d * 2 - 1;
    while (z >= 128) {
      bytes.push((z % 128) | 128);
      z = Math.floor(z / 128);
    }
    bytes.push(z);
  }
  return Buffer.from(bytes).toString('base64');
}

/** The values of a column, or a message saying what is wrong with it. */
function decodeColumn(text: string, n: number, scale: number, base = 0): number[] | string {
  const bytes = Buffer.from(text, 'base64');
  const out: number[] = [];
  let prev = base;
  let i = 0;
  while (out.length < n) {
    let z = 0;
    let mul = 1;
    for (;;) {
      if (i >= bytes.length) return `ends after ${out.length} of ${n} values`;
      const b = bytes[i++];
      z += (b & 127) * mul;
      if (b < 128) break;
      mul *= 128;
      if (mul > 2 ** 49) return 'holds a number too large';
    }
    const d = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    prev += d;
    out.push(prev / scale);
  }
  if (i !== bytes.length) return `holds more than ${n} values`;
  return out;
}

/** A batch of one party's units' fixes between `from` and `until` (RFC 3339; `from` at or before every fix). */
export function encodeTracks(from: number, until: number, units: readonly UnitFixes[]): TracksBody {
  return {
    from: new Date(from).toISOString(),
    until: new Date(until).toISOString(),
    units: units.map((u) => {
      const e: EncodedUnit = { unit: u.unit, kind: u.kind, ...(u.name ? { name: u.name } : {}), n: u.t.length, t: encodeColumn(u.t, 1, from), lat: encodeColumn(u.lat, SCALE.lat), lon: encodeColumn(u.lon, SCALE.lon) };
      if (u.alt.some((a) => a !== 0)) e.alt = encodeColumn(u.alt, SCALE.alt);
      for (const c of MOTION) if (u[c]) e[c] = encodeColumn(u[c]!, SCALE[c]);
      return e;
    }),
  };
}

export interface DecodeProblem {
  path: string;
  message: string;
}

/** The fixes of a batch, or the first problem (a JSON pointer into the body and what is wrong). */
export function decodeTracks(body: TracksBody): { from: number; until: number; units: UnitFixes[] } | DecodeProblem {
  const from = Date.parse(body.from);
  const until = Date.parse(body.until);
  if (!(until >= from)) return { path: '/until', message: 'is before from' };
  const units: UnitFixes[] = [];
  const seen = new Set<string>();
  for (const [k, e] of body.units.entries()) {
    const at = `/units/${k}`;
    if (seen.has(e.unit)) return { path: `${at}/unit`, message: `unit ${e.unit} appears twice; put all its fixes under one` };
    seen.add(e.unit);
    if (!(UNIT_KINDS as readonly string[]).includes(e.kind)) return { path: `${at}/kind`, message: `is not a unit kind (${UNIT_KINDS.join(', ')})` };
    const t = decodeColumn(e.t, e.n, 1, from);
    if (typeof t === 'string') return { path: `${at}/t`, message: t };
    for (let i = 0; i < t.length; i++) {
      if (t[i] < from || t[i] > until) return { path: `${at}/t`, message: `fix ${i} is at ${new Date(t[i]).toISOString()}, outside the batch's from–until` };
      if (i > 0 && t[i] <= t[i - 1]) return { path: `${at}/t`, message: `fix ${i} is not after fix ${i - 1}: fixes of a unit are in time order, one per instant` };
    }
    const lat = decodeColumn(e.lat, e.n, SCALE.lat);
    if (typeof lat === 'string') return { path: `${at}/lat`, message: lat };
    const i = lat.findIndex((x) => x < -90 || x > 90);
    if (i >= 0) return { path: `${at}/lat`, message: `fix ${i} has latitude ${lat[i]}, outside −90..90` };
    const lon = decodeColumn(e.lon, e.n, SCALE.lon);
    if (typeof lon === 'string') return { path: `${at}/lon`, message: lon };
    const j = lon.findIndex((x) => x < -180 || x > 180);
    if (j >= 0) return { path: `${at}/lon`, message: `fix ${j} has longitude ${lon[j]}, outside −180..180` };
    const u: UnitFixes = { unit: e.unit, kind: e.kind, ...(e.name ? { name: e.name } : {}), t, lat, lon, alt: new Array<number>(e.n).fill(0) };
    for (const c of OPTIONAL) {
      const text = e[c];
      if (text === undefined) continue;
      const values = decodeColumn(text, e.n, SCALE[c]);
      if (typeof values === 'string') return { path: `${at}/${c}`, message: values };
      u[c] = values;
    }
    units.push(u);
  }
  return { from, until, units };
}

export const isProblem = (x: unknown): x is DecodeProblem => typeof x === 'object' && x !== null && 'path' in x && 'message' in x;

/** A fix as `parley tracks import` reads it. */
export interface FixRow {
  unit: string;
  kind: UnitKind;
  t: number;
  lat: number;
  lon: number;
  alt?: number;
  speed?: number;
  course?: number;
  vrate?: number;
  turn?: number;
}

/**
 * Batches of fixes for `incidents.tracks` entries: cut at every `spanMs` of time (default one
 * minute), and a batch whose encoding would pass `maxBytes` (default 240 KiB, under the 256 KiB
 * content limit with room for the entry's other fields) halved in time until it fits. Fixes of a unit at an instant already given are dropped.
 */
export function batchFixes(rows: readonly FixRow[], options: { spanMs?: number; maxBytes?: number } = {}): TracksBody[] {
  const span = options.spanMs ?? 60_000;
  const max = options.maxBytes ?? 240 * 1024;
  const sorted = [...rows].sort((a, b) => a.t - b.t || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  const out: TracksBody[] = [];
  let k = 0;
  while (k < sorted.length) {
    const start = Math.floor(sorted[k].t / span) * span;
    let m = k;
    while (m < sorted.length && sorted[m].t < start + span) m++;
    emit(sorted.slice(k, m), start, start + span - 1, max, out);
    k = m;
  }
  return out;
}

function emit(rows: readonly FixRow[], from: number, until: number, max: number, out: TracksBody[]): void {
  const body = encodeTracks(from, until, group(rows));
  if (JSON.stringify(body).length <= max || rows.length <= 1) {
    out.push(body);
    return;
  }
  const mid = from + Math.floor((until - from) / 2);
  const early = rows.filter((r) => r.t <= mid);
  const late = rows.filter((r) => r.t > mid);
  if (!early.length || !late.length) {
    // All at one instant: split by unit.
    const half = Math.ceil(rows.length / 2);
    emit(rows.slice(0, half), from, until, max, out);
    emit(rows.slice(half), from, until, max, out);
    return;
  }
  emit(early, from, mid, max, out);
  emit(late, mid + 1, until, max, out);
}

function group(rows: readonly FixRow[]): UnitFixes[] {
  const units = new Map<string, UnitFixes>();
  for (const r of rows) {
    let u = units.get(r.unit);
    if (!u) {
      u = { unit: r.unit, kind: r.kind, t: [], lat: [], lon: [], alt: [] };
      units.set(r.unit, u);
    }
    if (u.t.length && u.t[u.t.length - 1] === r.t) continue;
    u.t.push(r.t);
    u.lat.push(r.lat);
    u.lon.push(r.lon);
    u.alt.push(r.alt ?? 0);
    for (const c of MOTION) {
      const v = r[c];
      if (v === undefined) continue;
      (u[c] ??= new Array<number>(u.t.length - 1).fill(0)).push(v);
    }
    for (const c of MOTION) if (u[c] && u[c]!.length < u.t.length) u[c]!.push(0);
  }
  return [...units.values()].sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
}

/** A batch entry's units as tracks of its author (`src` = `index` for every fix). */
export function tracksOf(author: string, fixes: { units: UnitFixes[] }, index: number): Track[] {
  return fixes.units.map((u) => ({ party: author, unit: u.unit, kind: u.kind, t: u.t, lat: u.lat, lon: u.lon, alt: u.alt, src: new Array<number>(u.t.length).fill(index) }));
}
