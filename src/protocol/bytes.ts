/**
 * Byte-level building blocks of Protocol v1: RFC 8785 canonical JSON, SHA-256, base64url, hex.
 * Pure: no I/O, no clock, no randomness.
 */
import { createHash, hash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import { fail, ok, ParleyError, type Result } from './errors.js';

// canonicalize ships CommonJS with an ESM-shaped .d.ts; its module.exports is the function.
const canonicalizeJson = canonicalizeModule as unknown as (value: unknown) => string | undefined;
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** RFC 8785 (JCS) canonical bytes of a JSON value. */
export function canonical(value: unknown): Buffer {
  const text = canonicalizeJson(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return Buffer.from(encoder.encode(text));
}

export function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}

export function sha256hex(bytes: Uint8Array): string {
  return hash('sha256', bytes, 'hex');
}

export const ZERO_HASH = '0'.repeat(64);
/** SHA-256 of the empty string: the RFC 9162 hash of an empty tree. */
export const EMPTY_TREE_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const B64URL = /^[A-Za-z0-9_-]*$/;
const HEX64 = /^[0-9a-f]{64}$/;

export function toB64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Strict base64url without padding: refuses padding, foreign characters and non-canonical tails. */
export function fromB64url(text: unknown): Buffer | undefined {
  if (typeof text !== 'string' || !B64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

export function isHash(text: unknown): text is string {
  return typeof text === 'string' && HEX64.test(text);
}

/**
 * Parses bytes that must be canonical JSON. A receiver never re-serialises to verify; it checks
 * that what it received is already canonical, so that the signed bytes are the only bytes.
 */
/**
 * Text from bytes that must be UTF-8: invalid bytes are refused (PARLEY_ERR_BAD_ENCODING), never
 * turned into U+FFFD and then signed as if the sender had meant it.
 */
export function utf8Strict(bytes: Uint8Array, what: string): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new ParleyError('PARLEY_ERR_BAD_ENCODING', `${what} is not valid UTF-8; nothing was done`);
  }
}

export function parseCanonical(bytes: Uint8Array): Result<unknown> {
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    return fail('PARLEY_ERR_MALFORMED_JSON', 'the bytes are not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail('PARLEY_ERR_MALFORMED_JSON', `the bytes are not valid JSON: ${(e as Error).message}`);
  }
  let again: Buffer;
  try {
    again = canonical(value);
  } catch {
    return fail('PARLEY_ERR_NOT_CANONICAL', 'the JSON cannot be canonicalised');
  }
  if (!again.equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
    return fail('PARLEY_ERR_NOT_CANONICAL', 'the bytes are valid JSON but not RFC 8785 canonical (key order, spacing, number or string form, or duplicate keys)');
  }
  return ok(value);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
