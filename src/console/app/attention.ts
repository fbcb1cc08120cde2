/**
 * What needs this party's duty officer now, read from the picture: incoming hotline messages that
 * owe this party's acknowledgement (with the deadline the regimes compute), and the hotline's
 * escalation alarms (an acknowledgement overdue, on either side). The banner, the sound, the
 * desktop notification, the hotline's first conversation and the dashboard's first rows all read
 * this one list, so they never disagree about what is urgent.
 */
import { acksFor, isAddressedTo, priorityOf } from './domain';
import type { Alarm, EntryView, HotlineAlarm, HotlineView, Obligation, Priority } from '../../wire/types';

export const DAY_MS = 86_400_000;
/** Overdue for longer than this, an item is chronic: the dashboard lists it collapsed, the banner leaves it out. */
export const CHRONIC_MS = 7 * DAY_MS;

export interface AwaitingAck {
  kind: 'ack';
  /** Stable across refreshes: the message id. */
  key: string;
  message: EntryView;
  from: string;
  priority: Priority;
  subject: string;
  /** The deadline (epoch ms) when the node has said it, else undefined. */
  due: number | undefined;
}

export interface Escalation {
  kind: 'escalation';
  key: string;
  alarm: HotlineAlarm;
  /** The party whose acknowledgement is overdue. */
  debtor: string;
  due: number | undefined;
}

export type Attention = AwaitingAck | Escalation;

const RANK: Record<Priority, number> = { flash: 0, immediate: 1, routine: 2 };

export function isEscalation(a: Alarm): a is HotlineAlarm {
  return a.kind === 'hotline.escalation' && (!('state' in a) || a.state !== 'cleared');
}

/** The deadline the node computes for `debtor`'s acknowledgement of `m`: the regime's obligation, else the hotline runtime's, else the agreement's window. */
export function ackDue(m: EntryView, debtor: string, obligations: Obligation[] | undefined, view: HotlineView | undefined): number | undefined {
  const o = (obligations ?? []).find((x) => x.evidence.includes(m.id) && x.debtor === debtor);
  const tracked = view?.messages.find((x) => x.id === m.id)?.addressees.find((a) => a.party === debtor);
  const at = o?.due ?? tracked?.due ?? undefined;
  if (at) return Date.parse(at);
  const window = view?.agreement.ackSeconds[priorityOf(m)];
  return window === undefined ? undefined : Date.parse(m.time) + window * 1000;
}

/** Incoming messages this party has not acknowledged (circulars to "*" owe none), most urgent first. */
export function awaitingAck(party: string, entries: EntryView[], obligations: Obligation[] | undefined, view: HotlineView | undefined): AwaitingAck[] {
  const acked = new Set(entries.filter((a) => a.type === 'hotline.ack' && a.author === party).flatMap((a) => a.refs ?? []));
  return entries
    .filter((e) => e.type === 'hotline.message' && e.author !== party && isAddressedTo(e, party) && !(e.to ?? []).includes('*') && !acked.has(e.id))
    .map((m): AwaitingAck => ({ kind: 'ack', key: m.id, message: m, from: m.author, priority: priorityOf(m), subject: String(m.body?.subject ?? ''), due: ackDue(m, party, obligations, view) }))
    .sort((a, b) => RANK[a.priority] - RANK[b.priority] || (a.due ?? Infinity) - (b.due ?? Infinity) || a.key.localeCompare(b.key));
}

/** The escalation alarms in force, by deadline. */
export function escalations(alerts: Alarm[] | undefined): Escalation[] {
  return (alerts ?? [])
    .filter(isEscalation)
    .map((a): Escalation => ({ kind: 'escalation', key: a.id, alarm: a, debtor: a.party, due: a.due ? Date.parse(a.due) : undefined }))
    .sort((a, b) => (a.due ?? Infinity) - (b.due ?? Infinity) || a.key.localeCompare(b.key));
}

/**
 * What raises the banner, the sound and the desktop notification: flash traffic awaiting this
 * party, and every escalation — except the chronic (overdue for more than a week), which the
 * dashboard lists instead of shouting about on every screen.
 */
export function alarming(party: string, now: number, entries: EntryView[], obligations: Obligation[] | undefined, view: HotlineView | undefined, alerts: Alarm[] | undefined): Attention[] {
  const fresh = (a: Attention) => a.due === undefined || a.due >= now - CHRONIC_MS;
  const waiting = awaitingAck(party, entries, obligations, view);
  const ids = new Set(waiting.map((a) => a.key));
  // The escalation of an acknowledgement this party owes is the same item as the message awaiting it.
  const escalated = escalations(alerts).filter((e) => !(e.debtor === party && e.alarm.entry !== undefined && ids.has(e.alarm.entry)));
  return [...waiting.filter((a) => a.priority === 'flash'), ...escalated].filter(fresh);
}

/** The acknowledgement that answered `m` for `party`, and whether it came after the deadline. */
export function ackOf(m: EntryView, party: string, entries: EntryView[], due: number | undefined): { ack: EntryView; lateBy: number | undefined } | undefined {
  const ack = acksFor(m, entries).get(party);
  if (!ack) return undefined;
  const t = Date.parse(ack.time);
  return { ack, lateBy: due !== undefined && t > due ? t - due : undefined };
}
