/**
 * Retry spacing for a peer that does not answer: exponential, with "equal jitter" so that many
 * nodes retrying one peer that came back do not arrive in lockstep, and capped low — this is
 * crisis traffic, and a link that returns must be used within seconds, not minutes.
 */
export interface BackoffPolicy {
  /** Delay ceiling of the first retry. */
  baseMs: number;
  /** No retry waits longer than this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 50, capMs: 2000 });

/**
 * The wait before retry number `attempt` (1 for the first retry): a uniform draw in
 * [ceiling/2, ceiling], ceiling = min(cap, base · 2^(attempt−1)). `random` is in [0, 1).
 *
 * @example
 *   backoffDelay(1, 0.5, { baseMs: 50, capMs: 2000 }) // 38: between 25 and 50 ms
 *   backoffDelay(9, 0.0, { baseMs: 50, capMs: 2000 }) // 1000: the cap, halved by jitter
 */
export function backoffDelay(attempt: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}
