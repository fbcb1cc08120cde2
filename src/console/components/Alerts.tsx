/**
 * A flash cannot be missed: while flash traffic awaits this party's acknowledgement, or any
 * acknowledgement is overdue (the hotline's escalation alarms), every screen carries a red banner
 * with the absolute deadline (UTC) and a live countdown; each new one also sounds a chime (Web
 * Audio) and raises a desktop notification (permission asked once, at the officer's first click
 * or key after signing in). The chime repeats every minute until the banner is empty.
 */
import { useEffect, useRef } from 'react';
import { alarming, type Attention } from '../app/attention';
import { span, utc } from '../app/format';
import { useHotlineView } from '../app/hotline-view';
import { useClock, usePicture } from '../app/record';
import { go, href } from '../app/route';

const ASKED_KEY = 'parley.notifications.asked';
const REPEAT_MS = 60_000;

export function useAlarming(): Attention[] {
  const p = usePicture();
  const view = useHotlineView();
  const now = useClock();
  // "As of" shows the past: nothing there can be acknowledged now, so nothing alarms.
  if (p.asOf !== undefined) return [];
  return alarming(p.party, now, p.entries, p.obligations, view, p.status?.alerts);
}

export function AlertBanner() {
  const p = usePicture();
  const now = useClock();
  const items = useAlarming();
  useAnnounce(items);
  if (items.length === 0) return null;
  return (
    <div className="alert-banner" role="alert" data-testid="flash-banner">
      <ul>
        {items.map((a) => {
          const { title, peer, text } = describe(a, p.party, (id) => p.byId.get(id)?.author);
          const left = a.due === undefined ? undefined : a.due - now;
          return (
            <li key={a.key} data-testid="alert-item" data-kind={a.kind}>
              <span className="alert-kind">{title}</span> <a href={href('hotline', peer)}>{text}</a>{' '}
              {a.due !== undefined && left !== undefined && (
                <span className="alert-deadline">
                  {a.kind === 'ack' ? 'acknowledge by' : 'was due'} <time dateTime={new Date(a.due).toISOString()}>{utc(new Date(a.due).toISOString())}</time>{' '}
                  <strong className="alert-countdown" data-testid="alert-countdown">
                    {left < 0 ? `OVERDUE by ${span(left)}` : `in ${span(left)}`}
                  </strong>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function describe(a: Attention, self: string, authorOf: (id: string) => string | undefined): { title: string; peer: string; text: string } {
  if (a.kind === 'ack') return { title: a.priority.toUpperCase(), peer: a.from, text: `from ${a.from}: ${a.subject || 'untitled message'}` };
  const author = a.alarm.entry ? authorOf(a.alarm.entry) : undefined;
  // The conversation to open: with the author when this party owes, with the debtor when this party is owed.
  const peer = a.debtor === self ? (author ?? a.debtor) : a.debtor;
  return { title: 'ESCALATION', peer, text: a.alarm.message };
}

/** The chime and the desktop notification for each item not announced before in this tab. */
function useAnnounce(items: Attention[]): void {
  const announced = useRef(new Set<string>());
  const audio = useRef<AudioContext | undefined>(undefined);
  const p = usePicture();

  // Ask for desktop notifications once (the browser wants a user gesture), never again after an answer.
  useEffect(() => {
    if (!('Notification' in window) || Notification.permission !== 'default') return;
    const ask = () => {
      window.removeEventListener('pointerdown', ask);
      window.removeEventListener('keydown', ask);
      if (localStorage.getItem(ASKED_KEY)) return;
      localStorage.setItem(ASKED_KEY, new Date().toISOString());
      void Notification.requestPermission();
    };
    window.addEventListener('pointerdown', ask);
    window.addEventListener('keydown', ask);
    return () => {
      window.removeEventListener('pointerdown', ask);
      window.removeEventListener('keydown', ask);
    };
  }, []);

  const fresh = items.filter((a) => !announced.current.has(a.key));
  const freshKeys = fresh.map((a) => a.key).join(' ');
  useEffect(() => {
    if (fresh.length === 0) return;
    for (const a of fresh) announced.current.add(a.key);
    audio.current = chime(audio.current);
    for (const a of fresh) notify(a, p.party, (id) => p.byId.get(id)?.author);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [freshKeys]);

  const any = items.length > 0;
  useEffect(() => {
    if (!any) return;
    const t = setInterval(() => {
      audio.current = chime(audio.current);
    }, REPEAT_MS);
    return () => clearInterval(t);
  }, [any]);
}

/** Three short tones at 880 Hz. A browser that blocks audio before a click simply stays silent; the banner remains. */
function chime(ctx: AudioContext | undefined): AudioContext | undefined {
  try {
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return ctx;
    const c = ctx ?? new Ctor();
    void c.resume?.().catch(() => {});
    const t0 = c.currentTime + 0.02;
    for (let i = 0; i < 3; i++) {
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.type = 'square';
      osc.frequency.value = 880;
      gain.gain.value = 0.08;
      osc.connect(gain).connect(c.destination);
      osc.start(t0 + i * 0.28);
      osc.stop(t0 + i * 0.28 + 0.16);
    }
    return c;
  } catch {
    return ctx;
  }
}

function notify(a: Attention, self: string, authorOf: (id: string) => string | undefined): void {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const { title, peer, text } = describe(a, self, authorOf);
  const due = a.due === undefined ? '' : ` — ${a.kind === 'ack' ? 'acknowledge by' : 'was due'} ${utc(new Date(a.due).toISOString())}`;
  try {
    const n = new Notification(`Parley ${self}: ${title}`, { body: `${text}${due}`, tag: a.key, requireInteraction: true });
    n.onclick = () => {
      window.focus();
      go(href('hotline', peer));
      n.close();
    };
  } catch {
    // Some platforms allow notifications only from a service worker: the banner and the chime remain.
  }
}
