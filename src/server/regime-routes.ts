/**
 * `GET /api/v1/obligations` and `GET /api/v1/findings`: the regimes' verdicts on what this node
 * holds, as of now or of `?at=` (history can be read as it stood at any instant). Findings are a
 * pure function of the entries and the regime versions, which every answer names.
 * `GET /api/v1/regimes`: which regimes those are — rules with citations, and the terms in force
 * (defaults, and the agreements adopted in the record).
 */
import type { FastifyInstance } from 'fastify';
import { parseInstant } from '../protocol/time.js';
import type { RegimeMonitor } from '../regimes/monitor.js';
import { READERS } from '../http/auth.js';
import type { ApiDocument } from '../http/openapi.js';
import { regimesSchema } from './schemas.js';

const query = {
  type: 'object',
  additionalProperties: false,
  properties: {
    at: { type: 'string', maxLength: 40, description: 'Evaluation time: RFC 3339 with Z or an offset, or a date (UTC midnight); default now. A time without a zone is refused.' },
    party: { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,15}$', description: 'Only those concerning this party.' },
    rule: { type: 'string', maxLength: 100, description: 'Only this rule id.' },
    status: { enum: ['open', 'met', 'met-late', 'missed'], description: 'Obligations: only this status.' },
    severity: { enum: ['violation', 'warning', 'info'], description: 'Findings: only this severity.' },
  },
} as const;

const versions = { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'string' } } } } as const;
const obligation = {
  type: 'object',
  properties: {
    id: { type: 'string' }, rule: { type: 'string' }, citation: { type: 'string' }, debtor: { type: 'string' },
    creditors: { type: 'array', items: { type: 'string' } }, what: { type: 'string' }, due: { type: 'string' },
    status: { type: 'string' }, metBy: { type: 'string' }, evidence: { type: 'array', items: { type: 'string' } },
  },
} as const;
const finding = {
  type: 'object',
  properties: {
    id: { type: 'string' }, rule: { type: 'string' }, citation: { type: 'string' }, severity: { type: 'string' },
    parties: { type: 'array', items: { type: 'string' } }, explanation: { type: 'string' },
    evidence: { type: 'array', items: { type: 'string' } }, at: { type: 'string' },
  },
} as const;

type Query = { at?: string; party?: string; rule?: string; status?: string; severity?: string };

function instant(q: Query, now: number): number {
  return q.at === undefined ? now : parseInstant(q.at, 'at');
}

export function regimeRoutes(api: FastifyInstance, monitor: RegimeMonitor, now: () => number, doc: ApiDocument): void {
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/regimes',
    tag: 'operator',
    summary: 'The regimes this node evaluates: id, version, rules with citations, and their terms in force — defaults and the agreements adopted in the record',
    roles: READERS,
    querystring: { type: 'object', additionalProperties: false, properties: { at: query.properties.at } },
    responses: { 200: { description: 'Regimes, in evaluation order.', schema: regimesSchema } },
    handler: async (request) => {
      const at = instant(request.query as Query, now());
      return { at: new Date(at).toISOString(), regimes: monitor.describe(at) };
    },
  });

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/obligations',
    tag: 'operator',
    summary: 'Obligations: who owes what to whom by when, under which rule, and whether it was met',
    roles: READERS,
    querystring: query,
    responses: { 200: { description: 'Obligations, by due time.', schema: { type: 'object', properties: { at: { type: 'string' }, regimes: versions, obligations: { type: 'array', items: obligation } } } } },
    handler: async (request) => {
      const q = request.query as Query;
      const r = monitor.report(instant(q, now()));
      const obligations = r.obligations.filter(
        (o) => (!q.party || o.debtor === q.party || o.creditors.includes(q.party) || o.creditors.includes('*')) && (!q.rule || o.rule === q.rule) && (!q.status || o.status === q.status),
      );
      return { at: r.at, regimes: r.regimes, obligations };
    },
  });

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/findings',
    tag: 'operator',
    summary: 'Findings: each rule\'s verdict on the record, with its citation, severity, parties and evidence entries',
    roles: READERS,
    querystring: query,
    responses: { 200: { description: 'Findings, by time.', schema: { type: 'object', properties: { at: { type: 'string' }, regimes: versions, findings: { type: 'array', items: finding } } } } },
    handler: async (request) => {
      const q = request.query as Query;
      const r = monitor.report(instant(q, now()));
      const findings = r.findings.filter((f) => (!q.party || f.parties.includes(q.party)) && (!q.rule || f.rule === q.rule) && (!q.severity || f.severity === q.severity));
      return { at: r.at, regimes: r.regimes, findings };
    },
  });
}
