/**
 * How regime modules become one registry: the catalogue (core types, agreement types, then each
 * module's types), evaluations over every module, the versions printed beside findings, and the
 * description served at GET /api/v1/regimes (rules with citations, terms in force). It names no
 * regime: registry.ts lists this version's modules, and a test or an embedder may pass its own.
 *
 * @example
 *   const registry = createRegistry([...MODULES, zones]);
 *   const ledger = await Ledger.open({ store, party: 'USA', key, catalogue: registry.catalogue });
 */
import { Catalogue } from '../catalogue/index.js';
import { coreSchemas } from '../catalogue/core.js';
import { ParleyError } from '../protocol/errors.js';
import { AgreementBook, agreementTypes, type Adopted } from './agreement/index.js';
import { Evaluation, holdEntry, isoTime } from './engine.js';
import type { RegimeModule } from './module.js';
import type { EvaluateOptions, RecordEntry, RegimeResult, RuleRow } from './types.js';


/** A regime as GET /api/v1/regimes and `parley regimes` describe it. */
export interface RegimeDescription {
  id: string;
  version: string;
  title: string;
  rules: Pick<RuleRow, 'id' | 'citation' | 'title' | 'description' | 'figures'>[];
  /** Absent for a regime without terms (a treaty text such as VD11). */
  terms?: {
    schema: Record<string, unknown>;
    /** In force wherever no adopted agreement binds the parties. */
    defaults: Record<string, unknown>;
    /** The adopted agreements setting this regime's terms, latest adopted first (the first in force among a set of parties binds them). */
    agreements: AgreementDescription[];
  };
}

export interface AgreementDescription {
  /** Entry id of the proposal. */
  proposal: string;
  title: string;
  parties: string[];
  /** The terms it sets for this regime (fields left out take the defaults). */
  terms: Record<string, unknown>;
  effective: string;
  adoptedAt: string;
  /** max(effective, adoptedAt): from when it binds its parties. */
  inForce: string;
  /** Whether it is in force as of the description's time. */
  current: boolean;
  /** Its endorsements, in record order (the proposal itself for its author). */
  endorsements: string[];
}

export interface Registry {
  readonly modules: readonly RegimeModule[];
  /** The core content types, the agreement types and every module's types. */
  readonly catalogue: Catalogue;
  module(id: string): RegimeModule | undefined;
  /** Which regime versions produce a result: printed with findings so a reader compares like with like. */
  versions(): { id: string; version: string }[];
  /** An incremental evaluation over every module. */
  evaluation(options?: Partial<EvaluateOptions>): Evaluation;
  /** Full evaluation of every module over `entries` as of `at`. */
  evaluate(entries: Iterable<RecordEntry>, at: Date | number, options?: Partial<EvaluateOptions>): RegimeResult;
  /** Each regime with its rules and its terms: defaults and the agreements adopted in `agreements` (as of `at`). */
  describe(agreements: AgreementBook, at: number): RegimeDescription[];
}

/** A registry of `modules` (their ids unique, their content types disjoint). */
export function createRegistry(modules: readonly RegimeModule[]): Registry {
  const ids = modules.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new ParleyError('PARLEY_ERR_INTERNAL', `a regime module is listed twice: ${ids.join(', ')}`);
  const list = Object.freeze([...modules]);
  let catalogue: Catalogue | undefined;
  const registry: Registry = {
    modules: list,
    get catalogue() {
      // Compiling every schema takes a moment: only when a ledger first needs it.
      catalogue ??= new Catalogue([coreSchemas, agreementTypes(new Map(list.map((m) => [m.id, m.terms]))), ...list.map((m) => m.types)]);
      return catalogue;
    },
    module: (id) => list.find((m) => m.id === id),
    versions: () => list.map((m) => ({ id: m.id, version: m.version })),
    evaluation: (options = {}) => new Evaluation(list, options),
    evaluate: (entries, at, options = {}) => new Evaluation(list, options).addAll(entries).result(at),
    describe: (agreements, at) => list.map((m) => describe(m, agreements, at)),
  };
  return Object.freeze(registry);
}

function describe(m: RegimeModule, book: AgreementBook, at: number): RegimeDescription {
  const out: RegimeDescription = {
    id: m.id,
    version: m.version,
    title: m.title,
    rules: m.rules.map((r) => ({ id: r.id, citation: r.citation, title: r.title, description: r.description, figures: r.figures })),
  };
  if (m.terms) {
    out.terms = { schema: { ...m.terms.schema }, defaults: { ...m.terms.defaults }, agreements: book.adopted(m.id).filter((a) => a.adoptedAt <= at).map((a) => describeAgreement(m.id, a, at)) };
  }
  return out;
}

function describeAgreement(regime: string, a: Adopted, at: number): AgreementDescription {
  return {
    proposal: a.proposal.id,
    title: a.body.title,
    parties: [...a.body.parties],
    terms: a.body.terms[regime],
    effective: a.body.effective,
    adoptedAt: isoTime(a.adoptedAt),
    inForce: isoTime(a.inForce),
    current: a.inForce <= at,
    endorsements: a.endorsements.map((e) => e.id),
  };
}

/** The agreements of a list of entries (those said at or before `at`). */
export function agreementsOf(entries: Iterable<RecordEntry>, at: number): AgreementBook {
  const book = new AgreementBook();
  for (const e of entries) {
    const h = holdEntry(e);
    if (h.t <= at) book.add(h);
  }
  return book;
}

