/**
 * The frontier-zones evaluator. The zones, ceilings and deadlines are those of the adopted
 * agreements that set `zones` terms (read through `ctx.agreement` / `ctx.terms`): for each list
 * of parties an agreement names, the agreements that in turn bound them are read back from now,
 * and each judges the entries of its span — declarations, movement notices, observer reports,
 * restrictions, access requests and the Vienna Document activity notifications of its parties.
 *
 * Which zone an observed position falls in is computed here, from the agreement's GeoJSON
 * (geometry.ts): so the regime keeps every zone-related entry in one group (`zones`).
 *
 * What a node cannot see (ZONES §record). A finding of absence — a declaration missing, a count
 * over what was declared, forces with no notice, a request unanswered — is made only from
 * entries every node that holds the obligation also holds: a declaration or movement notice
 * counts when it reaches every addressee of the agreement (addressed to "*" when the agreement
 * is), an access reply when it reaches every addressee of the request. A node that holds only the
 * stub of one addressed to fewer — it was not among them — knows that it does not count, and
 * finds exactly what a node holding its content finds; only the addressees, who can read it,
 * are told (information) that it does not count, and see what its content shows (a declared
 * figure over a ceiling is the party's own word to them).
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
  /** Declarations by author and zone: [entry, asOf, counts], in record order. */
  declared: Map<string, { h: HeldEntry; asOf: number; counts: Counts }[]>;
  /** Movement notices by author and zone. */
  moving: Map<string, { h: HeldEntry; enters: number; counts: Counts }[]>;
}

const pairKey = (party: string, zone: string): string => `${party}\u0000${zone}`;

function sortKinds(members: readonly HeldEntry[]): Kinds {
  const k: Kinds = { declarations: [], movements: [], reports: [], restrictions: [], requests: [], notifications: [], declared: new Map(), moving: new Map() };
  for (const h of members) {
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

/**
 * ZONES, the rules on what observers see (§observation, §access, §activity): group `zones`, every
 * zone-related entry, since which zone a position is in depends on the agreement in force.
 */
export function evaluateZones(ctx: GroupContext): void {
  evaluateWith(ctx, (span, kinds) => {
    const zones = new Map(span.terms.zones.map((z) => [z.id, z]));
    const parties = new Set(span.parties);
    reports(span, zones, kinds, parties, ctx);
    restrictions(span, zones, kinds, ctx);
    requests(span, kinds, parties, ctx);
    activities(span, zones, kinds, parties, ctx);
  });
}

/**
 * ZONES, the rules on one party's own word (§ceiling, §declaration, §movement): group
 * `party:P`, the agreements naming P and P's declarations and notices — so that a count or a
 * request added to the record does not judge every party's declarations again.
 */
export function evaluateParty(party: PartyCode, ctx: GroupContext): void {
  evaluateWith(ctx, (span, kinds) => {
    const zones = new Map(span.terms.zones.map((z) => [z.id, z]));
    const parties = new Set(span.parties);
    ceilings(span, zones, kinds, parties, ctx);
    declarations(span, kinds, ctx, party);
    movements(span, zones, kinds, parties, ctx);
  });
}

function evaluateWith(ctx: GroupContext, judge: (span: Span, kinds: Kinds) => void): void {
  const members = ctx.members();
  const lists = partyLists(members);
  if (!lists.length) return;
  const kinds = sortKinds(members);
  for (const list of lists) for (const span of spansOf(list, ctx)) judge(span, kinds);
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

/**
 * Whether `answer` reaches every party `origin` reached: addressed to "*", or (origin not to "*")
 * to each of origin's addressees and its author. Then every node that holds `origin` with its
 * content holds `answer` with its content too.
 */
export function reaches(answer: HeldEntry, origin: HeldEntry): boolean {
  if (answer.to.includes('*')) return true;
  if (origin.to.includes('*')) return false;
  const to = new Set([...answer.to, answer.author]);
  return [...origin.to, origin.author].every((p) => to.has(p));
}

/** ZONES §record: an entry this node can read that does not count, because it was not addressed to all the parties that judge it. */
function notCounted(ctx: GroupContext, span: Span, h: HeldEntry, what: string, zone?: string): void {
  ctx.finding({
    rule: ZONES.record,
    citation: citation(ZONES.record, span, zone),
    severity: 'info',
    parties: [h.author],
    explanation: `${h.author}'s ${what} was addressed to ${h.to.join(', ')} only: it does not count, since the other parties that judge it cannot read it`,
    evidence: inRecord([span.agreement, h]),
    at: h.t,
    key: `${span.agreement.id}|${h.id}|record`,
  });
}

/** The latest counting declaration of `party` for `zone` with asOf ≤ `asOf`, said at or before `said`. */
function declarationAsOf(kinds: Kinds, span: Span, party: PartyCode, zone: string, asOf: number, said: number) {
  let best: { h: HeldEntry; asOf: number; counts: Counts } | undefined;
  for (const d of kinds.declared.get(pairKey(party, zone)) ?? []) {
    if (d.asOf > asOf || d.h.t > said || !reaches(d.h, span.agreement)) continue;
    if (!best || d.asOf > best.asOf || (d.asOf === best.asOf && compareHeld(d.h, best.h) > 0)) best = d;
  }
  return best;
}

/** ZONES §ceiling: each declared holding against the declaring party's ceiling in that zone. */
function ceilings(span: Span, zones: Map<string, ResolvedZone>, kinds: Kinds, parties: Set<string>, ctx: GroupContext): void {
  for (const d of kinds.declarations) {
    const b = d.body as unknown as Declaration;
    const asOf = parseTime(b.asOf);
    if (asOf === undefined || !within(span, asOf) || !parties.has(d.author)) continue;
    if (!reaches(d, span.agreement)) notCounted(ctx, span, d, `declaration as of ${b.asOf}`);
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
function declarations(span: Span, kinds: Kinds, ctx: GroupContext, only: PartyCode): void {
  if (!span.terms.declarations) return;
  // What does not change from one period to the next, once per party and zone.
  const owed: { party: PartyCode; z: ResolvedZone; name: string; cite: string; creditors: PartyCode[]; declared: { h: HeldEntry; asOf: number }[] }[] = [];
  for (const z of span.terms.zones) {
    for (const party of Object.keys(z.ceilings).sort()) {
      if (party !== only || !span.parties.includes(party)) continue;
      const creditors = span.parties.filter((p) => p !== party);
      const declared = (kinds.declared.get(pairKey(party, z.id)) ?? []).filter((d) => reaches(d.h, span.agreement));
      owed.push({ party, z, name: zoneName(z), cite: citation(ZONES.declaration, span, z.id), creditors: creditors.length ? creditors : [party], declared });
    }
  }
  if (!owed.length) return;
  const every = span.terms.declarations.every === 'month' ? 'every month' : `every ${span.terms.declarations.every} d`;
  const window = formatDuration(span.terms.declarations.withinDays * DAY);
  for (const { k, start, end, due } of periods(span)) {
    if (!ctx.reached(start)) return;
    const period = `${isoTime(start)} to ${isoTime(end)}`;
    const dueText = isoTime(due);
    for (const { party, z, name, cite, creditors, declared } of owed) {
      const by = declared.find((d) => d.asOf >= start && d.asOf < end);
      deadline(ctx, {
        rule: ZONES.declaration,
        citation: cite,
        debtor: party,
        creditors,
        what: `declare holdings in ${name} ${every}: period ${k}, ${period}, within ${window}`,
        due,
        evidence: [span.agreement],
        anchor: [span.agreement.id, `${z.id}#${k}`],
        key: party,
        answer: by ? { by: by.h, at: by.h.t } : undefined,
        late: (d) => `${party} declared its holdings in ${name} for period ${k} (${period}) ${formatDuration(d)} late`,
        missed: `${party} did not declare its holdings in ${name} for period ${k} (${period}), due ${dueText}`,
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
    if (!reaches(m, span.agreement)) {
      notCounted(ctx, span, m, `movement notice for ${b.enters}`, z.id);
      continue;
    }
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
    const base = declarationAsOf(kinds, span, m.author, z.id, enters, m.t);
    const others = (kinds.moving.get(pairKey(m.author, z.id)) ?? []).filter((n) => n.h.t <= m.t && n.enters <= enters && n.enters > (base?.asOf ?? span.from - 1) && reaches(n.h, span.agreement));
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
      const decl = declarationAsOf(kinds, span, party, z.id, at, r.t);
      const declared = decl?.counts ?? {};
      const counted = CATEGORIES.filter((c) => b.counts[c] !== undefined);
      const overDeclared = counted.filter((c) => b.counts[c]! > (declared[c] ?? 0));
      if (!overDeclared.length) continue;
      const place = b.place ? `(${b.place}) ` : '';
      const notices = (kinds.moving.get(pairKey(party, z.id)) ?? []).filter((n) => n.h.t <= r.t && n.enters <= at && n.enters > (decl?.asOf ?? span.from - 1) && reaches(n.h, span.agreement));
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
        explanation: `on ${x.author}'s report, ${b.deniedBy} denied its observers access ${b.place ? `(${b.place}) ` : ''}in ${zoneName(z)} on ${b.at}${b.reason ? `; reason given: ${b.reason}` : '; no reason given'}`,
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
    for (const h of replies) if (!reaches(h, q)) notCounted(ctx, span, h, `reply to ${q.author}'s access request of ${isoTime(q.t)}`, zone);
    const by = replies.find((h) => reaches(h, q));
    const cite = citation(ZONES.access, span, zone);
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
