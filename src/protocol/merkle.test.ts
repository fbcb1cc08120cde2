import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  consistencyProof, Frontier, inclusionProof, leafHash, memoryTree, treeRoot, verifyConsistency, verifyInclusion,
} from './merkle.js';

// The public RFC 9162 vectors (transparency-dev/merkle, Apache-2.0): see test/vectors/rfc9162/README.md.
const VECTORS = join(import.meta.dirname, '..', '..', 'test', 'vectors', 'rfc9162');
const b64 = (s: string) => Buffer.from(s, 'base64');
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

function vectorFiles(kind: 'inclusion' | 'consistency'): { name: string; data: any }[] {
  const dir = join(VECTORS, kind);
  const out: { name: string; data: any }[] = [];
  for (const sub of readdirSync(dir)) {
    for (const f of readdirSync(join(dir, sub))) {
      if (f.endsWith('.json')) out.push({ name: `${sub}/${f}`, data: JSON.parse(readFileSync(join(dir, sub, f), 'utf8')) });
    }
  }
  return out;
}

describe('RFC 9162 reference tree', () => {
  it('finds the vectors in the project', () => {
    expect(existsSync(VECTORS)).toBe(true);
  });
  it.each(ROOTS.map((r, i) => [i + 1, r] as const))('root of the first %i leaves', (n, root) => {
    const tree = memoryTree(LEAVES.slice(0, n));
    expect(treeRoot(n, tree.read).toString('hex')).toBe(root);
    const f = new Frontier();
    for (const leaf of LEAVES.slice(0, n)) f.append(leaf);
    expect(f.root().toString('hex')).toBe(root);
  });
  it('empty tree root is SHA-256 of nothing', () => {
    expect(new Frontier().root().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('RFC 9162 inclusion vectors', () => {
  const files = vectorFiles('inclusion');
  it('has both valid and wantErr cases', () => {
    expect(files.filter((f) => f.data.wantErr).length).toBeGreaterThan(10);
    expect(files.filter((f) => !f.data.wantErr).length).toBeGreaterThan(0);
  });
  it.each(files.map((f) => [f.name, f.data] as const))('%s', (_name, v) => {
    const okd = verifyInclusion(v.leafIdx, v.treeSize, b64(v.leafHash ?? ''), (v.proof ?? []).map(b64), b64(v.root ?? ''));
    expect(okd).toBe(!v.wantErr);
  });
  it('generates every inclusion proof of the reference tree that verifies against the reference roots', () => {
    for (let n = 1; n <= LEAVES.length; n++) {
      const tree = memoryTree(LEAVES.slice(0, n));
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(m, n, tree.read);
        expect(verifyInclusion(m, n, leafHash(LEAVES[m]), proof, Buffer.from(ROOTS[n - 1], 'hex'))).toBe(true);
        if (proof.length > 0) {
          const bad = proof.map((p) => Buffer.from(p));
          bad[0][0] ^= 1;
          expect(verifyInclusion(m, n, leafHash(LEAVES[m]), bad, Buffer.from(ROOTS[n - 1], 'hex'))).toBe(false);
        }
      }
    }
  });
  it('matches the vectors\' own proofs for the valid cases', () => {
    for (const { data: v } of files.filter((f) => !f.data.wantErr && f.data.treeSize <= LEAVES.length && f.data.treeSize > 0)) {
      const tree = memoryTree(LEAVES.slice(0, v.treeSize));
      if (!leafHash(LEAVES[v.leafIdx]).equals(b64(v.leafHash))) continue; // vectors over other leaves
      expect(inclusionProof(v.leafIdx, v.treeSize, tree.read).map((p) => p.toString('base64'))).toEqual(v.proof ?? []);
    }
  });
});

describe('RFC 9162 consistency vectors', () => {
  const files = vectorFiles('consistency');
  it.each(files.map((f) => [f.name, f.data] as const))('%s', (_name, v) => {
    const okd = verifyConsistency(v.size1, v.size2, b64(v.root1 ?? ''), b64(v.root2 ?? ''), (v.proof ?? []).map(b64));
    expect(okd).toBe(!v.wantErr);
  });
  it('generates every consistency proof of the reference tree and verifies it', () => {
    const tree = memoryTree(LEAVES);
    for (let n2 = 1; n2 <= LEAVES.length; n2++) {
      for (let n1 = 1; n1 <= n2; n1++) {
        const proof = consistencyProof(n1, n2, tree.read);
        const r1 = Buffer.from(ROOTS[n1 - 1], 'hex');
        const r2 = Buffer.from(ROOTS[n2 - 1], 'hex');
        expect(verifyConsistency(n1, n2, r1, r2, proof)).toBe(true);
        if (n1 !== n2) expect(verifyConsistency(n1, n2, r2, r1, proof)).toBe(false);
      }
    }
  });
});

describe('Frontier', () => {
  it('agrees with the full tree at every size and reports the nodes a store must keep', () => {
    const leaves = Array.from({ length: 300 }, (_, i) => Buffer.from(`leaf ${i}`));
    const f = new Frontier();
    const stored = new Map<string, Buffer>();
    for (let i = 0; i < leaves.length; i++) {
      for (const n of f.append(leaves[i])) stored.set(`${n.level}/${n.index}`, n.hash);
      const tree = memoryTree(leaves.slice(0, i + 1));
      expect(f.root().equals(treeRoot(i + 1, tree.read))).toBe(true);
    }
    const read = (l: number, x: number) => stored.get(`${l}/${x}`)!;
    const full = memoryTree(leaves);
    for (const m of [0, 1, 127, 128, 255, 299]) {
      expect(inclusionProof(m, 300, read)).toEqual(inclusionProof(m, 300, full.read));
    }
    expect(Frontier.fromStore(300, read).root().equals(f.root())).toBe(true);
  });
});
