import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initNode, loadNode, openLedger } from '../../src/node/folder.js';
import { readRunInfo } from '../../src/server/runfile.js';
import { tempDir } from '../support/nodes.js';
import { apiCall, freePort, killHard, spawnNode, stopNode, type NodeProcess } from './processes.js';

const dir = tempDir('parley-stop-');
const running: NodeProcess[] = [];
afterAll(async () => {
  for (const p of running) await killHard(p);
  dir.remove();
});

describe('SIGTERM', () => {
  it('stops taking work, keeps every send it acknowledged, and exits 0', async () => {
    const port = await freePort();
    const usa = await initNode(join(dir.path, 'USA'), { party: 'USA', url: `http://127.0.0.1:${port}` });
    const node = await spawnNode(usa.dir, port);
    running.push(node);
    const acknowledged = new Map<number, string>();
    const refusals = new Map<string, number>();
    let stopping: Promise<number | null> | undefined;
    let exited = false;
    const worker = async () => {
      for (let i = 0; !exited; i++) {
        try {
          const r = await apiCall(node.url, usa.tokens.officer, '/api/v1/entries', { type: 'note', to: ['*'], body: { subject: `s${i}`, text: '' } });
          if (r.status === 201) acknowledged.set(r.json.seq, r.json.id);
          else refusals.set(r.json.error.code, (refusals.get(r.json.error.code) ?? 0) + 1);
        } catch {
          refusals.set('not connected', (refusals.get('not connected') ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 10));
        }
        if (acknowledged.size >= 300) {
          stopping ??= stopNode(node).then((code) => {
            exited = true;
            return code;
          });
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(await stopping).toBe(0);
    expect(readRunInfo(usa.dir)).toBeUndefined();
    // Whatever was refused was refused as "closed" (or found the port shut).
    expect([...refusals.keys()].every((k) => k === 'PARLEY_ERR_CLOSED' || k === 'not connected')).toBe(true);
    const ledger = await openLedger(loadNode(usa.dir));
    try {
      for (const [seq, id] of acknowledged) expect((await ledger.bySeq('USA', seq))?.id).toBe(id);
      expect(ledger.head('USA')!.seq).toBeGreaterThanOrEqual(acknowledged.size);
    } finally {
      await ledger.close();
    }
  });
});
