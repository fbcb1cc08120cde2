/**
 * Parley's regimes, evaluated together by one engine. A regime is a module with rules as data,
 * content types, terms and evaluators (see module.ts `RegimeModule`); adding one (frontier zones,
 * incidents at sea) is its folder plus one line in registry.ts MODULES.
 *
 * @example
 *   import { evaluateAll } from './regimes/index.js';
 *   const { obligations, findings } = evaluateAll(entries, new Date('2022-02-14T00:00:00Z'), { margin: 0.05 });
 *   process.stdout.write(JSON.stringify({ obligations, findings }));   // identical at every party holding these entries
 */
import type { Evaluation } from './engine.js';
import { defaultRegistry, MODULES } from './registry.js';
import type { EvaluateOptions, RecordEntry, Regime, RegimeResult } from './types.js';

/** Every regime this version of Parley evaluates, in a fixed order (registry.ts MODULES). */
export const REGIMES: readonly Regime[] = MODULES;

/** The obligations and findings of every regime over `entries`, as of `at`. */
export function evaluateAll(entries: Iterable<RecordEntry>, at: Date | number, options: Partial<EvaluateOptions> = {}): RegimeResult {
  return defaultRegistry().evaluate(entries, at, options);
}

/** An incremental evaluation over every regime: `add` entries as they are accepted, `result(at)` when asked. */
export function openEvaluation(options: Partial<EvaluateOptions> = {}): Evaluation {
  return defaultRegistry().evaluation(options);
}

/** Which regime versions produced a result: print it with findings so that a reader can compare like with like. */
export function regimeVersions(): { id: string; version: string }[] {
  return defaultRegistry().versions();
}

export { Evaluation, evaluate } from './engine.js';
export type * from './types.js';
export type { LiveService, RegimeModule, ServiceDeps } from './module.js';
export { DEFAULT_OPTIONS } from './types.js';
export { agreementsOf, catalogue, createRegistry, defaultRegistry, MODULES, type AgreementDescription, type RegimeDescription, type Registry } from './registry.js';
