/**
 * Close encounters in the shared tracks a node holds, hour by hour: what the regime's evaluator
 * finds (a finding per encounter episode) and what `parley encounters` and GET /api/v1/encounters
 * list, computed by the same function so that they agree.
 *
 * The tracks of an hour H are the fixes of the `incidents.tracks` batches held whose span meets
 * [H − 10 min, H + 2 h], merged per (author, unit) in time order (a fix at an instant already given
 * by an earlier entry, in record order, is dropped). An episode belongs to the hour in which it
 * **begins**: one continuous episode is one encounter, however many hour boundaries it crosses.
 * Hour H reads 10 minutes before it, so that an episode already under way at H is seen to have
 * begun before it (and left to the hour it began in), and follows an episode beginning in it to the
 * end of the next hour. An episode still within the thresholds at the last fixes read (the feed
 * goes on, or it lasts past H + 2 h) is `ongoing`: its end and closest approach are those of the
 * part read. Thresholds are the terms binding the pair's parties at H.
 *
 * A documented limit: both units' fixes are read from H − 10 min, so a unit silent for more than
 * 10 minutes across the start of an hour while within the thresholds of another would have its
 * episode seen to begin twice (before the silence, and at the first fix after H).
 *
 * Pure: the same entries give the same encounters at every party.
 */
import { detect, type Thresholds, type Track } from './cpa.js';
import { decodeTracks, isProblem, tracksOf, type TracksBody, type UnitFixes } from './tracks.js';

export const HOUR_MS = 3_600_000;
/** Fixes this far before an hour are read with it: an episode under way at the hour is seen to have begun before it. */
export const MARGIN_MS = 600_000;
/** Fixes this far after an hour's end are read with it: an episode beginning in the hour is followed this long past it. */
export const FOLLOW_MS = 3_600_000;

/** A tracks entry as the encounter computation reads it. */
export interface TracksEntry {
  id: string;
  author: string;
  /** Header time, epoch ms. */
  t: number;
  body: TracksBody;
}

/** The hour starts H whose window [H − margin, H + 1 h + follow] the batch's span meets. */
export function hoursOf(body: { from: string; until: string }): number[] {
  const from = Date.parse(body.from);
  const until = Date.parse(body.until);
  if (!(until >= from)) return [];
  const out: number[] = [];
  for (let h = Math.ceil((from - FOLLOW_MS - HOUR_MS) / HOUR_MS) * HOUR_MS; h - MARGIN_MS <= until; h += HOUR_MS) out.push(h);
  return out;
}

const decoded = new WeakMap<object, { units: UnitFixes[] } | null>();
/** The fixes of a batch (decoded once per body object), or null if it does not decode. */
export function fixesOf(body: TracksBody): { units: UnitFixes[] } | null {
  let d = decoded.get(body);
  if (d === undefined) {
    const r = decodeTracks(body);
    d = isProblem(r) ? null : { units: r.units };
    decoded.set(body, d);
  }
  return d;
}

/** The tracks of `entries` (in record order) within [from, to]: one per (author, unit), `src` indexing `entries`. */
export function assemble(entries: readonly TracksEntry[], from = -Infinity, to = Infinity): Track[] {
  const byUnit = new Map<string, { track: Track; rows: [number, number, number, number, number][] }>();
  for (const [index, e] of entries.entries()) {
    const fixes = fixesOf(e.body);
    if (!fixes) continue;
    for (const tr of tracksOf(e.author, fixes, index)) {
      const key = `${tr.party}\u0000${tr.unit}`;
      let u = byUnit.get(key);
      if (!u) byUnit.set(key, (u = { track: tr, rows: [] }));
      for (let i = 0; i < tr.t.length; i++) if (tr.t[i] >= from && tr.t[i] <= to) u.rows.push([tr.t[i], tr.lat[i], tr.lon[i], tr.alt[i], index]);
    }
  }
  const out: Track[] = [];
  for (const { track, rows } of byUnit.values()) {
    // Stable: for one instant, the earliest entry's fix comes first and is the one kept.
    rows.sort((a, b) => a[0] - b[0] || a[4] - b[4]);
    const t: number[] = [];
    const lat: number[] = [];
    const lon: number[] = [];
    const alt: number[] = [];
    const src: number[] = [];
    for (const r of rows) {
      if (t.length && t[t.length - 1] === r[0]) continue;
      t.push(r[0]);
      lat.push(r[1]);
      lon.push(r[2]);
      alt.push(r[3]);
      src.push(r[4]);
    }
    if (t.length) out.push({ party: track.party, unit: track.unit, kind: track.kind, t, lat, lon, alt, src });
  }
  return out.sort((a, b) => (a.party < b.party ? -1 : a.party > b.party ? 1 : a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
}

export interface EncounterView {
  a: { party: string; unit: string; kind: string };
  b: { party: string; unit: string; kind: string };
  domain: string;
  /** The instant of closest approach. */
  tcpa: string;
  /** Horizontal distance at it, metres (0.1 m). */
  dcpaMetres: number;
  /** Altitude of b minus altitude of a at it, metres (0.1 m). */
  verticalMetres: number;
  /** When the pair was first and last within the thresholds. */
  from: string;
  to: string;
  /** Still within them at the last fixes read (the episode may go on): `to` and the closest approach are those of the part read. */
  ongoing: boolean;
  /** When the record showed it: the latest header time of the evidence. */
  at: string;
  thresholds: { horizontalMetres: number; verticalMetres: number | null };
  /** The tracks entries carrying the fixes either side of the closest approach, a's then b's, without repeats. */
  evidence: string[];
}

const round1 = (x: number): number => Math.round(x * 10) / 10 || 0;
const iso = (t: number): string => new Date(Math.round(t)).toISOString();

/**
 * The encounter episodes beginning in hour `hour`, from the batches given (all those meeting the
 * hour's window; others are ignored). `thresholdsOf(a, b)` reads the terms at the hour.
 */
export function hourEncounters(entries: readonly TracksEntry[], hour: number, thresholdsOf: (a: string, b: string) => Thresholds): EncounterView[] {
  const tracks = assemble(entries, hour - MARGIN_MS, hour + HOUR_MS + FOLLOW_MS);
  const found = detect(tracks, thresholdsOf);
  const out: EncounterView[] = [];
  for (const e of found) {
    // Begun before the hour (or under way when its window opens): the earlier hour's.
    if (e.from < hour || e.from >= hour + HOUR_MS) continue;
    const a = tracks[e.a];
    const b = tracks[e.b];
    const read = Math.min(a.t[a.t.length - 1], b.t[b.t.length - 1]);
    const ids = [...new Set([...e.cpa.aFixes.map((i) => a.src![i]), ...e.cpa.bFixes.map((i) => b.src![i])])];
    const th = thresholdsOf(a.party, b.party)[e.domain];
    out.push({
      a: { party: a.party, unit: a.unit, kind: a.kind },
      b: { party: b.party, unit: b.unit, kind: b.kind },
      domain: e.domain,
      tcpa: iso(e.cpa.t),
      dcpaMetres: round1(e.cpa.horizontalMetres),
      verticalMetres: round1(e.cpa.verticalMetres),
      from: iso(e.from),
      to: iso(e.to),
      ongoing: e.to >= read,
      at: iso(Math.max(...ids.map((i) => entries[i].t))),
      thresholds: { horizontalMetres: th.horizontalMetres, verticalMetres: th.verticalMetres },
      evidence: ids.map((i) => entries[i].id),
    });
  }
  return out;
}

/** Every encounter episode in the entries, its closest approach within [from, to], hour by hour as the regime finds them. */
export function allEncounters(entries: readonly TracksEntry[], thresholdsOf: (a: string, b: string, hour: number) => Thresholds, from = -Infinity, to = Infinity): EncounterView[] {
  const byHour = new Map<number, TracksEntry[]>();
  for (const e of entries) {
    for (const h of hoursOf(e.body)) {
      // An episode beginning in hour h has its closest approach in [h, h + 1 h + follow].
      if (h + HOUR_MS + FOLLOW_MS < from || h > to) continue;
      let list = byHour.get(h);
      if (!list) byHour.set(h, (list = []));
      list.push(e);
    }
  }
  const out: EncounterView[] = [];
  for (const h of [...byHour.keys()].sort((x, y) => x - y)) {
    for (const v of hourEncounters(byHour.get(h)!, h, (a, b) => thresholdsOf(a, b, h))) {
      const t = Date.parse(v.tcpa);
      if (t >= from && t <= to) out.push(v);
    }
  }
  // By instant of closest approach (episodes of one hour may reach into the next ones).
  return out.sort((x, y) => (x.tcpa < y.tcpa ? -1 : x.tcpa > y.tcpa ? 1 : 0));
}
