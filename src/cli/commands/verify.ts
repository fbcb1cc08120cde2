/** `parley verify`: re-checks everything the node holds, from the stored bytes alone. */
import type { Command } from 'commander';
import { ParleyError } from '../../protocol/errors.js';
import { verifyStore } from '../../ledger/verify.js';
import { action, EXIT } from '../boundary.js';
import { print, progress, withCommon, withLedger, type DirOption } from '../io.js';

interface VerifyOptions extends DirOption {
  workers?: string;
}

export function registerVerify(program: Command): void {
  withCommon(
    program
      .command('verify')
      .description('check every signature, chain link, Merkle root, content hash and schema, and report equivocation; exit 1 on any problem')
      .option('--workers <n>', 'signature-checking threads (default: one per core for large logs, 0 for none)'),
  ).action(
    action(async (opts: VerifyOptions) => {
      const workers = opts.workers === undefined ? undefined : Number(opts.workers);
      if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 64)) {
        throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--workers must be an integer from 0 to 64');
      }
      const report = await withLedger(opts.dir, async (ledger) => {
        const bar = progress('verify', await ledger.count());
        try {
          return await ledger.verify({ workers, onProgress: (done) => bar.update(done) });
        } finally {
          bar.stop();
        }
      });
      print(opts.json, report, () => {
        if (report.ok) return `ok: ${report.entries} entries verified (signatures, chain links, Merkle roots, content hashes, schemas); no equivocation`;
        const lines = report.problems.map((p) => `  ${p.author}#${p.seq} ${p.id}\n    ${p.code}: ${p.message}`);
        return `FAILED: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in ${report.entries} entries\n${lines.join('\n')}`;
      });
      return report.ok ? EXIT.ok : EXIT.checkFailed;
    }),
  );
}
