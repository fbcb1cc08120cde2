import { describe, expect, it } from 'vitest';
import { readUtc, readUtcDay, utcText } from './utc';

describe('the console\'s UTC time field', () => {
  it('reads ISO 8601 in UTC on a 24-hour clock, with or without seconds, T or space, Z or an offset', () => {
    expect(readUtc('2022-02-12T12:00:00Z')).toEqual({ ok: true, iso: '2022-02-12T12:00:00.000Z', ms: Date.parse('2022-02-12T12:00:00Z') });
    expect(readUtc('2022-02-12 23:59')).toMatchObject({ ok: true, iso: '2022-02-12T23:59:00.000Z' });
    expect(readUtc('2022-02-12T01:00:00-03:00')).toMatchObject({ ok: true, iso: '2022-02-12T04:00:00.000Z' });
  });

  it('refuses every step of typing that is not yet an instant, and a six-digit year, with a reason', () => {
    const typed = '202706-02-12T12:00:00';
    for (let i = 1; i <= typed.length; i++) expect(readUtc(typed.slice(0, i)).ok, typed.slice(0, i)).toBe(false);
    expect(readUtc('202706-02-12T12:00:00')).toEqual({ ok: false, problem: 'The year has more than four digits.' });
    expect(readUtc('2022-02-30 10:00')).toMatchObject({ ok: false, problem: '2022-02 has no day 30.' });
    expect(readUtc('2022-02-12 24:00')).toMatchObject({ ok: false });
    expect(readUtc('02/12/2022 10:00 PM')).toMatchObject({ ok: false });
  });

  it('writes back what it reads', () => {
    expect(utcText(Date.parse('2022-02-12T12:00:05Z'))).toBe('2022-02-12 12:00:05Z');
    expect(readUtc(utcText('2022-02-12T12:00:05.250Z'))).toMatchObject({ ok: true, iso: '2022-02-12T12:00:05.250Z' });
    expect(utcText(Number.NaN)).toBe('');
  });

  it('reads a calendar day strictly: four-digit year, a real month and day, nothing else', () => {
    expect(readUtcDay('2022-02-28')).toEqual({ ok: true, day: '2022-02-28', ms: Date.parse('2022-02-28T00:00:00Z') });
    expect(readUtcDay('2022-02-29')).toEqual({ ok: false, problem: '2022-02 has no day 29.' });
    expect(readUtcDay('02/12/2022').ok).toBe(false);
    expect(readUtcDay('2022-02-12 10:00').ok).toBe(false);
    expect(readUtcDay('202706-02-12')).toEqual({ ok: false, problem: 'The year has more than four digits.' });
  });
});
