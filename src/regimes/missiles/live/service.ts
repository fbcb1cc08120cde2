/**
 * The missile regime's live service: its operator routes, nothing running in the background.
 *
 * - `GET /api/v1/missiles/sites[?at=T]`: the commitments in force, side by side, and each party's
 *   declared sites as they stand (range and distance to the other party's territory);
 * - `GET /api/v1/missiles/visits[?at=T]`: each party's visits from request to the host's answer to
 *   the report, with their deadlines, and quota use per side.
 *
 * Each answer is the pure function of src/regimes/missiles over the entries this node holds (read
 * from its ledger at the request), so it is what `parley missiles sites|visits --json` prints for
 * the folder at the same instant.
 */
import type { FastifyInstance } from 'fastify';
import { READERS } from '../../../http/auth.js';
import type { ApiDocument } from '../../../http/openapi.js';
import type { Ledger } from '../../../ledger/ledger.js';
import { parseInstant } from '../../../protocol/time.js';
import { recordsOf } from '../../monitor.js';
import type { LiveService, ServiceDeps } from '../../module.js';
import { missilesSites, missilesVisits } from '../views.js';

const query = {
  type: 'object',
  additionalProperties: false,
  properties: { at: { type: 'string', description: 'The instant (RFC 3339 with a time zone, or a date): the record as it stood then. Default now.' }, token: { type: 'string' } },
} as const;

// The views are nested and sorted by the regime; the answer is their JSON as is.
export const sitesSchema = { type: 'object', additionalProperties: true, description: 'at, commitments (per pair: classes, area, each side\'s figures), parties (each with its sites).' } as const;
export const visitsSchema = { type: 'object', additionalProperties: true, description: 'at, parties (each visiting party with its visits and quota use).' } as const;

const instant = (q: { at?: string }): number => (q.at === undefined ? Date.now() : parseInstant(q.at, 'at'));

export function missilesRoutes(api: FastifyInstance, ledger: Ledger, doc: ApiDocument): void {
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/missiles/sites',
    tag: 'operator',
    summary: 'The missile commitments in force, side by side per party, and each party\'s declared sites: launchers, systems present or absent with their range, distance to the other party\'s territory',
    roles: READERS,
    querystring: query,
    responses: { 200: { description: 'Byte-identical at every node holding the same entries, for the same at.', schema: sitesSchema } },
    handler: async (request) => {
      const at = instant(request.query as { at?: string });
      return missilesSites(await recordsOf(ledger), at);
    },
  });
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/missiles/visits',
    tag: 'operator',
    summary: 'Transparency visits per visiting party: request, reply (deadline, window or reason), report (what was checked, outcome), the host\'s countersignature or dispute; quota use per side and year',
    roles: READERS,
    querystring: query,
    responses: { 200: { description: 'Byte-identical at every node holding the same entries, for the same at.', schema: visitsSchema } },
    handler: async (request) => {
      const at = instant(request.query as { at?: string });
      return missilesVisits(await recordsOf(ledger), at);
    },
  });
}

/** Routes only: the missile regime needs nothing running between requests. */
export function missilesService(deps: ServiceDeps): LiveService {
  return {
    start: () => undefined,
    stop: async () => undefined,
    routes: (api, doc) => missilesRoutes(api, deps.ledger, doc),
  };
}
