/**
 * Treaty traffic: what this party received and sent, and a composer for any content type of the
 * catalogue, its form generated from the type's JSON Schema. A refusal is the node's own, with its
 * code and the schema path of the field, shown beside that field.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ApiError } from '../app/api';
import { isComposedFromForm, isTreatyTraffic } from '../app/domain';
import { addressees, summary, typeTitle, utc } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref, go, href, type Route } from '../app/route';
import { FilterSelect } from '../components/FilterSelect';
import { ListFilters, ListHead, Pager, TableScroll, useList, type ListColumn } from '../components/ListControls';
import { BodyFields, type Refusal } from '../forms/SchemaForm';
import { bodyOf, emptyDraft, pointerLabel, type Draft, type Schema } from '../forms/schema';
import { describeProblem, problemsOf, useValidators } from '../forms/validate';
import { SeverityBadge } from './Findings';
import type { EntryView, Finding } from '../../wire/types';

/** Types the node writes itself or that have their own screen. */

export function Notifications(props: { route: Route }) {
  if (props.route.rest[0] === 'compose') return <Compose query={props.route.query} />;
  return <NotificationList route={props.route} />;
}

const COLUMNS: ListColumn<EntryView>[] = [
  { key: 'time', label: 'Time (UTC)', sort: (e) => Date.parse(e.time) },
  { key: 'from', label: 'From', sort: (e) => e.author },
  { key: 'to', label: 'To', sort: (e) => addressees(e.to) },
  { key: 'type', label: 'Type', sort: (e) => e.type ?? '' },
  { key: 'subject', label: 'Subject', sort: (e) => summary(e) },
  { key: 'seq', label: 'Seq', sort: (e) => e.seq, className: 'num' },
];

function NotificationList(props: { route: Route }) {
  const p = usePicture();
  const q = props.route.query;
  const direction = q.get('dir') ?? 'all';
  const type = q.get('type') ?? '';
  const treaty = p.entries.filter((e) => isTreatyTraffic(p.catalogue, e));
  const types = [...new Set(treaty.map((e) => e.type!))].sort();
  // Search: words in the subject line, the type, the author or the addressees (kept in the address as ?q=).
  const list = useList({
    base: href('notifications'),
    route: props.route,
    rows: treaty.filter((e) => (direction === 'in' ? e.author !== p.party : direction === 'out' ? e.author === p.party : true)).filter((e) => !type || e.type === type),
    columns: COLUMNS,
    text: (e) => [summary(e), typeTitle(p.catalogue, e.type), e.type ?? '', e.author, addressees(e.to)].join(' '),
    time: (e) => Date.parse(e.time),
    id: (e) => `${e.author} ${String(e.seq).padStart(12, '0')}`,
    defaultSort: 'time',
  });

  return (
    <section aria-labelledby="notif-h">
      <div className="page-head">
        <h1 id="notif-h">Notifications</h1>
        {p.canSend && (
          <a className="button primary" href={href('notifications', 'compose')}>
            Compose…
          </a>
        )}
      </div>
      <ListFilters list={list} label="Filter notifications">
        <div className="segmented" role="group" aria-label="Direction">
          {[
            ['all', 'All'],
            ['in', 'Incoming'],
            ['out', 'Outgoing'],
          ].map(([d, label]) => (
            <button key={d} type="button" aria-pressed={direction === d} onClick={() => list.set({ dir: d === 'all' ? '' : d! })}>
              {label}
            </button>
          ))}
        </div>
        <FilterSelect label="Type" value={type} options={types.map((t) => [t, typeTitle(p.catalogue, t)] as const)} onChange={(v) => list.set({ type: v })} />
      </ListFilters>
      <TableScroll label="Notifications">
      <table className="dense" data-testid="notifications">
        <thead>
          <ListHead list={list} />
        </thead>
        <tbody>
          {list.visible.map((e) => (
            <tr key={e.id} className={e.author === p.party ? 'outgoing' : 'incoming'}>
              <td className="time">{utc(e.time)}</td>
              <td>{e.author}</td>
              <td>{addressees(e.to)}</td>
              <td title={e.type}>{typeTitle(p.catalogue, e.type)}</td>
              <td>
                <a href={entryHref(e.id)}>{summary(e)}</a>
              </td>
              <td className="num">{e.seq}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </TableScroll>
      <Pager list={list} />
    </section>
  );
}

interface KeptDraft {
  draft: Draft;
  to: string[];
  refs: string;
}

function loadDraft(key: string): KeptDraft | undefined {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? 'null') as KeptDraft | null;
    return v && Array.isArray(v.to) && typeof v.refs === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function Compose(props: { query: URLSearchParams }) {
  const p = usePicture();
  if (!p.canSend) {
    return (
      <section aria-labelledby="compose-h" className="compose">
        <h1 id="compose-h">Compose a notification</h1>
        <p data-testid="cannot-send">This {p.role} token reads the record; signing and sending needs an officer's token.</p>
      </section>
    );
  }
  return <Composer query={props.query} />;
}

function Composer(props: { query: URLSearchParams }) {
  const p = usePicture();
  const types = Object.keys(p.catalogue)
    .filter((t) => isComposedFromForm(p.catalogue, t))
    .sort();
  const [type, setType] = useState(props.query.get('type') ?? '');
  const schema = (type ? p.catalogue[type] : undefined) as Schema | undefined;
  const [draft, setDraft] = useState<Draft>(undefined);
  const [to, setTo] = useState<string[]>(() => (props.query.get('to') ?? '').split(',').filter(Boolean));
  const [refs, setRefs] = useState(props.query.get('refs') ?? '');
  const [refusal, setRefusal] = useState<ApiError | undefined>(undefined);
  const [sending, setSending] = useState(false);
  const peers = useMemo(() => p.roster.map((r) => r.party).filter((c) => c !== p.party), [p.roster, p.party]);

  // A type the rules read is addressed to all parties (the catalogue's x-parley-addressed: all).
  const toAll = schema?.['x-parley-addressed'] === 'all';
  const [attempted, setAttempted] = useState(false);
  // Whether there is a draft worth keeping (typed here, or brought back from this browser).
  const [touched, setTouched] = useState(false);
  const draftKey = `parley.draft.${p.party}.${type}`;
  useEffect(() => {
    // A draft kept in this browser comes back with its type; a fresh form otherwise.
    const kept = type ? loadDraft(draftKey) : undefined;
    setDraft(kept?.draft ?? (schema ? emptyDraft(schema, schema) : undefined));
    if (kept) {
      if (!props.query.get('to')) setTo(kept.to);
      if (!props.query.get('refs')) setRefs(kept.refs);
    }
    setRefusal(undefined);
    if (toAll) setTo(['*']);
    setAttempted(false);
    setTouched(kept !== undefined);
  }, [type, schema === undefined]);
  useEffect(() => {
    // Kept at every change (a small write), so leaving the page at once loses nothing.
    if (!type || !touched || draft === undefined) return;
    localStorage.setItem(draftKey, JSON.stringify({ draft, to, refs, saved: new Date().toISOString() }));
  }, [draft, to, refs, draftKey, touched]);
  const edit = (d: Draft) => {
    setTouched(true);
    setDraft(d);
  };

  const body = schema ? bodyOf(schema, schema, draft) : undefined;
  const validators = useValidators();
  const all = schema ? (problemsOf(validators, type, body) ?? []) : [];
  // As the officer types, what is wrong in what was typed; after a first attempt, everything (the empty required fields too).
  const problems = attempted ? all : all.filter((x) => x.keyword !== 'required');
  const refList = refs.split(/[\s,]+/).filter(Boolean);

  // What the regimes would say of it, asked of the node once the form is free of problems.
  const [verdict, setVerdict] = useState<{ key: string; findings: Finding[] } | undefined>(undefined);
  const [accepted, setAccepted] = useState(false);
  const ready = !!schema && validators !== undefined && all.length === 0 && to.length > 0;
  const previewKey = ready ? JSON.stringify({ type, to, refList, body }) : '';
  useEffect(() => {
    if (!ready) return;
    let live = true;
    const t = setTimeout(() => {
      p.api.preview({ type, to, refs: refList, body }).then(
        (r) => live && setVerdict({ key: previewKey, findings: r.findings }),
        () => live && setVerdict(undefined),
      );
    }, 400);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [previewKey]);
  const warnings = verdict && verdict.key === previewKey ? verdict.findings : [];
  useEffect(() => setAccepted(false), [previewKey]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!schema) return;
    setAttempted(true);
    if (warnings.length > 0 && !accepted) {
      setTimeout(() => document.getElementById('accept-findings')?.focus(), 0);
      return;
    }
    if (all.length > 0 || to.length === 0) {
      // Nothing is signed while the form has problems: they are all listed, the first one focused.
      setTimeout(() => document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus(), 0);
      return;
    }
    setSending(true);
    setRefusal(undefined);
    try {
      const created = await p.api.append({ type, to, refs: refList, body });
      localStorage.removeItem(draftKey);
      p.refresh();
      go(entryHref(created.id));
    } catch (err) {
      const refused = err instanceof ApiError ? err : new ApiError(0, 'PARLEY_ERR_INTERNAL', String(err));
      setRefusal(refused);
      // Take the officer to the field the node names (after React has marked it invalid).
      setTimeout(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
    } finally {
      setSending(false);
    }
  };

  const fieldRefusal: Refusal[] = [...problems, ...(refusal?.path ? [{ path: refusal.path, message: `${refusal.code}: ${refusal.message}` }] : [])];
  const description = typeof schema?.description === 'string' ? schema.description : undefined;

  return (
    <section aria-labelledby="compose-h" className="compose">
      <h1 id="compose-h">Compose a notification</h1>
      <form onSubmit={submit} noValidate aria-describedby={refusal ? 'refusal' : undefined}>
        <div className="field">
          <label htmlFor="compose-type">Content type</label>
          <select id="compose-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">— choose a type —</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t} — {typeTitle(p.catalogue, t)}
              </option>
            ))}
          </select>
          {description && <span className="hint">{description}</span>}
        </div>

        <fieldset className="group">
          <legend>To</legend>
          <div className="checks">
            <label>
              <input type="checkbox" checked={to.includes('*')} disabled={toAll} onChange={(e) => setTo(e.target.checked ? ['*'] : [])} /> all parties
            </label>
            {toAll && <span className="hint">Every party judges what this type bears on, so it goes to all.</span>}
            {peers.map((c) => (
              <label key={c}>
                <input
                  type="checkbox"
                  disabled={to.includes('*')}
                  checked={to.includes(c)}
                  onChange={(e) => setTo(e.target.checked ? [...to.filter((x) => x !== '*'), c] : to.filter((x) => x !== c))}
                />{' '}
                {c}
              </label>
            ))}
          </div>
        </fieldset>

        <div className="field">
          <label htmlFor="compose-refs">Refers to (entry ids)</label>
          <input id="compose-refs" type="text" className="mono" value={refs} onChange={(e) => setRefs(e.target.value)} placeholder="none" />
          <span className="hint">The entries this one answers or concerns, separated by spaces.</span>
        </div>

        {schema && draft !== undefined && <BodyFields root={schema} draft={draft} onChange={edit} refusal={fieldRefusal} />}

        {attempted && to.length === 0 && (
          <p className="field-problem" data-testid="field-problem">
            Choose at least one addressee.
          </p>
        )}
        {schema && problems.length > 0 && (
          <div className="problems" role="status" data-testid="problems">
            <strong>
              {problems.length} {problems.length === 1 ? 'problem' : 'problems'} to fix before signing:
            </strong>
            <ul>
              {problems.map((x) => (
                <li key={x.path}>{describeProblem(x)}</li>
              ))}
            </ul>
          </div>
        )}
        {warnings.length > 0 && (
          <div className="regime-warnings" role="alert" data-testid="regime-warnings">
            <strong>If signed now, the regimes would find:</strong>
            <ul>
              {warnings.map((f) => (
                <li key={f.id}>
                  <SeverityBadge severity={f.severity} /> {f.explanation} <span className="cite">{f.citation}</span>
                </li>
              ))}
            </ul>
            <label>
              <input id="accept-findings" type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} /> I have read this and sign anyway
            </label>
          </div>
        )}
        {schema && (
          <details className="preview" data-testid="preview">
            <summary>Preview what will be signed</summary>
            <pre className="mono">{JSON.stringify({ type, to, refs: refList, body }, null, 2)}</pre>
          </details>
        )}

        {refusal && (
          <div id="refusal" role="alert" className="refusal" data-testid="refusal">
            <strong>Refused by the node</strong> <code>{refusal.code}</code>
            {refusal.path && (
              <>
                {' '}
                at <code data-testid="refusal-path">{refusal.path}</code> <span className="muted">({pointerLabel(refusal.path)})</span>
              </>
            )}
            <div>{refusal.message}</div>
            <div className="muted">Nothing was signed or sent.</div>
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={!schema || sending}>
            {sending ? 'Signing…' : 'Sign and send'}
          </button>
          <a href={href('notifications')}>Cancel</a>
          {type && touched && (
            <button
              type="button"
              className="small"
              onClick={() => {
                localStorage.removeItem(draftKey);
                setTouched(false);
                setDraft(schema ? emptyDraft(schema, schema) : undefined);
                setAttempted(false);
              }}
            >
              Discard draft
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
