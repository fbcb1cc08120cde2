/**
 * Missile non-deployment: the commitment in force with each side's figures side by side; the
 * declared sites on the map (offline: the bundled Natural Earth boundaries) with a range ring for
 * each system declared present with its range; each party's sites; and the transparency visits
 * side by side per visiting party, each from request to the host's countersignature or dispute of
 * the report, with its deadlines. Everything shown is the node's own answer
 * (GET /api/v1/missiles/sites and /visits, as of the console's "as of"); nothing is judged here.
 */
import { useEffect, useRef, useState } from 'react';
import type { GeoJSONSource, Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import { buffer } from '@turf/buffer';
import { baseStyle, openMap } from '../app/basemap';
import { ApiError } from '../app/api';
import { partyLabel, utc } from '../app/format';
import { useClock, usePicture } from '../app/record';
import { entryHref, useRoute } from '../app/route';
import { ListFilters, Pager, useList, type ListColumn } from '../components/ListControls';
import type { MissilesSite, MissilesSites, MissilesVisit, MissilesVisits } from '../../wire/types';

/** One colour per declaring party, in party order (ring and point). */
const PALETTE = ['#1f5c99', '#a33a2c', '#3b7a3b', '#7a4f9a', '#8a6d1f'];

function style(): StyleSpecification {
  return baseStyle(
    {
      rings: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      sites: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    [
      { id: 'ring-fill', type: 'fill', source: 'rings', paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.06 } },
      { id: 'ring-line', type: 'line', source: 'rings', paint: { 'line-color': ['get', 'color'], 'line-width': 1.5, 'line-dasharray': [4, 2] } },
      { id: 'site-point', type: 'circle', source: 'sites', paint: { 'circle-radius': 6, 'circle-color': ['get', 'color'], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
    ],
  );
}

const problem = (e: unknown): string => (e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
const km = (n: number) => `${n.toLocaleString('en')} km`;

export default function Missiles() {
  const p = usePicture();
  const [sites, setSites] = useState<MissilesSites | undefined>(undefined);
  const [visits, setVisits] = useState<MissilesVisits | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const held = p.entries.length;
  useEffect(() => {
    let cancelled = false;
    Promise.all([p.api.missilesSites(p.asOf), p.api.missilesVisits(p.asOf)]).then(
      ([s, v]) => {
        if (cancelled) return;
        setSites(s);
        setVisits(v);
        setError(undefined);
      },
      (e: unknown) => !cancelled && setError(problem(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [p.api, held, p.asOf]);

  const parties = sites?.parties ?? [];
  const color = (party: string) => PALETTE[Math.max(0, parties.findIndex((x) => x.party === party)) % PALETTE.length]!;
  return (
    <div className="missiles">
      <h1>Missiles</h1>
      {error && (
        <p role="alert" className="refusal">
          {error}
        </p>
      )}
      <Commitments sites={sites} />
      <section className="panel" aria-labelledby="sites-h">
        <h2 id="sites-h">Declared sites</h2>
        <SitesMap sites={sites} color={color} />
        <div className="side-by-side" data-testid="sites">
          {parties.map((x) => (
            <section key={x.party} aria-label={`Sites declared by ${x.party}`}>
              <h3>
                <span className="swatch" style={{ background: color(x.party) }} aria-hidden="true" /> {partyLabel(p.roster, x.party)}
              </h3>
              <ul className="plain">
                {x.sites.map((s) => (
                  <SiteItem key={s.declaration} site={s} />
                ))}
              </ul>
            </section>
          ))}
          {sites && parties.length === 0 && <p className="muted">No site declared{p.asOf !== undefined ? ' by then' : ''}.</p>}
        </div>
      </section>
      <Visits visits={visits} />
    </div>
  );
}

function Commitments(props: { sites: MissilesSites | undefined }) {
  const p = usePicture();
  const list = props.sites?.commitments ?? [];
  const rows: [string, (s: MissilesSites['commitments'][number]['sides'][number]) => string][] = [
    ['Visits a year', (s) => String(s.visitsPerYear)],
    ['Notice', (s) => `${s.noticeHours} h`],
    ['Host replies within', (s) => `${s.replyHours} h`],
    ['Visit length', (s) => `${s.visitHours} h`],
    ['Report within', (s) => `${s.reportHours} h of the window`],
    ['Countersign or dispute within', (s) => `${s.acknowledgeHours} h`],
    ['Territory (range check)', (s) => s.territory.map((t) => t.name).join(', ') || 'not known'],
  ];
  return (
    <section className="panel" aria-labelledby="commitment-h">
      <h2 id="commitment-h">The commitment</h2>
      {props.sites === undefined ? (
        <p className="muted">Reading the record…</p>
      ) : list.length === 0 ? (
        <p className="muted">No missile commitment is in force: no adopted agreement sets missile terms.</p>
      ) : (
        list.map((c) => (
          <div key={c.agreement} data-testid="commitment">
            <p>
              <a href={entryHref(c.agreement)}>{c.title}</a> <span className="muted">in force since {utc(c.inForce)}</span>
            </p>
            <p>
              Covered: {c.classes.map((k) => `${k.title} (${k.kinds.join(', ')}, ${km(k.minKm)} to ${km(k.maxKm)})`).join('; ')}. Not deployed:{' '}
              {c.area.kind === 'named' ? `in ${c.area.name}` : 'where their range reaches the other party\'s territory'}.
            </p>
            <table className="dense">
              <caption className="vh">Each side's figures, as the visiting party</caption>
              <thead>
                <tr>
                  <th scope="col">Figure</th>
                  {c.sides.map((s) => (
                    <th scope="col" key={s.party}>
                      {partyLabel(p.roster, s.party)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map(([label, value]) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    {c.sides.map((s) => (
                      <td key={s.party}>{value(s)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))
      )}
    </section>
  );
}

function SiteItem(props: { site: MissilesSite }) {
  const s = props.site;
  return (
    <li data-testid="site" data-site={s.site}>
      <a href={entryHref(s.declaration)}>{s.name}</a>
      {s.country && <span className="muted"> · {s.country}</span>}
      <span className="muted">
        {' '}
        · {s.position[1].toFixed(2)}° N, {s.position[0].toFixed(2)}° E · declared {utc(s.declared)}
        {s.declarations > 1 ? ` (declaration ${s.declarations})` : ''}
      </span>
      <div className="small">
        Launchers: {s.launchers.map((l) => `${l.count} × ${l.type}`).join(', ') || 'none'}
      </div>
      <div className="small">
        {s.systems.map((x) => (
          <span key={x.name} className="chip">
            {x.present ? 'present' : 'absent'}: {x.name} ({x.kind}
            {x.rangeKm !== undefined ? `, ${km(x.rangeKm)}` : ''}){x.covered.length ? ' — covered class' : ''}
          </span>
        ))}
      </div>
      {s.distances.map((d) => (
        <div key={d.party} className="small muted">
          {km(d.km)} from {d.party}'s territory
        </div>
      ))}
    </li>
  );
}

function SitesMap(props: { sites: MissilesSites | undefined; color: (party: string) => string }) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibreMap | undefined>(undefined);
  const [ready, setReady] = useState(false);
  const [rendered, setRendered] = useState(0);
  useEffect(() => {
    if (!container.current) return;
    const m = openMap(container.current, style());
    map.current = m;
    m.on('load', () => setReady(true));
    m.on('idle', () => setRendered(new Set(m.queryRenderedFeatures({ layers: ['site-point'] }).map((f) => f.properties?.site)).size));
    return () => {
      m.remove();
      map.current = undefined;
    };
  }, []);
  const list = (props.sites?.parties ?? []).flatMap((x) => x.sites.map((s) => ({ party: x.party, s })));
  const rings = list.flatMap(({ party, s }) =>
    s.systems
      .filter((x) => x.present && x.rangeKm !== undefined && x.rangeKm > 0)
      .map((x) => {
        const ring = buffer({ type: 'Point', coordinates: s.position }, x.rangeKm!, { units: 'kilometers', steps: 32 });
        return { ...ring!, properties: { site: s.site, system: x.name, color: props.color(party) } } as GeoJSON.Feature;
      }),
  );
  const key = list.map(({ s }) => s.declaration).join();
  useEffect(() => {
    const m = map.current;
    if (!m || !ready) return;
    (m.getSource('sites') as GeoJSONSource).setData({
      type: 'FeatureCollection',
      features: list.map(({ party, s }) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: s.position }, properties: { site: s.site, name: s.name, party, color: props.color(party) } })),
    });
    (m.getSource('rings') as GeoJSONSource).setData({ type: 'FeatureCollection', features: rings });
    if (list.length) {
      const xs = list.map(({ s }) => s.position[0]);
      const ys = list.map(({ s }) => s.position[1]);
      m.fitBounds(
        [
          [Math.min(...xs), Math.min(...ys)],
          [Math.max(...xs), Math.max(...ys)],
        ],
        { padding: 60, maxZoom: 5, duration: 0 },
      );
    }
  }, [ready, key]);
  return (
    <div
      ref={container}
      className="map missiles-map"
      role="region"
      aria-label="Map of the declared sites, with a range ring for each system declared present with its range"
      data-testid="missiles-map"
      data-ready={ready || undefined}
      data-sites={list.length}
      data-rings={rings.length}
      data-rendered={rendered}
    />
  );
}

function Visits(props: { visits: MissilesVisits | undefined }) {
  const p = usePicture();
  const parties = props.visits?.parties ?? [];
  return (
    <section className="panel" aria-labelledby="visits-h">
      <h2 id="visits-h">Transparency visits</h2>
      {props.visits === undefined ? (
        <p className="muted">Reading the record…</p>
      ) : parties.length === 0 ? (
        <p className="muted">No visit requested.</p>
      ) : (
        <div className="side-by-side" data-testid="visits">
          {parties.map((x) => (
            <section key={x.party} aria-label={`Visits by ${x.party}`}>
              <h3>Visits by {partyLabel(p.roster, x.party)}</h3>
              {x.quota.map((q) => (
                <p key={`${q.host}${q.year}`} className="small" data-testid="quota">
                  {q.year}: {q.requested} of {q.quota} to {q.host} requested · {q.accepted} accepted · {q.declined} declined · {q.reported} reported
                </p>
              ))}
              <PartyVisits party={x.party} visits={x.visits} />
            </section>
          ))}
        </div>
      )}
    </section>
  );
}

const VISIT_COLUMNS: ListColumn<MissilesVisit>[] = [
  { key: 'requested', label: 'Requested', sort: (v) => Date.parse(v.requested) },
  { key: 'arrival', label: 'Arrival', sort: (v) => Date.parse(v.arrival) },
  { key: 'site', label: 'Site', sort: (v) => v.siteName },
  { key: 'host', label: 'Host', sort: (v) => v.host },
  { key: 'stage', label: 'Stage', sort: (v) => v.stage },
];

/** One visiting party's visits: searched, windowed (by request time), sorted and paged, each party's in its own keys of the address (`usa.q`…). */
function PartyVisits(props: { party: string; visits: MissilesVisit[] }) {
  const list = useList({
    base: '#/missiles',
    route: useRoute(),
    rows: props.visits,
    columns: VISIT_COLUMNS,
    text: (v) => [v.siteName, v.site, v.host, v.visitor, v.stage, v.request, v.report?.outcome ?? '', v.acknowledgement?.state ?? ''].join(' '),
    time: (v) => Date.parse(v.requested),
    id: (v) => v.request,
    defaultSort: 'requested',
    defaultOrder: 'asc',
    pageSize: 20,
    prefix: `${props.party.toLowerCase()}.`,
  });
  return (
    <>
      <ListFilters list={list} label={`Filter the visits by ${props.party}`} testid="visits-count" sort />
      <ol className="plain visits-list">
        {list.visible.map((v) => (
          <VisitItem key={v.request} v={v} />
        ))}
        {list.visible.length === 0 && <li className="muted">No visit with these words or in this window.</li>}
      </ol>
      <Pager list={list} label={`the visits by ${props.party}`} />
    </>
  );
}

function Due(props: { due: string; at?: string; late?: boolean }) {
  const now = useClock();
  if (props.at) return <span className={props.late ? 'overdue-text' : 'muted'}>{props.late ? 'late' : 'in time'} (due {utc(props.due)})</span>;
  const overdue = Date.parse(props.due) < now;
  return <span className={overdue ? 'overdue-text' : 'waiting'}>{overdue ? 'overdue since' : 'due'} {utc(props.due)}</span>;
}

function VisitItem(props: { v: MissilesVisit }) {
  const v = props.v;
  const r = v.reply;
  return (
    <li className="visit" data-testid="visit" data-stage={v.stage} data-request={v.request}>
      <div>
        <strong>{v.siteName}</strong> <span className="muted">({v.host})</span> — <span className="chip">{v.stage}</span>
      </div>
      <dl className="states">
        <dt>Requested</dt>
        <dd>
          <a href={entryHref(v.request)}>{utc(v.requested)}</a> · arrival {utc(v.arrival)} · request {v.quota.n} of {v.quota.of} in {v.quota.year}
          {!v.quota.within && ' (beyond the quota)'}
          {!v.quota.notice && ' (short notice)'}
        </dd>
        <dt>Reply</dt>
        <dd>
          {r ? (
            <>
              <a href={entryHref(r.id)}>{r.accepted ? `accepted: ${utc(r.window!.start)} to ${utc(r.window!.end)}` : `declined: ${r.reason}`}</a> <Due due={v.replyDue} at={r.at} late={r.late} />
            </>
          ) : (
            <Due due={v.replyDue} />
          )}
        </dd>
        {v.reportDue && (
          <>
            <dt>Report</dt>
            <dd>
              {v.report ? (
                <>
                  <a href={entryHref(v.report.id)}>{v.report.outcome}</a> ({utc(v.report.at)}): {v.report.observations}
                  <ul className="small">
                    {v.report.checked.map((c) => (
                      <li key={c.item}>
                        {c.item}: {c.result}
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                <Due due={v.reportDue} />
              )}
            </dd>
          </>
        )}
        {v.acknowledgement && (
          <>
            <dt>Host</dt>
            <dd data-testid="acknowledgement" data-state={v.acknowledgement.state}>
              {v.acknowledgement.id ? (
                <>
                  <a href={entryHref(v.acknowledgement.id)}>{v.acknowledgement.state}</a> ({utc(v.acknowledgement.at)})
                  {v.acknowledgement.reason && `: ${v.acknowledgement.reason}`}
                  {v.acknowledgement.remarks && `: ${v.acknowledgement.remarks}`}
                </>
              ) : (
                <>
                  unacknowledged{v.acknowledgement.unreadable ? ` in what this node can read (${v.acknowledgement.unreadable} later entries by ${v.host} it cannot read)` : ''} · <Due due={v.acknowledgeDue!} />
                </>
              )}
            </dd>
          </>
        )}
      </dl>
    </li>
  );
}
