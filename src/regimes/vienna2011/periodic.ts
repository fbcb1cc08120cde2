/**
 * Yearly obligations of each participating State: the Chapter I exchange of military information
 * (by 15 December, valid from 1 January next) and the Chapter VII annual calendar (by
 * 15 November, §61), each for the following calendar year.
 *
 * Who owes them: the record cannot know who signed the Document, and a party that only runs a
 * hotline owes nothing. So a party owes year Y+1's calendar and exchange when it has taken part
 * in the Vienna Document on this network lately: it authored a `vd.*` entry in year Y−1 or Y, at
 * or before the deadline. (A State that sends only its calendar and exchange stays a participant
 * from one year to the next; a party silent for over a calendar year is no longer counted.)
 * The obligation exists from 1 January of year Y; until its deadline it is open.
 *
 * A missed yearly obligation has no evidence entry: what proves it is an absence.
 */
import { deadline, endOfDayUtc, formatDuration } from '../engine.js';
import type { GroupContext, HeldEntry, PartyCode, RuleRow } from '../types.js';
import { VD11 } from './rules.js';

type DatedRow = RuleRow & { figures: { month: number; day: number } };
const ROWS: [DatedRow, string, string][] = [
  [VD11.calendar, 'vd.calendar', 'annual calendar of military activities'],
  [VD11.annualExchange, 'vd.annual-exchange', 'military information (annual exchange)'],
];

/** Group `year:STATE:Y`: the State's `vd.*` entries said in Y−1 or Y, and its calendars and exchanges for Y+1. */
export function yearlyObligations(party: PartyCode, year: number, ctx: GroupContext): void {
  if (ctx.currentYear() < year) return;
  const members = ctx.members();
  for (const [rule, type, words] of ROWS) {
    const due = endOfDayUtc(year, rule.figures.month, rule.figures.day);
    let participates = false;
    let answer: HeldEntry | undefined;
    for (const h of members) {
      if (h.author !== party) continue;
      if (h.t <= due) participates = true;
      if (!answer && h.type === type && (h.body as { year: number }).year === year + 1) answer = h;
    }
    if (!participates) continue;
    const by = new Date(due).toISOString().slice(0, 10);
    deadline(ctx, {
      rule,
      debtor: party,
      creditors: ['*'],
      what: `exchange its ${words} for ${year + 1} by ${by}`,
      due,
      evidence: [],
      anchor: [`${party}:${year + 1}`],
      answer: answer ? { by: answer, at: answer.t } : undefined,
      late: (d) => `${party} exchanged its ${words} for ${year + 1} ${formatDuration(d)} after ${by}`,
      missed: `${party} did not exchange its ${words} for ${year + 1} by ${by}`,
      parties: [party],
    });
  }
}
