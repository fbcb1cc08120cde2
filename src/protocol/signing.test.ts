/**
 * Entry signatures go through libsodium; they must be the very bytes node:crypto (OpenSSL) makes
 * and checks, so that nothing signed before, and no other implementation, can tell the two apart.
 */
import { randomBytes, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HEADER_PAYLOAD_TYPE, generateSigningKey, pae, publicKeyFromRaw, signHeader, signingKeyFromPem, signingKeyFromSeed, signingKeyToPem, verifyHeaderSignature } from './signing.js';

const VECTORS = join(import.meta.dirname, '../../test/vectors/protocol-v1');
const read = (name: string) => JSON.parse(readFileSync(join(VECTORS, name), 'utf8'));
const keys: { party: string; seedHex: string; publicKeyB64url: string }[] = read('keys.json').parties;
const vectors: { author: string; headerHex: string; sigHex: string }[] = [
  ...read('entries.json').entries.map((e: { headerHex: string; sigHex: string }) => ({ ...e, author: 'USA' })),
  { ...read('receipt.json').entry, author: 'RUS' },
];
const keyOf = (party: string) => signingKeyFromSeed(Buffer.from(keys.find((k) => k.party === party)!.seedHex, 'hex'));
const nodeSign = (header: Uint8Array, key: ReturnType<typeof generateSigningKey>) => sign(null, pae(HEADER_PAYLOAD_TYPE, header), key.privateKey);
const nodeVerify = (header: Uint8Array, sig: Uint8Array, key: ReturnType<typeof generateSigningKey>) => verify(null, pae(HEADER_PAYLOAD_TYPE, header), key.publicKey, sig);

describe('Ed25519 through libsodium', () => {
  it('signs every Protocol v1 vector with the committed signature, as node:crypto does', () => {
    expect(vectors.length).toBeGreaterThan(2);
    for (const v of vectors) {
      const header = Buffer.from(v.headerHex, 'hex');
      const key = keyOf(v.author);
      const sig = signHeader(header, key);
      expect(sig.toString('hex')).toBe(v.sigHex);
      expect(sig.equals(nodeSign(header, key))).toBe(true);
      expect(verifyHeaderSignature(header, sig, key.publicKey)).toBe(true);
      expect(verifyHeaderSignature(header, sig, publicKeyFromRaw(key.publicKeyB64)!)).toBe(true);
      expect(verifyHeaderSignature(header, sig, Buffer.from(key.publicKeyB64, 'base64url'))).toBe(true);
    }
  });

  it('derives the same key from a seed, a PEM and a generated key pair', () => {
    const generated = generateSigningKey();
    const again = signingKeyFromPem(signingKeyToPem(generated));
    expect(again.secretKey.equals(generated.secretKey)).toBe(true);
    expect(generated.secretKey.subarray(32).toString('base64url')).toBe(generated.publicKeyB64);
    const seed = randomBytes(32);
    expect(signingKeyFromSeed(seed).secretKey.subarray(0, 32).equals(seed)).toBe(true);
  });

  it('signs random headers byte for byte as node:crypto, and both verify each other', () => {
    const key = generateSigningKey();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 1500 }), (bytes) => {
        const header = Buffer.from(bytes);
        const sig = signHeader(header, key);
        expect(sig.equals(nodeSign(header, key))).toBe(true);
        expect(verifyHeaderSignature(header, sig, key.publicKey)).toBe(true);
        expect(nodeVerify(header, sig, key)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with node:crypto on tampered headers, signatures and keys', () => {
    const key = generateSigningKey();
    const other = generateSigningKey();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.constantFrom('header', 'sig', 'key'), (bytes, at, flip, what) => {
        const header = Buffer.from(bytes);
        const sig = signHeader(header, key);
        let h = header;
        let s = sig;
        let k = key;
        if (what === 'header') (h = Buffer.from(header))[at % h.length] ^= flip;
        else if (what === 'sig') (s = Buffer.from(sig))[at % 64] ^= flip;
        else k = other;
        const ours = verifyHeaderSignature(h, s, k.publicKey);
        expect(ours).toBe(nodeVerify(h, s, k));
        expect(ours).toBe(false);
      }),
      { numRuns: 300 },
    );
    const header = Buffer.from('{"v":1}');
    expect(verifyHeaderSignature(header, signHeader(header, key).subarray(0, 63), key.publicKey)).toBe(false);
    expect(verifyHeaderSignature(header, signHeader(header, key), Buffer.alloc(31))).toBe(false);
  });
});
