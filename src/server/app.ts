/**
 * The node's HTTP server: one Fastify instance for the route plugins the node passes in (the
 * federation API for peers, the operator API, the console), one error boundary:
 * every refusal is `{"error":{"code","message"}}` with the registry's status, and no input a
 * client can send produces a 5xx.
 */
import { STATUS_CODES } from 'node:http';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { ERRORS, ParleyError, asParleyError, type ErrorCode } from '../protocol/errors.js';
import { ApiDocument } from '../http/openapi.js';
import type { AppContext, RoutePlugin } from './context.js';

/** Largest operator API body (a maximal 256 KiB content, JSON-escaped, or a proof bundle). */
export const OPERATOR_BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  /** Fastify's logger option: pino options, or false for none (tests). */
  logger: FastifyServerOptions['logger'];
}

/** Creates the Fastify instance with Parley's error boundary; routes are added by {@link registerRoutes}. */
export function createApp(options: AppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: OPERATOR_BODY_LIMIT,
    // Parley logs one line per refused request itself (onResponse below), not two per request.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: false,
    routerOptions: { maxParamLength: 200 },
    // Errors Fastify raises before routing (a bad URL, an overlong parameter) in Parley's shape too.
    frameworkErrors: (err, _request, reply) => {
      void (reply as unknown as FastifyReply).code(400).send({ error: { code: 'PARLEY_ERR_BAD_ARGUMENT', message: err.message.slice(0, 300) } });
    },
    // Requests Node's HTTP parser refuses before Fastify sees them (headers too large, a malformed request line) in Parley's shape too.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return void socket.destroy();
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const status = tooLarge ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const body = JSON.stringify({
        error: tooLarge
          ? { code: 'PARLEY_ERR_HEADERS_TOO_LARGE', message: 'the request headers are larger than this node takes (16 KiB); nothing was done' }
          : { code: 'PARLEY_ERR_BAD_ARGUMENT', message: `the request is not well-formed HTTP (${String(err.code ?? 'bad request').slice(0, 40)}); nothing was done` },
      });
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const e = toParleyError(err);
    if (e.status >= 500) request.log.error({ err, code: e.code }, 'request failed');
    void reply.code(e.status).send({ error: e.toJSON() });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: { code: 'PARLEY_ERR_NOT_FOUND', message: `there is no ${request.method} ${request.url.split('?')[0].slice(0, 200)} on this node; see /api/v1/openapi.json` } });
  });
  app.addHook('onResponse', async (request, reply) => {
    const line = { method: request.method, url: redactToken(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100, peer: request.peer, role: request.role };
    if (reply.statusCode >= 400) request.log.info(line, 'refused');
    else request.log.debug(line, 'request');
  });
  return app;
}

/**
 * Adds the node-wide hooks and the given route plugins, each in its own scope, all described in
 * one OpenAPI document. The server knows no route of its own: the caller (the node) chooses them.
 *
 * @example
 *   registerRoutes(app, ctx, [federationRoutes, operatorRoutes, consoleRoutes]);
 */
export function registerRoutes(app: FastifyInstance, ctx: AppContext, plugins: readonly RoutePlugin[]): ApiDocument {
  const doc = new ApiDocument();
  app.addHook('onRequest', async (_request, reply) => {
    if (ctx.closing()) {
      // And close the connection after this answer, so keep-alive clients let the server stop.
      void reply.header('connection', 'close');
      throw new ParleyError('PARLEY_ERR_CLOSED', 'this node is shutting down and takes no new work; retry when it is back');
    }
  });
  app.addHook('preHandler', async (request) => {
    // Ajv coerces "1e400" to Infinity and then counts it an integer; no route takes an infinite number.
    const q = request.query as Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(q ?? {})) {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `querystring/${k} must be a finite number`);
    }
  });
  for (const plugin of plugins) void app.register(async (scope) => plugin(scope, ctx, doc));
  return doc;
}

/** The one place an unknown throw (ours, Fastify's, a bug's) becomes a ParleyError. */
export function toParleyError(err: unknown): ParleyError {
  if (err instanceof ParleyError) return err;
  const f = err as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (f && f.validation) return new ParleyError('PARLEY_ERR_BAD_ARGUMENT', (f.message ?? `${f.validationContext ?? 'request'} is invalid`).slice(0, 500), undefined, { cause: err });
  const status = typeof f?.statusCode === 'number' ? f.statusCode : 500;
  if (status === 413 || f?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ParleyError('PARLEY_ERR_TOO_LARGE', `the request body is larger than this route's limit; nothing was stored`, undefined, { cause: err });
  if (status >= 400 && status < 500) {
    const code: ErrorCode =
      err instanceof SyntaxError || f?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || f?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(f?.message ?? '')
        ? 'PARLEY_ERR_MALFORMED_JSON'
        : status === 404
          ? 'PARLEY_ERR_NOT_FOUND'
          : 'PARLEY_ERR_BAD_ARGUMENT';
    return new ParleyError(code, (f?.message ?? ERRORS[code].message).slice(0, 500), undefined, { cause: err });
  }
  return asParleyError(err);
}

function redactToken(url: string): string {
  return url.replace(/([?&](?:token|ticket)=)[^&]*/g, '$1…');
}
