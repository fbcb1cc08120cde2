/**
 * Parley's regimes, evaluated together by one engine. A regime is a module with rules as data
 * and evaluators (see types.ts `Regime`); adding one (the hotline agreement, frontier zones,
 * incidents at sea) is adding it to REGIMES.
 *
 * @example
 *   import { evaluateAll } from './regimes/index.js';
 *   const { obligations, findings } = evaluateAll(entries, new Date('2022-02-14T00:00:00Z'), { margin: 0.05 });
 *   process.stdout.write(JSON.stringify({ obligations, findings }));   // identical at every party holding these entries
 */
import { Evaluation, evaluate } from './engine.js';
import type { EvaluateOptions, RecordEntry, Regime, RegimeResult } from './types.js';
import { vienna2011 } from './vienna2011/index.js';
import { hotline } from './hotline/index.js';

/** Every regime this version of Parley evaluates, in a fixed order. */
export const REGIMES: readonly Regime[] = Object.freeze([vienna2011, hotline]);

/** The obligations and findings of every regime over `entries`, as of `at`. */
export function evaluateAll(entries: Iterable<RecordEntry>, at: Date | number, options: Partial<EvaluateOptions> = {}): RegimeResult {
  return evaluate(REGIMES, entries, at, options);
}

/** An incremental evaluation over every regime: `add` entries as they are accepted, `result(at)` when asked. */
export function openEvaluation(options: Partial<EvaluateOptions> = {}): Evaluation {
  return new Evaluation(REGIMES, options);
}

/** Which regime versions produced a result: print it with findings so that a reader can compare like with like. */
export function regimeVersions(): { id: string; version: string }[] {
  return REGIMES.map((r) => ({ id: r.id, version: r.version }));
}

export { Evaluation, evaluate } from './engine.js';
export type * from './types.js';
export { DEFAULT_OPTIONS } from './types.js';
export { vienna2011 } from './vienna2011/index.js';
export { hotline } from './hotline/index.js';
