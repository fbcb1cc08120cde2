/**
 * Requests and replies: what was asked, of whom, when, by when an answer is due, and whether it
 * came (on time, late, or not at all) — read from the regimes' obligations whose creating entry
 * was written by a party owed the answer. From–to (UTC), party, status and type filters live in
 * the address; the table sorts by any column, pages by 50, and exports as CSV.
 */
import { summary, typeTitle, utc } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref, href, type Route } from '../app/route';
import { ExportTools } from '../components/CsvExport';
import { FilterSelect } from '../components/FilterSelect';
import { ListFilters, ListHead, Pager, TableScroll, useList, type ListColumn } from '../components/ListControls';
import type { EntryView, Obligation } from '../../wire/types';

interface Row {
  o: Obligation;
  request: EntryView;
  asked: number;
  state: 'answered' | 'answered late' | 'unanswered' | 'overdue';
}

const COLUMNS: ListColumn<Row>[] = [
  { key: 'asked', label: 'Asked (UTC)', sort: (r) => r.asked },
  { key: 'from', label: 'From', sort: (r) => r.request.author },
  { key: 'of', label: 'Of', sort: (r) => r.o.debtor },
  { key: 'what', label: 'What', sort: (r) => r.o.what },
  { key: 'due', label: 'Due (UTC)', sort: (r) => Date.parse(r.o.due) },
  { key: 'state', label: 'Answer', sort: (r) => r.state },
];

export function Requests(props: { route: Route }) {
  const p = usePicture();
  const q = props.route.query;
  const party = q.get('party') ?? '';
  const status = q.get('status') ?? '';
  const type = q.get('type') ?? '';

  const all: Row[] = [];
  for (const o of p.obligations ?? []) {
    const request = o.evidence.map((id) => p.byId.get(id)).find((e) => e && o.creditors.includes(e.author));
    if (!request) continue;
    const state: Row['state'] = o.status === 'met' ? 'answered' : o.status === 'met-late' ? 'answered late' : o.status === 'missed' ? 'overdue' : 'unanswered';
    all.push({ o, request, asked: Date.parse(request.time), state });
  }
  const types = [...new Set(all.map((r) => r.request.type ?? ''))].filter(Boolean).sort();
  const parties = [...new Set(all.flatMap((r) => [r.request.author, r.o.debtor]))].sort();
  const rows = all
    .filter((r) => !party || r.request.author === party || r.o.debtor === party)
    .filter((r) => !type || r.request.type === type)
    .filter((r) => !status || (status === 'unanswered' ? r.state === 'unanswered' || r.state === 'overdue' : r.state === status));
  const list = useList({
    base: href('requests'),
    route: props.route,
    rows,
    columns: COLUMNS,
    text: (r) => [summary(r.request), r.o.what, r.o.citation, r.request.author, r.o.debtor, typeTitle(p.catalogue, r.request.type)].join(' '),
    time: (r) => r.asked,
    id: (r) => r.o.id,
    defaultSort: 'asked',
  });
  const { set, shown } = list;

  return (
    <section aria-labelledby="req-h">
      <h1 id="req-h">Requests and replies</h1>
      <ListFilters list={list} label="Filter requests" testid="requests-count">
        <FilterSelect label="Party" value={party} options={parties} onChange={(v) => set({ party: v })} />
        <FilterSelect label="Answer" value={status} anyLabel="any" options={['unanswered', 'answered', 'answered late']} onChange={(v) => set({ status: v })} />
        <FilterSelect label="Type" value={type} options={types.map((t) => [t, typeTitle(p.catalogue, t)] as const)} onChange={(v) => set({ type: v })} />
        <ExportTools
          filename={`requests-${p.party}.csv`}
          header={['asked (UTC)', 'from', 'of', 'what', 'due (UTC)', 'answer', 'request', 'answered by']}
          rows={shown.map((r) => [utc(r.request.time), r.request.author, r.o.debtor, r.o.what, utc(r.o.due), r.state, r.request.id, r.o.metBy ?? ''])}
        />
      </ListFilters>
      {p.obligations === undefined && <p className="muted">This node does not report obligations.</p>}
      <TableScroll label="Requests">
      <table className="dense" data-testid="requests">
        <thead>
          <ListHead list={list} />
        </thead>
        <tbody>
          {list.visible.map((r) => (
            <tr key={r.o.id} className={r.state === 'overdue' ? 'overdue' : undefined} data-state={r.state}>
              <td className="time">{utc(r.request.time)}</td>
              <td>{r.request.author}</td>
              <td>{r.o.debtor}</td>
              <td>
                <a href={entryHref(r.request.id)}>{summary(r.request)}</a> <span className="muted">— {r.o.what}</span> <span className="cite">{r.o.citation}</span>
              </td>
              <td className="time">{utc(r.o.due)}</td>
              <td>{r.o.metBy ? <a href={entryHref(r.o.metBy)}>{r.state}</a> : <span className={r.state === 'overdue' ? 'overdue-text' : undefined}>{r.state}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableScroll>
      <Pager list={list} />
    </section>
  );
}
