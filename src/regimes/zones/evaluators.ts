/**
 * The frontier-zones evaluator. The zones, ceilings and deadlines are those of the adopted
 * agreements that set `zones` terms (read through `ctx.agreement` / `ctx.terms`): for each list
 * of parties an agreement names, the agreements that in turn bound them are read back from now,
 * and each judges the entries of its span — declarations, movement notices, observer reports,
 * restrictions, access requests and the Vienna Document activity notifications of its parties.
 *
 * Which zone an observed position falls in is computed here, from the agreement's GeoJSON
 * (geometry.ts): so the regime keeps every zone-related entry in one group (`zones`), together
 * with the stubs this node holds — the entries it cannot read, which stop it from asserting an
 * absence (ZONES §record).
 */
import { compareHeld, count, deadline, formatDuration, isoTime, parseTime } from '../engine.js';
import { PROPOSAL } from '../agreement/book.js';
import type { GroupContext, HeldEntry, PartyCode, RuleRow } from '../types.js';
import { CATEGORIES, CATEGORY_NAMES, ZONES, type Category, type Counts, type ResolvedZone, type ResolvedZonesTerms } from './rules.js';
import { ACCESS_REPLY, ACCESS_REQUEST, DECLARATION, MOVEMENT, REPORT, RESTRICTION, type AccessReply, type AccessRequest, type Declaration, type Movement, type Report, type Restriction } from './schemas.js';
import type { Area } from './geometry.js';

export const VD_NOTIFICATION = 'vd.activity.notification';

/** Agreements in turn governing one list of parties read at most. */
const MAX_AGREEMENTS = 50;
/** Declaration periods evaluated at most per agreement: 50 years of monthly declarations. */
const MAX_PERIODS = 600;
const DAY = 86_400_000;

/** The Vienna Document's force figures, by the category they are compared with. */
const VD_FIGURES: readonly [string, Category][] = [
  ['troops', 'troops'],
  ['battleTanks', 'battleTanks'],
  ['armouredCombatVehicles', 'armouredCombatVehicles'],
  ['artilleryPieces', 'artillery'],
];

interface Span {
  readonly agreement: HeldEntry;
  readonly parties: readonly PartyCode[];
  readonly from: number;
  readonly until: number;
  readonly terms: ResolvedZonesTerms;
}

/** The group's members sorted by kind; each list in record order. */
interface Kinds {
  declarations: HeldEntry[];
  movements: HeldEntry[];
  reports: HeldEntry[];
  restrictions: HeldEntry[];
  requests: HeldEntry[];
  notifications: HeldEntry[];
  /** Entries held as stubs, by author. */
  stubs: Map<PartyCode, HeldEntry[]>;
  /** Declarations by author and zone: [entry, asOf, counts], in record order. */
  declared: Map<string, { h: HeldEntry; asOf: number; counts: Counts }[]>;
  /** Movement notices by author and zone. */
  moving: Map<string, { h: HeldEntry; enters: number; counts: Counts }[]>;
}

const pairKey = (party: string, zone: string): string => `${party}\u0000${zone}`;

function sortKinds(members: readonly HeldEntry[]): Kinds {
  const k: Kinds = { declarations: [], movements: [], reports: [], restrictions: [], requests: [], notifications: [], stubs: new Map(), declared: new Map(), moving: new Map() };
  for (const h of members) {
    if (h.type === undefined) {
      const list = k.stubs.get(h.author);
      if (list) list.push(h);
      else k.stubs.set(h.author, [h]);
      continue;
    }
    if (!h.body) continue;
    if (h.type === DECLARATION) {
      k.declarations.push(h);
      const b = h.body as unknown as Declaration;
      const asOf = parseTime(b.asOf);
      if (asOf === undefined) continue;
      for (const holding of b.holdings) {
        const key = pairKey(h.author, holding.zone);
        const list = k.declared.get(key) ?? [];
        list.push({ h, asOf, counts: holding.counts });
        k.declared.set(key, list);
      }
    } else if (h.type === MOVEMENT) {
      k.movements.push(h);
      const b = h.body as unknown as Movement;
      const enters = parseTime(b.enters);
      if (enters === undefined) continue;
      const key = pairKey(h.author, b.zone);
      const list = k.moving.get(key) ?? [];
      list.push({ h, enters, counts: b.counts });
      k.moving.set(key, list);
    } else if (h.type === REPORT) k.reports.push(h);
    else if (h.type === RESTRICTION) k.restrictions.push(h);
    else if (h.type === ACCESS_REQUEST) k.requests.push(h);
    else if (h.type === VD_NOTIFICATION) k.notifications.push(h);
  }
  return k;
}

/** The zones terms' party lists: one per proposal that sets them, sorted. */
function partyLists(members: readonly HeldEntry[]): string[][] {
  const lists = new Map<string, string[]>();
  for (const h of members) {
    if (h.type !== PROPOSAL || !h.body) continue;
    const terms = h.body.terms as Record<string, unknown> | undefined;
    if (!terms || terms.zones === undefined || !Array.isArray(h.body.parties)) continue;
    const list = [...(h.body.parties as string[])].sort();
    lists.set(list.join(','), list);
  }
  return [...lists.values()];
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((p, i) => p === b[i]);

/** The agreements that bound exactly `list`, each with the span it governed. */
function spansOf(list: readonly string[], ctx: GroupContext): Span[] {
  const spans: Span[] = [];
  let until = Infinity;
  let t = Infinity;
  for (let n = 0; n < MAX_AGREEMENTS; n++) {
    const a = ctx.agreement(list, t);
    if (!a) break;
    const agreement = ctx.get(a.id);
    const named = agreement?.body && Array.isArray(agreement.body.parties) ? [...(agreement.body.parties as string[])].sort() : [];
    if (agreement && sameList(named, list) && ctx.reached(a.inForce)) {
      spans.push({ agreement, parties: list, from: a.inForce, until, terms: ctx.terms<ResolvedZonesTerms>(list, a.inForce) });
    }
    until = a.inForce;
    t = a.inForce - 1;
  }
  return spans.reverse();
}

/** ZONES, all rules: the obligations and findings of every agreement's span. */
export function evaluateZones(ctx: GroupContext): void {
  const members = ctx.members();
  const lists = partyLists(members);
  if (!lists.length) return;
  const kinds = sortKinds(members);
  for (const list of lists) for (const span of spansOf(list, ctx)) judge(span, kinds, ctx);
}

const within = (span: Span, t: number): boolean => t >= span.from && t < span.until;
const citation = (rule: RuleRow, span: Span, zone?: string): string => rule.citation.replace(/\)$/, `, ${span.agreement.id.slice(0, 12)}${zone === undefined ? '' : `, zone ${zone}`})`);
const inRecord = (list: readonly (HeldEntry | undefined)[]): HeldEntry[] => [...new Set(list.filter((h): h is HeldEntry => h !== undefined))].sort(compareHeld);
const zoneName = (z: ResolvedZone): string => (z.name === z.id ? `zone ${z.id}` : `zone ${z.id} (${z.name})`);

/** The categories in which `a` exceeds `limit`, as "12,000 troops (ceiling 10,000)". */
function over(a: Counts, limit: Counts, word: string): { cats: Category[]; text: string } {
  const cats = CATEGORIES.filter((c) => limit[c] !== undefined && (a[c] ?? 0) > limit[c]!);
  return { cats, text: cats.map((c) => `${count(a[c] ?? 0)} ${CATEGORY_NAMES[c]} (${word} ${count(limit[c]!)})`).join(', ') };
}

function add(a: Counts, b: Counts): Counts {
  const out: Counts = { ...a };
  for (const c of CATEGORIES) if (b[c] !== undefined) out[c] = (out[c] ?? 0) + b[c]!;
  return out;
}

/** The stubs of `party` said in (after, upTo]: entries this node cannot read. */
function hidden(kinds: Kinds, party: PartyCode, after: number, upTo: number): HeldEntry[] {
  return (kinds.stubs.get(party) ?? []).filter((h) => h.t > after && h.t <= upTo);
}

function unseen(ctx: GroupContext, span: Span, zone: string | undefined, party: PartyCode, stubs: readonly HeldEntry[], what: string, at: number, key: string): void {
  ctx.finding({
    rule: ZONES.unseen,
    citation: citation(ZONES.unseen, span, zone),
    severity: 'info',
    parties: [party],
    explanation: `this node holds only stubs of ${stubs.length} of ${party}'s entries (${isoTime(stubs[0].t)} to ${isoTime(stubs[stubs.length - 1].t)}): it cannot tell ${what}, and claims nothing`,
    evidence: inRecord([span.agreement, ...stubs.slice(0, 20)]),
    at,
    key,
  });
}

/** The latest declaration of `party` for `zone` with asOf ≤ `asOf`, said at or before `said`. */
function declarationAsOf(kinds: Kinds, party: PartyCode, zone: string, asOf: number, said: number) {
  let best: { h: HeldEntry; asOf: number; counts: Counts } | undefined;
  for (const d of kinds.declared.get(pairKey(party, zone)) ?? []) {
    if (d.asOf > asOf || d.h.t > said) continue;
    if (!best || d.asOf > best.asOf || (d.asOf === best.asOf && compareHeld(d.h, best.h) > 0)) best = d;
  }
  return best;
}

function judge(span: Span, kinds: Kinds, ctx: GroupContext): void {
  const zones = new Map(span.terms.zones.map((z) => [z.id, z]));
  const parties = new Set(span.parties);
  ceilings(span, zones, kinds, parties, ctx);
  declarations(span, kinds, ctx);
  movements(span, zones, kinds, parties, ctx);
  reports(span, zones, kinds, parties, ctx);
  restrictions(span, zones, kinds, ctx);
  requests(span, kinds, parties, ctx);
  activities(span, zones, kinds, parties, ctx);
}

/** ZONES §ceiling: each declared holding against the declaring party's ceiling in that zone. */
function ceilings(span: Span, zones: Map<string, ResolvedZone>, kinds: Kinds, parties: Set<string>, ctx: GroupContext): void {
  for (const d of kinds.declarations) {
    const b = d.body as unknown as Declaration;
    const asOf = parseTime(b.asOf);
    if (asOf === undefined || !within(span, asOf) || !parties.has(d.author)) continue;
    for (const holding of b.holdings) {
      const z = zones.get(holding.zone);
      const limit = z?.ceilings[d.author];
      if (!z || !limit) continue;
      const o = over(holding.counts, limit, 'ceiling');
      if (!o.cats.length) continue;
      ctx.finding({
        rule: ZONES.ceiling,
        citation: citation(ZONES.ceiling, span, z.id),
        severity: 'violation',
        parties: [d.author, ...span.parties],
        explanation: `${d.author} declared ${o.text} in ${zoneName(z)} as of ${b.asOf}: over its agreed ceiling, on its own declaration`,
        evidence: inRecord([span.agreement, d]),
        at: d.t,
        key: `${span.agreement.id}|${z.id}`,
      });
    }
  }
}

/** The declaration periods of a span: [start, end), due at start + withinDays. */
function* periods(span: Span): Generator<{ k: number; start: number; end: number; due: number }> {
  const cadence = span.terms.declarations!;
  let start = span.from;
  for (let k = 1; k <= MAX_PERIODS && start < span.until; k++) {
    let end: number;
    if (cadence.every === 'month') {
      const d = new Date(start);
      end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    } else end = span.from + k * cadence.every * DAY;
    yield { k, start, end: Math.min(end, span.until), due: start + cadence.withinDays * DAY };
    start = end;
  }
}

/** ZONES §declaration: each party with a ceiling in a zone declares its holdings there in every period. */
function declarations(span: Span, kinds: Kinds, ctx: GroupContext): void {
  if (!span.terms.declarations) return;
  const owed: [PartyCode, ResolvedZone][] = [];
  for (const z of span.terms.zones) for (const p of Object.keys(z.ceilings).sort()) if (span.parties.includes(p)) owed.push([p, z]);
  if (!owed.length) return;
  const every = span.terms.declarations.every === 'month' ? 'every month' : `every ${span.terms.declarations.every} d`;
  const window = formatDuration(span.terms.declarations.withinDays * DAY);
  for (const { k, start, end, due } of periods(span)) {
    if (!ctx.reached(start)) return;
    const said = new Set<PartyCode>();
    for (const [party, z] of owed) {
      const creditors = span.parties.filter((p) => p !== party);
      const answers = (kinds.declared.get(pairKey(party, z.id)) ?? []).filter((d) => d.asOf >= start && d.asOf < end);
      const by = answers[0];
      const onTime = by !== undefined && by.h.t <= due;
      if (!onTime && ctx.reached(due + 1)) {
        const stubs = hidden(kinds, party, start - 1, due);
        if (stubs.length) {
          if (!said.has(party)) unseen(ctx, span, undefined, party, stubs, `whether ${party} declared its holdings for ${isoTime(start)} to ${isoTime(end)} in time`, due + 1, `${span.agreement.id}|${party}#${k}`);
          said.add(party);
          continue;
        }
      }
      deadline(ctx, {
        rule: ZONES.declaration,
        citation: citation(ZONES.declaration, span, z.id),
        debtor: party,
        creditors: creditors.length ? creditors : [party],
        what: `declare holdings in ${zoneName(z)} ${every}: period ${k}, ${isoTime(start)} to ${isoTime(end)}, within ${window}`,
        due,
        evidence: [span.agreement],
        anchor: [span.agreement.id, `${z.id}#${k}`],
        key: party,
        answer: by ? { by: by.h, at: by.h.t } : undefined,
        late: (d) => `${party} declared its holdings in ${zoneName(z)} for period ${k} (${isoTime(start)} to ${isoTime(end)}) ${formatDuration(d)} late`,
        missed: `${party} did not declare its holdings in ${zoneName(z)} for period ${k} (${isoTime(start)} to ${isoTime(end)}), due ${isoTime(due)}`,
      });
    }
  }
}

/** ZONES §movement: notices given the agreed days ahead; the projected holdings against the ceiling. */
function movements(span: Span, zones: Map<string, ResolvedZone>, kinds: Kinds, parties: Set<string>, ctx: GroupContext): void {
  for (const m of kinds.movements) {
    const b = m.body as unknown as Movement;
    const z = zones.get(b.zone);
    const enters = parseTime(b.enters);
    if (!z || enters === undefined || !within(span, enters) || !parties.has(m.author)) continue;
    const lead = enters - m.t;
    if (span.terms.movementNoticeMs > 0 && lead < span.terms.movementNoticeMs) {
      ctx.finding({
        rule: ZONES.movement,
        citation: citation(ZONES.movement, span, z.id),
        severity: 'violation',
        parties: [m.author, ...span.parties],
        explanation: `${m.author} announced forces entering ${zoneName(z)} on ${b.enters} ${lead > 0 ? `${formatDuration(lead)} ahead` : `${formatDuration(-lead)} after they entered`}: the agreed notice is ${span.terms.movementNoticeDays} d`,
        evidence: inRecord([span.agreement, m]),
        at: m.t,
        key: `${span.agreement.id}|${z.id}|notice`,
      });
    }
    const limit = z.ceilings[m.author];
    if (!limit) continue;
    const base = declarationAsOf(kinds, m.author, z.id, enters, m.t);
    const others = (kinds.moving.get(pairKey(m.author, z.id)) ?? []).filter((n) => n.h.t <= m.t && n.enters <= enters && n.enters > (base?.asOf ?? span.from - 1));
    const projected = others.reduce((sum, n) => add(sum, n.counts), base?.counts ?? {});
    const o = over(projected, limit, 'ceiling');
    if (!o.cats.length) continue;
    ctx.finding({
      rule: ZONES.movement,
      citation: citation(ZONES.movement, span, z.id),
      severity: 'warning',
      parties: [m.author, ...span.parties],
      explanation: `${m.author}'s holdings in ${zoneName(z)} once the forces it announced enter on ${b.enters}: ${o.text} — ${base ? `its declaration as of ${isoTime(base.asOf)}` : 'nothing declared'} plus ${others.length} movement notice${others.length === 1 ? '' : 's'}, over its ceiling`,
      evidence: inRecord([span.agreement, base?.h, ...others.map((n) => n.h)]),
      at: m.t,
      key: `${span.agreement.id}|${z.id}|projected`,
    });
  }
}

/** ZONES §observation: counts in a zone against the observed party's declaration and notices. */
function reports(span: Span, zones: Map<string, ResolvedZone>, kinds: Kinds, parties: Set<string>, ctx: GroupContext): void {
  for (const r of kinds.reports) {
    const b = r.body as unknown as Report;
    const at = parseTime(b.at);
    const party = b.observedParty;
    if (at === undefined || !within(span, at) || !parties.has(party)) continue;
    for (const id of span.terms.index.zonesAt(b.position[0], b.position[1])) {
      const z = zones.get(id)!;
      const cite = citation(ZONES.counted, span, z.id);
      const decl = declarationAsOf(kinds, party, z.id, at, r.t);
      const declared = decl?.counts ?? {};
      const counted = CATEGORIES.filter((c) => b.counts[c] !== undefined);
      const overDeclared = counted.filter((c) => b.counts[c]! > (declared[c] ?? 0));
      if (!overDeclared.length) continue;
      const place = b.place ? `at ${b.place} ` : '';
      const stubs = hidden(kinds, party, decl?.h.t ?? span.from - 1, r.t);
      if (stubs.length) {
        unseen(ctx, span, z.id, party, stubs, `what ${party} declared or notified for ${zoneName(z)} before ${r.author}'s count of ${b.at}`, r.t, `${span.agreement.id}|${z.id}|${r.id}`);
        continue;
      }
      const notices = (kinds.moving.get(pairKey(party, z.id)) ?? []).filter((n) => n.h.t <= r.t && n.enters <= at && n.enters > (decl?.asOf ?? span.from - 1));
      const expected = notices.reduce((sum, n) => add(sum, n.counts), declared);
      const beyond = counted.filter((c) => b.counts[c]! > (expected[c] ?? 0));
      const against = `${decl ? `declared as of ${isoTime(decl.asOf)}` : 'declared (no declaration)'}${notices.length ? ` and ${notices.length} notified entering since` : ''}`;
      if (beyond.length) {
        ctx.finding({
          rule: ZONES.counted,
          citation: cite,
          severity: 'warning',
          parties: [party, r.author, ...span.parties],
          explanation: `on ${r.author}'s count, ${party} had ${beyond.map((c) => `${count(b.counts[c]!)} ${CATEGORY_NAMES[c]} (against ${count(expected[c] ?? 0)})`).join(', ')} in ${zoneName(z)} ${place}on ${b.at}: more than ${against}`,
          evidence: inRecord([span.agreement, decl?.h, ...notices.map((n) => n.h), r]),
          at: r.t,
          key: `${span.agreement.id}|${z.id}|counted`,
        });
      }
      if (span.terms.movementNoticeMs > 0 && notices.length === 0) {
        ctx.finding({
          rule: ZONES.counted,
          citation: cite,
          severity: 'violation',
          parties: [party, r.author, ...span.parties],
          explanation: `on ${r.author}'s count, forces of ${party} beyond its declaration were in ${zoneName(z)} ${place}on ${b.at} (${overDeclared.map((c) => `${count(b.counts[c]! - (declared[c] ?? 0))} ${CATEGORY_NAMES[c]} more`).join(', ')}) with no movement notice`,
          evidence: inRecord([span.agreement, decl?.h, r]),
          at: r.t,
          key: `${span.agreement.id}|${z.id}|unannounced`,
        });
      }
    }
  }
}

/** ZONES §access: a restriction reported at a position in a zone. */
function restrictions(span: Span, zones: Map<string, ResolvedZone>, kinds: Kinds, ctx: GroupContext): void {
  for (const x of kinds.restrictions) {
    const b = x.body as unknown as Restriction;
    const at = parseTime(b.at);
    if (at === undefined || !within(span, at) || !span.parties.includes(b.deniedBy)) continue;
    for (const id of span.terms.index.zonesAt(b.position[0], b.position[1])) {
      const z = zones.get(id)!;
      ctx.finding({
        rule: ZONES.access,
        citation: citation(ZONES.access, span, z.id),
        severity: 'violation',
        parties: [b.deniedBy, x.author, ...span.parties],
        explanation: `on ${x.author}'s report, ${b.deniedBy} denied its observers access ${b.place ? `at ${b.place} ` : ''}in ${zoneName(z)} on ${b.at}${b.reason ? `; reason given: ${b.reason}` : '; no reason given'}`,
        evidence: inRecord([span.agreement, x]),
        at: x.t,
        key: `${span.agreement.id}|${z.id}|restriction`,
      });
    }
  }
}

/** ZONES §access: an access request to a party, for a place in a zone, answered within the agreed hours and not refused. */
function requests(span: Span, kinds: Kinds, parties: Set<string>, ctx: GroupContext): void {
  if (!(span.terms.accessReplyMs > 0)) return;
  for (const q of kinds.requests) {
    const b = q.body as unknown as AccessRequest;
    if (!within(span, q.t) || !parties.has(b.of)) continue;
    const [zone] = span.terms.index.zonesAt(b.position[0], b.position[1]);
    if (zone === undefined) continue;
    const due = q.t + span.terms.accessReplyMs;
    const replies = ctx.referrers(q.id).filter((h) => h.type === ACCESS_REPLY && h.author === b.of && h.body && (h.body as unknown as AccessReply).request === q.id);
    const by = replies[0];
    const cite = citation(ZONES.access, span, zone);
    if (!by && ctx.reached(due + 1)) {
      const stubs = hidden(kinds, b.of, q.t, due);
      if (stubs.length) {
        unseen(ctx, span, zone, b.of, stubs, `whether ${b.of} answered ${q.author}'s access request of ${isoTime(q.t)}`, due + 1, `${span.agreement.id}|${q.id}`);
        continue;
      }
    }
    const place = b.place ? ` to ${b.place}` : '';
    deadline(ctx, {
      rule: ZONES.access,
      citation: cite,
      debtor: b.of,
      creditors: [q.author],
      what: `answer ${q.author}'s access request${place} (zone ${zone}) within ${span.terms.accessReplyHours} h`,
      due,
      evidence: [q],
      key: span.agreement.id,
      answer: by ? { by, at: by.t } : undefined,
      late: (d) => `${b.of} answered ${q.author}'s access request${place} ${formatDuration(d)} after the agreed ${span.terms.accessReplyHours} h`,
      missed: `${b.of} did not answer ${q.author}'s access request${place} (zone ${zone}) within the agreed ${span.terms.accessReplyHours} h`,
    });
    if (by && ctx.reached(by.t) && (by.body as unknown as AccessReply).granted === false) {
      const reason = (by.body as unknown as AccessReply).reason;
      ctx.finding({
        rule: ZONES.access,
        citation: cite,
        severity: 'violation',
        parties: [b.of, q.author],
        explanation: `${b.of} refused ${q.author}'s observers access${place} in zone ${zone}${reason ? `; reason given: ${reason}` : '; no reason given'}`,
        evidence: inRecord([q, by]),
        at: by.t,
        key: `${span.agreement.id}|refused`,
      });
    }
  }
}

/** ZONES §activity: a notified activity whose area meets a zone, above the zone's activity limit. */
function activities(span: Span, zones: Map<string, ResolvedZone>, kinds: Kinds, parties: Set<string>, ctx: GroupContext): void {
  const limited = span.terms.zones.some((z) => Object.keys(z.activityLimit).length > 0);
  if (!limited) return;
  for (const n of kinds.notifications) {
    if (!within(span, n.t) || !parties.has(n.author)) continue;
    const b = n.body as Record<string, unknown>;
    const area = b.area as Area | undefined;
    if (!area) continue;
    const figures: Counts = {};
    for (const [field, c] of VD_FIGURES) if (typeof b[field] === 'number') figures[c] = b[field] as number;
    for (const id of span.terms.index.zonesMeeting(area)) {
      const z = zones.get(id)!;
      const o = over(figures, z.activityLimit, 'limit');
      if (!o.cats.length) continue;
      const name = typeof b.designation === 'string' ? `"${b.designation}"` : `the activity of ${String(b.start)}`;
      ctx.finding({
        rule: ZONES.activity,
        citation: citation(ZONES.activity, span, z.id),
        severity: 'violation',
        parties: [n.author, ...span.parties],
        explanation: `${n.author} notified ${name} (${String(b.start)} to ${String(b.end)}) in an area meeting ${zoneName(z)}: ${o.text}, above the zone's agreed activity limit`,
        evidence: inRecord([span.agreement, n]),
        at: n.t,
        key: `${span.agreement.id}|${z.id}|activity`,
      });
    }
  }
}
