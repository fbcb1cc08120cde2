/**
 * The Vienna Document 2011 regime (OSCE, FSC.DOC/1/11): Chapters I, III, V, VI, VII, VIII and IX
 * as rules with citations (rules.ts) and evaluators over groups of entries. Groups are small on
 * purpose: adding an entry re-evaluates only the groups it belongs to or that read it.
 *
 * | group              | members                                                          | evaluator |
 * |--------------------|------------------------------------------------------------------|-----------|
 * | `act:STATE:KEY`    | one activity's notifications; calendars and invitations naming its designation (invitations naming a notification are found by link) | activities.ts — §38, §41, §47, §68, margin, counted over notified |
 * | `plan:STATE:YEAR`  | the State's calendars for YEAR, its notifications starting in YEAR | activities.ts — planned activities owe §38 |
 * | `state:STATE`      | the State's notifications over 13,000 troops or 300 tanks, and amendments; reports naming one of its notifications | activities.ts — §67, on the notified figures and on each State's count |
 * | `unnamed:STATE`    | the State's notifications; reports about it naming no notification | activities.ts — counted but not notified |
 * | `rep:ID`           | one observer report naming a notification                        | activities.ts — the name is a notification of the observed State |
 * | `part:STATE`       | agreement proposals naming STATE with `vd11` terms (its participation); its calendars and exchanges | periodic.ts — Ch. I exchange, §61 calendar, owed by participating States only |
 * | `req:ID`           | one explanation or meeting request (replies found by `refs`)     | requests.ts — §16.1.3, §16.2 |
 * | `insp:STATE:YEAR`  | inspection requests to STATE made in YEAR                        | requests.ts — Ch. IX inspections |
 * | `eval:STATE:YEAR`  | evaluation requests to STATE in YEAR; STATE's Ch. I exchange for YEAR | requests.ts — Ch. IX evaluation visits |
 * | `inc:ID`           | one hazardous incident report                                    | requests.ts — §17 |
 * | `unc:ID`           | a notification, calendar, invitation, exchange or report not addressed to "*" | requests.ts — it does not count (VD11.circulation) |
 *
 * What a rule reads of another entry counts only where every party judging by it holds it
 * (VD11.circulation): the types above to "*", a reply or a quota's earlier request and acceptance
 * addressed to every party holding the request. A node that holds such an entry only as a stub was
 * not addressed, so it finds what a node reading it finds; no finding rests on what it cannot read.
 */
import { PROPOSAL } from '../agreement/book.js';
import { evaluate, parseTime, utcYear } from '../engine.js';
import type { RegimeModule } from '../module.js';
import type { HeldEntry, TermsProblem, TermsSpec } from '../types.js';
import { activityKeyOf, designationKey, evaluateActivity, evaluatePlan, evaluateState, evaluateUnnamedReports, mattersToConstraints, reportNaming } from './activities.js';
import { yearlyObligations } from './periodic.js';
import { evaluations, explanationRequest, hazardousIncident, inspections, meetingRequest, notCirculated } from './requests.js';
import { VD11_RULES, uncirculated } from './rules.js';
import { viennaSchemas, type ActivityNotification, type Calendar } from './schemas.js';

const NONE: readonly string[] = Object.freeze([]);

function groupsOf(h: HeldEntry): readonly string[] {
  const type = h.type;
  if (type === PROPOSAL && h.body) return participantsOf(h).map((p) => `part:${p}`);
  if (type === undefined || !type.startsWith('vd.') || !h.body) return NONE;
  if (uncirculated(h)) return [`unc:${h.id}`];
  const body = h.body as Record<string, unknown>;
  const groups: string[] = [];
  switch (type) {
    case 'vd.activity.notification': {
      groups.push(`act:${h.author}:${activityKeyOf(h)}`, `unnamed:${h.author}`);
      if (mattersToConstraints(h)) groups.push(`state:${h.author}`);
      const start = parseTime((body as unknown as ActivityNotification).start);
      if (start !== undefined) groups.push(`plan:${h.author}:${utcYear(start)}`);
      break;
    }
    case 'vd.calendar': {
      const calendar = body as unknown as Calendar;
      groups.push(`plan:${h.author}:${calendar.year}`, `part:${h.author}`);
      for (const a of calendar.activities) groups.push(`act:${h.author}:${designationKey(a.designation)}`);
      break;
    }
    case 'vd.observation.invitation':
      if (typeof body.designation === 'string') groups.push(`act:${h.author}:${designationKey(body.designation)}`);
      break;
    case 'vd.observer.report':
      // A report naming a notification is compared with it by the activity's group (found by
      // link); `rep:ID` checks that the name is right. One naming none is for the State's group.
      // What it counted is read against Chapter VIII with the State's other activities too.
      if (typeof body.notification === 'string') groups.push(`rep:${h.id}`, `state:${String(body.observedState)}`);
      else groups.push(`unnamed:${String(body.observedState)}`);
      break;
    case 'vd.explanation.request':
    case 'vd.meeting.request':
      groups.push(`req:${h.id}`);
      break;
    case 'vd.hazardous-incident':
      groups.push(`inc:${h.id}`);
      break;
    case 'vd.inspection.request':
      groups.push(`insp:${String(body.receivingState)}:${utcYear(h.t)}`);
      break;
    case 'vd.evaluation.request':
      groups.push(`eval:${String(body.receivingState)}:${utcYear(h.t)}`);
      break;
    case 'vd.annual-exchange':
      groups.push(`eval:${h.author}:${String(body.year)}`, `part:${h.author}`);
      break;
  }
  return groups.length > 1 ? [...new Set(groups)] : groups;
}

/** The parties an agreement proposal setting `vd11` terms names: their participation, once it is adopted. */
function participantsOf(h: HeldEntry): readonly string[] {
  const body = h.body as { parties?: unknown; terms?: Record<string, unknown> };
  if (!body.terms || !Object.hasOwn(body.terms, 'vd11') || !Array.isArray(body.parties)) return NONE;
  return body.parties.filter((p): p is string => typeof p === 'string');
}

/** Invitations and observer reports name the notification they are about in a body field. */
function linksOf(h: HeldEntry): readonly string[] {
  if ((h.type === 'vd.observation.invitation' || h.type === 'vd.observer.report') && typeof h.body?.notification === 'string' && !uncirculated(h)) return [h.body.notification];
  return NONE;
}

/** Splits `kind:STATE:rest` (the rest may itself contain colons, as designations can). */
function parseKey(key: string): [string, string, string] {
  const i = key.indexOf(':');
  const j = key.indexOf(':', i + 1);
  return j < 0 ? [key.slice(0, i), key.slice(i + 1), ''] : [key.slice(0, i), key.slice(i + 1, j), key.slice(j + 1)];
}

/**
 * The Vienna Document is a treaty text, not a network's agreement: no figure of it is set by an
 * agreement. What the network adopts is who takes part: an agreement setting `vd11` terms — the
 * empty object — names the participating States, from its effective time (periodic.ts). The
 * threshold-gaming margin is an analyst's warning level (EvaluateOptions.margin, `--margin`),
 * not an agreed figure.
 */
export const VD11_TERMS: TermsSpec<Readonly<Record<string, never>>> = Object.freeze({
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {},
    description:
      'Participation: an adopted agreement setting these terms (the empty object) names the States that take part in the Vienna Document on this network, from its effective time; they owe the annual calendar and exchange. The Document\'s figures are the treaty\'s, not terms.',
  },
  defaults: {},
  check(terms: unknown): TermsProblem | undefined {
    if (typeof terms !== 'object' || terms === null || Array.isArray(terms)) return { field: '', message: 'must be the empty object (participation)' };
    const [k] = Object.keys(terms);
    return k === undefined ? undefined : { field: k, message: 'is not a term: the Vienna Document\'s figures are the treaty\'s; the terms object is empty (participation)' };
  },
  resolve: () => NO_TERMS,
});
const NO_TERMS: Readonly<Record<string, never>> = Object.freeze({});

export const vienna2011: RegimeModule = Object.freeze({
  id: 'vd11',
  // 1.1.0: counted figures read against every threshold; §67.2's band; participation declared.
  // 1.2.0: what a rule reads counts only where every party judging by it holds it (VD11.circulation).
  version: '1.2.0',
  title: 'Vienna Document 2011',
  rules: VD11_RULES,
  types: viennaSchemas,
  terms: VD11_TERMS,
  groupsOf,
  linksOf,
  evaluateGroup(key, ctx) {
    const [kind, a, rest] = parseKey(key);
    switch (kind) {
      case 'act':
        return evaluateActivity(a, rest, ctx);
      case 'plan':
        return evaluatePlan(a, Number(rest), ctx);
      case 'state':
        return evaluateState(a, ctx);
      case 'unnamed':
        return evaluateUnnamedReports(a, ctx);
      case 'part':
        return yearlyObligations(a, ctx);
      case 'rep': {
        const [report] = ctx.members();
        return report ? reportNaming(report, ctx) : undefined;
      }
      case 'unc': {
        const [h] = ctx.members();
        return h ? notCirculated(h, ctx) : undefined;
      }
      case 'insp':
        return inspections(a, Number(rest), ctx);
      case 'eval':
        return evaluations(a, Number(rest), ctx);
      case 'req':
      case 'inc': {
        const [request] = ctx.members();
        if (!request) return;
        if (request.type === 'vd.explanation.request') return explanationRequest(request, ctx);
        if (request.type === 'vd.meeting.request') return meetingRequest(request, ctx);
        return hazardousIncident(request, ctx);
      }
    }
  },
  evaluate(entries, at, options) {
    return evaluate([vienna2011], entries, at, options);
  },
} satisfies RegimeModule);

export { VD11, VD11_RULES } from './rules.js';
export { viennaSchemas } from './schemas.js';
