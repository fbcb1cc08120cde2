/**
 * `parley talks list|compare|statements`: the talks record of a node folder — the meetings held,
 * the divergence report of a meeting's readouts, the joint statements with who has endorsed them.
 * Read from the folder's ledger (read-only: a running node may hold it open); the JSON is what
 * GET /api/v1/talks… answers, a pure function of the entries held, byte-identical at every party
 * holding the same ones. Meetings, readouts, commitments and briefings are sent with `parley send`.
 *
 * `parley talks propose-statement|endorse-statement`: a joint statement is an agreement proposal
 * that sets no terms (the statement is its text), endorsed by each signatory restating that exact
 * text; both go through the running node by the same code path as `parley agreement propose|endorse`
 * — src/regimes/talks has the types.
 */
import type { Command } from 'commander';
import { formatTime } from '../../protocol/entry.js';
import { ParleyError } from '../../protocol/errors.js';
import type { ProposalBody } from '../../regimes/agreement/index.js';
import { divergence, talksList, talksStatements } from '../../regimes/talks/index.js';
import { action } from '../boundary.js';
import { listArgument, print, withCommon, type DirOption } from '../io.js';
import { sendEndorsement, sendProposal } from './agreement.js';
import { folderEntries, instant } from './regimes.js';

interface CompareOptions extends DirOption {
  meeting: string;
}

interface ProposeStatementOptions extends DirOption {
  title: string;
  text: string;
  parties: string;
  meeting?: string;
}

interface EndorseStatementOptions extends DirOption {
  id: string;
}

const short = (id: string): string => id.slice(0, 12);
const ENTRY_ID = /^[0-9a-f]{64}$/;

export function registerTalks(program: Command): void {
  const talks = program.command('talks').description('the talks record: meetings, each party\'s readout and where they differ, joint statements');

  withCommon(talks.command('list').description('the meetings held, with their parties, readouts, statements and commitments')).action(
    action(async (opts: DirOption) => {
      const meetings = talksList(await folderEntries(opts.dir));
      print(opts.json, meetings, () =>
        meetings.length === 0
          ? 'no meeting held'
          : meetings.map((m) => `${m.at}  ${short(m.id)}  ${m.title}  [${m.parties.join(', ')}]  readouts ${m.readouts.length}, statements ${m.statements.length}, commitments ${m.commitments.length}`).join('\n'),
      );
    }),
  );

  withCommon(
    talks
      .command('compare')
      .description('the divergence report of a meeting: per agenda item, which readouts cover it and where they differ')
      .requiredOption('--meeting <id>', 'entry id of the talks.meeting (see parley talks list)'),
  ).action(
    action(async (opts: CompareOptions) => {
      if (!/^[0-9a-f]{64}$/.test(opts.meeting)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--meeting ${opts.meeting} is not an entry id (64 hex digits; see parley talks list)`);
      const report = divergence(opts.meeting, await folderEntries(opts.dir));
      if (!report) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `this node holds no talks.meeting ${opts.meeting} with its content (see parley talks list)`);
      print(opts.json, report, () => {
        const lines = [`meeting ${short(report.meeting)}: readouts ${report.readouts.map((r) => `${r.party} ${short(r.id)}`).join(', ') || 'none'}`];
        if (report.note) lines.push(report.note);
        for (const item of report.items) {
          lines.push(`${item.item} — ${item.title}: in ${item.in.join(', ') || 'none'}${item.missingFrom.length ? `; missing from ${item.missingFrom.join(', ')}` : ''}`);
          for (const d of item.differences) lines.push(`  ${d.kind}: ${d.party} / ${d.about}: ${d.text}`);
        }
        return lines.join('\n');
      });
    }),
  );

  withCommon(
    talks
      .command('propose-statement')
      .description('propose a joint statement: adopted once each signatory has endorsed its exact text')
      .requiredOption('--title <text>', 'what the statement is, in a line')
      .requiredOption('--text <text>', 'the statement\'s text, as the signatories endorse it')
      .requiredOption('--parties <codes>', 'the signatories, comma-separated; each must endorse')
      .option('--meeting <id>', 'entry id of the talks.meeting it comes from (put in refs)'),
  ).action(
    action(async (opts: ProposeStatementOptions) => {
      if (opts.meeting !== undefined && !ENTRY_ID.test(opts.meeting)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--meeting ${opts.meeting} is not an entry id (64 hex digits; see parley talks list)`);
      if (opts.text.length === 0) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--text is empty: a joint statement is its text');
      const parties = listArgument(opts.parties, '--parties');
      const body: ProposalBody = { title: opts.title, text: opts.text, parties, terms: {}, effective: formatTime(instant(undefined)) };
      const sent = await sendProposal(opts.dir, body, opts.meeting ? [opts.meeting] : []);
      print(opts.json, { id: sent.id, seq: sent.seq, ...body }, () => `proposed statement ${sent.id} for ${parties.join(', ')}; each signatory endorses it with: parley talks endorse-statement --id ${sent.id}`);
    }),
  );

  withCommon(
    talks
      .command('endorse-statement')
      .description('endorse a joint statement as it stands (its signatories and exact text restated)')
      .requiredOption('--id <id>', 'the statement\'s entry id (see parley talks statements)'),
  ).action(
    action(async (opts: EndorseStatementOptions) => {
      const { sent, proposal } = await sendEndorsement(opts.dir, opts.id, (p) => {
        if (Object.keys(p.terms).length > 0) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `${opts.id} sets terms (${Object.keys(p.terms).join(', ')}): it is an agreement, not a joint statement; endorse it with parley agreement endorse`);
      });
      print(opts.json, { id: sent.id, seq: sent.seq, statement: opts.id, text: proposal.text }, () => `endorsed statement ${opts.id} "${proposal.title}" (${sent.author}#${sent.seq} ${sent.id})`);
    }),
  );

  withCommon(talks.command('statements').description('joint statements: signatories, who has endorsed that exact text, who has not, when adopted')).action(
    action(async (opts: DirOption) => {
      const statements = talksStatements(await folderEntries(opts.dir));
      print(opts.json, statements, () =>
        statements.length === 0
          ? 'no joint statement held'
          : statements.map((s) => `${short(s.id)}  ${s.title}  endorsed ${s.endorsed.join(', ') || 'none'}${s.missing.length ? `; awaiting ${s.missing.join(', ')}` : ''}${s.adopted ? `; adopted ${s.adopted}` : ''}`).join('\n'),
      );
    }),
  );
}
