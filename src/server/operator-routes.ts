/**
 * `/api/v1`: the operator API. Bearer tokens with roles: `officer` sends, `analyst` reads, `admin`
 * manages the roster; every role reads. The API returns only what this node holds: content of
 * entries addressed to this party (and its own), stubs of the rest.
 */
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../protocol/errors.js';
import { checkProof } from '../protocol/proof.js';
import { parseDescriptor, rosterChangeToConfirm } from '../ledger/roster.js';
import type { VerifyReport } from '../ledger/verify.js';
import type { AppendInput, LedgerEntry } from '../ledger/ledger.js';
import { bearer, READERS } from '../http/auth.js';
import type { AppContext } from './context.js';
import type { ApiDocument } from '../http/openapi.js';
import {
  descriptorSchema, entriesPage, entriesQuery, entrySchema, eventsQuery, idParams, proofBundleSchema, proofVerdictSchema, rosterSchema,
  sendSchema, sentSchema, statusSchemaWith, verifyReportSchema,
} from './schemas.js';
import { MAX_EVENT_CLIENTS_PER_OWNER, type PublishedEvent } from './events.js';
import type { LiveService, StatusView } from '../regimes/module.js';
import { regimeRoutes } from './regime-routes.js';
import { Tickets } from '../http/tickets.js';
import { utf8Strict } from '../protocol/bytes.js';
import { claimedCredential, DEFAULT_RATE_LIMITS, rateLimited } from './limits.js';
import { createHash } from 'node:crypto';
import { recordOf } from '../regimes/monitor.js';
import type { RecordEntry } from '../regimes/types.js';

/** Rows an entries query with a type filter looks through before it answers with what it found. */
const TYPE_SCAN_LIMIT = 10_000;
/** An entries page stops growing past about this many bytes (contents may be 256 KiB each). */
const PAGE_BYTES = 8 * 1024 * 1024;
/** Entries replayed to a reconnecting event stream, at most. */
const EVENT_REPLAY_LIMIT = 1000;
/** Entries read from the store at a time for a replay (up to 256 KiB each). */
const EVENT_REPLAY_PAGE = 16;

function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ParleyError('PARLEY_ERR_MALFORMED_JSON', `the request body is not JSON: ${(e as Error).message}`);
  }
}

/** The API's view of an entry (what the ledger returns; no field this node does not hold). */
export function entryView(e: LedgerEntry): LedgerEntry {
  return e;
}

export async function operatorRoutes(api: FastifyInstance, ctx: AppContext, doc: ApiDocument): Promise<void> {
  const services = ctx.services ?? [];
  const tickets = new Tickets();
  // JSON bodies decoded strictly: invalid UTF-8 is refused, not replaced with U+FFFD and signed.
  api.removeContentTypeParser('application/json');
  api.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      const text = utf8Strict(body as Buffer, 'the request body');
      if (text.trim() === '') throw new ParleyError('PARLEY_ERR_MALFORMED_JSON', 'the request body is empty; send a JSON value');
      done(null, parseJsonBody(text));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  await rateLimited(api, ctx.rateLimits?.operator ?? DEFAULT_RATE_LIMITS.operator, claimedCredential);
  api.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public) return;
    const token = bearer(request.headers.authorization);
    const q = request.query as { ticket?: unknown } | undefined;
    const ticket = !token && config.ticketInQuery && typeof q?.ticket === 'string' ? tickets.take(q.ticket, Date.now()) : undefined;
    if (ticket === 'expired') throw new ParleyError('PARLEY_ERR_TOKEN_EXPIRED', 'this event-stream ticket has expired or was used; get a new one with POST /api/v1/events/ticket');
    const checked = ticket ? { role: ticket.role, id: ticket.id } : ctx.credentials.check(token, Date.now());
    if (checked === 'expired') throw new ParleyError('PARLEY_ERR_TOKEN_EXPIRED', 'this operator token has expired; issue a new one with \'parley token issue\'');
    if (!checked) throw new ParleyError('PARLEY_ERR_UNAUTHENTICATED', 'an operator token is required: Authorization: Bearer <a token from \'parley token issue\'>');
    const role = checked.role;
    if (config.roles && !config.roles.includes(role)) {
      throw new ParleyError('PARLEY_ERR_FORBIDDEN', `the ${role} token cannot do this; it needs one of: ${config.roles.join(', ')}`);
    }
    request.role = role;
    request.credential = checked.id;
  });

  const { ledger, federation } = ctx;

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/openapi.json',
    tag: 'operator',
    summary: 'This document',
    public: true,
    responses: { 200: { description: 'OpenAPI 3.1.', schema: { type: 'object' } } },
    handler: async () => doc.document({ party: ctx.party, version: ctx.version }),
  });

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/status',
    tag: 'operator',
    summary: 'This node\'s delivery status: own seq, every peer\'s link, backlog and receipts, alerts (hotline alarms among them), link health',
    roles: READERS,
    responses: { 200: { description: 'Status.', schema: statusSchemaWith(services.flatMap((s) => (s.status ? [s.status] : []))) } },
    handler: async () => services.reduce((status, s) => s.decorate?.(status) ?? status, federation.status() as StatusView),
  });

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/session',
    tag: 'operator',
    summary: 'Who is asking: this node\'s party and the role of the presented token (the console hides what that role cannot do)',
    roles: READERS,
    responses: {
      200: {
        description: 'The session.',
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['party', 'role', 'can'],
          properties: {
            party: { type: 'string' },
            role: { type: 'string', enum: ['admin', 'officer', 'analyst'] },
            can: { type: 'object', additionalProperties: false, required: ['send'], properties: { send: { type: 'boolean' } } },
          },
        },
      },
    },
    handler: async (request) => ({ party: ctx.party, role: request.role, can: { send: request.role === 'officer' } }),
  });

  doc.route(api, {
    method: 'POST',
    url: '/api/v1/entries/preview',
    tag: 'operator',
    summary: 'What the regimes would say of an entry before it is signed: the findings and obligations it would create if this node appended it now. Nothing is signed, stored or sent.',
    description: 'Evaluates the regimes over the record this node holds plus the proposed entry (this party, now). Schema problems are refused as at append (PARLEY_ERR_SCHEMA).',
    roles: ['officer'],
    body: sendSchema,
    responses: { 200: { description: 'The findings and obligations that would rest on the entry.', schema: { type: 'object', properties: { at: { type: 'string' }, findings: { type: 'array', items: { type: 'object', additionalProperties: true } }, obligations: { type: 'array', items: { type: 'object', additionalProperties: true } } } } } },
    refusals: ['PARLEY_ERR_UNKNOWN_TYPE', 'PARLEY_ERR_SCHEMA', 'PARLEY_ERR_NOT_FOUND'],
    handler: async (request) => {
      const regimes = ctx.regimes;
      if (!regimes) throw new ParleyError('PARLEY_ERR_NOT_FOUND', 'this node evaluates no regimes');
      const input = request.body as AppendInput;
      const checked = ledger.catalogue.validate(input.type, input.body, ctx.party, input.refs);
      if (!checked.ok) throw new ParleyError(checked.error.code, checked.error.message, checked.error.detail);
      const at = ledger.now();
      const records: RecordEntry[] = [];
      for await (const e of ledger.all()) records.push(recordOf(e));
      const id = createHash('sha256').update(JSON.stringify(['preview', ctx.party, at, input])).digest('hex');
      const seq = records.filter((r) => r.author === ctx.party).reduce((m, r) => Math.max(m, r.seq), 0) + 1;
      records.push({ id, author: ctx.party, seq, time: new Date(at).toISOString(), type: input.type, to: input.to, refs: input.refs ?? [], body: input.body as RecordEntry['body'] });
      const r = regimes.registry.evaluate(records, at);
      const mine = (evidence: readonly string[]) => evidence.includes(id);
      return { at: new Date(at).toISOString(), findings: r.findings.filter((f) => mine(f.evidence)), obligations: r.obligations.filter((o) => mine(o.evidence)) };
    },
  });

  doc.route(api, {
    method: 'POST',
    url: '/api/v1/entries',
    tag: 'operator',
    summary: 'Send: sign and append an entry to this party\'s log; the node delivers it to every peer',
    description: 'Answers after the entry is durably committed. Addressees get the content; every other peer gets the stub.',
    roles: ['officer'],
    body: sendSchema,
    responses: { 201: { description: 'Appended (durable).', schema: sentSchema } },
    refusals: ['PARLEY_ERR_UNKNOWN_TYPE', 'PARLEY_ERR_SCHEMA', 'PARLEY_ERR_BAD_CONTENT', 'PARLEY_ERR_UNKNOWN_ADDRESSEE', 'PARLEY_ERR_ADDRESSEES', 'PARLEY_ERR_NOT_FOUND', 'PARLEY_ERR_CONTENT_TOO_LARGE', 'PARLEY_ERR_TOO_LARGE', 'PARLEY_ERR_MALFORMED_JSON', 'PARLEY_ERR_CLOSED'],
    handler: async (request, reply) => {
      const e = await ledger.append(request.body as AppendInput);
      void reply.code(201);
      return { id: e.id, seq: e.seq, author: e.author, time: e.time };
    },
  });

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/entries',
    tag: 'operator',
    summary: 'List entries: one author\'s log by seq, or everything in local arrival order',
    roles: READERS,
    querystring: entriesQuery,
    responses: { 200: { description: 'A page of entries.', schema: entriesPage } },
    handler: async (request) => {
      const q = request.query as { author?: string; after: number; limit: number; type?: string };
      const out: LedgerEntry[] = [];
      let cursor = q.after;
      let scanned = 0;
      let bytes = 0;
      const page = q.type ? 500 : q.limit;
      const full = () => out.length >= q.limit || bytes >= PAGE_BYTES;
      for (;;) {
        const rows = q.author ? await ledger.range(q.author, cursor, page) : await ledger.since(cursor, page);
        for (const e of rows) {
          cursor = q.author ? e.seq : (e.pos ?? cursor);
          scanned++;
          if (!q.type || e.type === q.type) {
            out.push(entryView(e));
            bytes += (e.envelope.content?.length ?? 0) * 2 + 600;
          }
          if (full()) break;
        }
        if (rows.length < page || full() || scanned >= TYPE_SCAN_LIMIT) break;
      }
      return { entries: out, next: cursor };
    },
  });

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/entries/:id',
    tag: 'operator',
    summary: 'One entry by id (with content where this node holds it)',
    roles: READERS,
    params: idParams,
    responses: { 200: { description: 'The entry.', schema: entrySchema } },
    refusals: ['PARLEY_ERR_NOT_FOUND'],
    handler: async (request) => {
      const { id } = request.params as { id: string };
      const e = await ledger.get(id);
      if (!e) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `this node holds no entry ${id}`);
      return entryView(e);
    },
  });

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/entries/:id/proof',
    tag: 'operator',
    summary: 'A proof bundle for an entry: checkable offline by anyone (parley check-proof)',
    roles: READERS,
    params: idParams,
    responses: { 200: { description: 'The bundle.', schema: proofBundleSchema } },
    refusals: ['PARLEY_ERR_NOT_FOUND', 'PARLEY_ERR_NO_CONTENT'],
    handler: async (request) => ledger.prove((request.params as { id: string }).id),
  });

  doc.route(api, {
    method: 'POST',
    url: '/api/v1/proofs/check',
    tag: 'operator',
    summary: 'Check a proof bundle; the verdict names the check that failed',
    roles: READERS,
    body: { type: 'object', description: 'A proof bundle.' },
    responses: { 200: { description: 'The verdict (ok true or false).', schema: proofVerdictSchema } },
    refusals: ['PARLEY_ERR_MALFORMED_JSON', 'PARLEY_ERR_TOO_LARGE'],
    handler: async (request) => {
      const r = checkProof(request.body);
      return r.ok ? { ok: true, proof: r.value } : { ok: false, error: r.error.toJSON() };
    },
  });

  let verifying: Promise<VerifyReport> | undefined;
  doc.route(api, {
    method: 'GET',
    url: '/api/v1/verify',
    tag: 'operator',
    summary: 'Re-check everything this node holds: signatures, chains, Merkle roots, content hashes and schemas, equivocation evidence',
    roles: READERS,
    responses: { 200: { description: 'The report (ok false lists the problems).', schema: verifyReportSchema } },
    handler: async () => {
      // One verification at a time; concurrent callers share its report.
      verifying ??= ledger.verify().finally(() => (verifying = undefined));
      return verifying;
    },
  });

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/catalogue',
    tag: 'operator',
    summary: 'The message catalogue: one JSON Schema per content type',
    roles: READERS,
    responses: { 200: { description: 'Schemas by content type.', schema: { type: 'object', additionalProperties: { type: 'object' } } } },
    handler: async () => ledger.catalogue.all(),
  });

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/roster',
    tag: 'operator',
    summary: 'The roster: every party\'s code, name, URL and pinned key',
    roles: READERS,
    responses: { 200: { description: 'The parties.', schema: rosterSchema } },
    handler: async () => ledger.roster.list(),
  });

  doc.route(api, {
    method: 'POST',
    url: '/api/v1/roster',
    tag: 'operator',
    summary: 'Add a party (or change its name); a different key for a known party is refused; a new URL for a known party, or a key pinned under a second code, only with ?override=true (logged)',
    roles: ['admin'],
    body: descriptorSchema,
    responses: { 200: { description: 'Added or updated.', schema: { type: 'object', properties: { party: { type: 'string' }, added: { type: 'boolean' } } } } },
    querystring: { type: 'object', additionalProperties: false, properties: { override: { type: 'boolean', description: "Confirms a change of a known party's URL, or a key pinned under a second code (logged)." } } },
    refusals: ['PARLEY_ERR_ROSTER_CONFLICT'],
    handler: async (request) => {
      const d = parseDescriptor(request.body);
      if (!d.ok) throw d.error;
      const change = rosterChangeToConfirm(ledger.roster, d.value);
      if (change && !(request.query as { override?: boolean }).override) {
        throw new ParleyError('PARLEY_ERR_ROSTER_CONFLICT', `${change}; nothing was changed — confirm with ?override=true once verified out of band (the override is logged)`, { party: d.value.party });
      }
      if (change) request.log.warn({ party: d.value.party, role: request.role, override: change }, `roster override: ${change}`);
      const r = await ledger.roster.add(d.value, new Date(ledger.now()).toISOString());
      await federation.rosterChanged();
      return { party: d.value.party, added: r.added };
    },
  });

  doc.route(api, {
    method: 'POST',
    url: '/api/v1/events/ticket',
    tag: 'operator',
    summary: 'A ticket for the event stream: single use, valid 60 s, standing for this token (EventSource cannot set headers, and a token never goes in a URL)',
    roles: READERS,
    responses: { 200: { description: 'The ticket.', schema: { type: 'object', properties: { ticket: { type: 'string' }, expiresAt: { type: 'string' } } } } },
    refusals: ['PARLEY_ERR_UNAVAILABLE'],
    handler: async (request) => {
      const t = tickets.issue(request.role!, request.credential ?? request.role!, Date.now());
      return { ticket: t.ticket, expiresAt: new Date(t.expiresAt).toISOString() };
    },
  });

  doc.route(api, {
    method: 'GET',
    url: '/api/v1/events',
    tag: 'operator',
    summary: 'Live events (server-sent): entry (every committed entry, id = local position), link, alert',
    description: 'Reconnect with Last-Event-ID (or ?after=) to replay entries stored since. EventSource clients, which cannot set headers, give ?ticket= (POST /api/v1/events/ticket) instead of the token.',
    roles: READERS,
    ticketInQuery: true,
    querystring: eventsQuery,
    responses: { 200: { description: 'An event stream.', contentType: 'text/event-stream', schema: { type: 'string' } } },
    refusals: ['PARLEY_ERR_UNAVAILABLE', 'PARLEY_ERR_TOKEN_EXPIRED'],
    handler: async (request, reply) => {
      if (ctx.events.full) throw new ParleyError('PARLEY_ERR_UNAVAILABLE', 'too many event streams are open on this node; close one and retry');
      const owner = request.credential ?? request.role ?? '';
      if (ctx.events.countOf(owner) >= MAX_EVENT_CLIENTS_PER_OWNER) {
        throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `this credential already has ${MAX_EVENT_CLIENTS_PER_OWNER} event streams open on this node; close one and retry`);
      }
      const q = request.query as { after?: number };
      const last = request.headers['last-event-id'];
      const from = typeof last === 'string' && /^\d{1,15}$/.test(last) ? Number(last) : q.after;
      reply.hijack();
      await ctx.events.attach(reply.raw, owner, from === undefined ? undefined : replayAfter(from));
    },
  });

  /** Entries stored after `from`, at most EVENT_REPLAY_LIMIT, read a page at a time as the stream takes them. */
  async function* replayAfter(from: number): AsyncIterable<PublishedEvent> {
    let after = from;
    for (let sent = 0; sent < EVENT_REPLAY_LIMIT; ) {
      const page = await ledger.since(after, Math.min(EVENT_REPLAY_PAGE, EVENT_REPLAY_LIMIT - sent));
      if (page.length === 0) return;
      for (const e of page) yield { event: 'entry', data: entryView(e), id: String(e.pos) };
      sent += page.length;
      after = page[page.length - 1].pos ?? after;
    }
  }

  for (const s of services) s.routes?.(api, doc);
  if (ctx.regimes) regimeRoutes(api, ctx.regimes, () => ledger.now(), doc);
}
