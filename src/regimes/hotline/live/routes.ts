/**
 * The hotline's operator route: `GET /api/v1/hotline`, the picture `parley hotline watch` (and
 * the console) draws — recent messages with each addressee's receipt and acknowledgement state,
 * link health per peer, raised alarms. Sending and acknowledging are ordinary entries
 * (`POST /api/v1/entries` with `hotline.message` / `hotline.ack`); changes arrive on
 * `GET /api/v1/events` as `entry`, `alarm` and `hotline` events.
 *
 * Registered inside the operator API's scope (its bearer-token hook applies).
 */
import type { FastifyInstance } from 'fastify';
import { READERS } from '../../../http/auth.js';
import type { ApiDocument } from '../../../http/openapi.js';
import type { HotlineRuntime } from './runtime.js';
import { hotlineViewSchema } from './api-schemas.js';

export function hotlineRoutes(api: FastifyInstance, hotline: HotlineRuntime, doc: ApiDocument): void {
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/hotline',
    tag: 'operator',
    summary: 'The hotline: recent messages with each addressee\'s receipt and acknowledgement state, link health per peer, raised alarms',
    roles: READERS,
    responses: { 200: { description: 'The hotline picture.', schema: hotlineViewSchema } },
    handler: async () => hotline.view(),
  });
}
