/**
 * The talks record's evaluators: commitments (each owner's obligation, by the due date or in
 * every period of a cadence), briefings under agreed terms, working groups that meet on the agreed
 * cadence, and readouts by a party that did not attend (a finding where a node accepted one before
 * it held the meeting).
 */
import { DAY, compareHeld, deadline, doesNotCount, formatDuration, isoTime, parseTime, unreached } from '../engine.js';
import type { GroupContext, HeldEntry, PartyCode } from '../types.js';
import { TALKS, type ResolvedGroup, type ResolvedTalksTerms } from './rules.js';
import type { Briefing, Commitment, Meeting, Readout } from './schemas.js';

/** Periods of a cadence evaluated at most: a commitment for 10 years of weekly meetings fits. */
const MAX_PERIODS = 600;

const quote = (s: string): string => `"${s.length > 80 ? `${s.slice(0, 77)}...` : s}"`;

/**
 * The meeting named by `by`'s body, if held with content and visible — and read by every party
 * that holds `by` (it reaches all of them), so that whatever is judged of `by` through the meeting
 * is judged alike by each. A node that holds the meeting only as a stub knows it does not reach
 * every such party (it is one of them), and so comes to the same answer as one that reads it.
 */
function meetingOf(ctx: GroupContext, id: string, by: HeldEntry): HeldEntry | undefined {
  const m = ctx.get(id);
  return m?.type === 'talks.meeting' && m.body && !unreached(m, by).length ? m : undefined;
}

/**
 * Whether `h` fulfils `c` for `owner`: the named type, referring to it, by the owner — or, a
 * meeting, with the owner's delegation and, when the deciding meeting was of a group, of that group.
 */
function fulfils(h: HeldEntry, c: Commitment, owner: PartyCode, group: string | undefined): boolean {
  if (h.type !== c.fulfilledBy.type || !h.body || !h.refs.length) return false;
  if (h.type !== 'talks.meeting') return h.author === owner;
  const later = h.body as unknown as Meeting;
  return later.delegations.some((d) => d.party === owner) && (group === undefined || later.group === group);
}

/**
 * TALKS §commitment: an obligation of each owner, met by the first fulfilling entry of its period
 * that every party holding the commitment holds too. One addressed to fewer does not count: the
 * parties that can read it are told so (information).
 */
export function commitment(c: HeldEntry, ctx: GroupContext): void {
  const body = c.body as unknown as Commitment;
  const rule = TALKS.commitment;
  const citation = `${rule.citation} (${c.id.slice(0, 12)})`;
  const meeting = meetingOf(ctx, body.meeting, c);
  const group = (meeting?.body as unknown as Meeting | undefined)?.group;
  const creditors = meeting ? (meeting.body as unknown as Meeting).delegations.map((d) => d.party) : [c.author];
  if (!meeting) {
    // What it cannot read, every party holding the commitment says alike.
    ctx.finding({
      rule,
      citation,
      severity: 'info',
      parties: [c.author, ...c.to],
      explanation: `${c.author}'s commitment ${quote(body.what)} names ${body.meeting.slice(0, 12)}…, which is not a talks.meeting that every party holding the commitment can read: it is judged without it — owed to ${c.author}, and fulfilled by ${body.fulfilledBy.type === 'talks.meeting' ? 'any later meeting with the owner\'s delegation' : `any ${body.fulfilledBy.type} of the owner`} naming it`,
      evidence: [c],
      at: c.t,
      key: 'meeting-unread',
    });
  }
  const fulfilling: HeldEntry[] = [];
  for (const h of ctx.referrers(c.id)) {
    if (h.t < c.t || !h.refs.includes(c.id) || !body.owners.some((owner) => fulfils(h, body, owner, group))) continue;
    const missing = unreached(h, c);
    if (!missing.length) {
      fulfilling.push(h);
      continue;
    }
    doesNotCount(ctx, { rule, citation, h, judged: c, missing, what: `${h.author}'s ${h.type} naming ${quote(body.what)}`, holding: 'the commitment' });
  }
  const what = quote(body.what);
  for (const owner of [...body.owners].sort()) {
    const others = creditors.filter((p) => p !== owner);
    const owed = others.length ? others : [c.author];
    const answers = fulfilling.filter((h) => fulfils(h, body, owner, group));
    if (body.due !== undefined) {
      const due = parseTime(body.due)!;
      const by = answers[0];
      deadline(ctx, {
        rule,
        citation,
        debtor: owner,
        creditors: owed,
        what: `${what} by ${body.due} (${body.fulfilledBy.type})`,
        due,
        evidence: [c],
        key: owner,
        answer: by ? { by, at: by.t } : undefined,
        late: (d) => `${owner} fulfilled ${what} ${formatDuration(d)} after it was due`,
        missed: `${owner} did not fulfil ${what}, due ${body.due}`,
      });
      continue;
    }
    const period = body.cadence!.everyDays * DAY;
    const until = body.cadence!.until === undefined ? Infinity : parseTime(body.cadence!.until)!;
    for (let k = 1; k <= MAX_PERIODS; k++) {
      const start = c.t + (k - 1) * period;
      if (start >= until || !ctx.reached(start)) break;
      const end = start + period;
      const by = answers.find((h) => h.t > start - (k === 1 ? 1 : 0) && h.t <= end);
      deadline(ctx, {
        rule,
        citation,
        debtor: owner,
        creditors: owed,
        what: `${what}, every ${body.cadence!.everyDays} d: period ${k}, ${isoTime(start)} to ${isoTime(end)} (${body.fulfilledBy.type})`,
        due: end,
        evidence: [c],
        anchor: [c.id, `#${k}`],
        key: owner,
        answer: by ? { by, at: by.t } : undefined,
        late: (d) => `${owner} fulfilled ${what} (period ${k}) ${formatDuration(d)} late`,
        missed: `${owner} did not fulfil ${what} in period ${k} (${isoTime(start)} to ${isoTime(end)})`,
      });
    }
  }
}

/**
 * TALKS §briefing: under agreed terms, each attending party briefs every party an agenda item
 * concerns that did not attend, within the agreed hours of the meeting. Off by default.
 */
export function briefings(m: HeldEntry, ctx: GroupContext): void {
  const body = m.body as unknown as Meeting;
  const at = parseTime(body.at);
  if (at === undefined) return;
  const attending = body.delegations.map((d) => d.party).sort();
  const concerned = [...new Set(body.agenda.flatMap((a) => a.concerns))].filter((p) => !attending.includes(p)).sort();
  if (!concerned.length) return;
  // A briefing counts when every party holding the meeting holds it too (the catalogue refuses
  // others where it can check; a record written without that check is judged alike everywhere).
  const given = ctx.referrers(m.id).filter((h) => h.type === 'talks.briefing' && h.body && (h.body as unknown as Briefing).meeting === m.id && !unreached(h, m).length);
  for (const debtor of attending) {
    for (const creditor of concerned) {
      const terms = ctx.terms<ResolvedTalksTerms>([debtor, creditor], at);
      if (!(terms.briefingMs > 0)) continue;
      const by = given.find((h) => h.author === debtor && (h.body as unknown as Briefing).briefed.includes(creditor));
      const when = by ? Math.max(parseTime((by.body as unknown as Briefing).at) ?? by.t, at) : 0;
      const window = formatDuration(terms.briefingMs);
      deadline(ctx, {
        rule: TALKS.briefing,
        debtor,
        creditors: [creditor],
        what: `brief ${creditor} about ${quote(body.title)} within ${window}`,
        due: at + terms.briefingMs,
        evidence: [m],
        key: `${debtor}>${creditor}`,
        answer: by ? { by, at: Math.max(when, by.t) } : undefined,
        late: (d) => `${debtor} briefed ${creditor} about ${quote(body.title)} ${formatDuration(d)} after the agreed ${window}`,
        missed: `${debtor} did not brief ${creditor} about ${quote(body.title)} within the agreed ${window}`,
      });
    }
  }
}

/** TALKS §readout: a readout by a party whose delegation did not attend, once the meeting is held. */
export function attendance(r: HeldEntry, ctx: GroupContext): void {
  const body = r.body as unknown as Readout;
  const m = meetingOf(ctx, body.meeting, r);
  if (!m) return;
  const meeting = m.body as unknown as Meeting;
  if (meeting.delegations.some((d) => d.party === r.author)) return;
  ctx.finding({
    rule: TALKS.attendance,
    severity: 'violation',
    parties: [r.author, ...meeting.delegations.map((d) => d.party)],
    explanation: `${r.author} issued a readout of ${quote(meeting.title)}, which its delegation did not attend; no divergence report counts it`,
    evidence: m.t <= r.t ? [m, r] : [r, m],
    at: Math.max(m.t, r.t),
  });
}

/** Agreements in turn governing a group's members read at most (each renegotiation is one). */
const MAX_AGREEMENTS = 50;

const sameMembers = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((p, i) => p === b[i]);

/** A meeting of the group with every member's delegation: held at `held`, counted once in the record (`at`). */
interface GroupMeeting {
  h: HeldEntry;
  held: number;
  at: number;
}

/**
 * TALKS §group: the working group or standing body `id`, as defined in the talks terms of the
 * agreements proposed in the record (`members` lists them: proposals defining it, and its
 * meetings of format working-group). For each member list a proposal gives it, the agreements that
 * have in turn bound those members are read back from now; while one defines the group with
 * exactly those members, the group meets within its cadence after its previous meeting, or after
 * that agreement came into force. Each member owes it (an obligation each); a lapse is one finding.
 */
export function groupCadence(id: string, ctx: GroupContext): void {
  const members = ctx.members();
  const lists = new Map<string, string[]>();
  for (const h of members) {
    if (h.type !== 'agreement.proposal') continue;
    const g = ((h.body?.terms as Record<string, { groups?: Record<string, { members?: unknown }> }> | undefined)?.talks?.groups ?? {})[id];
    if (!g || !Array.isArray(g.members)) continue;
    const list = [...(g.members as string[])].sort();
    lists.set(list.join(','), list);
  }
  if (!lists.size) return;
  const meetings: GroupMeeting[] = [];
  for (const h of members) {
    if (h.type !== 'talks.meeting' || !h.body) continue;
    const held = parseTime((h.body as unknown as Meeting).at);
    if (held !== undefined) meetings.push({ h, held, at: Math.max(held, h.t) });
  }
  meetings.sort((a, b) => a.held - b.held);
  for (const list of lists.values()) {
    // The agreements that bound these members, latest first: each governs until the next came into force.
    const spans: { agreement: HeldEntry; from: number; until: number; group: ResolvedGroup }[] = [];
    let until = Infinity;
    let t = Infinity;
    for (let n = 0; n < MAX_AGREEMENTS; n++) {
      const a = ctx.agreement(list, t);
      if (!a) break;
      const group = ctx.terms<ResolvedTalksTerms>(list, a.inForce).groups[id];
      const agreement = ctx.get(a.id);
      if (group && agreement && sameMembers(group.members, list)) spans.push({ agreement, from: a.inForce, until, group });
      until = a.inForce;
      t = a.inForce - 1;
    }
    // A meeting counts when every party holding the agreement holds it too: each judges the cadence.
    for (const span of spans.reverse()) groupSpan(id, list, span, attendedBy(meetings, list).filter((m) => !unreached(m.h, span.agreement).length), ctx);
  }
}

/** The meetings at which every one of `list` had a delegation. */
function attendedBy(meetings: readonly GroupMeeting[], list: readonly string[]): GroupMeeting[] {
  return meetings.filter((m) => {
    const present = (m.h.body as unknown as Meeting).delegations.map((d) => d.party);
    return list.every((p) => present.includes(p));
  });
}

function groupSpan(id: string, list: readonly string[], span: { agreement: HeldEntry; from: number; until: number; group: ResolvedGroup }, meetings: readonly GroupMeeting[], ctx: GroupContext): void {
  const rule = TALKS.groupCadence;
  const citation = `${rule.citation.replace(')', `, ${span.agreement.id.slice(0, 12)})`)}`;
  const name = `${quote(id)} (${list.join(', ')})`;
  const every = `${span.group.cadenceDays} d`;
  let previous: GroupMeeting | undefined;
  let start = span.from;
  for (let k = 1; k <= MAX_PERIODS; k++) {
    const due = start + span.group.cadenceMs;
    // A period that ends after the next agreement came into force is that agreement's to judge.
    if (due >= span.until || !ctx.reached(start)) return;
    const next = meetings.find((m) => m.held > start);
    const met = next !== undefined && ctx.reached(next.at);
    const past = ctx.reached(due + 1);
    const status = met ? (next.at <= due ? 'met' : 'met-late') : past ? 'missed' : 'open';
    const since = previous ? `its meeting of ${isoTime(previous.held)}` : `the agreement's entry into force (${isoTime(span.from)})`;
    const evidence = [span.agreement, ...(previous ? [previous.h] : [])].sort(compareHeld);
    for (const debtor of list) {
      ctx.obligation({
        rule,
        citation,
        debtor,
        creditors: list.filter((p) => p !== debtor),
        what: `working group ${name} meets within ${every} of ${since}: by ${isoTime(due)} (period ${k})`,
        due,
        status,
        metBy: met ? next.h : undefined,
        evidence,
        anchor: [span.agreement.id, `${id}#${k}`],
        key: debtor,
      });
    }
    if (status === 'met-late' || status === 'missed') {
      ctx.finding({
        rule,
        citation,
        severity: 'violation',
        parties: list,
        explanation:
          status === 'missed'
            ? `working group ${name} did not meet within ${every} of ${since}, due ${isoTime(due)}`
            : `working group ${name} met ${formatDuration(next!.at - due)} after the agreed ${every} from ${since}`,
        evidence: status === 'missed' ? evidence : [...evidence, next!.h].sort(compareHeld),
        at: due + 1,
        key: `${id}#${k}|${status}`,
      });
    }
    if (!met) return;
    previous = next;
    start = next.held;
  }
}
