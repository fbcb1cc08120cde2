/**
 * The base of the console's maps, offline: Natural Earth boundaries from the bundled TopoJSON
 * (no tile server, no fonts, nothing fetched), the sea, the land and the borders; and a map opened
 * on a container with the options every page uses. Loaded with the pages that draw a map.
 */
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type LayerSpecification, type LngLatBoundsLike, type SourceSpecification, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { feature } from 'topojson-client';
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

export const BASE_COLORS = { sea: '#cfdbe4', land: '#f6f5f1', border: '#8d969d' };

/** A style of the base layers under `layers`, with `sources` besides the boundaries. */
export function baseStyle(sources: Record<string, SourceSpecification>, layers: LayerSpecification[]): StyleSpecification {
  return {
    version: 8,
    sources: { countries: { type: 'geojson', data: boundaries }, ...sources },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': BASE_COLORS.sea } },
      { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': BASE_COLORS.land } },
      { id: 'borders', type: 'line', source: 'countries', paint: { 'line-color': BASE_COLORS.border, 'line-width': 0.7 } },
      ...layers,
    ],
  };
}

/** A map on `container` over Europe, with zoom buttons and a scale; the container keeps it as `parleyMap`, for the end-to-end tests. */
export function openMap(container: HTMLDivElement, style: StyleSpecification): MapLibreMap {
  const m = new MapLibreMap({ container, style, bounds: EUROPE, attributionControl: false, renderWorldCopies: false, maxZoom: 12 });
  // Zoom buttons (no compass) and a metric scale, drawn by MapLibre itself.
  m.addControl(new NavigationControl({ showCompass: false }), 'top-left');
  m.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left');
  (container as HTMLDivElement & { parleyMap?: MapLibreMap }).parleyMap = m;
  return m;
}
