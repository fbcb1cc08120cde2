/**
 * Every obligation the regimes derive from the record, as one list: who owes what to whom, by
 * when, under which rule, and whether it was met (on time, late) or is still open or missed. The
 * dashboard puts them in triage order; here an analyst searches, windows (by due time, UTC),
 * sorts, pages and exports them, the question kept in the address.
 */
import { utc } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref, href, type Route } from '../app/route';
import { ExportTools } from '../components/CsvExport';
import { FilterSelect } from '../components/FilterSelect';
import { ListFilters, ListHead, Pager, TableScroll, useList, type ListColumn } from '../components/ListControls';
import type { Obligation } from '../../wire/types';

const owed = (o: Obligation) => (o.creditors.includes('*') ? 'all' : o.creditors.join(', '));
const COLUMNS: ListColumn<Obligation>[] = [
  { key: 'due', label: 'Due (UTC)', sort: (o) => Date.parse(o.due) },
  { key: 'debtor', label: 'Owes', sort: (o) => o.debtor },
  { key: 'to', label: 'To', sort: owed },
  { key: 'what', label: 'What', sort: (o) => o.what },
  { key: 'citation', label: 'Rule', sort: (o) => o.citation },
  { key: 'status', label: 'Status', sort: (o) => o.status },
];

export function Obligations(props: { route: Route }) {
  const p = usePicture();
  const q = props.route.query;
  const party = q.get('party') ?? '';
  const status = q.get('status') ?? '';
  const all = p.obligations ?? [];
  const list = useList({
    base: href('obligations'),
    route: props.route,
    rows: all.filter((o) => (!party || o.debtor === party || o.creditors.includes(party)) && (!status || o.status === status)),
    columns: COLUMNS,
    text: (o) => [o.what, o.citation, o.rule, o.debtor, owed(o), o.status].join(' '),
    time: (o) => Date.parse(o.due),
    id: (o) => o.id,
    defaultSort: 'due',
  });
  const parties = [...new Set(all.flatMap((o) => [o.debtor, ...o.creditors]))].filter((x) => x !== '*').sort();
  const statuses = [...new Set(all.map((o) => o.status))].sort();
  return (
    <section aria-labelledby="obls-h">
      <h1 id="obls-h">Obligations</h1>
      <ListFilters list={list} label="Filter obligations" testid="obligations-count">
        <FilterSelect label="Party" value={party} options={parties} onChange={(v) => list.set({ party: v })} />
        <FilterSelect label="Status" value={status} options={statuses} onChange={(v) => list.set({ status: v })} />
        <ExportTools
          filename={`obligations-${p.party}.csv`}
          header={['due (UTC)', 'owes', 'to', 'what', 'citation', 'status', 'rule', 'met by', 'evidence']}
          rows={list.shown.map((o) => [utc(o.due), o.debtor, owed(o), o.what, o.citation, o.status, o.rule, o.metBy ?? '', o.evidence.join(' ')])}
        />
      </ListFilters>
      {p.obligations === undefined && <p className="muted">This node does not report obligations{p.problems.obligations ? ` (${p.problems.obligations})` : ''}.</p>}
      <TableScroll label="Obligations">
        <table className="dense" data-testid="obligation-list">
          <thead>
            <ListHead list={list} />
          </thead>
          <tbody>
            {list.visible.map((o) => (
              <tr key={o.id} className={o.status === 'missed' ? 'overdue' : undefined} data-status={o.status}>
                <td className="time">{utc(o.due)}</td>
                <td>{o.debtor}</td>
                <td>{owed(o)}</td>
                <td>{o.evidence[0] ? <a href={entryHref(o.evidence[0])}>{o.what}</a> : o.what}</td>
                <td className="cite">{o.citation}</td>
                <td>{o.metBy ? <a href={entryHref(o.metBy)}>{o.status}</a> : <span className={`ostatus ${o.status}`}>{o.status}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <Pager list={list} label="obligations" />
    </section>
  );
}
