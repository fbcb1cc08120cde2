/**
 * The Vienna Document 2011 regime (OSCE, FSC.DOC/1/11): Chapters I, III, V, VI, VII, VIII and IX
 * as rules with citations (rules.ts) and evaluators over groups of entries. Groups are small on
 * purpose: adding an entry re-evaluates only the groups it belongs to or that read it.
 *
 * | group              | members                                                          | evaluator |
 * |--------------------|------------------------------------------------------------------|-----------|
 * | `act:STATE:KEY`    | one activity's notifications; calendars and invitations naming its designation (invitations naming a notification are found by link) | activities.ts — §38, §41, §47, §68, margin, counted over notified |
 * | `plan:STATE:YEAR`  | the State's calendars for YEAR, its notifications starting in YEAR | activities.ts — planned activities owe §38 |
 * | `state:STATE`      | the State's notifications over 13,000 troops or 300 tanks, and amendments | activities.ts — §67 |
 * | `unnamed:STATE`    | the State's notifications; reports about it naming no notification | activities.ts — counted but not notified |
 * | `rep:ID`           | one observer report naming a notification                        | activities.ts — the name is a notification of the observed State |
 * | `year:STATE:YEAR`  | its `vd.*` entries said in YEAR−1 or YEAR; its calendar and exchange for YEAR+1 | periodic.ts — Ch. I exchange, §61 calendar |
 * | `req:ID`           | one explanation or meeting request (replies found by `refs`)     | requests.ts — §16, §16.2 |
 * | `insp:STATE:YEAR`  | inspection requests to STATE made in YEAR                        | requests.ts — Ch. IX inspections |
 * | `eval:STATE:YEAR`  | evaluation requests to STATE in YEAR; STATE's Ch. I exchange for YEAR | requests.ts — Ch. IX evaluation visits |
 * | `inc:ID`           | one hazardous incident report                                    | requests.ts — §17 |
 */
import { evaluate, parseTime, utcYear } from '../engine.js';
import type { RegimeModule } from '../module.js';
import type { HeldEntry } from '../types.js';
import { activityKeyOf, designationKey, evaluateActivity, evaluatePlan, evaluateState, evaluateUnnamedReports, mattersToConstraints, reportNaming } from './activities.js';
import { yearlyObligations } from './periodic.js';
import { evaluations, explanationRequest, hazardousIncident, inspections, meetingRequest } from './requests.js';
import { VD11_RULES } from './rules.js';
import { viennaSchemas, type ActivityNotification, type Calendar } from './schemas.js';

const NONE: readonly string[] = Object.freeze([]);

function groupsOf(h: HeldEntry): readonly string[] {
  const type = h.type;
  if (type === undefined || !type.startsWith('vd.') || !h.body) return NONE;
  const body = h.body as Record<string, unknown>;
  const said = utcYear(h.t);
  const groups = [`year:${h.author}:${said}`, `year:${h.author}:${said + 1}`];
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
      groups.push(`plan:${h.author}:${calendar.year}`, `year:${h.author}:${calendar.year - 1}`);
      for (const a of calendar.activities) groups.push(`act:${h.author}:${designationKey(a.designation)}`);
      break;
    }
    case 'vd.observation.invitation':
      if (typeof body.designation === 'string') groups.push(`act:${h.author}:${designationKey(body.designation)}`);
      break;
    case 'vd.observer.report':
      // A report naming a notification is compared with it by the activity's group (found by
      // link); `rep:ID` checks that the name is right. One naming none is for the State's group.
      groups.push(typeof body.notification === 'string' ? `rep:${h.id}` : `unnamed:${String(body.observedState)}`);
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
      groups.push(`eval:${h.author}:${String(body.year)}`, `year:${h.author}:${Number(body.year) - 1}`);
      break;
  }
  // A calendar or exchange said in the year before the one it serves is in that year's group once.
  return groups.length > 2 ? [...new Set(groups)] : groups;
}

/** Invitations and observer reports name the notification they are about in a body field. */
function linksOf(h: HeldEntry): readonly string[] {
  if ((h.type === 'vd.observation.invitation' || h.type === 'vd.observer.report') && typeof h.body?.notification === 'string') return [h.body.notification];
  return NONE;
}

/** Splits `kind:STATE:rest` (the rest may itself contain colons, as designations can). */
function parseKey(key: string): [string, string, string] {
  const i = key.indexOf(':');
  const j = key.indexOf(':', i + 1);
  return j < 0 ? [key.slice(0, i), key.slice(i + 1), ''] : [key.slice(0, i), key.slice(i + 1, j), key.slice(j + 1)];
}

/**
 * The Vienna Document is a treaty text, not a network's agreement: it has no terms an agreement
 * sets. The threshold-gaming margin is an analyst's warning level (EvaluateOptions.margin,
 * `--margin`), not an agreed figure.
 */
export const vienna2011: RegimeModule = Object.freeze({
  id: 'vd11',
  version: '1.0.0',
  title: 'Vienna Document 2011',
  rules: VD11_RULES,
  types: viennaSchemas,
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
      case 'year':
        return yearlyObligations(a, Number(rest), ctx);
      case 'rep': {
        const [report] = ctx.members();
        return report ? reportNaming(report, ctx) : undefined;
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
