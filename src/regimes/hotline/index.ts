/**
 * The hotline regime ("Hot Line II"): acknowledgement deadlines per priority and link tests, as
 * rules with citations (rules.ts) and two evaluators (evaluators.ts). The figures are the
 * parties' agreement: defaults flash 5 min, immediate 30 min, routine 24 h, link tests hourly,
 * a finding after two intervals without one; an adopted agreement in the record sets others for
 * the parties it names (HOTLINE_TERMS). Its live service (./live) raises the alarms, keeps
 * link health and sends the link tests in a running node.
 *
 * | group         | members                                  | evaluator |
 * |---------------|------------------------------------------|-----------|
 * | `msg:ID`      | one hotline.message (acks found by refs) | acknowledgements — HL §3: an obligation per addressee; met, met-late (finding naming message and ack) or missed (finding naming the message) |
 * | `lt:PARTY`    | the party's link.test entries            | linkTests — HL §4: a finding for each stretch of more than two intervals without one |
 *
 * @example
 *   import { evaluate } from '../engine.js';
 *   const { obligations, findings } = evaluate([hotline], entries, Date.now());
 */
import type { LedgerEntry } from '../../ledger/ledger.js';
import { evaluate } from '../engine.js';
import type { RegimeModule } from '../module.js';
import type { HeldEntry } from '../types.js';
import { acknowledgements, linkTests } from './evaluators.js';
import { HOTLINE_RULES, HOTLINE_TERMS } from './rules.js';
import { hotlineService } from './live/service.js';
import { hotlineSchemas } from './schemas.js';

function groupsOf(h: HeldEntry): string[] {
  if (!h.body) return [];
  if (h.type === 'hotline.message' && !h.to.includes('*')) return [`msg:${h.id}`];
  // A link test to fewer than every party: each party would judge a different schedule.
  if (h.type === 'link.test' && h.to.includes('*')) return [`lt:${h.author}`];
  return [];
}

/**
 * A flash hotline message addressed to `peer`: it ends its push batch to that peer
 * (FederationOptions.endsBatch), so its receipt does not wait for bulk entries committed after it.
 */
export function isFlashFor(e: LedgerEntry, peer: string): boolean {
  return e.type === 'hotline.message' && e.body?.priority === 'flash' && (e.to ?? []).some((p) => p === '*' || p === peer);
}

export const hotline: RegimeModule = Object.freeze({
  id: 'hotline',
  // 1.1.0: the figures come from the agreements in the record, per pair of parties.
  // 1.2.0: an acknowledgement counts when every party holding the message holds it; link tests to "*".
  version: '1.2.0',
  title: 'Hotline agreement (acknowledgements and link tests)',
  rules: HOTLINE_RULES,
  types: hotlineSchemas,
  terms: HOTLINE_TERMS,
  urgent: isFlashFor,
  // Loaded only by a running node: the regime itself stays pure.
  service: hotlineService,
  groupsOf,
  evaluateGroup(key, ctx) {
    const i = key.indexOf(':');
    const kind = key.slice(0, i);
    const rest = key.slice(i + 1);
    if (kind === 'lt') return linkTests(rest, ctx);
    if (kind === 'msg') {
      const [message] = ctx.members();
      if (message) acknowledgements(message, ctx);
    }
  },
  evaluate(entries, at, options) {
    return evaluate([hotline], entries, at, options);
  },
} satisfies RegimeModule);

export { ackDue, debtorsOf } from './evaluators.js';
export { ACK_RULE, DEFAULT_TERMS, HL, HOTLINE_RULES, HOTLINE_TERMS, PRIORITIES, type HotlineTerms, type Priority, type ResolvedTerms } from './rules.js';
export { hotlineSchemas, type HotlineAck, type HotlineMessage, type LinkTest } from './schemas.js';
