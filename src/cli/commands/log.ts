/** `parley log`: the entries this node holds, per author in seq order. */
import type { Command } from 'commander';
import { isPartyCode } from '../../protocol/entry.js';
import { ParleyError } from '../../protocol/errors.js';
import type { Ledger, LedgerEntry } from '../../ledger/ledger.js';
import { action } from '../boundary.js';
import { openSink, withCommon, withLedger, type DirOption } from '../io.js';

interface LogOptions extends DirOption {
  author?: string;
}

const PAGE = 1000;
const BODY_PREVIEW = 160;

export function registerLog(program: Command): void {
  withCommon(
    program
      .command('log')
      .description('list entries with id, author, seq, time, and type, to, refs, body where the content is held')
      .option('--author <code>', "only this author's entries"),
  ).action(
    action(async (opts: LogOptions) => {
      if (opts.author !== undefined && !isPartyCode(opts.author)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--author ${JSON.stringify(opts.author)} is not a party code`);
      await withLedger(opts.dir, async (ledger) => {
        // Streamed: a log can be far larger than what is sensible to build in memory.
        const out = openSink('-');
        let n = 0;
        if (opts.json) await out.write('[');
        for await (const e of entries(ledger, opts.author)) {
          await out.write(opts.json ? (n > 0 ? ',' : '') + JSON.stringify(view(e)) : human(e));
          n++;
        }
        if (opts.json) await out.write(']\n');
        else if (n === 0) await out.write(opts.author ? `(no entries by ${opts.author})\n` : '(the log is empty)\n');
      });
    }),
  );
}

async function* entries(ledger: Ledger, author: string | undefined): AsyncIterableIterator<LedgerEntry> {
  if (author === undefined) {
    yield* ledger.all();
    return;
  }
  for (let after = 0; ; ) {
    const page = await ledger.range(author, after, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1].seq;
  }
}

/** What `log --json` prints for an entry: no envelope bytes, the content's fields where held. */
function view(e: LedgerEntry): Record<string, unknown> {
  const v: Record<string, unknown> = { id: e.id, author: e.author, seq: e.seq, time: e.time };
  if (e.type !== undefined) Object.assign(v, { type: e.type, to: e.to, refs: e.refs, body: e.body });
  return v;
}

function human(e: LedgerEntry): string {
  const head = `${e.author}#${e.seq}  ${e.time}  ${e.id}`;
  if (e.type === undefined) return `${head}\n    (stub: the content is not addressed to this party)\n`;
  const body = JSON.stringify(e.body);
  const refs = e.refs && e.refs.length ? `  refs ${e.refs.join(',')}` : '';
  return `${head}\n    ${e.type} → ${e.to!.join(',')}${refs}\n    ${body.length > BODY_PREVIEW ? body.slice(0, BODY_PREVIEW) + '…' : body}\n`;
}
