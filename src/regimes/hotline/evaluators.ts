/**
 * The hotline's evaluators: acknowledgement deadlines of each message (HL §3) and the link-test
 * schedule of each party (HL §4). Deadlines count from the header time — when the author said
 * it — so a message sent while its addressee's node was down keeps its original deadline.
 */
import { deadline, doesNotCount, formatDuration, unreached } from '../engine.js';
import type { GroupContext, HeldEntry, PartyCode } from '../types.js';
import { ACK_RULE, HL, type ResolvedTerms } from './rules.js';
import type { HotlineMessage } from './schemas.js';

/**
 * The parties that owe an acknowledgement of `message`: its addressees other than its author.
 * A message to "*" names nobody in particular and owes none (the record cannot say who "every
 * party" was when it was sent; the CLI expands "*" to the roster for that reason).
 */
export function debtorsOf(message: { author: PartyCode; to: readonly string[] }): PartyCode[] {
  if (message.to.includes('*')) return [];
  return [...new Set(message.to)].filter((p) => p !== message.author).sort();
}

/** When the acknowledgement of a message is due: its header time plus its priority's window. The due millisecond itself is on time. */
export function ackDue(message: { t: number; body?: Readonly<Record<string, unknown>> }, terms: ResolvedTerms): number {
  const priority = (message.body as unknown as HotlineMessage).priority;
  return message.t + terms.ackMs[priority];
}

const quote = (s: string): string => `"${s.length > 80 ? `${s.slice(0, 77)}...` : s}"`;

/**
 * HL §3: every addressee acknowledges the message by its priority's deadline — the window of the
 * agreement binding the message's author and that addressee when the message was sent (each
 * addressee may have its own), or the default. An acknowledgement counts when every party holding
 * the message holds it too (addressed to the message's author and other addressees, as the
 * catalogue asks where it can check): then each of them finds alike, and none finds a lapse on an
 * acknowledgement it cannot read. One addressed to fewer does not count; those who can read it are
 * told so (information).
 */
export function acknowledgements(message: HeldEntry, ctx: GroupContext): void {
  const body = message.body as unknown as HotlineMessage;
  const rule = ACK_RULE[body.priority];
  const what = `${message.author}'s ${body.priority} message ${quote(body.subject)}`;
  const debtors = debtorsOf(message);
  const acks: HeldEntry[] = [];
  for (const h of ctx.referrers(message.id)) {
    if (h.type !== 'hotline.ack' || !debtors.includes(h.author)) continue;
    const missing = unreached(h, message);
    if (!missing.length) {
      acks.push(h);
      continue;
    }
    doesNotCount(ctx, { rule, h, judged: message, missing, what: `${h.author}'s acknowledgement of ${what}`, holding: 'the message' });
  }
  for (const debtor of debtors) {
    const terms = ctx.terms<ResolvedTerms>([message.author, debtor], message.t);
    const window = formatDuration(terms.ackMs[body.priority]);
    const due = ackDue(message, terms);
    const ack = acks.find((h) => h.author === debtor);
    deadline(ctx, {
      rule,
      debtor,
      creditors: [message.author],
      what: `acknowledge ${what} within ${window}`,
      due,
      evidence: [message],
      answer: ack ? { by: ack, at: ack.t } : undefined,
      late: (d) => `${debtor} acknowledged ${what} ${formatDuration(d)} after its ${window} deadline`,
      missed: `${debtor} did not acknowledge ${what} within ${window}`,
    });
  }
}

/**
 * HL §4: from its first link test on, a party sends one every interval to every party (to "*":
 * only those count, so that every party judges the same schedule); a stretch of more than
 * `missedLinkTestIntervals` intervals without one is a finding — with the tests on either side
 * as evidence once the next one came, with the last one while none has. The interval is that of
 * the agreement binding the party when it sent the test that opens the stretch.
 */
export function linkTests(author: PartyCode, ctx: GroupContext): void {
  const rule = HL.linkTest;
  const tests = ctx.members();
  for (let i = 0; i < tests.length; i++) {
    const last = tests[i];
    const terms = ctx.terms<ResolvedTerms>([author], last.t);
    const limit = terms.linkTestIntervalMs * terms.missedLinkTestIntervals;
    const allowed = `${terms.missedLinkTestIntervals} intervals of ${formatDuration(terms.linkTestIntervalMs)}`;
    const next = tests[i + 1] as HeldEntry | undefined;
    const due = last.t + limit;
    if (next ? next.t <= due : !ctx.reached(due + 1)) continue;
    const since = new Date(last.t).toISOString();
    ctx.finding({
      rule,
      severity: 'warning',
      parties: [author],
      explanation: next
        ? `no link test from ${author} between ${since} and ${new Date(next.t).toISOString()} (${formatDuration(next.t - last.t)}; the agreement allows ${allowed})`
        : `no link test from ${author} since ${since} (more than ${allowed})`,
      evidence: next ? [last, next] : [last],
      at: due + 1,
    });
  }
}
