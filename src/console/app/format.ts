/**
 * How the console writes times, countdowns and entries for a watch officer: UTC always (the
 * record is in UTC and parties sit in different zones), seconds visible, tabular figures.
 */
import { useEffect, useState } from 'react';
import type { EntryView, Party } from '../../wire/types';

/** `2022-02-11 09:30:05Z`: sortable, unambiguous across parties, no locale. */
export function utc(iso: string | undefined | null): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

export function utcDay(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

/** `2d 03:12:05`, `00:04:59`: how long, without sign. */
export function span(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const hh = String(Math.floor((s % 86400) / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${d > 0 ? `${d}d ` : ''}${hh}:${mm}:${ss}`;
}

/** The current time, re-rendering the caller every `everyMs` (countdowns tick once a second). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

export function partyLabel(roster: Party[], code: string): string {
  if (code === '*') return 'all parties';
  const p = roster.find((r) => r.party === code);
  return p?.name && p.name !== code ? `${code} · ${p.name}` : code;
}

export function addressees(to: string[] | undefined): string {
  if (!to) return 'sealed';
  return to.includes('*') ? 'all' : to.join(', ');
}

/** The line that says what an entry is about, from the fields the catalogue's types share. */
export function summary(entry: EntryView): string {
  if (!entry.type) return 'sealed entry (this party is not an addressee)';
  const b = entry.body ?? {};
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const v = b[k];
      if (typeof v === 'string' && v.trim()) return v.trim();
    }
    return undefined;
  };
  if (entry.type === 'receipt') return `holds ${String(b.of)} up to #${String(b.upto)}`;
  if (entry.type === 'hotline.ack') return 'acknowledged by the duty officer';
  if (typeof b.year === 'number' && Array.isArray(b.activities)) return `calendar for ${b.year}: ${b.activities.length} notifiable ${b.activities.length === 1 ? 'activity' : 'activities'}`;
  if (typeof b.year === 'number' && Array.isArray(b.units)) return `military information for ${b.year}: ${b.units.length} units`;
  const line = pick('subject', 'designation', 'title', 'name', 'activity', 'activityType', 'incident', 'explanation', 'reasons', 'summary', 'text', 'description');
  const troops = typeof b.troops === 'number' ? `${b.troops.toLocaleString('en')} troops` : undefined;
  return [line, troops].filter(Boolean).join(' · ') || entry.type;
}

/** A friendly name for a content type from its schema's title, falling back to the type name. */
export function typeTitle(catalogue: Record<string, Record<string, unknown>>, type: string | undefined): string {
  if (!type) return 'sealed';
  const t = catalogue[type]?.title;
  return typeof t === 'string' ? t : type;
}

export function shortId(id: string): string {
  return id.slice(0, 10);
}
