/**
 * The Vienna Document 2011 as data: every figure once, with its citation (FSC.DOC/1/11, as
 * recorded in /work/shared/DOMAIN.md; paragraph numbers marked [T] there are to be confirmed
 * against the text — a correction is a change to one row here).
 *
 * The evaluators (activities.ts, requests.ts, periodic.ts) read their figures from these rows
 * only, and the content schemas take their limits (team sizes, observers) from here too.
 */
import type { RuleRow } from '../types.js';

/** The force figures a notification, a calendar and an observer report state, in the treaty's words. */
export const FORCE_FIELDS = [
  'troops',
  'battleTanks',
  'armouredCombatVehicles',
  'artilleryPieces',
  'fixedWingSorties',
  'amphibiousTroops',
  'airborneTroops',
] as const;
export type ForceField = (typeof FORCE_FIELDS)[number];
export type Forces = Record<ForceField, number>;

/** The body fields a threshold figure applies to; `landingTroops` is §40.1.3 / §47.5's "amphibious landing or parachute assault". */
export const FIGURE_FIELDS: Readonly<Record<string, readonly ForceField[]>> = {
  troops: ['troops'],
  battleTanks: ['battleTanks'],
  armouredCombatVehicles: ['armouredCombatVehicles'],
  artilleryPieces: ['artilleryPieces'],
  fixedWingSorties: ['fixedWingSorties'],
  landingTroops: ['amphibiousTroops', 'airborneTroops'],
};

/** How a figure reads in a sentence. */
export const FIELD_WORDS: Readonly<Record<ForceField, string>> = {
  troops: 'troops',
  battleTanks: 'battle tanks',
  armouredCombatVehicles: 'armoured combat vehicles',
  artilleryPieces: 'artillery pieces',
  fixedWingSorties: 'fixed-wing sorties',
  amphibiousTroops: 'amphibious troops',
  airborneTroops: 'airborne troops',
};

export const VD11 = {
  // Chapter I
  annualExchange: {
    id: 'vd11.i.annual-exchange',
    citation: 'VD11 Ch. I',
    title: 'Annual exchange of military information',
    description:
      'Each participating State exchanges information on its military forces (command organisation down to brigade/regiment, unit locations, major weapon systems) not later than 15 December, valid as of 1 January of the next year.',
    figures: { month: 12, day: 15 },
  },
  // Chapter III
  explanationReply: {
    id: 'vd11.iii.explanation-reply',
    citation: 'VD11 §16.1.3',
    title: 'Explanation of unusual military activities',
    description:
      'A participating State concerned about an unusual and unscheduled military activity may request an explanation (§16.1.1); the responding State replies within 48 hours (§16.1.3). The request and the reply are transmitted to all other participating States.',
    figures: { hours: 48 },
  },
  meeting: {
    id: 'vd11.iii.meeting',
    citation: 'VD11 §16.2',
    title: 'Meeting on unusual military activities',
    description: 'After the explanation, the requesting State may request a meeting with the responding State, or of all participating States; the meeting is held within 48 hours of the request.',
    figures: { hours: 48 },
  },
  hazardousIncident: {
    id: 'vd11.iii.hazardous-incident',
    citation: 'VD11 §17',
    title: 'Hazardous incidents of a military nature',
    description: 'Participating States report and clarify hazardous incidents of a military nature through the points of contact. Each report is recorded as an information finding.',
    figures: {},
  },
  // Chapter V
  priorNotification: {
    id: 'vd11.v.prior-notification',
    citation: 'VD11 §38',
    title: 'Prior notification',
    description: 'Notifiable military activities are notified 42 days or more before the start.',
    figures: { days: 42 },
  },
  landForces: {
    id: 'vd11.v.threshold.land-forces',
    citation: 'VD11 §40.1.1',
    title: 'Notification threshold: land forces',
    description: 'A land forces activity is notifiable at 9,000 troops, or 250 battle tanks, or 500 armoured combat vehicles, or 250 artillery pieces (100 mm and above).',
    comparison: 'at-least',
    figures: { troops: 9000, battleTanks: 250, armouredCombatVehicles: 500, artilleryPieces: 250 },
  },
  airForce: {
    id: 'vd11.v.threshold.air-force',
    citation: 'VD11 §40.1.2',
    title: 'Notification threshold: air force participation',
    description: 'Air force participation is notifiable at 200 sorties by fixed-wing aircraft.',
    comparison: 'at-least',
    figures: { fixedWingSorties: 200 },
  },
  landing: {
    id: 'vd11.v.threshold.landing',
    citation: 'VD11 §40.1.3',
    title: 'Notification threshold: amphibious landing or parachute assault',
    description: 'An amphibious landing or a parachute assault is notifiable at 3,000 troops.',
    comparison: 'at-least',
    figures: { landingTroops: 3000 },
  },
  alertNotification: {
    id: 'vd11.v.alert-notification',
    citation: 'VD11 §41',
    title: 'Alert activities',
    description: 'Activities carried out without advance notice to the troops involved are exempt from the 42 days; they are notified at the time the troops involved commence them.',
    figures: {},
  },
  observedOverNotified: {
    id: 'vd11.v.observed-over-notified',
    citation: 'VD11 Ch. V (notified figures)',
    title: 'More counted than notified',
    description:
      'A notification states the forces an activity involves; an inspection, observation or evaluation counted more of a force figure than the activity\'s notification stated. (A rule on what a notification must contain, not on its timing.)',
    figures: {},
  },
  observedNotNotified: {
    id: 'vd11.v.observed-not-notified',
    citation: 'VD11 §38',
    title: 'Notifiable activity not notified',
    description: 'An observer report counted a notifiable activity (at the §40.1 thresholds) and names no notification of it.',
    figures: {},
  },
  // Chapter VI
  observation: {
    id: 'vd11.vi.observation',
    citation: 'VD11 §47.4',
    title: 'Observation threshold',
    description: 'Observers of all other participating States are invited to an activity of 13,000 troops, or 300 battle tanks, or 500 armoured combat vehicles, or 250 artillery pieces. The invitation is due when the notification is (§38, §41).',
    comparison: 'at-least',
    figures: { troops: 13000, battleTanks: 300, armouredCombatVehicles: 500, artilleryPieces: 250 },
  },
  observationLanding: {
    id: 'vd11.vi.observation.landing',
    citation: 'VD11 §47.5',
    title: 'Observation threshold: amphibious landing or parachute assault',
    description: 'Observers are invited to an amphibious landing or parachute assault of 3,500 troops.',
    comparison: 'at-least',
    figures: { landingTroops: 3500 },
  },
  alertObservation: {
    id: 'vd11.vi.alert-observation',
    citation: 'VD11 Ch. VI',
    title: 'Observation of alert activities; observers per invited State',
    description: 'Alert activities at the observation thresholds are observed when they last over 72 hours; an invitation admits up to 2 observers per invited State.',
    figures: { hours: 72, observersPerState: 2 },
  },
  // Chapter VII
  calendar: {
    id: 'vd11.vii.calendar',
    citation: 'VD11 §61',
    title: 'Annual calendar',
    description: 'Each participating State exchanges its calendar of the notifiable military activities it forecasts for the next calendar year by 15 November.',
    figures: { month: 11, day: 15 },
  },
  // Chapter VIII
  threeYears: {
    id: 'vd11.viii.one-per-three-years',
    citation: 'VD11 §67.1',
    title: 'Constraint: one very large activity per three calendar years',
    description: 'No participating State carries out within three calendar years more than one notifiable activity of more than 40,000 troops or 900 battle tanks.',
    comparison: 'more-than',
    figures: { troops: 40000, battleTanks: 900, activities: 1, calendarYears: 3 },
  },
  perYear: {
    id: 'vd11.viii.six-per-year',
    citation: 'VD11 §67.2',
    title: 'Constraint: six large activities per calendar year',
    description:
      'No participating State carries out within a calendar year more than six notifiable activities of more than 13,000 troops or 300 battle tanks but not more than 40,000 troops or 900 battle tanks (activities above that band fall under §67.1 and do not count here).',
    comparison: 'more-than',
    figures: { troops: 13000, battleTanks: 300, activities: 6 },
  },
  perYearLarge: {
    id: 'vd11.viii.three-larger-per-year',
    citation: 'VD11 §67.2.1',
    title: 'Constraint: of those, three over 25,000 troops or 400 tanks',
    description: 'Of those six (activities not over 40,000 troops or 900 battle tanks), at most three may involve more than 25,000 troops or 400 battle tanks.',
    comparison: 'more-than',
    figures: { troops: 25000, battleTanks: 400, activities: 3 },
  },
  simultaneous: {
    id: 'vd11.viii.simultaneous',
    citation: 'VD11 §67.3',
    title: 'Constraint: three simultaneous large activities',
    description: 'No participating State carries out simultaneously more than three notifiable activities each of more than 13,000 troops or 300 battle tanks.',
    comparison: 'more-than',
    figures: { troops: 13000, battleTanks: 300, activities: 3 },
  },
  inCalendar: {
    id: 'vd11.viii.in-calendar',
    citation: 'VD11 §68',
    title: 'Very large activities only if in the calendar',
    description: 'A notifiable activity of more than 40,000 troops or 900 battle tanks is not carried out unless it was in the annual calendar exchanged by 15 November (§61).',
    comparison: 'more-than',
    figures: { troops: 40000, battleTanks: 900 },
  },
  // Chapter IX
  inspectionQuota: {
    id: 'vd11.ix.inspection-quota',
    citation: 'VD11 Ch. IX',
    title: 'Inspection quota',
    description: 'A participating State is not obliged to accept more than 3 inspections per calendar year, nor more than 1 from the same participating State.',
    figures: { perYear: 3, fromOneState: 1 },
  },
  inspectionReply: {
    id: 'vd11.ix.inspection-reply',
    citation: 'VD11 Ch. IX',
    title: 'Reply to an inspection request',
    description: 'The receiving State replies to an inspection request within 24 hours.',
    figures: { hours: 24 },
  },
  inspectionEntry: {
    id: 'vd11.ix.inspection-entry',
    citation: 'VD11 Ch. IX',
    title: 'Entry of the inspection team',
    description: 'Within its quota, the receiving State permits the inspection team to enter its territory within 36 hours of the request.',
    figures: { hours: 36 },
  },
  inspectionTeam: {
    id: 'vd11.ix.inspection-team',
    citation: 'VD11 Ch. IX',
    title: 'Inspection team',
    description:
      'An inspection team has up to 4 inspectors (enforced by the vd.inspection.request schema) and spends up to 48 hours on site (not evaluated: no content type records when the team leaves).',
    figures: { inspectors: 4, hoursOnSite: 48 },
  },
  evaluationQuota: {
    id: 'vd11.ix.evaluation-quota',
    citation: 'VD11 Ch. IX',
    title: 'Evaluation visit quota',
    description:
      'A participating State accepts one evaluation visit per calendar year for every 60 units (or portion thereof) it reported under Chapter I, at most 15, and at most one fifth of its quota from the same participating State (at least one).',
    figures: { unitsPerVisit: 60, maxPerYear: 15, fromOneStateDivisor: 5 },
  },
  // Parley's own analytic rules on the record
  thresholdMargin: {
    id: 'vd11.threshold-margin',
    citation: 'VD11 Ch. V–VIII',
    title: 'Declared figure just under a threshold',
    description:
      'A notified figure within the configured margin (default 5 %) under a threshold it does not otherwise cross — the Zapad-2017 pattern (12,700 troops against 13,000). The finding cites the threshold approached.',
    figures: {},
  },
  addressing: {
    id: 'vd11.addressing',
    citation: 'VD11 Ch. III, IX',
    title: 'Request not addressed to the State it names',
    description: 'A request names a responding or receiving State that is not among its addressees; no obligation can arise for a State that was not asked.',
    figures: {},
  },
  circulation: {
    id: 'vd11.circulation',
    citation: 'VD11 Ch. I, III, V, VI, VII, IX',
    title: 'What was not circulated does not count',
    description:
      'A rule reads an entry only where every party judging by it holds it, so that all of them find alike and none finds on what it cannot read: a notification, a calendar, an invitation, an annual exchange or an observer report counts when addressed to all participating States ("*", as the Document circulates them); a reply to a request, and a request or acceptance counted against a quota, when addressed to every party holding the request. The catalogue refuses the others where it can check; in a record written without that check, an entry addressed to fewer does not count, and the parties that can read it are told so (information).',
    figures: {},
  },
} as const satisfies Record<string, RuleRow>;

/** The types every rule reads only when addressed to all participating States (VD11.circulation). */
const CIRCULATED: ReadonlySet<string> = new Set(['vd.activity.notification', 'vd.calendar', 'vd.observation.invitation', 'vd.annual-exchange', 'vd.observer.report']);

/** An entry of a type the Document circulates to all, addressed to fewer: no rule reads it (VD11.circulation). */
export const uncirculated = (h: { readonly type?: string; readonly to: readonly string[] }): boolean => h.type !== undefined && CIRCULATED.has(h.type) && !h.to.includes('*');

/** The rows, in table order, as the regime publishes them. */
export const VD11_RULES: readonly RuleRow[] = Object.freeze(Object.values(VD11));

/** The threshold rows, in the order the margin warning consults them (the first row for a figure wins). */
export const THRESHOLD_ROWS: readonly RuleRow[] = [
  VD11.landForces,
  VD11.airForce,
  VD11.landing,
  VD11.observation,
  VD11.observationLanding,
  VD11.perYear,
  VD11.perYearLarge,
  VD11.simultaneous,
  VD11.threeYears,
  VD11.inCalendar,
];

function crosses(value: number, threshold: number, comparison: RuleRow['comparison']): boolean {
  return comparison === 'more-than' ? value > threshold : value >= threshold;
}

/** A row's force thresholds as (body field, figure) pairs, computed once per row. */
const compiled = new WeakMap<RuleRow, [ForceField, number][]>();
function thresholdsOf(row: RuleRow): [ForceField, number][] {
  let pairs = compiled.get(row);
  if (!pairs) {
    pairs = [];
    for (const [figure, threshold] of Object.entries(row.figures)) for (const field of FIGURE_FIELDS[figure] ?? []) pairs.push([field, threshold]);
    compiled.set(row, pairs);
  }
  return pairs;
}

/** Does an activity with these figures meet the row's threshold (any one figure suffices)? */
export function meets(row: RuleRow, f: Forces): boolean {
  for (const [field, threshold] of thresholdsOf(row)) if (crosses(f[field], threshold, row.comparison)) return true;
  return false;
}

/** The figures by which an activity crosses a row's threshold, for explanations. */
export function crossingFields(row: RuleRow, f: Forces): ForceField[] {
  const out: ForceField[] = [];
  for (const [field, threshold] of thresholdsOf(row)) if (crosses(f[field], threshold, row.comparison) && !out.includes(field)) out.push(field);
  return out;
}

/** Is the activity notifiable (§40.1.1–§40.1.3)? Returns the first row it meets. */
export function notifiableBy(f: Forces): RuleRow | undefined {
  return [VD11.landForces, VD11.airForce, VD11.landing].find((row) => meets(row, f));
}

/** Must observers be invited (§47.4, §47.5; alert activities only when longer than 72 h)? Returns the row. */
export function observableBy(f: Forces, alert: boolean, durationMs: number): RuleRow | undefined {
  if (alert && durationMs <= VD11.alertObservation.figures.hours * 3_600_000) return undefined;
  return [VD11.observation, VD11.observationLanding].find((row) => meets(row, f));
}

export interface NearMiss {
  row: RuleRow;
  field: ForceField;
  value: number;
  threshold: number;
}

/**
 * Figures declared within `margin` under a threshold that the activity does not cross by another
 * figure (crossing it anyway means nothing was evaded). One per (figure, threshold value): the
 * first row in THRESHOLD_ROWS that has it.
 */
export function nearMisses(f: Forces, margin: number): NearMiss[] {
  const out: NearMiss[] = [];
  const seen = new Set<string>();
  for (const row of THRESHOLD_ROWS) {
    if (meets(row, f)) continue;
    for (const [field, threshold] of thresholdsOf(row)) {
      const value = f[field];
      const key = `${field}:${threshold}`;
      if (seen.has(key)) continue;
      const under = row.comparison === 'more-than' ? value <= threshold : value < threshold;
      if (under && value > 0 && value >= threshold * (1 - margin)) {
        seen.add(key);
        out.push({ row, field, value, threshold });
      }
    }
  }
  return out;
}
