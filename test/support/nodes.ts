/** Test fixtures: node folders in a temporary directory, introduced to each other. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initNode, loadNode, openLedger, type NodeFolder } from '../../src/node/folder.js';
import type { Clock, Ledger } from '../../src/ledger/ledger.js';

export function tempDir(prefix = 'parley-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestParty {
  folder: NodeFolder;
  ledger: Ledger;
}

/** Makes node folders for `codes`, each with every other in its roster, and opens their ledgers. */
export function makeParties(root: string, codes: string[], clock?: Clock): Record<string, TestParty> {
  const folders = codes.map((code, i) => initNode(join(root, code), { party: code, url: `http://127.0.0.1:${7400 + i}`, name: `${code} node` }));
  const out: Record<string, TestParty> = {};
  for (const f of folders) {
    const ledger = openLedger(loadNode(f.dir), { clock });
    for (const other of folders) ledger.roster.add(other.descriptor, new Date(0).toISOString());
    out[f.config.party] = { folder: f, ledger };
  }
  return out;
}
