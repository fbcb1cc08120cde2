/**
 * The hotline regime ("Hot Line II"): acknowledgement deadlines per priority and link tests, as
 * rules with citations (rules.ts) and two evaluators (evaluators.ts). The figures are the
 * network's agreement: defaults flash 5 min, immediate 30 min, routine 24 h, link tests hourly,
 * a finding after two intervals without one; `EvaluateOptions.hotline` sets others.
 *
 * | group         | members                                  | evaluator |
 * |---------------|------------------------------------------|-----------|
 * | `msg:ID`      | one hotline.message (acks found by refs) | acknowledgements — HL §3: an obligation per addressee; met, met-late (finding naming message and ack) or missed (finding naming the message) |
 * | `lt:PARTY`    | the party's link.test entries            | linkTests — HL §4: a finding for each stretch of more than two intervals without one |
 *
 * @example
 *   import { evaluate } from '../engine.js';
 *   const { obligations, findings } = evaluate([hotline], entries, Date.now(), { hotline: { ackSeconds: { flash: 180 } } });
 */
import { evaluate } from '../engine.js';
import type { HeldEntry, Regime } from '../types.js';
import { acknowledgements, linkTests } from './evaluators.js';
import { HOTLINE_RULES } from './rules.js';

function groupsOf(h: HeldEntry): string[] {
  if (!h.body) return [];
  if (h.type === 'hotline.message' && !h.to.includes('*')) return [`msg:${h.id}`];
  if (h.type === 'link.test') return [`lt:${h.author}`];
  return [];
}

export const hotline: Regime = Object.freeze({
  id: 'hotline',
  version: '1.0.0',
  title: 'Hotline agreement (acknowledgements and link tests)',
  rules: HOTLINE_RULES,
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
} satisfies Regime);

export { ackDue, debtorsOf, termsOf } from './evaluators.js';
export { ACK_RULE, DEFAULT_TERMS, HL, HOTLINE_RULES, PRIORITIES, resolveTerms, type HotlineTerms, type Priority, type ResolvedTerms } from './rules.js';
export { hotlineSchemas, type HotlineAck, type HotlineMessage, type LinkTest } from './schemas.js';
