/**
 * Witnessed time as a rule: an entry's time for the regimes is bounded by when other parties
 * first held it (their signed receipts, entries of their own logs, carry their own times). The
 * engine judges every regime's deadlines on that time (engine.ts, "Witnessed time"); this regime
 * says so in the record, as a finding, where an author's claim is earlier than its first witness
 * by more than the tolerance the author and that witness agreed.
 */
import { DEFAULT_WITNESS_TOLERANCE_MS, WITNESS_FLOOR_MS } from '../engine.js';
import type { RuleRow, TermsProblem, TermsSpec } from '../types.js';

export const WITNESS = {
  backDated: {
    id: 'witness.back-dated',
    citation: 'Parley protocol §witnessed-time',
    title: 'Back-dated or held back',
    description:
      'An entry whose header time is earlier than the first receipt of it by another party it is addressed to (any other party for "*") by more than the agreed tolerance (terms `toleranceSeconds`, default 600): the author back-dated it, or held it back — wrote it and did not send it, or could not deliver it — until then. Every regime judges its deadlines on the receipt\'s time; the finding names the receipt as evidence.',
    figures: { toleranceSeconds: DEFAULT_WITNESS_TOLERANCE_MS / 1000 },
  },
} as const satisfies Record<string, RuleRow>;

export const WITNESS_RULES: readonly RuleRow[] = Object.freeze(Object.values(WITNESS));

/**
 * What an agreement may set for witnessed time.
 *
 * @example
 *   { "witness": { "toleranceSeconds": 1800 } }   // a claim may precede its first witness by 30 minutes
 */
export interface WitnessTerms {
  toleranceSeconds?: number;
}

export interface ResolvedWitnessTerms {
  readonly toleranceMs: number;
}

const MIN_S = WITNESS_FLOOR_MS / 1000;
const MAX_S = 7 * 86_400;

function check(terms: unknown): TermsProblem | undefined {
  if (typeof terms !== 'object' || terms === null || Array.isArray(terms)) return { field: '', message: 'must be an object' };
  for (const [k, v] of Object.entries(terms)) {
    if (k !== 'toleranceSeconds') return { field: k, message: 'is not a term of witnessed time (toleranceSeconds)' };
    if (!(Number.isInteger(v) && (v as number) >= MIN_S && (v as number) <= MAX_S)) return { field: k, message: `is ${JSON.stringify(v)}; it must be a whole number of seconds, ${MIN_S} to ${MAX_S}` };
  }
  return undefined;
}

function resolve(terms: Readonly<Record<string, unknown>> | undefined): ResolvedWitnessTerms {
  const s = (terms as WitnessTerms | undefined)?.toleranceSeconds ?? WITNESS.backDated.figures.toleranceSeconds;
  return Object.freeze({ toleranceMs: s * 1000 });
}

export const WITNESS_TERMS: TermsSpec<ResolvedWitnessTerms> = Object.freeze({
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      toleranceSeconds: {
        type: 'integer', minimum: MIN_S, maximum: MAX_S,
        description: `How much earlier than its first witness (another party's receipt) an author's claimed time may be, in seconds (${WITNESS.backDated.citation}); beyond it the entry is judged at the receipt's time and is a finding.`,
      },
    },
  },
  defaults: Object.freeze({ toleranceSeconds: WITNESS.backDated.figures.toleranceSeconds }),
  check,
  resolve,
});
