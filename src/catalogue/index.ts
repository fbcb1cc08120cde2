/**
 * The message catalogue: one JSON Schema per content type, used to validate every body at
 * append and at accept, served by the node, and used by the console to build its forms.
 * Regimes add their types here, in one list, so every node validates the same way.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { fail, ok, type Result } from '../protocol/errors.js';
import { coreSchemas } from './core.js';
import { viennaSchemas } from '../regimes/vienna2011/schemas.js';
import { hotlineSchemas } from '../regimes/hotline/schemas.js';

export type ContentSchema = Record<string, unknown> & { title: string; description: string };

/** A problem JSON Schema cannot express, at a JSON Pointer into the body (e.g. `/end`). */
export interface SchemaProblem {
  path: string;
  message: string;
}

/**
 * What a content type may add to its schema: a semantic `check`, run on a body that already
 * satisfies the schema, for rules JSON Schema cannot state ("end is not before start", "the ring
 * is closed"). It is not part of the served schema: a peer implementing Parley elsewhere reads
 * these rules in the type's description and in the code that defines the check.
 */
export type CatalogueEntry = ContentSchema & { check?: (body: never) => SchemaProblem | undefined };

// ajv-formats ships CommonJS; its module.exports is the plugin function.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Every content type a node of this version knows: each regime adds its schema table to this list. */
const TABLES: Record<string, CatalogueEntry>[] = [coreSchemas, viennaSchemas, hotlineSchemas];

export class Catalogue {
  readonly #schemas = new Map<string, ContentSchema>();
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #checks = new Map<string, (body: unknown) => SchemaProblem | undefined>();

  constructor(tables: Record<string, CatalogueEntry>[] = TABLES) {
    const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false });
    addFormats(ajv);
    for (const table of tables) {
      for (const [type, entry] of Object.entries(table)) {
        if (this.#schemas.has(type)) throw new Error(`content type ${type} registered twice`);
        const { check, ...schema } = entry;
        this.#schemas.set(type, Object.freeze(schema as ContentSchema));
        this.#validators.set(type, ajv.compile(schema));
        if (check) this.#checks.set(type, check as (body: unknown) => SchemaProblem | undefined);
      }
    }
  }

  has(type: string): boolean {
    return this.#schemas.has(type);
  }

  types(): string[] {
    return [...this.#schemas.keys()].sort();
  }

  schema(type: string): ContentSchema | undefined {
    return this.#schemas.get(type);
  }

  /** All schemas, keyed by type, as the node serves them at GET /api/v1/catalogue. */
  all(): Record<string, ContentSchema> {
    return Object.fromEntries(this.types().map((t) => [t, this.#schemas.get(t)!]));
  }

  /**
   * Validates a body against its type's schema, then its semantic check; the refusal
   * (PARLEY_ERR_SCHEMA) names the JSON Pointer of the first problem in `detail.path`.
   */
  validate(type: string, body: unknown): Result<void> {
    const validator = this.#validators.get(type);
    if (!validator) return fail('PARLEY_ERR_UNKNOWN_TYPE', `content type "${type}" is not in the message catalogue`, { type });
    if (validator(body)) {
      const problem = this.#checks.get(type)?.(body);
      if (!problem) return ok(undefined);
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

let shared: Catalogue | undefined;
/** The catalogue of this Parley version (built once per process). */
export function catalogue(): Catalogue {
  shared ??= new Catalogue();
  return shared;
}

