import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import { describe, expect, it } from 'vitest';
import { borderBand } from './boundaries.js';
import { PreparedPolygon, ZoneIndex, polygonsOf, type Area } from './geometry.js';

/** A seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const inside = (area: Area, x: number, y: number) => booleanPointInPolygon([x, y], area as never);

describe('frontier zone geometry', () => {
  const WIDTH = 50;
  const band = borderBand('RUS', 'UKR', WIDTH);
  const index = new ZoneIndex([
    { id: 'rus', area: band.sides.RUS },
    { id: 'ukr', area: band.sides.UKR },
  ]);
  const lines = band.border.coordinates.map((c) => ({ type: 'Feature' as const, properties: {}, geometry: { type: 'LineString' as const, coordinates: c } }));
  const distanceKm = (x: number, y: number) => Math.min(...lines.map((l) => pointToLineDistance([x, y], l, { units: 'kilometers' })));

  it('puts a point a few km inside the band in its side\'s zone, and one a few km beyond it in none', () => {
    const next = random(7);
    const counts = { inRus: 0, inUkr: 0, beyond: 0 };
    for (let i = 0; i < 600; i++) {
      const x = 30 + next() * 12;
      const y = 44 + next() * 10;
      const d = distanceKm(x, y);
      const zones = index.zonesAt(x, y);
      if (d < WIDTH - 3 && inside(band.territory.RUS, x, y)) {
        expect(zones, `${x},${y} is ${d.toFixed(1)} km from the border in Russia`).toEqual(['rus']);
        counts.inRus++;
      } else if (d < WIDTH - 3 && inside(band.territory.UKR, x, y)) {
        expect(zones, `${x},${y} is ${d.toFixed(1)} km from the border in Ukraine`).toEqual(['ukr']);
        counts.inUkr++;
      } else if (d > WIDTH + 3) {
        expect(zones, `${x},${y} is ${d.toFixed(1)} km from the border`).toEqual([]);
        counts.beyond++;
      }
    }
    expect(counts.inRus).toBeGreaterThan(10);
    expect(counts.inUkr).toBeGreaterThan(10);
    expect(counts.beyond).toBeGreaterThan(40);
  });

  it('names Belgorod (about 35 km from the border) in the Russian band and Kursk (about 95 km) in none', () => {
    expect(index.zonesAt(36.587, 50.595)).toEqual(['rus']);
    expect(index.zonesAt(36.193, 51.730)).toEqual([]);
    expect(index.zonesAt(36.23, 49.99)).toEqual(['ukr']); // Kharkiv, about 30 km from it
  });

  it('finds a polygon straddling the border in both zones, and one inside Russia in its zone only', () => {
    const square = (x: number, y: number, r: number): Area => ({ type: 'Polygon', coordinates: [[[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r], [x - r, y - r]]] });
    // Around the border crossing north of Kharkiv (Belgorod–Kharkiv road).
    expect(index.zonesMeeting(square(36.5, 50.4, 0.15))).toEqual(['rus', 'ukr']);
    expect(index.zonesMeeting(square(36.587, 50.595, 0.05))).toEqual(['rus']);
    expect(index.zonesMeeting(square(20, 50, 0.5))).toEqual([]);
  });

  it.each([
    ['RUS', 'UKR'],
    ['BLR', 'UKR'],
  ])('covers the %s–%s border without gaps: 1 km off each point of the border, on either side, is in that side\'s band', (a, b) => {
    const drawn = a === 'RUS' ? band : borderBand(a, b, WIDTH);
    const zones = new ZoneIndex([
      { id: a, area: drawn.sides[a] },
      { id: b, area: drawn.sides[b] },
    ]);
    let checked = 0;
    for (const line of drawn.border.coordinates) {
      for (let i = 0; i + 1 < line.length; i++) {
        const [x0, y0] = line[i];
        const [x1, y1] = line[i + 1];
        const len = Math.hypot(x1 - x0, y1 - y0);
        if (len === 0) continue;
        // The segment's midpoint, moved about 1 km along its normal, both ways.
        const [mx, my] = [(x0 + x1) / 2, (y0 + y1) / 2];
        const [nx, ny] = [(-(y1 - y0) / len) * 0.012, ((x1 - x0) / len) * 0.009];
        for (const [x, y] of [[mx + nx, my + ny], [mx - nx, my - ny]]) {
          const side = inside(drawn.territory[a], x, y) ? a : inside(drawn.territory[b], x, y) ? b : undefined;
          if (!side) continue;
          expect(zones.zonesAt(x, y), `${x},${y} in ${side}`).toContain(side);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('answers as turf\'s point-in-polygon on random points around the bands', () => {
    const next = random(42);
    const parts = polygonsOf(band.sides.UKR).map((rings) => new PreparedPolygon(rings));
    for (let i = 0; i < 20_000; i++) {
      const x = 30 + next() * 12;
      const y = 44 + next() * 10;
      expect(parts.some((p) => p.contains(x, y))).toBe(inside(band.sides.UKR, x, y));
      expect(index.first(x, y) === 0).toBe(inside(band.sides.RUS, x, y));
    }
  });

  it('handles holes and an empty index', () => {
    const donut = new PreparedPolygon([
      [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
      [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ]);
    expect(donut.contains(2, 2)).toBe(true);
    expect(donut.contains(5, 5)).toBe(false);
    expect(donut.contains(11, 5)).toBe(false);
    expect(new ZoneIndex([]).zonesAt(1, 1)).toEqual([]);
    expect(new ZoneIndex([]).first(1, 1)).toBe(-1);
  });
});
