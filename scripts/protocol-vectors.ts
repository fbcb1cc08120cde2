/**
 * Protocol v1 test vectors: fixed keys (fixed Ed25519 seeds), fixed salts and fixed times go through
 * Parley's own protocol functions, and every intermediate byte string is written out, so another
 * implementation can check itself step by step (test/vectors/protocol-v1/README.md).
 *
 * Write them (once, or after a deliberate protocol change):
 *   npx tsc -p tsconfig.json && node dist/scripts/protocol-vectors.js
 * test/vectors/protocol-v1.test.ts rebuilds them and fails if a byte differs from the committed files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runIfMain } from '../bench/peers.js';
import { sha256hex, toB64url, ZERO_HASH } from '../src/protocol/bytes.js';
import { encodeContent, formatTime, sealEntry, type Content, type DecodedEntry, type Envelope, type Header } from '../src/protocol/entry.js';
import { Frontier, inclusionProof, leafHash, memoryTree } from '../src/protocol/merkle.js';
import { checkProof, type ProofBundle, type ProofCheck } from '../src/protocol/proof.js';
import { HEADER_PAYLOAD_TYPE, pae, signingKeyFromSeed, type SigningKey } from '../src/protocol/signing.js';

/** The fixed inputs. The seeds are public: these keys sign test vectors and nothing else. */
export const VECTOR_INPUTS = {
  parties: [
    { party: 'USA', seedHex: '0101010101010101010101010101010101010101010101010101010101010101', start: '2022-02-11T12:00:00.000Z' },
    { party: 'RUS', seedHex: '0202020202020202020202020202020202020202020202020202020202020202', start: '2022-02-11T12:05:00.000Z' },
  ],
  // Header time of a party's entry at seq n: its `start` plus (n − 1) minutes.
  /** Salt of the content at seq n: 16 bytes, each n (the receipt's: each 0xaa). */
  receiptSalt: 'aa',
} as const;

export interface KeyVector {
  party: string;
  seedHex: string;
  publicKeyHex: string;
  publicKeyB64url: string;
}

export interface EntryVector {
  description: string;
  content: Content;
  contentText: string;
  contentHex: string;
  header: Header;
  headerText: string;
  headerHex: string;
  leafHashHex: string;
  id: string;
  paeHex: string;
  sigHex: string;
  envelope: Envelope;
}

export interface ProtocolVectors {
  'keys.json': { note: string; parties: KeyVector[] };
  'entries.json': { author: string; payloadType: string; entries: EntryVector[] };
  'receipt.json': { receiver: string; entry: EntryVector };
  'proof.json': { bundle: ProofBundle; check: ProofCheck };
}

const MINUTE = 60_000;

/** An author's log built in memory with the protocol functions only: no ledger, no store. */
class VectorLog {
  readonly entries: DecodedEntry[] = [];
  readonly #frontier = new Frontier();
  constructor(readonly party: string, readonly key: SigningKey, readonly start: string) {}

  append(content: Content): DecodedEntry {
    const seq = this.entries.length + 1;
    const contentBytes = encodeContent(content);
    const header: Header = {
      v: 1,
      author: this.party,
      seq,
      prev: seq === 1 ? ZERO_HASH : this.entries[seq - 2].id,
      root: this.#frontier.root().toString('hex'),
      time: formatTime(Date.parse(this.start) + (seq - 1) * MINUTE),
      content: sha256hex(contentBytes),
    };
    const entry = sealEntry(header, content, contentBytes, this.key);
    this.#frontier.append(entry.headerBytes);
    this.entries.push(entry);
    return entry;
  }
}

function entryVector(description: string, e: DecodedEntry): EntryVector {
  const contentBytes = e.contentBytes!;
  return {
    description,
    content: e.content!,
    contentText: contentBytes.toString('utf8'),
    contentHex: contentBytes.toString('hex'),
    header: e.header,
    headerText: e.headerBytes.toString('utf8'),
    headerHex: e.headerBytes.toString('hex'),
    leafHashHex: leafHash(e.headerBytes).toString('hex'),
    id: e.id,
    paeHex: pae(HEADER_PAYLOAD_TYPE, e.headerBytes).toString('hex'),
    sigHex: e.sig.toString('hex'),
    envelope: e.envelope,
  };
}

const salt = (byteHex: string) => toB64url(Buffer.alloc(16, byteHex, 'hex'));

/** Builds every vector file from the fixed inputs: the same bytes on every run and every machine. */
export function protocolV1Vectors(): ProtocolVectors {
  const keys = VECTOR_INPUTS.parties.map((p) => ({ ...p, key: signingKeyFromSeed(Buffer.from(p.seedHex, 'hex')) }));
  const [usa, rus] = keys.map((k) => new VectorLog(k.party, k.key, k.start));

  const descriptions = [
    'seq 1: prev is 64 zeros, root is SHA-256 of nothing (empty tree); broadcast to every party; non-ASCII text',
    'seq 2: prev is the id of seq 1, root covers header 1; addressed to one party; refs entry 1; JSON escapes in the text',
    'seq 3: root covers headers 1–2; two addressees, in the author\'s order (JCS sorts object keys, never arrays)',
    'seq 4: root covers headers 1–3 (a tree of 3 leaves); the checkpoint of proof.json',
  ];
  const e1 = usa.append({ type: 'note', to: ['*'], refs: [], body: { subject: 'Notification of a military activity', text: 'Уведомление — «учения» 2022 ✓' }, salt: salt('01') });
  usa.append({ type: 'note', to: ['RUS'], refs: [e1.id], body: { subject: 'Request for clarification', text: 'Line one.\nLine "two" \\ tab\there.' }, salt: salt('02') });
  usa.append({ type: 'note', to: ['UKR', 'RUS'], refs: [], body: { subject: 'Link test', text: '' }, salt: salt('03') });
  const e4 = usa.append({ type: 'note', to: ['*'], refs: [], body: { subject: 'Routine', text: 'Nothing to report.' }, salt: salt('04') });

  const receipt = rus.append({
    type: 'receipt', to: [usa.party], refs: [], body: { of: usa.party, upto: e4.header.seq, head: e4.id }, salt: salt(VECTOR_INPUTS.receiptSalt),
  });

  const tree = memoryTree(usa.entries.map((e) => e.headerBytes));
  const bundle: ProofBundle = {
    v: 1,
    kind: 'parley.proof',
    author: usa.party,
    publicKey: keys[0].key.publicKeyB64,
    entry: e1.envelope,
    checkpoint: { header: e4.envelope.header, sig: e4.envelope.sig },
    leafIndex: e1.header.seq - 1,
    treeSize: e4.header.seq - 1,
    inclusion: inclusionProof(e1.header.seq - 1, e4.header.seq - 1, tree.read).map((h) => h.toString('hex')),
  };
  const check = checkProof(bundle);
  if (!check.ok) throw check.error;

  return {
    'keys.json': {
      note: 'Test keys with public seeds: they sign these vectors and must never sign anything else.',
      parties: keys.map(({ party, seedHex, key }) => ({
        party,
        seedHex,
        publicKeyHex: Buffer.from(key.publicKeyB64, 'base64url').toString('hex'),
        publicKeyB64url: key.publicKeyB64,
      })),
    },
    'entries.json': { author: usa.party, payloadType: HEADER_PAYLOAD_TYPE, entries: usa.entries.map((e, i) => entryVector(descriptions[i], e)) },
    'receipt.json': { receiver: rus.party, entry: entryVector(`${rus.party} receipts ${usa.party} up to seq ${e4.header.seq}`, receipt) },
    'proof.json': { bundle, check: check.value },
  };
}

/** The exact text of a vector file: two-space JSON and a final newline. */
export function vectorFileText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

runIfMain(import.meta.url, async () => {
  // Run from dist/scripts/; the vectors belong in the source tree.
  const dir = process.argv[2] ?? join(fileURLToPath(new URL('../..', import.meta.url)), 'test', 'vectors', 'protocol-v1');
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(protocolV1Vectors())) {
    writeFileSync(join(dir, name), vectorFileText(value));
    console.log(`wrote ${join(dir, name)}`);
  }
});
