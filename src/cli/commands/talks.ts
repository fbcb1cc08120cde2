/**
 * `parley talks list|compare|statements`: the talks record of a node folder — the meetings held,
 * the divergence report of a meeting's readouts, the joint statements with who has endorsed them.
 * Read from the folder's ledger (read-only: a running node may hold it open); the JSON is what
 * GET /api/v1/talks… answers, a pure function of the entries held, byte-identical at every party
 * holding the same ones. Meetings, readouts, commitments and briefings are sent with `parley send`;
 * a joint statement is proposed and endorsed with `parley agreement` (terms `{}`, the statement as
 * its text) — src/regimes/talks has the types.
 */
import type { Command } from 'commander';
import { ParleyError } from '../../protocol/errors.js';
import { divergence, talksList, talksStatements } from '../../regimes/talks/index.js';
import { action } from '../boundary.js';
import { print, withCommon, type DirOption } from '../io.js';
import { folderEntries } from './regimes.js';

interface CompareOptions extends DirOption {
  meeting: string;
}

const short = (id: string): string => id.slice(0, 12);

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
