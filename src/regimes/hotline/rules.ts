/**
 * The hotline agreement as data: acknowledgement deadlines per priority and the link-test
 * schedule, each figure once, with its citation.
 *
 * There is no treaty text behind "Hot Line II": the network's parties agree its terms. The rows
 * below are Parley's default terms, cited as paragraphs of that agreement (`HL §n`); the hourly
 * link test follows the Moscow–Washington Direct Communications Link, tested every hour since 1963
 * (DOMAIN.md, "Channels that exist"). A network that agrees other figures sets them as
 * {@link HotlineTerms} — node config.json `hotline.agreement`, or `EvaluateOptions.hotline` — and
 * every party of that network must use the same terms to compute the same findings.
 */
import { ParleyError } from '../../protocol/errors.js';
import type { RuleRow } from '../types.js';

export const PRIORITIES = ['flash', 'immediate', 'routine'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const HL = {
  ackFlash: {
    id: 'hotline.ack.flash',
    citation: 'HL §3.1',
    title: 'Acknowledgement of a flash message',
    description:
      'Every addressee of a flash message acknowledges it (a duty officer has read it: a hotline.ack naming the message in its refs) within 5 minutes of the message\'s header time — when it was sent, even if the link was down then.',
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
      'A party that runs the hotline sends a link.test to every party every interval (hourly by default). No link test from it for more than two intervals is a finding; counted from its first link test.',
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
 *
 * @example
 *   // config.json of a node: a network whose flash window is 3 minutes and whose links are tested every 30 minutes
 *   { "hotline": { "agreement": { "ackSeconds": { "flash": 180 }, "linkTestIntervalSeconds": 1800 } } }
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

const resolved = new WeakMap<object, ResolvedTerms>();

/** The default terms overridden by `terms`; refuses a figure that is not a positive number of seconds. */
export function resolveTerms(terms: HotlineTerms | undefined): ResolvedTerms {
  if (terms) {
    const known = resolved.get(terms);
    if (known) return known;
  }
  const t = terms ?? {};
  const bad = (what: string, v: unknown) => new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `hotline agreement: ${what} is ${JSON.stringify(v)}; it must be a positive number of seconds`);
  const ackMs = {} as Record<Priority, number>;
  for (const p of PRIORITIES) {
    const v = t.ackSeconds?.[p];
    if (v !== undefined && !positive(v)) throw bad(`ackSeconds.${p}`, v);
    ackMs[p] = (v ?? ACK_RULE[p].figures.seconds) * 1000;
  }
  if (t.ackSeconds) for (const k of Object.keys(t.ackSeconds)) if (!(PRIORITIES as readonly string[]).includes(k)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `hotline agreement: ackSeconds.${k} is not a priority (${PRIORITIES.join(', ')})`);
  const interval = t.linkTestIntervalSeconds;
  if (interval !== undefined && !positive(interval)) throw bad('linkTestIntervalSeconds', interval);
  const missed = t.missedLinkTestIntervals;
  if (missed !== undefined && !(Number.isInteger(missed) && missed >= 1)) {
    throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `hotline agreement: missedLinkTestIntervals is ${JSON.stringify(missed)}; it must be a whole number of intervals, 1 or more`);
  }
  const out: ResolvedTerms = Object.freeze({
    ackMs: Object.freeze(ackMs),
    linkTestIntervalMs: (interval ?? HL.linkTest.figures.intervalSeconds) * 1000,
    missedLinkTestIntervals: missed ?? HL.linkTest.figures.missedIntervals,
  });
  if (terms) resolved.set(terms, out);
  return out;
}

export const DEFAULT_TERMS: ResolvedTerms = resolveTerms(undefined);
