/**
 * Distances from a site to a party's territory, over the shipped Natural Earth 1:50m boundaries
 * (world-atlas `countries-50m`, country ids ISO 3166-1 numeric). The same package and file at
 * every party, so the same answer: a pure function of the position and the ids.
 *
 * The distance is the great-circle distance (km) from the site to the nearest point of the
 * territory's boundary, or 0 inside it. Each boundary segment's distance is computed with
 * @turf/point-to-line-distance; segments that cannot be nearer than the best so far are skipped
 * by a bound from the triangle inequality (for any point q of segment ab,
 * d(p,q) ≥ (d(p,a) + d(p,b) − |ab|) / 2).
 */
import { createRequire } from 'node:module';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { distance } from '@turf/distance';
import { point, lineString } from '@turf/helpers';
import { pointToLineDistance } from '@turf/point-to-line-distance';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

type Ring = number[][];
interface Country {
  name: string;
  polygons: Ring[][];
}

type Countries = Topology<{ countries: GeometryCollection<{ name: string }> }>;
let topology: Countries | undefined;
const countries = new Map<string, Country | undefined>();

/** A country of the shipped boundaries by id, converted from TopoJSON the first time it is asked for. */
function country(id: string): Country | undefined {
  if (countries.has(id)) return countries.get(id);
  topology ??= createRequire(import.meta.url)('world-atlas/countries-50m.json') as Countries;
  const object = topology.objects.countries.geometries.find((g) => String(g.id) === id);
  let out: Country | undefined;
  if (object) {
    const g = (feature(topology, object) as GeoJSON.Feature).geometry;
    out = { name: (object.properties as { name?: string } | undefined)?.name ?? id, polygons: g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [] };
  }
  countries.set(id, out);
  return out;
}

/** The Natural Earth name of a country id, or undefined if the boundaries have none. */
export function countryName(id: string): string | undefined {
  return country(id)?.name;
}

const memo = new Map<string, number | undefined>();

/**
 * Km from `position` ([longitude, latitude]) to the nearest point of the territory made of the
 * countries `ids`; 0 inside it; undefined when the boundaries hold none of the ids.
 */
export function distanceToTerritoryKm(position: readonly [number, number], ids: readonly string[]): number | undefined {
  const key = `${position[0]},${position[1]}|${[...ids].sort().join(',')}`;
  if (memo.has(key)) return memo.get(key);
  const p = point([position[0], position[1]]);
  let best = Infinity;
  let found = false;
  for (const id of ids) {
    const c = country(id);
    if (!c) continue;
    found = true;
    for (const poly of c.polygons) {
      if (booleanPointInPolygon(p, { type: 'Polygon', coordinates: poly })) {
        best = 0;
        break;
      }
      for (const ring of poly) best = Math.min(best, ringDistance(p, ring, best));
    }
    if (best === 0) break;
  }
  const out = found ? best : undefined;
  if (memo.size >= 10_000) memo.clear();
  memo.set(key, out);
  return out;
}

function ringDistance(p: ReturnType<typeof point>, ring: Ring, bound: number): number {
  const d = ring.map((c) => distance(p, c, { units: 'kilometers' }));
  let best = bound;
  for (const x of d) best = Math.min(best, x);
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i];
    const b = ring[i + 1];
    const length = distance(a, b, { units: 'kilometers' });
    if ((d[i] + d[i + 1] - length) / 2 >= best) continue;
    if (a[0] === b[0] && a[1] === b[1]) continue;
    best = Math.min(best, pointToLineDistance(p, lineString([a, b]), { units: 'kilometers' }));
  }
  return best;
}
