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
import { BodyFields, type Refusal } from '../forms/SchemaForm';
import { bodyOf, emptyDraft, pointerLabel, type Draft, type Schema } from '../forms/schema';

/** Types the node writes itself or that have their own screen. */

export function Notifications(props: { route: Route }) {
  if (props.route.rest[0] === 'compose') return <Compose query={props.route.query} />;
  return <NotificationList direction={props.route.query.get('dir') ?? 'all'} type={props.route.query.get('type') ?? ''} />;
}

function NotificationList(props: { direction: string; type: string }) {
  const p = usePicture();
  const treaty = p.entries.filter((e) => isTreatyTraffic(p.catalogue, e));
  const types = [...new Set(treaty.map((e) => e.type!))].sort();
  const shown = treaty
    .filter((e) => (props.direction === 'in' ? e.author !== p.party : props.direction === 'out' ? e.author === p.party : true))
    .filter((e) => !props.type || e.type === props.type)
    .sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || b.seq - a.seq);
  const setQuery = (dir: string, type: string) => go(`${href('notifications')}?dir=${dir}${type ? `&type=${encodeURIComponent(type)}` : ''}`);

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
      <div className="filters" role="group" aria-label="Filter notifications">
        <div className="segmented" role="group" aria-label="Direction">
          {[
            ['all', 'All'],
            ['in', 'Incoming'],
            ['out', 'Outgoing'],
          ].map(([d, label]) => (
            <button key={d} type="button" aria-pressed={props.direction === d} onClick={() => setQuery(d!, props.type)}>
              {label}
            </button>
          ))}
        </div>
        <label>
          Type
          <select value={props.type} onChange={(e) => setQuery(props.direction, e.target.value)}>
            <option value="">all</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{shown.length} entries</span>
      </div>
      <table className="dense" data-testid="notifications">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Type</th>
            <th scope="col">Subject</th>
            <th scope="col" className="num">Seq</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
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
    </section>
  );
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

  useEffect(() => {
    setDraft(schema ? emptyDraft(schema, schema) : undefined);
    setRefusal(undefined);
  }, [type, schema === undefined]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!schema) return;
    setSending(true);
    setRefusal(undefined);
    try {
      const body = bodyOf(schema, schema, draft);
      const created = await p.api.append({ type, to, refs: refs.split(/[\s,]+/).filter(Boolean), body });
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

  const fieldRefusal: Refusal | undefined = refusal?.path ? { path: refusal.path, message: `${refusal.code}: ${refusal.message}` } : undefined;
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
              <input type="checkbox" checked={to.includes('*')} onChange={(e) => setTo(e.target.checked ? ['*'] : [])} /> all parties
            </label>
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

        {schema && draft !== undefined && <BodyFields root={schema} draft={draft} onChange={setDraft} refusal={fieldRefusal} />}

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
        </div>
      </form>
    </section>
  );
}
