/**
 * The hotline: one conversation per peer. For every message two separate facts — the machine
 * receipt (the peer's node holds it) and the human acknowledgement (a duty officer read it) — and
 * for an incoming message not yet acknowledged, one button that acknowledges it.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { ackDue, awaitingAck, escalations } from '../app/attention';
import { useHotlineView } from '../app/hotline-view';
import { ApiError } from '../app/api';
import { acksFor, isAddressedTo, priorityOf, PRIORITIES, ReceiptIndex } from '../app/domain';
import { partyLabel, span, utc } from '../app/format';
import { useClock, usePicture } from '../app/record';
import { entryHref, href, type Route } from '../app/route';
import { FilterSelect } from '../components/FilterSelect';
import { ListFilters, Pager, useList, type ListColumn } from '../components/ListControls';
import type { EntryView, HotlineView, Priority } from '../../wire/types';

export function Hotline(props: { peer: string | undefined; route: Route }) {
  const p = usePicture();
  const messages = p.entries.filter((e) => e.type === 'hotline.message');
  const peers = p.roster.map((r) => r.party).filter((c) => c !== p.party);
  // Without a peer in the address, the conversation that needs an answer: the most urgent
  // message awaiting this party's acknowledgement, else an overdue escalation, else the first peer.
  const view = useHotlineView();
  const needs = awaitingAck(p.party, p.entries, p.obligations, view)[0]?.from ?? escalations(p.status?.alerts).map((e) => (e.debtor === p.party ? (e.alarm.entry ? p.byId.get(e.alarm.entry)?.author : undefined) : e.debtor)).find((x) => x && peers.includes(x));
  const peer = props.peer && peers.includes(props.peer) ? props.peer : (needs ?? peers[0]);
  // The conversation chosen stays open once answered: it goes into the address.
  useEffect(() => {
    if (!props.peer && needs) window.location.replace(href('hotline', needs));
  }, [props.peer, needs]);
  const withPeer = (code: string) => messages.filter((m) => (m.author === p.party && (m.to ?? []).some((t) => t === code || t === '*')) || (m.author === code && isAddressedTo(m, p.party)));
  const unacked = (code: string) => withPeer(code).filter((m) => m.author === code && acksFor(m, p.entries).get(p.party) === undefined).length;

  return (
    <div className="hotline">
      <nav aria-label="Conversations" className="conversations">
        <h1>Hotline</h1>
        <OfficerField />
        <ul>
          {peers.map((c) => {
            const n = unacked(c);
            return (
              <li key={c}>
                <a href={href('hotline', c)} aria-current={c === peer ? 'page' : undefined}>
                  {partyLabel(p.roster, c)}{' '}
                  {n > 0 && (
                    <span className="count" title={`${n} awaiting your acknowledgement`}>
                      {n}
                    </span>
                  )}
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      {peer ? <Conversation key={peer} peer={peer} messages={withPeer(peer)} route={props.route} /> : <p className="muted">No peers in the roster.</p>}
    </div>
  );
}

const OFFICER_KEY = 'parley.officer';

/** Who acknowledges: a name, call sign or watch position, kept for this tab and sent with each acknowledgement. */
function OfficerField() {
  const [officer, setOfficer] = useState(() => sessionStorage.getItem(OFFICER_KEY) ?? '');
  return (
    <div className="field officer">
      <label htmlFor="hl-officer">Duty officer</label>
      <input
        id="hl-officer"
        type="text"
        maxLength={200}
        placeholder="name or watch position"
        value={officer}
        onChange={(e) => {
          setOfficer(e.target.value);
          sessionStorage.setItem(OFFICER_KEY, e.target.value);
        }}
      />
    </div>
  );
}

function translationOf(v: unknown): { language: string; text: string } | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const t = v as { language?: unknown; text?: unknown };
  return typeof t.language === 'string' && typeof t.text === 'string' ? { language: t.language, text: t.text } : undefined;
}

const MESSAGE_COLUMNS: ListColumn<EntryView>[] = [
  { key: 'time', label: 'Time', sort: (m) => Date.parse(m.time) },
  // Higher is more urgent: flash, then immediate, then routine.
  { key: 'priority', label: 'Priority', sort: (m) => PRIORITIES.length - PRIORITIES.indexOf(priorityOf(m)) },
];

function Conversation(props: { peer: string; messages: EntryView[]; route: Route }) {
  const p = usePicture();
  // Oldest first, as a conversation reads; words, a window and the order kept in the address.
  const list = useList({
    base: href('hotline', props.peer),
    route: props.route,
    rows: props.messages,
    columns: MESSAGE_COLUMNS,
    text: (m) => [m.author, priorityOf(m), typeof m.body?.subject === 'string' ? m.body.subject : '', typeof m.body?.text === 'string' ? m.body.text : '', translationOf(m.body?.translation)?.text ?? ''].join(' '),
    time: (m) => Date.parse(m.time),
    id: (m) => `${m.author} ${String(m.seq).padStart(12, '0')}`,
    defaultSort: 'time',
    defaultOrder: 'asc',
    pageSize: 200,
  });
  const sorted = list.visible;
  const receipts = useMemo(() => new ReceiptIndex(p.entries), [p.entries]);
  // The node's hotline runtime knows the network's agreement (acknowledgement windows) and each deadline.
  const view = useHotlineView();
  return (
    <section className="conversation" aria-labelledby="conv-h">
      <h2 id="conv-h">With {partyLabel(p.roster, props.peer)}</h2>
      {props.messages.length > 0 && (
        <ListFilters list={list} label="Filter messages" testid="messages-count">
          <FilterSelect label="Order" value={list.sort === 'priority' ? `priority-${list.desc ? 'desc' : 'asc'}` : list.desc ? 'time-desc' : ''} anyLabel="oldest first" options={[['time-desc', 'newest first'], ['priority-desc', 'most urgent first']]} onChange={(v) => list.set(v ? { sort: v.split('-')[0]!, order: v.split('-')[1]! } : { sort: '', order: '' })} />
        </ListFilters>
      )}
      {sorted.length === 0 ? (
        <p className="muted">{props.messages.length ? 'No message with these words or in this window.' : `No messages with ${props.peer} yet.`}</p>
      ) : (
        <ol className="messages" data-testid="messages">
          {sorted.map((m) => (
            <Message key={m.id} m={m} peer={props.peer} receipts={receipts} view={view} />
          ))}
        </ol>
      )}
      <Pager list={list} label="messages" />
      {p.canSend ? <ComposeMessage peer={props.peer} /> : <p className="muted">This {p.role ?? ''} token reads the hotline; an officer's token sends and acknowledges.</p>}
    </section>
  );
}

function Message(props: { m: EntryView; peer: string; receipts: ReceiptIndex; view: HotlineView | undefined }) {
  const p = usePicture();
  const now = useClock();
  const { m } = props;
  const outgoing = m.author === p.party;
  const priority = priorityOf(m);
  const receipt = props.receipts.covering(m).get(props.peer);
  // From the reader's side: the acknowledgement that counts is the addressee's.
  const ack = acksFor(m, p.entries).get(outgoing ? props.peer : p.party);
  // A message to "*" is a circular: it owes no acknowledgement (HL §3).
  const circular = (m.to ?? []).includes('*');
  const owes = outgoing ? props.peer : p.party;
  // The deadline, as the node computes it: the regime's obligation, else the hotline runtime's,
  // else the window of the agreement in force; unknown until the node has answered.
  const obligation = (p.obligations ?? []).find((o) => o.evidence.includes(m.id) && o.debtor === owes);
  const tracked = props.view?.messages.find((x) => x.id === m.id)?.addressees.find((a) => a.party === owes);
  const due = ackDue(m, owes, p.obligations, props.view);
  const status = obligation?.status ?? tracked?.status ?? undefined;
  const lateBy = ack && due !== undefined && Date.parse(ack.time) > due ? Date.parse(ack.time) - due : undefined;
  const left = due === undefined ? undefined : due - now;
  const late = !ack && !circular && (status === 'missed' || (left !== undefined && left < 0));
  const b = m.body ?? {};
  return (
    <li className={`message ${outgoing ? 'out' : 'in'} ${priority}${late ? ' late' : ''}`} data-testid="message" data-id={m.id} data-priority={priority}>
      <div className="message-head">
        <span className={`prio ${priority}`}>{priority}</span> <strong>{String(b.subject ?? '')}</strong>{' '}
        <span className="muted">
          {outgoing ? `to ${props.peer}` : `from ${m.author}`} · {utc(m.time)} · {String(b.language ?? '')} · <a href={entryHref(m.id)}>{m.author}#{m.seq}</a>
        </span>
      </div>
      <p className="message-text">{String(b.text ?? '')}</p>
      {translationOf(b.translation) && (
        <p className="message-text translation" lang={translationOf(b.translation)!.language}>
          Courtesy translation ({translationOf(b.translation)!.language}): {translationOf(b.translation)!.text}
        </p>
      )}
      <dl className="states">
        <div>
          <dt>Machine receipt</dt>
          <dd data-testid="receipt-state" data-state={outgoing ? (receipt ? 'received' : 'pending') : 'held'}>
            {outgoing ? receipt ? <>received by {props.peer}'s node {utc(receipt.time)}</> : <span className="waiting">awaiting {props.peer}'s node</span> : <>held by this node</>}
          </dd>
        </div>
        <div>
          <dt>Acknowledgement</dt>
          <dd data-testid="ack-state" data-state={ack ? 'acknowledged' : circular ? 'not-owed' : late ? 'overdue' : 'pending'} data-late={lateBy !== undefined || undefined}>
            {ack ? (
              <>
                {lateBy !== undefined && <span className="late-mark">LATE</span>} acknowledged by {ack.author}
                {typeof ack.body?.officer === 'string' ? ` (${ack.body.officer})` : ''} {utc(ack.time)}
                {lateBy !== undefined && <span className="overdue-text"> — {span(lateBy)} after the deadline {utc(new Date(due!).toISOString())}</span>}
              </>
            ) : circular ? (
              <span className="muted">circular: none owed</span>
            ) : late ? (
              <span className="overdue-text">OVERDUE{left !== undefined && ` by ${span(left)}`}</span>
            ) : left === undefined ? (
              <span className="muted">deadline not known yet</span>
            ) : (
              <span>
                due in {span(left)} <span className="muted">(by {utc(new Date(due!).toISOString())})</span>
              </span>
            )}
          </dd>
        </div>
      </dl>
      {!outgoing && !ack && !circular && p.canSend && <AckButton m={m} />}
    </li>
  );
}

function AckButton(props: { m: EntryView }) {
  const p = usePicture();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  return (
    <div className="actions">
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            // To the author and the message's other addressees, so every party holding it sees the obligation met.
            const to = [props.m.author, ...(props.m.to ?? []).filter((x) => x !== p.party && x !== '*' && x !== props.m.author)];
            const officer = sessionStorage.getItem(OFFICER_KEY)?.trim();
            await p.api.append({ type: 'hotline.ack', to, refs: [props.m.id], body: officer ? { officer } : {} });
            p.refresh();
          } catch (e) {
            setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Acknowledging…' : 'Acknowledge'}
      </button>
      {error && (
        <span role="alert" className="refusal">
          {error}
        </span>
      )}
    </div>
  );
}

function ComposeMessage(props: { peer: string }) {
  const p = usePicture();
  const [priority, setPriority] = useState<Priority>('immediate');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [language, setLanguage] = useState('en');
  const [trLanguage, setTrLanguage] = useState('');
  const [trText, setTrText] = useState('');
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [sending, setSending] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSending(true);
    setError(undefined);
    try {
      const translation = trText.trim() || trLanguage.trim() ? { translation: { language: trLanguage.trim(), text: trText } } : {};
      await p.api.append({ type: 'hotline.message', to: [props.peer], refs: [], body: { priority, subject, text, language, ...translation } });
      setSubject('');
      setText('');
      setTrText('');
      p.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'PARLEY_ERR_INTERNAL', String(err)));
    } finally {
      setSending(false);
    }
  };
  return (
    <form className="compose-message" onSubmit={submit} noValidate aria-label={`New message to ${props.peer}`}>
      <h3>New message to {props.peer}</h3>
      <div className="row">
        <div className="field">
          <label htmlFor="hl-priority">Priority</label>
          <select id="hl-priority" value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
            {PRIORITIES.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="hl-subject">Subject</label>
          <input id="hl-subject" type="text" value={subject} onChange={(e) => setSubject(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="hl-language">Language</label>
          <input id="hl-language" type="text" size={5} value={language} onChange={(e) => setLanguage(e.target.value)} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="hl-text">Text</label>
        <textarea id="hl-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <details className="translation-fields">
        <summary>Courtesy translation</summary>
        <div className="row">
          <div className="field">
            <label htmlFor="hl-tr-language">Translation language</label>
            <input id="hl-tr-language" type="text" size={5} value={trLanguage} onChange={(e) => setTrLanguage(e.target.value)} />
          </div>
          <div className="field grow">
            <label htmlFor="hl-tr-text">Translation</label>
            <textarea id="hl-tr-text" rows={2} value={trText} onChange={(e) => setTrText(e.target.value)} />
          </div>
        </div>
      </details>
      {error && (
        <p role="alert" className="refusal">
          <code>{error.code}</code> {error.message}
          {error.path && (
            <>
              {' '}
              at <code>{error.path}</code>
            </>
          )}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={sending}>
          {sending ? 'Sending…' : `Send ${priority}`}
        </button>
      </div>
    </form>
  );
}
