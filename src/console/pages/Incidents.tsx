/**
 * Incidents at sea and in the air: the predicted close encounters raised now (each with its flash
 * hotline message ready: one action sends it), a live map of the shared tracks' latest fixes with
 * the pairs in an encounter highlighted, the encounters found in the record, and the incident
 * reports with their replies. Everything is the node's own answer (GET /api/v1/encounters…,
 * /api/v1/incidents); nothing is computed in the browser.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { GeoJSONSource, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import { baseStyle, openMap } from '../app/basemap';
import { ApiError } from '../app/api';
import { utc } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref, href, type Route } from '../app/route';
import { ListFilters, ListHead, Pager, TableScroll, useList, type ListColumn } from '../components/ListControls';
import type { Encounter, EncounterAlarm, EncountersLive, Incident } from '../../wire/types';

const PALETTE = ['#1f5c99', '#7a4f9e', '#2e7d4f', '#9a6a00', '#5d6d7e'];
const ALARM = '#c0392b';

const problem = (e: unknown): string => (e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
const isEncounterAlarm = (a: unknown): a is EncounterAlarm => typeof a === 'object' && a !== null && (a as { kind?: string }).kind === 'incidents.encounter' && (a as { state?: string }).state !== 'cleared';

function style(): StyleSpecification {
  return baseStyle(
    {
      units: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      pairs: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    [
      { id: 'pair-line', type: 'line', source: 'pairs', paint: { 'line-color': ALARM, 'line-width': 3 } },
      { id: 'unit-dot', type: 'circle', source: 'units', paint: { 'circle-radius': ['case', ['get', 'alarm'], 7, 4], 'circle-color': ['case', ['get', 'alarm'], ALARM, ['get', 'color']], 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } },
    ],
  );
}

const ENCOUNTER_COLUMNS: ListColumn<Encounter>[] = [
  { key: 'closest', label: 'Closest (UTC)', sort: (e) => Date.parse(e.tcpa) },
  { key: 'units', label: 'Units', sort: (e) => unitsOf(e) },
  { key: 'horizontal', label: 'Horizontal', sort: (e) => e.dcpaMetres },
  { key: 'vertical', label: 'Vertical', sort: (e) => (e.thresholds.verticalMetres === null ? -1 : Math.abs(e.verticalMetres)) },
  { key: 'evidence', label: 'Evidence' },
];
const unitsOf = (e: Encounter) => `${e.a.party} ${e.a.kind} ${e.a.unit} — ${e.b.party} ${e.b.kind} ${e.b.unit}`;
const REPORT_COLUMNS: ListColumn<Incident>[] = [
  { key: 'when', label: 'When (UTC)', sort: (r) => Date.parse(r.at) },
  { key: 'by', label: 'Reported by', sort: (r) => r.author },
  { key: 'what', label: 'What', sort: (r) => r.categories.join(', ') },
  { key: 'units', label: 'Units', sort: (r) => r.units.map((u) => `${u.party} ${u.kind} ${u.id}`).join('; ') },
  { key: 'replies', label: 'Replies', sort: (r) => r.replies.length },
];

export default function Incidents(props: { route: Route }) {
  const p = usePicture();
  const [live, setLive] = useState<EncountersLive | undefined>(undefined);
  const [encounters, setEncounters] = useState<Encounter[] | undefined>(undefined);
  const [incidents, setIncidents] = useState<Incident[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [sent, setSent] = useState<Record<string, string>>({});
  const [sending, setSending] = useState<string | undefined>(undefined);
  // Read again when the record grows (new tracks) or the status changes (an alarm raised or cleared).
  const held = p.entries.length;
  const alarmKey = (p.status?.alerts ?? []).filter(isEncounterAlarm).map((a) => a.id).join();
  useEffect(() => {
    let cancelled = false;
    Promise.all([p.api.encountersLive(), p.api.encounters(), p.api.incidents()]).then(
      ([l, e, i]) => {
        if (cancelled) return;
        setLive(l);
        setEncounters(e);
        setIncidents(i);
        setError(undefined);
      },
      (e: unknown) => !cancelled && setError(problem(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [p.api, held, alarmKey]);

  const alarms = live?.alarms ?? [];
  const send = async (a: EncounterAlarm) => {
    setSending(a.id);
    try {
      const r = await p.api.append({ type: a.draft.type, to: a.draft.to, refs: [], body: a.draft.body });
      setSent((s) => ({ ...s, [a.id]: r.id }));
    } catch (e) {
      setError(problem(e));
    } finally {
      setSending(undefined);
    }
  };

  const encounterList = useList({
    base: href('incidents'),
    route: props.route,
    prefix: 'e.',
    rows: encounters ?? [],
    columns: ENCOUNTER_COLUMNS,
    text: (e) => [unitsOf(e), ...e.evidence].join(' '),
    time: (e) => Date.parse(e.tcpa),
    id: (e) => `${e.a.party}/${e.a.unit}|${e.b.party}/${e.b.unit}|${e.tcpa}`,
    defaultSort: 'closest',
  });
  const reportList = useList({
    base: href('incidents'),
    route: props.route,
    prefix: 'r.',
    rows: incidents ?? [],
    columns: REPORT_COLUMNS,
    text: (r) => [r.author, ...r.categories, r.region ?? '', ...r.units.map((u) => `${u.party} ${u.kind} ${u.id}`), ...r.replies.map((x) => `${x.party} ${x.stance ?? ''}`)].join(' '),
    time: (r) => Date.parse(r.at),
    id: (r) => r.id,
    defaultSort: 'when',
  });
  return (
    <div className="incidents">
      <h1>Incidents at sea and in the air</h1>
      {error && (
        <p role="alert" className="refusal">
          {error}
        </p>
      )}
      <section aria-labelledby="predicted-h" className="panel">
        <h2 id="predicted-h">
          Predicted close encounters <span className="muted">({alarms.length})</span>
        </h2>
        {live === undefined ? (
          <p className="muted">Reading the encounter watch…</p>
        ) : alarms.length === 0 ? (
          <p className="muted" data-testid="no-encounter-alarms">
            No close encounter predicted ({live.units} units watched).
          </p>
        ) : (
          <ul className="alarms" data-testid="encounter-alarms">
            {alarms.map((a) => (
              <li key={a.id} className="alarm-item">
                <strong>{a.a.party} {a.a.unit}</strong> and <strong>{a.b.party} {a.b.unit}</strong>: {a.dcpaMetres} m horizontally, {Math.abs(a.verticalMetres)} m vertically, {a.tcpaSeconds <= 0 ? 'now' : `in ${Math.round(a.tcpaSeconds)} s`} <span className="muted">({utc(a.tcpa)})</span>{' '}
                {sent[a.id] ? (
                  <a href={entryHref(sent[a.id])}>flash message sent to {a.draft.to.join(', ')}</a>
                ) : (
                  <button type="button" className="primary" disabled={sending === a.id} onClick={() => void send(a)} title={a.draft.body.text}>
                    Send flash to {a.draft.to.join(', ')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <LiveMap live={live} />
      <section aria-labelledby="found-h" className="panel">
        <h2 id="found-h">
          Encounters in the record <span className="muted">({encounters?.length ?? 0})</span>
        </h2>
        {encounters === undefined ? null : encounters.length === 0 ? (
          <p className="muted">No close encounter in the shared tracks this node holds.</p>
        ) : (
          <>
          <ListFilters list={encounterList} label="Filter encounters" testid="encounters-count" />
          <TableScroll label="Encounters">
          <table className="dense" data-testid="encounters">
            <caption className="vh">Close encounters</caption>
            <thead>
              <ListHead list={encounterList} />
            </thead>
            <tbody>
              {encounterList.visible.map((e) => (
                <tr key={`${e.a.party}/${e.a.unit}|${e.b.party}/${e.b.unit}|${e.from}`}>
                  <td>
                    {utc(e.tcpa)}
                    {e.ongoing ? <span className="muted" title={`Still within the thresholds at ${utc(e.to)}, the last fixes held: the closest approach so far`}> (ongoing)</span> : null}
                  </td>
                  <td>{unitsOf(e)}</td>
                  <td>{e.dcpaMetres} m</td>
                  <td>{e.thresholds.verticalMetres === null ? '—' : `${Math.abs(e.verticalMetres)} m`}</td>
                  <td>
                    {e.evidence.map((id, i) => (
                      <a key={id} href={entryHref(id)}>
                        {i > 0 ? ', ' : ''}
                        {id.slice(0, 8)}
                      </a>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableScroll>
          <Pager list={encounterList} label="encounters" />
          </>
        )}
      </section>
      <section aria-labelledby="reports-h" className="panel">
        <h2 id="reports-h">
          Incident reports <span className="muted">({incidents?.length ?? 0})</span>
        </h2>
        {incidents === undefined ? null : incidents.length === 0 ? (
          <p className="muted">This node holds no incident report.</p>
        ) : (
          <>
          <ListFilters list={reportList} label="Filter incident reports" testid="reports-count" />
          <TableScroll label="Incident reports">
          <table className="dense" data-testid="incident-reports">
            <caption className="vh">Incident reports</caption>
            <thead>
              <ListHead list={reportList} />
            </thead>
            <tbody>
              {reportList.visible.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={entryHref(r.id)}>{utc(r.at)}</a>
                  </td>
                  <td>{r.author}</td>
                  <td>
                    {r.categories.join(', ')}
                    {r.closestMetres !== undefined && <> · {r.closestMetres} m</>}
                    {r.region && <div className="muted">{r.region}</div>}
                  </td>
                  <td>{r.units.map((u) => `${u.party} ${u.kind} ${u.id}`).join('; ')}</td>
                  <td>
                    {r.replies.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      r.replies.map((x, i) => (
                        <a key={x.id} href={entryHref(x.id)}>
                          {i > 0 ? ', ' : ''}
                          {x.party}
                          {x.stance ? ` (${x.stance})` : ''}
                        </a>
                      ))
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableScroll>
          <Pager list={reportList} label="incident reports" />
          </>
        )}
      </section>
    </div>
  );
}

/** The latest fix of every unit watched; the pairs of a predicted encounter in red, joined by a line. */
function LiveMap(props: { live: EncountersLive | undefined }) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap | undefined>(undefined);
  const [ready, setReady] = useState(false);
  const positions = props.live?.positions ?? [];
  const alarms = props.live?.alarms ?? [];
  const parties = useMemo(() => [...new Set(positions.map((u) => u.party))].sort(), [positions]);
  useEffect(() => {
    if (!container.current) return;
    const m = openMap(container.current, style(), { bounds: [[12, 40], [42, 60]], maxZoom: 13 });
    map.current = m;
    m.on('load', () => setReady(true));
    return () => {
      m.remove();
      map.current = undefined;
    };
  }, []);
  const key = JSON.stringify([positions.map((u) => [u.party, u.unit, u.t]), alarms.map((a) => a.id)]);
  useEffect(() => {
    const m = map.current;
    if (!m || !ready) return;
    const inAlarm = new Set(alarms.flatMap((a) => [`${a.a.party}/${a.a.unit}`, `${a.b.party}/${a.b.unit}`]));
    const at = new Map(positions.map((u) => [`${u.party}/${u.unit}`, [u.lon, u.lat]]));
    (m.getSource('units') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: positions.map((u) => ({ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [u.lon, u.lat] }, properties: { unit: u.unit, party: u.party, alarm: inAlarm.has(`${u.party}/${u.unit}`), color: PALETTE[parties.indexOf(u.party) % PALETTE.length] } })),
    });
    (m.getSource('pairs') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: alarms.flatMap((a) => {
        const x = at.get(`${a.a.party}/${a.a.unit}`);
        const y = at.get(`${a.b.party}/${a.b.unit}`);
        return x && y ? [{ type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates: [x, y] }, properties: { id: a.id } }] : [];
      }),
    });
    const focus = alarms.length ? positions.filter((u) => inAlarm.has(`${u.party}/${u.unit}`)) : positions;
    if (focus.length) {
      const lons = focus.map((u) => u.lon);
      const lats = focus.map((u) => u.lat);
      m.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 80, maxZoom: alarms.length ? 9 : 6, duration: 0 });
    }
  }, [ready, key]);
  return (
    <section aria-labelledby="live-h" className="panel">
      <h2 id="live-h">Shared tracks, latest fixes</h2>
      <div className="map-layout" style={{ height: '28rem' }}>
        <div ref={container} className="map" role="region" aria-label="Map of the latest fixes of the units watched" data-testid="tracks-map" data-ready={ready || undefined} data-units={positions.length} data-alarms={alarms.length} />
        <ol className="area-list" aria-label="Units watched" data-testid="unit-list">
          {positions.map((u) => (
            <li key={`${u.party}/${u.unit}`} className={alarms.some((a) => (a.a.party === u.party && a.a.unit === u.unit) || (a.b.party === u.party && a.b.unit === u.unit)) ? 'alarm' : undefined}>
              <strong>{u.party}</strong> {u.kind} {u.unit}
              <div className="muted">
                {utc(u.t)} · {u.lat.toFixed(4)}, {u.lon.toFixed(4)}
                {u.alt ? ` · ${Math.round(u.alt)} m` : ''} · {u.speed} m/s, {u.course}°
              </div>
            </li>
          ))}
          {positions.length === 0 && <li className="muted">No shared tracks held.</li>}
        </ol>
      </div>
    </section>
  );
}
