/**
 * Requests and replies: what was asked, of whom, when, by when an answer is due, and whether it
 * came (on time, late, or not at all) — read from the regimes' obligations whose creating entry
 * was written by a party owed the answer. From–to (UTC), party, status and type filters live in
 * the address; the table sorts by any column, pages by 50, and exports as CSV.
 */
import { useState } from 'react';
import { summary, typeTitle, utc } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref, go, href, type Route } from '../app/route';
import { readUtc } from '../app/utc';
import { ExportTools } from '../components/CsvExport';
import { FilterSelect } from '../components/FilterSelect';
import { UtcInput } from '../components/UtcInput';
import type { EntryView, Obligation } from '../../wire/types';

interface Row {
  o: Obligation;
  request: EntryView;
  asked: number;
  state: 'answered' | 'answered late' | 'unanswered' | 'overdue';
}

const PAGE = 50;
const COLUMNS = [
  ['asked', 'Asked (UTC)'],
  ['from', 'From'],
  ['of', 'Of'],
  ['what', 'What'],
  ['due', 'Due (UTC)'],
  ['state', 'Answer'],
] as const;
type Column = (typeof COLUMNS)[number][0];

export function Requests(props: { route: Route }) {
  const p = usePicture();
  const q = props.route.query;
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(q);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    go(`${href('requests')}${next.size ? `?${next}` : ''}`);
  };
  const [fromText, setFromText] = useState(q.get('from') ?? '');
  const [toText, setToText] = useState(q.get('to') ?? '');
  const from = readUtc(q.get('from') ?? '');
  const to = readUtc(q.get('to') ?? '');
  const party = q.get('party') ?? '';
  const status = q.get('status') ?? '';
  const type = q.get('type') ?? '';
  const sort = (q.get('sort') ?? 'asked') as Column;
  const desc = q.get('dir') !== 'asc';
  const page = Math.max(1, Number(q.get('page') ?? '1') || 1);

  const rows: Row[] = [];
  for (const o of p.obligations ?? []) {
    const request = o.evidence.map((id) => p.byId.get(id)).find((e) => e && o.creditors.includes(e.author));
    if (!request) continue;
    const state: Row['state'] = o.status === 'met' ? 'answered' : o.status === 'met-late' ? 'answered late' : o.status === 'missed' ? 'overdue' : 'unanswered';
    rows.push({ o, request, asked: Date.parse(request.time), state });
  }
  const types = [...new Set(rows.map((r) => r.request.type ?? ''))].filter(Boolean).sort();
  const parties = [...new Set(rows.flatMap((r) => [r.request.author, r.o.debtor]))].sort();
  const shown = rows
    .filter((r) => (!from.ok || r.asked >= from.ms) && (!to.ok || r.asked <= to.ms))
    .filter((r) => !party || r.request.author === party || r.o.debtor === party)
    .filter((r) => !type || r.request.type === type)
    .filter((r) => !status || (status === 'unanswered' ? r.state === 'unanswered' || r.state === 'overdue' : r.state === status))
    .sort((a, b) => {
      const key = (r: Row): string | number => (sort === 'asked' ? r.asked : sort === 'due' ? Date.parse(r.o.due) : sort === 'from' ? r.request.author : sort === 'of' ? r.o.debtor : sort === 'what' ? r.o.what : r.state);
      const x = key(a), y = key(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return (desc ? -c : c) || a.o.id.localeCompare(b.o.id);
    });
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const visible = shown.slice((Math.min(page, pages) - 1) * PAGE, Math.min(page, pages) * PAGE);

  return (
    <section aria-labelledby="req-h">
      <h1 id="req-h">Requests and replies</h1>
      <div className="filters" role="group" aria-label="Filter requests">
        {(
          [
            ['From (UTC)', 'from', fromText, setFromText],
            ['To (UTC)', 'to', toText, setToText],
          ] as const
        ).map(([label, key, text, setText]) => (
          <label key={key}>
            {label}
            <UtcInput
              text={text}
              size={20}
              onText={(t, iso) => {
                setText(t);
                if (!t.trim()) set({ [key]: '' });
                else if (iso) set({ [key]: iso });
              }}
            />
          </label>
        ))}
        <FilterSelect label="Party" value={party} options={parties} onChange={(v) => set({ party: v })} />
        <FilterSelect label="Answer" value={status} anyLabel="any" options={['unanswered', 'answered', 'answered late']} onChange={(v) => set({ status: v })} />
        <FilterSelect label="Type" value={type} options={types.map((t) => [t, typeTitle(p.catalogue, t)] as const)} onChange={(v) => set({ type: v })} />
        <span className="muted" data-testid="requests-count">
          {shown.length} of {rows.length}
        </span>
        <ExportTools
          filename={`requests-${p.party}.csv`}
          header={['asked (UTC)', 'from', 'of', 'what', 'due (UTC)', 'answer', 'request', 'answered by']}
          rows={shown.map((r) => [utc(r.request.time), r.request.author, r.o.debtor, r.o.what, utc(r.o.due), r.state, r.request.id, r.o.metBy ?? ''])}
        />
      </div>
      {p.obligations === undefined && <p className="muted">This node does not report obligations.</p>}
      <table className="dense" data-testid="requests">
        <thead>
          <tr>
            {COLUMNS.map(([key, label]) => (
              <th key={key} scope="col" aria-sort={sort === key ? (desc ? 'descending' : 'ascending') : undefined}>
                <button type="button" className="sort" onClick={() => set({ sort: key, dir: sort === key && desc ? 'asc' : 'desc' })}>
                  {label}
                  {sort === key ? (desc ? ' ▼' : ' ▲') : ''}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.map((r) => (
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
      {pages > 1 && (
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={page <= 1} onClick={() => set({ page: String(page - 1) })}>
            Previous
          </button>{' '}
          page {Math.min(page, pages)} of {pages}{' '}
          <button type="button" disabled={page >= pages} onClick={() => set({ page: String(page + 1) })}>
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
