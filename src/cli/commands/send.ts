/** `parley send`: says something — one signed entry in this party's log. */
import type { Command } from 'commander';
import { isPlainObject, utf8Strict } from '../../protocol/bytes.js';
import { ParleyError } from '../../protocol/errors.js';
import type { AppendInput } from '../../ledger/ledger.js';
import { sendThroughNode } from '../../server/operator-client.js';
import { action } from '../boundary.js';
import { listArgument, parseJson, print, readInput, withCommon, withLedger, type DirOption } from '../io.js';

interface SendOptions extends DirOption {
  type: string;
  to: string;
  body: string;
  refs?: string;
}

export interface SentEntry {
  id: string;
  seq: number;
  author: string;
  time: string;
}

/**
 * The one place the CLI writes an entry. Until federation exists it appends to the node folder's
 * ledger directly; once a node runs, this is where the CLI hands the entry to the running node's
 * API instead, so that the node's outbox delivers it.
 */
export async function sendEntry(dir: string, input: AppendInput): Promise<SentEntry> {
  // A running node owns its log: hand it the entry (its outbox delivers at once); append here only
  // when none runs, holding the folder's lock. A node that is starting holds the lock before it
  // answers: wait for it to answer, then go through it.
  const until = Date.now() + NODE_START_WAIT_MS;
  for (;;) {
    const sent = await sendThroughNode(dir, input);
    if (sent) return sent;
    try {
      return await withLedger(
        dir,
        async (ledger) => {
          const e = await ledger.append(input);
          return { id: e.id, seq: e.seq, author: e.author, time: e.time };
        },
        { write: true, waitMs: 0 },
      );
    } catch (err) {
      if (!(err instanceof ParleyError && err.code === 'PARLEY_ERR_NODE_BUSY') || Date.now() >= until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** How long `parley send` waits for a node that holds its folder to answer (or a command to finish). */
const NODE_START_WAIT_MS = 15_000;

export function registerSend(program: Command): void {
  withCommon(
    program
      .command('send')
      .description('sign and append an entry to this party\'s log; prints {"id","seq"}')
      .requiredOption('--type <type>', "content type from the catalogue, e.g. 'note'")
      .requiredOption('--to <parties>', "addressees: CODE[,CODE…], or '*' for every party in the roster")
      .requiredOption('--body <json>', "the body: JSON text, or @file ('@-' reads stdin)")
      .option('--refs <ids>', 'entry ids this entry refers to, comma-separated'),
  ).action(
    action(async (opts: SendOptions) => {
      const input: AppendInput = {
        type: opts.type,
        to: opts.to.trim() === '*' ? ['*'] : listArgument(opts.to, '--to'),
        refs: opts.refs === undefined ? [] : listArgument(opts.refs, '--refs'),
        body: parseBody(opts.body),
      };
      const sent = await sendEntry(opts.dir, input);
      print(opts.json, { id: sent.id, seq: sent.seq }, () => `sent ${sent.author}#${sent.seq} ${sent.id}`);
    }),
  );
}

function parseBody(arg: string): Record<string, unknown> {
  const text = arg.startsWith('@') ? utf8Strict(readInput(arg.slice(1), 'the body'), `the body in ${arg.slice(1)}`) : arg;
  const body = parseJson(text, '--body');
  if (!isPlainObject(body)) throw new ParleyError('PARLEY_ERR_BAD_CONTENT', '--body must be a JSON object');
  return body;
}
