/**
 * Who an entry a rule reads must reach: pure, so that the regimes' evaluators (through the engine)
 * and their catalogue checks apply the one counting rule.
 */

/**
 * The parties holding `judged` (its author and addressees) that do not hold `h`: none when `h` is
 * addressed to "*"; `["*"]` when `judged` went to "*" and `h` did not. An entry a rule reads to
 * judge another (an answer, a count, the meeting a commitment names) counts only when this is
 * empty: then every party that judges `judged` holds it too, and all of them find alike — a node
 * holding `h` only as a stub was not addressed, so `h` does not reach it, and it reaches the same
 * verdict as a node that reads `h`. No finding then rests on content a judging node does not hold.
 */
export function unreached(h: { readonly author: string; readonly to: readonly string[] }, judged: { readonly author: string; readonly to: readonly string[] }): string[] {
  if (h.to.includes('*')) return [];
  if (judged.to.includes('*')) return ['*'];
  return [...new Set([judged.author, ...judged.to])].filter((p) => p !== h.author && !h.to.includes(p)).sort();
}

/**
 * For a catalogue check: the refusal of an entry by `author` to `to` that answers `judged` (held
 * with its content) and does not reach every party holding it; undefined when it does, or when
 * what is held cannot tell (`judged` not held, or held as a stub).
 */
export function addresseesProblem(judged: { readonly author?: string; readonly to?: readonly string[] } | undefined, author: string | undefined, to: readonly string[] | undefined, what: string): { path: string; code: 'PARLEY_ERR_ADDRESSEES'; message: string } | undefined {
  if (!judged?.author || !judged.to || author === undefined || !to) return undefined;
  const missing = unreached({ author, to }, { author: judged.author, to: judged.to });
  if (!missing.length) return undefined;
  return {
    path: '/',
    code: 'PARLEY_ERR_ADDRESSEES',
    message: `${what} is addressed to every party that holds what it answers and judges by it (${missing[0] === '*' ? 'that went to "*", so "*"' : `${missing.join(', ')} missing`})`,
  };
}
