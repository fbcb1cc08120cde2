import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatTime, isTime } from './entry.js';
import { parseInstant } from './time.js';

/** The definition: a string of the exact form that Date reads and writes back unchanged. */
const reference = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v)) return false;
  const t = Date.parse(v);
  return Number.isFinite(t) && new Date(t).toISOString() === v;
};

describe('isTime', () => {
  it('accepts exactly the instants Date writes back unchanged', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const stamp = fc
      .tuple(fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')), two(13), two(32), two(25), two(61), two(61), fc.integer({ min: 0, max: 999 }))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}Z`);
    fc.assert(fc.property(stamp, (v) => isTime(v) === reference(v)), { numRuns: 20_000 });
  });
  it('knows leap years and the ends of months', () => {
    expect(isTime('2024-02-29T00:00:00.000Z')).toBe(true);
    expect(isTime('2023-02-29T00:00:00.000Z')).toBe(false);
    expect(isTime('1900-02-29T00:00:00.000Z')).toBe(false);
    expect(isTime('2000-02-29T00:00:00.000Z')).toBe(true);
    expect(isTime('2022-04-31T00:00:00.000Z')).toBe(false);
    expect(isTime('2022-12-31T23:59:59.999Z')).toBe(true);
    expect(isTime('2022-12-31T24:00:00.000Z')).toBe(false);
    expect(isTime('2022-12-31T23:59:60.000Z')).toBe(false);
    expect(isTime('2022-12-31T23:59:59Z')).toBe(false);
    expect(isTime('2022-12-31T23:59:59.000+00:00')).toBe(false);
    expect(isTime(20221231)).toBe(false);
  });
});

describe('parseInstant', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  // A day inside the four-digit years, so that any offset keeps the wall clock in them too.
  const MIN = Date.parse('0001-01-02T00:00:00.000Z');
  const MAX = Date.parse('9999-12-30T00:00:00.000Z');

  it('reads back every instant the protocol writes', () => {
    fc.assert(fc.property(fc.integer({ min: MIN, max: MAX }), (t) => parseInstant(formatTime(t)) === t), { numRuns: 20_000 });
  });

  it('reads the same instant whatever offset it is written in', () => {
    const offsets = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });
    fc.assert(
      fc.property(fc.integer({ min: MIN, max: MAX }), offsets, (t, o) => {
        const local = new Date(t + o * 60_000).toISOString().slice(0, 23); // the wall clock at that offset
        const zone = `${o < 0 ? '-' : '+'}${two(Math.floor(Math.abs(o) / 60))}:${two(Math.abs(o) % 60)}`;
        return parseInstant(local + zone) === t;
      }),
      { numRuns: 20_000 },
    );
  });

  it('accepts exactly the real dates and times of day that carry a zone, or bare dates', () => {
    const field = (max: number, width = 2) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0'));
    const zone = fc.constantFrom('', 'Z', 'z', '+00:00', '-00:00', '+05:30', '-23:59', '+24:00', '+03:60');
    const text = fc.tuple(field(9999, 4), field(13), field(32), fc.boolean(), field(25), field(61), field(61), zone);
    fc.assert(
      fc.property(text, ([y, mo, d, withTime, h, mi, s, z]) => {
        const v = withTime ? `${y}-${mo}-${d}T${h}:${mi}:${s}${z}` : `${y}-${mo}-${d}`;
        const leap = Number(y) % 4 === 0 && (Number(y) % 100 !== 0 || Number(y) % 400 === 0);
        const lastDay = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Number(mo) - 1];
        const realDate = Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= lastDay;
        const realTime = !withTime || (Number(h) < 24 && Number(mi) < 60 && Number(s) < 60 && z !== '' && z !== '+24:00' && z !== '+03:60');
        let accepted = true;
        try {
          parseInstant(v);
        } catch (e) {
          expect(e).toMatchObject({ code: 'PARLEY_ERR_BAD_ARGUMENT' });
          accepted = false;
        }
        return accepted === (realDate && realTime);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads a bare date as UTC midnight, offsets and fractions as written', () => {
    expect(parseInstant('2022-02-14')).toBe(Date.UTC(2022, 1, 14));
    expect(parseInstant('2022-02-14T03:00:00+03:00')).toBe(Date.UTC(2022, 1, 14));
    expect(parseInstant('2022-02-13T19:00:00-05:00')).toBe(Date.UTC(2022, 1, 14));
    expect(parseInstant('2022-02-14t00:00:00z')).toBe(Date.UTC(2022, 1, 14));
    expect(parseInstant('2022-02-14T00:00:00.5Z')).toBe(Date.UTC(2022, 1, 14) + 500);
    expect(parseInstant('2022-02-14T00:00:00.123999Z')).toBe(Date.UTC(2022, 1, 14) + 123);
    expect(parseInstant('0001-01-01')).toBe(Date.parse('0001-01-01T00:00:00.000Z'));
    expect(parseInstant('0099-06-30T00:00:00Z')).toBe(Date.parse('0099-06-30T00:00:00.000Z'));
    expect(parseInstant('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('refuses times without a zone, impossible dates, expanded years and other forms, saying why', () => {
    expect(() => parseInstant('2022-02-14T00:00:00', 'at')).toThrow(/^at "2022-02-14T00:00:00" has no time zone/);
    for (const v of [
      '2022-02-14T00:00:00.000', '2022-02-30', '2022-02-30T00:00:00Z', '2023-02-29', '2022-13-01', '2022-00-10', '2022-04-31T12:00:00Z',
      '+020222-02-14T00:00:00Z', '-000001-01-01T00:00:00Z', '20222-02-14', '2022-2-14', '2022-02-14T24:00:00Z', '2022-02-14T23:59:60Z',
      '2022-02-14T00:00Z', '2022-02-14 00:00:00Z', '2022-02-14T00:00:00+0300', '2022-02-14T00:00:00+24:00', '2022-02-14T00:00:00.Z',
      '2022-02-14T00:00:00.1234567890Z', '1644796800000', 'Mon, 14 Feb 2022 00:00:00 GMT', '', ' 2022-02-14', '2022-02-14\n',
    ]) {
      expect(() => parseInstant(v), v).toThrow(expect.objectContaining({ code: 'PARLEY_ERR_BAD_ARGUMENT', status: 400 }));
    }
  });
});
