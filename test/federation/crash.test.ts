import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initNode, loadNode, openLedger } from '../../src/node/folder.js';
import { tempDir } from '../support/nodes.js';
import { waitFor } from './support.js';
import { apiCall, freePort, killHard, spawnNode, stopNode, type NodeProcess } from './processes.js';

/**
 * Two nodes as child processes; USA's officer sends a stream of entries to RUS through the API.
 * In the middle of it the receiver is killed -9 and restarted, then the sender. Afterwards every
 * entry the operator was told was appended is in USA's log, and in RUS's exactly once, in order,
 * with content, and receipted back to USA.
 */
const TOTAL = 2000;
const CONCURRENCY = 8;

const dir = tempDir('parley-crash-');
const running: NodeProcess[] = [];
afterAll(async () => {
  for (const p of running) await killHard(p);
  dir.remove();
});

describe('kill -9 in the middle of a stream', () => {
  it('loses nothing acknowledged, delivers every entry exactly once and in order, and receipts it', async () => {
    const [usaPort, rusPort] = [await freePort(), await freePort()];
    const usa = await initNode(join(dir.path, 'USA'), { party: 'USA', url: `http://127.0.0.1:${usaPort}` });
    const rus = await initNode(join(dir.path, 'RUS'), { party: 'RUS', url: `http://127.0.0.1:${rusPort}` });
    for (const f of [usa, rus]) {
      const l = await openLedger(loadNode(f.dir));
      for (const d of [usa.descriptor, rus.descriptor]) await l.roster.add(d, new Date().toISOString());
      await l.close();
    }
    const nodes = { USA: await spawnNode(usa.dir, usaPort), RUS: await spawnNode(rus.dir, rusPort) };
    running.push(nodes.USA, nodes.RUS);

    // Kill moments, at random within bounds: the receiver in the first half, the sender in the second.
    const killRusAt = Math.floor(TOTAL * (0.15 + Math.random() * 0.25));
    const killUsaAt = Math.floor(TOTAL * (0.55 + Math.random() * 0.25));
    const acknowledged = new Map<number, string>();
    let failures = 0;
    const restart = async (party: 'USA' | 'RUS') => {
      const p = nodes[party];
      await killHard(p);
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
      nodes[party] = await spawnNode(p.dir, p.port);
      running.push(nodes[party]);
    };
    const restarts: Partial<Record<'USA' | 'RUS', Promise<void>>> = {};

    let next = 0;
    const worker = async () => {
      while (acknowledged.size < TOTAL) {
        const i = next++;
        try {
          const r = await apiCall(nodes.USA.url, usa.tokens.officer, '/api/v1/entries', { type: 'note', to: ['RUS'], body: { subject: `n${i}`, text: 'stream' } });
          if (r.status !== 201) throw new Error(`HTTP ${r.status}`);
          acknowledged.set(r.json.seq, r.json.id);
        } catch {
          // The sender is down (or stopping): this one was not acknowledged; try another.
          failures++;
          await new Promise((r) => setTimeout(r, 25));
          continue;
        }
        if (acknowledged.size >= killRusAt) restarts.RUS ??= restart('RUS');
        if (acknowledged.size >= killUsaAt) restarts.USA ??= restart('USA');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await restarts.RUS;
    await restarts.USA;

    // Both logs settle: RUS holds all of USA's log and USA holds RUS's receipt of its last entry.
    let usaSeq = 0;
    await waitFor(
      'RUS to hold and receipt everything',
      async () => {
        const s = (await apiCall(nodes.USA.url, usa.tokens.analyst, '/api/v1/status')).json;
        usaSeq = s.seq;
        const peer = s.peers.find((p: any) => p.party === 'RUS');
        return peer.delivered === s.seq && peer.backlog === 0;
      },
      60_000,
      200,
    );
    expect(await stopNode(nodes.USA)).toBe(0);
    expect(await stopNode(nodes.RUS)).toBe(0);

    const usaLedger = await openLedger(loadNode(usa.dir));
    const rusLedger = await openLedger(loadNode(rus.dir));
    try {
      expect(usaLedger.head('USA')?.seq).toBe(usaSeq);
      expect(usaSeq).toBeGreaterThanOrEqual(TOTAL);
      // Nothing the operator was told was appended is missing, at the seq it was told.
      for (const [seq, id] of acknowledged) expect((await usaLedger.bySeq('USA', seq))?.id).toBe(id);
      // RUS: USA's whole log, each entry once (the store's (author, seq) key), in seq order of arrival, with content.
      const arrived = (await rusLedger.since(0, 1_000_000)).filter((e) => e.author === 'USA');
      expect(arrived.map((e) => e.seq)).toEqual(Array.from({ length: usaSeq }, (_, i) => i + 1));
      const usaIds = (await usaLedger.range('USA', 0, 1_000_000)).map((e) => e.id);
      expect(arrived.map((e) => e.id)).toEqual(usaIds);
      expect(arrived.every((e) => e.type === 'note' && e.body?.text === 'stream')).toBe(true);
      // And RUS's receipt of the last one is in USA's ledger.
      const receipts = (await usaLedger.range('RUS', 0, 1_000_000)).filter((e) => e.type === 'receipt');
      expect(receipts.at(-1)?.body).toEqual({ of: 'USA', upto: usaSeq, head: usaIds.at(-1) });
      for (const l of [usaLedger, rusLedger]) expect((await l.verify({ workers: 0 })).problems).toEqual([]);
    } finally {
      await usaLedger.close();
      await rusLedger.close();
    }
    console.log(`crash test: ${usaSeq} entries, RUS killed at ${killRusAt}, USA killed at ${killUsaAt}, ${failures} sends refused while a node was down`);
  });
});
