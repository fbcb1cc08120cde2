/** Test fixtures for federation: in-process nodes on loopback, introduced to each other. */
import { join } from 'node:path';
import { initNode } from '../../src/node/folder.js';
import { startNode, type RunningNode, type StartOptions } from '../../src/server/node.js';
import { tempDir } from '../support/nodes.js';

export interface TestNetwork {
  root: string;
  nodes: Record<string, RunningNode>;
  /** Stops every node still running and removes the folders. */
  close(): Promise<void>;
}

export const FAST_TIMINGS = { heartbeatMs: 400, inlineGraceMs: 50, backoff: { baseMs: 20, capMs: 300 } };

/**
 * Makes node folders for `codes`, starts each in this process on a free loopback port, and gives
 * every node every other's descriptor with the URL it actually listens on.
 */
export async function startNetwork(codes: string[], options: Partial<StartOptions> = {}): Promise<TestNetwork> {
  const dir = tempDir('parley-fed-');
  const nodes: Record<string, RunningNode> = {};
  for (const code of codes) {
    const folder = initNode(join(dir.path, code), { party: code, url: 'http://127.0.0.1:9', name: `${code} node` });
    nodes[code] = await startNode({ dir: folder.dir, port: 0, logger: false, runFile: false, federation: { timings: FAST_TIMINGS }, ...options });
  }
  introduce(Object.values(nodes));
  return {
    root: dir.path,
    nodes,
    close: async () => {
      for (const n of Object.values(nodes)) await n.close().catch(() => {});
      dir.remove();
    },
  };
}

/** Gives every node every other node's descriptor, with its current URL. */
export function introduce(nodes: RunningNode[]): void {
  const now = new Date().toISOString();
  for (const n of nodes) {
    for (const m of nodes) n.ledger.roster.add({ ...m.folder.descriptor, url: m.url }, now);
    n.federation.rosterChanged();
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes (then fails with `what`). */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const note = (subject: string, text = '') => ({ subject, text });
