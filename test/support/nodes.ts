/** Test fixtures: node folders in a temporary directory, introduced to each other. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initNode, loadNode, openLedger, type NodeFolder } from '../../src/node/folder.js';
import type { Clock, Ledger, LedgerEntry } from '../../src/ledger/ledger.js';

export function tempDir(prefix = 'parley-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Every entry of a ledger (`ledger.all()` read to the end), per author in seq order. */
export async function allEntries(ledger: Pick<Ledger, 'all'>): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  for await (const e of ledger.all()) out.push(e);
  return out;
}

export interface TestParty {
  folder: NodeFolder;
  ledger: Ledger;
}

/** Makes node folders for `codes`, each with every other in its roster, and opens their ledgers. */
export async function makeParties(root: string, codes: string[], clock?: Clock): Promise<Record<string, TestParty>> {
  const folders: NodeFolder[] = [];
  for (const [i, code] of codes.entries()) folders.push(await initNode(join(root, code), { party: code, url: `http://127.0.0.1:${7400 + i}`, name: `${code} node` }));
  const out: Record<string, TestParty> = {};
  for (const f of folders) {
    const ledger = await openLedger(loadNode(f.dir), { clock });
    for (const other of folders) await ledger.roster.add(other.descriptor, new Date(0).toISOString());
    out[f.config.party] = { folder: f, ledger };
  }
  return out;
}
