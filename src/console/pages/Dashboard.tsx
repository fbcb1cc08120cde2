/**
 * The watch officer's first screen: what is owed and by when, whether every link is up, what is
 * alarming, and what the rules found most recently.
 */
import { useState } from 'react';
import { span, utc } from '../app/format';
import { useClock, usePicture } from '../app/record';
import { entryHref, href } from '../app/route';
import type { Alarm, Obligation } from '../../wire/types';
import { SeverityBadge } from './Findings';

export function Dashboard() {
  const p = usePicture();
  const now = useClock();
  const [ours, setOurs] = useState(false);
  const pending = (p.obligations ?? [])
    .filter((o) => o.status === 'open' || o.status === 'missed')
    .filter((o) => !ours || o.debtor === p.party)
    .sort((a, b) => Date.parse(a.due) - Date.parse(b.due) || a.id.localeCompare(b.id));
  // The node's status holds the alarms in force; the event stream only says when to read it again
  // (an alarm raised and then cleared must not linger here).
  const alarms: Alarm[] = (p.status?.alerts ?? []).filter((a) => !('state' in a) || a.state !== 'cleared');
  const findings = [...(p.findings ?? [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.id.localeCompare(b.id)).slice(0, 5);
  const peers = p.status?.peers ?? [];

  return (
    <div className="dashboard">
      <h1>Dashboard</h1>
      <div className="grid">
        <section aria-labelledby="obl-h" className="panel wide">
          <div className="panel-head">
            <h2 id="obl-h">
              Open obligations <span className="muted">({pending.length})</span>
            </h2>
            <label>
              <input type="checkbox" checked={ours} onChange={(e) => setOurs(e.target.checked)} /> only what {p.party} owes
            </label>
          </div>
          {p.obligations === undefined ? (
            <p className="muted">This node does not report obligations{p.problems.obligations ? ` (${p.problems.obligations})` : ''}.</p>
          ) : pending.length === 0 ? (
            <p className="muted">Nothing is owed right now.</p>
          ) : (
            <div className="scroll">
            <table className="dense" data-testid="obligations">
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
              <tbody>
                {pending.map((o) => (
                  <ObligationRow key={o.id} o={o} now={now} self={p.party} />
                ))}
              </tbody>
            </table>
            </div>
          )}
        </section>

        <section aria-labelledby="alarm-h" className="panel">
          <h2 id="alarm-h">Alarms</h2>
          {alarms.length === 0 ? (
            <p className="muted" data-testid="no-alarms">
              No alarms.
            </p>
          ) : (
            <ul className="alarms" data-testid="alarms">
              {alarms.map((a) => {
                const who = 'author' in a ? `${a.author}#${a.seq}` : a.party;
                const since = 'seenAt' in a ? a.seenAt : a.since;
                const entry = 'entry' in a && typeof a.entry === 'string' ? a.entry : undefined;
                return (
                  <li key={'id' in a ? a.id : `${a.kind} ${who} ${since}`} className="alarm-item">
                    <strong>{a.kind}</strong> {who} — {a.message}
                    <span className="muted"> since {utc(since)}</span>
                    {entry && (
                      <>
                        {' '}
                        <a href={entryHref(entry)}>entry</a>
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>

        <section aria-labelledby="find-h" className="panel">
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
        <section aria-labelledby="links-h" className="panel wide">
          <h2 id="links-h">Links</h2>
          {peers.length === 0 ? (
            <p className="muted">No peers in this node's roster.</p>
          ) : (
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
                      <td className="time">{utc(peer.lastContact)}</td>
                      <td className="time">{utc(health?.lastLinkTest)}</td>
                      <td className="num">{peer.backlog ?? '—'}</td>
                      <td className="num">{peer.delivered ?? '—'}</td>
                      <td className="num">{peer.received ?? '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>

      </div>
    </div>
  );
}

function ObligationRow(props: { o: Obligation; now: number; self: string }) {
  const { o, now } = props;
  const left = Date.parse(o.due) - now;
  const overdue = o.status === 'missed' || left < 0;
  const evidence = o.evidence[o.evidence.length - 1];
  return (
    <tr className={overdue ? 'overdue' : undefined} data-overdue={overdue || undefined}>
      <td className="time">{utc(o.due)}</td>
      <td className="countdown" aria-label={overdue ? `overdue by ${span(left)}` : `due in ${span(left)}`}>
        {overdue ? `OVERDUE ${span(left)}` : span(left)}
      </td>
      <td className={o.debtor === props.self ? 'self' : undefined}>{o.debtor}</td>
      <td>{o.creditors.includes('*') ? 'all' : o.creditors.join(', ')}</td>
      <td>{evidence ? <a href={entryHref(evidence)}>{o.what}</a> : o.what}</td>
      <td className="cite">{o.citation}</td>
    </tr>
  );
}
