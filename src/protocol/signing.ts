/**
 * Ed25519 over DSSE's pre-authentication encoding (PAE), through libsodium (sodium-native):
 * signatures are byte-identical to node:crypto's (Ed25519 is deterministic, RFC 8032), and
 * libsodium signs about twice and verifies about twice as fast on one core. Keys are still held
 * as node:crypto KeyObjects too (PEM in a node folder, HTTP signatures, tokens); the libsodium
 * secret key is derived from the same 32-byte seed.
 * PAE = "DSSEv1" SP len(T) SP T SP len(H) SP H, lengths in ASCII decimal bytes.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import sodium from 'sodium-native';
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
  /** libsodium's 64-byte secret key (seed ‖ public key), derived from the same seed. */
  readonly secretKey: Buffer;
}

export function generateSigningKey(): SigningKey {
  return signingKeyOf(generateKeyPairSync('ed25519').privateKey);
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
  const publicKeyB64 = rawPublicKey(publicKey);
  const seed = fromB64url(privateKey.export({ format: 'jwk' }).d as string)!;
  const pk = Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES);
  const secretKey = Buffer.alloc(sodium.crypto_sign_SECRETKEYBYTES);
  sodium.crypto_sign_seed_keypair(pk, secretKey, seed);
  if (pk.toString('base64url') !== publicKeyB64) throw new Error('libsodium and node:crypto derive different Ed25519 public keys from one seed');
  rawKeys.set(publicKey, pk);
  return { privateKey, publicKey, publicKeyB64, secretKey };
}

export function signingKeyToPem(key: SigningKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
}

/** A public key from the base64url of its raw 32 bytes; undefined if it is not one. */
export function publicKeyFromRaw(b64: string): KeyObject | undefined {
  const raw = fromB64url(b64);
  if (!raw || raw.length !== 32) return undefined;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64 }, format: 'jwk' });
    rawKeys.set(key, raw);
    return key;
  } catch {
    return undefined;
  }
}

/** The raw 32 bytes of public keys, as libsodium takes them, remembered per KeyObject. */
const rawKeys = new WeakMap<KeyObject, Buffer>();
function rawKeyOf(publicKey: KeyObject): Buffer {
  let raw = rawKeys.get(publicKey);
  if (!raw) rawKeys.set(publicKey, (raw = fromB64url(rawPublicKey(publicKey))!));
  return raw;
}

// The PAE of a header, written into one scratch buffer: the same bytes as pae(HEADER_PAYLOAD_TYPE,
// header) without three allocations per signature. libsodium's calls are synchronous, so one
// scratch buffer per thread is enough.
let paeScratch = Buffer.alloc(2048);
const paePrefixes = new Map<number, Buffer>();
function headerPae(header: Uint8Array): Buffer {
  let prefix = paePrefixes.get(header.length);
  if (!prefix) paePrefixes.set(header.length, (prefix = Buffer.from(`DSSEv1 ${Buffer.byteLength(HEADER_PAYLOAD_TYPE)} ${HEADER_PAYLOAD_TYPE} ${header.length} `, 'ascii')));
  const n = prefix.length + header.length;
  if (n > paeScratch.length) paeScratch = Buffer.alloc(n * 2);
  prefix.copy(paeScratch, 0);
  paeScratch.set(header, prefix.length);
  return paeScratch.subarray(0, n);
}

export function signHeader(headerBytes: Uint8Array, key: SigningKey): Buffer {
  const sig = Buffer.alloc(sodium.crypto_sign_BYTES);
  sodium.crypto_sign_detached(sig, headerPae(headerBytes), key.secretKey);
  return sig;
}

/** Whether `sig` is the author's signature of the header, the key as a KeyObject or its raw 32 bytes. */
export function verifyHeaderSignature(headerBytes: Uint8Array, sig: Uint8Array, publicKey: KeyObject | Uint8Array): boolean {
  if (sig.length !== 64) return false;
  const raw = publicKey instanceof Uint8Array ? publicKey : rawKeyOf(publicKey);
  if (raw.length !== 32) return false;
  return sodium.crypto_sign_verify_detached(sig, headerPae(headerBytes), raw);
}

export { toB64url };
