/**
 * The map: notified activity areas over Natural Earth boundaries, offline (no tile server, no
 * fonts, nothing fetched: a background layer and GeoJSON layers from the bundled TopoJSON).
 * A time filter narrows it to what was under way; a click on an area opens its notification.
 * The list beside the map says the same for keyboard users and screen readers.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { GeoJSONSource, LngLatBoundsLike, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import { EUROPE, baseStyle, openMap } from '../app/basemap';
import { activities, type Activity } from '../app/domain';
import { typeTitle, utc } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref, go, useRoute } from '../app/route';
import { readUtc } from '../app/utc';
import { AddressUtcField } from '../components/ListControls';

const COLORS = { area: '#1f5c99' };

export function style(): StyleSpecification {
  return baseStyle(
    { activities: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } } },
    [
      // Notified activities are drawn solid; areas named in other entries (observer reports, requests) dashed and lighter.
      {
        id: 'activity-fill',
        type: 'fill',
        source: 'activities',
        paint: { 'fill-color': COLORS.area, 'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.45, ['==', ['get', 'kind'], 'notified'], 0.25, 0.1] },
      },
      { id: 'activity-line', type: 'line', source: 'activities', filter: ['==', ['get', 'kind'], 'notified'], paint: { 'line-color': COLORS.area, 'line-width': 2 } },
      { id: 'other-line', type: 'line', source: 'activities', filter: ['!=', ['get', 'kind'], 'notified'], paint: { 'line-color': COLORS.area, 'line-width': 1.5, 'line-dasharray': [3, 2] } },
    ],
  );
}

function geometries(a: Activity): GeoJSON.Geometry[] {
  const g = a.area;
  if (g.type === 'FeatureCollection') return g.features.map((f) => f.geometry).filter(Boolean);
  if (g.type === 'Feature') return g.geometry ? [g.geometry] : [];
  return [g];
}

function bounds(list: Activity[]): LngLatBoundsLike | undefined {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') {
      w = Math.min(w, c[0]);
      e = Math.max(e, c[0]);
      s = Math.min(s, c[1]);
      n = Math.max(n, c[1]);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const a of list) for (const g of geometries(a)) visit('coordinates' in g ? g.coordinates : []);
  return Number.isFinite(w) ? [
    [w, s],
    [e, n],
  ] : undefined;
}

export default function MapPage() {
  const p = usePicture();
  const all = useMemo(() => activities(p.entries).sort((a, b) => (a.start ?? 0) - (b.start ?? 0)), [p.entries]);
  // Words and the window are kept in the address (`#/map?q=…&from=…&until=…`, UTC instants): a reload or a link shows the same areas.
  const query = useRoute().query;
  const from = query.get('from') ?? '';
  const until = query.get('until') ?? '';
  const setWindow = (changes: Record<string, string>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) (v ? next.set(k, v) : next.delete(k));
    go(`#/map${next.size ? `?${next}` : ''}`);
  };
  const [search, setSearch] = useState(query.get('q') ?? '');
  const words = (query.get('q') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const f = readUtc(from), u = readUtc(until);
  const shown = all.filter(
    (a) =>
      (a.end ?? a.start ?? Infinity) >= (f.ok ? f.ms : -Infinity) &&
      (a.start ?? -Infinity) <= (u.ok ? u.ms : Infinity) &&
      words.every((w) => `${a.label} ${a.entry.author} ${typeTitle(p.catalogue, a.entry.type)}`.toLowerCase().includes(w)),
  );
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap | undefined>(undefined);
  const [ready, setReady] = useState(false);
  const [rendered, setRendered] = useState(0);

  useEffect(() => {
    if (!container.current) return;
    // The container keeps the map for the end-to-end tests, which click an area where the map itself says it is.
    const m = openMap(container.current, style());
    map.current = m;
    let hovered: string | number | undefined;
    m.on('load', () => setReady(true));
    m.on('click', 'activity-fill', (ev) => {
      const id = ev.features?.[0]?.properties?.entry;
      if (typeof id === 'string') go(entryHref(id));
    });
    m.on('mousemove', 'activity-fill', (ev) => {
      m.getCanvas().style.cursor = 'pointer';
      const fid = ev.features?.[0]?.id;
      if (hovered !== undefined) m.setFeatureState({ source: 'activities', id: hovered }, { hover: false });
      hovered = fid;
      if (fid !== undefined) m.setFeatureState({ source: 'activities', id: fid }, { hover: true });
    });
    m.on('mouseleave', 'activity-fill', () => {
      m.getCanvas().style.cursor = '';
      if (hovered !== undefined) m.setFeatureState({ source: 'activities', id: hovered }, { hover: false });
      hovered = undefined;
    });
    m.on('idle', () => setRendered(new Set(m.queryRenderedFeatures({ layers: ['activity-fill'] }).map((f) => f.properties?.entry)).size));
    return () => {
      m.remove();
      map.current = undefined;
    };
  }, []);

  const key = shown.map((a) => a.entry.id).join();
  useEffect(() => {
    const m = map.current;
    if (!m || !ready) return;
    const features: GeoJSON.Feature[] = shown.flatMap((a, i) =>
      geometries(a).map((geometry) => ({ type: 'Feature' as const, id: i, geometry, properties: { entry: a.entry.id, label: a.label, kind: a.entry.type === 'vd.activity.notification' ? 'notified' : 'other' } })),
    );
    (m.getSource('activities') as GeoJSONSource).setData({ type: 'FeatureCollection', features });
    const b = bounds(shown);
    m.fitBounds(b ?? EUROPE, { padding: 80, maxZoom: 5.5, duration: 0 });
  }, [ready, key]);

  return (
    <div className="map-page">
      <div className="page-head">
        <h1>Map</h1>
        <div className="filters" role="group" aria-label="Filter the areas">
          <label>
            Search
            <input type="search" size={16} value={search} onChange={(e) => (setSearch(e.target.value), setWindow({ q: e.target.value.trim() }))} />
          </label>
          <AddressUtcField label="From (UTC)" iso={from} onIso={(iso) => setWindow({ from: iso })} />
          <AddressUtcField label="Until (UTC)" iso={until} onIso={(iso) => setWindow({ until: iso })} />
          <button type="button" onClick={() => setWindow({ from: '', until: '' })}>
            All dates
          </button>
          <span className="muted">
            {shown.length} of {all.length} notified areas
          </span>
        </div>
      </div>
      <div className="map-layout">
        <div ref={container} className="map" role="region" aria-label="Map of notified activity areas" data-testid="map" data-ready={ready || undefined} data-areas={shown.length} data-rendered={rendered} />
        <ol className="area-list" aria-label="Notified activity areas" data-testid="area-list">
          {shown.map((a) => (
            <li key={a.entry.id}>
              <a href={entryHref(a.entry.id)}>{a.label}</a>
              <div className="muted">
                {a.entry.author} · {a.entry.type === 'vd.activity.notification' ? 'notified' : typeTitle(p.catalogue, a.entry.type)} · {a.start ? utc(new Date(a.start).toISOString()).slice(0, 10) : '?'} – {a.end ? utc(new Date(a.end).toISOString()).slice(0, 10) : '?'}
                {typeof a.entry.body?.troops === 'number' && <> · {a.entry.body.troops.toLocaleString('en')} troops</>}
              </div>
            </li>
          ))}
          {shown.length === 0 && <li className="muted">No notified activity areas{all.length ? ' in these dates' : ''}.</li>}
        </ol>
      </div>
    </div>
  );
}
