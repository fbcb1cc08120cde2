/**
 * RFC 9162 Merkle trees: tree hash, inclusion and consistency proofs, generation and verification.
 * Hashes are Buffers here; the wire (headers, bundles) writes them as lower-case hex.
 *
 * Proof generation reads perfect, aligned subtree hashes through a `NodeReader`
 * (level l, index i → hash of leaves [i·2^l, (i+1)·2^l)), so a store that keeps those nodes
 * answers for any entry of a huge log with O(log n) reads, never touching every leaf.
 */
import { createHash, hash } from 'node:crypto';

export type Hash = Buffer;
export type NodeReader = (level: number, index: number) => Hash;

const LEAF_PREFIX = Buffer.from([0]);
// One scratch buffer for interior nodes: the hot path of append, accept and verify hashes
// O(log n) nodes per entry, and the one-shot hash over a reused buffer is about twice as fast.
const NODE_INPUT = Buffer.alloc(65);

export function leafHash(leaf: Uint8Array): Hash {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, leaf]), 'buffer') as unknown as Hash;
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  if (left.length !== 32 || right.length !== 32) return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
  NODE_INPUT[0] = 1;
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 33);
  return hash('sha256', NODE_INPUT, 'buffer') as unknown as Hash;
}

export const emptyRoot = (): Hash => createHash('sha256').digest();

/** Largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Hash of leaves [start, end) read from perfect subtrees; start must be aligned as RFC 9162 splits are. */
export function rangeHash(start: number, end: number, read: NodeReader): Hash {
  const size = end - start;
  if (size <= 0) throw new RangeError('empty range');
  if ((size & (size - 1)) === 0 && start % size === 0) return read(Math.log2(size), start / size);
  const k = splitPoint(size);
  return nodeHash(rangeHash(start, start + k, read), rangeHash(start + k, end, read));
}

/** MTH over the first `size` leaves. */
export function treeRoot(size: number, read: NodeReader): Hash {
  return size === 0 ? emptyRoot() : rangeHash(0, size, read);
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]). */
export function inclusionProof(index: number, size: number, read: NodeReader): Hash[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path: Hash[] = [];
  let start = 0;
  let end = size;
  let m = index;
  // Walk down from the root, collecting siblings; the proof lists them leaf-first.
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (m < k) {
      path.push(rangeHash(start + k, end, read));
      end = start + k;
    } else {
      path.push(rangeHash(start, start + k, read));
      start += k;
      m -= k;
    }
  }
  return path.reverse();
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]). */
export function consistencyProof(size1: number, size2: number, read: NodeReader): Hash[] {
  if (!(size1 >= 0 && size1 <= size2)) throw new RangeError(`no consistency proof from ${size1} to ${size2}`);
  if (size1 === 0 || size1 === size2) return [];
  const path: Hash[] = [];
  let start = 0;
  let end = size2;
  let m = size1;
  let complete = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      path.push(rangeHash(start + k, end, read));
      end = start + k;
    } else {
      path.push(rangeHash(start, start + k, read));
      start += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) path.push(rangeHash(start, end, read));
  return path.reverse();
}

/** RFC 9162 §2.1.3.2: does `proof` show `leaf` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (leaf.length !== 32 || root.length !== 32) return false;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32) return false;
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree (size1, root1) is a prefix of (size2, root2)? */
export function verifyConsistency(size1: number, size2: number, root1: Hash, root2: Hash, proof: readonly Hash[]): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) return false;
  // An empty tree is a prefix of every tree; there is nothing to prove and so no proof to accept.
  if (size1 === 0) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (root1.length !== 32 || root2.length !== 32) return false;
  if (proof.length === 0 || proof.some((p) => p.length !== 32)) return false;
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : [...proof];
  let fn = BigInt(size1 - 1);
  let sn = BigInt(size2 - 1);
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0n;
}

/** A perfect subtree newly completed by an append: what a store keeps to answer proofs fast. */
export interface MerkleNode {
  level: number;
  index: number;
  hash: Hash;
}

/**
 * The compact range of a log: the roots of the perfect subtrees that make up its first `size`
 * leaves, largest first. Enough to compute the root and to extend the tree, in O(log n).
 */
export class Frontier {
  #nodes: MerkleNode[];
  #size: number;

  constructor(size = 0, nodes: MerkleNode[] = []) {
    this.#size = size;
    this.#nodes = nodes.map((n) => ({ ...n }));
  }

  /** The frontier of a tree of `size` leaves, read from stored perfect subtrees. */
  static fromStore(size: number, read: NodeReader): Frontier {
    return new Frontier(size, Frontier.positions(size).map((p) => ({ ...p, hash: read(p.level, p.index) })));
  }

  /** Which perfect subtrees make up the frontier of `size` leaves, largest first: what to read to rebuild it. */
  static positions(size: number): { level: number; index: number }[] {
    const out: { level: number; index: number }[] = [];
    let offset = 0;
    for (let level = 52; level >= 0; level--) {
      const width = 2 ** level;
      if (size - offset >= width) {
        out.push({ level, index: offset / width });
        offset += width;
      }
    }
    return out;
  }

  get size(): number {
    return this.#size;
  }

  clone(): Frontier {
    return new Frontier(this.#size, this.#nodes);
  }

  root(): Hash {
    if (this.#nodes.length === 0) return emptyRoot();
    let r = this.#nodes[this.#nodes.length - 1].hash;
    for (let i = this.#nodes.length - 2; i >= 0; i--) r = nodeHash(this.#nodes[i].hash, r);
    return r;
  }

  /** Adds a leaf (its raw bytes); returns every perfect subtree it completed, the leaf included. */
  append(leaf: Uint8Array): MerkleNode[] {
    let node: MerkleNode = { level: 0, index: this.#size, hash: leafHash(leaf) };
    const completed: MerkleNode[] = [node];
    while (this.#nodes.length > 0 && this.#nodes[this.#nodes.length - 1].level === node.level) {
      const left = this.#nodes.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      completed.push(node);
    }
    this.#nodes.push(node);
    this.#size += 1;
    return completed;
  }
}

/** A NodeReader over leaves held in memory (tests, offline tools, small logs). */
export function memoryTree(leaves: readonly Uint8Array[]): { read: NodeReader; size: number } {
  const levels: Hash[][] = [leaves.map((l) => leafHash(l))];
  while (levels[levels.length - 1].length > 1) {
    const below = levels[levels.length - 1];
    const up: Hash[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) up.push(nodeHash(below[i], below[i + 1]));
    levels.push(up);
  }
  return {
    size: leaves.length,
    read: (level, index) => {
      const h = levels[level]?.[index];
      if (!h) throw new RangeError(`no perfect subtree at level ${level} index ${index}`);
      return h;
    },
  };
}
