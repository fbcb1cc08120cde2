import { describe, expect, it } from 'vitest';
import { cornersOf, readCorners } from './corners';

describe('an area typed as corners', () => {
  it('is closed and written longitude first', () => {
    const r = readCorners([
      { lat: '52.0', lon: '23.4' },
      { lat: '52.0', lon: '24.2' },
      { lat: '52.4', lon: '24.2' },
      { lat: '', lon: '' },
    ]);
    expect(r).toEqual({ ok: true, polygon: { type: 'Polygon', coordinates: [[[23.4, 52], [24.2, 52], [24.2, 52.4], [23.4, 52]]] } });
    if (r.ok) expect(cornersOf(r.polygon)).toEqual([{ lat: '52', lon: '23.4' }, { lat: '52', lon: '24.2' }, { lat: '52.4', lon: '24.2' }]);
  });

  it('a typed closing corner is the first one, not a fourth', () => {
    const r = readCorners([{ lat: '1', lon: '2' }, { lat: '3', lon: '2' }, { lat: '3', lon: '4' }, { lat: '1', lon: '2' }]);
    expect(r.ok && r.polygon.coordinates[0]!.length).toBe(4);
  });

  it('says every problem at once: out of range, not a number, missing, too few corners', () => {
    const r = readCorners([{ lat: '95', lon: '30' }, { lat: '50', lon: '190' }, { lat: '50,5', lon: '' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => [p.row, p.column])).toEqual([[1, 'lat'], [2, 'lon'], [3, 'lat'], [3, 'lon']]);
      expect(r.problems[0]!.message).toContain('outside −90 to 90');
      expect(r.problems[1]!.message).toContain('outside −180 to 180');
    }
    const few = readCorners([{ lat: '1', lon: '1' }, { lat: '2', lon: '2' }, { lat: '1', lon: '1' }]);
    expect(!few.ok && few.problems[0]!.message).toContain('at least 3 distinct corners (2 given)');
    const twice = readCorners([{ lat: '1', lon: '1' }, { lat: '2', lon: '2' }, { lat: '2', lon: '2' }, { lat: '3', lon: '1' }]);
    expect(!twice.ok && twice.problems[0]!.message).toContain('given twice');
  });
});
