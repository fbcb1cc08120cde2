/** Operator tokens: stored hashed with an expiry, rotated by issue and revoke, read again by a running node. */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueToken, readTokenFile, writeTokenFile } from '../../src/http/tokens.js';
import { initNode, loadNode, tokensPath } from '../../src/node/folder.js';
import { startNode } from '../../src/server/node.js';
import { tempDir } from '../support/nodes.js';
import { startNetwork, waitFor, type TestNetwork } from './support.js';

let net: TestNetwork | undefined;
const dir = tempDir('parley-tokens-');
afterEach(async () => {
  await net?.close();
  net = undefined;
});

const status = async (url: string, token: string) => {
  const res = await fetch(`${url}/api/v1/status`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, code: res.ok ? undefined : ((await res.json()) as any).error.code };
};

describe('operator tokens', () => {
  it('are stored as hashes with an expiry, never as tokens', async () => {
    const folder = await initNode(join(dir.path, 'hashed'), { party: 'USA', url: 'http://127.0.0.1:9' });
    const text = readFileSync(tokensPath(folder.dir), 'utf8');
    for (const t of Object.values(folder.tokens)) expect(text).not.toContain(t);
    const file = readTokenFile(tokensPath(folder.dir), Date.now());
    expect(file.tokens.map((t) => t.role).sort()).toEqual(['admin', 'analyst', 'officer']);
    for (const t of file.tokens) expect(Date.parse(t.expiresAt)).toBeGreaterThan(Date.now());
    // The tokens issued at init work, and so do the local ones the CLI mints from the key.
    const node = await startNode({ dir: folder.dir, port: 0, logger: false, runFile: false });
    try {
      expect((await status(node.url, folder.tokens.analyst)).status).toBe(200);
      expect((await status(node.url, loadNode(folder.dir).tokens.analyst)).status).toBe(200);
      const local = loadNode(folder.dir).tokens.analyst;
      expect((await status(node.url, local.slice(0, -2) + (local.endsWith('A') ? 'BB' : 'AA'))).status).toBe(401);
    } finally {
      await node.close();
    }
  }, 30_000);

  it('rotate: a new token works at once on the running node, a revoked one stops, an expired one is refused with its own code', async () => {
    net = await startNetwork(['USA']);
    const { USA } = net.nodes;
    const file = tokensPath(USA.dir);
    const now = Date.now();
    const fresh = issueToken('officer', now);
    const old = issueToken('officer', now - 100_000, 1000); // expired 99 s ago
    const held = readTokenFile(file, now);
    writeTokenFile(file, { v: 2, tokens: [...held.tokens, fresh.record, old.record] });
    await waitFor('the new token to work', async () => (await status(USA.url, fresh.token)).status === 200, 10_000, 100);
    expect(await status(USA.url, old.token)).toEqual({ status: 401, code: 'PARLEY_ERR_TOKEN_EXPIRED' });
    writeTokenFile(file, { v: 2, tokens: held.tokens });
    await waitFor('the revoked token to stop', async () => (await status(USA.url, fresh.token)).status === 401, 10_000, 100);
  }, 30_000);

  it('a folder with plain-text tokens is rewritten hashed, its tokens still working', async () => {
    const folder = await initNode(join(dir.path, 'legacy'), { party: 'USA', url: 'http://127.0.0.1:9' });
    const legacy = { admin: 'pa_legacyadmintokenlegacyadmintoken', officer: 'po_legacyofficertokenlegacyofficer', analyst: 'pn_legacyanalysttokenlegacyanalyst' };
    writeFileSync(tokensPath(folder.dir), JSON.stringify(legacy), { mode: 0o600 });
    const node = await startNode({ dir: folder.dir, port: 0, logger: false, runFile: false });
    try {
      expect(readFileSync(tokensPath(folder.dir), 'utf8')).not.toContain(legacy.officer);
      expect((await status(node.url, legacy.officer)).status).toBe(200);
    } finally {
      await node.close();
    }
  }, 30_000);
});
