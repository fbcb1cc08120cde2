/**
 * One entry: who said it, to whom, when, at which place of the author's log; what it says; who
 * holds it (receipts), who read it (acknowledgements), what cites it, and its proof bundle.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../app/api';
import { acksFor, citing, ReceiptIndex } from '../app/domain';
import { downloadProof } from '../app/download';
import { addressees, partyLabel, summary, typeTitle, utc } from '../app/format';
import { usePicture } from '../app/record';
import { entryHref, href } from '../app/route';
import type { EntryView } from '../../wire/types';
import { humanize, properties, type Schema } from '../forms/schema';
import { SeverityBadge } from './Findings';

export function EntryPage(props: { id: string }) {
  const p = usePicture();
  const held = p.byId.get(props.id);
  const [fetched, setFetched] = useState<EntryView | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  useEffect(() => {
    setFetched(undefined);
    setError(undefined);
    if (held) return;
    p.api.entry(props.id).then(setFetched, (e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, 'PARLEY_ERR_INTERNAL', String(e))));
  }, [props.id, held === undefined]);
  const entry = held ?? fetched;

  if (error)
    return (
      <div>
        <h1>EntryView</h1>
        <p role="alert" className="refusal">
          <code>{error.code}</code> {error.message}
        </p>
      </div>
    );
  if (!entry) return <p>Reading the entry…</p>;

  return (
    <article className="entry-page" aria-labelledby="entry-h" data-testid="entry">
      <h1 id="entry-h">
        {typeTitle(p.catalogue, entry.type)} <span className="muted">{entry.author}#{entry.seq}</span>
      </h1>
      <p className="lead">{summary(entry)}</p>
      <dl className="kv">
        <dt>From</dt>
        <dd>{partyLabel(p.roster, entry.author)}</dd>
        <dt>To</dt>
        <dd>{addressees(entry.to)}</dd>
        <dt>Time (UTC)</dt>
        <dd className="time">{utc(entry.time)}</dd>
        <dt>Type</dt>
        <dd className="mono">{entry.type ?? '—'}</dd>
        <dt>EntryView id</dt>
        <dd className="mono" data-testid="entry-id">
          {entry.id}
        </dd>
        {entry.refs && entry.refs.length > 0 && (
          <>
            <dt>Refers to</dt>
            <dd>
              <ul className="inline">
                {entry.refs.map((r) => {
                  const e = p.byId.get(r);
                  return (
                    <li key={r}>
                      <a href={entryHref(r)}>{e ? `${e.author}#${e.seq} ${typeTitle(p.catalogue, e.type)}` : r.slice(0, 16)}</a>
                    </li>
                  );
                })}
              </ul>
            </dd>
          </>
        )}
      </dl>
      <ProofButton entry={entry} />
      {entry.body ? <Body body={entry.body} type={entry.type} /> : <p className="muted">This node holds only the signed stub of this entry: this party is not among its addressees.</p>}
      <Related entry={entry} />
    </article>
  );
}

export function ProofButton(props: { entry: EntryView }) {
  const p = usePicture();
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  return (
    <div className="actions">
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            await downloadProof(p.api, props.entry.id, props.entry);
          } catch (e) {
            setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        Download proof bundle
      </button>
      {error && (
        <span role="alert" className="refusal">
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * The body as a readable list, in the order of the type's schema, each field named as the form
 * names it (the JSON key beside it); nested values (GeoJSON areas, lists) as compact JSON.
 */
export function Body(props: { body: Record<string, unknown>; type?: string }) {
  const p = usePicture();
  const schema = props.type ? (p.catalogue[props.type] as Schema | undefined) : undefined;
  const order = schema ? properties(schema, schema).map(([k]) => k) : [];
  const keys = [...order.filter((k) => k in props.body), ...Object.keys(props.body).filter((k) => !order.includes(k))];
  return (
    <section aria-label="Content">
      <h2>Content</h2>
      <dl className="kv body" data-testid="entry-body">
        {keys.map((k) => {
          const v = props.body[k];
          return (
            <div key={k} className="kv-row">
              <dt title={k}>{humanize(k)}</dt>
              <dd>{v !== null && typeof v === 'object' ? <pre className="compact">{JSON.stringify(v)}</pre> : typeof v === 'number' ? v.toLocaleString('en') : String(v)}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

function Related(props: { entry: EntryView }) {
  const p = usePicture();
  const e = props.entry;
  const receipts = [...new ReceiptIndex(p.entries).covering(e).values()];
  const acks = [...acksFor(e, p.entries).values()];
  const cites = citing(e, p.entries).filter((c) => c.type !== 'hotline.ack');
  const obligations = (p.obligations ?? []).filter((o) => o.evidence.includes(e.id) || o.metBy === e.id);
  const findings = (p.findings ?? []).filter((f) => f.evidence.includes(e.id));
  return (
    <section aria-label="Related">
      <h2>Receipts and replies</h2>
      <dl className="kv">
        <dt>Machine receipts</dt>
        <dd data-testid="receipts">
          {receipts.length === 0
            ? e.author === p.party
              ? 'none yet'
              : 'this node holds it'
            : receipts.map((r) => (
                <span key={r.id} className="chip">
                  <a href={entryHref(r.id)}>{r.author}</a> {utc(r.time)}
                </span>
              ))}
        </dd>
        <dt>Acknowledged by a person</dt>
        <dd data-testid="acks">
          {acks.length === 0
            ? '—'
            : acks.map((a) => (
                <span key={a.id} className="chip">
                  <a href={entryHref(a.id)}>{a.author}</a> {utc(a.time)}
                </span>
              ))}
        </dd>
        <dt>Cited by</dt>
        <dd>
          {cites.length === 0 ? (
            '—'
          ) : (
            <ul className="plain">
              {cites.map((c) => (
                <li key={c.id}>
                  <a href={entryHref(c.id)}>
                    {c.author}#{c.seq} {typeTitle(p.catalogue, c.type)}
                  </a>{' '}
                  <span className="muted">{utc(c.time)}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Obligations</dt>
        <dd>
          {obligations.length === 0 ? (
            '—'
          ) : (
            <ul className="plain">
              {obligations.map((o) => (
                <li key={o.id}>
                  {o.debtor}: {o.what} — due {utc(o.due)} <span className={`ostatus ${o.status}`}>{o.status}</span> <span className="cite">{o.citation}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Findings</dt>
        <dd>
          {findings.length === 0 ? (
            '—'
          ) : (
            <ul className="plain">
              {findings.map((f) => (
                <li key={f.id}>
                  <SeverityBadge severity={f.severity} /> <a href={href('findings', f.id)}>{f.explanation}</a>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {p.canSend && e.type !== 'receipt' && e.author !== p.party && e.type && !e.type.startsWith('hotline.') && (
        <p>
          <a className="button" href={`${href('notifications', 'compose')}?refs=${e.id}&to=${e.author}${replyType(e.type, p.catalogue) ? `&type=${replyType(e.type, p.catalogue)}` : ''}`}>
            Reply{replyType(e.type, p.catalogue) ? ` (${replyType(e.type, p.catalogue)})` : ''}…
          </a>
        </p>
      )}
    </section>
  );
}

/** The catalogue's answer to a request type, by the treaty's naming: `vd.inspection.request` → `vd.inspection.reply`. */
function replyType(type: string, catalogue: Record<string, unknown>): string | undefined {
  const reply = type.replace(/\.request$/, '.reply');
  return reply !== type && reply in catalogue ? reply : undefined;
}
