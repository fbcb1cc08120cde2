/**
 * The hotline agreement as data: acknowledgement deadlines per priority and the link-test
 * schedule, each figure once, with its citation.
 *
 * There is no treaty text behind "Hot Line II": the network's parties agree its terms. The rows
 * below are Parley's default terms, cited as paragraphs of that agreement (`HL §n`); the hourly
 * link test follows the Moscow–Washington Direct Communications Link, tested every hour since 1963
 * (DOMAIN.md, "Channels that exist"). Parties that agree other figures set them as
 * {@link HotlineTerms} in an agreement in the record, endorsed by each of them: every party holding
 * the record then computes the same findings.
 */
import type { RuleRow, TermsProblem, TermsSpec } from '../types.js';

export const PRIORITIES = ['flash', 'immediate', 'routine'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const HL = {
  ackFlash: {
    id: 'hotline.ack.flash',
    citation: 'HL §3.1',
    title: 'Acknowledgement of a flash message',
    description:
      'Every addressee of a flash message acknowledges it (a duty officer has read it: a hotline.ack naming the message in its refs) within 5 minutes of the message\'s header time — when it was sent, even if the link was down then. An acknowledgement counts when it is addressed to the message\'s author and other addressees (every party holding the message): one addressed to fewer does not (information to those who can read it), so that no party finds a lapse on an acknowledgement it cannot read, and all find alike.',
    figures: { seconds: 5 * 60 },
  },
  ackImmediate: {
    id: 'hotline.ack.immediate',
    citation: 'HL §3.2',
    title: 'Acknowledgement of an immediate message',
    description: 'Every addressee of an immediate message acknowledges it within 30 minutes of the message\'s header time.',
    figures: { seconds: 30 * 60 },
  },
  ackRoutine: {
    id: 'hotline.ack.routine',
    citation: 'HL §3.3',
    title: 'Acknowledgement of a routine message',
    description: 'Every addressee of a routine message acknowledges it within 24 hours of the message\'s header time.',
    figures: { seconds: 24 * 3600 },
  },
  linkTest: {
    id: 'hotline.link-test',
    citation: 'HL §4 (after the 1963 DCL hourly test)',
    title: 'Link tests',
    description:
      'A party that runs the hotline sends a link.test to every party every interval (hourly by default). No link test from it for more than two intervals is a finding; counted from its first link test. Only link tests addressed to every party ("*") count: each party judges the same schedule.',
    figures: { intervalSeconds: 3600, missedIntervals: 2 },
  },
} as const satisfies Record<string, RuleRow>;

export const HOTLINE_RULES: readonly RuleRow[] = Object.freeze(Object.values(HL));

/** The acknowledgement rule of each priority. */
export const ACK_RULE: Readonly<Record<Priority, RuleRow & { figures: { seconds: number } }>> = Object.freeze({
  flash: HL.ackFlash,
  immediate: HL.ackImmediate,
  routine: HL.ackRoutine,
});

/**
 * The terms a network agrees, where they differ from the rows above. All figures in seconds.
 * They are set by an adopted agreement in the record (src/regimes/agreement), binding the parties
 * it names; a node's config.json `hotline.agreement` only drafts a proposal.
 *
 * @example
 *   // the terms of an agreement.proposal: a flash window of 3 minutes, links tested every 30 minutes
 *   { "hotline": { "ackSeconds": { "flash": 180 }, "linkTestIntervalSeconds": 1800 } }
 */
export interface HotlineTerms {
  ackSeconds?: Partial<Record<Priority, number>>;
  linkTestIntervalSeconds?: number;
  /** How many intervals without a link test make a finding (default 2). */
  missedLinkTestIntervals?: number;
}

/** The terms in force, every figure present, in milliseconds. */
export interface ResolvedTerms {
  readonly ackMs: Readonly<Record<Priority, number>>;
  readonly linkTestIntervalMs: number;
  readonly missedLinkTestIntervals: number;
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const seconds = (v: unknown) => `is ${JSON.stringify(v)}; it must be a positive number of seconds`;

/** The first problem of a hotline terms object, by field path (`ackSeconds.flash`). */
function check(terms: unknown): TermsProblem | undefined {
  if (!isObject(terms)) return { field: '', message: 'must be an object' };
  for (const k of Object.keys(terms)) {
    if (!['ackSeconds', 'linkTestIntervalSeconds', 'missedLinkTestIntervals'].includes(k)) return { field: k, message: 'is not a term of the hotline agreement (ackSeconds, linkTestIntervalSeconds, missedLinkTestIntervals)' };
  }
  const ack = terms.ackSeconds;
  if (ack !== undefined) {
    if (!isObject(ack)) return { field: 'ackSeconds', message: `must be an object of seconds per priority (${PRIORITIES.join(', ')})` };
    for (const [p, v] of Object.entries(ack)) {
      if (!(PRIORITIES as readonly string[]).includes(p)) return { field: `ackSeconds.${p}`, message: `is not a priority (${PRIORITIES.join(', ')})` };
      if (!positive(v)) return { field: `ackSeconds.${p}`, message: seconds(v) };
    }
  }
  const interval = terms.linkTestIntervalSeconds;
  if (interval !== undefined && !positive(interval)) return { field: 'linkTestIntervalSeconds', message: seconds(interval) };
  const missed = terms.missedLinkTestIntervals;
  if (missed !== undefined && !(Number.isInteger(missed) && (missed as number) >= 1)) {
    return { field: 'missedLinkTestIntervals', message: `is ${JSON.stringify(missed)}; it must be a whole number of intervals, 1 or more` };
  }
  return undefined;
}

/** The default terms overridden by `terms` (checked beforehand: an agreement's terms are checked at append and accept). */
function resolve(terms: Readonly<Record<string, unknown>> | undefined): ResolvedTerms {
  const t = (terms ?? {}) as HotlineTerms;
  const ackMs = {} as Record<Priority, number>;
  for (const p of PRIORITIES) ackMs[p] = (t.ackSeconds?.[p] ?? ACK_RULE[p].figures.seconds) * 1000;
  return Object.freeze({
    ackMs: Object.freeze(ackMs),
    linkTestIntervalMs: (t.linkTestIntervalSeconds ?? HL.linkTest.figures.intervalSeconds) * 1000,
    missedLinkTestIntervals: t.missedLinkTestIntervals ?? HL.linkTest.figures.missedIntervals,
  });
}

const secondsSchema = { type: 'number', exclusiveMinimum: 0 } as const;

/** What an agreement may set for the hotline; the defaults are the rows above. */
export const HOTLINE_TERMS: TermsSpec<ResolvedTerms> = Object.freeze({
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ackSeconds: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(PRIORITIES.map((p) => [p, { ...secondsSchema, description: `Acknowledgement window of a ${p} message (${ACK_RULE[p].citation}).` }])),
      },
      linkTestIntervalSeconds: { ...secondsSchema, description: `A link test every this many seconds (${HL.linkTest.citation}).` },
      missedLinkTestIntervals: { type: 'integer', minimum: 1, description: 'How many intervals without a link test make a finding.' },
    },
  },
  defaults: Object.freeze({
    ackSeconds: Object.fromEntries(PRIORITIES.map((p) => [p, ACK_RULE[p].figures.seconds])),
    linkTestIntervalSeconds: HL.linkTest.figures.intervalSeconds,
    missedLinkTestIntervals: HL.linkTest.figures.missedIntervals,
  }),
  check,
  resolve,
});

export const DEFAULT_TERMS: ResolvedTerms = resolve(undefined);
