/**
 * The one way the console reads an instant an officer types: ISO 8601 in UTC, 24-hour clock,
 * four-digit year, `2022-02-12T12:00:00Z` (the `T` may be a space, seconds and the `Z` may be
 * left out, an explicit offset is converted). Anything else is refused with a sentence that says
 * what is wrong, never a date the officer did not mean (no locale, no AM/PM, no year 202706).
 */

export type UtcReading = { ok: true; iso: string; ms: number } | { ok: false; problem: string };

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export const UTC_FORMAT_HINT = 'YYYY-MM-DD HH:MM:SS, UTC, 24 h';

export function readUtc(text: string): UtcReading {
  const t = text.trim();
  if (t === '') return { ok: false, problem: 'Empty.' };
  if (/^[+-]?\d{5,}/.test(t)) return { ok: false, problem: 'The year has more than four digits.' };
  const m = SHAPE.exec(t);
  if (!m) return { ok: false, problem: `Not a UTC time in the form ${UTC_FORMAT_HINT} (e.g. 2022-02-12 12:00:00).` };
  const [, y, mo, d, h, mi, s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12) return { ok: false, problem: `There is no month ${mo}.` };
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return { ok: false, problem: `${y}-${mo} has no day ${d}.` };
  if (hour > 23) return { ok: false, problem: `Hour ${h} is not on a 24-hour clock (00–23).` };
  if (minute > 59) return { ok: false, problem: `Minute ${mi} is out of range (00–59).` };
  if (second > 59) return { ok: false, problem: `Second ${s} is out of range (00–59).` };
  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offsetMin = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, frac ? Math.round(Number(frac) * 1000) : 0) - offsetMin * 60_000;
  return { ok: true, iso: new Date(ms).toISOString(), ms };
}

/** How the console writes an instant back into a time field: `2022-02-12 12:00:00Z`. */
export function utcText(msOrIso: number | string): string {
  const t = typeof msOrIso === 'number' ? msOrIso : Date.parse(msOrIso);
  if (!Number.isFinite(t)) return '';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().replace('T', ' ').replace(/\.000Z$/, 'Z').replace(/\.(\d{3})Z$/, '.$1Z');
}

export const UTC_DAY_HINT = 'YYYY-MM-DD, a UTC calendar day';

/** A calendar day as an officer types it, `2022-02-12`: the same strictness as an instant, no time of day. */
export function readUtcDay(text: string): { ok: true; day: string; ms: number } | { ok: false; problem: string } {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t)) return t === '' ? { ok: false, problem: 'Empty.' } : /^[+-]?\d{5,}/.test(t) ? { ok: false, problem: 'The year has more than four digits.' } : { ok: false, problem: `Not a day in the form ${UTC_DAY_HINT} (e.g. 2022-02-12).` };
  const r = readUtc(`${t} 00:00`);
  return r.ok ? { ok: true, day: t, ms: r.ms } : r;
}
