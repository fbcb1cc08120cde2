/**
 * The federation messages between nodes, as JSON: the push batch and its reply, and the pull
 * page. Parsers check shape and bounds only; the envelopes inside go through the ledger's
 * acceptance rules.
 */
import { fromB64url, isHash, isPlainObject } from '../protocol/bytes.js';
import { isPartyCode, MAX_HEADER_BYTES, type Envelope } from '../protocol/entry.js';
import { fail, ok, type Result } from '../protocol/errors.js';

export const PUSH_PATH = '/federation/v1/push';
export const LOG_PATH = '/federation/v1/log';

/** Most envelopes in one push or pull page. */
export const MAX_BATCH_ENTRIES = 512;
/** Most authors in a heads map (the roster of a network is far smaller). */
export const MAX_HEADS = 1024;
/** Largest federation request or reply body (one maximal 256 KiB content is ~342 KiB in base64url). */
export const MAX_FEDERATION_BODY = 4 * 1024 * 1024;
/** A sender stops adding envelopes to a batch past this many bytes (always at least one). */
export const BATCH_BYTES_TARGET = 1024 * 1024;

/** A head as gossiped: the latest seq a node holds of an author, and that entry's id. */
export interface Head {
  seq: number;
  id: string;
}

export type Heads = Record<string, Head>;

/** `POST /federation/v1/push`: the sender's own entries, in seq order, and its known heads. */
export interface PushRequest {
  /** Chosen by the sender, the same on every retry of the batch. */
  batch: string;
  entries: Envelope[];
  heads: Heads;
}

export interface PushReply {
  batch: string;
  /** What the receiver holds of the sender's log after this batch (seq 0 and 64 zeros: nothing). */
  held: Head;
  accepted: number;
  duplicates: number;
  /** The receipt entries the receiver wrote for this batch (in the same commit), with content. */
  receipts: Envelope[];
  /** The receiver's known heads: gossip goes both ways in one round trip. */
  heads: Heads;
}

/** `GET /federation/v1/log/{author}?after=n&limit=m`. */
export interface LogPage {
  author: string;
  entries: Envelope[];
  /** The responder's head of that author, if it holds any of its log. */
  head: Head | null;
}

const BATCH_ID = /^[A-Za-z0-9_-]{8,64}$/;

function isEnvelopeShape(v: unknown): v is Envelope {
  if (!isPlainObject(v) || typeof v.header !== 'string' || typeof v.sig !== 'string') return false;
  if (v.content !== undefined && typeof v.content !== 'string') return false;
  return Object.keys(v).every((k) => k === 'header' || k === 'sig' || k === 'content');
}

function parseHeads(v: unknown): Heads | undefined {
  if (!isPlainObject(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length > MAX_HEADS) return undefined;
  const out: Heads = {};
  for (const k of keys) {
    const h = v[k];
    if (!isPartyCode(k) || !isPlainObject(h) || !Number.isSafeInteger(h.seq) || (h.seq as number) < 1 || !isHash(h.id)) return undefined;
    out[k] = { seq: h.seq as number, id: h.id as string };
  }
  return out;
}

export function parsePushRequest(v: unknown): Result<PushRequest> {
  if (!isPlainObject(v)) return fail('PARLEY_ERR_BAD_ARGUMENT', 'a push is a JSON object {"batch","entries","heads"}');
  if (typeof v.batch !== 'string' || !BATCH_ID.test(v.batch)) return fail('PARLEY_ERR_BAD_ARGUMENT', 'push.batch must be 8–64 base64url characters');
  if (!Array.isArray(v.entries) || v.entries.length > MAX_BATCH_ENTRIES) return fail('PARLEY_ERR_BAD_ARGUMENT', `push.entries must be an array of at most ${MAX_BATCH_ENTRIES} envelopes`);
  if (!v.entries.every(isEnvelopeShape)) return fail('PARLEY_ERR_BAD_ENVELOPE', 'push.entries must hold envelopes {"header","sig","content"?}');
  const heads = parseHeads(v.heads ?? {});
  if (!heads) return fail('PARLEY_ERR_BAD_ARGUMENT', 'push.heads must map party codes to {"seq","id"}');
  return ok({ batch: v.batch, entries: v.entries, heads });
}

export function parsePushReply(v: unknown): Result<PushReply> {
  if (!isPlainObject(v) || typeof v.batch !== 'string' || !isPlainObject(v.held)) return fail('PARLEY_ERR_BAD_ARGUMENT', 'the push reply does not have its shape');
  const held = v.held;
  if (!Number.isSafeInteger(held.seq) || (held.seq as number) < 0 || typeof held.id !== 'string') return fail('PARLEY_ERR_BAD_ARGUMENT', 'push reply: held must be {"seq","id"}');
  if (!Array.isArray(v.receipts) || v.receipts.length > MAX_BATCH_ENTRIES || !v.receipts.every(isEnvelopeShape)) return fail('PARLEY_ERR_BAD_ARGUMENT', 'push reply: receipts must be envelopes');
  const heads = parseHeads(v.heads ?? {});
  if (!heads) return fail('PARLEY_ERR_BAD_ARGUMENT', 'push reply: heads must map party codes to {"seq","id"}');
  return ok({
    batch: v.batch,
    held: { seq: held.seq as number, id: held.id },
    accepted: Number(v.accepted) || 0,
    duplicates: Number(v.duplicates) || 0,
    receipts: v.receipts,
    heads,
  });
}

export function parseLogPage(v: unknown): Result<LogPage> {
  if (!isPlainObject(v) || typeof v.author !== 'string' || !Array.isArray(v.entries)) return fail('PARLEY_ERR_BAD_ARGUMENT', 'the log page does not have its shape');
  if (v.entries.length > MAX_BATCH_ENTRIES || !v.entries.every(isEnvelopeShape)) return fail('PARLEY_ERR_BAD_ARGUMENT', 'log page: entries must be envelopes');
  let head: Head | null = null;
  if (v.head !== null && v.head !== undefined) {
    const h = parseHeads({ [v.author]: v.head });
    if (!h) return fail('PARLEY_ERR_BAD_ARGUMENT', 'log page: head must be {"seq","id"}');
    head = h[v.author];
  }
  return ok({ author: v.author, entries: v.entries, head });
}

/**
 * Author and seq of an envelope from its header alone, without the full decode the ledger does:
 * enough to check that a push carries only its sender's entries, in order.
 */
export function peekHeader(e: Envelope): { author: string; seq: number } | undefined {
  if (e.header.length > MAX_HEADER_BYTES * 2) return undefined;
  const bytes = fromB64url(e.header);
  if (!bytes) return undefined;
  try {
    const h = JSON.parse(bytes.toString('utf8')) as unknown;
    if (!isPlainObject(h) || !isPartyCode(h.author) || !Number.isSafeInteger(h.seq)) return undefined;
    return { author: h.author, seq: h.seq as number };
  } catch {
    return undefined;
  }
}
