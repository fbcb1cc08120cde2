/**
 * Which agreements are in force, from the proposals and endorsements in the record — a pure
 * function of the entries held, the same at every party holding them.
 *
 * The rules, in the order they apply:
 *
 * 1. An `agreement.proposal` names its parties, the terms it sets per regime
 *    (`{"hotline": {"ackSeconds": {"flash": 180}}}`) and the instant it takes `effective`.
 * 2. An `agreement.endorsement` counts for the proposal whose entry id it names in `proposal`
 *    when its author is one of the proposal's parties and it restates the proposal's parties,
 *    terms and effective time exactly (as canonical JSON) — and its `text`, when it gives one,
 *    is the proposal's text. A proposal that sets no terms is a joint statement (the talks
 *    record): the entry id names, and so hashes, the exact text endorsed. An endorsement of anything else — an
 *    altered copy, another entry — does not count (and a node holding the proposal refuses it
 *    at append and at accept: see schemas.ts). The proposal is its own author's endorsement.
 * 3. A proposal is **adopted** once every party it names has endorsed it; `adoptedAt` is the
 *    header time of the last of those first endorsements.
 * 4. It is **in force** from `max(effective, adoptedAt)` on.
 * 5. The terms of a regime binding a set of parties at instant t are those of the agreement
 *    in force at t that names all of them and sets that regime's terms, adopted last (ties: the
 *    proposal later in record order). It **supersedes** earlier ones for that regime as a whole:
 *    a field it leaves out takes the regime's default, not an older agreement's figure.
 * 6. Where no agreement applies, the regime's default terms apply.
 *
 * Only entries held with content count: address agreements to "*" (the CLI does), so that every
 * party that judges an obligation between the parties also holds the terms it is judged by.
 */
import { canonical } from '../../protocol/bytes.js';
import type { EntryId, HeldEntry, PartyCode } from '../types.js';

export const PROPOSAL = 'agreement.proposal';
export const ENDORSEMENT = 'agreement.endorsement';

/** What a proposal sets; an endorsement restates exactly this. */
export interface AgreementTerms {
  parties: PartyCode[];
  terms: Record<string, Record<string, unknown>>;
  effective: string;
}

export interface ProposalBody extends AgreementTerms {
  title: string;
  text?: string;
}

export interface EndorsementBody extends AgreementTerms {
  proposal: EntryId;
  /** For a joint statement (a proposal setting no terms): its text, restated. */
  text?: string;
}

/** An adopted agreement. Times in epoch ms. */
export interface Adopted {
  readonly proposal: HeldEntry;
  readonly body: ProposalBody;
  readonly parties: ReadonlySet<PartyCode>;
  readonly adoptedAt: number;
  readonly inForce: number;
  /** The entries that adopted it: the proposal and one endorsement per other party, in record order. */
  readonly endorsements: readonly HeldEntry[];
}

/** An agreement proposal as it stands: who has endorsed it so far. */
export interface AgreementState {
  readonly proposal: HeldEntry;
  readonly body: ProposalBody;
  /** Party → its first counting endorsement (or the proposal, for its author). */
  readonly endorsedBy: ReadonlyMap<PartyCode, HeldEntry>;
  readonly adopted?: Adopted;
}

/** The part of a proposal an endorsement restates, as canonical JSON text. */
export function restated(body: AgreementTerms): string {
  return canonical({ parties: body.parties, terms: body.terms, effective: body.effective }).toString('utf8');
}

const isAgreement = (h: HeldEntry): boolean => h.body !== undefined && (h.type === PROPOSAL || h.type === ENDORSEMENT);

const laterInRecord = (a: HeldEntry, b: HeldEntry): boolean =>
  a.t !== b.t ? a.t > b.t : a.author !== b.author ? a.author > b.author : a.seq !== b.seq ? a.seq > b.seq : a.id > b.id;

/**
 * The agreements of a record, kept current as entries are added (in any order). Used by the
 * regime engine for `GroupContext.terms`, by the node's GET /api/v1/regimes and by
 * `parley agreement list`.
 */
export class AgreementBook {
  readonly #proposals = new Map<EntryId, { h: HeldEntry; body: ProposalBody; text: string }>();
  /** Endorsements by the proposal id they name, whether that proposal is held yet or not. */
  readonly #endorsements = new Map<EntryId, HeldEntry[]>();
  /** Per regime id, its adopted agreements, latest adopted first; rebuilt when one of its agreements changes. */
  #adopted: Map<string, Adopted[]> | undefined;

  /**
   * Takes in an entry; returns the ids of the regimes whose terms it may change (empty for any
   * entry that is not an agreement held with content).
   */
  add(h: HeldEntry): readonly string[] {
    if (!isAgreement(h)) return [];
    const body = h.body as unknown as ProposalBody & EndorsementBody;
    if (h.type === PROPOSAL) {
      if (this.#proposals.has(h.id)) return [];
      this.#proposals.set(h.id, { h, body, text: restated(body) });
    } else {
      const list = this.#endorsements.get(body.proposal) ?? [];
      if (list.some((x) => x.id === h.id)) return [];
      list.push(h);
      this.#endorsements.set(body.proposal, list);
    }
    this.#adopted = undefined;
    return Object.keys(body.terms ?? {});
  }

  /** Every proposal held, with its endorsements so far, in record order. */
  states(): AgreementState[] {
    const out: AgreementState[] = [];
    for (const { h, body, text } of this.#proposals.values()) {
      const endorsedBy = new Map<PartyCode, HeldEntry>();
      const named = new Set(body.parties);
      if (named.has(h.author)) endorsedBy.set(h.author, h);
      for (const e of this.#endorsements.get(h.id) ?? []) {
        const eb = e.body as unknown as EndorsementBody;
        if (!named.has(e.author) || restated(eb) !== text || (eb.text !== undefined && eb.text !== body.text)) continue;
        const first = endorsedBy.get(e.author);
        if (!first || laterInRecord(first, e) === true) endorsedBy.set(e.author, e);
      }
      let adopted: Adopted | undefined;
      if (body.parties.every((p) => endorsedBy.has(p))) {
        const endorsements = [...endorsedBy.values()].sort((a, b) => (laterInRecord(a, b) ? 1 : -1));
        const adoptedAt = Math.max(...endorsements.map((e) => e.t));
        const effective = Date.parse(body.effective);
        adopted = Object.freeze({ proposal: h, body, parties: named, adoptedAt, inForce: Math.max(adoptedAt, Number.isFinite(effective) ? effective : Infinity), endorsements });
      }
      out.push({ proposal: h, body, endorsedBy, adopted });
    }
    return out.sort((a, b) => (laterInRecord(a.proposal, b.proposal) ? 1 : -1));
  }

  /** The adopted agreements that set `regime`'s terms, latest adopted first. */
  adopted(regime: string): readonly Adopted[] {
    if (!this.#adopted) {
      const by = new Map<string, Adopted[]>();
      for (const s of this.states()) {
        if (!s.adopted) continue;
        for (const id of Object.keys(s.body.terms)) {
          let list = by.get(id);
          if (!list) by.set(id, (list = []));
          list.push(s.adopted);
        }
      }
      for (const list of by.values()) list.sort((a, b) => b.adoptedAt - a.adoptedAt || (laterInRecord(a.proposal, b.proposal) ? -1 : 1));
      this.#adopted = by;
    }
    return this.#adopted.get(regime) ?? [];
  }

  /**
   * The agreement whose terms for `regime` bind every one of `parties` at instant `t`, or
   * undefined (the defaults apply). `seen` is told the in-force instant of every agreement that
   * would bind them at some instant: where the answer may change.
   */
  binding(regime: string, parties: readonly PartyCode[], t: number, seen?: (inForce: number) => void): Adopted | undefined {
    let found: Adopted | undefined;
    for (const a of this.adopted(regime)) {
      if (!parties.every((p) => a.parties.has(p))) continue;
      seen?.(a.inForce);
      if (!found && a.inForce <= t) {
        found = a;
        if (!seen) break;
      }
    }
    return found;
  }
}
