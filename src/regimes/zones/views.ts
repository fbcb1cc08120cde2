/**
 * What `parley zones list|status` prints and GET /api/v1/zones answers: the zones of the
 * agreements in force, and per zone its side, the ceilings per party, the latest declared and
 * observed figures, and the findings about it — a pure function of the entries held and the time,
 * byte-identical at every node holding the same entries.
 *
 * @example
 *   const { zones } = zonesStatus(entries, Date.parse('2022-02-14T00:00:00Z'));
 *   zones[0]; // { zone: 'rus-ukr-ru', side: 'RUS', ceilings: { RUS: { troops: 10000 } }, declared: {...}, observed: [...], findings: [...] }
 */
import { AgreementBook, type Adopted } from '../agreement/book.js';
import { compareHeld, evaluate, holdEntry, isoTime, parseTime } from '../engine.js';
import type { Finding, HeldEntry, RecordEntry, Regime } from '../types.js';
import type { Area } from './geometry.js';
import { ZONES_TERMS, type Counts, type ResolvedZonesTerms, type ZoneTerms } from './rules.js';
import { DECLARATION, MISSION, REPORT, RESTRICTION, type Declaration, type Mission, type Report, type Restriction } from './schemas.js';

export interface ZoneSummary {
  zone: string;
  name: string;
  side: string;
  /** Entry id of the agreement proposal that sets it. */
  agreement: string;
  parties: string[];
  inForce: string;
  band: NonNullable<ZoneTerms['band']> | null;
  ceilings: Record<string, Counts>;
  activityLimit: Counts;
}

export interface Declared {
  asOf: string;
  counts: Counts;
  entry: string;
}

export interface Observed {
  /** The observer: the report's author. */
  by: string;
  party: string;
  at: string;
  place: string | null;
  position: [number, number];
  counts: Counts;
  entry: string;
}

export interface ZoneStatus extends ZoneSummary {
  /** Per party, its latest declaration for the zone as of `at`. */
  declared: Record<string, Declared>;
  /** Per observer and observed party, the latest count in the zone as of `at`. */
  observed: Observed[];
  findings: Finding[];
}

export interface ZonesStatus {
  at: string;
  zones: ZoneStatus[];
  /** Findings about no single zone (a party's declarations this node cannot see). */
  findings: Finding[];
  /** Observer reports whose position is in no zone in force. */
  outside: Observed[];
}

export interface Post {
  mission: string;
  observers: string;
  name: string;
  side: string;
  position: [number, number];
}

export interface Located {
  entry: string;
  by: string;
  at: string;
  position: [number, number];
  place: string | null;
  /** The zones in force its position falls in; empty: outside every zone. */
  zones: string[];
}

export interface ZonesMap extends ZonesStatus {
  areas: Record<string, Area>;
  posts: Post[];
  /** The missions' patrol areas. */
  patrols: { mission: string; observers: string; area: Area }[];
  reports: (Located & { party: string; counts: Counts })[];
  restrictions: (Located & { deniedBy: string; reason: string | null })[];
}

interface InForce {
  adopted: Adopted;
  terms: ResolvedZonesTerms;
  raw: Record<string, unknown>;
}

const resolved = new WeakMap<object, ResolvedZonesTerms>();
function termsOf(raw: Record<string, unknown>): ResolvedZonesTerms {
  let r = resolved.get(raw);
  if (!r) resolved.set(raw, (r = ZONES_TERMS.resolve(raw)));
  return r;
}

function visible(entries: Iterable<RecordEntry>, at: number): HeldEntry[] {
  const out: HeldEntry[] = [];
  for (const e of entries) {
    const h = holdEntry(e);
    if (h.t <= at) out.push(h);
  }
  return out.sort(compareHeld);
}

/** The agreements setting zones terms in force at `at`: per list of parties, the one adopted last. */
function inForce(held: readonly HeldEntry[], at: number): InForce[] {
  const book = new AgreementBook();
  for (const h of held) book.add(h);
  const seen = new Set<string>();
  const out: InForce[] = [];
  for (const a of book.adopted('zones')) {
    if (a.inForce > at) continue;
    const list = [...a.parties].sort().join(',');
    if (seen.has(list)) continue;
    seen.add(list);
    const raw = a.body.terms.zones;
    out.push({ adopted: a, raw, terms: termsOf(raw) });
  }
  return out.sort((x, y) => compareHeld(x.adopted.proposal, y.adopted.proposal));
}

function summaries(agreements: readonly InForce[]): (ZoneSummary & { area: Area })[] {
  const out: (ZoneSummary & { area: Area })[] = [];
  for (const { adopted, terms } of agreements) {
    for (const z of terms.zones) {
      out.push({
        zone: z.id,
        name: z.name,
        side: z.side,
        agreement: adopted.proposal.id,
        parties: [...adopted.parties].sort(),
        inForce: isoTime(adopted.inForce),
        band: z.band ?? null,
        ceilings: z.ceilings,
        activityLimit: z.activityLimit,
        area: z.area,
      });
    }
  }
  return out;
}

/** The zones of the agreements in force at `at`, in record order of the agreements, then the agreement's order. */
export function zonesList(entries: Iterable<RecordEntry>, at: number): ZoneSummary[] {
  return summaries(inForce(visible(entries, at), at)).map(({ area: _area, ...z }) => z);
}

const observedOf = (h: HeldEntry): Observed => {
  const b = h.body as unknown as Report;
  return { by: h.author, party: b.observedParty, at: b.at, place: b.place ?? null, position: [b.position[0], b.position[1]], counts: b.counts, entry: h.id };
};

/**
 * Per zone in force at `at`: its side, ceilings, the latest declared and observed figures, and
 * its findings (those of `regime`, the zones module, as of `at`).
 */
export function statusOf(regime: Regime, entries: Iterable<RecordEntry>, at: number): ZonesStatus {
  return status(regime, visible(entries, at), at);
}

function status(regime: Regime, held: readonly HeldEntry[], at: number): ZonesStatus & { agreements: InForce[]; summaries: (ZoneSummary & { area: Area })[] } {
  const agreements = inForce(held, at);
  const all = summaries(agreements);
  const { findings } = evaluate([regime], held.map((h) => h.entry), at);
  const byZone = new Map<string, ZoneStatus>();
  const zones: ZoneStatus[] = all.map(({ area: _area, ...z }) => {
    const s: ZoneStatus = { ...z, declared: {}, observed: [], findings: [] };
    byZone.set(`${z.agreement.slice(0, 12)}, zone ${z.zone})`, s);
    return s;
  });
  const other: Finding[] = [];
  for (const f of findings) {
    const m = /([0-9a-f]{12}, zone [^)]+\))$/.exec(f.citation);
    const s = m ? byZone.get(m[1]) : undefined;
    if (s) s.findings.push(f);
    else other.push(f);
  }
  const outside: Observed[] = [];
  for (const h of held) {
    if (!h.body) continue;
    if (h.type === DECLARATION) {
      const b = h.body as unknown as Declaration;
      const asOf = parseTime(b.asOf);
      if (asOf === undefined || asOf > at) continue;
      for (const holding of b.holdings) {
        for (const s of zones) {
          if (s.zone !== holding.zone || !s.parties.includes(h.author)) continue;
          const prev = s.declared[h.author];
          if (!prev || Date.parse(prev.asOf) <= asOf) s.declared[h.author] = { asOf: b.asOf, counts: holding.counts, entry: h.id };
        }
      }
    } else if (h.type === REPORT) {
      const o = observedOf(h);
      let placed = false;
      for (const { adopted, terms } of agreements) {
        for (const id of terms.index.zonesAt(o.position[0], o.position[1])) {
          const s = byZone.get(`${adopted.proposal.id.slice(0, 12)}, zone ${id})`)!;
          placed = true;
          const i = s.observed.findIndex((x) => x.by === o.by && x.party === o.party);
          if (i < 0) s.observed.push(o);
          else if (Date.parse(s.observed[i].at) <= Date.parse(o.at)) s.observed[i] = o;
        }
      }
      if (!placed) outside.push(o);
    }
  }
  for (const s of zones) s.observed.sort((a, b) => (a.by < b.by ? -1 : a.by > b.by ? 1 : a.party < b.party ? -1 : a.party > b.party ? 1 : 0));
  return { at: isoTime(at), zones, findings: other, outside, agreements, summaries: all };
}

/** The status with what a map draws: each zone's area, the observers' posts, reports and restrictions with the zones they fall in. */
export function mapOf(regime: Regime, entries: Iterable<RecordEntry>, at: number): ZonesMap {
  const held = visible(entries, at);
  const { agreements, summaries: all, ...rest } = status(regime, held, at);
  const zonesAt = (p: readonly number[]): string[] => agreements.flatMap(({ terms }) => terms.index.zonesAt(p[0], p[1]));
  const areas: Record<string, Area> = {};
  for (const z of all) areas[z.zone] = z.area;
  const posts: Post[] = [];
  const patrols: ZonesMap['patrols'] = [];
  const reports: ZonesMap['reports'] = [];
  const restrictions: ZonesMap['restrictions'] = [];
  for (const h of held) {
    if (!h.body) continue;
    if (h.type === MISSION) {
      const b = h.body as unknown as Mission;
      for (const p of b.posts) posts.push({ mission: h.id, observers: b.observers, name: p.name, side: p.side, position: [p.position[0], p.position[1]] });
      for (const area of b.patrolAreas ?? []) patrols.push({ mission: h.id, observers: b.observers, area });
    } else if (h.type === REPORT) {
      const o = observedOf(h);
      reports.push({ entry: h.id, by: o.by, at: o.at, position: o.position, place: o.place, zones: zonesAt(o.position), party: o.party, counts: o.counts });
    } else if (h.type === RESTRICTION) {
      const b = h.body as unknown as Restriction;
      restrictions.push({ entry: h.id, by: h.author, at: b.at, position: [b.position[0], b.position[1]], place: b.place ?? null, zones: zonesAt(b.position), deniedBy: b.deniedBy, reason: b.reason ?? null });
    }
  }
  return { ...rest, areas, posts, patrols, reports, restrictions };
}
