/**
 * The PostgreSQL server of a party's node stops for 10 s under load, then comes back. The node
 * (a `parley start` process) is not restarted. Sends during the outage are refused with
 * PARLEY_ERR_STORE_UNAVAILABLE (503); every send acknowledged before, during or after it is in
 * the log; the node takes sends again once the server is back, and its peer gets everything and
 * receipts it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNode, loadNode, openLedger } from '../../src/node/folder.js';
import { tempDir } from '../support/nodes.js';
import { postgresServer, type PostgresServer } from '../support/postgres.js';
import { waitFor } from './support.js';
import { apiCall, freePort, killHard, spawnNode, stopNode, type NodeProcess } from './processes.js';

const OUTAGE_MS = 10_000;
const CONCURRENCY = 4;

const dir = tempDir('parley-pg-outage-');
const running: NodeProcess[] = [];
let server: PostgresServer;
beforeAll(async () => {
  // A server of its own: this test stops it.
  server = await postgresServer({ own: true });
}, 90_000);
afterAll(async () => {
  for (const p of running) await killHard(p);
  await server?.stop();
  dir.remove();
});

describe('the PostgreSQL server stopped for 10 s under load', () => {
  it('refuses sends with a clear code meanwhile, loses nothing acknowledged, and recovers without a restart', async () => {
    const [usaPort, rusPort] = [await freePort(), await freePort()];
    const usa = await initNode(join(dir.path, 'USA'), { party: 'USA', url: `http://127.0.0.1:${usaPort}`, store: await server.fresh() });
    const rus = await initNode(join(dir.path, 'RUS'), { party: 'RUS', url: `http://127.0.0.1:${rusPort}` });
    for (const f of [usa, rus]) {
      const l = await openLedger(loadNode(f.dir));
      for (const d of [usa.descriptor, rus.descriptor]) await l.roster.add(d, new Date().toISOString());
      await l.close();
    }
    const node = await spawnNode(usa.dir, usaPort);
    const peer = await spawnNode(rus.dir, rusPort);
    running.push(node, peer);

    type Phase = 'before' | 'outage' | 'after';
    let phase: Phase = 'before';
    let load = true;
    const acknowledged = new Map<number, string>();
    const ackedIn: Record<Phase, number> = { before: 0, outage: 0, after: 0 };
    const refusals: Record<Phase, string[]> = { before: [], outage: [], after: [] };
    let n = 0;
    const worker = async () => {
      while (load) {
        const at = phase;
        try {
          const r = await apiCall(node.url, usa.tokens.officer, '/api/v1/entries', { type: 'note', to: ['RUS'], body: { subject: `n${n++}`, text: 'load' } });
          if (r.status === 201) {
            acknowledged.set(r.json.seq, r.json.id);
            ackedIn[phase]++;
          } else refusals[at].push(`${r.status} ${r.json?.error?.code}`);
        } catch (err) {
          refusals[at].push(`no answer: ${(err as Error).message}`);
        }
        if (phase === 'outage') await new Promise((r) => setTimeout(r, 50));
      }
    };
    const workers = Array.from({ length: CONCURRENCY }, worker);
    await waitFor('sends acknowledged before the outage', () => ackedIn.before >= 50, 30_000, 20);

    await server.halt();
    phase = 'outage';
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await server.resume();
    phase = 'after';
    const resumedAt = Date.now();
    await waitFor('sends acknowledged again after the outage', () => ackedIn.after >= 50, 30_000, 20);
    const recoveryMs = Date.now() - resumedAt;
    load = false;
    await Promise.all(workers);

    // The same process served throughout.
    expect(node.child.exitCode).toBeNull();
    expect(node.child.signalCode).toBeNull();
    // Sends during the outage (and those in flight when it began, or sent as the node reconnects)
    // are refused, each with the store-unavailable code: none hangs without an answer.
    expect(refusals.outage.length).toBeGreaterThan(0);
    expect(new Set([...refusals.before, ...refusals.outage, ...refusals.after])).toEqual(new Set(['503 PARLEY_ERR_STORE_UNAVAILABLE']));
    expect(recoveryMs).toBeLessThan(20_000);

    let usaSeq = 0;
    await waitFor(
      'RUS to hold and receipt everything',
      async () => {
        const s = (await apiCall(node.url, usa.tokens.analyst, '/api/v1/status')).json;
        usaSeq = s.seq;
        return s.peers.every((p: any) => p.delivered === s.seq && p.backlog === 0);
      },
      60_000,
      200,
    );
    expect(await stopNode(node)).toBe(0);
    expect(await stopNode(peer)).toBe(0);
    const ledger = await openLedger(loadNode(usa.dir));
    try {
      // Nothing acknowledged is lost, at the seq it was acknowledged at; the log verifies.
      for (const [seq, id] of acknowledged) expect((await ledger.bySeq('USA', seq))?.id, `USA#${seq}`).toBe(id);
      expect(usaSeq).toBeGreaterThanOrEqual(acknowledged.size);
      expect((await ledger.verify({ workers: 0 })).problems).toEqual([]);
    } finally {
      await ledger.close();
    }
    console.log(`outage test: ${ackedIn.before} sends acknowledged before, ${ackedIn.outage} during, ${ackedIn.after} after; ${refusals.outage.length} refused during the outage; sends acknowledged again ${recoveryMs} ms after the server was back`);
  }, 180_000);
});
