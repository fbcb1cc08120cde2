/**
 * The talks record's live service: its operator routes, nothing running in the background.
 *
 * - `GET /api/v1/talks`: the meetings held, with their readouts, statements and commitments;
 * - `GET /api/v1/talks/statements`: the joint statements with who has endorsed them;
 * - `GET /api/v1/talks/{meeting}/compare`: the divergence report of a meeting's readouts.
 *
 * Each answer is the pure function of src/regimes/talks over the entries this node holds (read
 * from its ledger at the request), so it is what `parley talks … --json` prints for the folder.
 */
import type { FastifyInstance } from 'fastify';
import { READERS } from '../../../http/auth.js';
import type { ApiDocument } from '../../../http/openapi.js';
import type { Ledger } from '../../../ledger/ledger.js';
import { ParleyError } from '../../../protocol/errors.js';
import { recordsOf } from '../../monitor.js';
import type { LiveService, ServiceDeps } from '../../module.js';
import { divergence } from '../divergence.js';
import { talksList, talksStatements } from '../views.js';

const str = { type: 'string' } as const;
const strs = { type: 'array', items: str } as const;
const nullableStr = { type: ['string', 'null'] } as const;

export const meetingListSchema = {
  type: 'array',
  items: { type: 'object', properties: { id: str, title: str, at: str, parties: strs, readouts: strs, statements: strs, commitments: strs } },
} as const;

export const statementListSchema = {
  type: 'array',
  items: { type: 'object', properties: { id: str, title: str, meeting: str, signatories: strs, endorsed: strs, missing: strs, adopted: nullableStr } },
} as const;

export const divergenceSchema = {
  type: 'object',
  properties: {
    meeting: str,
    readouts: { type: 'array', items: { type: 'object', properties: { party: str, id: str, amends: strs } } },
    note: str,
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          item: str,
          title: str,
          in: strs,
          missingFrom: strs,
          differences: { type: 'array', items: { type: 'object', properties: { kind: { enum: ['attributed-position', 'agreement-claimed', 'not-discussed', 'text'] }, party: str, about: str, text: str } } },
        },
      },
    },
  },
} as const;

export function talksRoutes(api: FastifyInstance, ledger: Ledger, doc: ApiDocument): void {
  const query = { type: 'object', additionalProperties: false, properties: { token: str } } as const;
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/talks',
    tag: 'operator',
    summary: 'The talks record: the meetings held, each with its parties, readouts, joint statements and commitments',
    roles: READERS,
    querystring: query,
    responses: { 200: { description: 'Meetings, by time.', schema: meetingListSchema } },
    handler: async () => talksList(await recordsOf(ledger)),
  });
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/talks/statements',
    tag: 'operator',
    summary: 'Joint statements (agreement proposals that set no terms): signatories, who has endorsed that exact text, who has not, when adopted',
    roles: READERS,
    querystring: query,
    responses: { 200: { description: 'Statements, in record order.', schema: statementListSchema } },
    handler: async () => talksStatements(await recordsOf(ledger)),
  });
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/talks/:meeting/compare',
    tag: 'operator',
    summary: 'The divergence report of a meeting: per agenda item, which readouts cover it, and where they differ (attributed positions, claimed agreements, items said not discussed, a word diff of the text)',
    roles: READERS,
    params: { type: 'object', required: ['meeting'], properties: { meeting: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'Entry id of the talks.meeting.' } } },
    querystring: query,
    responses: { 200: { description: 'The report; byte-identical at every node holding the same readouts.', schema: divergenceSchema } },
    handler: async (request) => {
      const { meeting } = request.params as { meeting: string };
      const report = divergence(meeting, await recordsOf(ledger));
      if (!report) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `this node holds no talks.meeting ${meeting} with its content (see GET /api/v1/talks)`);
      return report;
    },
  });
}

/** Routes only: the talks record needs nothing running between requests. */
export function talksService(deps: ServiceDeps): LiveService {
  return {
    start: () => undefined,
    stop: async () => undefined,
    routes: (api, doc) => talksRoutes(api, deps.ledger, doc),
  };
}
