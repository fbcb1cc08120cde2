/**
 * Scenarios: history replayed through real node folders on a virtual clock, so that deadlines
 * fall on their real dates. A scenario file (YAML or JSON) lists its parties and its steps
 * `{at, author, type, to, refs?, body}`; each step is appended by its author's ledger with the
 * clock set to `at` (signed, chained, stored), then delivered to every other party through the
 * same `accept` the federation uses — stubs to all, content to addressees, receipts back.
 *
 * A step may carry an `id`; a later step names it as "@id" in `refs` or anywhere in its body
 * (a `corrects`, a `notification`), and the runner puts the entry id there.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { isPlainObject } from '../protocol/bytes.js';
import { isPartyCode } from '../protocol/entry.js';
import { ParleyError } from '../protocol/errors.js';
import { parseInstant } from '../protocol/time.js';
import type { Ledger, LedgerEntry } from '../ledger/ledger.js';
import { initNode, isNodeFolder, loadNode, openLedger, type NodeFolder } from '../node/folder.js';

export interface ScenarioStep {
  id?: string;
  at: string;
  author: string;
  type: string;
  to: string[];
  refs?: string[];
  body: Record<string, unknown>;
  /** What the step is, for a reader of the file: historical (with its source) or illustrative. */
  note?: string;
}

export interface Scenario {
  title: string;
  description?: string;
  /** The moment the scenario is about (RFC 3339 UTC): where consoles open and findings are read. */
  moment?: string;
  parties: { party: string; name: string }[];
  steps: ScenarioStep[];
}

export interface PlayedStep {
  id?: string;
  at: string;
  author: string;
  seq: number;
  entry: string;
  type: string;
}

export interface PlayReport {
  title: string;
  /** The moment the scenario is about, if it names one: where consoles open. */
  moment?: string;
  file: string;
  sha256: string;
  /** 'played' now, or 'reused': this folder already holds this very scenario. */
  outcome: 'played' | 'reused';
  steps: PlayedStep[];
}

const STEP_KEYS = new Set(['id', 'at', 'author', 'type', 'to', 'refs', 'body', 'note']);
const MARKER = 'scenario.json';

const bad = (message: string) => new ParleyError('PARLEY_ERR_BAD_ARGUMENT', message);

/** Reads and checks a scenario file's shape (bodies are checked by the catalogue when played). */
export function parseScenario(text: string, file: string): Scenario {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    throw new ParleyError('PARLEY_ERR_MALFORMED_JSON', `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`, undefined, { cause: e });
  }
  if (!isPlainObject(raw)) throw bad(`${file}: a scenario is an object with title, parties and steps`);
  if (typeof raw.title !== 'string') throw bad(`${file}: title is missing`);
  if (!Array.isArray(raw.parties) || raw.parties.length === 0) throw bad(`${file}: parties must list {party, name}`);
  const parties = raw.parties.map((p, i) => {
    if (!isPlainObject(p) || !isPartyCode(p.party) || typeof p.name !== 'string') throw bad(`${file}: parties[${i}] must be {party: CODE, name}`);
    return { party: p.party, name: p.name };
  });
  const codes = new Set(parties.map((p) => p.party));
  if (!Array.isArray(raw.steps)) throw bad(`${file}: steps must be a list`);
  const ids = new Set<string>();
  let last = -Infinity;
  const steps = raw.steps.map((s, i): ScenarioStep => {
    const where = `${file}: steps[${i}]`;
    if (!isPlainObject(s)) throw bad(`${where} is not an object`);
    const unknown = Object.keys(s).find((k) => !STEP_KEYS.has(k));
    if (unknown) throw bad(`${where}: unknown field "${unknown}" (a step has ${[...STEP_KEYS].join(', ')})`);
    const at = s.at instanceof Date ? s.at.toISOString() : s.at;
    const t = typeof at === 'string' ? Date.parse(at) : NaN;
    if (!Number.isFinite(t)) throw bad(`${where}: at must be an RFC 3339 time`);
    if (t < last) throw bad(`${where}: at ${at} is earlier than the step before it; steps are in time order`);
    last = t;
    if (typeof s.author !== 'string' || !codes.has(s.author)) throw bad(`${where}: author must be one of the scenario's parties`);
    if (typeof s.type !== 'string') throw bad(`${where}: type is missing`);
    const to = s.to === '*' ? ['*'] : s.to;
    if (!Array.isArray(to) || !to.every((p) => p === '*' || codes.has(p))) throw bad(`${where}: to must list the scenario's parties, or be "*"`);
    if (s.refs !== undefined && !(Array.isArray(s.refs) && s.refs.every((r) => typeof r === 'string'))) throw bad(`${where}: refs must be a list`);
    if (!isPlainObject(s.body)) throw bad(`${where}: body must be an object`);
    if (s.id !== undefined) {
      if (typeof s.id !== 'string' || ids.has(s.id)) throw bad(`${where}: id must be a unique name`);
      ids.add(s.id);
    }
    return {
      id: s.id as string | undefined,
      at: new Date(t).toISOString(),
      author: s.author,
      type: s.type,
      to: to as string[],
      refs: (s.refs as string[] | undefined) ?? [],
      body: normaliseDates(s.body) as Record<string, unknown>,
      note: typeof s.note === 'string' ? s.note : undefined,
    };
  });
  let moment: string | undefined;
  if (raw.moment !== undefined) {
    const m = raw.moment instanceof Date ? raw.moment.toISOString() : raw.moment;
    if (typeof m !== 'string') throw bad(`${file}: moment must be an RFC 3339 time`);
    moment = new Date(parseInstant(m, `${file}: moment`)).toISOString();
  }
  return { title: raw.title, description: typeof raw.description === 'string' ? raw.description : undefined, moment, parties, steps };
}

/** YAML reads an unquoted timestamp as a Date; the catalogue wants RFC 3339 strings. */
function normaliseDates(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(normaliseDates);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normaliseDates(x)]));
  return v;
}

function resolveLabels(v: unknown, ids: Map<string, string>, where: string): unknown {
  if (typeof v === 'string' && v.startsWith('@') && v.length > 1) {
    const id = ids.get(v.slice(1));
    if (!id) throw bad(`${where}: "${v}" names no earlier step`);
    return id;
  }
  if (Array.isArray(v)) return v.map((x) => resolveLabels(x, ids, where));
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveLabels(x, ids, where)]));
  return v;
}

/**
 * Delivers every author's log to every other ledger until nothing new moves: the same rule as
 * federation — each author pushes its own entries, stubs to all, content to addressees, and the
 * receiver's receipts flow back the same way.
 */
export async function deliverAll(ledgers: Map<string, Ledger>): Promise<number> {
  let moved = 0;
  for (let round = 0; round < 10; round++) {
    let changed = 0;
    for (const [author, source] of ledgers) {
      const own = source.head(author)?.seq ?? 0;
      for (const [party, target] of ledgers) {
        if (party === author) continue;
        const have = target.head(author)?.seq ?? 0;
        if (have >= own) continue;
        const batch = (await source.range(author, have, 100_000)).map((e) => envelopeFor(e, party));
        const r = await target.accept(batch, { source: author, onGap: 'refuse', receipts: true });
        changed += r.accepted.length;
      }
    }
    moved += changed;
    if (changed === 0) return moved;
  }
  return moved;
}

function envelopeFor(e: LedgerEntry, party: string): LedgerEntry['envelope'] {
  const addressed = e.to !== undefined && (e.to.includes(party) || (e.to.length === 1 && e.to[0] === '*'));
  return addressed ? e.envelope : { header: e.envelope.header, sig: e.envelope.sig };
}

export interface PlayOptions {
  /** Node folders by party; missing parties get a folder under `dir/<CODE>`. */
  folders?: Map<string, NodeFolder>;
  basePort?: number;
  onStep?: (step: PlayedStep, index: number, total: number) => void;
}

/**
 * Plays a scenario file into the node folders under `dir` (one per party, made if missing).
 * Played once: a second run on the same folders with the same file reuses what is there; a
 * folder that already holds another history is refused, untouched.
 */
export async function playScenario(file: string, dir: string, options: PlayOptions = {}): Promise<PlayReport> {
  if (!existsSync(file)) throw bad(`scenario file ${file} does not exist`);
  const text = readFileSync(file, 'utf8');
  const sha256 = createHash('sha256').update(text).digest('hex');
  const scenario = parseScenario(text, file);
  const marker = join(dir, MARKER);
  if (existsSync(marker)) {
    const done = JSON.parse(readFileSync(marker, 'utf8')) as PlayReport;
    if (done.sha256 === sha256) return { ...done, outcome: 'reused' };
    throw new ParleyError('PARLEY_ERR_NODE_DIR', `${dir} already holds the scenario "${done.title}" (another file or version); play this one into a new folder`);
  }
  const basePort = options.basePort ?? 7300;
  const folders = new Map(options.folders ?? []);
  for (const [i, p] of scenario.parties.entries()) {
    if (folders.has(p.party)) continue;
    if (options.folders) throw bad(`the scenario needs the party ${p.party}; add it to the network's parties`);
    const d = join(dir, p.party);
    folders.set(p.party, isNodeFolder(d) ? loadNode(d) : await initNode(d, { party: p.party, name: p.name, url: `http://127.0.0.1:${basePort + i}` }));
  }

  let now = Date.parse(scenario.steps[0]?.at ?? new Date().toISOString());
  const ledgers = new Map<string, Ledger>();
  try {
    for (const [party, folder] of folders) ledgers.set(party, await openLedger(folder, { clock: () => now }));
    for (const [party, ledger] of ledgers) {
      if ((await ledger.count()) > 0) throw new ParleyError('PARLEY_ERR_NODE_DIR', `the ledger of ${party} in ${folders.get(party)!.dir} already holds entries; a scenario plays into fresh folders`);
      for (const other of folders.values()) await ledger.roster.add(other.descriptor, scenario.steps[0]?.at ?? new Date(now).toISOString());
    }
    const ids = new Map<string, string>();
    const played: PlayedStep[] = [];
    for (const [i, step] of scenario.steps.entries()) {
      const where = `${file}: steps[${i}]${step.id ? ` (${step.id})` : ''}`;
      now = Date.parse(step.at);
      const ledger = ledgers.get(step.author)!;
      let entry: LedgerEntry;
      try {
        entry = await ledger.append({
          type: step.type,
          to: step.to,
          refs: resolveLabels(step.refs ?? [], ids, where) as string[],
          body: resolveLabels(step.body, ids, where) as Record<string, unknown>,
        });
      } catch (e) {
        const pe = e instanceof ParleyError ? e : new ParleyError('PARLEY_ERR_INTERNAL', String(e));
        throw new ParleyError(pe.code, `${where}: ${pe.message}`, pe.detail);
      }
      if (step.id) ids.set(step.id, entry.id);
      await deliverAll(ledgers);
      const p: PlayedStep = { id: step.id, at: entry.time, author: entry.author, seq: entry.seq, entry: entry.id, type: step.type };
      played.push(p);
      options.onStep?.(p, i, scenario.steps.length);
    }
    const report: PlayReport = { title: scenario.title, ...(scenario.moment ? { moment: scenario.moment } : {}), file, sha256, outcome: 'played', steps: played };
    writeFileSync(marker, JSON.stringify(report, null, 2) + '\n');
    return report;
  } finally {
    for (const l of ledgers.values()) await l.close();
  }
}
