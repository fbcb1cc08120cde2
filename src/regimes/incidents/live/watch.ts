/**
 * Close encounters as they happen: the node keeps each unit's latest fix from the
 * `incidents.tracks` batches it holds (its own and those shared with it), and on every new batch
 * dead-reckons every pair of units of different parties over the horizon (TCPA/DCPA, cpa.ts: along a
 * straight line, or along its circle for a unit whose batch gives a rate of turn). A
 * pair predicted within the agreed thresholds raises an `incidents.encounter` alarm — in
 * `status.alerts`, on the event stream (`alarm`), at the webhook — which clears once the pair is no
 * longer predicted within them (the units separate) or one of them stops reporting.
 *
 * Each node holding both units' tracks computes the same prediction, so the alarm rings on both.
 * The clock is the data's: "now" is the latest fix held, so a replayed feed rings as it did.
 * Candidate pairs come from a hash grid over the units' predicted paths, not from every pair.
 */
import { pairDomain, predict, type Fix, type UnitKind } from '../cpa.js';
import type { ServiceAlarm } from '../../module.js';
import type { ResolvedIncidentsTerms } from '../rules.js';
import { fixesOf } from '../encounters.js';
import type { TracksBody, UnitFixes } from '../tracks.js';
import { east, frame, north } from '../geo.js';

export interface EncounterAlarm extends ServiceAlarm {
  kind: 'incidents.encounter';
  a: { party: string; unit: string; kind: string };
  b: { party: string; unit: string; kind: string };
  /** The predicted instant of closest approach, and seconds from the latest fix to it. */
  tcpa: string;
  tcpaSeconds: number;
  dcpaMetres: number;
  verticalMetres: number;
  /** The tracks entries that carried both units' latest fixes. */
  evidence: string[];
  /** A flash hotline message to the other party, ready to send (POST /api/v1/entries with type hotline.message). */
  draft: { type: 'hotline.message'; to: string[]; body: { priority: 'flash'; subject: string; text: string; language: 'en' } };
}

/** A unit's latest fix as the watch holds it. */
export interface UnitPosition {
  party: string;
  unit: string;
  kind: string;
  t: string;
  lat: number;
  lon: number;
  alt: number;
  speed: number;
  course: number;
  /** The tracks entry that carried it. */
  entry: string;
}

interface UnitState {
  party: string;
  unit: string;
  kind: UnitKind;
  fix: Fix;
  entry: string;
  /** When this node took the fix (wall clock): a unit silent for the stale time is no longer predicted. */
  received: number;
}

export interface WatchSettings {
  horizonMs: number;
  staleMs: number;
}

const RAD = 180 / Math.PI;
/** Added to each unit's reach in the candidate grid: two reaches together cover the largest horizontal threshold an agreement may set (100 km, rules.ts). */
const REACH_PAD = 50_000;
const round1 = (x: number): number => Math.round(x * 10) / 10 || 0;

/**
 * The unit's latest fix with its velocity: the batch's speed/course/vertical rate (and rate of turn,
 * if it carries one), else from its last two fixes (or the previous fix known), straight.
 */
function latest(u: UnitFixes, previous: Fix | undefined): Fix {
  const k = u.t.length - 1;
  const fix: Fix = { t: u.t[k], lat: u.lat[k], lon: u.lon[k], alt: u.alt[k], speed: 0, course: 0, vrate: 0 };
  if (u.speed && u.course) {
    fix.speed = u.speed[k];
    fix.course = u.course[k];
    fix.vrate = u.vrate?.[k] ?? 0;
    if (u.turn?.[k]) fix.turn = u.turn[k];
    return fix;
  }
  const before = k > 0 ? { t: u.t[k - 1], lat: u.lat[k - 1], lon: u.lon[k - 1], alt: u.alt[k - 1] } : previous && previous.t < fix.t ? previous : undefined;
  if (!before) return fix;
  const dt = (fix.t - before.t) / 1000;
  const f = frame(fix.lat, fix.lon, 0);
  const g = frame(before.lat, before.lon, 0);
  const dx = f.x - g.x;
  const dy = f.y - g.y;
  const dz = f.z - g.z;
  const e = east(f, dx, dy);
  const n = north(f, dx, dy, dz);
  fix.speed = Math.hypot(e, n) / dt;
  fix.course = ((Math.atan2(e, n) * RAD) + 360) % 360;
  fix.vrate = (fix.alt - before.alt) / dt;
  return fix;
}

export class EncounterWatch {
  readonly #units = new Map<string, UnitState>();
  readonly #alarms = new Map<string, EncounterAlarm>();
  readonly #party: string;
  readonly #settings: WatchSettings;
  readonly #thresholds: (a: string, b: string, t: number) => ResolvedIncidentsTerms['thresholds'];
  readonly #announce: (alarm: EncounterAlarm) => void;
  /** Pairs compared by the last prediction (for the reader of the status). */
  comparedPairs = 0;

  constructor(party: string, settings: WatchSettings, thresholds: (a: string, b: string, t: number) => ResolvedIncidentsTerms['thresholds'], announce: (alarm: EncounterAlarm) => void) {
    this.#party = party;
    this.#settings = settings;
    this.#thresholds = thresholds;
    this.#announce = announce;
  }

  /** Takes a held tracks batch of `author` (entry `id`), at wall time `wall`; returns whether it brought a newer fix. */
  add(id: string, author: string, body: TracksBody, wall = Date.now()): boolean {
    const fixes = fixesOf(body);
    if (!fixes) return false;
    let changed = false;
    for (const u of fixes.units) {
      if (!u.t.length) continue;
      const key = `${author}\u0000${u.unit}`;
      const had = this.#units.get(key);
      if (had && had.fix.t >= u.t[u.t.length - 1]) continue;
      this.#units.set(key, { party: author, unit: u.unit, kind: u.kind, fix: latest(u, had?.fix), entry: id, received: wall });
      changed = true;
    }
    return changed;
  }

  /**
   * Forgets the units this node has had no fix of for the stale time (wall clock: a feed that
   * stopped), and predicts again if any was forgotten — clearing the alarms they were in.
   */
  expire(wall: number): void {
    let any = false;
    for (const [key, u] of this.#units) {
      if (u.received >= wall - this.#settings.staleMs) continue;
      this.#units.delete(key);
      any = true;
    }
    if (any) this.predict(wall);
  }

  units(): number {
    return this.#units.size;
  }

  /** Each unit's latest fix, by (party, unit): what the console's live map draws. */
  positions(): UnitPosition[] {
    return [...this.#units.values()]
      .map((u) => ({ party: u.party, unit: u.unit, kind: u.kind, t: new Date(u.fix.t).toISOString(), lat: u.fix.lat, lon: u.fix.lon, alt: u.fix.alt, speed: round1(u.fix.speed), course: round1(u.fix.course), entry: u.entry }))
      .sort((a, b) => (a.party < b.party ? -1 : a.party > b.party ? 1 : a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  }

  /** Raised alarms, oldest first. */
  alarms(): EncounterAlarm[] {
    return [...this.#alarms.values()].sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.id < b.id ? -1 : 1));
  }

  /** Predicts every pair from the latest fixes; raises and clears alarms. `wall` stamps the alarms' `since`/`at`. */
  predict(wall: number): void {
    let now = -Infinity;
    for (const u of this.#units.values()) now = Math.max(now, u.fix.t);
    const live = [...this.#units.values()].filter((u) => u.fix.t >= now - this.#settings.staleMs).sort((a, b) => (a.party < b.party ? -1 : a.party > b.party ? 1 : a.unit < b.unit ? -1 : 1));
    const raised = new Set<string>();
    this.comparedPairs = 0;
    for (const [i, j] of this.#candidates(live, now)) {
      const a = live[i];
      const b = live[j];
      const domain = pairDomain(a.kind, b.kind);
      const th = this.#thresholds(a.party, b.party, now)[domain];
      this.comparedPairs++;
      const p = predict(a.fix, b.fix, now, this.#settings.horizonMs, th);
      if (!p.encounter) continue;
      const id = `encounter:${a.party}/${a.unit}:${b.party}/${b.unit}`;
      raised.add(id);
      const other = a.party === this.#party ? b.party : a.party;
      const vertical = th.verticalMetres === null ? '' : `, ${Math.round(Math.abs(p.verticalMetres))} m vertically`;
      const when = p.tcpaMs <= 0 ? 'now' : `in ${Math.round(p.tcpaMs / 1000)} s`;
      const message = `${a.party} ${a.kind} ${a.unit} and ${b.party} ${b.kind} ${b.unit} predicted within ${Math.round(p.horizontalMetres)} m horizontally${vertical} ${when} (${new Date(Math.round(p.t)).toISOString()}; ${domain} thresholds ${th.horizontalMetres} m${th.verticalMetres === null ? '' : ` / ${th.verticalMetres} m`})`;
      const fields = {
        message,
        tcpa: new Date(Math.round(p.t)).toISOString(),
        tcpaSeconds: Math.round(p.tcpaMs / 100) / 10,
        dcpaMetres: round1(p.horizontalMetres),
        verticalMetres: round1(p.verticalMetres),
        evidence: [...new Set([a.entry, b.entry])],
        at: new Date(wall).toISOString(),
      };
      const had = this.#alarms.get(id);
      if (had) {
        Object.assign(had, fields);
        continue;
      }
      const alarm: EncounterAlarm = {
        id,
        kind: 'incidents.encounter',
        state: 'raised',
        severity: 'critical',
        party: other,
        since: new Date(wall).toISOString(),
        a: { party: a.party, unit: a.unit, kind: a.kind },
        b: { party: b.party, unit: b.unit, kind: b.kind },
        ...fields,
        draft: {
          type: 'hotline.message',
          to: [other],
          body: { priority: 'flash', subject: `Close encounter: ${a.party} ${a.unit} and ${b.party} ${b.unit}`, text: `${message}. Request your units keep clear.`, language: 'en' },
        },
      };
      this.#alarms.set(id, alarm);
      this.#announce(alarm);
    }
    for (const [id, alarm] of [...this.#alarms]) {
      if (raised.has(id)) continue;
      this.#alarms.delete(id);
      this.#announce({ ...alarm, state: 'cleared', at: new Date(wall).toISOString(), message: `${alarm.a.party} ${alarm.a.unit} and ${alarm.b.party} ${alarm.b.unit} no longer predicted within the thresholds` });
    }
  }

  /** Pairs (indexes into `live`, i < j) of different parties whose predicted paths come near, from a grid over Earth-centred coordinates. */
  #candidates(live: readonly UnitState[], now: number): [number, number][] {
    const cell = 50_000;
    const grid = new Map<string, number[]>();
    const out: [number, number][] = [];
    const seen = new Set<number>();
    const horizon = this.#settings.horizonMs / 1000;
    for (const [i, u] of live.entries()) {
      const f = frame(u.fix.lat, u.fix.lon, 0);
      // The path from the fix to the horizon's end stays within speed × (age + horizon) of it.
      const reach = u.fix.speed * (Math.max(0, now - u.fix.t) / 1000 + horizon) + REACH_PAD;
      const lo = [f.x - reach, f.y - reach, f.z - reach].map((v) => Math.floor(v / cell));
      const hi = [f.x + reach, f.y + reach, f.z + reach].map((v) => Math.floor(v / cell));
      for (let cx = lo[0]; cx <= hi[0]; cx++) {
        for (let cy = lo[1]; cy <= hi[1]; cy++) {
          for (let cz = lo[2]; cz <= hi[2]; cz++) {
            const key = `${cx},${cy},${cz}`;
            const list = grid.get(key);
            if (!list) {
              grid.set(key, [i]);
              continue;
            }
            for (const j of list) {
              if (live[j].party === u.party || seen.has(j * live.length + i)) continue;
              seen.add(j * live.length + i);
              out.push([j, i]);
            }
            list.push(i);
          }
        }
      }
    }
    return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  }
}
