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
 * | `group:ID`      | the agreement proposals defining working group ID, its working-group meetings | groupCadence — TALKS §group: the group meets within its agreed cadence (terms `groups.ID`) |
 *
 * @example
 *   import { evaluate } from '../engine.js';
 *   const { obligations, findings } = evaluate([talks], entries, Date.now());
 */
import { evaluate } from '../engine.js';
import type { RegimeModule } from '../module.js';
import type { HeldEntry } from '../types.js';
import { PROPOSAL } from '../agreement/book.js';
import { attendance, briefings, commitment, groupCadence } from './evaluators.js';
import { TALKS_RULES, TALKS_TERMS } from './rules.js';
import { talksSchemas } from './schemas.js';
import { talksService } from './live/service.js';

const GROUP: Readonly<Record<string, string>> = { 'talks.commitment': 'commitment', 'talks.meeting': 'meeting', 'talks.readout': 'readout' };

/**
 * A working group's key: `group:ID` holds the agreement proposals whose talks terms define group
 * ID and its meetings (format working-group, `group` ID).
 */
function groupsOf(h: HeldEntry): string[] {
  if (!h.body || h.type === undefined) return [];
  if (h.type === PROPOSAL) {
    const groups = (h.body.terms as { talks?: { groups?: unknown } } | undefined)?.talks?.groups;
    return groups && typeof groups === 'object' && !Array.isArray(groups) ? Object.keys(groups).map((id) => `group:${id}`) : [];
  }
  const kind = GROUP[h.type];
  if (!kind) return [];
  const group = h.body.group;
  return kind === 'meeting' && h.body.format === 'working-group' && typeof group === 'string' ? [`${kind}:${h.id}`, `group:${group}`] : [`${kind}:${h.id}`];
}

/** The meeting a readout, position, commitment or briefing names in its body: found by `ctx.referrers(meeting)`. */
function linksOf(h: HeldEntry): string[] {
  if (!h.body || h.type === undefined || !h.type.startsWith('talks.')) return [];
  const m = h.body.meeting;
  return typeof m === 'string' && !h.refs.includes(m) ? [m] : [];
}

export const talks: RegimeModule = Object.freeze({
  id: 'talks',
  // 1.1.0: working groups and their agreed cadence (TALKS §group).
  // 1.2.0: what a rule reads of another entry (a commitment's fulfilment and meeting, a briefing,
  // a readout's meeting, a group's meetings) counts only when every party judging it holds it too.
  version: '1.2.0',
  title: 'The talks record (meetings, readouts, commitments, briefings)',
  rules: TALKS_RULES,
  types: talksSchemas,
  terms: TALKS_TERMS,
  // Loaded only by a running node: the regime itself stays pure.
  service: talksService,
  groupsOf,
  linksOf,
  evaluateGroup(key, ctx) {
    if (key.startsWith('group:')) return groupCadence(key.slice('group:'.length), ctx);
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
export { TALKS, TALKS_RULES, TALKS_TERMS, type GroupTerms, type TalksTerms } from './rules.js';
export { talksSchemas, type Briefing, type Commitment, type Meeting, type Position, type Readout } from './schemas.js';
