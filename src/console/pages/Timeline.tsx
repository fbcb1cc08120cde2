/**
 * The crisis as a chronology across parties: who said what to whom and when, who received it,
 * and the deadlines the rules set — the record that settles "whose account is right".
 */
import { useMemo, useState } from 'react';
import { ReceiptIndex } from '../app/domain';
import { addressees, summary, typeTitle, utc, utcDay } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref } from '../app/route';
import type { EntryView, Obligation } from '../../wire/types';

type Row = { kind: 'entry'; t: number; e: EntryView } | { kind: 'deadline'; t: number; o: Obligation };

export function Timeline() {
  const p = usePicture();
  const [party, setParty] = useState('');
  const [receipts, setReceipts] = useState(false);
  const [sealed, setSealed] = useState(false);
  const [deadlines, setDeadlines] = useState(true);

  const involves = (e: EntryView) => !party || e.author === party || (e.to ?? []).includes(party) || (e.to ?? []).includes('*');
  const rows: Row[] = [
    ...p.entries
      .filter((e) => (receipts || e.type !== 'receipt') && (sealed || e.type !== undefined) && e.type !== 'link.test' && involves(e))
      .map((e): Row => ({ kind: 'entry', t: Date.parse(e.time), e })),
    ...(deadlines ? (p.obligations ?? []) : [])
      .filter((o) => !party || o.debtor === party || o.creditors.includes(party))
      .map((o): Row => ({ kind: 'deadline', t: Date.parse(o.due), o })),
  ].sort((a, b) => a.t - b.t || (a.kind === 'entry' && b.kind === 'entry' ? a.e.author.localeCompare(b.e.author) || a.e.seq - b.e.seq : 0));

  const parties = p.roster.map((r) => r.party);
  const receiptIndex = useMemo(() => new ReceiptIndex(p.entries), [p.entries]);
  let day = '';
  return (
    <section aria-labelledby="tl-h">
      <h1 id="tl-h">Timeline</h1>
      <div className="filters" role="group" aria-label="Filter the timeline">
        <label>
          Party
          <select value={party} onChange={(e) => setParty(e.target.value)}>
            <option value="">all</option>
            {parties.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={deadlines} onChange={(e) => setDeadlines(e.target.checked)} /> deadlines
        </label>
        <label>
          <input type="checkbox" checked={receipts} onChange={(e) => setReceipts(e.target.checked)} /> receipts
        </label>
        <label>
          <input type="checkbox" checked={sealed} onChange={(e) => setSealed(e.target.checked)} /> sealed entries (stubs)
        </label>
        <span className="muted">{rows.length} events</span>
      </div>
      <table className="dense timeline" data-testid="timeline">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">To</th>
            <th scope="col">What</th>
            <th scope="col">Said</th>
            <th scope="col">Receipted by</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const d = utcDay(new Date(r.t).toISOString());
            const header =
              d !== day ? (
                <tr className="day" key={`day-${d}`}>
                  <th colSpan={6} scope="rowgroup">
                    {d}
                  </th>
                </tr>
              ) : null;
            day = d;
            if (r.kind === 'deadline') {
              const o = r.o;
              const open = o.status === 'open' || o.status === 'missed';
              return [
                header,
                <tr key={`o-${o.id}`} className={`deadline ${o.status === 'missed' ? 'overdue' : ''}`}>
                  <td className="time">{utc(o.due)}</td>
                  <td>{o.debtor}</td>
                  <td>{o.creditors.includes('*') ? 'all' : o.creditors.join(', ')}</td>
                  <td>
                    deadline <span className="cite">{o.citation}</span>
                  </td>
                  <td>
                    {o.what} — <span className={`ostatus ${o.status}`}>{open && o.status === 'missed' ? 'missed' : o.status}</span>
                  </td>
                  <td>{o.metBy ? <a href={entryHref(o.metBy)}>met by {p.byId.get(o.metBy) ? `${p.byId.get(o.metBy)!.author}#${p.byId.get(o.metBy)!.seq}` : 'entry'}</a> : ''}</td>
                </tr>,
              ];
            }
            const e = r.e;
            return [
              header,
              <tr key={e.id} className={e.type === 'receipt' ? 'receipt' : e.type ? '' : 'sealed'}>
                <td className="time">{utc(e.time)}</td>
                <td>
                  {e.author}
                  <span className="muted">#{e.seq}</span>
                </td>
                <td>{addressees(e.to)}</td>
                <td title={e.type}>{typeTitle(p.catalogue, e.type)}</td>
                <td>
                  <a href={entryHref(e.id)}>{summary(e)}</a>
                </td>
                <td className="receipts">
                  {e.type === 'receipt' || e.author !== p.party
                    ? ''
                    : [...receiptIndex.covering(e)].map(([receiver, r]) => (
                        <span key={receiver} title={`${receiver}'s node receipted it at ${utc(r.time)}`}>
                          {receiver}{' '}
                        </span>
                      ))}
                </td>
              </tr>,
            ];
          })}
        </tbody>
      </table>
    </section>
  );
}
