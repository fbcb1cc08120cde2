/**
 * Yearly obligations of each participating State: the Chapter I exchange of military information
 * (by 15 December, valid from 1 January next) and the Chapter VII annual calendar (by
 * 15 November, §61), each for the following calendar year.
 *
 * Who owes them is a fact of the record, never a guess from activity: a party takes part in the
 * Vienna Document on this network from the time an adopted agreement naming it and setting `vd11`
 * terms is in force (see VD11_TERMS: the participation entry the network adopts). A party that
 * only filed a report, or a party that runs only the hotline, owes nothing. For each calendar
 * year Y from the year its participation begins up to the evaluation's year, a participating
 * State owes Y+1's calendar and exchange when its participation is in force at their deadline;
 * the obligations exist from then (or from 1 January of Y) and are open until the deadline. The
 * agreement is their evidence.
 */
import { deadline, endOfDayUtc, formatDuration, utcYear } from '../engine.js';
import type { GroupContext, HeldEntry, PartyCode, RuleRow } from '../types.js';
import { VD11 } from './rules.js';

type DatedRow = RuleRow & { figures: { month: number; day: number } };
const ROWS: [DatedRow, string, string][] = [
  [VD11.calendar, 'vd.calendar', 'annual calendar of military activities'],
  [VD11.annualExchange, 'vd.annual-exchange', 'military information (annual exchange)'],
];

/**
 * Group `part:STATE`: the adopted-agreement proposals naming STATE with `vd11` terms (they start
 * the group; whether they are in force is read through `ctx.agreement`), and STATE's calendars and
 * exchanges (the answers).
 */
export function yearlyObligations(party: PartyCode, ctx: GroupContext): void {
  const members = ctx.members();
  let first = Infinity;
  for (const h of members) {
    if (h.type !== 'agreement.proposal') continue;
    const effective = Date.parse(String((h.body as { effective?: unknown }).effective));
    first = Math.min(first, Math.max(h.t, Number.isFinite(effective) ? effective : h.t));
  }
  if (first === Infinity) return;
  const current = ctx.currentYear();
  for (let year = utcYear(first); year <= current; year++) {
    for (const [rule, type, words] of ROWS) {
      const due = endOfDayUtc(year, rule.figures.month, rule.figures.day);
      const participation = ctx.agreement([party], due);
      if (!participation) continue;
      const agreement = ctx.get(participation.id);
      let answer: HeldEntry | undefined;
      for (const h of members) {
        if (h.author === party && h.type === type && (h.body as { year: number }).year === year + 1) {
          answer = h;
          break;
        }
      }
      const by = new Date(due).toISOString().slice(0, 10);
      deadline(ctx, {
        rule,
        debtor: party,
        creditors: ['*'],
        what: `exchange its ${words} for ${year + 1} by ${by}`,
        due,
        evidence: agreement ? [agreement] : [],
        anchor: [`${party}:${year + 1}`],
        answer: answer ? { by: answer, at: answer.t } : undefined,
        late: (d) => `${party} exchanged its ${words} for ${year + 1} ${formatDuration(d)} after ${by}`,
        missed: `${party} did not exchange its ${words} for ${year + 1} by ${by}`,
        parties: [party],
      });
    }
  }
}
