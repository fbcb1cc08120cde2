/**
 * The missile regime's evaluators: the deployment check of each site declaration against the
 * agreed classes and area, and each visit from request to the host's answer to the report —
 * reply by the deadline, no decline within the quota, the visit held and reported, the report
 * countersigned or disputed, an inconsistency reported.
 *
 * What a rule reads counts only where every party judging by it holds it: a reply or report when
 * addressed to every party holding the request, a countersignature or dispute when addressed to
 * every party holding the report, an earlier request counted against the quota when addressed to
 * every party holding the later one (`unreached`). One addressed to fewer counts nowhere, and its
 * readers are told so; a node holding it as a stub was not addressed, and finds what they find.
 */
import { compareHeld, count, doesNotCount, formatDuration, isoTime, parseTime, unreached } from '../engine.js';
import type { GroupContext, HeldEntry, PartyCode, RuleRow } from '../types.js';
import { distanceToTerritoryKm } from './geo.js';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { MISSILES, coveringClasses, type ResolvedMissilesTerms, type ResolvedSide } from './rules.js';
import { COUNTERSIGN, DISPUTE, REPLY, REPORT, REQUEST, SITE, type ReportAnswer, type SiteDeclaration, type VisitReply, type VisitReport, type VisitRequest } from './schemas.js';

/** Agreements in turn governing a pair read at most. */
const MAX_AGREEMENTS = 50;

const quote = (s: string): string => `"${s.length > 80 ? `${s.slice(0, 77)}...` : s}"`;
const cite = (citation: string, agreement: string): string => citation.replace(')', `, ${agreement.slice(0, 12)})`);
const place = (d: SiteDeclaration): string => `${d.name} (${d.position[1].toFixed(2)} N, ${d.position[0].toFixed(2)} E)`;

/**
 * The entries answering `judged` of `type`, by `author`, naming it in `field`, that every party
 * holding `judged` holds too. With `tell`, each one addressed to fewer gives its readers the
 * information finding that it does not count (once: from the visit's group, not the quota's).
 */
function answers(ctx: GroupContext, judged: HeldEntry, type: string, author: PartyCode, field: string, tell?: { rule: RuleRow; citation: string; what: string; holding: string }): HeldEntry[] {
  const out: HeldEntry[] = [];
  for (const h of ctx.referrers(judged.id)) {
    if (h.type !== type || h.author !== author || h.body?.[field] !== judged.id) continue;
    const missing = unreached(h, judged);
    if (!missing.length) out.push(h);
    else if (tell) doesNotCount(ctx, { ...tell, h, judged, missing });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// MISSILES §deployment

/**
 * The declarations of `party` (group `sites:PARTY`, with the agreement proposals naming it): each
 * declaration, until the party's next declaration of that site, against the terms of each
 * agreement with another party in force over that span.
 */
export function deployment(party: PartyCode, ctx: GroupContext): void {
  const members = ctx.members();
  const others = new Set<PartyCode>();
  for (const h of members) if (h.type === 'agreement.proposal') for (const p of (h.body?.parties as string[] | undefined) ?? []) if (p !== party) others.add(p);
  if (!others.size) return;
  const declarations = members.filter((h) => h.type === SITE && h.author === party && h.body);
  for (const [i, d] of declarations.entries()) {
    const body = d.body as unknown as SiteDeclaration;
    if (body.withdrawn) continue;
    const next = declarations.slice(i + 1).find((n) => (n.body as unknown as SiteDeclaration).site === body.site);
    const end = next ? next.t : Infinity;
    for (const other of [...others].sort()) {
      const pair = [party, other].sort();
      let t = end === Infinity ? Infinity : end - 1;
      for (let n = 0; n < MAX_AGREEMENTS; n++) {
        const a = ctx.agreement(pair, t);
        if (!a) break;
        const from = Math.max(a.inForce, d.t);
        if (from < end) judgeSite(party, other, d, body, a, from, ctx);
        if (a.inForce <= d.t) break;
        t = a.inForce - 1;
      }
    }
  }
}

function judgeSite(party: PartyCode, other: PartyCode, d: HeldEntry, body: SiteDeclaration, a: { id: string; inForce: number }, from: number, ctx: GroupContext): void {
  if (!ctx.reached(from)) return;
  const agreement = ctx.get(a.id);
  if (!agreement) return;
  const terms = ctx.terms<ResolvedMissilesTerms>([party, other], from);
  const rule = MISSILES.deployment;
  const citation = cite(rule.citation, a.id);
  const evidence = [agreement, d].sort(compareHeld);
  for (const s of body.systems) {
    if (!s.present) continue;
    const classes = coveringClasses(terms, s.kind, s.rangeKm);
    if (!classes.length) continue;
    const system = `${s.name} (${s.kind}, ${count(s.rangeKm!)} km; ${classes.map((c) => c.id).join(', ')})`;
    const key = `${other}|${s.name}`;
    if (terms.area.kind === 'named') {
      if (!booleanPointInPolygon([body.position[0], body.position[1]], terms.area.polygon as never)) continue;
      ctx.finding({ rule, citation, severity: 'violation', parties: [party, other], explanation: `${party} declares ${system} present at ${place(body)}, inside the agreed area ${quote(terms.area.name)}`, evidence, at: from, key });
      continue;
    }
    const territory = terms.territory(other);
    const km = territory ? distanceToTerritoryKm(body.position, territory) : undefined;
    if (km === undefined) {
      ctx.finding({
        rule,
        citation,
        severity: 'info',
        parties: [party, other],
        explanation: `${party} declares ${system} present at ${place(body)}; this node cannot tell whether it reaches ${other}: the agreement names no territory of ${other} that the shipped boundaries hold`,
        evidence,
        at: from,
        key: `${key}|territory`,
      });
      continue;
    }
    if (km > s.rangeKm!) continue;
    ctx.finding({
      rule,
      citation,
      severity: 'violation',
      parties: [party, other],
      explanation: `${party} declares ${system} present at ${place(body)}, ${count(Math.round(km))} km from ${other}'s territory: within its declared range`,
      evidence,
      at: from,
      key,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Visits: MISSILES §reply, §quota, §visit, §report

/** A visit request as the rules read it: the agreement and figures it is made under, and the host's first reply. */
interface Visit {
  visitor: PartyCode;
  host: PartyCode;
  r: HeldEntry;
  side: ResolvedSide;
  agreement: HeldEntry;
  arrival: number;
  /** For explanations: whose visit to which site, requested when. */
  what: string;
  evidence: HeldEntry[];
  reply: HeldEntry | undefined;
}

/** `tell`: from the visit's group, whose readers are told of a reply that does not count. */
function visitOf(r: HeldEntry, ctx: GroupContext, tell = false): Visit | undefined {
  const body = r.body as unknown as VisitRequest;
  const visitor = r.author;
  const host = body.host;
  const arrival = parseTime(body.arrival);
  const a = ctx.agreement([visitor, host], r.t);
  const agreement = a && ctx.get(a.id);
  if (!a || !agreement || arrival === undefined) return undefined;
  const side = ctx.terms<ResolvedMissilesTerms>([visitor, host], r.t).side(visitor);
  const site = ctx.get(body.declaration);
  const siteName = site?.type === SITE ? (site.body as unknown as SiteDeclaration).name : `the site declared in ${body.declaration.slice(0, 12)}`;
  const what = `${visitor}'s visit to ${siteName} (${host}), requested ${isoTime(r.t)}`;
  const citation = cite(MISSILES.reply.citation, a.id);
  const reply = answers(ctx, r, REPLY, host, 'request', tell ? { rule: MISSILES.reply, citation, what: `${host}'s reply to ${what}`, holding: 'the request' } : undefined)[0];
  return { visitor, host, r, side, agreement, arrival, what, evidence: [agreement, r].sort(compareHeld), reply };
}

/**
 * §quota, group `quota:VISITOR>HOST:YEAR`: the visitor's requests to the host made in that
 * calendar year, in record order; a decline (or a short window) within the quota is a finding.
 */
export function quota(visitor: PartyCode, host: PartyCode, year: number, ctx: GroupContext): void {
  const requests = ctx.members().filter((h) => h.type === REQUEST && h.author === visitor && h.body);
  requests.forEach((r, i) => {
    const v = visitOf(r, ctx);
    if (!v?.reply) return;
    const { what, evidence, reply, side, arrival } = v;
    const answer = reply.body as unknown as VisitReply;
    // The earlier requests of the year that count: those every party holding this one holds too.
    const n = 1 + requests.slice(0, i).filter((e) => !unreached(e, r).length).length;
    const limit = side.visitsPerYear;
    const notice = arrival - r.t >= side.noticeMs;
    const within = n > limit ? 'beyond' : 'within';
    const rule = MISSILES.decline;
    const citation = cite(rule.citation, v.agreement.id);
    const place = `request ${n} of ${visitor} to ${host} in ${year}, quota ${limit}`;
    if (!answer.accepted && notice && within !== 'beyond') {
      ctx.finding({
        rule,
        citation,
        severity: 'violation',
        parties: [host, visitor],
        explanation: `${host} declined ${what}, ${place}, with ${formatDuration(arrival - r.t)} notice: ${quote(answer.reason)}`,
        evidence: [...evidence, reply],
        at: reply.t,
        key: 'decline|within',
      });
    }
    if (!answer.accepted || !notice || within === 'beyond') return;
    const start = parseTime(answer.window.start)!;
    const end = parseTime(answer.window.end)!;
    if (end - start >= side.visitMs) return;
    ctx.finding({
      rule,
      citation,
      severity: 'warning',
      parties: [host, visitor],
      explanation: `${host} accepted ${what} for ${formatDuration(end - start)}, shorter than the agreed visit of ${formatDuration(side.visitMs)}`,
      evidence: [...evidence, reply],
      at: reply.t,
      key: 'decline|short',
    });
  });
}

/** §reply, §visit and §report, group `visit:REQUEST`: from the request to the host's answer to the report. */
export function visit(r: HeldEntry, ctx: GroupContext): void {
  const v = visitOf(r, ctx, true);
  if (!v) return;
  const { visitor, host, side, agreement, what, evidence, reply } = v;

  // §reply: the host replies by the deadline.
  const due = r.t + side.replyMs;
  const rule = MISSILES.reply;
  const citation = cite(rule.citation, agreement.id);
  const replied = reply !== undefined && ctx.reached(reply.t);
  const past = ctx.reached(due + 1);
  const status = replied ? (reply.t <= due ? 'met' : 'met-late') : past ? 'missed' : 'open';
  ctx.obligation({ rule, citation, debtor: host, creditors: [visitor], what: `reply to ${what} by ${isoTime(due)}`, due, status, metBy: replied ? reply : undefined, evidence, key: 'reply' });
  if (status === 'met-late' || status === 'missed') {
    ctx.finding({
      rule,
      citation,
      severity: 'violation',
      parties: [host, visitor],
      explanation: status === 'missed' ? `${host} did not reply to ${what} within ${formatDuration(side.replyMs)}` : `${host} replied to ${what} ${formatDuration(reply!.t - due)} after its ${formatDuration(side.replyMs)} deadline`,
      evidence: status === 'missed' ? evidence : [...evidence, reply!],
      at: due + 1,
      key: `reply|${status}`,
    });
  }
  if (!replied) return;
  const answer = reply.body as unknown as VisitReply;
  if (!answer.accepted) return;
  const start = parseTime(answer.window.start)!;
  const end = parseTime(answer.window.end)!;

  // §visit: the accepted visit is held and reported.
  const held = MISSILES.held;
  const heldCitation = cite(held.citation, agreement.id);
  const reports = answers(ctx, r, REPORT, visitor, 'request', { rule: held, citation: heldCitation, what: `${visitor}'s report of ${what}`, holding: 'the request' });
  const report = reports[0];
  const reportDue = end + side.reportMs;
  const reported = report !== undefined && ctx.reached(report.t);
  const reportPast = ctx.reached(reportDue + 1);
  const reportStatus = reported ? (report.t <= reportDue ? 'met' : 'met-late') : reportPast ? 'missed' : 'open';
  const window = `${isoTime(start)} to ${isoTime(end)}`;
  ctx.obligation({ rule: held, citation: heldCitation, debtor: visitor, creditors: [host], what: `report ${what}, accepted for ${window}, by ${isoTime(reportDue)}`, due: reportDue, status: reportStatus, metBy: reported ? report : undefined, evidence: [...evidence, reply], anchor: [r.id], key: 'report' });
  if (reportStatus === 'missed') {
    ctx.finding({
      rule: held,
      citation: heldCitation,
      severity: 'warning',
      parties: [visitor, host],
      explanation: `${what} was accepted for ${window} but is not shown held: no report by ${visitor} by ${isoTime(reportDue)}`,
      evidence: [...evidence, reply],
      at: reportDue + 1,
      key: 'held|missed',
    });
  }
  if (!reported) return;
  const onSite = (report.body as unknown as VisitReport).onSite;
  const [from, until] = onSite ? [parseTime(onSite.start)!, parseTime(onSite.end)!] : [start, end];
  if (from < start || until > end) {
    ctx.finding({
      rule: held,
      citation: heldCitation,
      severity: 'warning',
      parties: [visitor, host],
      explanation: `${visitor} reports ${what} held from ${isoTime(from)} to ${isoTime(until)}, outside the window accepted (${window})`,
      evidence: [...evidence, reply, report],
      at: report.t,
      key: 'held|outside',
    });
  }
  judgeReport(v, report, ctx);
}

/** §report: the host countersigns or disputes; an inconsistency (or a visit not held) is a finding. */
function judgeReport(v: Visit, report: HeldEntry, ctx: GroupContext): void {
  const { visitor, host, side, agreement, r, what } = v;
  const body = report.body as unknown as VisitReport;
  const rule = MISSILES.report;
  const citation = cite(rule.citation, agreement.id);
  const tell = { rule, citation, what: `${host}'s answer to ${visitor}'s report of ${what}`, holding: 'the report' };
  const answer = [...answers(ctx, report, COUNTERSIGN, host, 'report', tell), ...answers(ctx, report, DISPUTE, host, 'report', tell)].sort(compareHeld)[0];
  const due = report.t + side.acknowledgeMs;
  const answered = answer !== undefined && ctx.reached(answer.t);
  const past = ctx.reached(due + 1);
  const status = answered ? (answer.t <= due ? 'met' : 'met-late') : past ? 'missed' : 'open';
  const evidence = [agreement, r, report].sort(compareHeld);
  ctx.obligation({ rule, citation, debtor: host, creditors: [visitor], what: `countersign or dispute ${visitor}'s report of ${what} by ${isoTime(due)}`, due, status, metBy: answered ? answer : undefined, evidence, key: 'acknowledge' });
  if (status === 'missed' || status === 'met-late') {
    ctx.finding({
      rule,
      citation,
      severity: 'violation',
      parties: [host, visitor],
      explanation: status === 'missed' ? `${host} neither countersigned nor disputed ${visitor}'s report of ${what} within ${formatDuration(side.acknowledgeMs)}: it stands unacknowledged` : `${host} answered ${visitor}'s report of ${what} ${formatDuration(answer!.t - due)} after its deadline`,
      evidence: status === 'missed' ? evidence : [...evidence, answer!],
      at: due + 1,
      key: `acknowledge|${status}`,
    });
  }
  if (body.outcome === 'consistent') return;
  const disputed = answered && answer.type === DISPUTE;
  const said = body.outcome === 'not-held' ? 'the visit was not held' : 'the site was not consistent with the declaration and the commitment';
  const state = !answered ? `not countersigned by ${host}` : disputed ? `disputed by ${host}: ${quote((answer.body as unknown as ReportAnswer).reason ?? '')}` : `countersigned by ${host}`;
  ctx.finding({
    rule,
    citation,
    severity: answered && !disputed ? 'violation' : 'warning',
    parties: [host, visitor],
    explanation: `${visitor}'s report of ${what}: ${said} (${quote(body.observations)}); ${state}`,
    evidence: answered ? [...evidence, answer] : evidence,
    at: answered ? answer.t : report.t,
    key: `inconsistent|${!answered ? 'unacknowledged' : disputed ? 'disputed' : 'countersigned'}`,
  });
}
