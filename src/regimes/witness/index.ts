/**
 * Witnessed time (Parley protocol §witnessed-time): an author's claimed time earlier than the first
 * receipt of the entry by another party it is addressed to, by more than the agreed tolerance, is
 * a finding — "back-dated or held back" — with the receipt as evidence. The engine already judges
 * every regime's deadlines on the witnessed time; this module sets the tolerance (its terms) and
 * states the finding.
 *
 * | group        | members                                         | evaluator |
 * |--------------|-------------------------------------------------|-----------|
 * | `witness:ID` | one entry whose first witness came > 1 min late | backDated |
 */
import { compareHeld, evaluate, formatDuration, isoTime } from '../engine.js';
import type { RegimeModule } from '../module.js';
import type { GroupContext, HeldEntry } from '../types.js';
import { WITNESS, WITNESS_RULES, WITNESS_TERMS, type ResolvedWitnessTerms } from './rules.js';

function backDated(ctx: GroupContext): void {
  const [h] = ctx.members();
  const w = h?.witnessed;
  if (!h || !w) return;
  const { toleranceMs } = ctx.terms<ResolvedWitnessTerms>([h.author, w.party], w.t);
  if (h.claimed >= w.t - toleranceMs) return;
  const receipt = ctx.get(w.receipt);
  const evidence: HeldEntry[] = receipt ? [h, receipt].sort(compareHeld) : [h];
  ctx.finding({
    rule: WITNESS.backDated,
    severity: 'warning',
    parties: [h.author, w.party],
    explanation:
      `${h.author}#${h.seq} (${h.type}) is dated ${isoTime(h.claimed)}, but the first other party to hold it, ${w.party}, receipted it at ${isoTime(w.t)}: ` +
      `${formatDuration(w.t - h.claimed)} later, more than the agreed tolerance of ${formatDuration(toleranceMs)}. ` +
      `Back-dated, or held back (not sent, or not deliverable) until then; the regimes judge it at ${isoTime(w.t)}`,
    evidence,
    at: w.t,
    // One finding per entry, whichever receipt turns out to be its first witness.
    anchor: [h.id],
  });
}

export const witness: RegimeModule = {
  id: 'witness',
  version: '1.0.0',
  title: 'Witnessed time (back-dated or held back)',
  rules: WITNESS_RULES,
  types: {},
  terms: WITNESS_TERMS,
  groupsOf: (h: HeldEntry) => (h.witnessed && h.type !== undefined ? [`witness:${h.id}`] : []),
  evaluateGroup: (_key: string, ctx: GroupContext) => backDated(ctx),
  witnessTolerance: (terms: unknown) => (terms as ResolvedWitnessTerms).toleranceMs,
  evaluate: (entries, at, options) => evaluate([witness], entries, at, options),
};
