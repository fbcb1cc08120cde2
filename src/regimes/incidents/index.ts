/**
 * Incidents at sea and in the air (INCSEA 1972, DMA 1989 pattern): incident reports and replies,
 * requests for consultations, hazard notices, and shared tracks in which close encounters are found
 * — retrospectively here, as findings; live, by the service in live/ (alarms on both nodes).
 *
 * | group              | members                                   | evaluator |
 * |--------------------|-------------------------------------------|-----------|
 * | `tracks:HOUR`      | incidents.tracks batches meeting [HOUR − 10 min, HOUR + 2 h] | encounterHour — INC.encounter: an encounter episode beginning in the hour (one finding per episode, whatever hours it spans) |
 * | `report:ID`        | one incidents.report                      | reportReplies — INC.reply: each other party named replies within `replyDays` |
 * | `consultation:ID`  | one incidents.consultation                | consultationReplies — INC.consultation: each party asked answers within `consultationDays` |
 * | `hazard:ID`        | one incidents.hazard                      | hazardLate — INC.notice: given at least `noticeDays` ahead |
 * | `notices:PARTY`    | PARTY's notices, reports of hazardous activity naming PARTY's units | missingNotices — INC.notice: a reported activity with no notice |
 *
 * @example
 *   import { evaluate } from '../engine.js';
 *   const { findings } = evaluate([incidents], entries, Date.now());
 */
import { evaluate } from '../engine.js';
import type { RegimeModule } from '../module.js';
import type { HeldEntry } from '../types.js';
import { hoursOf } from './encounters.js';
import { consultationReplies, encounterHour, hazardLate, missingNotices, reportReplies } from './evaluators.js';
import { INCIDENTS_RULES, INCIDENTS_TERMS } from './rules.js';
import { CONSULTATION, HAZARD, HAZARDOUS, REPLY, REPORT, TRACKS, incidentsSchemas, type Report } from './schemas.js';
import { incidentsService } from './live/service.js';

function groupsOf(h: HeldEntry): string[] {
  if (!h.body) return [];
  switch (h.type) {
    case TRACKS:
      return hoursOf(h.body as { from: string; until: string }).map((t) => `tracks:${t}`);
    case REPORT: {
      const body = h.body as unknown as Report;
      const keys = [`report:${h.id}`];
      if (body.categories.some((c) => HAZARDOUS.includes(c))) for (const p of new Set(body.units.map((u) => u.party))) if (p !== h.author) keys.push(`notices:${p}`);
      return keys;
    }
    case CONSULTATION:
      return [`consultation:${h.id}`];
    case HAZARD:
      return [`hazard:${h.id}`, `notices:${h.author}`];
    default:
      return [];
  }
}

/** The report or request a reply answers, named in its body: found by `ctx.referrers`. */
function linksOf(h: HeldEntry): string[] {
  if (h.type !== REPLY || !h.body) return [];
  const about = h.body.about;
  return typeof about === 'string' && !h.refs.includes(about) ? [about] : [];
}

export const incidents: RegimeModule = Object.freeze({
  id: 'incidents',
  // 1.2.0: a reply or notice counts only where every party judging by it holds it; stubs never mask a lapse.
  version: '1.2.0',
  title: 'Incidents at sea and in the air (reports, hazard notices, shared tracks, close encounters)',
  rules: INCIDENTS_RULES,
  types: incidentsSchemas,
  terms: INCIDENTS_TERMS,
  // Loaded only by a running node: the regime itself stays pure.
  service: incidentsService,
  groupsOf,
  linksOf,
  evaluateGroup(key, ctx) {
    const colon = key.indexOf(':');
    const kind = key.slice(0, colon);
    const rest = key.slice(colon + 1);
    if (kind === 'tracks') return encounterHour(Number(rest), ctx);
    if (kind === 'notices') return missingNotices(rest, ctx);
    const [h] = ctx.members();
    if (!h?.body) return;
    if (kind === 'report') reportReplies(h, ctx);
    else if (kind === 'consultation') consultationReplies(h, ctx);
    else if (kind === 'hazard') hazardLate(h, ctx);
  },
  evaluate(entries, at, options) {
    return evaluate([incidents], entries, at, options);
  },
} satisfies RegimeModule);

export { INC, INCIDENTS_RULES, INCIDENTS_TERMS, DEFAULT_THRESHOLDS, type IncidentsTerms, type ResolvedIncidentsTerms } from './rules.js';
export { incidentsSchemas, CATEGORIES, type Report, type Reply, type Consultation, type Hazard } from './schemas.js';
export { batchFixes, encodeTracks, decodeTracks, type FixRow, type TracksBody, type UnitFixes } from './tracks.js';
export { allEncounters, type EncounterView } from './encounters.js';
export { incidentsList, encountersHeld, type IncidentSummary } from './views.js';
export { detect, detectNaive, predict, trackApproach, prepare, type Track, type Thresholds, type UnitKind } from './cpa.js';
export { synthetic, type PlantedEncounter } from './synthetic.js';
