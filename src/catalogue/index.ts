/**
 * The message catalogue: one JSON Schema per content type, used to validate every body at
 * append and at accept, served by the node, and used by the console to build its forms.
 *
 * The catalogue knows no regime: whoever composes a node passes the tables — the core types
 * and each regime module's `types` (src/regimes/registry.ts builds Parley's).
 *
 * @example
 *   const c = new Catalogue([coreSchemas, ...modules.map((m) => m.types)]);
 *   c.validate('note', { subject: 'hello', text: '' }); // { ok: true }
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { fail, ok, type Result } from '../protocol/errors.js';

export type ContentSchema = Record<string, unknown> & { title: string; description: string };

/**
 * The schema annotation saying who writes a content type, so that a client needs no list of its
 * own: `node` (the node writes it itself: receipts), `service` (a regime's live service has its
 * own page and commands: the hotline), absent (an operator composes it from the schema's form).
 */
export const COMPOSED_BY = 'x-parley-composed-by';
export type ComposedBy = 'node' | 'service';

/**
 * The schema annotation saying to whom an entry of a type must be addressed: `all` — to "*", so
 * that every party judging the obligations it bears on holds its content (a request under the
 * Vienna Document circulates to all participating States). Refused otherwise, with
 * PARLEY_ERR_ADDRESSEES, at append and at accept.
 */
export const ADDRESSED = 'x-parley-addressed';

/** A problem JSON Schema cannot express, at a JSON Pointer into the body (e.g. `/end`). */
export interface SchemaProblem {
  path: string;
  message: string;
  /** The refusal's code when it is not the body's shape but its addressees (`to`). */
  code?: 'PARLEY_ERR_ADDRESSEES';
}

/**
 * What a content type may add to its schema: a semantic `check`, run on a body that already
 * satisfies the schema, for rules JSON Schema cannot state ("end is not before start", "the ring
 * is closed"). It is not part of the served schema: a peer implementing Parley elsewhere reads
 * these rules in the type's description and in the code that defines the check.
 */
export type CatalogueEntry = ContentSchema & { check?: (body: never, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined) => SchemaProblem | undefined };

/**
 * What a semantic check may read of the record it is about to join: an entry held by id. A check
 * that needs it (an endorsement must restate the proposal it names) judges only what is held —
 * an entry not held, or held as a stub, is `undefined` or has no `type` — and passes otherwise.
 */
export interface RecordView {
  held(id: string): { readonly author?: string; readonly type?: string; readonly to?: readonly string[]; readonly body?: Readonly<Record<string, unknown>> } | undefined;
}

const NO_RECORD: RecordView = Object.freeze({ held: () => undefined });

interface Compiled {
  schemas: Map<string, ContentSchema>;
  validators: Map<string, ValidateFunction>;
  checks: Map<string, (body: unknown, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined) => SchemaProblem | undefined>;
  /** The types whose entries must be addressed to "*" (ADDRESSED: all). */
  toAll: Set<string>;
}

// ajv-formats ships CommonJS; its module.exports is the plugin function.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function compile(tables: readonly Readonly<Record<string, CatalogueEntry>>[]): Compiled {
  const c: Compiled = { schemas: new Map(), validators: new Map(), checks: new Map(), toAll: new Set() };
  const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false });
  addFormats(ajv);
  // An annotation, not a constraint: who composes a type (see ComposedBy), served for the console.
  ajv.addKeyword({ keyword: COMPOSED_BY, schemaType: 'string' });
  ajv.addKeyword({ keyword: ADDRESSED, schemaType: 'string' });
  for (const table of tables) {
    for (const [type, entry] of Object.entries(table)) {
      if (c.schemas.has(type)) throw new Error(`content type ${type} registered twice`);
      const { check, ...schema } = entry;
      c.schemas.set(type, Object.freeze(schema as ContentSchema));
      c.validators.set(type, ajv.compile(schema));
      if (check) c.checks.set(type, check as (body: unknown, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined) => SchemaProblem | undefined);
      if (schema[ADDRESSED] === 'all') c.toAll.add(type);
    }
  }
  return c;
}

export class Catalogue {
  readonly #c: Compiled;
  readonly #record: RecordView;

  constructor(tables: readonly Readonly<Record<string, CatalogueEntry>>[], record: RecordView = NO_RECORD) {
    this.#c = tables === SHARED ? sharing!.compiled : compile(tables);
    this.#record = record;
  }

  /** The same catalogue, its semantic checks reading `record` (a node's: what its ledger holds). */
  withRecord(record: RecordView): Catalogue {
    sharing = { compiled: this.#c };
    try {
      return new Catalogue(SHARED, record);
    } finally {
      sharing = undefined;
    }
  }

  has(type: string): boolean {
    return this.#c.schemas.has(type);
  }

  types(): string[] {
    return [...this.#c.schemas.keys()].sort();
  }

  schema(type: string): ContentSchema | undefined {
    return this.#c.schemas.get(type);
  }

  /** All schemas, keyed by type, as the node serves them at GET /api/v1/catalogue. */
  all(): Record<string, ContentSchema> {
    return Object.fromEntries(this.types().map((t) => [t, this.#c.schemas.get(t)!]));
  }

  /**
   * Validates a body against its type's schema, then its semantic check; the refusal
   * (PARLEY_ERR_SCHEMA) names the JSON Pointer of the first problem in `detail.path`. `author` is
   * the party saying it, for a check that depends on who speaks (a readout by a party that
   * attended the meeting), and `refs` the entries it names (an endorsement names its proposal
   * there); a check given neither judges the body alone. `to`, when given, is checked against the
   * type's ADDRESSED annotation and its check (PARLEY_ERR_ADDRESSEES).
   */
  validate(type: string, body: unknown, author?: string, refs?: readonly string[], to?: readonly string[]): Result<void> {
    const validator = this.#c.validators.get(type);
    if (!validator) return fail('PARLEY_ERR_UNKNOWN_TYPE', `content type "${type}" is not in the message catalogue`, { type });
    if (validator(body)) {
      if (to !== undefined && this.#c.toAll.has(type) && !(to.length === 1 && to[0] === '*')) {
        return fail('PARLEY_ERR_ADDRESSEES', `a ${type} is addressed to "*": every party that judges the obligations it bears on must hold it (it was addressed to ${to.join(', ') || 'nobody'})`, { type, to: [...to] });
      }
      const problem = this.#c.checks.get(type)?.(body, this.#record, author, refs, to);
      if (!problem) return ok(undefined);
      if (problem.code) return fail(problem.code, `${type}: ${problem.message}`, { type, path: problem.path, keyword: 'check' });
      return fail('PARLEY_ERR_SCHEMA', `${type} body ${problem.path}: ${problem.message}`, { type, path: problem.path, keyword: 'check' });
    }
    const e = (validator.errors ?? [])[0] as ErrorObject | undefined;
    // A missing or unexpected field is named by its own pointer (`/troops`), not its parent's.
    const field = e?.keyword === 'required' ? e.params.missingProperty : e?.keyword === 'additionalProperties' ? e.params.additionalProperty : undefined;
    const path = (e?.instancePath ?? '') + (field === undefined ? '' : `/${String(field).replace(/~/g, '~0').replace(/\//g, '~1')}`) || '/';
    return fail('PARLEY_ERR_SCHEMA', `${type} body${path === '/' ? '' : ' ' + path}: ${e?.message ?? 'invalid'}`, {
      type,
      path,
      schemaPath: e?.schemaPath,
      keyword: e?.keyword,
      params: e?.params,
    });
  }
}

// withRecord shares the compiled validators (compiling Ajv schemas is the expensive part).
const SHARED: readonly Record<string, CatalogueEntry>[] = Object.freeze([]);
let sharing: { compiled: Compiled } | undefined;

