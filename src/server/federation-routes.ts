/**
 * `/federation/v1`: what peers call. Every request is signed by a roster party (RFC 9421, see
 * src/federation/http-signature.ts); the headers are checked before the body is read, the body's
 * digest and signature after, and every 2xx reply is signed back.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../protocol/errors.js';
import { utf8Strict } from '../protocol/bytes.js';
import { LOG_PATH, MAX_FEDERATION_BODY, PUSH_PATH } from '../federation/wire.js';
import type { AppContext } from './context.js';
import { claimedPeer, DEFAULT_RATE_LIMITS, rateLimited } from './limits.js';
import type { ApiDocument } from '../http/openapi.js';
import { logPageSchema, logParams, logQuery, pushReplySchema, pushRequestSchema } from './schemas.js';

export async function federationRoutes(f: FastifyInstance, ctx: AppContext, doc: ApiDocument): Promise<void> {
  // The signature covers the exact bytes: keep them, parse JSON only after they are authenticated.
  await rateLimited(f, ctx.rateLimits?.federation ?? DEFAULT_RATE_LIMITS.federation, claimedPeer);
  f.removeAllContentTypeParsers();
  f.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_FEDERATION_BODY }, (_request, body, done) => done(null, body));

  const authenticate = async (request: FastifyRequest, body: Buffer | undefined) => {
    const v = await ctx.federation.authenticate({
      method: request.method,
      authority: request.headers.host,
      pathAndQuery: request.raw.url ?? request.url,
      headers: request.headers,
      body,
    });
    request.peer = v.party;
    request.peerNonce = v.nonce;
    request.peerRecorded = v.recorded;
  };
  /** Serves an authenticated request while its nonce is recorded; answers only once it is. */
  const served = async <T>(request: FastifyRequest, work: Promise<T>): Promise<T> => (await Promise.all([work, request.peerRecorded]))[0];
  f.addHook('onRequest', async (request) => {
    // A request without a body is authenticated at once; one with a body has its headers checked
    // now (a stranger's body is never read) and its digest and signature once the bytes are in.
    if (request.method === 'GET' || request.method === 'HEAD') await authenticate(request, undefined);
    else await ctx.federation.precheck(request.headers, true);
  });
  f.addHook('preHandler', async (request) => {
    if (!request.peer) await authenticate(request, Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
  });
  f.addHook('onSend', async (request, reply, payload) => {
    if (request.peer && request.peerNonce && reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
      void reply.headers(ctx.federation.signReply(reply.statusCode, Buffer.from(payload, 'utf8'), request.peer, request.peerNonce));
    }
    return payload;
  });

  doc.route(f, {
    method: 'POST',
    url: PUSH_PATH,
    tag: 'federation',
    summary: 'Push a batch of the sender\'s own entries',
    description:
      'At most one batch in flight per sender; retried with the same batch id until a 2xx (idempotent by (author, seq)). Accepted all-or-nothing through the Protocol v1 acceptance rules; entries beyond a gap are held and pulled. The reply carries the receipt the receiver wrote in the same commit, the seq it holds, and its known heads (gossip).',
    body: pushRequestSchema,
    validateBody: false,
    responses: { 200: { description: 'The batch is held (or was already).', schema: pushReplySchema } },
    refusals: [
      'PARLEY_ERR_MALFORMED_JSON', 'PARLEY_ERR_BAD_ENVELOPE', 'PARLEY_ERR_BAD_HEADER', 'PARLEY_ERR_BAD_SIGNATURE', 'PARLEY_ERR_CHAIN_ORDER',
      'PARLEY_ERR_BAD_PREV', 'PARLEY_ERR_BAD_ROOT', 'PARLEY_ERR_CONTENT_HASH', 'PARLEY_ERR_FUTURE_TIME', 'PARLEY_ERR_SCHEMA', 'PARLEY_ERR_ADDRESSEES', 'PARLEY_ERR_UNKNOWN_TYPE',
      'PARLEY_ERR_FORBIDDEN', 'PARLEY_ERR_TOO_LARGE', 'PARLEY_ERR_CLOSED',
    ],
    handler: async (request) => {
      let body: unknown;
      try {
        body = JSON.parse(utf8Strict((request.body as Buffer | undefined) ?? Buffer.alloc(0), 'the push body'));
      } catch (err) {
        if (err instanceof ParleyError) throw err;
        throw new ParleyError('PARLEY_ERR_MALFORMED_JSON', 'the push body is not JSON');
      }
      return served(request, ctx.federation.handlePush(request.peer!, body));
    },
  });

  doc.route(f, {
    method: 'GET',
    url: `${LOG_PATH}/:author`,
    tag: 'federation',
    summary: 'Pull an author\'s log (catch-up after a gap or a restart, fork evidence)',
    description: 'Entries of the author after seq `after`, in seq order: stubs, with content only where the requester is an addressee (or the author).',
    params: logParams,
    querystring: logQuery,
    responses: { 200: { description: 'A page of the log.', schema: logPageSchema } },
    refusals: ['PARLEY_ERR_NOT_FOUND'],
    handler: async (request) => {
      const { author } = request.params as { author: string };
      const { after, limit } = request.query as { after: number; limit: number };
      return served(request, ctx.federation.handleLog(request.peer!, author, after, limit));
    },
  });
}
