/**
 * The crisis as a chronology across parties: who said what to whom and when, who received it,
 * and the deadlines the rules set — the record that settles "whose account is right".
 */
import { useMemo } from 'react';
import { ReceiptIndex } from '../app/domain';
import { addressees, summary, typeTitle, utc, utcDay } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref, href, type Route } from '../app/route';
import { FilterSelect } from '../components/FilterSelect';
import { ListFilters, ListHead, Pager, TableScroll, useList, type ListColumn } from '../components/ListControls';
import type { EntryView, Obligation } from '../../wire/types';

type Row = { kind: 'entry'; t: number; e: EntryView } | { kind: 'deadline'; t: number; o: Obligation };

const who = (r: Row) => (r.kind === 'entry' ? r.e.author : r.o.debtor);
const COLUMNS: ListColumn<Row>[] = [
  { key: 'time', label: 'Time (UTC)', sort: (r) => r.t },
  { key: 'who', label: 'Who', sort: who },
  { key: 'to', label: 'To', sort: (r) => (r.kind === 'entry' ? addressees(r.e.to) : r.o.creditors.join(', ')) },
  { key: 'what', label: 'What', sort: (r) => (r.kind === 'entry' ? (r.e.type ?? '') : `deadline ${r.o.citation}`) },
  { key: 'said', label: 'Said' },
  { key: 'receipts', label: 'Receipted by' },
];

export function Timeline(props: { route: Route }) {
  const p = usePicture();
  const q = props.route.query;
  const party = q.get('party') ?? '';
  const receipts = q.get('receipts') === 'on';
  const sealed = q.get('sealed') === 'on';
  const deadlines = q.get('deadlines') !== 'off';

  const involves = (e: EntryView) => !party || e.author === party || (e.to ?? []).includes(party) || (e.to ?? []).includes('*');
  const rows: Row[] = [
    ...p.entries
      .filter((e) => (receipts || e.type !== 'receipt') && (sealed || e.type !== undefined) && e.type !== 'link.test' && involves(e))
      .map((e): Row => ({ kind: 'entry', t: Date.parse(e.time), e })),
    ...(deadlines ? (p.obligations ?? []) : [])
      .filter((o) => !party || o.debtor === party || o.creditors.includes(party))
      .map((o): Row => ({ kind: 'deadline', t: Date.parse(o.due), o })),
  ];
  const list = useList({
    base: href('timeline'),
    route: props.route,
    rows,
    columns: COLUMNS,
    text: (r) => (r.kind === 'entry' ? [summary(r.e), typeTitle(p.catalogue, r.e.type), r.e.type ?? '', r.e.author, addressees(r.e.to)] : ['deadline', r.o.what, r.o.citation, r.o.debtor, ...r.o.creditors, r.o.status]).join(' '),
    time: (r) => r.t,
    // In time order, a party's own entries in their sequence.
    id: (r) => (r.kind === 'entry' ? `${r.e.author} ${String(r.e.seq).padStart(12, '0')}` : `~${r.o.id}`),
    defaultSort: 'time',
    defaultOrder: 'asc',
    pageSize: 100,
  });
  // Days as headings while the rows are in time order.
  const byDay = list.sort === 'time';

  const parties = p.roster.map((r) => r.party);
  const receiptIndex = useMemo(() => new ReceiptIndex(p.entries), [p.entries]);
  let day = '';
  return (
    <section aria-labelledby="tl-h">
      <h1 id="tl-h">Timeline</h1>
      <ListFilters list={list} label="Filter the timeline" testid="timeline-count">
        <FilterSelect label="Party" value={party} options={parties} onChange={(v) => list.set({ party: v })} />
        {(
          [
            ['deadlines', deadlines, 'deadlines', 'off'],
            ['receipts', receipts, 'receipts', 'on'],
            ['sealed', sealed, 'sealed entries (stubs)', 'on'],
          ] as const
        ).map(([key, checked, label, flag]) => (
          <label key={key}>
            <input type="checkbox" checked={checked} onChange={(e) => list.set({ [key]: e.target.checked === (flag === 'on') ? flag : '' })} /> {label}
          </label>
        ))}
      </ListFilters>
      <TableScroll label="Timeline">
      <table className="dense timeline" data-testid="timeline">
        <thead>
          <ListHead list={list} />
        </thead>
        <tbody>
          {list.visible.map((r) => {
            const d = utcDay(new Date(r.t).toISOString());
            const header =
              byDay && d !== day ? (
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
      </TableScroll>
      <Pager list={list} />
    </section>
  );
}
