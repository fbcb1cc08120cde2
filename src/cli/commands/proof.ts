/**
 * `parley prove` and `parley check-proof`: a bundle that lets anyone, offline, check that an
 * author said an entry at its place in the author's log — and the check, needing only the file.
 */
import type { Command } from 'commander';
import { isHash } from '../../protocol/bytes.js';
import { ParleyError } from '../../protocol/errors.js';
import { checkProof, type ProofCheck } from '../../protocol/proof.js';
import { action, FailedCheck } from '../boundary.js';
import { print, readInput, withCommon, withLedger, writeOutput, type DirOption, type JsonOption } from '../io.js';

interface ProveOptions extends DirOption {
  id: string;
  out: string;
}

interface CheckOptions extends JsonOption {
  dir?: string;
}

export function registerProof(program: Command): void {
  withCommon(
    program
      .command('prove')
      .description("write a proof bundle for an entry: its envelope, a later signed header covering it, the inclusion proof, the author's key")
      .requiredOption('--id <id>', 'entry id (64 hex)')
      .requiredOption('--out <file>', "output file, or '-' for stdout"),
  ).action(
    action(async (opts: ProveOptions) => {
      if (!isHash(opts.id)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--id must be an entry id: 64 lower-case hex digits');
      const bundle = await withLedger(opts.dir, (ledger) => ledger.prove(opts.id));
      await writeOutput(opts.out, JSON.stringify(bundle, null, 2) + '\n');
      if (opts.out === '-') return;
      const summary = { out: opts.out, author: bundle.author, seq: bundle.leafIndex + 1, id: opts.id, checkpointSeq: bundle.treeSize + 1 };
      print(opts.json, summary, () => `proof of ${summary.author}#${summary.seq} ${summary.id}, covered by ${summary.author}#${summary.checkpointSeq}, written to ${summary.out}`);
    }),
  );

  withCommon(
    program
      .command('check-proof')
      .description("check a proof bundle offline; exit 0 only if it is valid. With --dir, also require the key pinned in that node's roster")
      .argument('<file>', "the bundle, or '-' for stdin")
      .option('--dir <path>', "also check the bundle's key against this node's roster"),
    { dir: false },
  ).action(
    action(async (file: string, opts: CheckOptions) => {
      const text = readInput(file, 'the proof bundle').toString('utf8');
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        throw new FailedCheck(new ParleyError('PARLEY_ERR_BAD_PROOF', `the file is not a proof bundle: not valid JSON (${(e as Error).message})`, undefined, { cause: e }));
      }
      const checked = checkProof(raw);
      if (!checked.ok) throw new FailedCheck(checked.error);
      const result: ProofCheck & { ok: true; pinned?: boolean } = { ok: true, ...checked.value };
      if (opts.dir) {
        const pinned = await withLedger(opts.dir, (ledger) => ledger.roster.get(result.author)?.publicKey);
        if (pinned !== result.publicKey) {
          throw new FailedCheck(
            new ParleyError('PARLEY_ERR_BAD_PROOF', pinned ? `keyPinnedInRoster: the bundle's key is not the key pinned for ${result.author}` : `keyPinnedInRoster: ${result.author} is not in this node's roster`),
          );
        }
        result.pinned = true;
      }
      print(opts.json, result, () =>
        [
          `valid: ${result.author}#${result.seq} ${result.id}`,
          `  ${result.type} at ${result.time}, in ${result.author}'s log as covered by its signed header #${result.checkpointSeq}`,
          result.pinned ? `  signed with the key pinned in the roster of ${opts.dir}` : `  signed with key ${result.publicKey} — compare it with the key you pinned for ${result.author}`,
        ].join('\n'),
      );
    }),
  );
}
