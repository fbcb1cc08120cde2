/**
 * The committed Protocol v1 vectors (test/vectors/protocol-v1) are what Parley's protocol functions
 * produce from the fixed inputs, byte for byte; and they are right by the letter of Protocol v1,
 * checked here with node:crypto and by hand rather than through the code that wrote them.
 */
import { createHash, createPublicKey, sign, verify } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protocolV1Vectors, vectorFileText, type EntryVector } from '../../scripts/protocol-vectors.js';
import { decodeEnvelope } from '../../src/protocol/entry.js';
import { checkProof } from '../../src/protocol/proof.js';
import { signingKeyFromSeed } from '../../src/protocol/signing.js';

const DIR = join(import.meta.dirname, 'protocol-v1');
const built = protocolV1Vectors();
const committed = <K extends keyof typeof built>(name: K): (typeof built)[K] => JSON.parse(readFileSync(join(DIR, name), 'utf8'));

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const leaf = (bytes: Buffer) => sha(Buffer.from([0]), bytes);
const node = (l: Buffer, r: Buffer) => sha(Buffer.from([1]), l, r);
/** RFC 9162 §2.1.1 Merkle tree hash, written out from the RFC. */
const mth = (leaves: Buffer[]): Buffer => {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaf(leaves[0]);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return node(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};
/** Canonical JSON for the values in the vectors (strings, small integers, arrays, objects): sorted keys, no spaces. */
const sortedKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortedKeys) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])])) : v;
const publicKey = (b64url: string) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url }, format: 'jwk' });
const partyKey = (party: string) => committed('keys.json').parties.find((p) => p.party === party)!.publicKeyB64url;

describe('Protocol v1 vectors', () => {
  it('the committed files are exactly what the fixed inputs produce', () => {
    expect(readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()).toEqual(Object.keys(built).sort());
    for (const [name, value] of Object.entries(built)) {
      expect(readFileSync(join(DIR, name), 'utf8'), name).toBe(vectorFileText(value));
    }
  });

  it('each public key is the one of its seed (RFC 8032 key derivation, checked on its test 1 first)', () => {
    const rfc8032 = signingKeyFromSeed(Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex'));
    expect(Buffer.from(rfc8032.publicKeyB64, 'base64url').toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(sign(null, Buffer.alloc(0), rfc8032.privateKey).toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    for (const p of committed('keys.json').parties) {
      expect(signingKeyFromSeed(Buffer.from(p.seedHex, 'hex')).publicKeyB64).toBe(p.publicKeyB64url);
      expect(Buffer.from(p.publicKeyHex, 'hex').toString('base64url')).toBe(p.publicKeyB64url);
    }
  });

  const { entries, payloadType } = committed('entries.json');
  const receipt = committed('receipt.json');
  const all: [string, EntryVector][] = [...entries.map((e) => [`USA#${e.header.seq}`, e] as [string, EntryVector]), ['RUS receipt', receipt.entry]];

  it.each(all)('%s: bytes, hashes, PAE, signature and envelope by the letter of Protocol v1', (_name, v) => {
    const C = Buffer.from(v.contentHex, 'hex');
    const H = Buffer.from(v.headerHex, 'hex');
    expect(C.toString('utf8')).toBe(v.contentText);
    expect(H.toString('utf8')).toBe(v.headerText);
    expect(v.contentText).toBe(JSON.stringify(sortedKeys(v.content)));
    expect(v.headerText).toBe(JSON.stringify(sortedKeys(v.header)));
    expect(v.header.content).toBe(sha(C).toString('hex'));
    expect(v.id).toBe(sha(H).toString('hex'));
    expect(v.leafHashHex).toBe(leaf(H).toString('hex'));

    const T = 'application/vnd.parley.header+json;v=1';
    expect(payloadType).toBe(T);
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(T)} ${T} ${H.length} `, 'ascii'), H]);
    expect(v.paeHex).toBe(pae.toString('hex'));
    expect(pae.subarray(0, 49).toString('ascii')).toBe('DSSEv1 38 application/vnd.parley.header+json;v=1 ');

    const key = publicKey(partyKey(v.header.author));
    const sig = Buffer.from(v.sigHex, 'hex');
    expect(verify(null, pae, key, sig)).toBe(true);
    expect(verify(null, H, key, sig)).toBe(false); // over the PAE, not the bare header
    const flipped = Buffer.from(pae);
    flipped[flipped.length - 2] ^= 1;
    expect(verify(null, flipped, key, sig)).toBe(false);

    expect(v.envelope).toEqual({ header: H.toString('base64url'), sig: sig.toString('base64url'), content: C.toString('base64url') });
    expect(decodeEnvelope(v.envelope).ok).toBe(true);
  });

  it('the entries chain: contiguous seq, prev = id of the previous, root = RFC 9162 root of the earlier headers', () => {
    const headers = entries.map((e) => Buffer.from(e.headerHex, 'hex'));
    entries.forEach((e, i) => {
      expect(e.header.seq).toBe(i + 1);
      expect(e.header.prev).toBe(i === 0 ? '0'.repeat(64) : entries[i - 1].id);
      expect(e.header.root).toBe(mth(headers.slice(0, i)).toString('hex'));
    });
    expect(entries[0].header.root).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('the receipt is RUS#1 acknowledging USA up to its last entry', () => {
    const e = receipt.entry;
    const last = entries[entries.length - 1];
    expect(e.header).toMatchObject({ author: 'RUS', seq: 1, prev: '0'.repeat(64) });
    expect(e.content).toMatchObject({ type: 'receipt', to: ['USA'], refs: [], body: { of: 'USA', upto: last.header.seq, head: last.id } });
  });

  it('the proof bundle proves USA#1 under the USA#4 checkpoint, by hand and by checkProof', () => {
    const { bundle, check } = committed('proof.json');
    expect(bundle.entry).toEqual(entries[0].envelope);
    expect(bundle.checkpoint).toEqual({ header: entries[3].envelope.header, sig: entries[3].envelope.sig });
    expect(bundle.publicKey).toBe(partyKey('USA'));
    // leaf 0 of a tree of 3: its sibling leaf 1, then the subtree of leaf 2.
    const [sibling, right] = bundle.inclusion.map((h) => Buffer.from(h, 'hex'));
    expect(node(node(Buffer.from(entries[0].leafHashHex, 'hex'), sibling), right).toString('hex')).toBe(entries[3].header.root);

    const checked = checkProof(bundle);
    expect(checked).toEqual({ ok: true, value: check });
    expect(check).toMatchObject({ author: 'USA', seq: 1, id: entries[0].id, checkpointSeq: 4 });

    const badPath = { ...bundle, inclusion: [bundle.inclusion[1], bundle.inclusion[0]] };
    expect(checkProof(badPath)).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_BAD_PROOF' } });
    const otherKey = { ...bundle, publicKey: partyKey('RUS') };
    expect(checkProof(otherKey)).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_BAD_SIGNATURE' } });
  });
});
