/**
 * Ed25519 over DSSE's pre-authentication encoding (PAE), via node:crypto.
 * PAE = "DSSEv1" SP len(T) SP T SP len(H) SP H, lengths in ASCII decimal bytes.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { fromB64url, toB64url } from './bytes.js';

export const HEADER_PAYLOAD_TYPE = 'application/vnd.parley.header+json;v=1';

export function pae(payloadType: string, payload: Uint8Array): Buffer {
  const t = Buffer.from(payloadType, 'utf8');
  const prefix = Buffer.from(`DSSEv1 ${t.length} `, 'ascii');
  const mid = Buffer.from(` ${payload.length} `, 'ascii');
  return Buffer.concat([prefix, t, mid, payload]);
}

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** base64url of the raw 32-byte public key, as in the party descriptor. */
  readonly publicKeyB64: string;
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, publicKeyB64: rawPublicKey(publicKey) };
}

export function rawPublicKey(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  return jwk.x as string;
}

/** Loads a key from its PKCS#8 PEM text (how a node folder keeps it). */
export function signingKeyFromPem(pem: string): SigningKey {
  return signingKeyOf(createPrivateKey(pem));
}

// RFC 8410 PKCS#8 for Ed25519 is this fixed DER prefix followed by the 32-byte private seed.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The key whose Ed25519 private seed is these 32 bytes. Ed25519 signing is deterministic, so a
 * fixed seed gives fixed signatures: this is how the Protocol v1 test vectors are reproducible.
 *
 * @example
 *   const key = signingKeyFromSeed(Buffer.alloc(32, 1)); // a test key, never a party's
 */
export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  if (seed.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, not ${seed.length}`);
  return signingKeyOf(createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }));
}

function signingKeyOf(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyB64: rawPublicKey(publicKey) };
}

export function signingKeyToPem(key: SigningKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
}

/** A public key from the base64url of its raw 32 bytes; undefined if it is not one. */
export function publicKeyFromRaw(b64: string): KeyObject | undefined {
  const raw = fromB64url(b64);
  if (!raw || raw.length !== 32) return undefined;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64 }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

export function signHeader(headerBytes: Uint8Array, key: SigningKey): Buffer {
  return sign(null, pae(HEADER_PAYLOAD_TYPE, headerBytes), key.privateKey);
}

export function verifyHeaderSignature(headerBytes: Uint8Array, sig: Uint8Array, publicKey: KeyObject): boolean {
  if (sig.length !== 64) return false;
  try {
    return verify(null, pae(HEADER_PAYLOAD_TYPE, headerBytes), publicKey, sig);
  } catch {
    return false;
  }
}

export { toB64url };
