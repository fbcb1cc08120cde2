/**
 * `parley export` and `parley import`: the JSON Lines file of envelopes, one per line, per author
 * in seq order — the Protocol v1 export format other implementations read and write.
 */
import type { Command } from 'commander';
import { ParleyError } from '../../protocol/errors.js';
import type { AcceptReport, Ledger } from '../../ledger/ledger.js';
import { action } from '../boundary.js';
import { readRunInfo } from '../../server/runfile.js';
import { openSink, print, progress, readInput, withCommon, withLedger, type DirOption } from '../io.js';

interface ExportOptions extends DirOption {
  out: string;
}

interface ImportOptions extends DirOption {
  file: string;
}

export function registerTransfer(program: Command): void {
  withCommon(
    program
      .command('export')
      .description('write every envelope this node holds as JSON Lines, per author in seq order (content where held)')
      .requiredOption('--out <file>', "output file, or '-' for stdout"),
  ).action(
    action(async (opts: ExportOptions) => {
      const result = await withLedger(opts.dir, async (ledger) => {
        const sink = openSink(opts.out);
        const bar = progress('export', await ledger.count());
        const authors: Record<string, number> = {};
        let entries = 0;
        try {
          for await (const e of ledger.all()) {
            await sink.write(JSON.stringify(e.envelope) + '\n');
            authors[e.author] = (authors[e.author] ?? 0) + 1;
            if (++entries % 1000 === 0) bar.update(entries);
          }
          bar.update(entries);
          await sink.finish();
        } catch (err) {
          sink.abandon();
          throw err;
        } finally {
          bar.stop();
        }
        return { out: opts.out, entries, authors };
      });
      // With --out - the envelopes are the output; the summary would corrupt them.
      if (opts.out === '-') return;
      print(opts.json, result, () => `exported ${result.entries} entries (${Object.entries(result.authors).map(([a, n]) => `${a} ${n}`).join(', ') || 'none'}) to ${result.out}`);
    }),
  );

  withCommon(
    program
      .command('import')
      .description('accept a JSON Lines file of envelopes through every acceptance rule: all of it, or nothing')
      .requiredOption('--file <file>', "JSON Lines file of envelopes, or '-' for stdin"),
  ).action(
    action(async (opts: ImportOptions) => {
      // The running node holds each author's head in memory; writing behind it would split them.
      const running = readRunInfo(opts.dir);
      if (running) {
        throw new ParleyError('PARLEY_ERR_NODE_DIR', `the node of ${running.party} runs on this folder (pid ${running.pid}, ${running.url}); stop it before importing — nothing was imported`);
      }
      const text = readInput(opts.file, 'the envelopes').toString('utf8');
      const result = await withLedger(opts.dir, (ledger) => importLines(ledger, text, opts.file), { write: true });
      print(opts.json, result, () => humanImport(result));
    }),
  );
}

export interface ImportResult {
  file: string;
  /** Envelopes in the file. */
  entries: number;
  /** Envelopes newly stored. */
  accepted: number;
  /** Envelopes already held. */
  duplicates: number;
  equivocations: AcceptReport['equivocations'];
}

/**
 * What `parley import` does with the file's text: every line through the ledger's acceptance
 * rules in one all-or-nothing batch. A refusal keeps the ledger's code and names the line.
 * Gaps are refused rather than held: a file has no later pull to fill them.
 */
export async function importLines(ledger: Ledger, text: string, file: string): Promise<ImportResult> {
  const { envelopes, lines } = readEnvelopes(text, file);
  let report: AcceptReport;
  try {
    report = await ledger.accept(envelopes, { source: 'import', onGap: 'refuse', receipts: false });
  } catch (err) {
    throw refusal(err, lines);
  }
  return { file, entries: envelopes.length, accepted: report.accepted.length, duplicates: report.duplicates, equivocations: report.equivocations };
}

/** Parses the file's lines into envelope objects; blank lines are skipped, line numbers kept for messages. */
function readEnvelopes(text: string, file: string): { envelopes: unknown[]; lines: number[] } {
  const rows = text.split('\n');
  const envelopes: unknown[] = [];
  const lines: number[] = [];
  const bar = progress('read', rows.length);
  try {
    rows.forEach((row, i) => {
      const line = row.endsWith('\r') ? row.slice(0, -1) : row;
      if (line.trim() === '') return;
      try {
        envelopes.push(JSON.parse(line));
      } catch (e) {
        throw new ParleyError('PARLEY_ERR_MALFORMED_JSON', `import refused, nothing was stored: line ${i + 1} of ${file} is not valid JSON: ${(e as Error).message}`, { line: i + 1 }, { cause: e });
      }
      lines.push(i + 1);
      if (i % 1000 === 0) bar.update(i);
    });
    bar.update(rows.length);
  } finally {
    bar.stop();
  }
  return { envelopes, lines };
}

/** The ledger refused the batch: say so with the same code, the line, and that nothing was stored. */
function refusal(err: unknown, lines: number[]): unknown {
  if (!(err instanceof ParleyError) || err.status >= 500) return err;
  const index = typeof err.detail?.index === 'number' ? err.detail.index : undefined;
  const line = index !== undefined && index >= 0 ? lines[index] : undefined;
  const where = line !== undefined ? ` at line ${line}` : '';
  return new ParleyError(err.code, `import refused${where}, nothing was stored: ${err.message}`, { ...err.detail, ...(line !== undefined ? { line } : {}) }, { cause: err });
}

function humanImport(r: ImportResult): string {
  const lines = [`imported ${r.accepted} new entr${r.accepted === 1 ? 'y' : 'ies'} from ${r.file} (${r.duplicates} already held, ${r.entries} in the file)`];
  for (const e of r.equivocations) {
    lines.push(`equivocation: ${e.author} signed two different entries at seq ${e.seq} (${e.heldId} held, ${e.otherId} in the file); both kept as evidence — 'parley verify' reports it`);
  }
  return lines.join('\n');
}
