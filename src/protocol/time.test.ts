import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isTime } from './entry.js';

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
