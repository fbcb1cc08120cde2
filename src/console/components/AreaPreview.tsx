/**
 * The area as it will be signed, on the offline map with its place names: what the corner table
 * or the JSON says, drawn, so a latitude typed as a longitude shows at once as an area in the
 * wrong place. Loaded with the map's code, only when a form shows it.
 */
import { useEffect, useRef, useState } from 'react';
import type { GeoJSONSource, LngLatBoundsLike, Map as MapLibreMap } from 'maplibre-gl';
import { baseStyle, openMap } from '../app/basemap';
import type { Polygon } from '../app/corners';

const COLOR = '#1f5c99';
const empty = { type: 'FeatureCollection' as const, features: [] };

export function boundsOf(p: Polygon): LngLatBoundsLike {
  const pts = p.coordinates.flat();
  const lons = pts.map((c) => c[0]!);
  const lats = pts.map((c) => c[1]!);
  return [
    [Math.min(...lons), Math.min(...lats)],
    [Math.max(...lons), Math.max(...lats)],
  ];
}

export default function AreaPreview(props: { polygon: Polygon | undefined }) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap | undefined>(undefined);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    if (!container.current) return;
    const m = openMap(
      container.current,
      baseStyle({ area: { type: 'geojson', data: empty } }, [
        { id: 'area-fill', type: 'fill', source: 'area', paint: { 'fill-color': COLOR, 'fill-opacity': 0.25 } },
        { id: 'area-line', type: 'line', source: 'area', paint: { 'line-color': COLOR, 'line-width': 2 } },
      ]),
    );
    map.current = m;
    m.on('load', () => setReady(true));
    return () => {
      m.remove();
      map.current = undefined;
    };
  }, []);

  const key = JSON.stringify(props.polygon ?? null);
  useEffect(() => {
    const m = map.current;
    if (!m || !ready) return;
    (m.getSource('area') as GeoJSONSource).setData(props.polygon ? { type: 'Feature', geometry: props.polygon, properties: {} } : empty);
    if (props.polygon) m.fitBounds(boundsOf(props.polygon), { padding: 40, maxZoom: 8, duration: 0 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, key]);

  return <div ref={container} className="area-drawer area-preview" role="region" aria-label={props.polygon ? 'Preview of the area on the map' : 'Preview map: no area yet'} data-testid="area-preview" data-ready={ready || undefined} data-shown={props.polygon ? key : undefined} />;
}
