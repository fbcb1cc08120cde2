/**
 * JSON Schemas of what the node's HTTP APIs take and give. Request schemas are also what Fastify
 * validates with; all of them go into the OpenAPI document, so the document is the code.
 */
import { errorSchema } from '../http/openapi.js';

import type { StatusAdditions } from '../regimes/module.js';

const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const party = { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,15}$', description: 'Party code: ISO 3166 alpha-3 or an upper-case organisation name.' } as const;
const b64url = { type: 'string', pattern: '^[A-Za-z0-9_-]*$' } as const;
const time = { type: 'string', description: 'RFC 3339 UTC with milliseconds and Z.' } as const;

export const envelopeSchema = {
  type: 'object',
  description: 'Protocol v1 envelope as stored and shipped; a stub has no content.',
  required: ['header', 'sig'],
  additionalProperties: false,
  properties: { header: b64url, sig: b64url, content: b64url },
} as const;

export const entrySchema = {
  type: 'object',
  description: 'An entry as this node holds it: chain position always; type, to, refs and body only where this node holds the content.',
  required: ['id', 'author', 'seq', 'time', 'envelope'],
  properties: {
    id: hex64,
    author: party,
    seq: { type: 'integer', minimum: 1 },
    time,
    pos: { type: 'integer', description: 'Local arrival order at this node (the cursor of GET /api/v1/entries without author).' },
    type: { type: 'string' },
    to: { type: 'array', items: { type: 'string' } },
    refs: { type: 'array', items: hex64 },
    body: { type: 'object' },
    envelope: envelopeSchema,
  },
} as const;

export const sendSchema = {
  type: 'object',
  description: 'What an officer says: the node adds the salt, signs, chains and delivers it.',
  required: ['type', 'to', 'body'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', maxLength: 100, description: 'A content type from GET /api/v1/catalogue.' },
    to: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', maxLength: 16 }, description: 'Addressees, or ["*"] for every party in the roster.' },
    refs: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 64 } },
    body: { type: 'object', description: 'Validated against the type\'s JSON Schema.' },
  },
} as const;

export const sentSchema = {
  type: 'object',
  required: ['id', 'seq', 'author', 'time'],
  properties: { id: hex64, seq: { type: 'integer' }, author: party, time },
} as const;

export const entriesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    author: party,
    after: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'With author: a seq. Without: a local position (pos).' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    type: { type: 'string', maxLength: 100, description: 'Only entries of this content type (held with content).' },
  },
} as const;

export const entriesPage = {
  type: 'object',
  required: ['entries', 'next'],
  properties: {
    entries: { type: 'array', items: entrySchema },
    next: { type: 'integer', description: 'Pass as `after` to continue; equal to `after` when nothing more is held.' },
  },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: hex64 },
} as const;

export const descriptorSchema = {
  type: 'object',
  description: 'A party descriptor, as `parley init` prints it.',
  required: ['party', 'name', 'url', 'publicKey'],
  additionalProperties: false,
  properties: {
    party,
    name: { type: 'string', minLength: 1, maxLength: 200 },
    url: { type: 'string', maxLength: 2000 },
    publicKey: { ...b64url, description: 'base64url of the raw 32-byte Ed25519 key.' },
  },
} as const;

export const rosterSchema = {
  type: 'array',
  items: { ...descriptorSchema, required: ['party', 'name', 'url', 'publicKey', 'addedAt'], properties: { ...descriptorSchema.properties, addedAt: time } },
} as const;

const alertSchema = {
  type: 'object',
  required: ['kind'],
  description: 'equivocation: an author signed two entries at one seq (both headers kept as evidence); refused: a peer refuses this node\'s batch; receipt: a peer receipts an entry of this node\'s log that this node never wrote (not counted as delivered); key-compromise: a peer (`peer`) holds an entry of this node\'s own log, signed with its key, that this node never wrote.',
  properties: {
    kind: { type: 'string', enum: ['equivocation', 'refused', 'receipt', 'key-compromise'] },
    peer: party,
    author: party,
    seq: { type: 'integer' },
    heldId: hex64,
    otherId: hex64,
    source: { type: 'string' },
    seenAt: time,
    party,
    code: { type: 'string' },
    message: { type: 'string' },
    since: time,
  },
} as const;

/** `GET /api/v1/status`, with what the regimes' live services add (their alarms among the alerts, their own fields). */
export const statusSchemaWith = (additions: readonly StatusAdditions[]) => ({
  type: 'object',
  required: ['party', 'seq', 'peers', 'alerts'],
  properties: {
    party,
    seq: { type: 'integer', description: 'This party\'s latest own seq.' },
    peers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['party', 'delivered', 'received', 'backlog', 'link', 'lastContact'],
        properties: {
          party,
          delivered: { type: 'integer', description: 'Highest own seq this peer has receipted.' },
          received: { type: 'integer', description: 'Highest seq of this peer\'s log held here.' },
          backlog: { type: 'integer', description: 'Own entries the peer has not yet acknowledged holding.' },
          link: { type: 'string', enum: ['up', 'down', 'unknown'] },
          lastContact: { type: ['string', 'null'] },
        },
      },
    },
    alerts: { type: 'array', items: { anyOf: [alertSchema, ...additions.flatMap((a) => (a.alarm ? [a.alarm] : []))] }, description: 'Federation alerts, and the alarms the live services raised.' },
    wire: {
      type: 'object',
      description: 'This node\'s requests to its peers since it started, and their bytes on the wire both ways (headers included).',
      required: ['requests', 'bytesSent', 'bytesReceived'],
      properties: { requests: { type: 'integer' }, bytesSent: { type: 'integer' }, bytesReceived: { type: 'integer' } },
    },
    ...Object.assign({}, ...additions.map((a) => a.properties ?? {})),
  },
});

export const proofBundleSchema = {
  type: 'object',
  description: 'Everything needed, offline, to check that an author said an entry at its place in its log.',
  required: ['v', 'kind', 'author', 'publicKey', 'entry', 'checkpoint', 'leafIndex', 'treeSize', 'inclusion'],
  properties: {
    v: { const: 1 },
    kind: { const: 'parley.proof' },
    author: party,
    publicKey: b64url,
    entry: envelopeSchema,
    checkpoint: envelopeSchema,
    leafIndex: { type: 'integer' },
    treeSize: { type: 'integer' },
    inclusion: { type: 'array', items: hex64 },
  },
} as const;

export const proofVerdictSchema = {
  type: 'object',
  description: 'The verdict on a bundle: ok with what it proves, or the first check that failed.',
  required: ['ok'],
  properties: { ok: { type: 'boolean' }, proof: { type: 'object' }, error: errorSchema.properties.error },
} as const;

export const verifyReportSchema = {
  type: 'object',
  required: ['ok', 'entries', 'problems'],
  properties: {
    ok: { type: 'boolean' },
    entries: { type: 'integer' },
    problems: {
      type: 'array',
      items: { type: 'object', required: ['author', 'seq', 'id', 'code', 'message'], properties: { author: party, seq: { type: 'integer' }, id: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } },
    },
  },
} as const;

export const headsSchema = {
  type: 'object',
  description: 'Latest known head per author: {"USA": {"seq": 12, "id": "…"}}.',
  additionalProperties: { type: 'object', required: ['seq', 'id'], properties: { seq: { type: 'integer' }, id: hex64 } },
} as const;

export const pushRequestSchema = {
  type: 'object',
  required: ['batch', 'entries', 'heads'],
  properties: {
    batch: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$', description: 'Chosen by the sender; the same on every retry of the batch.' },
    entries: { type: 'array', maxItems: 512, items: envelopeSchema, description: 'The sender\'s own entries, increasing contiguous seq; content only where the receiver is addressed.' },
    heads: headsSchema,
  },
} as const;

export const pushReplySchema = {
  type: 'object',
  required: ['batch', 'held', 'accepted', 'duplicates', 'receipts', 'heads'],
  properties: {
    batch: { type: 'string' },
    held: { type: 'object', properties: { seq: { type: 'integer' }, id: { type: 'string' } }, description: 'What the receiver now holds of the sender\'s log.' },
    accepted: { type: 'integer' },
    duplicates: { type: 'integer' },
    receipts: { type: 'array', items: envelopeSchema, description: 'Receipt entries the receiver wrote for this batch, with content.' },
    heads: headsSchema,
  },
} as const;

export const logParams = {
  type: 'object',
  required: ['author'],
  additionalProperties: false,
  properties: { author: party },
} as const;

export const logQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    after: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 },
    limit: { type: 'integer', minimum: 1, maximum: 512, default: 256 },
  },
} as const;

export const logPageSchema = {
  type: 'object',
  required: ['author', 'entries', 'head'],
  properties: {
    author: party,
    entries: { type: 'array', items: envelopeSchema, description: 'Stubs, with content only where the requester is an addressee.' },
    head: { type: ['object', 'null'], properties: { seq: { type: 'integer' }, id: hex64 } },
  },
} as const;

export const eventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ticket: { type: 'string', maxLength: 100, description: 'A ticket from POST /api/v1/events/ticket, for EventSource clients that cannot set headers (single use, valid 60 s).' },
    after: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Replay entries stored after this local position first (as Last-Event-ID does).' },
  },
} as const;

const freeObject = { type: 'object', additionalProperties: true } as const;
const agreementSchema = {
  type: 'object',
  properties: {
    proposal: { ...hex64, description: 'Entry id of the agreement.proposal.' },
    title: { type: 'string' },
    parties: { type: 'array', items: party },
    terms: { ...freeObject, description: 'The terms it sets for this regime; fields left out take the defaults.' },
    effective: { type: 'string' },
    adoptedAt: { type: 'string', description: 'When the last named party endorsed it.' },
    inForce: { type: 'string', description: 'max(effective, adoptedAt): from when it binds its parties.' },
    current: { type: 'boolean', description: 'In force as of `at`.' },
    endorsements: { type: 'array', items: hex64 },
  },
} as const;

/** GET /api/v1/regimes: each regime module with its rules and the terms in force. */
export const regimesSchema = {
  type: 'object',
  properties: {
    at: { type: 'string' },
    regimes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          version: { type: 'string' },
          title: { type: 'string' },
          rules: {
            type: 'array',
            items: { type: 'object', properties: { id: { type: 'string' }, citation: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, figures: freeObject } },
          },
          terms: {
            type: 'object',
            description: 'Absent for a regime without agreed terms (a treaty text). The terms binding a set of parties at an instant are those of the first agreement listed that names them all and is in force then; else the defaults.',
            properties: {
              schema: { ...freeObject, description: 'JSON Schema of the terms an agreement.proposal sets for this regime.' },
              defaults: freeObject,
              agreements: { type: 'array', items: agreementSchema, description: 'Adopted agreements setting this regime\'s terms, latest adopted first.' },
            },
          },
        },
      },
    },
  },
} as const;
