/**
 * A ledger's regimes kept current: an incremental evaluation fed by every commit, so obligations
 * and findings are answered at any time without re-reading the log. Listeners (the event stream,
 * the hotline's alarms) hear what changed after each commit and as deadlines pass.
 */
import type { Ledger, LedgerEntry } from '../ledger/ledger.js';
import type { RecordView } from '../catalogue/index.js';
import type { AgreementBook } from './agreement/index.js';
import type { RegimeDescription, Registry } from './assembly.js';
import type { RegimeReport, RegimeView } from './module.js';

export type { RegimeReport };
import type { EvaluateOptions, Finding, HeldEntry, Obligation, PartyCode, RecordEntry, RegimeChanges } from './types.js';

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

/** Every entry a ledger holds, as the regimes read them (what a live service's views are computed over). */
export async function recordsOf(ledger: Ledger): Promise<RecordEntry[]> {
  const out: RecordEntry[] = [];
  for await (const e of ledger.all()) out.push(recordOf(e));
  return out;
}

/** While someone listens, the evaluation time follows the clock at this step, so passing deadlines are heard. */
const TICK_MS = 250;

export class RegimeMonitor implements RecordView {
  readonly registry: Registry;
  readonly #evaluation;
  readonly #unsubscribe: () => void;
  readonly #listeners = new Set<(changes: RegimeChanges) => void>();
  readonly #clock: () => number;
  /** Entries committed but not yet evaluated: the commit path only queues them. */
  #pending: LedgerEntry[] = [];
  #timer: NodeJS.Timeout | undefined;
  #tick: NodeJS.Timeout | undefined;

  /** A monitor over everything `ledger` holds, following its commits from then on. */
  static async open(ledger: Ledger, registry: Registry, options: Partial<EvaluateOptions> = {}): Promise<RegimeMonitor> {
    const monitor = new RegimeMonitor(ledger, registry, options);
    // Commits during the read are queued by the listener; an entry seen twice is added once.
    for await (const e of ledger.all()) monitor.#evaluation.add(recordOf(e));
    return monitor;
  }

  private constructor(ledger: Ledger, registry: Registry, options: Partial<EvaluateOptions>) {
    this.registry = registry;
    this.#clock = () => ledger.now();
    this.#evaluation = registry.evaluation(options);
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
    this.#dispatch(this.#evaluation.update(this.#clock()));
  }

  /** Hears the deadlines that pass between commits. */
  #onTick(): void {
    if (this.#listeners.size > 0) this.refresh();
  }

  /** Brings the listeners up to the last commit and the clock now (a reader about to answer from what they keep). */
  refresh(): void {
    this.#catchUp();
    this.#dispatch(this.#evaluation.update(this.#clock()));
  }

  #dispatch(changes: RegimeChanges): void {
    if (changes.obligations.length || changes.findings.length || changes.obligationsRemoved.length || changes.findingsRemoved.length) {
      for (const l of this.#listeners) l(changes);
    }
  }

  /**
   * Called with what changed after a commit and when a deadline passes (for the event stream and
   * the live services). Call `report()` first for the state the changes start from.
   */
  onChange(listener: (changes: RegimeChanges) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#tick) {
      this.#tick = setInterval(() => this.#onTick(), TICK_MS);
      this.#tick.unref?.();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#tick) this.#tick = void clearInterval(this.#tick);
    };
  }

  report(at: number = this.#clock()): RegimeReport {
    this.#catchUp();
    const r = this.#evaluation.result(at);
    return { at: new Date(at).toISOString(), regimes: this.registry.versions(), obligations: r.obligations, findings: r.findings };
  }

  /** An entry this ledger holds (a stub has no type): what the agreement checks read at append and accept. */
  held(id: string): HeldEntry | undefined {
    this.#catchUp();
    return this.#evaluation.held(id);
  }

  /** The agreements in the record. */
  agreements(): AgreementBook {
    this.#catchUp();
    return this.#evaluation.agreements;
  }

  /** Regime `regimeId`'s terms binding `parties` at `at` (default now), as its evaluators read them. */
  terms<R>(regimeId: string, parties: readonly PartyCode[], at: number = this.#clock()): R {
    this.#catchUp();
    return this.#evaluation.terms<R>(regimeId, parties, at);
  }

  /** Every regime with its rules and terms in force as of `at` (GET /api/v1/regimes). */
  describe(at: number = this.#clock()): RegimeDescription[] {
    return this.registry.describe(this.agreements(), at);
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#tick) clearInterval(this.#tick);
    this.#unsubscribe();
    this.#listeners.clear();
  }
}
