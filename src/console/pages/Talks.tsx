/**
 * The talks record: the meetings held; for one meeting, each party's readout side by side per
 * agenda item with the differences the node's divergence report finds (attributed positions,
 * claimed agreements, items said not discussed, a word diff of the wording); the positions and red
 * lines on its items; joint statements with who has endorsed them; commitments with their
 * countdowns; and who was briefed about it and who was not. The report, the list and the
 * statements are the node's own answers (GET /api/v1/talks…); nothing is compared in the browser.
 */
import { Fragment, useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../app/api';
import { downloadProof } from '../app/download';
import { partyLabel, span, utc } from '../app/format';
import { useClock, usePicture } from '../app/record';
import { entryHref, href, type Route } from '../app/route';
import { ListFilters, ListHead, Pager, TableScroll, useList, type ListColumn } from '../components/ListControls';
import type {
  EntryView,
  Obligation,
  TalksBriefingBody,
  TalksCommitmentBody,
  TalksDifference,
  TalksDivergence,
  TalksMeeting,
  TalksMeetingBody,
  TalksPositionBody,
  TalksReadoutBody,
  TalksStatement,
} from '../../wire/types';

const problem = (e: unknown): string => (e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));

const MEETING_COLUMNS: ListColumn<TalksMeeting>[] = [
  { key: 'when', label: 'When (UTC)', sort: (m) => Date.parse(m.at) },
  { key: 'meeting', label: 'Meeting', sort: (m) => m.title },
  { key: 'parties', label: 'Parties', sort: (m) => m.parties.join(', ') },
  { key: 'readouts', label: 'Readouts', sort: (m) => m.readouts.length, className: 'num' },
  { key: 'statements', label: 'Statements', sort: (m) => m.statements.length, className: 'num' },
  { key: 'commitments', label: 'Commitments', sort: (m) => m.commitments.length, className: 'num' },
];

export function Talks(props: { meeting: string | undefined; route: Route }) {
  const p = usePicture();
  const [meetings, setMeetings] = useState<TalksMeeting[] | undefined>(undefined);
  const [statements, setStatements] = useState<TalksStatement[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  // Read again whenever the record grows (the event stream refreshes the picture's entries).
  const held = p.entries.length;
  useEffect(() => {
    let cancelled = false;
    Promise.all([p.api.talks(), p.api.talksStatements()]).then(
      ([m, s]) => {
        if (cancelled) return;
        setMeetings(m);
        setStatements(s);
        setError(undefined);
      },
      (e: unknown) => !cancelled && setError(problem(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [p.api, held]);

  // "As of": a meeting recorded after the instant is not shown.
  const shown = (meetings ?? []).filter((m) => p.asOf === undefined || p.entries.some((e) => e.id === m.id));
  const selected = props.meeting ? shown.find((m) => m.id === props.meeting) : undefined;
  const list = useList({
    base: href('talks', ...(props.meeting ? [props.meeting] : [])),
    route: props.route,
    rows: shown,
    columns: MEETING_COLUMNS,
    text: (m) => [m.title, ...m.parties].join(' '),
    time: (m) => Date.parse(m.at),
    id: (m) => m.id,
    defaultSort: 'when',
    defaultOrder: 'asc',
  });

  return (
    <div className="talks">
      <h1 id="talks-h">Talks</h1>
      {error && (
        <p role="alert" className="refusal">
          {error}
        </p>
      )}
      <section aria-labelledby="meetings-h" className="panel">
        <h2 id="meetings-h">
          Meetings <span className="muted">({shown.length})</span>
        </h2>
        {meetings === undefined ? (
          <p className="muted">Reading the talks record…</p>
        ) : shown.length === 0 ? (
          <p className="muted">This node holds no meeting.</p>
        ) : (
          <>
          <ListFilters list={list} label="Filter meetings" testid="meetings-count" />
          <TableScroll label="Meetings">
          <table className="dense" data-testid="meetings">
            <caption className="vh">Meetings held</caption>
            <thead>
              <ListHead list={list} />
            </thead>
            <tbody>
              {list.visible.map((m) => (
                <tr key={m.id} className={m.id === props.meeting ? 'selected' : undefined}>
                  <td className="time">{utc(m.at)}</td>
                  <td>
                    <a href={href('talks', m.id)} aria-current={m.id === props.meeting ? 'true' : undefined}>
                      {m.title}
                    </a>
                  </td>
                  <td>{m.parties.join(', ')}</td>
                  <td className="num">{m.readouts.length}</td>
                  <td className="num">{m.statements.length}</td>
                  <td className="num">{m.commitments.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableScroll>
          <Pager list={list} label="meetings" />
          </>
        )}
      </section>
      {props.meeting && meetings !== undefined && !selected && (
        <p role="alert" className="refusal">
          This node holds no meeting {props.meeting.slice(0, 12)}.
        </p>
      )}
      {selected && <MeetingView key={selected.id} summary={selected} statements={(statements ?? []).filter((s) => s.meeting === selected.id)} />}
      {!props.meeting && statements !== undefined && (
        <section aria-labelledby="statements-h" className="panel">
          <h2 id="statements-h">Joint statements</h2>
          <Statements statements={statements} />
        </section>
      )}
    </div>
  );
}

function MeetingView(props: { summary: TalksMeeting; statements: TalksStatement[] }) {
  const p = usePicture();
  const entry = p.byId.get(props.summary.id);
  const m = entry?.body as TalksMeetingBody | undefined;
  const [report, setReport] = useState<TalksDivergence | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const held = p.entries.length;
  useEffect(() => {
    let cancelled = false;
    p.api.talksCompare(props.summary.id).then(
      (r) => !cancelled && (setReport(r), setError(undefined)),
      (e: unknown) => !cancelled && setError(problem(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [p.api, props.summary.id, held]);

  const about = (e: EntryView) => e.body?.meeting === props.summary.id;
  const commitments = p.entries.filter((e) => e.type === 'talks.commitment' && about(e));
  const briefings = p.entries.filter((e) => e.type === 'talks.briefing' && about(e));
  const keys = new Set((m?.agenda ?? []).map((a) => a.key));
  const positions = p.entries.filter((e) => {
    if (e.type !== 'talks.position' || !e.body) return false;
    const b = e.body as unknown as TalksPositionBody;
    return keys.has(b.item) && (b.meeting === undefined || b.meeting === props.summary.id);
  });

  return (
    <article className="panel meeting" aria-labelledby="meeting-h" data-testid="meeting">
      <h2 id="meeting-h">{props.summary.title}</h2>
      {m ? (
        <dl className="kv">
          <dt>When (UTC)</dt>
          <dd className="time">{utc(m.at)}</dd>
          <dt>Format</dt>
          <dd>{m.format}</dd>
          <dt>Channel</dt>
          <dd>{m.channel}</dd>
          {m.group && (
            <>
              <dt>Group</dt>
              <dd>{m.group}</dd>
            </>
          )}
          <dt>Delegations</dt>
          <dd>
            <ul className="plain">
              {m.delegations.map((d) => (
                <li key={d.party}>
                  <strong>{d.party}</strong>: {d.members.map((x) => `${x.name} (${x.role})`).join('; ')}
                </li>
              ))}
            </ul>
          </dd>
          {m.chairs && (
            <>
              <dt>{m.chairs.length > 1 ? 'Co-chairs' : 'Chair'}</dt>
              <dd>{m.chairs.map((c) => `${c.name} (${c.party})`).join('; ')}</dd>
            </>
          )}
          <dt>Recorded by</dt>
          <dd>
            <a href={entryHref(props.summary.id)}>
              {entry ? `${entry.author}#${entry.seq}` : props.summary.id.slice(0, 12)}
            </a>
          </dd>
        </dl>
      ) : (
        <p className="muted">Reading the meeting…</p>
      )}

      <section aria-labelledby="readouts-h">
        <h3 id="readouts-h">Readouts side by side</h3>
        {error && (
          <p role="alert" className="refusal">
            {error}
          </p>
        )}
        {report && m && <Comparison report={report} meeting={m} />}
        {!report && !error && <p className="muted">Comparing the readouts…</p>}
      </section>

      <section aria-labelledby="positions-h">
        <h3 id="positions-h">Positions and red lines on its items</h3>
        {positions.length === 0 ? (
          <p className="muted">No standing position is recorded on these items.</p>
        ) : (
          <table className="dense" data-testid="positions">
            <thead>
              <tr>
                <th scope="col">Party</th>
                <th scope="col">Item</th>
                <th scope="col">Position</th>
                <th scope="col">Marked</th>
                <th scope="col">Recorded (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {positions.map((e) => {
                const b = e.body as unknown as TalksPositionBody;
                return (
                  <tr key={e.id}>
                    <th scope="row">{e.author}</th>
                    <td className="mono">{b.item}</td>
                    <td>{b.text}</td>
                    <td>{b.redLine ? <strong className="red-line">red line</strong> : b.reserved ? 'reserved' : '—'}</td>
                    <td className="time">
                      <a href={entryHref(e.id)}>{utc(e.time)}</a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="meeting-statements-h">
        <h3 id="meeting-statements-h">Joint statements</h3>
        <Statements statements={props.statements} />
      </section>

      <section aria-labelledby="commitments-h">
        <h3 id="commitments-h">Commitments</h3>
        <Commitments commitments={commitments} />
      </section>

      <section aria-labelledby="briefings-h">
        <h3 id="briefings-h">Briefings: who was briefed, who was not</h3>
        {m ? <Briefings meeting={m} briefings={briefings} /> : null}
      </section>
    </article>
  );
}

/** The readouts' columns, one row per agenda item, and under each item what the report finds. */
function Comparison(props: { report: TalksDivergence; meeting: TalksMeetingBody }) {
  const p = usePicture();
  const { report, meeting } = props;
  const readouts = report.readouts.map((r) => ({ ...r, entry: p.byId.get(r.id), body: p.byId.get(r.id)?.body as TalksReadoutBody | undefined }));
  const title = new Map(meeting.agenda.map((a) => [a.key, a.title]));
  const total = report.items.reduce((n, i) => n + i.differences.length, 0);
  return (
    <>
      {report.note ? (
        <p role="note" className="notice" data-testid="compare-note">
          {report.note}
        </p>
      ) : (
        <p className="muted" data-testid="compare-summary">
          {readouts.length} readouts compared from the structured fields: {total} {total === 1 ? 'difference' : 'differences'} over {report.items.filter((i) => i.differences.length > 0).length} of {report.items.length} agenda items.
        </p>
      )}
      {readouts.length > 0 && (
        <div className="scroll-x">
          <table className="dense readouts" data-testid="readouts">
            <caption className="vh">Each party's readout of {meeting.title}, per agenda item, with the differences between them</caption>
            <thead>
              <tr>
                <th scope="col">Agenda item</th>
                {readouts.map((r) => (
                  <th scope="col" key={r.party} data-party={r.party}>
                    {r.party}'s readout{' '}
                    <a href={entryHref(r.id)} className="small">
                      {r.entry ? `${r.entry.author}#${r.entry.seq}` : r.id.slice(0, 12)}
                    </a>
                    {r.amends && r.amends.length > 0 && <span className="muted small"> (corrects {r.amends.length} earlier)</span>}{' '}
                    <ProofLink id={r.id} entry={r.entry} label={`Download proof bundle of ${r.party}'s readout`} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.items.map((item) => (
                <Fragment key={item.item}>
                  <tr data-item={item.item} data-differs={item.differences.length > 0 || undefined} className={item.differences.length > 0 ? 'differs' : undefined}>
                    <th scope="row">
                      {item.title}
                      <div className="mono muted small">{item.item}</div>
                      {item.differences.length > 0 && (
                        <span className="diff-count">
                          {item.differences.length} {item.differences.length === 1 ? 'difference' : 'differences'}
                        </span>
                      )}
                    </th>
                    {readouts.map((r) => (
                      <td key={r.party} data-party={r.party}>
                        <ReadoutCell body={r.body} item={item.item} />
                      </td>
                    ))}
                  </tr>
                  {item.differences.length > 0 && (
                    <tr className="differences">
                      <td colSpan={readouts.length + 1}>
                        <ul className="plain" aria-label={`Differences on ${title.get(item.item) ?? item.item}`} data-testid="differences">
                          {item.differences.map((d, i) => (
                            <li key={i} data-kind={d.kind}>
                              <DifferenceLine d={d} />
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function ReadoutCell(props: { body: TalksReadoutBody | undefined; item: string }) {
  if (!props.body) return <span className="muted">not held here</span>;
  const it = props.body.items.find((x) => x.key === props.item);
  if (!it) {
    return props.body.notDiscussed?.includes(props.item) ? <em className="not-discussed">says it was not discussed</em> : <span className="muted">does not recount it</span>;
  }
  return (
    <div className="readout-cell">
      <p>{it.discussed}</p>
      {it.positions && it.positions.length > 0 && (
        <ul className="plain positions" aria-label="Positions it attributes">
          {it.positions.map((x) => (
            <li key={x.party}>
              <strong>{x.party}</strong>
              {x.reserved ? ' (reserved)' : ''}: {x.text}
            </li>
          ))}
        </ul>
      )}
      {it.agreed && it.agreed.length > 0 && (
        <ul className="plain agreed" aria-label="What it says was agreed">
          {it.agreed.map((a) => (
            <li key={a}>Agreed: {a}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

const KIND_LABEL: Record<TalksDifference['kind'], string> = {
  'attributed-position': 'attributed position',
  'agreement-claimed': 'agreement claimed',
  'not-discussed': 'not discussed',
  text: 'wording',
};

function DifferenceLine(props: { d: TalksDifference }) {
  const { d } = props;
  const badge = <span className={`diff-kind ${d.kind}`}>{KIND_LABEL[d.kind]}</span>;
  switch (d.kind) {
    case 'attributed-position':
      return (
        <>
          {badge} {d.party} attributes to {d.about} a position {d.about}'s own readout does not state: “{d.text}”
        </>
      );
    case 'agreement-claimed':
      return (
        <>
          {badge} {d.party} says it was agreed; {d.about}'s readout does not: “{d.text}”
        </>
      );
    case 'not-discussed':
      return (
        <>
          {badge} {d.text}
        </>
      );
    default:
      return (
        <>
          {badge} {d.party} against {d.about}: <WordDiff text={d.text} removedBy={d.party} addedBy={d.about} />
        </>
      );
  }
}

/** The report's word diff (`[-words-]` only in the first readout, `{+words+}` only in the second) as del and ins. */
export function WordDiff(props: { text: string; removedBy: string; addedBy: string }) {
  const out: ReactNode[] = [];
  const re = /\[-(.*?)-\]|\{\+(.*?)\+\}/g;
  let last = 0;
  let k = 0;
  for (let m = re.exec(props.text); m; m = re.exec(props.text)) {
    if (m.index > last) out.push(props.text.slice(last, m.index));
    out.push(
      m[1] !== undefined ? (
        <del key={k++} title={`only in ${props.removedBy}'s readout`}>
          <span className="vh">[only {props.removedBy}: </span>
          {m[1]}
          <span className="vh">]</span>
        </del>
      ) : (
        <ins key={k++} title={`only in ${props.addedBy}'s readout`}>
          <span className="vh">[only {props.addedBy}: </span>
          {m[2]}
          <span className="vh">]</span>
        </ins>
      ),
    );
    last = re.lastIndex;
  }
  if (last < props.text.length) out.push(props.text.slice(last));
  return <span className="word-diff">{out}</span>;
}

function ProofLink(props: { id: string; entry: EntryView | undefined; label: string }) {
  const p = usePicture();
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <button
        type="button"
        className="small"
        aria-label={props.label}
        title={props.label}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            await downloadProof(p.api, props.id, props.entry);
          } catch (e) {
            setError(problem(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        Proof
      </button>
      {error && (
        <span role="alert" className="refusal">
          {error}
        </span>
      )}
    </>
  );
}

function Statements(props: { statements: TalksStatement[] }) {
  if (props.statements.length === 0) return <p className="muted">No joint statement is recorded.</p>;
  return (
    <table className="dense" data-testid="statements">
      <thead>
        <tr>
          <th scope="col">Statement</th>
          <th scope="col">Signatories</th>
          <th scope="col">Endorsed</th>
          <th scope="col">Not yet endorsed</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {props.statements.map((s) => (
          <tr key={s.id} data-adopted={s.adopted !== null || undefined}>
            <th scope="row">
              <a href={entryHref(s.id)}>{s.title}</a>
            </th>
            <td>{s.signatories.join(', ')}</td>
            <td>{s.endorsed.join(', ') || '—'}</td>
            <td>{s.missing.join(', ') || '—'}</td>
            <td>{s.adopted ? <span className="ostatus met">adopted {utc(s.adopted)}</span> : <span className="muted">awaiting {s.missing.length} of {s.signatories.length}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Commitments(props: { commitments: EntryView[] }) {
  const p = usePicture();
  const now = useClock();
  if (props.commitments.length === 0) return <p className="muted">No commitment was recorded at this meeting.</p>;
  const owed = (id: string): Obligation[] => (p.obligations ?? []).filter((o) => o.rule.startsWith('talks.') && o.evidence.includes(id));
  return (
    <table className="dense" data-testid="commitments">
      <thead>
        <tr>
          <th scope="col">Commitment</th>
          <th scope="col">Owner</th>
          <th scope="col">Due (UTC)</th>
          <th scope="col">Countdown</th>
          <th scope="col">Fulfilled by</th>
          <th scope="col">Rule</th>
        </tr>
      </thead>
      <tbody>
        {props.commitments.map((c) => {
          const b = c.body as unknown as TalksCommitmentBody;
          const obligations = owed(c.id);
          if (obligations.length === 0) {
            return (
              <tr key={c.id}>
                <th scope="row">
                  <a href={entryHref(c.id)}>{b.what}</a>
                </th>
                <td>{b.owners.join(', ')}</td>
                <td className="time">{utc(b.due)}</td>
                <td className="muted">{p.obligations === undefined ? 'this node reports no obligations' : 'no obligation yet'}</td>
                <td>{b.fulfilledBy.description ?? b.fulfilledBy.type}</td>
                <td className="cite">—</td>
              </tr>
            );
          }
          return obligations.map((o, i) => {
            const left = Date.parse(o.due) - now;
            const done = o.status === 'met' || o.status === 'met-late';
            const overdue = !done && (o.status === 'missed' || left < 0);
            return (
              <tr key={o.id} className={overdue ? 'overdue' : undefined} data-overdue={overdue || undefined} data-status={o.status}>
                {i === 0 ? (
                  <th scope="row" rowSpan={obligations.length}>
                    <a href={entryHref(c.id)}>{b.what}</a>
                  </th>
                ) : null}
                <td>{o.debtor}</td>
                <td className="time">{utc(o.due)}</td>
                <td className="countdown" aria-label={done ? o.status : overdue ? `overdue by ${span(left)}` : `due in ${span(left)}`}>
                  {done ? <span className={`ostatus ${o.status}`}>{o.status}</span> : overdue ? `OVERDUE ${span(left)}` : span(left)}
                </td>
                <td>
                  {o.metBy ? (
                    <a href={entryHref(o.metBy)}>{describe(p.byId.get(o.metBy))}</a>
                  ) : (
                    <span className="muted">{b.fulfilledBy.description ?? b.fulfilledBy.type}</span>
                  )}
                </td>
                <td className="cite">{o.citation}</td>
              </tr>
            );
          });
        })}
      </tbody>
    </table>
  );
}

function describe(e: EntryView | undefined): string {
  if (!e) return 'the entry';
  const title = typeof e.body?.title === 'string' ? e.body.title : e.type ?? 'entry';
  return `${title} (${e.author}#${e.seq})`;
}

/**
 * Every party that did not attend and that the agenda concerns or the roster holds, with who
 * briefed it and when — or that nobody did — from the briefing entries alone.
 */
function Briefings(props: { meeting: TalksMeetingBody; briefings: EntryView[] }) {
  const p = usePicture();
  const attending = new Set(props.meeting.delegations.map((d) => d.party));
  const concerned = new Set(props.meeting.agenda.flatMap((a) => a.concerns));
  const given = props.briefings.map((e) => ({ e, b: e.body as unknown as TalksBriefingBody }));
  const parties = [...new Set([...p.roster.map((r) => r.party), ...concerned, ...given.flatMap((g) => g.b.briefed)])].filter((x) => !attending.has(x)).sort();
  return (
    <table className="dense" data-testid="briefings">
      <thead>
        <tr>
          <th scope="col">Party</th>
          <th scope="col">Concerned by the agenda</th>
          <th scope="col">Briefed</th>
          <th scope="col">What they were told</th>
        </tr>
      </thead>
      <tbody>
        {parties.map((party) => {
          const got = given.filter((g) => g.b.briefed.includes(party));
          return (
            <tr key={party} data-party={party} data-briefed={got.length > 0}>
              <th scope="row">{p.roster.some((r) => r.party === party) ? partyLabel(p.roster, party) : `${party} (not in this network)`}</th>
              <td>{concerned.has(party) ? 'yes' : 'no'}</td>
              <td>
                {got.length === 0 ? (
                  <strong className="not-briefed">not briefed</strong>
                ) : (
                  got.map((g) => (
                    <div key={g.e.id}>
                      by {g.e.author} at <a href={entryHref(g.e.id)}>{utc(g.b.at)}</a>
                    </div>
                  ))
                )}
              </td>
              <td>{got.map((g) => g.b.summary).filter(Boolean).join(' ') || '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
