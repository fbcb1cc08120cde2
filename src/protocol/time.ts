/**
 * The one reader of the instants people and programs ask about (`--at`, `?at=`): RFC 3339 with a
 * time zone, or a bare date meaning UTC midnight. A time without a zone is refused rather than
 * read in the machine's local zone: two parties asking about the same `at` must get the same verdict.
 * Pure: no clock, no local time zone.
 */
import { ParleyError } from './errors.js';

// full-date, then optionally "T" full-time (RFC 3339 §5.6; "T" and "Z" may be lower case, §5.6 NOTE).
// The zone is optional here only so that its absence gets its own message.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})?)?$/;
const EXAMPLES = 'such as 2022-02-14T00:00:00Z, 2022-02-14T03:00:00+03:00 or 2022-02-14 (UTC midnight)';

/**
 * Milliseconds since the epoch of an RFC 3339 time with `Z` or an offset, or of a date `YYYY-MM-DD`
 * (UTC midnight). Fractions beyond milliseconds are cut, not rounded. Refuses, with
 * PARLEY_ERR_BAD_ARGUMENT, a time without a zone, a date that does not exist (2022-02-30), a leap
 * second, expanded years (+020222) and every other form.
 *
 * @example
 *   parseInstant('2022-02-14T03:00:00+03:00') === parseInstant('2022-02-14') // true
 *   parseInstant('2022-02-14T00:00:00', '--at') // throws: --at has no time zone
 */
export function parseInstant(text: string, name = 'the time'): number {
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  const refuse = (why: string) => new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `${name} ${shown} ${why}`);
  const m = INSTANT.exec(text);
  if (!m) throw refuse(`is not an RFC 3339 time with a zone or a date, ${EXAMPLES}`);
  const [, year, month, day, hour, minute, second, fraction, zone] = m;
  if (hour !== undefined && zone === undefined) {
    throw refuse('has no time zone, so it would mean a different instant on each machine: add Z for UTC or an offset such as +03:00');
  }
  const h = Number(hour ?? 0);
  const min = Number(minute ?? 0);
  const s = Number(second ?? 0);
  if (h > 23 || min > 59 || s > 59) throw refuse(`is not a time of day (hours 00–23, minutes and seconds 00–59, no leap second), ${EXAMPLES}`);
  let offset = 0;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) throw refuse(`has an offset that is not one (hours 00–23, minutes 00–59), ${EXAMPLES}`);
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  // Set by field rather than Date.UTC, which reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    throw refuse(`is not a date of the calendar (month 01–12, a day the month has), ${EXAMPLES}`);
  }
  date.setUTCHours(h, min, s, Number((fraction ?? '').padEnd(3, '0').slice(0, 3)));
  return date.getTime() - offset;
}
