/**
 * The talks record's rules as data. There is no treaty behind talks between adversaries: what
 * binds the parties is what they decided at the meeting (its commitments, each an entry in the
 * record with its owners and due date) and the terms they agree in the record (a briefing
 * deadline). The citations say so: `TALKS §commitment` points at the meeting's own commitment
 * entry, `TALKS §briefing` at the agreed terms.
 */
import type { RuleRow, TermsProblem, TermsSpec } from '../types.js';

export const TALKS = {
  commitment: {
    id: 'talks.commitment',
    citation: 'TALKS §commitment',
    title: 'A commitment made at a meeting',
    description:
      'A talks.commitment binds each of its owners: by its due date, or in every period of its cadence, each owner makes the entry it names as fulfilling it (a later meeting of that group, a report), referring to the commitment. A lapse is a finding. The citation is completed with the commitment entry\'s id.',
    figures: {},
  },
  attendance: {
    id: 'talks.readout.attendance',
    citation: 'TALKS §readout',
    title: 'A readout is by a party that attended',
    description:
      'A readout is one party\'s account of a meeting its delegation attended. A node holding the meeting refuses a readout by any other party; one accepted where the meeting was not held is a finding once the meeting is, and no divergence report counts it.',
    figures: {},
  },
  briefing: {
    id: 'talks.briefing',
    citation: 'TALKS §briefing (agreed terms)',
    title: 'Parties an item concerns are briefed',
    description:
      'Where the parties have agreed a briefing deadline (terms `briefingHours`, default 0: none), each party whose delegation attended a meeting briefs every party an agenda item concerns that did not attend, within that many hours of the meeting, with a talks.briefing naming it. The deadline of a pair is that of the agreement binding both.',
    figures: { briefingHours: 0 },
  },
} as const satisfies Record<string, RuleRow>;

export const TALKS_RULES: readonly RuleRow[] = Object.freeze(Object.values(TALKS));

/**
 * What an agreement may set for the talks record.
 *
 * @example
 *   // the terms of an agreement.proposal between USA and UKR: brief within 48 hours
 *   { "talks": { "briefingHours": 48 } }
 */
export interface TalksTerms {
  briefingHours?: number;
}

export interface ResolvedTalksTerms {
  /** 0: no briefing deadline. */
  readonly briefingMs: number;
}

function check(terms: unknown): TermsProblem | undefined {
  if (typeof terms !== 'object' || terms === null || Array.isArray(terms)) return { field: '', message: 'must be an object' };
  for (const [k, v] of Object.entries(terms)) {
    if (k !== 'briefingHours') return { field: k, message: 'is not a term of the talks record (briefingHours)' };
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return { field: k, message: `is ${JSON.stringify(v)}; it must be a number of hours, 0 for no deadline` };
  }
  return undefined;
}

function resolve(terms: Readonly<Record<string, unknown>> | undefined): ResolvedTalksTerms {
  const hours = (terms as TalksTerms | undefined)?.briefingHours ?? TALKS.briefing.figures.briefingHours;
  return Object.freeze({ briefingMs: hours * 3_600_000 });
}

export const TALKS_TERMS: TermsSpec<ResolvedTalksTerms> = Object.freeze({
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      briefingHours: { type: 'number', minimum: 0, description: `Brief the parties an agenda item concerns within this many hours of the meeting; 0: no deadline (${TALKS.briefing.citation}).` },
    },
  },
  defaults: Object.freeze({ briefingHours: TALKS.briefing.figures.briefingHours }),
  check,
  resolve,
});
