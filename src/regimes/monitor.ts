/**
 * A ledger's regimes kept current: an incremental evaluation fed by every commit, so obligations
 * and findings are answered at any time without re-reading the log.
 */
import type { Ledger, LedgerEntry } from '../ledger/ledger.js';
import { openEvaluation, regimeVersions } from './index.js';
import type { EvaluateOptions, Finding, Obligation, RecordEntry, RegimeChanges } from './types.js';

/** The record entry a regime reads, from a ledger entry (content fields only where held). */
export function recordOf(e: LedgerEntry): RecordEntry {
  const r: RecordEntry = { id: e.id, author: e.author, seq: e.seq, time: e.time };
  if (e.type !== undefined) {
    r.type = e.type;
    r.to = e.to;
    r.refs = e.refs;
    r.body = e.body;
  }
  return r;
}

export interface RegimeReport {
  at: string;
  regimes: { id: string; version: string }[];
  obligations: Obligation[];
  findings: Finding[];
}

export class RegimeMonitor {
  readonly #evaluation;
  readonly #unsubscribe: () => void;
  readonly #listeners = new Set<(changes: RegimeChanges) => void>();
  readonly #clock: () => number;
  /** Entries committed but not yet evaluated: the commit path only queues them. */
  #pending: LedgerEntry[] = [];
  #timer: NodeJS.Timeout | undefined;

  /** A monitor over everything `ledger` holds, following its commits from then on. */
  static async open(ledger: Ledger, options: Partial<EvaluateOptions> = {}): Promise<RegimeMonitor> {
    const monitor = new RegimeMonitor(ledger, options);
    // Commits during the read are queued by the listener; an entry seen twice is added once.
    for await (const e of ledger.all()) monitor.#evaluation.add(recordOf(e));
    return monitor;
  }

  private constructor(ledger: Ledger, options: Partial<EvaluateOptions>) {
    this.#clock = () => ledger.now();
    this.#evaluation = openEvaluation(options);
    this.#unsubscribe = ledger.onCommit((entries) => {
      for (const e of entries) this.#pending.push(e);
      // Live viewers get what changed shortly after; without viewers, evaluation waits for a reader.
      if (this.#listeners.size > 0 && !this.#timer) this.#timer = setTimeout(() => this.#publish(), 50);
    });
  }

  #catchUp(): boolean {
    let added = false;
    for (const e of this.#pending) added = this.#evaluation.add(recordOf(e)) || added;
    this.#pending = [];
    return added;
  }

  #publish(): void {
    this.#timer = undefined;
    if (!this.#catchUp() || this.#listeners.size === 0) return;
    const changes = this.#evaluation.update(this.#clock());
    if (changes.obligations.length || changes.findings.length || changes.obligationsRemoved.length || changes.findingsRemoved.length) {
      for (const l of this.#listeners) l(changes);
    }
  }

  /** Called with what changed after a commit (for the event stream). */
  onChange(listener: (changes: RegimeChanges) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  report(at: number = this.#clock()): RegimeReport {
    this.#catchUp();
    const r = this.#evaluation.result(at);
    return { at: new Date(at).toISOString(), regimes: regimeVersions(), obligations: r.obligations, findings: r.findings };
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#unsubscribe();
    this.#listeners.clear();
  }
}
