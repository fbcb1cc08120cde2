/**
 * The regimes of this Parley version, in one list, and what is built from a list of regime
 * modules: the message catalogue, evaluations, the description served at GET /api/v1/regimes.
 * Adding a regime is its folder (see module.ts) plus one line in MODULES; a test or an embedder
 * builds its own registry with `createRegistry` instead, touching no file.
 *
 * @example
 *   const registry = createRegistry([...MODULES, zones]);
 *   const node = await startNode({ dir, registry });         // validates, evaluates and serves `zones` too
 *   registry.evaluate(entries, Date.now()).findings;
 */
import { hotline } from './hotline/index.js';
import { incidents } from './incidents/index.js';
import { missiles } from './missiles/index.js';
import type { RegimeModule } from './module.js';
import { talks } from './talks/index.js';
import { vienna2011 } from './vienna2011/index.js';
import { witness } from './witness/index.js';
import { zones } from './zones/index.js';
import { createRegistry, type Registry } from './assembly.js';
import type { Catalogue } from '../catalogue/index.js';

/** Every regime this version of Parley runs, in a fixed order: adding a regime is its folder plus one line here. */
export const MODULES: readonly RegimeModule[] = Object.freeze([vienna2011, hotline, talks, incidents, zones, missiles, witness]);

let shared: Registry | undefined;
/** The registry of this Parley version's MODULES (built once per process). */
export function defaultRegistry(): Registry {
  shared ??= createRegistry(MODULES);
  return shared;
}

/** The message catalogue of this Parley version: core, agreement and every regime's content types. */
export function catalogue(): Catalogue {
  return defaultRegistry().catalogue;
}

export { agreementsOf, createRegistry, type AgreementDescription, type RegimeDescription, type Registry } from './assembly.js';
