/**
 * The dashboard's order: what needs this party now first — acknowledgements it owes, alarms in
 * force, links down, obligations overdue this week or due within a day — then the rest of what is
 * owed, grouped by who owes it, and last, collapsed, the chronic: obligations overdue for more than
 * a week, which tick on for years and must not bury today's.
 */
import type { Alarm, Obligation, PeerHealth, PeerStatus } from '../../wire/types';
import { CHRONIC_MS, DAY_MS, type AwaitingAck } from './attention';

export type NowItem =
  | { kind: 'ack'; key: string; due: number | undefined; item: AwaitingAck }
  | { kind: 'alarm'; key: string; due: number | undefined; alarm: Alarm }
  | { kind: 'link'; key: string; due: undefined; party: string; reasons: string[] }
  | { kind: 'obligation'; key: string; due: number; obligation: Obligation };

export interface Triage {
  now: NowItem[];
  /** Open obligations due later than a day, by debtor (this party's group first). */
  later: { debtor: string; obligations: Obligation[] }[];
  chronic: Obligation[];
  chronicAcks: AwaitingAck[];
}

const alarmKey = (a: Alarm) => ('id' in a ? a.id : `${a.kind} ${'author' in a ? `${a.author}#${a.seq}` : a.party}`);
const critical = (a: Alarm) => !('severity' in a) || a.severity === 'critical';

export function triage(input: {
  party: string;
  now: number;
  acks: AwaitingAck[];
  alarms: Alarm[];
  peers: PeerStatus[];
  health: PeerHealth[] | undefined;
  obligations: Obligation[];
}): Triage {
  const { party, now } = input;
  const chronicAt = now - CHRONIC_MS;
  const acks = input.acks.filter((a) => a.due === undefined || a.due >= chronicAt);
  const chronicAcks = input.acks.filter((a) => a.due !== undefined && a.due < chronicAt);
  const ackIds = new Set(input.acks.map((a) => a.key));
  // An escalation of an acknowledgement this party owes is the same item as the message awaiting it.
  const alarms = input.alarms
    .filter((a) => !('state' in a) || a.state !== 'cleared')
    .filter((a) => !(a.kind === 'hotline.escalation' && 'entry' in a && typeof a.entry === 'string' && ackIds.has(a.entry) && a.party === party))
    .sort((a, b) => Number(critical(b)) - Number(critical(a)) || alarmKey(a).localeCompare(alarmKey(b)));
  const down = input.peers
    .map((p) => ({ party: p.party, health: input.health?.find((h) => h.party === p.party), link: p.link }))
    .filter((p) => (p.health?.health ?? p.link) === 'down')
    .map((p) => ({ party: p.party, reasons: p.health?.reasons ?? [] }));
  const open = input.obligations
    .filter((o) => o.status === 'open' || o.status === 'missed')
    // The acknowledgement obligation of a message already listed is that row.
    .filter((o) => !(o.debtor === party && o.evidence.some((id) => ackIds.has(id))))
    .sort((a, b) => Date.parse(a.due) - Date.parse(b.due) || a.id.localeCompare(b.id));
  const chronic = open.filter((o) => Date.parse(o.due) < chronicAt).reverse();
  const soon = open.filter((o) => Date.parse(o.due) >= chronicAt && Date.parse(o.due) <= now + DAY_MS);
  const rest = open.filter((o) => Date.parse(o.due) > now + DAY_MS);
  const debtors = [...new Set(rest.map((o) => o.debtor))].sort((a, b) => Number(b === party) - Number(a === party) || a.localeCompare(b));
  // Within "now", the most recently overdue first (a flash missed a minute ago before a report
  // overdue since Monday), then what falls due soonest.
  const overdueFirst = (a: number, b: number) => {
    const ao = a < now, bo = b < now;
    if (ao !== bo) return ao ? -1 : 1;
    return ao ? b - a : a - b;
  };
  return {
    now: [
      ...acks
        .slice()
        .sort((a, b) => overdueFirst(a.due ?? Infinity, b.due ?? Infinity))
        .map((item): NowItem => ({ kind: 'ack', key: item.key, due: item.due, item })),
      ...alarms.map((alarm): NowItem => ({ kind: 'alarm', key: alarmKey(alarm), due: 'due' in alarm && typeof alarm.due === 'string' ? Date.parse(alarm.due) : undefined, alarm })),
      ...down.map((d): NowItem => ({ kind: 'link', key: `link ${d.party}`, due: undefined, party: d.party, reasons: d.reasons })),
      ...soon.sort((a, b) => overdueFirst(Date.parse(a.due), Date.parse(b.due))).map((o): NowItem => ({ kind: 'obligation', key: o.id, due: Date.parse(o.due), obligation: o })),
    ],
    later: debtors.map((debtor) => ({ debtor, obligations: rest.filter((o) => o.debtor === debtor) })),
    chronic,
    chronicAcks,
  };
}
