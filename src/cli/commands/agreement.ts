/**
 * `parley agreement propose|endorse|list`: the figures the parties agree (the hotline's
 * acknowledgement windows, …) as entries in the record. A proposal names the parties and the
 * terms per regime; it is in force once every named party has endorsed it, from its effective
 * time (src/regimes/agreement has the rules). Proposals and endorsements go to "*", through the
 * running node like `parley send`, so that every party holds the terms findings are judged by.
 */
import type { Command } from 'commander';
import { isPlainObject } from '../../protocol/bytes.js';
import { formatTime } from '../../protocol/entry.js';
import { ParleyError } from '../../protocol/errors.js';
import { loadNode } from '../../node/folder.js';
import { runningNode } from '../../server/operator-client.js';
import { ENDORSEMENT, PROPOSAL, type EndorsementBody, type ProposalBody } from '../../regimes/agreement/index.js';
import { agreementsOf, defaultRegistry } from '../../regimes/registry.js';
import { action } from '../boundary.js';
import { listArgument, parseJson, print, withCommon, withLedger, type DirOption } from '../io.js';
import { folderEntries, instant } from './regimes.js';
import { sendEntry, type SentEntry } from './send.js';

interface ProposeOptions extends DirOption {
  regime: string;
  terms?: string;
  parties: string;
  effective?: string;
  title?: string;
  text?: string;
}

interface EndorseOptions extends DirOption {
  id: string;
}

interface ListOptions extends DirOption {
  at?: string;
}

/** The terms to propose: --terms, or the draft in config.json's object of that regime (`hotline.agreement`). */
function termsToPropose(opts: ProposeOptions): Record<string, unknown> {
  if (opts.terms !== undefined) {
    const t = parseJson(opts.terms, '--terms');
    if (!isPlainObject(t)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--terms must be a JSON object, e.g. \'{"ackSeconds":{"flash":180}}\'');
    return t;
  }
  const section = loadNode(opts.dir).config[opts.regime];
  const draft = isPlainObject(section) ? section.agreement : undefined;
  if (!isPlainObject(draft)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `give the terms with --terms, or draft them in config.json ${opts.regime}.agreement`);
  return draft;
}

/** The proposal an endorsement restates: from the running node, or from the folder's ledger when none runs. */
async function proposalOf(dir: string, id: string): Promise<ProposalBody> {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--id ${id} is not an entry id (64 hex digits; see parley agreement list)`);
  const client = runningNode(dir, 'analyst');
  const e = client ? await client.get<{ type?: string; body?: Record<string, unknown> }>(`/api/v1/entries/${id}`) : await withLedger(dir, (ledger) => ledger.get(id));
  if (!e) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `this node holds no entry ${id}`);
  if (e.type === undefined) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `this node holds only the stub of ${id}: it was not addressed to this party, so it cannot restate it`);
  if (e.type !== PROPOSAL) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `${id} is a ${e.type} entry, not an ${PROPOSAL}`);
  return e.body as unknown as ProposalBody;
}

/**
 * Sends a proposal to "*" through the running node (or appends it to the folder's log when none
 * runs), so that every party holds what is agreed. The node refuses terms its regimes do not
 * accept, naming the field (regimes.<id>.<field>). Used by `parley agreement propose` and
 * `parley talks propose-statement`.
 */
export async function sendProposal(dir: string, body: ProposalBody, refs: readonly string[] = []): Promise<SentEntry> {
  return sendEntry(dir, { type: PROPOSAL, to: ['*'], refs: [...refs], body: body as unknown as Record<string, unknown> });
}

/**
 * Endorses proposal `id` as it stands, restating its parties, terms and effective time — and its
 * text when it is a joint statement (it sets no terms), so that the endorsement names that exact
 * text. `accept` may refuse the proposal first (e.g. one that is not a statement). Used by
 * `parley agreement endorse` and `parley talks endorse-statement`.
 */
export async function sendEndorsement(dir: string, id: string, accept?: (p: ProposalBody) => void): Promise<{ sent: SentEntry; proposal: ProposalBody; body: EndorsementBody }> {
  const proposal = await proposalOf(dir, id);
  accept?.(proposal);
  const statement = Object.keys(proposal.terms).length === 0 && proposal.text !== undefined;
  const body: EndorsementBody = { proposal: id, parties: proposal.parties, terms: proposal.terms, effective: proposal.effective, ...(statement ? { text: proposal.text } : {}) };
  const sent = await sendEntry(dir, { type: ENDORSEMENT, to: ['*'], refs: [id], body: body as unknown as Record<string, unknown> });
  return { sent, proposal, body };
}

export function registerAgreement(program: Command): void {
  const agreement = program.command('agreement').description('the terms the parties agree (e.g. hotline acknowledgement windows), proposed and endorsed in the record');

  withCommon(
    agreement
      .command('propose')
      .description('propose terms for a regime between parties; in force once each has endorsed it')
      .requiredOption('--regime <id>', 'the regime whose terms are set, e.g. hotline (see parley regimes)')
      .option('--terms <json>', 'the terms, e.g. \'{"ackSeconds":{"flash":180}}\' (default: config.json <regime>.agreement)')
      .requiredOption('--parties <codes>', 'the parties bound, comma-separated; each must endorse')
      .option('--effective <time>', 'from when the terms apply, RFC 3339 (default now)')
      .option('--title <text>', 'what the agreement is, in a line')
      .option('--text <text>', 'the agreement\'s text, for the record'),
  ).action(
    action(async (opts: ProposeOptions) => {
      const parties = listArgument(opts.parties, '--parties');
      const body: ProposalBody = {
        title: opts.title ?? `${opts.regime} terms between ${parties.join(', ')}`,
        ...(opts.text !== undefined ? { text: opts.text } : {}),
        parties,
        terms: { [opts.regime]: termsToPropose(opts) },
        effective: formatTime(instant(opts.effective)),
      };
      // The node refuses terms its regimes do not accept, naming the field (regimes.<id>.<field>).
      const sent = await sendProposal(opts.dir, body);
      print(opts.json, { id: sent.id, seq: sent.seq, ...body }, () => `proposed ${sent.id}: ${JSON.stringify(body.terms)} between ${parties.join(', ')} from ${body.effective}; each party endorses it with: parley agreement endorse --id ${sent.id}`);
    }),
  );

  withCommon(
    agreement
      .command('endorse')
      .description('endorse a proposal as it stands (its parties, terms and effective time are restated; a joint statement\'s text too)')
      .requiredOption('--id <id>', 'the proposal\'s entry id'),
  ).action(
    action(async (opts: EndorseOptions) => {
      const { sent } = await sendEndorsement(opts.dir, opts.id);
      print(opts.json, { id: sent.id, seq: sent.seq, proposal: opts.id }, () => `endorsed ${opts.id} (${sent.author}#${sent.seq} ${sent.id})`);
    }),
  );

  withCommon(
    agreement.command('list').description('the agreements in the record: who has endorsed each, which are in force').option('--at <time>', 'as the record stood then, RFC 3339 (default now)'),
  ).action(
    action(async (opts: ListOptions) => {
      const at = instant(opts.at);
      const book = agreementsOf(await folderEntries(opts.dir), at);
      const agreements = book.states().map((s) => ({
        proposal: s.proposal.id,
        author: s.proposal.author,
        title: s.body.title,
        parties: s.body.parties,
        terms: s.body.terms,
        effective: s.body.effective,
        endorsedBy: s.body.parties.filter((p) => s.endorsedBy.has(p)),
        awaiting: s.body.parties.filter((p) => !s.endorsedBy.has(p)),
        adoptedAt: s.adopted ? formatTime(s.adopted.adoptedAt) : null,
        inForce: s.adopted ? formatTime(s.adopted.inForce) : null,
        current: s.adopted !== undefined && s.adopted.inForce <= at,
      }));
      const out = { at: formatTime(at), regimes: defaultRegistry().versions(), agreements };
      print(opts.json, out, () =>
        agreements.length
          ? agreements
              .map((a) => `${a.current ? 'in force' : a.inForce ? 'adopted ' : 'proposed'}  ${a.proposal.slice(0, 12)}  ${a.parties.join(',')}  ${JSON.stringify(a.terms)}  from ${a.inForce ?? a.effective}${a.awaiting.length ? `  awaiting ${a.awaiting.join(',')}` : ''}  "${a.title}"`)
              .join('\n')
          : `no agreements as of ${out.at}: every regime's default terms apply`,
      );
    }),
  );
}
