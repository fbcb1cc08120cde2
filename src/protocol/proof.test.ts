/**
 * A proof bundle rests on the checkpoint's signature and the inclusion proof: the entry's own
 * signature adds nothing and is not checked, while any change to what the author said is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonical } from './bytes.js';
import { checkProof } from './proof.js';
import { signHeader, signingKeyFromSeed } from './signing.js';

const VECTORS = join(import.meta.dirname, '../../test/vectors/protocol-v1');
const { bundle, check } = JSON.parse(readFileSync(join(VECTORS, 'proof.json'), 'utf8'));
const usa = signingKeyFromSeed(Buffer.from(JSON.parse(readFileSync(join(VECTORS, 'keys.json'), 'utf8')).parties[0].seedHex, 'hex'));
const flip = (b64: string, at: number) => {
  const b = Buffer.from(b64, 'base64url');
  b[at] ^= 1;
  return b.toString('base64url');
};

describe('checkProof', () => {
  it('proves the entry when only its own signature is damaged: the signed checkpoint covers its header', () => {
    expect(usa.publicKeyB64).toBe(bundle.publicKey);
    expect(checkProof({ ...bundle, entry: { ...bundle.entry, sig: flip(bundle.entry.sig, 3) } })).toEqual({ ok: true, value: check });
  });

  it('refuses an entry the author signed that is not the one in the checkpoint\'s tree', () => {
    const header = JSON.parse(Buffer.from(bundle.entry.header, 'base64url').toString('utf8'));
    const other = canonical({ ...header, time: '2022-02-11T12:00:00.001Z' });
    const entry = { ...bundle.entry, header: other.toString('base64url'), sig: signHeader(other, usa).toString('base64url') };
    expect(checkProof({ ...bundle, entry })).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_BAD_PROOF' } });
  });

  it('refuses a damaged checkpoint signature, and changed content', () => {
    expect(checkProof({ ...bundle, checkpoint: { ...bundle.checkpoint, sig: flip(bundle.checkpoint.sig, 3) } })).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_BAD_SIGNATURE' } });
    expect(checkProof({ ...bundle, entry: { ...bundle.entry, content: flip(bundle.entry.content, 5) } })).toMatchObject({ ok: false });
  });
});
