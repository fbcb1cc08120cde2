/**
 * The watch officer's first screen, in triage order (app/triage.ts): what needs this party now —
 * acknowledgements it owes, alarms, links down, obligations overdue this week or due within a day —
 * then the rest of what is owed, grouped by who owes it, the chronic collapsed at the end; the
 * links and the latest findings below. No inner scroll box: the page scrolls, nothing is cut.
 */
import { useState, type ReactNode } from 'react';
import { awaitingAck } from '../app/attention';
import { span, utc } from '../app/format';
import { useHotlineView } from '../app/hotline-view';
import { useClock, usePicture } from '../app/record';
import { entryHref, href } from '../app/route';
import { triage, type NowItem } from '../app/triage';
import type { Alarm, Obligation } from '../../wire/types';
import { TableScroll } from '../components/ListControls';
import { SeverityBadge } from './Findings';

export function Dashboard() {
  const p = usePicture();
  const now = useClock();
  const view = useHotlineView();
  const [ours, setOurs] = useState(false);
  // The node's status holds the alarms in force; the event stream only says when to read it again
  // (an alarm raised and then cleared must not linger here). "As of" shows no alarms of today.
  const alarms: Alarm[] = p.asOf === undefined ? (p.status?.alerts ?? []) : [];
  const acks = p.asOf === undefined ? awaitingAck(p.party, p.entries, p.obligations, view) : [];
  const t = triage({
    party: p.party,
    now,
    acks,
    alarms,
    peers: p.status?.peers ?? [],
    health: p.asOf === undefined ? p.status?.linkHealth : undefined,
    obligations: (p.obligations ?? []).filter((o) => !ours || o.debtor === p.party),
  });
  const findings = [...(p.findings ?? [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.id.localeCompare(b.id)).slice(0, 5);
  const peers = p.status?.peers ?? [];
  const later = t.later.reduce((n, g) => n + g.obligations.length, 0);

  return (
    <div className="dashboard">
      <h1>Dashboard</h1>
      <section aria-labelledby="now-h" className="panel">
        <div className="panel-head">
          <h2 id="now-h">
            Needs action now <span className="muted">({t.now.length})</span>
          </h2>
          <label>
            <input type="checkbox" checked={ours} onChange={(e) => setOurs(e.target.checked)} /> only obligations {p.party} owes
          </label>
        </div>
        {t.now.length === 0 ? (
          <p className="muted" data-testid="nothing-now">
            Nothing needs action now: no acknowledgement owed, no alarm, every link up, nothing due within a day.
          </p>
        ) : (
          <TableScroll label="Needs action now">
            <table className="dense triage" data-testid="triage">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Deadline (UTC)</th>
                  <th scope="col">Countdown</th>
                  <th scope="col">What</th>
                  <th scope="col">Who</th>
                </tr>
              </thead>
              <tbody>
                {t.now.map((item) => (
                  <NowRow key={item.key} item={item} now={now} self={p.party} authorOf={(id) => p.byId.get(id)?.author} />
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      <section aria-labelledby="obl-h" className="panel">
        <h2 id="obl-h">
          Owed later <span className="muted">({later})</span> <a href={href('obligations')} className="more">all obligations</a>
        </h2>
        {p.obligations === undefined ? (
          <p className="muted">This node does not report obligations{p.problems.obligations ? ` (${p.problems.obligations})` : ''}.</p>
        ) : later === 0 ? (
          <p className="muted">Nothing else is owed.</p>
        ) : (
          <TableScroll label="Obligations">
            <table className="dense" data-testid="obligations">
              <ObligationHead />
              {t.later.map((g) => (
                <tbody key={g.debtor}>
                  <tr className="group">
                    <th scope="rowgroup" colSpan={6}>
                      {g.debtor === p.party ? `${p.party} owes (this party)` : `${g.debtor} owes`} <span className="muted">({g.obligations.length})</span>
                    </th>
                  </tr>
                  {g.obligations.map((o) => (
                    <ObligationRow key={o.id} o={o} now={now} self={p.party} />
                  ))}
                </tbody>
              ))}
            </table>
          </TableScroll>
        )}
        {(t.chronic.length > 0 || t.chronicAcks.length > 0) && (
          <details className="chronic" data-testid="chronic">
            <summary>
              Chronic: {t.chronic.length + t.chronicAcks.length} {t.chronic.length + t.chronicAcks.length === 1 ? 'item' : 'items'} overdue for more than a week
            </summary>
            <TableScroll label="Chronic obligations">
              <table className="dense">
                <ObligationHead />
                <tbody>
                  {t.chronicAcks.map((a) => (
                    <NowRow key={a.key} item={{ kind: 'ack', key: a.key, due: a.due, item: a }} now={now} self={p.party} authorOf={() => undefined} asObligation />
                  ))}
                  {t.chronic.map((o) => (
                    <ObligationRow key={o.id} o={o} now={now} self={p.party} />
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </details>
        )}
      </section>

      <div className="grid">
        <section aria-labelledby="links-h" className="panel wide">
          <h2 id="links-h">Links</h2>
          {peers.length === 0 ? (
            <p className="muted">No peers in this node's roster.</p>
          ) : (
            <TableScroll label="Links">
              <table className="dense" data-testid="links">
                <thead>
                  <tr>
                    <th scope="col">Peer</th>
                    <th scope="col">Link</th>
                    <th scope="col" className="num">Round trip</th>
                    <th scope="col">Last contact</th>
                    <th scope="col">Last link test</th>
                    <th scope="col" className="num">Backlog</th>
                    <th scope="col" className="num">Delivered</th>
                    <th scope="col" className="num">Received</th>
                  </tr>
                </thead>
                <tbody>
                  {peers.map((peer) => {
                    // The hotline's health (receipts and link tests) when the node reports it; else the transport's link.
                    const health = p.status?.linkHealth?.find((h) => h.party === peer.party);
                    const state = health?.health ?? peer.link ?? 'unknown';
                    const rtt = health?.rttMs;
                    return (
                      <tr key={peer.party}>
                        <th scope="row">{peer.party}</th>
                        <td title={health?.reasons?.join('; ') || undefined}>
                          <span className={`link-state ${state}`}>{state}</span>
                          {health?.reasons && health.reasons.length > 0 && <div className="muted small">{health.reasons.join('; ')}</div>}
                        </td>
                        <td className="num">{typeof rtt === 'number' ? `${rtt.toFixed(0)} ms` : '—'}</td>
                        <td className="time">
                          {utc(peer.lastContact)}
                          {peer.lastContact && <Ago since={peer.lastContact} now={now} />}
                        </td>
                        <td className="time">{utc(health?.lastLinkTest)}</td>
                        <td className="num">{peer.backlog ?? '—'}</td>
                        <td className="num">{peer.delivered ?? '—'}</td>
                        <td className="num">{peer.received ?? '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>

        <section aria-labelledby="find-h" className="panel wide">
          <h2 id="find-h">
            Latest findings <a href={href('findings')} className="more">all findings</a>
          </h2>
          {p.findings === undefined ? (
            <p className="muted">This node does not report findings{p.problems.findings ? ` (${p.problems.findings})` : ''}.</p>
          ) : findings.length === 0 ? (
            <p className="muted">No findings.</p>
          ) : (
            <ul className="findings-list">
              {findings.map((f) => (
                <li key={f.id}>
                  <SeverityBadge severity={f.severity} /> <a href={href('findings', f.id)}>{f.explanation}</a> <span className="cite">{f.citation}</span>{' '}
                  <span className="muted">{utc(f.at)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

/** "(3 min ago)", ticking with the clock it is given. */
function Ago(props: { since: string; now: number }) {
  const t = Date.parse(props.since);
  if (!Number.isFinite(t)) return null;
  return <span className="muted ago"> ({props.now >= t ? `${span(props.now - t)} ago` : `in ${span(t - props.now)}`})</span>;
}

function Countdown(props: { due: number | undefined; now: number; overdue?: boolean }) {
  if (props.due === undefined) return <td className="countdown">—</td>;
  const left = props.due - props.now;
  const overdue = props.overdue || left < 0;
  return (
    <td className="countdown" aria-label={overdue ? `overdue by ${span(left)}` : `due in ${span(left)}`}>
      {overdue ? `OVERDUE ${span(left)}` : span(left)}
    </td>
  );
}

const KIND_LABEL: Record<NowItem['kind'], string> = { ack: 'Acknowledge', alarm: 'Alarm', link: 'Link down', obligation: 'Obligation' };

function NowRow(props: { item: NowItem; now: number; self: string; authorOf: (id: string) => string | undefined; asObligation?: boolean }) {
  const { item, now } = props;
  const overdue = item.due !== undefined && item.due < now;
  let what: ReactNode;
  let who: ReactNode;
  switch (item.kind) {
    case 'ack':
      what = (
        <>
          <span className={`prio ${item.item.priority}`}>{item.item.priority}</span> <a href={href('hotline', item.item.from)}>{item.item.subject || 'hotline message'}</a>{' '}
          <span className="muted">from {item.item.from}, {utc(item.item.message.time)}</span>
        </>
      );
      who = `${props.self} owes ${item.item.from}`;
      break;
    case 'alarm': {
      const a = item.alarm;
      const since = 'seenAt' in a ? a.seenAt : a.since;
      const entry = 'entry' in a && typeof a.entry === 'string' ? a.entry : undefined;
      what = (
        <>
          <strong>{a.kind}</strong> {a.message} <span className="muted">since {utc(since)}</span>
          <Ago since={since} now={now} />
          {entry && (
            <>
              {' '}
              <a href={entryHref(entry)}>entry</a>
            </>
          )}
        </>
      );
      who = 'author' in a ? `${a.author}#${a.seq}` : a.party;
      break;
    }
    case 'link':
      what = (
        <>
          link to {item.party} is down{item.reasons.length > 0 ? `: ${item.reasons.join('; ')}` : ''} <a href={href('hotline', item.party)}>hotline</a>
        </>
      );
      who = item.party;
      break;
    case 'obligation': {
      const o = item.obligation;
      const evidence = o.evidence[o.evidence.length - 1];
      what = (
        <>
          {evidence ? <a href={entryHref(evidence)}>{o.what}</a> : o.what} <span className="cite">{o.citation}</span>
        </>
      );
      who = (
        <>
          <span className={o.debtor === props.self ? 'self' : undefined}>{o.debtor}</span> owes {o.creditors.includes('*') ? 'all' : o.creditors.join(', ')}
        </>
      );
      break;
    }
  }
  return (
    <tr className={`${overdue || item.kind !== 'obligation' ? 'overdue' : ''}${item.kind === 'obligation' ? ' obligation' : ''}`} data-kind={item.kind} data-overdue={overdue || undefined} data-testid="triage-row">
      <td>{props.asObligation ? 'acknowledgement' : KIND_LABEL[item.kind]}</td>
      <td className="time">{item.due === undefined ? '—' : utc(new Date(item.due).toISOString())}</td>
      <Countdown due={item.due} now={now} />
      <td>{what}</td>
      <td>{who}</td>
    </tr>
  );
}

function ObligationHead() {
  return (
    <thead>
      <tr>
        <th scope="col">Due (UTC)</th>
        <th scope="col">Countdown</th>
        <th scope="col">Owes</th>
        <th scope="col">To</th>
        <th scope="col">What</th>
        <th scope="col">Rule</th>
      </tr>
    </thead>
  );
}

function ObligationRow(props: { o: Obligation; now: number; self: string }) {
  const { o, now } = props;
  const left = Date.parse(o.due) - now;
  const overdue = o.status === 'missed' || left < 0;
  const evidence = o.evidence[o.evidence.length - 1];
  return (
    <tr className={`obligation${overdue ? ' overdue' : ''}`} data-overdue={overdue || undefined}>
      <td className="time">{utc(o.due)}</td>
      <Countdown due={Date.parse(o.due)} now={now} overdue={overdue} />
      <td className={o.debtor === props.self ? 'self' : undefined}>{o.debtor}</td>
      <td>{o.creditors.includes('*') ? 'all' : o.creditors.join(', ')}</td>
      <td>{evidence ? <a href={entryHref(evidence)}>{o.what}</a> : o.what}</td>
      <td className="cite">{o.citation}</td>
    </tr>
  );
}
