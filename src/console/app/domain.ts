/**
 * Readings of the record the pages share: which receipt covers an entry (the machine's word that
 * it arrived), which acknowledgement answers a hotline message (a person's word that it was read),
 * which entries are treaty traffic, and where and when a notified activity takes place.
 */
import type { EntryView, Priority } from '../../wire/types';

/**
 * Whether operators compose this content type from its schema's form (treaty notifications,
 * requests, agreements), as the catalogue says: the node writes some types itself (receipts) and
 * a regime's live service composes others on a page of its own (the hotline).
 */
export function isComposedFromForm(catalogue: Record<string, Record<string, unknown>>, type: string): boolean {
  const schema = catalogue[type];
  return schema !== undefined && schema['x-parley-composed-by'] === undefined;
}

/** Treaty traffic: entries of a type composed from a form (not the network's plumbing nor the hotline). */
export function isTreatyTraffic(catalogue: Record<string, Record<string, unknown>>, e: EntryView): boolean {
  return e.type !== undefined && isComposedFromForm(catalogue, e.type);
}

export function isAddressedTo(e: EntryView, party: string): boolean {
  return (e.to ?? []).some((t) => t === party || t === '*');
}

/**
 * For every author, the receipts about its log, so that "who holds entry n" is a lookup rather
 * than a scan of the record per entry. Receipts are cumulative: a receipt from RUS `upto` 12 of
 * USA's log covers USA#1…#12.
 */
export class ReceiptIndex {
  readonly #byAuthor = new Map<string, { receiver: string; upto: number; t: number; entry: EntryView }[]>();
  constructor(record: EntryView[]) {
    for (const r of record) {
      if (r.type !== 'receipt' || !r.body || typeof r.body.of !== 'string' || typeof r.body.upto !== 'number') continue;
      const list = this.#byAuthor.get(r.body.of) ?? [];
      list.push({ receiver: r.author, upto: r.body.upto, t: Date.parse(r.time), entry: r });
      this.#byAuthor.set(r.body.of, list);
    }
  }
  /** The first receipt from each receiver that covers `entry`. */
  covering(entry: EntryView): Map<string, EntryView> {
    const first = new Map<string, { t: number; entry: EntryView }>();
    for (const r of this.#byAuthor.get(entry.author) ?? []) {
      if (r.upto < entry.seq) continue;
      const held = first.get(r.receiver);
      if (!held || r.t < held.t) first.set(r.receiver, r);
    }
    return new Map([...first].map(([k, v]) => [k, v.entry]));
  }
}

/** Human acknowledgements (`hotline.ack`) that cite `entry`, by acknowledging party. */
export function acksFor(entry: EntryView, record: EntryView[]): Map<string, EntryView> {
  const acks = new Map<string, EntryView>();
  for (const a of record) {
    if (a.type !== 'hotline.ack' || !(a.refs ?? []).includes(entry.id)) continue;
    if (!acks.has(a.author)) acks.set(a.author, a);
  }
  return acks;
}

/** Entries that cite `entry` in their refs (replies, acknowledgements, reports). */
export function citing(entry: EntryView, record: EntryView[]): EntryView[] {
  return record.filter((e) => (e.refs ?? []).includes(entry.id));
}

export interface Activity {
  entry: EntryView;
  area: GeoJSON.Geometry | GeoJSON.Feature | GeoJSON.FeatureCollection;
  start: number | undefined;
  end: number | undefined;
  label: string;
}

const START_KEYS = ['start', 'starts', 'startDate', 'startTime', 'from', 'begin'];
const END_KEYS = ['end', 'ends', 'endDate', 'endTime', 'until', 'to'];

function timeField(body: Record<string, unknown>, keys: string[]): number | undefined {
  for (const k of keys) {
    const v = body[k];
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Date.parse(v);
  }
  return undefined;
}

function isGeoJSON(v: unknown): v is Activity['area'] {
  return !!v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string';
}

/** Notified activities with a GeoJSON `area` (vd.activity.notification and any type that shares its shape). */
export function activities(record: EntryView[]): Activity[] {
  const out: Activity[] = [];
  for (const e of record) {
    if (!e.body || !isGeoJSON(e.body.area)) continue;
    const b = e.body;
    const name = [b.name, b.designation, b.title, b.activityType, b.type].find((v) => typeof v === 'string' && v) as string | undefined;
    out.push({ entry: e, area: b.area as Activity['area'], start: timeField(b, START_KEYS), end: timeField(b, END_KEYS), label: name ?? e.type ?? 'activity' });
  }
  return out;
}

/** The hotline's priorities, most urgent first (the order the console lists them in). */
export const PRIORITIES: readonly Priority[] = ['flash', 'immediate', 'routine'];

export function priorityOf(e: EntryView): Priority {
  const p = e.body?.priority;
  return (PRIORITIES as readonly unknown[]).includes(p) ? (p as Priority) : 'routine';
}
