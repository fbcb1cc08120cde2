/**
 * Findings: each rule's verdict on the record, filtered by party, rule and severity, each with its
 * treaty citation and the entries that are its evidence.
 */
import { summary, typeTitle, utc } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref, href, type Route } from '../app/route';
import type { Finding, Severity } from '../../wire/types';
import { ExportTools } from '../components/CsvExport';
import { FilterSelect } from '../components/FilterSelect';
import { ListFilters, ListHead, Pager, TableScroll, useList, type ListColumn } from '../components/ListControls';

const RANK: Record<Severity, number> = { violation: 3, warning: 2, info: 1 };
const COLUMNS: ListColumn<Finding>[] = [
  { key: 'severity', label: 'Severity', sort: (f) => RANK[f.severity] ?? 0 },
  { key: 'since', label: 'Since (UTC)', sort: (f) => Date.parse(f.at) },
  { key: 'parties', label: 'Parties', sort: (f) => f.parties.join(' ') },
  { key: 'finding', label: 'Finding', sort: (f) => f.explanation },
  { key: 'citation', label: 'Citation', sort: (f) => f.citation },
];

export function SeverityBadge(props: { severity: Severity }) {
  return <span className={`sev ${props.severity}`}>{props.severity}</span>;
}

export function Findings(props: { selected: string | undefined; route: Route }) {
  const p = usePicture();
  const all = p.findings ?? [];
  const q = props.route.query;
  const party = q.get('party') ?? '';
  const rule = q.get('rule') ?? '';
  const severity = q.get('severity') ?? '';
  const parties = [...new Set(all.flatMap((f) => f.parties))].sort();
  const rules = [...new Set(all.map((f) => f.rule))].sort();
  const list = useList({
    base: href('findings', ...(props.selected ? [props.selected] : [])),
    route: props.route,
    rows: all.filter((f) => (!party || f.parties.includes(party)) && (!rule || f.rule === rule) && (!severity || f.severity === severity)),
    columns: COLUMNS,
    text: (f) => [f.explanation, f.citation, f.rule, f.severity, ...f.parties].join(' '),
    time: (f) => Date.parse(f.at),
    id: (f) => f.id,
    defaultSort: 'since',
  });
  const { shown } = list;
  const setFilter = (key: string, value: string) => list.set({ [key]: value });
  const selected = props.selected ? all.find((f) => f.id === props.selected) : undefined;
  const qs = q.size ? `?${q}` : '';

  return (
    <div className="split">
      <section aria-labelledby="findings-h">
        <h1 id="findings-h">Findings</h1>
        <ListFilters list={list} label="Filter findings">
          <FilterSelect label="Party" value={party} options={parties} onChange={(v) => setFilter('party', v)} />
          <FilterSelect label="Rule" value={rule} options={rules} onChange={(v) => setFilter('rule', v)} />
          <label>
            Severity
            <select value={severity} onChange={(e) => setFilter('severity', e.target.value)}>
              <option value="">all</option>
              <option>violation</option>
              <option>warning</option>
              <option>info</option>
            </select>
          </label>
          <ExportTools
            filename={`findings-${p.party}${p.asOf === undefined ? '' : `-as-of-${new Date(p.asOf).toISOString().slice(0, 19).replace(/:/g, '')}`}.csv`}
            header={['severity', 'since (UTC)', 'parties', 'finding', 'citation', 'rule', 'evidence']}
            rows={shown.map((f) => [f.severity, utc(f.at), f.parties.join(' '), f.explanation, f.citation, f.rule, f.evidence.join(' ')])}
          />
        </ListFilters>
        {p.findings === undefined && <p className="muted">This node does not report findings{p.problems.findings ? ` (${p.problems.findings})` : ''}.</p>}
        <TableScroll label="Findings">
        <table className="dense" data-testid="findings">
          <thead>
            <ListHead list={list} />
          </thead>
          <tbody>
            {list.visible.map((f) => (
              <tr key={f.id} aria-selected={f.id === props.selected || undefined} className={f.id === props.selected ? 'selected' : undefined}>
                <td>
                  <SeverityBadge severity={f.severity} />
                </td>
                <td className="time">{utc(f.at)}</td>
                <td>{f.parties.join(', ')}</td>
                <td>
                  <a href={href('findings', f.id) + qs}>{f.explanation}</a>
                </td>
                <td className="cite">{f.citation}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
        <Pager list={list} />
      </section>
      {selected && <FindingDetail f={selected} />}
    </div>
  );
}

function FindingDetail(props: { f: Finding }) {
  const p = usePicture();
  const f = props.f;
  return (
    <aside className="detail" aria-labelledby="finding-detail-h" data-testid="finding-detail">
      <h2 id="finding-detail-h">
        <SeverityBadge severity={f.severity} /> {f.rule}
      </h2>
      <p className="lead">{f.explanation}</p>
      <dl className="kv">
        <dt>Citation</dt>
        <dd className="cite">{f.citation}</dd>
        <dt>Parties</dt>
        <dd>{f.parties.join(', ')}</dd>
        <dt>True since</dt>
        <dd>{utc(f.at)}</dd>
        <dt>Finding id</dt>
        <dd className="mono">{f.id}</dd>
      </dl>
      <h3>Evidence</h3>
      <ol className="evidence">
        {f.evidence.map((id) => {
          const e = p.byId.get(id);
          return (
            <li key={id}>
              <a href={entryHref(id)}>{e ? `${e.author}#${e.seq} ${typeTitle(p.catalogue, e.type)}` : id.slice(0, 16)}</a>
              {e && (
                <>
                  {' '}
                  <span className="muted">
                    {utc(e.time)} — {summary(e)}
                  </span>
                </>
              )}
            </li>
          );
        })}
      </ol>
    </aside>
  );
}
