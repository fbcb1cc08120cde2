/**
 * The port a regime implements to be part of Parley: one folder exporting a `RegimeModule`, and
 * one line in registry.ts. The module brings everything about the regime — rules with citations,
 * the content types it reads (JSON Schemas and semantic checks), the terms an agreement may set,
 * its grouping and evaluators, and, for a regime that acts in a running node (the hotline's
 * alarms and link tests), a live service the node starts and stops.
 *
 * @example
 *   export const zones: RegimeModule = {
 *     id: 'zones', version: '1.0.0', title: 'Frontier zones',
 *     rules: [CEILING], types: { 'zones.holding': holdingSchema }, terms: ZONE_TERMS,
 *     groupsOf: (h) => (h.type === 'zones.holding' && h.body ? [`zone:${String(h.body.zone)}`] : []),
 *     evaluateGroup: (key, ctx) => ceilings(key, ctx),
 *     evaluate: (entries, at, options) => evaluate([zones], entries, at, options),
 *   };
 */
import type { FastifyInstance } from 'fastify';
import type { CatalogueEntry } from '../catalogue/index.js';
import type { Ledger, LedgerEntry } from '../ledger/ledger.js';
import type { Alert, Federation, NodeStatus } from '../federation/federation.js';
import type { Logger } from '../federation/link.js';
import type { ApiDocument } from '../http/openapi.js';
import type { Finding, HeldEntry, Obligation, PartyCode, Regime, RegimeChanges } from './types.js';

export interface RegimeModule extends Regime {
  /** The content types this regime defines, by type name: validated at append and accept, served in the catalogue. */
  readonly types: Readonly<Record<string, CatalogueEntry>>;
  /**
   * An entry that should not wait behind bulk traffic to `peer` (a flash hotline message): it
   * ends its push batch, so its receipt comes back at once.
   */
  readonly urgent?: (entry: LedgerEntry, peer: string) => boolean;
  /** For a regime that acts in a running node: makes its live service (the node starts it after the federation). */
  readonly service?: (deps: ServiceDeps) => LiveService | Promise<LiveService>;
}

export interface RegimeReport {
  at: string;
  regimes: { id: string; version: string }[];
  obligations: Obligation[];
  findings: Finding[];
}

/** What a live service reads of the regimes' verdicts on the node's record (the node's RegimeMonitor). */
export interface RegimeView {
  /** Obligations and findings as of `at` (default now). */
  report(at?: number): RegimeReport;
  /** What changed, after each commit and as deadlines pass; call `report()` first for the state it starts from. */
  onChange(listener: (changes: RegimeChanges) => void): () => void;
  /** Brings the result up to the last commit and the present instant now. */
  refresh(): void;
  /** An entry the evaluation holds. */
  held(id: string): HeldEntry | undefined;
  /** The terms of `regimeId` in force between `parties` at `at`: the adopted agreement's, or the defaults. */
  terms<R>(regimeId: string, parties: readonly PartyCode[], at?: number): R;
}

/** What a running node gives a regime's live service. */
export interface ServiceDeps {
  readonly ledger: Ledger;
  readonly federation: Federation;
  /** The regimes' obligations and findings over the ledger, kept current; terms in force. */
  readonly monitor: RegimeView;
  /** The node's settings for this module: config.json's object named by the module id, with the embedder's overrides on top. */
  readonly config: unknown;
  readonly overrides: unknown;
  /** Publishes on the node's event stream (GET /api/v1/events). */
  readonly publish: (event: string, data: unknown) => void;
  readonly log: Logger;
}

/** An alarm a live service raises (the hotline's link and escalation alarms): among the status's alerts, on the event stream, at a webhook. */
export interface ServiceAlarm {
  id: string;
  kind: string;
  state: 'raised' | 'cleared';
  severity: 'critical' | 'warning';
  party: string;
  message: string;
  since: string;
  at: string;
}

/** `GET /api/v1/status`: the federation's status, with what live services add (their alarms among the federation's alerts). */
export type StatusView = Omit<NodeStatus, 'alerts'> & { alerts: (Alert | ServiceAlarm)[] };

/** What a live service adds to `GET /api/v1/status`, as JSON Schemas: its alarm's shape, its own fields. */
export interface StatusAdditions {
  readonly alarm?: Record<string, unknown>;
  readonly properties?: Readonly<Record<string, Record<string, unknown>>>;
}

/** A regime's part in a running node. */
export interface LiveService {
  /** Called once the node listens and its federation runs. */
  start(): void | Promise<void>;
  /** Called when the node stops, before the federation and the store. */
  stop(): Promise<void>;
  /** Adds to `GET /api/v1/status` (alerts, link health): returns the status with its additions. */
  decorate?(status: StatusView): StatusView;
  /** Operator routes, registered inside the operator API (bearer tokens apply) and described in the OpenAPI document. */
  routes?(api: FastifyInstance, doc: ApiDocument): void;
  /** The JSON Schemas of what `decorate` adds to the status (the API serialises only what a schema names). */
  readonly status?: StatusAdditions;
  /** Event names it publishes on the event stream, for the reader of GET /api/v1/regimes. */
  readonly events?: readonly string[];
}
