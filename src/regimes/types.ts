/**
 * The vocabulary of regimes: what goes in (the entries a node holds), what comes out
 * (obligations and findings), and the small interface a regime implements so that the engine
 * can evaluate it fully or incrementally.
 *
 * A regime's output is a pure function of the entries, the regime's version and the evaluation
 * time `at`: two parties holding the same entries compute byte-identical JSON.
 */

export type PartyCode = string;
export type EntryId = string;

/**
 * One entry as a node holds it. `type`, `to`, `refs` and `body` are absent when the node holds
 * only the stub (it was not an addressee); regimes then see only that the author said something.
 */
export interface RecordEntry {
  id: EntryId;
  author: PartyCode;
  seq: number;
  /** The header time (RFC 3339, UTC, milliseconds, `Z`): when the author said it. */
  time: string;
  type?: string;
  to?: string[];
  refs?: EntryId[];
  body?: Record<string, unknown>;
}

export type ObligationStatus = 'open' | 'met' | 'met-late' | 'missed';

/** Something a party must do by a time because of the record (reply, notify, admit a team). */
export interface Obligation {
  /**
   * Stable while the obligation is open and after it is met: SHA-256 (hex) of the JSON array
   * `["obligation", rule, debtor, key, ...anchor]`, where the anchor is the ids of the entries that
   * created it (or, for a yearly obligation, `"STATE:YEAR"`; for a calendar entry, `"ID#d:designation"`).
   */
  id: string;
  rule: string;
  citation: string;
  /** The party that owes. */
  debtor: PartyCode;
  /** The parties owed; `["*"]` means every participating State. */
  creditors: PartyCode[];
  /** One line for a watch officer. */
  what: string;
  /** RFC 3339 UTC, milliseconds: met at this very millisecond still counts as met. */
  due: string;
  status: ObligationStatus;
  /** The entry that met the obligation (on time or late). */
  metBy?: EntryId;
  /** The entries that created the obligation, in record order. */
  evidence: EntryId[];
}

export type Severity = 'violation' | 'warning' | 'info';

/** A rule's verdict on the record: late, missing, over a threshold or ceiling, or worth knowing. */
export interface Finding {
  /** SHA-256 (hex) of the JSON array `["finding", rule, key, ...evidence]` (the key tells apart findings of one rule on the same entries). */
  id: string;
  rule: string;
  citation: string;
  severity: Severity;
  /** The party whose conduct the finding is about first, then the others concerned, sorted. */
  parties: PartyCode[];
  /** One line for a person. */
  explanation: string;
  /** The entries that prove it, in record order. */
  evidence: EntryId[];
  /** RFC 3339 UTC: when the finding became true (a deadline + 1 ms, or the time of the entry that made it true). */
  at: string;
}

/**
 * A rule as data: its id, its treaty paragraph and its figures. Every figure of a regime lives in
 * exactly one row, so that correcting a paragraph number or a threshold is a one-line change.
 */
export interface RuleRow {
  readonly id: string;
  /** e.g. `VD11 §38` (paragraph numbers as in /work/shared/DOMAIN.md, marked [T] there until confirmed). */
  readonly citation: string;
  readonly title: string;
  readonly description: string;
  readonly figures: Readonly<Record<string, number>>;
  /** For threshold rows: whether a figure is met `at-least` (≥) or only when exceeded (`more-than`, >). */
  readonly comparison?: 'at-least' | 'more-than';
}

/**
 * What an analyst may choose when reading the record. Nothing the parties agreed is here: agreed
 * figures are terms, read from the adopted agreements in the record (`GroupContext.terms`).
 */
export interface EvaluateOptions {
  /**
   * The threshold-gaming margin, as a fraction: a declared figure at or above
   * threshold × (1 − margin) and under the threshold gets a warning (Zapad-2017: 12,700 troops
   * declared against the 13,000 observation threshold, 2.3 % under). An analyst's warning
   * level (`--margin`), not an agreed figure: it makes warnings, never violations.
   */
  margin: number;
}

/** A problem in a terms object, at a field path relative to the regime's terms (`ackSeconds.flash`). */
export interface TermsProblem {
  field: string;
  /** Says what is wrong with the value, e.g. `is -1; it must be a positive number of seconds`. */
  message: string;
}

/**
 * The figures a network agrees for one regime (acknowledgement windows, zone ceilings, visit
 * quotas): how an agreement writes them, their defaults, and how an evaluator reads them.
 * An agreement proposal's terms are checked with `check` at append and at accept; a problem is
 * reported as `regimes.<regime id>.<field>`.
 */
export interface TermsSpec<R = unknown> {
  /** JSON Schema of the terms object an agreement sets (every field optional); served at GET /api/v1/regimes. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** The terms where no adopted agreement sets them, written as an agreement would write them. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** The first problem of a terms object, or undefined when an agreement may set it. */
  check(terms: unknown): TermsProblem | undefined;
  /** The terms an evaluator uses, from a checked terms object (undefined: the defaults). */
  resolve(terms: Readonly<Record<string, unknown>> | undefined): R;
}

export const DEFAULT_OPTIONS: Readonly<EvaluateOptions> = Object.freeze({ margin: 0.05 });

export interface RegimeResult {
  /** Sorted by `due`, then `id`. */
  obligations: Obligation[];
  /** Sorted by `at`, then `id`. */
  findings: Finding[];
}

/**
 * What changed in the result since the previous update of an incremental evaluation: what a live
 * view (the console's event stream) needs, without copying the whole result.
 */
export interface RegimeChanges {
  /** New or changed obligations (same id, new status, `metBy`, …), in result order. */
  obligations: Obligation[];
  /** Ids of obligations that are no longer in the result. */
  obligationsRemoved: string[];
  findings: Finding[];
  findingsRemoved: string[];
}

/**
 * The earliest receipt, by another party the entry is addressed to, that covers an entry: when
 * someone other than its author first held it (see `Evaluation`, "witnessed time").
 */
export interface Witness {
  /** The receipt's header time (ms). */
  readonly t: number;
  /** The receiving party, author of the receipt. */
  readonly party: PartyCode;
  /** Entry id of the receipt. */
  readonly receipt: EntryId;
}

/** An entry as the engine holds it: the record entry plus its parsed time. Immutable. */
export interface HeldEntry {
  readonly id: EntryId;
  readonly author: PartyCode;
  readonly seq: number;
  /**
   * The time the regimes judge the entry by (epoch ms): its header time, or — when the author's
   * claim is earlier than its witnessed time by more than the agreed tolerance — the witnessed time.
   */
  readonly t: number;
  /** The header time the author claims (epoch ms). */
  readonly claimed: number;
  /** Set when the earliest witness came more than a minute after the claim (WITNESS_FLOOR_MS). */
  readonly witnessed?: Witness;
  readonly type: string | undefined;
  readonly to: readonly string[];
  readonly refs: readonly EntryId[];
  readonly body: Readonly<Record<string, unknown>> | undefined;
  readonly entry: RecordEntry;
}

/** An obligation as an evaluator states it; the engine derives its id and formats its times. */
export interface ObligationInput {
  rule: RuleRow;
  /** Overrides the row's citation when one obligation rule has several paragraphs (e.g. §47.4 / §47.5). */
  citation?: string;
  debtor: PartyCode;
  creditors: readonly PartyCode[];
  what: string;
  due: number;
  status: ObligationStatus;
  metBy?: HeldEntry;
  evidence: readonly HeldEntry[];
  /**
   * The entry ids the obligation's id is derived from, when they are not exactly `evidence`
   * (e.g. an activity first known from a calendar keeps its id once the notification arrives).
   */
  anchor?: readonly string[];
  /** Extra words for the id when one rule creates several obligations from the same entries. */
  key?: string;
}

export interface FindingInput {
  rule: RuleRow;
  citation?: string;
  severity: Severity;
  parties: readonly PartyCode[];
  explanation: string;
  evidence: readonly HeldEntry[];
  at: number;
  /** Extra words for the id when one rule finds several things in the same entries. */
  key?: string;
  /**
   * The entry ids the finding's id is derived from, when they are not exactly `evidence` (a
   * deadline's finding keeps one id whether the answer came late or never).
   */
  anchor?: readonly string[];
}

/**
 * What an evaluator sees of the record while it evaluates one group, as of the evaluation time.
 *
 * Everything is filtered to the entries said at or before `at`, and every read is tracked: the
 * engine learns which later entries or which passing instants could change this group's output,
 * and re-evaluates it only then. That is why the evaluator is not given `at` itself: it asks
 * `reached(t)` (has the clock reached t?) and `currentYear()`, and the engine remembers the answer's
 * validity.
 */
export interface GroupContext {
  readonly options: Readonly<EvaluateOptions>;
  /** The group's member entries visible at `at`, in record order (time, author, seq, id). */
  members(): readonly HeldEntry[];
  /** An entry by id, if it is held and visible at `at`. */
  get(id: EntryId): HeldEntry | undefined;
  /** The visible entries whose refs (or body links, see `Regime.linksOf`) include `id`, in record order. */
  referrers(id: EntryId): readonly HeldEntry[];
  /** Has the evaluation time reached instant `t` (t ≤ at)? */
  reached(t: number): boolean;
  /** The UTC calendar year of the evaluation time. */
  currentYear(): number;
  /**
   * This regime's terms binding every one of `parties` at instant `t` (e.g. a message's header
   * time): those of the latest adopted agreement in force at `t` that names them all and sets
   * this regime's terms, else the defaults (see src/regimes/agreement). A tracked read: an
   * agreement adopted later re-evaluates the group.
   */
  terms<R>(parties: readonly PartyCode[], t: number): R;
  /**
   * The adopted agreement whose terms `terms(parties, t)` returns: its proposal's entry id and the
   * instant it came into force; undefined where the defaults apply. A tracked read, like `terms`.
   */
  agreement(parties: readonly PartyCode[], t: number): { readonly id: EntryId; readonly inForce: number } | undefined;
  obligation(o: ObligationInput): void;
  finding(f: FindingInput): void;
}

/**
 * A regime: rules as data plus evaluators. The engine groups entries by the keys `groupsOf`
 * returns and calls `evaluateGroup` for each group; a group's output may depend only on its
 * members and what it reads through the context.
 */
export interface Regime {
  readonly id: string;
  /** Findings are a pure function of the entries and this version: bump it when a rule changes. */
  readonly version: string;
  readonly title: string;
  readonly rules: readonly RuleRow[];
  /** The figures an agreement may set for this regime; absent: it has none. */
  readonly terms?: TermsSpec;
  /** The groups an entry belongs to (may be none, never the same twice). Must depend only on the entry itself. */
  groupsOf(entry: HeldEntry): readonly string[];
  /**
   * Entry ids that a body field names (besides the content's `refs`), e.g. the notification an
   * observer report is about. They are indexed like refs: `ctx.referrers(id)` finds the entry.
   */
  linksOf?(entry: HeldEntry): readonly string[];
  evaluateGroup(key: string, ctx: GroupContext): void;
  /**
   * The witness tolerance in ms, from this regime's resolved terms: the regime whose terms say how
   * much earlier than its first witness an author's claim may be (the first regime of an evaluation
   * that has this sets it for all; without one, DEFAULT_WITNESS_TOLERANCE_MS).
   */
  witnessTolerance?(terms: unknown): number;
  /** Full evaluation of this regime alone. */
  evaluate(entries: Iterable<RecordEntry>, at: Date | number, options?: Partial<EvaluateOptions>): RegimeResult;
}
