/**
 * What the server gives the route plugins it registers, and what route files share with it: the
 * node's parts (AppContext), the shape of a route plugin, and the fields the server's hooks set
 * on a request. Route files import this, never the app itself.
 */
import type { FastifyInstance } from 'fastify';
import type { Role } from '../http/auth.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Federation } from '../federation/federation.js';
import type { LiveService } from '../regimes/module.js';
import type { RegimeMonitor } from '../regimes/monitor.js';
import type { ApiDocument } from '../http/openapi.js';
import type { EventHub } from './events.js';
import type { RateLimits } from './limits.js';
import type { Credentials } from '../http/tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The roster party a federation request is signed by. */
    peer?: string;
    peerNonce?: string;
    /** Settles when the request's nonce is recorded; rejects (PARLEY_ERR_REPLAY) when another process of the node took it. */
    peerRecorded?: Promise<void>;
    /** The operator role of an API request. */
    role?: Role;
    /** Which operator credential the request carries (its id, never the secret): per-credential limits. */
    credential?: string;
  }
}

export interface AppContext {
  party: string;
  ledger: Ledger;
  federation: Federation;
  events: EventHub;
  /** The regime modules' live services: their routes and their additions to the status (the hotline's alarms and link health). */
  services?: readonly LiveService[];
  /** The regimes' obligations and findings over this ledger (absent in servers built without them). */
  regimes?: RegimeMonitor;
  /** What operator bearer tokens are checked against. */
  credentials: Credentials;
  version: string;
  /** The APIs' rate limits (default: DEFAULT_RATE_LIMITS of limits.ts). */
  rateLimits?: RateLimits;
  /** True once the node is stopping: new requests get PARLEY_ERR_CLOSED. */
  closing(): boolean;
}

/**
 * A set of routes: registered in its own Fastify scope (its hooks apply to its routes only), and
 * described in the node's OpenAPI document through `doc`.
 */
export type RoutePlugin = (scope: FastifyInstance, ctx: AppContext, doc: ApiDocument) => void | Promise<void>;
