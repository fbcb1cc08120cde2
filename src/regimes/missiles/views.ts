/**
 * What `parley missiles sites|visits` and GET /api/v1/missiles… show: the commitment in force
 * between each pair of parties, side by side; each party's declared sites as they stand; each
 * visit from request to the host's answer to the report, with its deadlines; quota use per side.
 * Pure functions of the entries a node holds and an instant, sorted: byte-identical at every
 * party holding the same entries.
 */
import { AgreementBook } from '../agreement/index.js';
import { compareHeld, holdEntry, isoTime, parseTime, unreached, utcYear } from '../engine.js';
import type { EntryId, HeldEntry, PartyCode, RecordEntry } from '../types.js';
import { countryName, distanceToTerritoryKm } from './geo.js';
import { MISSILES_TERMS, coveringClasses, type AreaTerms, type ResolvedMissilesTerms, type SystemClass } from './rules.js';
import { COUNTERSIGN, DISPUTE, REPLY, REPORT, REQUEST, SITE, type DeclaredSystem, type ReportAnswer, type SiteDeclaration, type VisitReply, type VisitReport, type VisitRequest } from './schemas.js';

export interface SideFigures {
  party: PartyCode;
  visitsPerYear: number;
  noticeHours: number;
  replyHours: number;
  visitHours: number;
  reportHours: number;
  acknowledgeHours: number;
  /** The party's territory as the range check reads it: Natural Earth ids and names. */
  territory: { id: string; name: string }[];
}

export interface CommitmentView {
  /** The agreement proposal's entry id. */
  agreement: EntryId;
  title: string;
  parties: PartyCode[];
  inForce: string;
  classes: SystemClass[];
  area: { kind: 'reach' } | { kind: 'named'; name: string };
  /** The figures of each side, as the visiting party, in party order. */
  sides: SideFigures[];
}

export interface SiteSystem extends DeclaredSystem {
  /** The classes of the commitment that cover it, where it is declared present. */
  covered: string[];
}

export interface SiteView {
  site: string;
  name: string;
  position: [number, number];
  country?: string;
  launchers: { type: string; count: number }[];
  systems: SiteSystem[];
  /** The declaration in force: its entry id and time; how many declarations of the site there are. */
  declaration: EntryId;
  declared: string;
  declarations: number;
  /** Km to each other party's territory (whole km), where the commitment binds them and the boundaries hold it. */
  distances: { party: PartyCode; km: number }[];
}

export interface SitesReport {
  at: string;
  commitments: CommitmentView[];
  parties: { party: PartyCode; sites: SiteView[] }[];
}

export type ReportState = 'unacknowledged' | 'countersigned' | 'disputed';

export interface VisitView {
  request: EntryId;
  visitor: PartyCode;
  host: PartyCode;
  site: string;
  siteName: string;
  declaration: EntryId;
  requested: string;
  arrival: string;
  /** The request's place among the visitor's requests to the host in its calendar year, and the quota then. */
  quota: { year: number; n: number; of: number; within: boolean; notice: boolean };
  replyDue: string;
  reply: null | { id: EntryId; at: string; late: boolean; accepted: boolean; window?: { start: string; end: string }; reason?: string };
  reportDue: string | null;
  report: null | { id: EntryId; at: string; outcome: VisitReport['outcome']; onSite?: { start: string; end: string }; checked: { item: string; result: string }[]; observations: string };
  acknowledgeDue: string | null;
  /**
   * The host's answer to the report: unacknowledged until it countersigns or disputes; both
   * signatures kept. An answer (like a reply or report) shows only when it counts: addressed to
   * every party holding what it answers, as the rules read it.
   */
  acknowledgement: null | { state: ReportState; id?: EntryId; at?: string; remarks?: string; reason?: string };
  stage: 'requested' | 'accepted' | 'declined' | 'reported' | 'countersigned' | 'disputed';
}

export interface QuotaUse {
  visitor: PartyCode;
  host: PartyCode;
  year: number;
  quota: number;
  requested: number;
  accepted: number;
  declined: number;
  reported: number;
}

export interface VisitsReport {
  at: string;
  /** Per visiting party, side by side: its visits, and its quota use per host and year. */
  parties: { party: PartyCode; visits: VisitView[]; quota: QuotaUse[] }[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const H = 3_600_000;

function visible(entries: Iterable<RecordEntry>, at: number): HeldEntry[] {
  const out: HeldEntry[] = [];
  for (const e of entries) {
    const h = holdEntry(e);
    if (h.t <= at) out.push(h);
  }
  return out.sort(compareHeld);
}

function bookOf(list: readonly HeldEntry[]): AgreementBook {
  const book = new AgreementBook();
  for (const h of list) if (h.body) book.add(h);
  return book;
}

const termsOf = (book: AgreementBook, parties: readonly PartyCode[], t: number) => {
  const a = book.binding('missiles', parties, t);
  return a ? { a, terms: MISSILES_TERMS.resolve(a.body.terms.missiles) } : undefined;
};

function areaView(area: AreaTerms): CommitmentView['area'] {
  return area.kind === 'named' ? { kind: 'named', name: area.name } : { kind: 'reach' };
}

/** The commitments in force at `at`: each adopted agreement setting missile terms, its figures side by side. */
function commitments(book: AgreementBook, at: number): CommitmentView[] {
  const seen = new Set<string>();
  const out: CommitmentView[] = [];
  for (const a of book.adopted('missiles')) {
    if (a.inForce > at) continue;
    const parties = [...a.parties].sort(cmp);
    // The latest adopted agreement binding exactly these parties governs them.
    if (book.binding('missiles', parties, at) !== a || seen.has(parties.join())) continue;
    seen.add(parties.join());
    const terms: ResolvedMissilesTerms = MISSILES_TERMS.resolve(a.body.terms.missiles);
    out.push({
      agreement: a.proposal.id,
      title: a.body.title,
      parties,
      inForce: isoTime(a.inForce),
      classes: terms.classes.map((c) => ({ id: c.id, title: c.title, kinds: [...c.kinds], minKm: c.minKm, maxKm: c.maxKm })),
      area: areaView(terms.area),
      sides: parties.map((party) => {
        const s = terms.side(party);
        return {
          party,
          visitsPerYear: s.visitsPerYear,
          noticeHours: s.noticeMs / H,
          replyHours: s.replyMs / H,
          visitHours: s.visitMs / H,
          reportHours: s.reportMs / H,
          acknowledgeHours: s.acknowledgeMs / H,
          territory: (terms.territory(party) ?? []).map((id) => ({ id, name: countryName(id) ?? 'not in the shipped boundaries' })),
        };
      }),
    });
  }
  return out.sort((x, y) => cmp(x.parties.join(), y.parties.join()) || cmp(x.agreement, y.agreement));
}

/** Each party's declared sites as they stand at `at` (withdrawn ones left out), with the commitments in force. */
export function missilesSites(entries: Iterable<RecordEntry>, at: number): SitesReport {
  const list = visible(entries, at);
  const book = bookOf(list);
  const current = new Map<string, { h: HeldEntry; n: number }>();
  for (const h of list) {
    if (h.type !== SITE || !h.body) continue;
    const key = `${h.author}\u0000${(h.body as unknown as SiteDeclaration).site}`;
    current.set(key, { h, n: (current.get(key)?.n ?? 0) + 1 });
  }
  const byParty = new Map<PartyCode, SiteView[]>();
  const inForce = commitments(book, at);
  for (const { h, n } of current.values()) {
    const d = h.body as unknown as SiteDeclaration;
    if (d.withdrawn) continue;
    const others = [...new Set(inForce.filter((c) => c.parties.includes(h.author)).flatMap((c) => c.parties))].filter((p) => p !== h.author).sort(cmp);
    const distances: SiteView['distances'] = [];
    const covered = new Map<string, string[]>();
    for (const other of others) {
      const t = termsOf(book, [h.author, other], at);
      if (!t) continue;
      for (const s of d.systems) if (s.present) covered.set(s.name, [...new Set([...(covered.get(s.name) ?? []), ...coveringClasses(t.terms, s.kind, s.rangeKm).map((c) => c.id)])].sort(cmp));
      const ids = t.terms.territory(other);
      const km = ids ? distanceToTerritoryKm(d.position, ids) : undefined;
      if (km !== undefined) distances.push({ party: other, km: Math.round(km) });
    }
    const view: SiteView = {
      site: d.site,
      name: d.name,
      position: [d.position[0], d.position[1]],
      ...(d.country !== undefined ? { country: d.country } : {}),
      launchers: d.launchers.map((l) => ({ type: l.type, count: l.count })),
      systems: d.systems.map((s) => ({ ...s, covered: covered.get(s.name) ?? [] })),
      declaration: h.id,
      declared: isoTime(h.t),
      declarations: n,
      distances,
    };
    byParty.set(h.author, [...(byParty.get(h.author) ?? []), view]);
  }
  return {
    at: isoTime(at),
    commitments: inForce,
    parties: [...byParty.entries()].sort(([a], [b]) => cmp(a, b)).map(([party, sites]) => ({ party, sites: sites.sort((x, y) => cmp(x.site, y.site)) })),
  };
}

/** Every visit requested by `at`, per visiting party, from request to the host's answer to the report; quota use per side. */
export function missilesVisits(entries: Iterable<RecordEntry>, at: number): VisitsReport {
  const list = visible(entries, at);
  const book = bookOf(list);
  const byId = new Map(list.map((h) => [h.id, h]));
  const about = new Map<string, HeldEntry[]>();
  for (const h of list) {
    const link = h.type === REPLY || h.type === REPORT ? h.body?.request : h.type === COUNTERSIGN || h.type === DISPUTE ? h.body?.report : undefined;
    if (typeof link === 'string') about.set(link, [...(about.get(link) ?? []), h]);
  }
  // The first answer that counts: one every party holding what it answers holds too, as the rules read it.
  const first = (judged: HeldEntry, types: string[], author: PartyCode) => (about.get(judged.id) ?? []).find((h) => types.includes(h.type!) && h.author === author && !unreached(h, judged).length);
  const counted = new Map<string, number>();
  const quota = new Map<string, QuotaUse>();
  const byVisitor = new Map<PartyCode, VisitView[]>();
  for (const r of list) {
    if (r.type !== REQUEST || !r.body) continue;
    const body = r.body as unknown as VisitRequest;
    const visitor = r.author;
    const host = body.host;
    const year = utcYear(r.t);
    const k = `${visitor}>${host}:${year}`;
    const n = (counted.get(k) ?? 0) + 1;
    counted.set(k, n);
    const t = termsOf(book, [visitor, host], r.t);
    const side = (t?.terms ?? MISSILES_TERMS.resolve(undefined)).side(visitor);
    const arrival = parseTime(body.arrival) ?? r.t;
    const decl = byId.get(body.declaration);
    const site = decl?.type === SITE ? (decl.body as unknown as SiteDeclaration) : undefined;
    const replyEntry = first(r, [REPLY], host);
    const reply = replyEntry?.body as unknown as VisitReply | undefined;
    const reportEntry = reply?.accepted ? first(r, [REPORT], visitor) : undefined;
    const report = reportEntry?.body as unknown as VisitReport | undefined;
    const answerEntry = reportEntry ? first(reportEntry, [COUNTERSIGN, DISPUTE], host) : undefined;
    const answer = answerEntry?.body as unknown as ReportAnswer | undefined;
    const state: ReportState | undefined = reportEntry ? (!answerEntry ? 'unacknowledged' : answerEntry.type === DISPUTE ? 'disputed' : 'countersigned') : undefined;
    const windowEnd = reply?.accepted ? parseTime(reply.window.end) : undefined;
    const replyDue = r.t + side.replyMs;
    const v: VisitView = {
      request: r.id,
      visitor,
      host,
      site: site?.site ?? '',
      siteName: site?.name ?? `not held here (${body.declaration.slice(0, 12)})`,
      declaration: body.declaration,
      requested: isoTime(r.t),
      arrival: isoTime(arrival),
      quota: { year, n, of: side.visitsPerYear, within: n <= side.visitsPerYear, notice: arrival - r.t >= side.noticeMs },
      replyDue: isoTime(replyDue),
      reply: replyEntry && reply
        ? reply.accepted
          ? { id: replyEntry.id, at: isoTime(replyEntry.t), late: replyEntry.t > replyDue, accepted: true, window: { start: isoTime(parseTime(reply.window.start)!), end: isoTime(windowEnd!) } }
          : { id: replyEntry.id, at: isoTime(replyEntry.t), late: replyEntry.t > replyDue, accepted: false, reason: reply.reason }
        : null,
      reportDue: windowEnd !== undefined ? isoTime(windowEnd + side.reportMs) : null,
      report: reportEntry && report
        ? { id: reportEntry.id, at: isoTime(reportEntry.t), outcome: report.outcome, ...(report.onSite ? { onSite: { start: isoTime(parseTime(report.onSite.start)!), end: isoTime(parseTime(report.onSite.end)!) } } : {}), checked: report.checked.map((c) => ({ item: c.item, result: c.result })), observations: report.observations }
        : null,
      acknowledgeDue: reportEntry ? isoTime(reportEntry.t + side.acknowledgeMs) : null,
      acknowledgement: state
        ? answerEntry && answer
          ? { state, id: answerEntry.id, at: isoTime(answerEntry.t), ...(answer.remarks !== undefined ? { remarks: answer.remarks } : {}), ...(answer.reason !== undefined ? { reason: answer.reason } : {}) }
          : { state }
        : null,
      stage: state === 'countersigned' || state === 'disputed' ? state : reportEntry ? 'reported' : reply ? (reply.accepted ? 'accepted' : 'declined') : 'requested',
    };
    byVisitor.set(visitor, [...(byVisitor.get(visitor) ?? []), v]);
    const q = quota.get(k) ?? { visitor, host, year, quota: side.visitsPerYear, requested: 0, accepted: 0, declined: 0, reported: 0 };
    q.requested++;
    if (reply?.accepted) q.accepted++;
    else if (reply) q.declined++;
    if (reportEntry) q.reported++;
    quota.set(k, q);
  }
  const parties = [...new Set([...byVisitor.keys(), ...[...quota.values()].map((q) => q.host)])].sort(cmp);
  return {
    at: isoTime(at),
    parties: parties.map((party) => ({
      party,
      visits: byVisitor.get(party) ?? [],
      quota: [...quota.values()].filter((q) => q.visitor === party).sort((a, b) => a.year - b.year || cmp(a.host, b.host)),
    })),
  };
}
