/**
 * The frontier zones: the zones in force on the map (each side its own colour), the observers'
 * posts and patrol areas (dashed), their reports (a report outside every zone drawn and listed as such) and the places
 * where they were refused; per zone, side by side for each party, its ceiling, its latest
 * declaration and the latest observed count per category, and the zone's findings. A zone's page
 * (#/zones/<id>) adds its history: every declaration and count in it, oldest first. Everything is
 * the node's answer (GET /api/v1/zones/map); nothing is judged in the browser.
 */
import { useEffect, useRef, useState } from 'react';
import type { GeoJSONSource, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import { baseStyle, openMap } from '../app/basemap';
import { ApiError } from '../app/api';
import { utc } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref, href, type Route } from '../app/route';
import { FilterSelect } from '../components/FilterSelect';
import { ListFilters, Pager, useList, type ListColumn } from '../components/ListControls';
import type { ZoneCounts, ZonesMap, ZoneStatus } from '../../wire/types';


const CATEGORIES: [keyof ZoneCounts, string][] = [
  ['troops', 'Troops'],
  ['battleTanks', 'Battle tanks'],
  ['armouredCombatVehicles', 'Armoured combat vehicles'],
  ['artillery', 'Artillery'],
  ['combatAircraft', 'Combat aircraft'],
  ['attackHelicopters', 'Attack helicopters'],
  ['missileLaunchers', 'Missile launchers'],
];
const SIDE_COLOURS = ['#b0413e', '#1f5c99', '#5b7f2a', '#7a4f9a', '#b07a1e'];
const problem = (e: unknown): string => (e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
const n = (v: number | undefined): string => (v === undefined ? '—' : v.toLocaleString('en'));

function style(): StyleSpecification {
  const empty = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } };
  return baseStyle({ zones: empty, patrols: empty, points: empty }, [
    { id: 'zone-fill', type: 'fill', source: 'zones', paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.3 } },
    { id: 'zone-line', type: 'line', source: 'zones', paint: { 'line-color': ['get', 'colour'], 'line-width': 1.5 } },
    { id: 'patrol-line', type: 'line', source: 'patrols', paint: { 'line-color': '#222', 'line-width': 1.2, 'line-dasharray': [3, 2] } },
    {
      id: 'points',
      type: 'circle',
      source: 'points',
      paint: {
        'circle-radius': ['match', ['get', 'kind'], 'post', 5, 6],
        'circle-color': ['match', ['get', 'kind'], 'post', '#ffffff', 'restriction', '#d11', 'outside', '#888', '#222'],
        'circle-stroke-color': '#222',
        'circle-stroke-width': 1.5,
      },
    },
  ]);
}

/** The map: zones, posts, reports and restrictions; a click on a zone opens its page. */
function ZonesMapView(props: { data: ZonesMap; colour: (side: string) => string }) {
  const { data, colour } = props;
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap | undefined>(undefined);
  const [ready, setReady] = useState(false);
  const [rendered, setRendered] = useState(0);
  useEffect(() => {
    if (!container.current) return;
    const m = openMap(container.current, style(), { bounds: [[22, 44], [42, 56]] });
    map.current = m;
    m.on('load', () => setReady(true));
    m.on('click', 'zone-fill', (ev) => {
      const id = ev.features?.[0]?.properties?.zone;
      if (typeof id === 'string') window.location.hash = href('zones', id);
    });
    m.on('idle', () => setRendered(new Set(m.queryRenderedFeatures({ layers: ['zone-fill'] }).map((f) => f.properties?.zone)).size));
    return () => {
      m.remove();
      map.current = undefined;
    };
  }, []);
  useEffect(() => {
    const m = map.current;
    if (!m || !ready) return;
    const zones: GeoJSON.Feature[] = data.zones.map((z) => ({ type: 'Feature', properties: { zone: z.zone, colour: colour(z.side) }, geometry: data.areas[z.zone] as unknown as GeoJSON.Geometry }));
    const point = (kind: string, position: [number, number], entry: string): GeoJSON.Feature => ({ type: 'Feature', properties: { kind, entry }, geometry: { type: 'Point', coordinates: position } });
    const points = [
      ...data.posts.map((p) => point('post', p.position, p.mission)),
      ...data.reports.map((r) => point(r.zones.length ? 'report' : 'outside', r.position, r.entry)),
      ...data.restrictions.map((r) => point('restriction', r.position, r.entry)),
    ];
    (m.getSource('zones') as GeoJSONSource).setData({ type: 'FeatureCollection', features: zones });
    const patrols: GeoJSON.Feature[] = data.patrols.map((p) => ({ type: 'Feature', properties: { mission: p.mission }, geometry: p.area as unknown as GeoJSON.Geometry }));
    (m.getSource('patrols') as GeoJSONSource).setData({ type: 'FeatureCollection', features: patrols });
    (m.getSource('points') as GeoJSONSource).setData({ type: 'FeatureCollection', features: points });
  }, [ready, data, colour]);
  return <div ref={container} className="map" role="region" aria-label="Map of the frontier zones, observer posts, reports and restrictions" data-testid="zones-map" data-ready={ready || undefined} data-zones={data.zones.length} data-patrols={data.patrols.length} data-rendered={rendered} />;
}

/** Per party with a ceiling or a declaration, per category: ceiling, declared, observed. */
function ZoneTable(props: { z: ZoneStatus }) {
  const { z } = props;
  const parties = [...new Set([...Object.keys(z.ceilings), ...Object.keys(z.declared), ...z.observed.map((o) => o.party)])].sort();
  return (
    <table className="zone-figures" data-testid={`figures-${z.zone}`}>
      <caption className="vh">Ceilings, declared and observed figures in zone {z.name}</caption>
      <thead>
        <tr>
          <th scope="col">Party</th>
          <th scope="col">Category</th>
          <th scope="col">Ceiling</th>
          <th scope="col">Declared</th>
          <th scope="col">Observed</th>
        </tr>
      </thead>
      <tbody>
        {parties.flatMap((party) => {
          const declared = z.declared[party];
          const seen = z.observed.filter((o) => o.party === party);
          const cats = CATEGORIES.filter(([c]) => z.ceilings[party]?.[c] !== undefined || declared?.counts[c] !== undefined || seen.some((o) => o.counts[c] !== undefined));
          return cats.map(([c, label]) => {
            const ceiling = z.ceilings[party]?.[c];
            const d = declared?.counts[c];
            const counted = seen.map((o) => o.counts[c]).filter((x): x is number => x !== undefined);
            const most = counted.length ? Math.max(...counted) : undefined;
            const over = (ceiling !== undefined && d !== undefined && d > ceiling) || (most !== undefined && most > (d ?? 0));
            return (
              <tr key={`${party}-${c}`} data-party={party} data-category={c} data-over={over || undefined}>
                <td>{party}</td>
                <td>{label}</td>
                <td>{n(ceiling)}</td>
                <td>
                  {n(d)}
                  {declared && d !== undefined && <span className="muted"> as of {utc(declared.asOf).slice(0, 10)}</span>}
                </td>
                <td>
                  {seen
                    .filter((o) => o.counts[c] !== undefined)
                    .map((o) => (
                      <div key={o.entry}>
                        <a href={entryHref(o.entry)}>{n(o.counts[c])}</a> <span className="muted">on {o.by}'s count, {utc(o.at).slice(0, 10)}</span>
                      </div>
                    ))}
                  {most === undefined && '—'}
                </td>
              </tr>
            );
          });
        })}
      </tbody>
    </table>
  );
}

/**
 * What each agreement limits, party by party and zone by zone, side by side: a party with no
 * ceiling anywhere, or ceilings on one side only, shows as such (an asymmetric agreement is visible).
 */
function Limits(props: { zones: ZoneStatus[] }) {
  const agreements = [...new Set(props.zones.map((z) => z.agreement))];
  return (
    <>
      {agreements.map((a) => {
        const zones = props.zones.filter((z) => z.agreement === a);
        const parties = zones[0].parties;
        return (
          <table key={a} className="zone-figures" data-testid="limits">
            <caption>What agreement {a.slice(0, 12)} limits, party by party (troops; tanks)</caption>
            <thead>
              <tr>
                <th scope="col">Party</th>
                {zones.map((z) => (
                  <th scope="col" key={z.zone}>
                    {z.zone} <span className="muted">({z.side} side)</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {parties.map((party) => (
                <tr key={party} data-party={party} data-limited={zones.some((z) => z.ceilings[party]) || undefined}>
                  <th scope="row">{party}</th>
                  {zones.map((z) => {
                    const c = z.ceilings[party];
                    return <td key={z.zone}>{c ? `${n(c.troops)}; ${n(c.battleTanks)}` : <span className="muted">no ceiling</span>}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </>
  );
}

/** A zone's history: its declarations and counts in record order, from the entries this node holds. */
type HistoryRow = { at: string; what: string; entry: string };
const HISTORY_COLUMNS: ListColumn<HistoryRow>[] = [
  { key: 'when', label: 'When', sort: (r) => Date.parse(r.at) },
  { key: 'what', label: 'What', sort: (r) => r.what },
];

function History(props: { z: ZoneStatus; data: ZonesMap; route: Route }) {
  const p = usePicture();
  const rows: HistoryRow[] = [];
  for (const e of p.entries) {
    if (e.type !== 'zones.declaration' || !e.body) continue;
    const body = e.body as { asOf: string; holdings: { zone: string; counts: ZoneCounts }[] };
    const h = body.holdings.find((x) => x.zone === props.z.zone);
    if (h) rows.push({ at: body.asOf, entry: e.id, what: `${e.author} declared ${CATEGORIES.filter(([c]) => h.counts[c] !== undefined).map(([c, l]) => `${l.toLowerCase()} ${n(h.counts[c])}`).join(', ')}` });
  }
  for (const r of props.data.reports) if (r.zones.includes(props.z.zone)) rows.push({ at: r.at, entry: r.entry, what: `${r.by} counted ${r.party}: ${CATEGORIES.filter(([c]) => r.counts[c] !== undefined).map(([c, l]) => `${l.toLowerCase()} ${n(r.counts[c])}`).join(', ')}` });
  for (const r of props.data.restrictions) if (r.zones.includes(props.z.zone)) rows.push({ at: r.at, entry: r.entry, what: `${r.deniedBy} refused ${r.by}'s observers${r.place ? ` (${r.place})` : ''}` });
  // Oldest first; words, a window and pages kept in the address.
  const list = useList({
    base: href('zones', props.z.zone),
    route: props.route,
    rows,
    columns: HISTORY_COLUMNS,
    text: (r) => r.what,
    time: (r) => Date.parse(r.at),
    id: (r) => r.entry + r.at,
    defaultSort: 'when',
    defaultOrder: 'asc',
    pageSize: 100,
  });
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">History of {props.z.name}</h2>
      {rows.length > 0 && (
        <ListFilters list={list} label="Filter the history" testid="history-count">
          <FilterSelect label="Order" value={list.desc ? 'desc' : ''} anyLabel="oldest first" options={[['desc', 'newest first']]} onChange={(v) => list.set({ sort: 'when', order: v || 'asc' })} />
        </ListFilters>
      )}
      <ol data-testid="zone-history">
        {list.visible.map((r) => (
          <li key={r.entry + r.at}>
            {utc(r.at)} — <a href={entryHref(r.entry)}>{r.what}</a>
          </li>
        ))}
        {list.visible.length === 0 && <li className="muted">{rows.length ? 'Nothing with these words or in this window.' : 'Nothing declared or observed in this zone.'}</li>}
      </ol>
      <Pager list={list} label="the history" />
    </section>
  );
}

type Report = ZonesMap['reports'][number];
type Restriction = ZonesMap['restrictions'][number];
type Post = ZonesMap['posts'][number];
const REPORT_COLUMNS: ListColumn<Report>[] = [
  { key: 'when', label: 'When', sort: (r) => Date.parse(r.at) },
  { key: 'by', label: 'Observer', sort: (r) => r.by },
  { key: 'party', label: 'Party counted', sort: (r) => r.party },
  { key: 'troops', label: 'Troops', sort: (r) => r.counts.troops ?? -1 },
  { key: 'zone', label: 'Zone', sort: (r) => r.zones.join(' ') },
];
const RESTRICTION_COLUMNS: ListColumn<Restriction>[] = [
  { key: 'when', label: 'When', sort: (r) => Date.parse(r.at) },
  { key: 'by', label: 'Observers', sort: (r) => r.by },
  { key: 'denied', label: 'Refused by', sort: (r) => r.deniedBy },
];
const POST_COLUMNS: ListColumn<Post>[] = [
  { key: 'name', label: 'Name', sort: (x) => x.name },
  { key: 'observers', label: 'Observers', sort: (x) => x.observers },
  { key: 'side', label: 'Side', sort: (x) => x.side },
];
const where = (r: Report | Restriction) => `${r.place ?? r.position.join(', ')} ${r.zones.length ? `zone ${r.zones.join(', ')}` : 'outside every zone'}`;

/** Beside the map: its reports, restrictions and posts, each list searched, sorted and paged in its own keys of the address (`r.`, `x.`, `p.`). */
function SideLists(props: { data: ZonesMap; route: Route; base: string }) {
  const { data, route, base } = props;
  const reports = useList({ base, route, rows: data.reports, columns: REPORT_COLUMNS, text: (r) => `${r.by} ${r.party} ${where(r)}`, time: (r) => Date.parse(r.at), id: (r) => r.entry, defaultSort: 'when', pageSize: 25, prefix: 'r.' });
  const restrictions = useList({ base, route, rows: data.restrictions, columns: RESTRICTION_COLUMNS, text: (r) => `${r.deniedBy} ${r.by} ${r.reason ?? ''} ${where(r)}`, time: (r) => Date.parse(r.at), id: (r) => r.entry, defaultSort: 'when', pageSize: 25, prefix: 'x.' });
  const posts = useList({ base, route, rows: data.posts, columns: POST_COLUMNS, text: (x) => `${x.name} ${x.observers} ${x.side} ${x.mission}`, id: (x) => x.mission + x.name, defaultSort: 'name', defaultOrder: 'asc', pageSize: 25, prefix: 'p.' });
  return (
    <div className="area-list">
      <h2>Reports</h2>
      <ListFilters list={reports} label="Filter the reports" testid="reports-count" sort />
      <ul data-testid="zone-reports">
        {reports.visible.map((r) => (
          <li key={r.entry} data-zone={r.zones.join(' ') || 'none'}>
            <a href={entryHref(r.entry)}>
              {r.by}: {r.party} {n(r.counts.troops)} troops
            </a>
            <div className="muted">
              {utc(r.at).slice(0, 16)} · {r.place ?? r.position.join(', ')} · {r.zones.length ? `zone ${r.zones.join(', ')}` : 'outside every zone'}
            </div>
          </li>
        ))}
        {reports.visible.length === 0 && <li className="muted">{data.reports.length ? 'No report with these words or in this window.' : 'None.'}</li>}
      </ul>
      <Pager list={reports} label="the reports" />
      <h2>Restrictions</h2>
      <ListFilters list={restrictions} label="Filter the restrictions" testid="restrictions-count" sort />
      <ul data-testid="zone-restrictions">
        {restrictions.visible.map((r) => (
          <li key={r.entry} data-zone={r.zones.join(' ') || 'none'}>
            <a href={entryHref(r.entry)}>
              {r.deniedBy} refused {r.by}
            </a>
            <div className="muted">
              {utc(r.at).slice(0, 16)} · {r.place ?? r.position.join(', ')}
              {r.reason ? ` · ${r.reason}` : ''}
            </div>
          </li>
        ))}
        {restrictions.visible.length === 0 && <li className="muted">{data.restrictions.length ? 'No restriction with these words or in this window.' : 'None.'}</li>}
      </ul>
      <Pager list={restrictions} label="the restrictions" />
      <h2>Observer posts</h2>
      <ListFilters list={posts} label="Filter the observer posts" testid="posts-count" window={false} sort />
      <ul data-testid="zone-posts">
        {posts.visible.map((post) => (
          <li key={post.mission + post.name}>
            {post.name} <span className="muted">({post.observers}, {post.side} side)</span>
          </li>
        ))}
        {posts.visible.length === 0 && <li className="muted">{data.posts.length ? 'No post with these words.' : 'None.'}</li>}
      </ul>
      <Pager list={posts} label="the observer posts" />
    </div>
  );
}

export default function Zones(props: { zone: string | undefined; route: Route }) {
  const p = usePicture();
  const [data, setData] = useState<ZonesMap | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const held = p.entries.length;
  useEffect(() => {
    let cancelled = false;
    p.api.zonesMap(p.asOf).then(
      (d) => !cancelled && (setData(d), setError(undefined)),
      (e: unknown) => !cancelled && setError(problem(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [p.api, p.asOf, held]);
  const sides = [...new Set((data?.zones ?? []).map((z) => z.side))].sort();
  const colour = (side: string) => SIDE_COLOURS[sides.indexOf(side) % SIDE_COLOURS.length];
  const selected = props.zone ? data?.zones.find((z) => z.zone === props.zone) : undefined;
  const shownZones = selected ? [selected] : (data?.zones ?? []);

  return (
    <div className="zones">
      <h1>Frontier zones</h1>
      {error && <p role="alert">{error}</p>}
      {!data && !error && <p>Loading the zones…</p>}
      {data && (
        <>
          <p className="muted">
            As of {utc(data.at)}: {data.zones.length} zone{data.zones.length === 1 ? '' : 's'} in force, {data.posts.length} observer posts, {data.reports.length} reports, {data.restrictions.length} restrictions.
            {selected && (
              <>
                {' '}
                <a href={href('zones')}>All zones</a>
              </>
            )}
          </p>
          <div className="map-layout">
            <ZonesMapView data={data} colour={colour} />
            <SideLists data={data} route={props.route} base={props.zone ? href('zones', props.zone) : href('zones')} />
          </div>
          {!selected && data.zones.length > 0 && <Limits zones={data.zones} />}
          {shownZones.map((z) => (
            <section key={z.agreement + z.zone} className="zone" aria-labelledby={`zone-${z.zone}`} data-testid={`zone-${z.zone}`}>
              <h2 id={`zone-${z.zone}`}>
                <span className="swatch" style={{ background: colour(z.side) }} aria-hidden="true" /> <a href={href('zones', z.zone)}>{z.name}</a>{' '}
                <span className="muted">
                  {z.side} side{z.band ? ` · ${z.band.widthKm} km band along the ${z.band.between.join('–')} border` : ''} · agreement <a href={entryHref(z.agreement)}>{z.agreement.slice(0, 12)}</a> in force {utc(z.inForce).slice(0, 10)}
                </span>
              </h2>
              {Object.keys(z.activityLimit).length > 0 && <p className="muted">No activity above {CATEGORIES.filter(([c]) => z.activityLimit[c] !== undefined).map(([c, l]) => `${n(z.activityLimit[c])} ${l.toLowerCase()}`).join(', ')}.</p>}
              <ZoneTable z={z} />
              <ul className="zone-findings" aria-label={`Findings in ${z.name}`}>
                {z.findings.map((f) => (
                  <li key={f.id} data-severity={f.severity} data-rule={f.rule}>
                    <strong>{f.severity}</strong>: {f.explanation} <span className="muted">[{f.citation}]</span>
                  </li>
                ))}
                {z.findings.length === 0 && <li className="muted">No findings.</li>}
              </ul>
              {selected && <History z={z} data={data} route={props.route} />}
            </section>
          ))}
          {props.zone && !selected && <p role="alert">No zone {props.zone} is in force as of {utc(data.at)}.</p>}
        </>
      )}
    </div>
  );
}
