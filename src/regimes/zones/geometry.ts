/**
 * Which frontier zone a position falls in: a spatial index (flatbush) over the zones' polygons,
 * then an exact point-in-polygon test on each candidate.
 *
 * The exact test runs on a prepared polygon: its rings' edges sorted into horizontal slabs, so
 * that a point is tested against the few edges that cross its latitude rather than against all
 * the thousands of vertices of a band drawn along a border (even–odd rule, holes included). It
 * answers as turf's `booleanPointInPolygon` does everywhere but on the boundary line itself,
 * which no observed position sits on exactly (geometry.test.ts compares them on random points).
 *
 * Pure: no I/O. The zones come from the agreed terms (src/regimes/zones/rules.ts); a band along
 * a border is computed once when the agreement is written (boundaries.ts), and the agreement
 * carries its GeoJSON, so that every party tests positions against the same polygon.
 *
 * @example
 *   const index = new ZoneIndex([{ id: 'ua-east', area: { type: 'Polygon', coordinates: [...] } }]);
 *   index.zonesAt(37.8, 48.0); // ['ua-east']
 */
import { booleanIntersects } from '@turf/boolean-intersects';
import Flatbush from 'flatbush';

export type Position = readonly [number, number] | readonly number[];
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
export type Area = PolygonGeometry | MultiPolygonGeometry;

/** One polygon (exterior ring and holes) prepared for repeated point tests. */
export class PreparedPolygon {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Edge k runs from (ex[2k], ex[2k+1]) to (ex[2k+2], ex[2k+3]) of its ring: stored as x0, y0, x1, y1. */
  readonly #edges: Float64Array;
  /** Slab s holds the edges #slabEdges[#slabStart[s] .. #slabStart[s+1]). */
  readonly #slabStart: Int32Array;
  readonly #slabEdges: Int32Array;
  readonly #slabs: number;
  readonly #slabHeight: number;

  constructor(rings: readonly (readonly Position[])[]) {
    let n = 0;
    for (const r of rings) n += Math.max(0, r.length - 1);
    const edges = new Float64Array(n * 4);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    let k = 0;
    for (const r of rings) {
      for (let i = 0; i + 1 < r.length; i++) {
        const x0 = r[i][0];
        const y0 = r[i][1];
        const x1 = r[i + 1][0];
        const y1 = r[i + 1][1];
        edges[k++] = x0;
        edges[k++] = y0;
        edges[k++] = x1;
        edges[k++] = y1;
        if (x0 < minX) minX = x0;
        if (x0 > maxX) maxX = x0;
        if (y0 < minY) minY = y0;
        if (y0 > maxY) maxY = y0;
      }
    }
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    this.#edges = edges;
    const slabs = Math.max(1, Math.min(4096, Math.ceil(n / 4)));
    const height = n > 0 && maxY > minY ? (maxY - minY) / slabs : 1;
    this.#slabs = slabs;
    this.#slabHeight = height;
    const counts = new Int32Array(slabs + 1);
    const range = (e: number): [number, number] => {
      const lo = Math.min(edges[e * 4 + 1], edges[e * 4 + 3]);
      const hi = Math.max(edges[e * 4 + 1], edges[e * 4 + 3]);
      return [this.#slab(lo), this.#slab(hi)];
    };
    for (let e = 0; e < n; e++) {
      const [a, b] = range(e);
      for (let s = a; s <= b; s++) counts[s + 1]++;
    }
    for (let s = 0; s < slabs; s++) counts[s + 1] += counts[s];
    const fill = counts.slice(0, slabs);
    const list = new Int32Array(counts[slabs]);
    for (let e = 0; e < n; e++) {
      const [a, b] = range(e);
      for (let s = a; s <= b; s++) list[fill[s]++] = e;
    }
    this.#slabStart = counts;
    this.#slabEdges = list;
  }

  #slab(y: number): number {
    const s = Math.floor((y - this.minY) / this.#slabHeight);
    return s < 0 ? 0 : s >= this.#slabs ? this.#slabs - 1 : s;
  }

  /** Whether [x, y] is inside (even–odd rule over every ring). */
  contains(x: number, y: number): boolean {
    if (x < this.minX || x > this.maxX || y < this.minY || y > this.maxY) return false;
    const s = this.#slab(y);
    const edges = this.#edges;
    const list = this.#slabEdges;
    let inside = false;
    for (let i = this.#slabStart[s], end = this.#slabStart[s + 1]; i < end; i++) {
      const k = list[i] * 4;
      const y0 = edges[k + 1];
      const y1 = edges[k + 3];
      if (y0 > y !== y1 > y) {
        const x0 = edges[k];
        if (x < ((edges[k + 2] - x0) * (y - y0)) / (y1 - y0) + x0) inside = !inside;
      }
    }
    return inside;
  }
}

/** The polygons of an area (one for a Polygon, each part of a MultiPolygon). */
export function polygonsOf(area: Area): Position[][][] {
  return area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
}

/** An area's bounding box: [west, south, east, north]. */
export function bboxOf(area: Area): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polygonsOf(area)) {
    for (const [x, y] of poly[0] ?? []) {
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
  }
  return [w, s, e, n];
}

export interface ZoneShape {
  readonly id: string;
  readonly area: Area;
}

/** The zones of one agreement, indexed: which zones a position falls in. */
export class ZoneIndex {
  readonly ids: readonly string[];
  readonly #areas: readonly Area[];
  readonly #parts: PreparedPolygon[] = [];
  /** Part → zone number (into `ids`). */
  readonly #zoneOf: Int32Array;
  readonly #index: Flatbush | undefined;

  constructor(zones: readonly ZoneShape[]) {
    this.ids = zones.map((z) => z.id);
    this.#areas = zones.map((z) => z.area);
    const owner: number[] = [];
    zones.forEach((z, i) => {
      for (const rings of polygonsOf(z.area)) {
        if (!rings.length || rings[0].length < 4) continue;
        this.#parts.push(new PreparedPolygon(rings));
        owner.push(i);
      }
    });
    this.#zoneOf = Int32Array.from(owner);
    if (this.#parts.length > 0) {
      const index = new Flatbush(this.#parts.length);
      for (const p of this.#parts) index.add(p.minX, p.minY, p.maxX, p.maxY);
      index.finish();
      this.#index = index;
    }
  }

  /** The number (into `ids`) of the first zone, in agreement order, containing [lon, lat]; -1 if none. */
  first(lon: number, lat: number): number {
    if (!this.#index) return -1;
    let best = -1;
    this.#index.search(lon, lat, lon, lat, (i) => {
      const z = this.#zoneOf[i];
      if ((best < 0 || z < best) && this.#parts[i].contains(lon, lat)) best = z;
      return false;
    });
    return best;
  }

  /** The ids of every zone containing [lon, lat], in agreement order. */
  zonesAt(lon: number, lat: number): string[] {
    if (!this.#index) return [];
    const hit = new Set<number>();
    this.#index.search(lon, lat, lon, lat, (i) => {
      if (!hit.has(this.#zoneOf[i]) && this.#parts[i].contains(lon, lat)) hit.add(this.#zoneOf[i]);
      return false;
    });
    return [...hit].sort((a, b) => a - b).map((z) => this.ids[z]);
  }

  /** The ids of the zones whose bounding boxes meet `area`'s: candidates for an exact intersection test. */
  candidates(area: Area): string[] {
    if (!this.#index) return [];
    const [w, s, e, n] = bboxOf(area);
    const hit = new Set<number>();
    for (const i of this.#index.search(w, s, e, n)) hit.add(this.#zoneOf[i]);
    return [...hit].sort((a, b) => a - b).map((z) => this.ids[z]);
  }

  /** The ids of the zones `area` meets (shares at least a point with), in agreement order. */
  zonesMeeting(area: Area): string[] {
    return this.candidates(area).filter((id) => booleanIntersects(area as never, this.#areas[this.ids.indexOf(id)] as never));
  }
}
