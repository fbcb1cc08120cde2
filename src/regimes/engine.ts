/**
 * The regime engine: from the entries a node holds and an evaluation time, the obligations and
 * findings of every regime — fully (`evaluate`) or incrementally (`Evaluation`), with the same
 * result either way.
 *
 * Pure: no I/O, no clock. The evaluation time is a parameter, and only entries said at or before
 * it are considered, so `--at 2022-02-13T12:00:00Z` replays the record as it stood then.
 *
 * How it stays fast. A regime sorts each entry into groups (`groupsOf`): a request and its
 * replies, one State's activities, one receiving State's inspections in a year. A group's output
 * depends only on what its evaluator reads through the `GroupContext`, and the context records
 * every read: which entries (by id or by reference) it looked for, and between which instants its
 * answer stays the same (the nearest entry times and deadlines on either side of `at`). Adding an
 * entry marks only the groups that read it, moving `at` re-evaluates only the groups whose
 * validity it leaves, and the sorted output is patched rather than rebuilt.
 *
 * @example
 *   const ev = new Evaluation(REGIMES);
 *   for (const e of entries) ev.add(e);
 *   const { obligations, findings } = ev.result(Date.parse('2022-02-14T00:00:00.000Z'));
 */
import * as crypto from 'node:crypto';
import { sha256hex } from '../protocol/bytes.js';
import { ParleyError } from '../protocol/errors.js';
import { AgreementBook } from './agreement/book.js';
import { unreached } from './addressing.js';
import {
  DEFAULT_OPTIONS,
  type EvaluateOptions,
  type Finding,
  type FindingInput,
  type GroupContext,
  type HeldEntry,
  type Obligation,
  type ObligationInput,
  type ObligationStatus,
  type PartyCode,
  type RecordEntry,
  type Regime,
  type RegimeChanges,
  type RegimeResult,
  type RuleRow,
  type Severity,
  type Witness,
} from './types.js';

const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Record order: time, then author, seq and id — the same at every party whatever the arrival order. */
export function compareHeld(a: HeldEntry, b: HeldEntry): number {
  return a.t - b.t || cmpStr(a.author, b.author) || a.seq - b.seq || cmpStr(a.id, b.id);
}

const compareObligations = (a: Obligation, b: Obligation): number => cmpStr(a.due, b.due) || cmpStr(a.id, b.id);
const compareFindings = (a: Finding, b: Finding): number => cmpStr(a.at, b.at) || cmpStr(a.id, b.id);

// Node ≥ 20.12 has a one-shot crypto.hash, several times cheaper than createHash for short input.
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const sha256hexOf = (text: string): string => (oneShot ? oneShot('sha256', text, 'hex') : sha256hex(Buffer.from(text)));

/** Index of the first element of `list` (sorted by `cmp`) that sorts after `x`. */
function upperBound<T>(list: readonly T[], x: T, cmp: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid], x) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound<T>(list: readonly T[], x: T, cmp: (a: T, b: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(list[mid], x) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many entries of a list in record order were said at or before `at`. */
function visibleCount(list: readonly HeldEntry[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].t <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(list: HeldEntry[], h: HeldEntry): void {
  const i = upperBound(list, h, compareHeld);
  if (i === list.length) list.push(h);
  else list.splice(i, 0, h);
}

/** The evaluation time as epoch milliseconds. */
export function toMillis(at: Date | number): number {
  const ms = at instanceof Date ? at.getTime() : at;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `evaluation time ${String(at)} is not a valid instant`);
  return ms;
}

export function resolveOptions(options: Partial<EvaluateOptions> = {}): Readonly<EvaluateOptions> {
  const margin = options.margin ?? DEFAULT_OPTIONS.margin;
  if (typeof margin !== 'number' || !(margin >= 0 && margin < 1)) {
    throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `margin ${String(margin)} is not a fraction in [0, 1) (0.05 means 5 %)`);
  }
  return Object.freeze({ margin });
}

/** Resolved terms per regime and terms object: evaluators re-read them at every re-evaluation. */
const resolvedTerms = new WeakMap<Regime, { defaults?: unknown; of: WeakMap<object, unknown> }>();

/** A regime's terms from an agreement's terms object (undefined: its defaults), resolved once. */
export function resolveRegimeTerms<R>(regime: Regime, raw: Readonly<Record<string, unknown>> | undefined): R {
  const spec = regime.terms;
  if (!spec) return undefined as R;
  let cache = resolvedTerms.get(regime);
  if (!cache) resolvedTerms.set(regime, (cache = { of: new WeakMap() }));
  if (raw === undefined) return (cache.defaults ??= spec.resolve(undefined)) as R;
  let r = cache.of.get(raw);
  if (r === undefined) cache.of.set(raw, (r = spec.resolve(raw)));
  return r as R;
}

export function holdEntry(entry: RecordEntry): HeldEntry {
  const t = Date.parse(entry.time);
  if (!Number.isFinite(t)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `entry ${entry.id} has time ${JSON.stringify(entry.time)}, not RFC 3339`);
  return Object.freeze({
    id: entry.id,
    author: entry.author,
    seq: entry.seq,
    t,
    claimed: t,
    type: entry.type,
    to: entry.to ?? [],
    refs: entry.refs ?? [],
    body: entry.body,
    entry,
  });
}

class Group {
  readonly members: HeldEntry[] = [];
  dirty = true;
  /** Bumped at each evaluation, so that stale entries of the expiry heap are recognised. */
  stamp = 0;
  /** The output below is valid for evaluation times in [from, until). */
  from = Infinity;
  until = -Infinity;
  obligations: Obligation[] = [];
  findings: Finding[] = [];
  constructor(
    readonly regime: Regime,
    readonly key: string,
  ) {}
}

/** The part of an Evaluation a group's context reads. */
interface Store {
  readonly byId: Map<string, HeldEntry>;
  readonly referrers: Map<string, HeldEntry[]>;
  readonly options: Readonly<EvaluateOptions>;
  readonly agreements: AgreementBook;
  /** The group read entry `id` (`byId`), the entries referring to it (`refs`), or regime `id`'s terms (`terms`). */
  depend(kind: 'byId' | 'refs' | 'terms', id: string, group: Group): void;
  hash(parts: readonly string[]): string;
}

const NONE: readonly HeldEntry[] = Object.freeze([]);

class Context implements GroupContext {
  from = -Infinity;
  until = Infinity;
  readonly obligations: Obligation[] = [];
  readonly findings: Finding[] = [];
  readonly options: Readonly<EvaluateOptions>;

  constructor(
    private readonly store: Store,
    private readonly group: Group,
    private readonly at: number,
  ) {
    this.options = store.options;
  }

  /** Instant `t` is a point where this group's output may change. */
  #changePoint(t: number): void {
    if (t <= this.at) {
      if (t > this.from) this.from = t;
    } else if (t < this.until) this.until = t;
  }

  #visible(list: readonly HeldEntry[]): readonly HeldEntry[] {
    const n = visibleCount(list, this.at);
    if (n > 0) this.#changePoint(list[n - 1].t);
    if (n < list.length) this.#changePoint(list[n].t);
    return n === list.length ? list : list.slice(0, n);
  }

  members(): readonly HeldEntry[] {
    return this.#visible(this.group.members);
  }

  get(id: string): HeldEntry | undefined {
    this.store.depend('byId', id, this.group);
    const h = this.store.byId.get(id);
    if (!h) return undefined;
    this.#changePoint(h.t);
    return h.t <= this.at ? h : undefined;
  }

  referrers(id: string): readonly HeldEntry[] {
    this.store.depend('refs', id, this.group);
    return this.#visible(this.store.referrers.get(id) ?? NONE);
  }

  reached(t: number): boolean {
    this.#changePoint(t);
    return t <= this.at;
  }

  currentYear(): number {
    const y = utcYear(this.at);
    this.#changePoint(Date.UTC(y, 0, 1));
    this.#changePoint(Date.UTC(y + 1, 0, 1));
    return y;
  }

  terms<R>(parties: readonly PartyCode[], t: number): R {
    const regime = this.group.regime;
    this.store.depend('terms', regime.id, this.group);
    const binding = this.store.agreements.binding(regime.id, parties, Math.min(t, this.at), (inForce) => this.#changePoint(inForce));
    return resolveRegimeTerms<R>(regime, binding?.body.terms[regime.id]);
  }

  agreement(parties: readonly PartyCode[], t: number): { readonly id: string; readonly inForce: number } | undefined {
    const regime = this.group.regime;
    this.store.depend('terms', regime.id, this.group);
    const binding = this.store.agreements.binding(regime.id, parties, Math.min(t, this.at), (inForce) => this.#changePoint(inForce));
    return binding && { id: binding.proposal.id, inForce: binding.inForce };
  }

  obligation(o: ObligationInput): void {
    const evidence = o.evidence.map((h) => h.id);
    const id = this.store.hash(['obligation', o.rule.id, o.debtor, o.key ?? '', ...(o.anchor ?? evidence)]);
    const rule = o.rule.id;
    const citation = o.citation ?? o.rule.citation;
    const creditors = normaliseCreditors(o.creditors);
    const due = isoTime(o.due);
    // Two literal shapes (with and without metBy), so that key order is fixed for JSON.
    const out: Obligation = o.metBy
      ? { id, rule, citation, debtor: o.debtor, creditors, what: o.what, due, status: o.status, metBy: o.metBy.id, evidence }
      : { id, rule, citation, debtor: o.debtor, creditors, what: o.what, due, status: o.status, evidence };
    this.obligations.push(Object.freeze(out));
  }

  finding(f: FindingInput): void {
    const evidence = f.evidence.map((h) => h.id);
    const out: Finding = {
      id: this.store.hash(['finding', f.rule.id, f.key ?? '', ...(f.anchor ?? evidence)]),
      rule: f.rule.id,
      citation: f.citation ?? f.rule.citation,
      severity: f.severity,
      parties: normaliseParties(f.parties),
      explanation: f.explanation,
      evidence,
      at: isoTime(f.at),
    };
    this.findings.push(Object.freeze(out));
  }
}

function normaliseCreditors(list: readonly PartyCode[]): PartyCode[] {
  if (list.length === 1) return [list[0]];
  if (list.includes('*')) return ['*'];
  return [...new Set(list)].sort(cmpStr);
}

/** The party the finding is about stays first; the others are sorted, without repeats. */
function normaliseParties(list: readonly PartyCode[]): PartyCode[] {
  if (list.length === 0) return [];
  if (list.length === 1) return [list[0]];
  const [first, ...rest] = list;
  return [first, ...[...new Set(rest)].filter((p) => p !== first && p !== '*').sort(cmpStr)];
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function sameObligation(a: Obligation, b: Obligation): boolean {
  return (
    a.id === b.id &&
    a.status === b.status &&
    a.due === b.due &&
    a.metBy === b.metBy &&
    a.what === b.what &&
    a.rule === b.rule &&
    a.citation === b.citation &&
    a.debtor === b.debtor &&
    sameList(a.creditors, b.creditors) &&
    sameList(a.evidence, b.evidence)
  );
}

function sameFinding(a: Finding, b: Finding): boolean {
  return (
    a.id === b.id &&
    a.at === b.at &&
    a.severity === b.severity &&
    a.explanation === b.explanation &&
    a.rule === b.rule &&
    a.citation === b.citation &&
    sameList(a.parties, b.parties) &&
    sameList(a.evidence, b.evidence)
  );
}

// ---------------------------------------------------------------------------------------------
// Witnessed time.
//
// An entry's time for the regimes is bounded by when other parties first held it. Receipts are
// entries of the receiving party's log, signed by it, with its own header time. Each party the
// entry is addressed to (any other party for "*") has a first receipt covering it — among its
// receipts addressed to everyone who holds the entry (its author and addressees, or "*"), the one
// with the smallest `upto` at or above its seq; the earliest of those is its witness. When the author's claimed time is earlier than the witness's time by more
// than the tolerance (a term agreed between the author and that party; default 10 minutes), the
// regimes judge the entry at the witness's time, and the regime that sets the tolerance states it
// as a finding. A pure function of the entries held: the same at every party holding them.

/** Default witness tolerance: a claim at most this much earlier than its first witness stands. */
export const DEFAULT_WITNESS_TOLERANCE_MS = 10 * 60_000;
/** The least tolerance an agreement may set; a witness within this of the claim is not even recorded on the entry. */
export const WITNESS_FLOOR_MS = 60_000;
const RECEIPT = 'receipt';

/**
 * One party's receipts of one author's log, by `upto` (sorted), every one kept. An entry's receipt
 * by that party is the one with the smallest `upto` at or above its seq among those that count for
 * the entry (addressed to everyone who holds it; earliest first when two name the same `upto`). A
 * receipt that does not count for the entry is skipped, never a reason to stop: every holder of
 * the entry reads the receipts that count, and only those, so every holder finds the same one.
 */
class ReceiptsOf {
  readonly upto: number[] = [];
  /** Per `upto`, its receipts, earliest first. */
  readonly at: { w: Witness; to: readonly string[] }[][] = [];

  /**
   * Adds a receipt; returns the seq range (lo, hi] whose receipt may have changed: down to the
   * nearest lower receipt addressed to "*" (it counts for every entry, so nothing below it moves).
   */
  add(upto: number, w: Witness, to: readonly string[]): [number, number] | undefined {
    let i = this.upto.length;
    while (i > 0 && this.upto[i - 1] >= upto) i--;
    if (this.upto[i] === upto) {
      const list = this.at[i];
      if (list.some((r) => r.w.receipt === w.receipt)) return undefined;
      list.push({ w, to });
      list.sort((a, b) => (earlier(a.w, b.w) ? -1 : earlier(b.w, a.w) ? 1 : 0));
    } else {
      this.upto.splice(i, 0, upto);
      this.at.splice(i, 0, [{ w, to }]);
    }
    let lo = 0;
    for (let j = i - 1; j >= 0; j--) {
      if (this.at[j].some((r) => r.to.length === 1 && r.to[0] === '*')) {
        lo = this.upto[j];
        break;
      }
    }
    return [lo, upto];
  }

  /** The first receipt covering `seq` that `counts`. */
  covering(seq: number, counts: (to: readonly string[]) => boolean): { w: Witness; to: readonly string[] } | undefined {
    let lo = 0;
    let hi = this.upto.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.upto[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.upto.length; i++) {
      for (const r of this.at[i]) if (counts(r.to)) return r;
    }
    return undefined;
  }
}

/**
 * Whether every party that holds `h` holds a receipt addressed to `to` by `party`: a witness
 * counts only where all who judge the entry can read it (no finding rests on a stub).
 */
function heldByAudience(to: readonly string[], h: HeldEntry, party: string): boolean {
  if (to.length === 1 && to[0] === '*') return true;
  if (h.to.length === 1 && h.to[0] === '*') return false;
  return to.includes(h.author) && h.to.every((p) => p === party || to.includes(p));
}

const earlier = (a: Witness, b: Witness): boolean => a.t < b.t || (a.t === b.t && a.receipt < b.receipt);

/** Above this many changed items, the sorted output is rebuilt rather than patched. */
const PATCH_LIMIT = 2000;

/**
 * An incremental evaluation: add entries in any order, ask for the result at any time; the
 * answer is the same as `evaluate` over the same entries at the same time.
 */
export class Evaluation {
  readonly #regimes: readonly Regime[];
  readonly #store: Store;
  readonly #byId = new Map<string, HeldEntry>();
  readonly #referrers = new Map<string, HeldEntry[]>();
  /** Per regime, its groups by key. */
  readonly #groups = new Map<Regime, Map<string, Group>>();
  /** Groups that read an entry by id, or the entries referring to an id. */
  readonly #deps = { byId: new Map<string, Set<Group>>(), refs: new Map<string, Set<Group>>(), terms: new Map<string, Set<Group>>() };
  readonly #agreements = new AgreementBook();
  readonly #hashes = new Map<string, string>();
  /** Groups an added entry may have changed. */
  readonly #dirty = new Set<Group>();
  /** When each group's output stops being valid as time moves forward. */
  readonly #expiry = new ExpiryHeap();
  #lastAt = -Infinity;
  /** Set when an evaluator threw: the sorted output is rebuilt at the next update. */
  #rebuild = false;
  #obligations: Obligation[] = [];
  #findings: Finding[] = [];
  /** Per author, per receiving party: its receipts of the author's log (witnessed time). */
  readonly #receipts = new Map<string, Map<string, ReceiptsOf>>();
  /** Per author that has receipts, its entries held with content, by seq (the entries a receipt may witness); made at its first receipt. */
  readonly #bySeq = new Map<string, Map<number, HeldEntry>>();
  /** Entries held with a witness recorded: judged again when the tolerance's terms change. */
  readonly #witnessed = new Set<string>();
  /** The regime whose terms set the witness tolerance. */
  readonly #timing: Regime | undefined;

  constructor(regimes: readonly Regime[], options: Partial<EvaluateOptions> = {}) {
    const ids = regimes.map((r) => r.id);
    if (new Set(ids).size !== ids.length) throw new ParleyError('PARLEY_ERR_INTERNAL', `a regime is listed twice: ${ids.join(', ')}`);
    this.#regimes = [...regimes];
    this.#timing = regimes.find((r) => r.witnessTolerance !== undefined);
    for (const r of regimes) this.#groups.set(r, new Map());
    const deps = this.#deps;
    const hashes = this.#hashes;
    this.#store = {
      byId: this.#byId,
      referrers: this.#referrers,
      options: resolveOptions(options),
      agreements: this.#agreements,
      depend(kind, id, group) {
        const map = deps[kind];
        let set = map.get(id);
        if (!set) map.set(id, (set = new Set()));
        set.add(group);
      },
      // Ids are SHA-256 over the JSON array of ASCII words (identical to its RFC 8785 form).
      hash(parts) {
        const text = JSON.stringify(parts);
        let h = hashes.get(text);
        if (h === undefined) hashes.set(text, (h = sha256hexOf(text)));
        return h;
      },
    };
  }

  /** How many entries are held. */
  get size(): number {
    return this.#byId.size;
  }

  /** An entry held, by id (a stub has no `type`). */
  held(id: string): HeldEntry | undefined {
    return this.#byId.get(id);
  }

  /** The agreements of the entries held (see src/regimes/agreement). */
  get agreements(): AgreementBook {
    return this.#agreements;
  }

  /**
   * Regime `regimeId`'s terms binding every one of `parties` at instant `t`, as its evaluators
   * read them (for a live service that schedules by them, e.g. the hotline's link tests).
   */
  terms<R>(regimeId: string, parties: readonly PartyCode[], t: number): R {
    const regime = this.#regimes.find((r) => r.id === regimeId);
    if (!regime) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `no regime ${regimeId} in this evaluation`);
    return resolveRegimeTerms<R>(regime, this.#agreements.binding(regimeId, parties, t)?.body.terms[regimeId]);
  }

  /**
   * Adds one entry; returns false if an entry with that id is already held — unless it was held as
   * a stub and now comes with its content, which replaces the stub.
   */
  add(entry: RecordEntry): boolean {
    const known = this.#byId.get(entry.id);
    if (known) {
      if (known.type !== undefined || entry.type === undefined) return false;
      this.#forgetStub(known);
    }
    const claimed = holdEntry(entry);
    // An agreement re-evaluates the groups that read the terms of a regime it names. The book
    // takes agreements at the times their parties signed: every party named signs its own.
    const regimes = this.#agreements.add(claimed);
    const h = this.#timed(claimed);
    this.#byId.set(h.id, h);
    if (h.witnessed) this.#witnessed.add(h.id);
    this.#touch(this.#deps.byId, h.id);
    this.#place(h);
    if (h.type !== undefined && h.type !== RECEIPT) {
      // Indexed only for an author that has receipts: an index for every author costs add() more than all else it does.
      this.#bySeq.get(h.author)?.set(h.seq, h);
    }
    for (const regime of regimes) this.#touch(this.#deps.terms, regime);
    if (this.#timing && regimes.includes(this.#timing.id)) this.#retimeAll();
    if (h.type === RECEIPT) this.#receipt(h);
    return true;
  }

  /** Puts a held entry into the referrer lists and its groups. */
  #place(h: HeldEntry): void {
    let links: Iterable<string> = h.refs;
    for (const regime of this.#regimes) {
      const more = regime.linksOf?.(h);
      if (more && more.length > 0) links = [...links, ...more];
    }
    if (h.refs.length > 1 || links !== h.refs) links = new Set(links);
    for (const r of links) {
      let list = this.#referrers.get(r);
      if (!list) this.#referrers.set(r, (list = []));
      insertSorted(list, h);
      this.#touch(this.#deps.refs, r);
    }
    for (const regime of this.#regimes) {
      const groups = this.#groups.get(regime)!;
      for (const key of regime.groupsOf(h)) {
        let g = groups.get(key);
        if (!g) groups.set(key, (g = new Group(regime, key)));
        insertSorted(g.members, h);
        this.#mark(g);
      }
    }
  }

  /** Takes a held entry out of the referrer lists and its groups (before it is placed again, re-timed). */
  #unplace(h: HeldEntry): void {
    const links = new Set<string>(h.refs);
    for (const regime of this.#regimes) for (const r of regime.linksOf?.(h) ?? []) links.add(r);
    for (const r of links) {
      const list = this.#referrers.get(r);
      const i = list ? list.indexOf(h) : -1;
      if (i < 0) continue;
      list!.splice(i, 1);
      this.#touch(this.#deps.refs, r);
    }
    for (const regime of this.#regimes) {
      const groups = this.#groups.get(regime)!;
      for (const key of regime.groupsOf(h)) {
        const g = groups.get(key);
        if (!g) continue;
        const i = g.members.indexOf(h);
        if (i >= 0) g.members.splice(i, 1);
        this.#mark(g);
      }
    }
  }

  /** The witness tolerance between an author and a receiving party at instant t (ms). */
  #tolerance(author: string, party: string, t: number): number {
    const r = this.#timing;
    if (!r) return DEFAULT_WITNESS_TOLERANCE_MS;
    return r.witnessTolerance!(resolveRegimeTerms(r, this.#agreements.binding(r.id, [author, party], t)?.body.terms[r.id]));
  }

  /** `h` (as claimed) with its witness and the time the regimes judge it by. */
  #timed(h: HeldEntry): HeldEntry {
    if (h.type === undefined || h.type === RECEIPT) return h;
    const per = this.#receipts.get(h.author);
    if (!per) return h;
    const broadcast = h.to.length === 1 && h.to[0] === '*';
    let best: Witness | undefined;
    for (const [party, receipts] of per) {
      if (party === h.author || (!broadcast && !h.to.includes(party))) continue;
      const r = receipts.covering(h.seq, (to) => heldByAudience(to, h, party));
      if (r && (!best || earlier(r.w, best))) best = r.w;
    }
    if (!best || best.t - h.claimed <= WITNESS_FLOOR_MS) return h;
    const t = h.claimed < best.t - this.#tolerance(h.author, best.party, best.t) ? best.t : h.claimed;
    return Object.freeze({ ...h, t, witnessed: best });
  }

  /** Judges a held entry's time again (a receipt came, or the tolerance changed): re-placed if it changed. */
  #retime(id: string): void {
    const old = this.#byId.get(id);
    if (!old || old.type === undefined) return;
    const next = this.#timed(holdEntry(old.entry));
    if (next.t === old.t && next.witnessed?.receipt === old.witnessed?.receipt) return;
    this.#unplace(old);
    this.#byId.set(id, next);
    this.#bySeq.get(next.author)?.set(next.seq, next);
    if (next.witnessed) this.#witnessed.add(id);
    else this.#witnessed.delete(id);
    this.#touch(this.#deps.byId, id);
    this.#place(next);
  }

  #retimeAll(): void {
    for (const id of [...this.#witnessed]) this.#retime(id);
  }

  /** A receipt: the entries of its author's log it witnesses earlier than before are judged again. */
  #receipt(r: HeldEntry): void {
    const of = r.body?.of;
    const upto = r.body?.upto;
    if (typeof of !== 'string' || of === r.author || typeof upto !== 'number' || !Number.isSafeInteger(upto) || upto < 1) return;
    // A receipt the author it covers does not hold witnesses nothing (heldByAudience), and is not indexed.
    if (!(r.to.length === 1 && r.to[0] === '*') && !r.to.includes(of)) return;
    let per = this.#receipts.get(of);
    if (!per) this.#receipts.set(of, (per = new Map()));
    let receipts = per.get(r.author);
    if (!receipts) per.set(r.author, (receipts = new ReceiptsOf()));
    const changed = receipts.add(upto, Object.freeze({ t: r.claimed, party: r.author, receipt: r.id }), r.to);
    if (!changed) return;
    let held = this.#bySeq.get(of);
    if (!held) {
      this.#bySeq.set(of, (held = new Map()));
      for (const h of this.#byId.values()) if (h.author === of && h.type !== undefined && h.type !== RECEIPT) held.set(h.seq, h);
    }
    const [lo, hi] = changed;
    // The range walked is bounded by what is held (a receipt's `upto` may be anything).
    if (hi - lo <= held.size) {
      for (let seq = lo + 1; seq <= hi; seq++) {
        const h = held.get(seq);
        if (h) this.#retime(h.id);
      }
    } else for (const [seq, h] of held) if (seq > lo && seq <= hi) this.#retime(h.id);
  }

  /** Takes a stub out of its groups before its full entry is added in its place. */
  #forgetStub(stub: HeldEntry): void {
    // A regime may index stubs by a link of their own (who said something this node cannot read):
    // the stub leaves those lists too, and the groups that read them look again.
    this.#unplace(stub);
    this.#byId.delete(stub.id);
  }

  addAll(entries: Iterable<RecordEntry>): this {
    for (const e of entries) this.add(e);
    return this;
  }

  #touch(deps: Map<string, Set<Group>>, id: string): void {
    const set = deps.get(id);
    if (set) for (const g of set) this.#mark(g);
  }

  *#allGroups(): Iterable<Group> {
    for (const groups of this.#groups.values()) yield* groups.values();
  }

  #mark(g: Group): void {
    g.dirty = true;
    this.#dirty.add(g);
  }

  /**
   * The groups to evaluate at `at`: those an added entry touched, and those whose output expired.
   * Moving forward in time, the expiry heap names them; moving back (a replay, `--at` in the
   * past), every group is checked.
   */
  #due(at: number): Group[] {
    const out = new Set<Group>(this.#dirty);
    if (at < this.#lastAt) {
      for (const g of this.#allGroups()) if (at < g.from || at >= g.until) out.add(g);
    } else {
      for (let top = this.#expiry.peek(); top && top.until <= at; top = this.#expiry.peek()) {
        this.#expiry.pop();
        if (top.stamp === top.group.stamp) out.add(top.group);
      }
    }
    this.#dirty.clear();
    this.#lastAt = at;
    return [...out];
  }

  /** The obligations and findings of every regime at evaluation time `at` (a snapshot: the arrays are the caller's). */
  result(at: Date | number): RegimeResult {
    this.update(at);
    return { obligations: this.#obligations.slice(), findings: this.#findings.slice() };
  }

  /**
   * Brings the evaluation to time `at` and says what changed since the previous update or result.
   * This is the incremental step: its cost follows what changed, not the size of the result.
   */
  update(at: Date | number): RegimeChanges {
    const ms = toMillis(at);
    const goneO: Obligation[] = [];
    const newO: Obligation[] = [];
    const goneF: Finding[] = [];
    const newF: Finding[] = [];
    let evaluated = 0;
    const due = this.#due(ms);
    for (const g of due) {
      evaluated++;
      const ctx = new Context(this.#store, g, ms);
      try {
        g.regime.evaluateGroup(g.key, ctx);
      } catch (err) {
        // An evaluator bug must not leave the output half patched: evaluate everything again next time.
        for (const x of due) this.#mark(x);
        this.#rebuild = true;
        throw new ParleyError('PARLEY_ERR_INTERNAL', `regime ${g.regime.id} failed on group ${g.key}: ${err instanceof Error ? err.message : String(err)}`);
      }
      g.dirty = false;
      g.from = ctx.from;
      g.until = ctx.until;
      g.stamp++;
      if (g.until !== Infinity) this.#expiry.push({ until: g.until, group: g, stamp: g.stamp });
      g.obligations = diff(g.obligations, ctx.obligations, sameObligation, goneO, newO);
      g.findings = diff(g.findings, ctx.findings, sameFinding, goneF, newF);
    }
    if (evaluated > 0) {
      const changes = goneO.length + newO.length + goneF.length + newF.length;
      if (changes > PATCH_LIMIT || this.#rebuild) {
        this.#rebuild = false;
        const allO: Obligation[] = [];
        const allF: Finding[] = [];
        for (const g of this.#allGroups()) {
          for (const o of g.obligations) allO.push(o);
          for (const f of g.findings) allF.push(f);
        }
        this.#obligations = allO.sort(compareObligations);
        this.#findings = allF.sort(compareFindings);
      } else {
        patch(this.#obligations, goneO, newO, compareObligations);
        patch(this.#findings, goneF, newF, compareFindings);
      }
    }
    return {
      obligations: goneO.length === 0 && newO.length === this.#obligations.length ? this.#obligations.slice() : newO.sort(compareObligations),
      obligationsRemoved: removedIds(goneO, newO),
      findings: goneF.length === 0 && newF.length === this.#findings.length ? this.#findings.slice() : newF.sort(compareFindings),
      findingsRemoved: removedIds(goneF, newF),
    };
  }
}

interface Expiry {
  until: number;
  group: Group;
  stamp: number;
}

/** A binary min-heap of group expiries (stale entries are skipped by stamp when popped). */
class ExpiryHeap {
  readonly #a: Expiry[] = [];

  peek(): Expiry | undefined {
    return this.#a[0];
  }

  push(x: Expiry): void {
    const a = this.#a;
    let i = a.push(x) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].until <= x.until) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = x;
  }

  pop(): Expiry | undefined {
    const a = this.#a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1].until < a[l].until ? l + 1 : l;
        if (a[c].until >= last.until) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/** Ids that were in the output and are in it no longer (not merely changed). */
function removedIds(gone: readonly { id: string }[], added: readonly { id: string }[]): string[] {
  if (gone.length === 0) return [];
  const still = new Set(added.map((x) => x.id));
  return gone.filter((x) => !still.has(x.id)).map((x) => x.id).sort(cmpStr);
}

/**
 * What changed between a group's previous and current output, by id. Returns the output to keep:
 * unchanged items stay the very objects already in the sorted lists, so they can be found there.
 */
function diff<T extends { id: string }>(before: readonly T[], after: readonly T[], same: (a: T, b: T) => boolean, gone: T[], added: T[]): T[] {
  if (before.length === 0) {
    for (const x of after) added.push(x);
    return after as T[];
  }
  const old = new Map(before.map((x) => [x.id, x]));
  const kept = after.map((x) => {
    const was = old.get(x.id);
    if (was && same(was, x)) {
      old.delete(x.id);
      return was;
    }
    added.push(x);
    return x;
  });
  // What is left was removed or replaced by a changed version.
  for (const x of old.values()) gone.push(x);
  return kept;
}

function patch<T>(list: T[], gone: readonly T[], added: readonly T[], cmp: (a: T, b: T) => number): void {
  for (const x of gone) {
    const i = lowerBound(list, x, cmp);
    if (list[i] !== x) throw new ParleyError('PARLEY_ERR_INTERNAL', 'regime output index out of step (two groups produced the same id?)');
    list.splice(i, 1);
  }
  for (const x of added) list.splice(upperBound(list, x, cmp), 0, x);
}

/** Full evaluation: the obligations and findings of `regimes` over `entries` at time `at`. */
export function evaluate(regimes: readonly Regime[], entries: Iterable<RecordEntry>, at: Date | number, options: Partial<EvaluateOptions> = {}): RegimeResult {
  return new Evaluation(regimes, options).addAll(entries).result(at);
}

// ---------------------------------------------------------------------------------------------
// Helpers every regime uses.

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The last millisecond of a UTC calendar day: "by 15 November" is met until 15 Nov 23:59:59.999Z. */
export function endOfDayUtc(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day, 23, 59, 59, 999);
}

/** Year, month (1–12) and day of the UTC day containing `t` (H. Hinnant's civil-from-days; no Date object). */
function civil(t: number): [number, number, number] {
  const z = Math.floor(t / DAY) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** The UTC calendar year of an instant. */
export function utcYear(t: number): number {
  return civil(t)[0];
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** RFC 3339 UTC with milliseconds, as Protocol v1 writes times (same as Date#toISOString for years 0–9999). */
export function isoTime(t: number): string {
  if (!(t >= 0 && t < 253402300800000)) return new Date(t).toISOString();
  const [y, m, d] = civil(t);
  const ms = t - Math.floor(t / DAY) * DAY;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(Math.floor(ms / HOUR), 2)}:${pad(Math.floor(ms / 60_000) % 60, 2)}:${pad(Math.floor(ms / 1000) % 60, 2)}.${pad(ms % 1000, 3)}Z`;
}

/** A body time (RFC 3339, any offset) in epoch ms, or undefined if it is not one. */
export function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  let t = parsed.get(v);
  if (t === undefined) {
    if (parsed.size >= 100_000) parsed.clear();
    parsed.set(v, (t = Date.parse(v)));
  }
  return Number.isFinite(t) ? t : undefined;
}
// Evaluators re-read the same body times at every re-evaluation; parsing is a pure function of the text.
const parsed = new Map<string, number>();

/** A duration as a person reads it, to the two largest units: "30 d 4 h", "2 h 5 min", "1 ms". */
export function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', DAY],
    ['h', HOUR],
    ['min', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  let rest = Math.max(0, Math.round(ms));
  const parts: string[] = [];
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n} ${name}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((p) => !p.startsWith('0 '));
  return shown.length ? shown.join(' ') : '0 ms';
}

/** A count as the treaty writes it: 12,700. */
export function count(n: number): string {
  const s = String(Math.abs(Math.trunc(n)));
  let out = '';
  for (let i = s.length; i > 0; i -= 3) out = (i > 3 ? ',' : '') + s.slice(Math.max(0, i - 3), i) + out;
  return (n < 0 ? '-' : '') + out;
}

export { unreached };

/**
 * The information finding for an entry that does not count because `missing` (from `unreached`),
 * which hold `judged`, cannot read it: for the parties that can, who would otherwise wonder why.
 */
export function doesNotCount(ctx: GroupContext, f: { rule: RuleRow; citation?: string; h: HeldEntry; judged: HeldEntry; missing: readonly string[]; what: string; holding: string }): void {
  const { h, judged, missing } = f;
  ctx.finding({
    rule: f.rule,
    citation: f.citation,
    severity: 'info',
    parties: [h.author, judged.author, ...judged.to],
    explanation: `${f.what} was addressed to ${h.to.join(', ') || 'nobody'} only: it does not count, since ${missing[0] === '*' ? `${f.holding} went to every party, and not every party can read it` : `${missing.join(', ')}, which ${missing.length === 1 ? 'holds' : 'hold'} ${f.holding}, cannot read it`}`,
    evidence: [judged, h].sort(compareHeld),
    at: Math.max(h.t, judged.t),
    key: 'unreached',
  });
}

export interface DeadlineSpec {
  rule: RuleRow;
  citation?: string;
  debtor: PartyCode;
  creditors: readonly PartyCode[];
  what: string;
  /** The last millisecond at which the obligation is met on time. */
  due: number;
  /** The entries that created the obligation. */
  evidence: readonly HeldEntry[];
  anchor?: readonly string[];
  key?: string;
  /** The answering entry, if one is visible, and the instant it meets the obligation (≥ its time). */
  answer?: { by: HeldEntry; at: number };
  /** Explanation of the finding when met late, given the delay. */
  late: (delayMs: number) => string;
  /** Explanation of the finding when missed. */
  missed: string;
  severity?: Severity;
  /** The parties of the finding; default the debtor, then the creditors. */
  parties?: readonly PartyCode[];
}

/**
 * An obligation with a deadline, and the finding when it is met late or missed. Met at the due
 * millisecond counts as met; one millisecond later is late. The finding's time is the first
 * late millisecond (due + 1), whether the answer came later or never.
 */
export function deadline(ctx: GroupContext, spec: DeadlineSpec): ObligationStatus {
  const met = spec.answer !== undefined && ctx.reached(spec.answer.at);
  const past = ctx.reached(spec.due + 1);
  const status: ObligationStatus = met ? (spec.answer!.at <= spec.due ? 'met' : 'met-late') : past ? 'missed' : 'open';
  ctx.obligation({
    rule: spec.rule,
    citation: spec.citation,
    debtor: spec.debtor,
    creditors: spec.creditors,
    what: spec.what,
    due: spec.due,
    status,
    metBy: met ? spec.answer!.by : undefined,
    evidence: spec.evidence,
    anchor: spec.anchor,
    key: spec.key,
  });
  if (status === 'met-late' || status === 'missed') {
    ctx.finding({
      rule: spec.rule,
      citation: spec.citation,
      severity: spec.severity ?? 'violation',
      parties: spec.parties ?? [spec.debtor, ...spec.creditors],
      explanation: status === 'missed' ? spec.missed : spec.late(spec.answer!.at - spec.due),
      evidence: status === 'missed' || spec.evidence.includes(spec.answer!.by) ? spec.evidence : [...spec.evidence, spec.answer!.by],
      at: spec.due + 1,
      // The obligation's identity is the finding's, late or missed: two obligations with the
      // same evidence (two activities of one calendar) give two findings, and an answer that
      // comes late turns the one finding from missed to late.
      key: [spec.debtor, spec.key ?? '', ...(spec.anchor ?? [])].join('|'),
      anchor: spec.evidence.map((h) => h.id),
    });
  }
  return status;
}
