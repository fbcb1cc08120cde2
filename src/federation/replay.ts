/**
 * The replay cache: every nonce of an authenticated federation request, kept for as long as its
 * signature could still pass the clock check, so the same signed request is taken at most once.
 */
import { MAX_SIGNATURE_SKEW_S } from './http-signature.js';

/** Beyond this many live nonces a node refuses new requests rather than forget one (memory bound). */
export const MAX_LIVE_NONCES = 500_000;

export class NonceCache {
  /** key → second after which the signature carrying it is too old to pass anyway. */
  readonly #seen = new Map<string, number>();
  readonly #windowS: number;
  readonly #max: number;

  constructor(options: { windowS?: number; max?: number } = {}) {
    this.#windowS = options.windowS ?? MAX_SIGNATURE_SKEW_S;
    this.#max = options.max ?? MAX_LIVE_NONCES;
  }

  get size(): number {
    return this.#seen.size;
  }

  /**
   * Records `party`'s nonce; false if it was already used (a replay) or the cache is full.
   * `created` and `nowS` are in seconds.
   */
  use(party: string, nonce: string, created: number, nowS: number): 'fresh' | 'replay' | 'full' {
    this.#sweep(nowS);
    const key = `${party} ${nonce}`;
    if (this.#seen.has(key)) return 'replay';
    if (this.#seen.size >= this.#max) return 'full';
    this.#seen.set(key, created + this.#windowS);
    return 'fresh';
  }

  #sweep(nowS: number): void {
    // Insertion order is nearly expiry order (created is within the window of arrival), so the
    // front of the map holds the oldest; stop at the first live one.
    for (const [key, until] of this.#seen) {
      if (until >= nowS) break;
      this.#seen.delete(key);
    }
  }
}
