/**
 * The talks record: meetings, each party's readout, standing positions (red lines, reserved),
 * commitments that come due, briefings — and joint statements, which are agreement proposals that
 * set no terms (src/regimes/agreement: adopted once every signatory endorsed that exact entry).
 * The divergence report (divergence.ts) compares the readouts a node holds.
 *
 * | group           | members                 | evaluator |
 * |-----------------|-------------------------|-----------|
 * | `commitment:ID` | one talks.commitment    | commitment — TALKS §commitment: an obligation per owner, by the due date or each period of a cadence |
 * | `meeting:ID`    | one talks.meeting       | briefings — TALKS §briefing: under agreed terms, attending parties brief the concerned parties that did not attend |
 * | `readout:ID`    | one talks.readout       | attendance — TALKS §readout: a readout by a party that did not attend, once the meeting is held |
 *
 * @example
 *   import { evaluate } from '../engine.js';
 *   const { obligations, findings } = evaluate([talks], entries, Date.now());
 */
import { evaluate } from '../engine.js';
import type { RegimeModule } from '../module.js';
import type { HeldEntry } from '../types.js';
import { attendance, briefings, commitment } from './evaluators.js';
import { TALKS_RULES, TALKS_TERMS } from './rules.js';
import { talksSchemas } from './schemas.js';
import { talksService } from './live/service.js';

const GROUP: Readonly<Record<string, string>> = { 'talks.commitment': 'commitment', 'talks.meeting': 'meeting', 'talks.readout': 'readout' };

function groupsOf(h: HeldEntry): string[] {
  const kind = h.type === undefined ? undefined : GROUP[h.type];
  return kind && h.body ? [`${kind}:${h.id}`] : [];
}

/** The meeting a readout, position, commitment or briefing names in its body: found by `ctx.referrers(meeting)`. */
function linksOf(h: HeldEntry): string[] {
  if (!h.body || h.type === undefined || !h.type.startsWith('talks.')) return [];
  const m = h.body.meeting;
  return typeof m === 'string' && !h.refs.includes(m) ? [m] : [];
}

export const talks: RegimeModule = Object.freeze({
  id: 'talks',
  version: '1.0.0',
  title: 'The talks record (meetings, readouts, commitments, briefings)',
  rules: TALKS_RULES,
  types: talksSchemas,
  terms: TALKS_TERMS,
  // Loaded only by a running node: the regime itself stays pure.
  service: talksService,
  groupsOf,
  linksOf,
  evaluateGroup(key, ctx) {
    const [h] = ctx.members();
    if (!h) return;
    if (key.startsWith('commitment:')) commitment(h, ctx);
    else if (key.startsWith('meeting:')) briefings(h, ctx);
    else if (key.startsWith('readout:')) attendance(h, ctx);
  },
  evaluate(entries, at, options) {
    return evaluate([talks], entries, at, options);
  },
} satisfies RegimeModule);

export { divergence, type DivergenceReport } from './divergence.js';
export { talksList, talksStatements, type MeetingSummary, type StatementStatus } from './views.js';
export { TALKS, TALKS_RULES, TALKS_TERMS, type TalksTerms } from './rules.js';
export { talksSchemas, type Briefing, type Commitment, type Meeting, type Position, type Readout } from './schemas.js';
