/** `parley roster add|list`: the parties this node knows, with their pinned public keys. */
import type { Command } from 'commander';
import { formatTime } from '../../protocol/entry.js';
import { ParleyError } from '../../protocol/errors.js';
import { parseDescriptor, rosterChangeToConfirm, type PartyDescriptor } from '../../ledger/roster.js';
import { action } from '../boundary.js';
import { parseJson, print, readInput, withCommon, withLedger, type DirOption } from '../io.js';

interface AddOptions extends DirOption {
  file: string;
  override?: boolean;
}

export function registerRoster(program: Command): void {
  const roster = program.command('roster').description('the parties this node knows, with their pinned public keys');

  withCommon(
    roster
      .command('add')
      .description("pin a party's descriptor (from 'parley init'), or an array of them; '-' reads stdin")
      .requiredOption('--file <file>', "descriptor JSON file, or '-' for stdin")
      .option('--override', "confirm a new URL for a known party, or a key pinned under a second code (verified out of band)"),
  ).action(
    action(async (opts: AddOptions) => {
      const descriptors = readDescriptors(opts.file);
      const results = await withLedger(opts.dir, async (ledger) => {
        const now = formatTime(ledger.now());
        const known = (p: string) => ledger.roster.get(p);
        // Check every descriptor against the pinned keys before adding any: all or nothing.
        for (const d of descriptors) {
          const k = known(d.party);
          if (k && k.publicKey !== d.publicKey) {
            throw new ParleyError('PARLEY_ERR_ROSTER_CONFLICT', `${d.party} is already pinned to another public key; the roster was not changed — verify the new key out of band`, { party: d.party });
          }
          const change = rosterChangeToConfirm(ledger.roster, d);
          if (change && !opts.override) {
            throw new ParleyError('PARLEY_ERR_ROSTER_CONFLICT', `${change}; the roster was not changed — confirm with --override once verified out of band`, { party: d.party });
          }
          if (change) process.stderr.write(`roster override (${new Date().toISOString()}, pid ${process.pid}): ${change}\n`);
        }
        const out: { party: string; status: string }[] = [];
        for (const d of descriptors) {
          const before = known(d.party);
          const { added } = await ledger.roster.add(d, now);
          const after = known(d.party)!;
          const status = added ? 'added' : before && (before.name !== after.name || before.url !== after.url) ? 'updated' : 'unchanged';
          out.push({ party: d.party, status });
        }
        return out;
      });
      print(opts.json, results.length === 1 ? results[0] : results, () =>
        results.map((r) => `${r.party}: ${r.status}`).join('\n'),
      );
    }),
  );

  withCommon(roster.command('list').description('list the parties in the roster')).action(
    action(async (opts: DirOption) => {
      const parties = await withLedger(opts.dir, (ledger) =>
        ledger.roster.list().map((p) => ({ party: p.party, name: p.name, url: p.url, publicKey: p.publicKey, addedAt: p.addedAt })),
      );
      print(opts.json, parties, () => table(parties.map((p) => [p.party, p.name, p.url, p.publicKey])));
    }),
  );
}

function readDescriptors(file: string): PartyDescriptor[] {
  const raw = parseJson(readInput(file, 'the descriptor').toString('utf8'), 'the descriptor');
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', 'the descriptor file holds an empty array');
  return list.map((d, i) => {
    const parsed = parseDescriptor(d);
    if (!parsed.ok) throw new ParleyError(parsed.error.code, list.length > 1 ? `descriptor ${i}: ${parsed.error.message}` : parsed.error.message);
    return parsed.value;
  });
}

function table(rows: string[][]): string {
  if (rows.length === 0) return '(the roster is empty)';
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n');
}
