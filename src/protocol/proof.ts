/**
 * Proof bundles: everything needed, offline, to check that an author said an entry at its place
 * in the author's log. Checking needs nothing but the bundle.
 */
import { isPlainObject } from './bytes.js';
import { decodeEnvelope, verifyEntrySignature, type Envelope } from './entry.js';
import { fail, ok, type Result } from './errors.js';
import { leafHash, verifyInclusion } from './merkle.js';
import { publicKeyFromRaw } from './signing.js';

export interface ProofBundle {
  v: 1;
  kind: 'parley.proof';
  author: string;
  /** base64url of the author's raw 32-byte Ed25519 key: compare it with the roster you trust. */
  publicKey: string;
  /** The entry's envelope, with content. */
  entry: Envelope;
  /** A later signed header of the same author; its root covers the entry. */
  checkpoint: Envelope;
  /** seq − 1 of the entry. */
  leafIndex: number;
  /** seq − 1 of the checkpoint: the number of headers its root covers. */
  treeSize: number;
  /** RFC 9162 inclusion proof, hex, leaf first. */
  inclusion: string[];
}

export interface ProofCheck {
  author: string;
  seq: number;
  id: string;
  time: string;
  type: string;
  checkpointSeq: number;
  publicKey: string;
}

/**
 * Checks a bundle, naming each check after what it proves: the checkpoint is signed by the key
 * and names the entry's author, and the checkpoint's root includes the entry's header at its seq.
 *
 * The entry's own signature is not checked: it would prove nothing more. The author signed the
 * checkpoint, whose `root` is the RFC 9162 root of the author's first `treeSize` headers; the
 * inclusion proof leads from the entry's exact header bytes (as a leaf, 0x00-prefixed, so no
 * interior node can pose as one) at index seq − 1 to that root, so the author's signature
 * commits to those bytes at that place, and through `header.content` (checked against the
 * content when decoded) to the content. A bundle whose entry signature was damaged still proves
 * what the author said; one whose header or content was changed fails the inclusion or hash check.
 */
export function checkProof(raw: unknown): Result<ProofCheck> {
  if (!isPlainObject(raw) || raw.v !== 1 || raw.kind !== 'parley.proof') return fail('PARLEY_ERR_BAD_PROOF', 'not a Parley proof bundle (v 1, kind "parley.proof")');
  const key = typeof raw.publicKey === 'string' ? publicKeyFromRaw(raw.publicKey) : undefined;
  if (!key) return fail('PARLEY_ERR_BAD_PROOF', 'publicKey is not base64url of a raw Ed25519 key');
  const entry = decodeEnvelope(raw.entry);
  if (!entry.ok) return fail(entry.error.code, `entry: ${entry.error.message}`);
  if (!entry.value.content) return fail('PARLEY_ERR_BAD_PROOF', 'the bundle has no content for the entry');
  const checkpoint = decodeEnvelope(raw.checkpoint);
  if (!checkpoint.ok) return fail(checkpoint.error.code, `checkpoint: ${checkpoint.error.message}`);
  const e = entry.value;
  const c = checkpoint.value;
  if (raw.author !== e.header.author || c.header.author !== e.header.author) return fail('PARLEY_ERR_BAD_PROOF', 'the entry, the checkpoint and the bundle name different authors');
  if (!verifyEntrySignature(c, key)) return fail('PARLEY_ERR_BAD_SIGNATURE', 'checkpointSignedByAuthor: the checkpoint\'s signature does not verify with the bundle\'s key');
  if (raw.leafIndex !== e.header.seq - 1 || raw.treeSize !== c.header.seq - 1 || c.header.seq <= e.header.seq) {
    return fail('PARLEY_ERR_BAD_PROOF', 'leafIndex and treeSize must be the seq − 1 of the entry and of a later checkpoint');
  }
  if (!Array.isArray(raw.inclusion) || !raw.inclusion.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) {
    return fail('PARLEY_ERR_BAD_PROOF', 'inclusion must be an array of 64-hex hashes');
  }
  const proof = (raw.inclusion as string[]).map((h) => Buffer.from(h, 'hex'));
  const included = verifyInclusion(e.header.seq - 1, c.header.seq - 1, leafHash(e.headerBytes), proof, Buffer.from(c.header.root, 'hex'));
  if (!included) return fail('PARLEY_ERR_BAD_PROOF', 'entryInCheckpointTree: the inclusion proof does not lead to the checkpoint\'s root');
  return ok({
    author: e.header.author,
    seq: e.header.seq,
    id: e.id,
    time: e.header.time,
    type: entry.value.content.type,
    checkpointSeq: c.header.seq,
    publicKey: raw.publicKey as string,
  });
}
