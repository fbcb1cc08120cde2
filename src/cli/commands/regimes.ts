/**
 * `parley obligations` and `parley findings`: the regimes' verdicts on a node's ledger (or, for
 * findings, on an exported file, offline), as of now or of `--at`. `parley regimes`: which
 * regimes those are, their rules and the terms in force. The JSON is a pure function of
 * the entries held, the regime versions and `--at`: two parties holding the same entries print
 * byte-identical output.
 */
import type { Command } from 'commander';
import { decodeEnvelope } from '../../protocol/entry.js';
import { ParleyError } from '../../protocol/errors.js';
import { parseInstant } from '../../protocol/time.js';
import { ZERO_HASH } from '../../protocol/bytes.js';
import { Frontier } from '../../protocol/merkle.js';
import { CHAIN_CHECKS, firstProblem } from '../../ledger/checks.js';
import { entryOfRow } from '../../ledger/ledger.js';
import { loadNode, openNodeStore } from '../../node/folder.js';
import { evaluateAll, regimeVersions } from '../../regimes/index.js';
import { agreementsOf, catalogue, defaultRegistry, type RegimeDescription } from '../../regimes/registry.js';
import { recordOf } from '../../regimes/monitor.js';
import type { Finding, Obligation, RecordEntry } from '../../regimes/types.js';
import { action } from '../boundary.js';
import { print, readInput, withCommon, type JsonOption } from '../io.js';

interface RegimeOptions extends JsonOption {
  dir?: string;
  file?: string;
  at?: string;
  margin?: string;
  party?: string;
}

export function instant(at: string | undefined): number {
  return at === undefined ? Date.now() : parseInstant(at, '--at');
}

function margin(m: string | undefined): { margin?: number } {
  if (m === undefined) return {};
  const x = Number(m);
  if (!(x >= 0 && x < 1)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--margin is a fraction from 0 to 1, e.g. 0.05 for 5 %');
  return { margin: x };
}

/** The entries of a node folder, read-only (a running node may hold the database open). */
export async function folderEntries(dir: string): Promise<RecordEntry[]> {
  const store = openNodeStore(loadNode(dir), { readonly: true });
  const out: RecordEntry[] = [];
  try {
    for await (const page of store.scan()) for (const row of page) out.push(recordOf(entryOfRow(row)));
  } finally {
    await store.close();
  }
  return out;
}

/**
 * The entries of an export file, each decoded and put through the acceptance checks that need no
 * roster (checks.ts CHAIN_CHECKS: seq, prev, Merkle root, time order, content hash and schema).
 * Signatures need the authors' keys: `parley import` into a node with a roster checks them.
 */
function fileEntries(file: string): RecordEntry[] {
  const out: RecordEntry[] = [];
  const tips = new Map<string, { seq: number; id: string; time: string; frontier: Frontier }>();
  const lines = readInput(file, 'export file').toString('utf8').split('\n');
  const ctx = { roster: false, catalogue: catalogue() };
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new ParleyError('PARLEY_ERR_MALFORMED_JSON', `${file} line ${i + 1} is not JSON`);
    }
    const d = decodeEnvelope(raw);
    if (!d.ok) throw new ParleyError(d.error.code, `${file} line ${i + 1}: ${d.error.message}`);
    const h = d.value.header;
    let tip = tips.get(h.author);
    if (!tip) tips.set(h.author, (tip = { seq: 0, id: ZERO_HASH, time: '', frontier: new Frontier() }));
    const t = tip;
    const problem = firstProblem(CHAIN_CHECKS, d.value, { seq: t.seq, id: t.id, time: t.time, root: () => t.frontier.root().toString('hex') }, ctx);
    if (problem) throw problem.error(`${file} line ${i + 1} (${h.author}#${h.seq})`);
    t.frontier.append(d.value.headerBytes);
    t.seq = h.seq;
    t.id = d.value.id;
    t.time = h.time;
    const c = d.value.content;
    out.push(c ? { id: d.value.id, author: h.author, seq: h.seq, time: h.time, type: c.type, to: c.to, refs: c.refs, body: c.body } : { id: d.value.id, author: h.author, seq: h.seq, time: h.time });
  });
  return out;
}

async function source(opts: RegimeOptions, allowFile: boolean): Promise<RecordEntry[]> {
  if (opts.dir && opts.file) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', 'give --dir or --file, not both');
  if (opts.file) {
    if (!allowFile) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--file is for findings');
    return fileEntries(opts.file);
  }
  const dir = opts.dir ?? process.env.PARLEY_DIR;
  if (!dir) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `give the node folder with --dir${allowFile ? ', or an export with --file' : ''}`);
  return folderEntries(dir);
}

const when = (t: string) => t.replace('T', ' ').replace(/\.000Z$|Z$/, 'Z');

function obligationLine(o: Obligation): string {
  return `${o.status.padEnd(8)} due ${when(o.due)}  ${o.debtor} → ${o.creditors.join(',')}  ${o.what}  [${o.citation}]`;
}

function findingLine(f: Finding): string {
  const evidence = f.evidence.length ? `evidence ${f.evidence.map((e) => e.slice(0, 12)).join(' ')}` : 'evidence: an absence — no entry where one was due';
  return `${f.severity.padEnd(9)} ${when(f.at)}  ${f.parties.join(',')}  ${f.explanation}  [${f.citation}]\n          ${evidence}`;
}

function regimeLines(r: RegimeDescription): string {
  const lines = [`${r.id} ${r.version}  ${r.title}`, ...r.rules.map((x) => `  ${x.id.padEnd(34)} [${x.citation}]  ${x.title}`)];
  if (r.terms) {
    lines.push(`  terms by default: ${JSON.stringify(r.terms.defaults)}`);
    for (const a of r.terms.agreements) lines.push(`  ${a.current ? 'in force' : 'adopted '} ${a.proposal.slice(0, 12)}  ${a.parties.join(',')} from ${when(a.inForce)}: ${JSON.stringify(a.terms)}`);
  }
  return lines.join('\n');
}

export function registerRegimes(program: Command): void {
  withCommon(program.command('regimes').description('the regimes this version evaluates: rules with citations, and the terms in force (defaults, and agreements in the node folder\'s record)'), { dir: false })
    .option('--dir <dir>', 'node folder (or PARLEY_DIR) whose record holds the agreements; without one, the defaults')
    .option('--at <time>', 'as the record stood then, RFC 3339 (default now)')
    .action(
      action(async (opts: RegimeOptions) => {
        const at = instant(opts.at);
        const dir = opts.dir ?? process.env.PARLEY_DIR;
        const regimes = defaultRegistry().describe(agreementsOf(dir ? await folderEntries(dir) : [], at), at);
        print(opts.json, { at: new Date(at).toISOString(), regimes }, () => regimes.map(regimeLines).join('\n\n'));
      }),
    );

  const common = (c: Command) =>
    withCommon(c, { dir: false })
      .option('--dir <dir>', 'node folder (or PARLEY_DIR)')
      .option('--at <time>', 'evaluation time, RFC 3339 (default now): read the record as it stood then')
      .option('--party <code>', 'only what concerns this party')
      .option('--margin <fraction>', 'threshold-gaming warning margin (default 0.05)');

  common(program.command('obligations').description('who owes what to whom by when, under which treaty rule, and whether it was met')).action(
    action(async (opts: RegimeOptions) => {
      const at = instant(opts.at);
      const r = evaluateAll(await source(opts, false), at, margin(opts.margin));
      const obligations = opts.party ? r.obligations.filter((o) => o.debtor === opts.party || o.creditors.includes(opts.party!) || o.creditors.includes('*')) : r.obligations;
      const out = { at: new Date(at).toISOString(), regimes: regimeVersions(), obligations };
      print(opts.json, out, () => (obligations.length ? obligations.map(obligationLine).join('\n') : `no obligations as of ${out.at}`));
    }),
  );

  common(program.command('findings').description('each rule\'s verdict on the record — late, missing, over a threshold — with citation and evidence'))
    .option('--file <export.jsonl>', 'evaluate an exported ledger (parley export) offline instead of a node folder')
    .action(
      action(async (opts: RegimeOptions) => {
        const at = instant(opts.at);
        const r = evaluateAll(await source(opts, true), at, margin(opts.margin));
        const findings = opts.party ? r.findings.filter((f) => f.parties.includes(opts.party!)) : r.findings;
        const out = { at: new Date(at).toISOString(), regimes: regimeVersions(), findings };
        print(opts.json, out, () => (findings.length ? findings.map(findingLine).join('\n') : `no findings as of ${out.at}`));
      }),
    );
}
