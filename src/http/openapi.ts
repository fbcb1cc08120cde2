/**
 * The OpenAPI 3.1 document of a node, built from the same route definitions (and JSON Schemas)
 * the server registers — a route cannot exist without being described. Below the server, so that
 * any module contributing routes (the hotline) describes them without importing the server.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { ERRORS } from '../protocol/errors.js';
import type { Role } from './auth.js';

declare module 'fastify' {
  /** What {@link ApiDocument.route} puts in a route's config, for the server's authentication hooks. */
  interface FastifyContextConfig {
    roles?: readonly Role[];
    ticketInQuery?: boolean;
    public?: boolean;
  }
}

type Schema = Record<string, unknown>;

/** Every refusal's body, in the document's components. */
export const errorSchema = {
  type: 'object',
  description: 'Every refusal: a stable code from the registry (the API) and a message for a person.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', pattern: '^PARLEY_ERR_[A-Z_]+$' }, message: { type: 'string' }, detail: { type: 'object' } },
    },
  },
} as const;

export interface RouteDef {
  method: HTTPMethods;
  url: string;
  summary: string;
  description?: string;
  tag: 'operator' | 'federation';
  /** Operator roles allowed; absent on federation routes (signed by a roster party) and public ones. */
  roles?: readonly Role[];
  /** A short-lived, single-use ticket may stand for the operator token as ?ticket= (EventSource cannot set headers; a token never travels in a URL). */
  ticketInQuery?: boolean;
  /** Needs no credential at all. */
  public?: boolean;
  params?: Schema;
  querystring?: Schema;
  body?: Schema;
  /** Fastify validates `body` unless the route parses its own bytes (the signed federation push). */
  validateBody?: boolean;
  responses: Record<number, { description: string; schema?: Schema; contentType?: string }>;
  /** Codes this route may refuse with, beyond the authentication ones. */
  refusals?: readonly (keyof typeof ERRORS)[];
  handler: (request: FastifyRequest, reply: FastifyReply) => unknown;
}

export class ApiDocument {
  readonly #routes: RouteDef[] = [];

  /** Registers a route on `app` and describes it in the document. */
  route(app: FastifyInstance, def: RouteDef): void {
    this.#routes.push(def);
    const schema: Schema = {};
    if (def.params) schema.params = def.params;
    if (def.querystring) schema.querystring = def.querystring;
    if (def.body && def.validateBody !== false) schema.body = def.body;
    app.route({
      method: def.method,
      url: def.url,
      schema,
      config: { roles: def.roles, ticketInQuery: def.ticketInQuery ?? false, public: def.public ?? false },
      handler: def.handler,
    });
  }

  document(info: { party: string; version: string }): Schema {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of this.#routes) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const parameters: Schema[] = [];
      for (const [where, schema] of [['path', r.params], ['query', r.querystring]] as const) {
        const props = (schema?.properties ?? {}) as Record<string, Schema>;
        const required = (schema?.required ?? []) as string[];
        for (const [name, s] of Object.entries(props)) {
          parameters.push({ name, in: where, required: where === 'path' || required.includes(name), schema: s, ...(s.description ? { description: s.description } : {}) });
        }
      }
      const responses: Record<string, unknown> = {};
      for (const [status, res] of Object.entries(r.responses)) {
        responses[status] = { description: res.description, ...(res.schema ? { content: { [res.contentType ?? 'application/json']: { schema: res.schema } } } : {}) };
      }
      const codes = new Set<keyof typeof ERRORS>(r.refusals ?? []);
      if (!r.public) codes.add('PARLEY_ERR_UNAUTHENTICATED');
      if (r.roles) codes.add('PARLEY_ERR_FORBIDDEN');
      if (r.tag === 'federation') codes.add('PARLEY_ERR_REPLAY');
      if (r.params || r.querystring || r.body) codes.add('PARLEY_ERR_BAD_ARGUMENT');
      const byStatus = new Map<number, string[]>();
      for (const c of codes) byStatus.set(ERRORS[c].status, [...(byStatus.get(ERRORS[c].status) ?? []), c]);
      for (const [status, list] of byStatus) {
        responses[String(status)] ??= { description: `Refused: ${list.join(', ')}`, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
      }
      const operation: Schema = {
        operationId: `${r.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
        tags: [r.tag],
        summary: r.summary,
        ...(r.description ? { description: r.description } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
        responses,
        security: r.public ? [] : r.tag === 'federation' ? [{ httpMessageSignature: [] }] : r.ticketInQuery ? [{ bearer: [] }, { ticketQuery: [] }] : [{ bearer: [] }],
        ...(r.roles ? { 'x-parley-roles': r.roles } : {}),
      };
      (paths[path] ??= {})[r.method.toLowerCase()] = operation;
    }
    return {
      openapi: '3.1.0',
      info: {
        title: `Parley node ${info.party}`,
        version: info.version,
        description:
          'The operator API (/api/v1: bearer tokens with roles — officer sends and acknowledges, analyst reads, admin manages the roster) and the federation API (/federation/v1: requests signed with RFC 9421 HTTP Message Signatures by a roster party\'s Ed25519 key). Every refusal is {"error":{"code","message"}} with a stable PARLEY_ERR_ code.',
      },
      paths,
      components: {
        schemas: { Error: errorSchema },
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An operator token from the node folder\'s tokens.json.' },
          ticketQuery: { type: 'apiKey', in: 'query', name: 'ticket', description: 'A ticket from POST /api/v1/events/ticket: single use, valid 60 s, for the event stream only.' },
          httpMessageSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'Signature',
            description:
              'RFC 9421: Signature-Input parley=("@method" "@authority" "@path" "@query" "parley-to" "content-digest");created;nonce;keyid=<party>;alg="ed25519";tag="parley-v1", with an RFC 9530 Content-Digest on bodies; created within 5 minutes of the receiving node clock; each nonce once. 2xx replies are signed back over "@status" "parley-to" "content-digest" with the request nonce.',
          },
        },
      },
      'x-parley-error-codes': Object.fromEntries(Object.entries(ERRORS).map(([code, e]) => [code, { status: e.status, message: e.message }])),
    };
  }
}
