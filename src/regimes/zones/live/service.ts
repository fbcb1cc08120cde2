/**
 * The frontier zones' live service: operator routes, nothing running in the background.
 *
 * - `GET /api/v1/zones`: per zone in force, its side, ceilings, latest declared and observed
 *   figures and findings (what `parley zones status --json` prints for the folder);
 * - `GET /api/v1/zones/map`: the same with each zone's area, the observers' posts, reports and
 *   restrictions and the zones each falls in (the console's map).
 *
 * Each answer is the pure function of src/regimes/zones over the entries this node holds, read
 * from its ledger at the request, as of `at` (default now).
 */
import type { FastifyInstance } from 'fastify';
import { READERS } from '../../../http/auth.js';
import type { ApiDocument } from '../../../http/openapi.js';
import type { Ledger } from '../../../ledger/ledger.js';
import { parseInstant } from '../../../protocol/time.js';
import { recordOf } from '../../monitor.js';
import type { LiveService, ServiceDeps } from '../../module.js';
import type { Regime, RecordEntry } from '../../types.js';
import { mapOf, statusOf } from '../views.js';

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const counts = { type: 'object', additionalProperties: { type: 'integer' } } as const;
const position = { type: 'array', items: { type: 'number' } } as const;
const finding = {
  type: 'object',
  properties: { id: str, rule: str, citation: str, severity: str, parties: { type: 'array', items: str }, explanation: str, evidence: { type: 'array', items: str }, at: str },
} as const;
const observed = { type: 'object', properties: { by: str, party: str, at: str, place: nullableStr, position, counts, entry: str } } as const;
const zone = {
  type: 'object',
  properties: {
    zone: str,
    name: str,
    side: str,
    agreement: str,
    parties: { type: 'array', items: str },
    inForce: str,
    band: { type: ['object', 'null'], properties: { between: { type: 'array', items: str }, widthKm: { type: 'number' }, resolution: str } },
    ceilings: { type: 'object', additionalProperties: counts },
    activityLimit: counts,
    declared: { type: 'object', additionalProperties: { type: 'object', properties: { asOf: str, counts, entry: str } } },
    observed: { type: 'array', items: observed },
    findings: { type: 'array', items: finding },
  },
} as const;

export const zonesStatusSchema = {
  type: 'object',
  properties: { at: str, zones: { type: 'array', items: zone }, findings: { type: 'array', items: finding }, outside: { type: 'array', items: observed } },
} as const;

const located = { entry: str, by: str, at: str, position, place: nullableStr, zones: { type: 'array', items: str } } as const;
export const zonesMapSchema = {
  type: 'object',
  properties: {
    ...zonesStatusSchema.properties,
    areas: { type: 'object', additionalProperties: { type: 'object', additionalProperties: true } },
    posts: { type: 'array', items: { type: 'object', properties: { mission: str, observers: str, name: str, side: str, position } } },
    patrols: { type: 'array', items: { type: 'object', properties: { mission: str, observers: str, area: { type: 'object', additionalProperties: true } } } },
    reports: { type: 'array', items: { type: 'object', properties: { ...located, party: str, counts } } },
    restrictions: { type: 'array', items: { type: 'object', properties: { ...located, deniedBy: str, reason: nullableStr } } },
  },
} as const;

async function heldEntries(ledger: Ledger): Promise<RecordEntry[]> {
  const out: RecordEntry[] = [];
  for await (const e of ledger.all()) out.push(recordOf(e));
  return out;
}

const query = {
  type: 'object',
  additionalProperties: false,
  properties: { token: str, at: { type: 'string', description: 'As of this instant (RFC 3339 with a zone, or a date); default now.' } },
} as const;

const instant = (q: unknown): number => {
  const at = (q as { at?: string }).at;
  return at === undefined ? Date.now() : parseInstant(at, 'at');
};

export function zonesRoutes(api: FastifyInstance, ledger: Ledger, regime: Regime, doc: ApiDocument): void {
  const routes = [
    {
      url: '/api/v1/zones',
      summary: 'The frontier zones in force: per zone its side, ceilings per party, the latest declared and observed figures, its findings; reports outside every zone',
      description: 'Zones, in the agreements\' order; byte-identical at every node holding the same entries.',
      schema: zonesStatusSchema,
      view: statusOf,
    },
    {
      url: '/api/v1/zones/map',
      summary: 'The zones with their areas (GeoJSON), observer posts, reports and restrictions with the zones each falls in',
      description: 'What the console\'s zones map draws.',
      schema: zonesMapSchema,
      view: mapOf,
    },
  ];
  for (const r of routes) {
    doc.route(api, {
      method: 'GET',
      url: r.url,
      tag: 'operator',
      summary: r.summary,
      roles: READERS,
      querystring: query,
      responses: { 200: { description: r.description, schema: r.schema } },
      handler: async (request) => r.view(regime, await heldEntries(ledger), instant(request.query)),
    });
  }
}

/** Routes only: the frontier zones need nothing running between requests. */
export function zonesService(regime: Regime): (deps: ServiceDeps) => LiveService {
  return (deps) => ({
    start: () => undefined,
    stop: async () => undefined,
    routes: (api, doc) => zonesRoutes(api, deps.ledger, regime, doc),
  });
}
