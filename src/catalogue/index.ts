/**
 * The message catalogue: one JSON Schema per content type, used to validate every body at
 * append and at accept, served by the node, and used by the console to build its forms.
 * Regimes add their types here, in one list, so every node validates the same way.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { fail, ok, type Result } from '../protocol/errors.js';
import { coreSchemas } from './core.js';

export type ContentSchema = Record<string, unknown> & { title: string; description: string };

// ajv-formats ships CommonJS; its module.exports is the plugin function.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Every content type a node of this version knows: each regime adds its schema table to this list. */
const TABLES: Record<string, ContentSchema>[] = [coreSchemas];

export class Catalogue {
  readonly #schemas = new Map<string, ContentSchema>();
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(tables: Record<string, ContentSchema>[] = TABLES) {
    const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false });
    addFormats(ajv);
    for (const table of tables) {
      for (const [type, schema] of Object.entries(table)) {
        if (this.#schemas.has(type)) throw new Error(`content type ${type} registered twice`);
        this.#schemas.set(type, Object.freeze(schema));
        this.#validators.set(type, ajv.compile(schema));
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

  /** Validates a body; the refusal names the schema path of the first problem. */
  validate(type: string, body: unknown): Result<void> {
    const validator = this.#validators.get(type);
    if (!validator) return fail('PARLEY_ERR_UNKNOWN_TYPE', `content type "${type}" is not in the message catalogue`, { type });
    if (validator(body)) return ok(undefined);
    const e = (validator.errors ?? [])[0] as ErrorObject | undefined;
    const path = e?.instancePath || '/';
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

