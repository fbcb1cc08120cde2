/**
 * Requests and their answers: Chapter III (explanation §16, meeting §16.2, hazardous incidents
 * §17) and Chapter IX (inspections, evaluation visits).
 *
 * A request creates an obligation on the State it names (`respondingState` / `receivingState`),
 * owed to the requesting State; the obligation is met by the first answer of the right type from
 * that State whose `refs` include the request. A request not addressed to the State it names
 * creates no obligation (that State was not asked) and is a warning instead.
 *
 * Requests and replies are addressed to "*" (the catalogue refuses them otherwise): the Document
 * circulates them to all participating States, and a quota is judged on every request and reply of
 * the year, so every node judging one holds them all. The warning above is for a record written
 * before that rule, or by a node that did not apply it.
 */
import { HOUR, compareHeld, deadline, doesNotCount, formatDuration, parseTime, unreached } from '../engine.js';
import type { GroupContext, HeldEntry, PartyCode, RuleRow } from '../types.js';
import { VD11 } from './rules.js';
import type { AcceptanceReply, AnnualExchange, HazardousIncident, MeetingReply, Request } from './schemas.js';

const isAddressed = (h: HeldEntry, party: PartyCode): boolean => h.to.includes('*') || h.to.includes(party);

/**
 * The first answer of `type` by `author` that refers to `request` and that every party holding the
 * request holds too (VD11.circulation); one addressed to fewer does not count, and its readers are
 * told so.
 */
function answerOf(ctx: GroupContext, request: HeldEntry, type: string, author: PartyCode, accept: (h: HeldEntry) => boolean = () => true): HeldEntry | undefined {
  let answer: HeldEntry | undefined;
  for (const h of ctx.referrers(request.id)) {
    if (h.type !== type || h.author !== author) continue;
    const missing = unreached(h, request);
    if (missing.length) doesNotCount(ctx, { rule: VD11.circulation, h, judged: request, missing, what: `${h.author}'s ${type}`, holding: 'the request' });
    else if (!answer && accept(h)) answer = h;
  }
  return answer;
}

/** Group `unc:ID`: a notification, calendar, invitation, exchange or report addressed to fewer than all (VD11.circulation). */
export function notCirculated(h: HeldEntry, ctx: GroupContext): void {
  ctx.finding({
    rule: VD11.circulation,
    severity: 'info',
    parties: [h.author, ...h.to],
    explanation: `${h.author}'s ${h.type} was addressed to ${h.to.join(', ') || 'nobody'} only: the Document circulates it to all participating States, and no rule counts it, since the others cannot read it`,
    evidence: [h],
    at: h.t,
  });
}

function notAddressed(ctx: GroupContext, request: HeldEntry, named: PartyCode, rule: RuleRow): void {
  ctx.finding({
    rule: VD11.addressing,
    citation: rule.citation,
    severity: 'warning',
    parties: [request.author, named],
    explanation: `${request.author}'s ${request.type} names ${named} but is not addressed to it, so ${named} owes no answer`,
    evidence: [request],
    at: request.t,
  });
}

/** §16.1.3: the responding State explains within 48 hours of the request (§16.1.1). */
export function explanationRequest(request: HeldEntry, ctx: GroupContext): void {
  const rule = VD11.explanationReply;
  const responding = (request.body as Request).respondingState!;
  if (!isAddressed(request, responding)) return notAddressed(ctx, request, responding, rule);
  const reply = answerOf(ctx, request, 'vd.explanation.reply', responding);
  deadline(ctx, {
    rule,
    debtor: responding,
    creditors: [request.author],
    what: `explain to ${request.author} the unusual military activity it asked about, within ${rule.figures.hours} hours`,
    due: request.t + rule.figures.hours * HOUR,
    evidence: [request],
    answer: reply ? { by: reply, at: reply.t } : undefined,
    late: (d) => `${responding} replied to ${request.author}'s request for an explanation ${formatDuration(d)} after the ${rule.figures.hours} hours`,
    missed: `${responding} did not reply within ${rule.figures.hours} hours to ${request.author}'s request for an explanation`,
  });
}

/**
 * §16.2: the meeting is held within 48 hours of the request. The responding State's acceptance
 * says when; the obligation is met when the meeting time has come, and late if either the
 * acceptance or the meeting time is after the deadline.
 */
export function meetingRequest(request: HeldEntry, ctx: GroupContext): void {
  const rule = VD11.meeting;
  const responding = (request.body as Request).respondingState!;
  if (!isAddressed(request, responding)) return notAddressed(ctx, request, responding, rule);
  const reply = answerOf(ctx, request, 'vd.meeting.reply', responding, (h) => (h.body as unknown as MeetingReply).accepted === true);
  const when = reply ? parseTime((reply.body as unknown as MeetingReply).meetingTime) : undefined;
  deadline(ctx, {
    rule,
    debtor: responding,
    creditors: [request.author],
    what: `meet ${request.author} on the unusual military activity within ${rule.figures.hours} hours of its request`,
    due: request.t + rule.figures.hours * HOUR,
    evidence: [request],
    answer: reply && when !== undefined ? { by: reply, at: Math.max(reply.t, when) } : undefined,
    late: (d) => `the meeting ${request.author} requested was held by ${responding} ${formatDuration(d)} after the ${rule.figures.hours} hours`,
    missed: `${responding} did not meet ${request.author} within ${rule.figures.hours} hours of its request for a meeting`,
  });
}

/** §17: a hazardous incident is recorded (information). */
export function hazardousIncident(report: HeldEntry, ctx: GroupContext): void {
  const incident = (report.body as unknown as HazardousIncident).incident;
  const short = incident.length > 120 ? `${incident.slice(0, 117)}...` : incident;
  ctx.finding({
    rule: VD11.hazardousIncident,
    severity: 'info',
    parties: [report.author, ...report.to],
    explanation: `${report.author} reported a hazardous incident of a military nature: ${short.replace(/\s+/g, ' ')}`,
    evidence: [report],
    at: report.t,
  });
}

/**
 * Chapter IX inspections received by one State in one calendar year (UTC, by request time).
 * Every request is owed a reply within 24 hours. Within the quota — fewer than 3 inspections
 * already accepted that year, and none from the same requesting State — the team must be let in
 * within 36 hours of the request; the reply's entry time meets that. A request beyond the quota
 * is recorded (information): the receiving State may decline it.
 */
export function inspections(receiving: PartyCode, year: number, ctx: GroupContext): void {
  const quota = VD11.inspectionQuota;
  const acceptances: Acceptance[] = [];
  for (const request of ctx.members()) {
    if (request.type !== 'vd.inspection.request') continue;
    if (!isAddressed(request, receiving)) {
      notAddressed(ctx, request, receiving, VD11.inspectionReply);
      continue;
    }
    const { accepted, from } = countFor(request, acceptances);
    const reply = answerOf(ctx, request, 'vd.inspection.reply', receiving);
    const answer = reply?.body as unknown as AcceptanceReply | undefined;
    const replyRule = VD11.inspectionReply;
    deadline(ctx, {
      rule: replyRule,
      debtor: receiving,
      creditors: [request.author],
      what: `reply to ${request.author}'s request for an inspection within ${replyRule.figures.hours} hours`,
      due: request.t + replyRule.figures.hours * HOUR,
      evidence: [request],
      answer: reply ? { by: reply, at: reply.t } : undefined,
      late: (d) => `${receiving} replied to ${request.author}'s request for an inspection ${formatDuration(d)} after the ${replyRule.figures.hours} hours`,
      missed: `${receiving} did not reply within ${replyRule.figures.hours} hours to ${request.author}'s request for an inspection`,
    });

    if (accepted < quota.figures.perYear && from < quota.figures.fromOneState) {
      const entryRule = VD11.inspectionEntry;
      const entry = answer?.accepted === true ? parseTime(answer.entryTime) : undefined;
      const declined = reply !== undefined && answer?.accepted === false;
      deadline(ctx, {
        rule: entryRule,
        debtor: receiving,
        creditors: [request.author],
        what: `let ${request.author}'s inspection team enter within ${entryRule.figures.hours} hours of the request (within the quota: ${accepted} of ${quota.figures.perYear} accepted in ${year})`,
        due: request.t + entryRule.figures.hours * HOUR,
        evidence: declined ? [request, reply] : [request],
        anchor: [request.id],
        answer: reply && entry !== undefined ? { by: reply, at: Math.max(reply.t, entry) } : undefined,
        late: (d) => `${receiving} let ${request.author}'s inspection team enter ${formatDuration(d)} after the ${entryRule.figures.hours} hours`,
        missed: declined
          ? `${receiving} declined ${request.author}'s inspection within its quota (${accepted} of ${quota.figures.perYear} accepted in ${year})${answer?.forceMajeure ? ', citing force majeure' : ''}`
          : `${receiving} did not let ${request.author}'s inspection team enter within ${entryRule.figures.hours} hours of the request`,
        severity: declined && answer?.forceMajeure ? 'info' : 'violation',
      });
    } else {
      ctx.finding({
        rule: quota,
        severity: 'info',
        parties: [receiving, request.author],
        explanation: `${request.author}'s request for an inspection is beyond ${receiving}'s quota for ${year} (${accepted} of ${quota.figures.perYear} accepted, ${from} from ${request.author}); ${receiving} is not obliged to accept it`,
        evidence: [request],
        at: request.t,
      });
    }
    if (answer?.accepted === true) acceptances.push({ request, reply: reply! });
  }
}

interface Acceptance {
  request: HeldEntry;
  reply: HeldEntry;
}

/**
 * The earlier requests accepted that count against the quota for `request`: those whose request
 * and acceptance every party holding `request` holds too (VD11.circulation) — all of them, where
 * everything was addressed to "*" as the catalogue asks. `from`: those of the same requesting State.
 */
function countFor(request: HeldEntry, acceptances: readonly Acceptance[]): { accepted: number; from: number } {
  let accepted = 0;
  let from = 0;
  for (const a of acceptances) {
    if (unreached(a.request, request).length || unreached(a.reply, request).length) continue;
    accepted++;
    if (a.request.author === request.author) from++;
  }
  return { accepted, from };
}

/**
 * Chapter IX evaluation visits to one State in one calendar year. The quota comes from the State's
 * Chapter I exchange valid for that year (its latest one): one visit per 60 units or portion
 * thereof, at most 15, and at most a fifth of the quota (at least one) from the same State.
 * Without that exchange the quota is unknown and nothing is found. DOMAIN.md gives no reply
 * deadline for evaluation visits, so no obligation is created: declining within the quota is a
 * violation (information when force majeure is cited), a request beyond it is information.
 */
export function evaluations(receiving: PartyCode, year: number, ctx: GroupContext): void {
  const rule = VD11.evaluationQuota;
  const members = ctx.members();
  const exchanges = members.filter((h) => h.type === 'vd.annual-exchange' && h.author === receiving);
  const exchange = exchanges[exchanges.length - 1];
  if (!exchange) return;
  const units = (exchange.body as unknown as AnnualExchange).units.length;
  const quota = Math.min(rule.figures.maxPerYear, Math.ceil(units / rule.figures.unitsPerVisit));
  const perState = Math.max(1, Math.floor(quota / rule.figures.fromOneStateDivisor));
  const acceptances: Acceptance[] = [];
  for (const request of members) {
    if (request.type !== 'vd.evaluation.request') continue;
    if (!isAddressed(request, receiving)) {
      notAddressed(ctx, request, receiving, rule);
      continue;
    }
    const reply = answerOf(ctx, request, 'vd.evaluation.reply', receiving);
    const answer = reply?.body as unknown as AcceptanceReply | undefined;
    const { accepted, from } = countFor(request, acceptances);
    const within = accepted < quota && from < perState;
    if (!within) {
      ctx.finding({
        rule,
        severity: 'info',
        parties: [receiving, request.author],
        explanation: `${request.author}'s request for an evaluation visit is beyond ${receiving}'s quota for ${year} (${units} units: ${quota} visits, at most ${perState} from one State; ${accepted} accepted, ${from} from ${request.author}); ${receiving} is not obliged to accept it`,
        evidence: [exchange, request].sort(compareHeld),
        at: request.t,
        key: 'beyond',
      });
    } else if (reply && answer?.accepted === false) {
      ctx.finding({
        rule,
        severity: answer.forceMajeure ? 'info' : 'violation',
        parties: [receiving, request.author],
        explanation: `${receiving} declined ${request.author}'s evaluation visit within its quota for ${year} (${units} units: ${quota} visits; ${accepted} accepted)${answer.forceMajeure ? ', citing force majeure' : ''}`,
        evidence: [exchange, request, reply].sort(compareHeld),
        at: reply.t,
        key: 'declined',
      });
    }
    if (answer?.accepted === true) acceptances.push({ request, reply: reply! });
  }
}
