/**
 * What `parley hotline watch` draws: a pure function from the node's hotline picture
 * (`GET /api/v1/hotline`) and the time to the lines of one screen, cut to the terminal's size.
 * Colour only when asked (a terminal); no cursor control here — the command redraws in place.
 *
 * @example
 *   const lines = renderWatch(view, { now: Date.now(), width: 100, height: 30, color: true, url, live: true });
 */
import type { AddresseeView, HotlineView, MessageView, PeerHealth } from './runtime.js';

export interface WatchFrame {
  now: number;
  width: number;
  height: number;
  color: boolean;
  url: string;
  /** The event stream's state: live, or why it is reconnecting. */
  live: true | string;
  dir?: string;
}

const ESC = '\x1b[';
type Paint = (s: string) => string;
const paints = (on: boolean) => {
  const p = (code: string): Paint => (s) => (on ? `${ESC}${code}m${s}${ESC}0m` : s);
  return { bold: p('1'), dim: p('2'), red: p('31'), green: p('32'), yellow: p('33'), inverse: p('7'), redBold: p('1;31') };
};

/** `4:58`, `1:02:03`, `2 d 3 h`: a countdown a watch officer reads at a glance. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s >= 86_400) return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const hhmmss = (iso: string): string => `${iso.slice(11, 19)}Z`;

/** Visible length: without colour codes. */
const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;

/** Cuts a line (which may hold colour codes) to `width` visible characters. */
export function fit(line: string, width: number): string {
  if (visible(line) <= width) return line;
  let out = '';
  let n = 0;
  for (let i = 0; i < line.length && n < width - 1; ) {
    const m = /^\x1b\[[0-9;]*m/.exec(line.slice(i));
    if (m) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    out += line[i++];
    n++;
  }
  return `${out}…${line.includes('\x1b[') ? `${ESC}0m` : ''}`;
}

function healthLine(p: PeerHealth, c: ReturnType<typeof paints>): string {
  const word = p.health.toUpperCase().padEnd(8);
  const painted = p.health === 'up' ? c.green(word) : p.health === 'degraded' ? c.yellow(word) : p.health === 'down' ? c.redBold(word) : c.dim(word);
  const rtt = p.rttMs === null ? 'rtt —' : `rtt ${p.rttMs} ms`;
  const test = p.lastLinkTest ? `last link test ${hhmmss(p.lastLinkTest)}` : 'no link test yet';
  const waiting = p.awaitingReceipt ? `  ${p.awaitingReceipt} awaiting receipt` : '';
  const why = p.reasons.length ? `  (${p.reasons.join('; ')})` : '';
  return `  ${p.party.padEnd(6)} ${painted} ${rtt.padEnd(12)} ${test}${waiting}${why}`;
}

function ackState(a: AddresseeView, now: number, c: ReturnType<typeof paints>, self: boolean): string {
  const due = a.due ? Date.parse(a.due) : undefined;
  switch (a.status) {
    case 'met':
      return c.green(`${self ? 'acknowledged' : `${a.party} acked`} ${a.ack ? hhmmss(a.ack.time) : ''}`.trim());
    case 'met-late':
      return c.yellow(`${self ? 'acknowledged' : `${a.party} acked`} LATE ${a.ack ? hhmmss(a.ack.time) : ''}`.trim());
    case 'missed':
      return c.redBold(`${self ? 'ACK' : `${a.party} ACK`} OVERDUE ${clock(now - (due ?? now))}`);
    case 'open':
      return c.yellow(`${self ? 'ACK' : `${a.party} ack`} due in ${clock((due ?? now) - now)}`);
    default:
      return c.dim(self ? 'no ack owed' : `${a.party}: no ack owed`);
  }
}

function messageLine(m: MessageView, self: string, now: number, c: ReturnType<typeof paints>): string {
  const prio = m.priority === 'flash' ? c.redBold('FLASH    ') : m.priority === 'immediate' ? c.yellow('IMMEDIATE') : 'routine  ';
  const dir = m.direction === 'in' ? c.bold(`IN  from ${m.author.padEnd(5)}`) : `OUT to   ${(m.to.includes('*') ? '*' : m.to.filter((t) => t !== self).join(',')).padEnd(5)}`;
  let state: string;
  if (m.direction === 'in') {
    const mine = m.addressees.find((a) => a.party === self);
    state = mine ? ackState(mine, now, c, true) : c.dim('copy');
  } else {
    state = m.addressees
      .map((a) => (a.received === false ? c.red(`${a.party} not received`) : a.status === null ? c.green(`${a.party} received`) : ackState(a, now, c, false)))
      .join(', ');
  }
  return `  ${prio} ${dir} ${hhmmss(m.time)}  ${m.id.slice(0, 8)}  ${state}  ${c.bold(m.subject)}`;
}

/** The screen: header, links, alarms, messages (newest first), key help. At most `height` lines, each at most `width` wide. */
export function renderWatch(view: HotlineView, f: WatchFrame): string[] {
  const c = paints(f.color);
  const head = [
    `${c.inverse(' PARLEY HOTLINE ')} ${c.bold(view.party)}  ${f.url}  ${new Date(f.now).toISOString().slice(0, 19)}Z  ${f.live === true ? c.green('● live') : c.yellow(`○ ${f.live}`)}`,
    '',
    c.bold('Links'),
    ...(view.peers.length ? view.peers.map((p) => healthLine(p, c)) : [c.dim('  no peers in the roster')]),
    '',
  ];
  const alarms = view.alarms.length
    ? [c.bold(c.red(`Alarms (${view.alarms.length})`)), ...view.alarms.slice(0, 5).map((a) => `  ${c.redBold('!')} ${a.kind.replace('hotline.', '')} ${a.party}: ${a.message}`), ...(view.alarms.length > 5 ? [c.dim(`  … ${view.alarms.length - 5} more (parley status)`)] : []), '']
    : [];
  const foot = ['', c.dim(`q quit  ·  acknowledge: parley hotline ack${f.dir ? ` --dir ${f.dir}` : ''} --id <id>`)];
  const room = Math.max(1, f.height - head.length - alarms.length - foot.length - 1);
  const shown = view.messages.slice(0, room);
  const messages = [
    c.bold(`Messages (${view.messages.length}${view.messages.length > shown.length ? `, newest ${shown.length} shown` : ''})`),
    ...(shown.length ? shown.map((m) => messageLine(m, view.party, f.now, c)) : [c.dim('  none yet')]),
  ];
  return [...head, ...alarms, ...messages, ...foot].slice(0, f.height).map((l) => fit(l, f.width));
}
