/**
 * `parley hotline send|ack|watch`: the hotline through the running node's operator API (with the
 * officer token from the folder's tokens.json) — never by opening the ledger behind the node's
 * back, and never "sent" while no node runs to deliver it.
 */
import type { Command } from 'commander';
import { ParleyError } from '../../protocol/errors.js';
import { isPartyCode } from '../../protocol/entry.js';
import { PRIORITIES, type Priority } from '../../regimes/hotline/rules.js';
import { debtorsOf } from '../../regimes/hotline/evaluators.js';
import { runningNode, type OperatorClient } from '../../server/operator-client.js';
import { loadNode } from '../../node/folder.js';
import type { LedgerEntry } from '../../ledger/ledger.js';
import type { HotlineView, MessageView } from '../../regimes/hotline/live/runtime.js';
import { followEvents, type StreamEvent } from '../../regimes/hotline/live/event-stream.js';
import { renderWatch } from '../../regimes/hotline/live/watch-view.js';
import { action, EXIT, type ExitCode } from '../boundary.js';
import { listArgument, print, readInput, withCommon, type DirOption } from '../io.js';

interface SendOptions extends DirOption {
  to: string;
  priority: string;
  subject: string;
  text: string;
  language: string;
  translationLanguage?: string;
  translationText?: string;
}

interface AckOptions extends DirOption {
  id: string;
  officer?: string;
  note?: string;
}

interface WatchOptions extends DirOption {
  once?: boolean;
}

interface Sent {
  id: string;
  seq: number;
  author: string;
  time: string;
}

export function registerHotline(program: Command): void {
  const hotline = program.command('hotline').description('the hotline: messages with acknowledgement deadlines (flash 5 min, immediate 30 min, routine 24 h by default), through the running node');

  withCommon(
    hotline
      .command('send')
      .description('send a hotline message; every addressee owes a human acknowledgement by the deadline of its priority')
      .requiredOption('--to <parties>', "addressees: CODE[,CODE…], or '*' for every party in the roster (expanded, so that each owes an acknowledgement)")
      .requiredOption('--priority <priority>', `${PRIORITIES.join(' | ')}`)
      .requiredOption('--subject <text>', 'one line')
      .requiredOption('--text <text>', "the message; @file reads a file, '@-' stdin")
      .option('--language <tag>', 'BCP 47 tag of the text', 'en')
      .option('--translation-language <tag>', 'language of a courtesy translation')
      .option('--translation-text <text>', "the courtesy translation; @file or '@-'"),
  ).action(action(async (opts: SendOptions) => send(opts)));

  withCommon(
    hotline
      .command('ack')
      .description('acknowledge a hotline message addressed to this party: a duty officer has read it (distinct from the machine receipt)')
      .requiredOption('--id <id>', 'the message id, or a unique prefix of at least 6 characters (as watch shows)')
      .option('--officer <name>', 'who read it: a name, call sign or watch position')
      .option('--note <text>', 'a word with the acknowledgement'),
  ).action(action(async (opts: AckOptions) => ack(opts)));

  withCommon(
    hotline
      .command('watch')
      .description('live view of hotline messages, their acknowledgement state, link health and alarms, from the node\'s event stream; q or Ctrl-C quits. --json prints the picture as a JSON line at each change')
      .option('--once', 'print the picture once and exit'),
  ).action(action(async (opts: WatchOptions) => watch(opts)));
}

function officer(dir: string): OperatorClient {
  const client = runningNode(dir, 'officer');
  if (!client) throw new ParleyError('PARLEY_ERR_NODE_DIR', `no node runs on ${dir}: the hotline goes through the running node, which delivers at once — start it with 'parley start --dir ${dir}'; nothing was sent`);
  return client;
}

function textArgument(arg: string, what: string): string {
  return arg.startsWith('@') ? readInput(arg.slice(1), what).toString('utf8').replace(/\n$/, '') : arg;
}

async function send(opts: SendOptions): Promise<void> {
  if (!(PRIORITIES as readonly string[]).includes(opts.priority)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--priority must be one of ${PRIORITIES.join(', ')}, not ${JSON.stringify(opts.priority)}`);
  const priority = opts.priority as Priority;
  const client = officer(opts.dir);
  const self = client.run.party;
  let to: string[];
  if (opts.to.trim() === '*') {
    const roster = await client.get<{ party: string }[]>('/api/v1/roster');
    to = roster.map((p) => p.party).filter((p) => p !== self);
    if (to.length === 0) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--to '*': the roster of ${self} has no other party; nothing was sent`);
  } else {
    to = listArgument(opts.to, '--to');
    const bad = to.find((p) => !isPartyCode(p));
    if (bad) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--to: ${JSON.stringify(bad)} is not a party code`);
  }
  if ((opts.translationLanguage === undefined) !== (opts.translationText === undefined)) {
    throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--translation-language and --translation-text go together');
  }
  const body: Record<string, unknown> = { priority, subject: opts.subject, text: textArgument(opts.text, '--text'), language: opts.language };
  if (opts.translationLanguage !== undefined) body.translation = { language: opts.translationLanguage, text: textArgument(opts.translationText!, '--translation-text') };
  const sent = await client.post<Sent>('/api/v1/entries', { type: 'hotline.message', to, refs: [], body });
  const view = await client.get<HotlineView>('/api/v1/hotline');
  // Each addressee's deadline follows the agreement binding it and this party: the first of them.
  const dues = (view.messages.find((m) => m.id === sent.id)?.addressees ?? []).flatMap((a) => (a.due ? [a.due] : [])).sort();
  const due = dues[0] ?? new Date(Date.parse(sent.time) + view.agreement.ackSeconds[priority] * 1000).toISOString();
  print(opts.json, { id: sent.id, seq: sent.seq, time: sent.time, priority, to, due }, () =>
    [`sent ${priority} ${sent.author}#${sent.seq} to ${to.join(', ')} at ${sent.time}`, `acknowledgement due by ${due}`, sent.id].join('\n'),
  );
}

async function ack(opts: AckOptions): Promise<void> {
  const client = officer(opts.dir);
  const self = client.run.party;
  const id = opts.id.trim().toLowerCase();
  if (!/^[0-9a-f]{6,64}$/.test(id)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--id must be an entry id (64 hex characters) or a prefix of at least 6');
  const view = await client.get<HotlineView>('/api/v1/hotline');
  let message: { id: string; author: string; to: string[]; type?: string; seq: number; time: string } | undefined;
  let known: MessageView | undefined;
  if (id.length === 64) {
    const e = await client.get<LedgerEntry>(`/api/v1/entries/${id}`);
    message = { id: e.id, author: e.author, to: e.to ?? [], type: e.type, seq: e.seq, time: e.time };
    known = view.messages.find((m) => m.id === id);
  } else {
    const matches = view.messages.filter((m) => m.id.startsWith(id));
    if (matches.length > 1) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--id ${id} matches ${matches.length} messages; give more characters`);
    if (matches.length === 0) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `no recent hotline message starts with ${id}; give the full id`);
    known = matches[0];
    message = { ...known, type: 'hotline.message' };
  }
  if (message.type !== 'hotline.message') {
    throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', message.type ? `${message.author}#${message.seq} is a ${message.type}, not a hotline message` : `this node holds only the stub of ${message.author}#${message.seq}: it was not addressed to ${self}`);
  }
  if (message.author === self) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `${self}#${message.seq} is this party's own message; its addressees acknowledge it`);
  if (!message.to.includes('*') && !message.to.includes(self)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `${message.author}#${message.seq} is not addressed to ${self}`);
  const mine = known?.addressees.find((a) => a.party === self);
  if (mine?.ack) {
    print(opts.json, { id: mine.ack.id, time: mine.ack.time, message: message.id, already: true, status: mine.status }, () => `already acknowledged at ${mine.ack!.time} (${mine.ack!.id}); nothing was sent`);
    return;
  }
  // To the author, and to the other addressees: every party holding the message can then compute the same obligation.
  const to = [message.author, ...debtorsOf({ author: message.author, to: message.to }).filter((p) => p !== self)];
  const body: Record<string, unknown> = {};
  if (opts.officer !== undefined) body.officer = opts.officer;
  if (opts.note !== undefined) body.note = opts.note;
  const sent = await client.post<Sent>('/api/v1/entries', { type: 'hotline.ack', to, refs: [message.id], body });
  const due = mine?.due ?? null;
  const late = due !== null && sent.time > due;
  print(opts.json, { id: sent.id, seq: sent.seq, time: sent.time, message: message.id, due, late }, () =>
    `acknowledged ${message!.author}#${message!.seq} at ${sent.time}${due ? (late ? ` — LATE: it was due by ${due}` : `, within its deadline (${due})`) : ''}\n${sent.id}`,
  );
}

const RELEVANT = new Set(['hotline.message', 'hotline.ack', 'link.test', 'receipt']);

async function watch(opts: WatchOptions): Promise<ExitCode> {
  const client = officer(opts.dir);
  const token = loadNode(opts.dir).tokens.officer;
  const tty = Boolean(process.stdout.isTTY) && !opts.json;
  let view = await client.get<HotlineView>('/api/v1/hotline');
  let skew = Date.parse(view.now) - Date.now();
  let live: true | string = 'connecting';
  let lastPrinted = '';

  const draw = () => {
    const now = Date.now() + skew;
    if (opts.json) {
      const line = JSON.stringify(view);
      if (line !== lastPrinted) process.stdout.write(line + '\n');
      lastPrinted = line;
      return;
    }
    const lines = renderWatch(view, { now, width: tty ? process.stdout.columns || 100 : 160, height: tty ? process.stdout.rows || 40 : 1000, color: tty, url: client.run.url, live, dir: opts.dir });
    if (tty) {
      // Home, each line cleared to its end, then everything below: no flicker, works in tmux.
      process.stdout.write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\r\n')}\x1b[J`);
    } else {
      const frame = lines.join('\n');
      if (frame !== lastPrinted) process.stdout.write(`${frame}\n\n`);
      lastPrinted = frame;
    }
  };

  if (opts.once) {
    live = 'snapshot';
    draw();
    return EXIT.ok;
  }

  const ac = new AbortController();
  let refreshing = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const refresh = async () => {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      view = await client.get<HotlineView>('/api/v1/hotline');
      skew = Date.parse(view.now) - Date.now();
    } catch (err) {
      live = (err as Error).message.slice(0, 80);
    } finally {
      refreshing = false;
    }
    draw();
    if (again) {
      again = false;
      void refresh();
    }
  };
  const soon = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void refresh();
    }, 150);
  };
  const onEvent = (e: StreamEvent) => {
    if (e.event === 'entry') {
      try {
        const type = (JSON.parse(e.data) as { type?: string }).type;
        if (type === undefined || !RELEVANT.has(type)) return;
      } catch {
        return;
      }
    } else if (e.event !== 'alarm' && e.event !== 'hotline' && e.event !== 'link' && e.event !== 'alert') return;
    soon();
  };

  const done = new Promise<void>((resolve) => {
    const quit = () => {
      ac.abort();
      resolve();
    };
    process.once('SIGINT', quit);
    process.once('SIGTERM', quit);
    if (process.stdin.isTTY) {
      process.stdin.setRawMode(true);
      process.stdin.resume();
      process.stdin.on('data', (d: Buffer) => {
        const k = d.toString('utf8');
        if (k === 'q' || k === 'Q' || k === '\x03' || k === '\x04') quit();
      });
    }
  });

  if (tty) {
    process.stdout.write('\x1b[?1049h\x1b[?25l');
    process.stdout.on('resize', draw);
  }
  const restore = () => {
    if (tty) process.stdout.write('\x1b[?25h\x1b[?1049l');
    if (process.stdin.isTTY) {
      process.stdin.setRawMode(false);
      process.stdin.pause();
    }
  };
  // Countdowns move every second; link health that changes with time only, every 5 s.
  const tick = setInterval(draw, 1000);
  const poll = setInterval(() => void refresh(), 5000);
  draw();
  const stream = followEvents(`${client.run.url}/api/v1/events`, token, onEvent, {
    signal: ac.signal,
    onState: (open, why) => {
      live = open ? true : `reconnecting: ${why ?? ''}`.trim();
      if (open) void refresh();
      else draw();
    },
  });
  try {
    await Promise.race([done, stream]);
  } finally {
    ac.abort();
    clearInterval(tick);
    clearInterval(poll);
    if (timer) clearTimeout(timer);
    restore();
  }
  return EXIT.ok;
}
