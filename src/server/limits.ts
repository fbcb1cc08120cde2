/**
 * Rate limits of the node's APIs (@fastify/rate-limit), per route scope: a client over its
 * budget is refused with PARLEY_ERR_RATE_LIMITED (429, with Retry-After) before any work is done
 * for it — before a signature is checked or a token compared.
 */
import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../protocol/errors.js';

export interface RateLimit {
  /** Requests one client may make per window. */
  max: number;
  windowMs: number;
}

export interface RateLimits {
  /** Per peer (the party a request claims to be signed by) and address. */
  federation: RateLimit;
  /** Per operator credential and address. */
  operator: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  federation: { max: 20_000, windowMs: 10_000 },
  operator: { max: 5_000, windowMs: 10_000 },
};

/** Adds a rate limit to every route of `scope` registered after it, one budget per `key`. */
export async function rateLimited(scope: FastifyInstance, limit: RateLimit, key: (request: FastifyRequest) => string): Promise<void> {
  await scope.register(rateLimit, {
    max: limit.max,
    timeWindow: limit.windowMs,
    keyGenerator: (request) => `${request.ip} ${key(request)}`,
    // The store of counters is bounded too: the least recently seen clients are forgotten first.
    cache: 10_000,
    errorResponseBuilder: (_request, context) =>
      new ParleyError('PARLEY_ERR_RATE_LIMITED', `more than ${context.max} requests in ${limit.windowMs / 1000} s from this client; retry in ${context.after}`, { retryAfter: context.after }),
  });
}

/** The party a federation request claims (keyid of its signature), unchecked: only a rate-limit key. */
export function claimedPeer(request: FastifyRequest): string {
  const m = /keyid="([A-Z0-9]{1,16})"/.exec(String(request.headers['signature-input'] ?? ''));
  return m?.[1] ?? '';
}

/** A fingerprint of the operator credential a request carries (never the secret itself): only a rate-limit key. */
export function claimedCredential(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  return auth ? createHash('sha256').update(auth).digest('base64url').slice(0, 16) : '';
}
