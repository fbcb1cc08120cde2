/**
 * Protocol v1 entries: content, header, entry id, envelope and stub — encode and decode.
 * Decoders return a typed Result for every failure; they never throw on bad input.
 */
import { canonical, fromB64url, isHash, isPlainObject, parseCanonical, sha256hex, toB64url, ZERO_HASH } from './bytes.js';
import { fail, ok, ParleyError, type Result } from './errors.js';
import { signHeader, verifyHeaderSignature, type SigningKey } from './signing.js';
import type { KeyObject } from 'node:crypto';

/** Largest content, in canonical bytes, that a node writes or accepts (256 KiB). */
export const MAX_CONTENT_BYTES = 256 * 1024;
/** Largest header in bytes; a v1 header is ~330 bytes, anything far larger is not one. */
export const MAX_HEADER_BYTES = 1024;
/** An entry may carry a time at most this far ahead of the receiver's clock (DESIGN.md). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

export const PARTY_CODE = /^[A-Z][A-Z0-9]{1,15}$/;
export const CONTENT_TYPE = /^[a-z][a-z0-9]*([.-][a-z0-9]+)*$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type PartyCode = string;
export type EntryId = string;

export interface Content {
  type: string;
  to: PartyCode[];
  refs: EntryId[];
  body: Record<string, unknown>;
  salt: string;
}

export interface Header {
  v: 1;
  author: PartyCode;
  seq: number;
  prev: string;
  root: string;
  time: string;
  content: string;
}

/** An envelope as stored, exported and pushed; a stub has no content. */
export interface Envelope {
  header: string;
  sig: string;
  content?: string;
}

/** An envelope whose bytes are decoded and whose shapes are checked (not yet its signature or chain). */
export interface DecodedEntry {
  id: EntryId;
  header: Header;
  headerBytes: Buffer;
  sig: Buffer;
  content?: Content;
  contentBytes?: Buffer;
  envelope: Envelope;
}

export function isPartyCode(v: unknown): v is string {
  return typeof v === 'string' && PARTY_CODE.test(v);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
};

/**
 * RFC 3339 UTC with milliseconds and `Z`, naming a real instant: `2022-02-11T12:00:00.000Z`.
 * (Checked by field rather than through Date: this runs for every header a node reads.)
 */
export function isTime(v: unknown): v is string {
  if (typeof v !== 'string' || !TIME.test(v)) return false;
  const year = digits(v, 0, 4);
  const month = digits(v, 5, 7);
  const day = digits(v, 8, 10);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1] + (month === 2 && leap ? 1 : 0)) return false;
  return digits(v, 11, 13) < 24 && digits(v, 14, 16) < 60 && digits(v, 17, 19) < 60;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function encodeContent(content: Content): Buffer {
  return canonical(content);
}

export function encodeHeader(header: Header): Buffer {
  return canonical(header);
}

export function entryId(headerBytes: Uint8Array): EntryId {
  return sha256hex(headerBytes);
}

function exactKeys(o: Record<string, unknown>, keys: readonly string[]): boolean {
  const k = Object.keys(o);
  return k.length === keys.length && keys.every((key) => Object.prototype.hasOwnProperty.call(o, key));
}

const HEADER_KEYS = ['v', 'author', 'seq', 'prev', 'root', 'time', 'content'] as const;
const CONTENT_KEYS = ['type', 'to', 'refs', 'body', 'salt'] as const;

export function decodeHeader(bytes: Uint8Array): Result<Header> {
  if (bytes.length > MAX_HEADER_BYTES) return fail('PARLEY_ERR_BAD_HEADER', `header is ${bytes.length} bytes, more than ${MAX_HEADER_BYTES}`);
  const parsed = parseCanonical(bytes);
  if (!parsed.ok) return parsed as Result<Header>;
  return checkHeaderShape(parsed.value);
}

/** The field rules of a v1 header, on an already parsed value. */
export function checkHeaderShape(h: unknown): Result<Header> {
  if (!isPlainObject(h)) return fail('PARLEY_ERR_BAD_HEADER', 'header is not a JSON object');
  if (h.v !== 1) return fail('PARLEY_ERR_UNSUPPORTED_VERSION', `header version ${JSON.stringify(h.v)} is not 1`);
  if (!exactKeys(h, HEADER_KEYS)) return fail('PARLEY_ERR_BAD_HEADER', `header must have exactly the fields ${HEADER_KEYS.join(', ')}`);
  if (!isPartyCode(h.author)) return fail('PARLEY_ERR_BAD_HEADER', 'header.author is not a party code');
  if (!Number.isSafeInteger(h.seq) || (h.seq as number) < 1) return fail('PARLEY_ERR_BAD_HEADER', 'header.seq is not a positive integer');
  for (const f of ['prev', 'root', 'content'] as const) {
    if (!isHash(h[f])) return fail('PARLEY_ERR_BAD_HEADER', `header.${f} is not 64 lower-case hex digits`);
  }
  if (!isTime(h.time)) return fail('PARLEY_ERR_BAD_HEADER', 'header.time is not RFC 3339 UTC with milliseconds and Z');
  if (h.seq === 1 && h.prev !== ZERO_HASH) return fail('PARLEY_ERR_BAD_PREV', 'the first entry of an author must have prev of 64 zeros');
  return ok(h as unknown as Header);
}

export function decodeContent(bytes: Uint8Array): Result<Content> {
  if (bytes.length > MAX_CONTENT_BYTES) {
    return fail('PARLEY_ERR_CONTENT_TOO_LARGE', `content is ${bytes.length} bytes; the limit is ${MAX_CONTENT_BYTES} bytes (256 KiB)`);
  }
  const parsed = parseCanonical(bytes);
  if (!parsed.ok) return parsed as Result<Content>;
  const c = parsed.value;
  if (!isPlainObject(c) || !exactKeys(c, CONTENT_KEYS)) return fail('PARLEY_ERR_BAD_CONTENT', `content must be an object with exactly the fields ${CONTENT_KEYS.join(', ')}`);
  const bad = checkContentShape(c);
  return bad ? { ok: false, error: bad } : ok(c as unknown as Content);
}

/** Shape rules a content must meet whether it is being written here or received. */
export function checkContentShape(c: Record<string, unknown>): ParleyError | undefined {
  const no = (message: string) => new ParleyError('PARLEY_ERR_BAD_CONTENT', message);
  if (typeof c.type !== 'string' || !CONTENT_TYPE.test(c.type)) return no('content.type is not a content type name');
  if (!Array.isArray(c.to) || c.to.length === 0) return no('content.to must be a non-empty array of party codes or ["*"]');
  const broadcast = c.to.length === 1 && c.to[0] === '*';
  if (!broadcast) {
    if (!c.to.every(isPartyCode)) return no('content.to must hold party codes, or be exactly ["*"]');
    if (new Set(c.to).size !== c.to.length) return no('content.to names a party twice');
  }
  if (!Array.isArray(c.refs) || !c.refs.every(isHash)) return no('content.refs must be an array of entry ids (64 hex)');
  if (!isPlainObject(c.body)) return no('content.body must be a JSON object');
  const salt = fromB64url(c.salt);
  if (!salt || salt.length !== 16) return no('content.salt must be base64url of 16 bytes');
  return undefined;
}

/**
 * Decodes an envelope (or stub) from its JSON object form: base64url fields, canonical header,
 * and the content when present, with its hash checked against the header.
 */
export function decodeEnvelope(raw: unknown): Result<DecodedEntry> {
  if (!isPlainObject(raw)) return fail('PARLEY_ERR_BAD_ENVELOPE', 'an envelope is a JSON object {header, sig, content?}');
  const keys = Object.keys(raw);
  if (!keys.every((k) => k === 'header' || k === 'sig' || k === 'content')) return fail('PARLEY_ERR_BAD_ENVELOPE', `unknown envelope field: ${keys.find((k) => k !== 'header' && k !== 'sig' && k !== 'content')}`);
  if (typeof raw.header !== 'string' || typeof raw.sig !== 'string') return fail('PARLEY_ERR_BAD_ENVELOPE', 'envelope.header and envelope.sig must be base64url strings');
  if (raw.header.length > MAX_HEADER_BYTES * 2) return fail('PARLEY_ERR_BAD_HEADER', 'header is too large to be a v1 header');
  const headerBytes = fromB64url(raw.header);
  if (!headerBytes) return fail('PARLEY_ERR_BAD_ENCODING', 'envelope.header is not base64url without padding');
  const sig = fromB64url(raw.sig);
  if (!sig || sig.length !== 64) return fail('PARLEY_ERR_BAD_ENCODING', 'envelope.sig is not base64url of a 64-byte Ed25519 signature');
  const header = decodeHeader(headerBytes);
  if (!header.ok) return header as Result<DecodedEntry>;
  const entry: DecodedEntry = {
    id: entryId(headerBytes),
    header: header.value,
    headerBytes,
    sig,
    envelope: { header: raw.header, sig: raw.sig },
  };
  if (raw.content !== undefined) {
    if (typeof raw.content !== 'string') return fail('PARLEY_ERR_BAD_ENVELOPE', 'envelope.content must be a base64url string');
    if (raw.content.length > Math.ceil((MAX_CONTENT_BYTES * 4) / 3) + 4) {
      return fail('PARLEY_ERR_CONTENT_TOO_LARGE', `content is larger than the limit of ${MAX_CONTENT_BYTES} bytes (256 KiB)`);
    }
    const contentBytes = fromB64url(raw.content);
    if (!contentBytes) return fail('PARLEY_ERR_BAD_ENCODING', 'envelope.content is not base64url without padding');
    if (sha256hex(contentBytes) !== header.value.content) {
      return fail('PARLEY_ERR_CONTENT_HASH', `content of ${header.value.author}#${header.value.seq} does not hash to header.content`);
    }
    const content = decodeContent(contentBytes);
    if (!content.ok) return content as Result<DecodedEntry>;
    entry.content = content.value;
    entry.contentBytes = contentBytes;
    entry.envelope.content = raw.content;
  }
  return ok(entry);
}

/** Checks the signature of a decoded entry against its author's key. */
export function verifyEntrySignature(entry: Pick<DecodedEntry, 'headerBytes' | 'sig'>, publicKey: KeyObject | Uint8Array): boolean {
  return verifyHeaderSignature(entry.headerBytes, entry.sig, publicKey);
}

/** Builds a signed entry from a header and its content (header.content = SHA-256 of contentBytes). */
export function sealEntry(header: Header, content: Content, contentBytes: Buffer, key: SigningKey): DecodedEntry {
  const headerBytes = encodeHeader(header);
  return assembleEntry(header, headerBytes, signHeader(headerBytes, key), content, contentBytes);
}

/** An entry from a header already encoded and signed (signing may happen elsewhere, e.g. on a worker). */
export function assembleEntry(header: Header, headerBytes: Buffer, sig: Buffer, content: Content, contentBytes: Buffer): DecodedEntry {
  return {
    id: entryId(headerBytes),
    header,
    headerBytes,
    sig,
    content,
    contentBytes,
    envelope: { header: toB64url(headerBytes), sig: toB64url(sig), content: toB64url(contentBytes) },
  };
}

export function stubOf(envelope: Envelope): Envelope {
  return { header: envelope.header, sig: envelope.sig };
}

/** Is `party` addressed by this content (explicitly or by broadcast)? The author always holds its own. */
export function isAddressee(content: Pick<Content, 'to'>, party: PartyCode): boolean {
  return content.to.length === 1 && content.to[0] === '*' ? true : content.to.includes(party);
}
