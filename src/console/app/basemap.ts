/**
 * The base of the console's maps, offline: Natural Earth boundaries from the bundled TopoJSON
 * (no tile server, no fonts, nothing fetched), the sea, the land and the borders, and the names of
 * countries and places (app/places.ts) on top; and a map opened on a container with the options
 * every page uses. Loaded with the pages that draw a map.
 *
 * Names are drawn by MapLibre's symbol layers from the browser's own fonts: with no `glyphs` URL in
 * the style, MapLibre rasterises each letter locally (TinySDF), so nothing is fetched and every
 * script the system fonts cover is drawn. Labels are dark on the light land with a light halo,
 * which reads the same in the console's light and dark themes (the map keeps its light colours).
 */
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type LayerSpecification, type LngLatBoundsLike, type SourceSpecification, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { feature } from 'topojson-client';
import { placesGeoJson } from './places';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries50m from 'world-atlas/countries-50m.json';

setWorkerUrl(workerUrl);

const topology = countries50m as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
export const boundaries = feature(topology, topology.objects.countries);

/** Europe, the zone of application of the Vienna Document, when there is nothing to fit. */
export const EUROPE: LngLatBoundsLike = [
  [-12, 34],
  [62, 71],
];

export const BASE_COLORS = { sea: '#cfdbe4', land: '#f6f5f1', border: '#8d969d', label: '#2b3238', country: '#4f5860', halo: '#ffffff' };

/** Twice the area of a ring, in square degrees (the shoelace formula): enough to pick a country's largest part. */
function ringArea(ring: GeoJSON.Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j]![0]! + ring[i]![0]!) * (ring[j]![1]! - ring[i]![1]!);
  return Math.abs(a);
}

/**
 * A point well inside a polygon, for its name: across a few parallels of its bounding box, the
 * middle of the widest stretch that lies inside (holes and all). One point per country, not one
 * per map tile, which is what MapLibre would place on the polygon itself.
 */
function interiorPoint(rings: GeoJSON.Position[][]): GeoJSON.Position {
  const lats = rings[0]!.map((c) => c[1]!);
  const [south, north] = [Math.min(...lats), Math.max(...lats)];
  let best: GeoJSON.Position = rings[0]![0]!;
  let widest = -1;
  for (const f of [0.5, 0.4, 0.6, 0.3, 0.7]) {
    const y = south + (north - south) * f;
    const xs: number[] = [];
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [x1, y1] = ring[j]!, [x2, y2] = ring[i]!;
        if (y1! > y !== y2! > y) xs.push(x1! + ((y - y1!) / (y2! - y1!)) * (x2! - x1!));
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      if (xs[k + 1]! - xs[k]! > widest) {
        widest = xs[k + 1]! - xs[k]!;
        best = [(xs[k]! + xs[k + 1]!) / 2, y];
      }
    }
  }
  return best;
}

/**
 * One label per country, inside its largest part (mainland France, not French Guiana). `area`
 * orders them, so where two names collide the larger country keeps its name.
 */
export const countryLabels: GeoJSON.FeatureCollection<GeoJSON.Point> = {
  type: 'FeatureCollection',
  features: boundaries.features.flatMap((f) => {
    const g = f.geometry;
    const parts = !g ? [] : g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    const largest = parts.reduce<GeoJSON.Position[][] | undefined>((best, p) => (!best || ringArea(p[0]!) > ringArea(best[0]!) ? p : best), undefined);
    const name = f.properties?.name;
    return largest && name ? [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: interiorPoint(largest) }, properties: { name, area: ringArea(largest[0]!) } }] : [];
  }),
};

/** The names on every map: countries, then places (a dot and its name), above whatever the page draws. */
const LABEL_LAYERS: LayerSpecification[] = [
  {
    id: 'country-labels',
    type: 'symbol',
    source: 'country-labels',
    // Small countries are named once the map is close enough for them to matter.
    filter: ['any', ['>=', ['get', 'area'], 1], ['>=', ['zoom'], 5]],
    layout: {
      'text-field': ['get', 'name'],
      'text-font': ['sans-serif'],
      'text-size': ['interpolate', ['linear'], ['zoom'], 2, 10, 6, 14],
      'text-letter-spacing': 0.05,
      'text-max-width': 7,
      // Beside a capital rather than hidden by it.
      'text-variable-anchor': ['center', 'top', 'bottom'],
      'text-radial-offset': 0.8,
      'symbol-sort-key': ['-', 0, ['get', 'area']],
      'text-padding': 4,
    },
    paint: { 'text-color': BASE_COLORS.country, 'text-halo-color': BASE_COLORS.halo, 'text-halo-width': 1.2 },
  },
  {
    id: 'place-dots',
    type: 'circle',
    source: 'places',
    filter: ['any', ['==', ['get', 'kind'], 'capital'], ['>=', ['zoom'], 4.5]],
    paint: { 'circle-radius': ['match', ['get', 'kind'], 'capital', 3, 2.5], 'circle-color': BASE_COLORS.label, 'circle-stroke-color': BASE_COLORS.halo, 'circle-stroke-width': 1 },
  },
  {
    id: 'place-labels',
    type: 'symbol',
    source: 'places',
    filter: ['any', ['==', ['get', 'kind'], 'capital'], ['>=', ['zoom'], 4.5]],
    layout: {
      'text-field': ['get', 'name'],
      'text-font': ['sans-serif'],
      'text-size': ['match', ['get', 'kind'], 'capital', 12, 11],
      'text-variable-anchor': ['left', 'right', 'top', 'bottom'],
      'text-radial-offset': 0.5,
      'text-justify': 'auto',
      'symbol-sort-key': ['match', ['get', 'kind'], 'capital', 0, 1],
    },
    paint: { 'text-color': BASE_COLORS.label, 'text-halo-color': BASE_COLORS.halo, 'text-halo-width': 1.5 },
  },
];

/** A style of the base layers under `layers` and the names over them, with `sources` besides the boundaries and places. */
export function baseStyle(sources: Record<string, SourceSpecification>, layers: LayerSpecification[]): StyleSpecification {
  return {
    version: 8,
    sources: { countries: { type: 'geojson', data: boundaries }, 'country-labels': { type: 'geojson', data: countryLabels }, places: { type: 'geojson', data: placesGeoJson() }, ...sources },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': BASE_COLORS.sea } },
      { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': BASE_COLORS.land } },
      { id: 'borders', type: 'line', source: 'countries', paint: { 'line-color': BASE_COLORS.border, 'line-width': 0.7 } },
      ...layers,
      ...LABEL_LAYERS,
    ],
  };
}

/** A map on `container` over Europe (or `view.bounds`), with zoom buttons and a scale; the container keeps it as `parleyMap`, for the end-to-end tests. */
export function openMap(container: HTMLDivElement, style: StyleSpecification, view: { bounds?: LngLatBoundsLike; maxZoom?: number } = {}): MapLibreMap {
  const m = new MapLibreMap({ container, style, bounds: view.bounds ?? EUROPE, attributionControl: false, renderWorldCopies: false, maxZoom: view.maxZoom ?? 12 });
  // Zoom buttons (no compass) and a metric scale, drawn by MapLibre itself.
  m.addControl(new NavigationControl({ showCompass: false }), 'top-left');
  m.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
  (container as HTMLDivElement & { parleyMap?: MapLibreMap }).parleyMap = m;
  return m;
}
