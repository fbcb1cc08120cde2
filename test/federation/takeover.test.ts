/**
 * A party's node as two `parley start` processes on one PostgreSQL database, with two peers (each
 * a process of its own). The operators send a stream of hotline messages to both peers through
 * both processes; in the middle of it the process driving the peer links is killed -9. The other
 * process takes the links over (the dead process's link locks die with its connection), and:
 * every entry acknowledged to an operator is in the party's log and delivered to each peer exactly
 * once, in order, with content, and receipted; the hotline link alarm (no receipt for 10 s) never
 * fires, the takeover being shorter than that.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNode, loadNode, openLedger } from '../../src/node/folder.js';
import { tempDir } from '../support/nodes.js';
import { postgresServer, type PostgresServer } from '../support/postgres.js';
import { waitFor } from './support.js';
import { apiCall, freePort, killHard, spawnNode, stopNode, type NodeProcess } from './processes.js';

const TOTAL = 300;
const CONCURRENCY = 6;

const dir = tempDir('parley-takeover-');
const running: NodeProcess[] = [];
let server: PostgresServer;
beforeAll(async () => {
  server = await postgresServer();
}, 90_000);
afterAll(async () => {
  for (const p of running) await killHard(p);
  await server?.stop();
  dir.remove();
});

describe('kill -9 of the process driving the links, two processes of a node on PostgreSQL', () => {
  it('another process takes the links over: every entry delivered once, in order, receipted; no hotline link alarm', async () => {
    const [driverPort, otherPort, rusPort, ukrPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    // Peers reach the party at the surviving process's port (a reverse proxy's address in production).
    const usa = await initNode(join(dir.path, 'USA'), { party: 'USA', url: `http://127.0.0.1:${otherPort}`, store: await server.fresh() });
    const rus = await initNode(join(dir.path, 'RUS'), { party: 'RUS', url: `http://127.0.0.1:${rusPort}` });
    const ukr = await initNode(join(dir.path, 'UKR'), { party: 'UKR', url: `http://127.0.0.1:${ukrPort}` });
    for (const f of [usa, rus, ukr]) {
      const l = await openLedger(loadNode(f.dir));
      for (const d of [usa.descriptor, rus.descriptor, ukr.descriptor]) await l.roster.add(d, new Date().toISOString());
      await l.close();
    }
    const peers = { RUS: await spawnNode(rus.dir, rusPort), UKR: await spawnNode(ukr.dir, ukrPort) };
    running.push(peers.RUS, peers.UKR);
    // The first process takes the link locks at its start; the second finds them held.
    const driver = await spawnNode(usa.dir, driverPort);
    running.push(driver);
    const other = await spawnNode(usa.dir, otherPort);
    running.push(other);
    const linksUp = async (p: NodeProcess) => {
      const s = (await apiCall(p.url, usa.tokens.analyst, '/api/v1/status')).json;
      return s.peers.every((x: any) => x.link === 'up');
    };
    await waitFor('the first process to drive both links', () => linksUp(driver), 20_000, 100);
    expect((await apiCall(other.url, usa.tokens.analyst, '/api/v1/status')).json.peers.map((x: any) => x.link)).toEqual(['unknown', 'unknown']);

    // Watch the surviving process's alarms for the whole run.
    const alarms: string[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        try {
          const s = (await apiCall(other.url, usa.tokens.analyst, '/api/v1/status')).json;
          for (const a of s.alerts) if (a.kind === 'hotline.link') alarms.push(`${a.id}: ${a.message}`);
        } catch {
          // a slow answer on a busy machine: the next poll
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    const killAt = Math.floor(TOTAL * (0.3 + Math.random() * 0.3));
    const acknowledged = new Map<number, string>();
    let killedAt: number | undefined;
    let kill: Promise<void> | undefined;
    let takeover: Promise<number> | undefined;
    let next = 0;
    const worker = async (w: number) => {
      while (acknowledged.size < TOTAL) {
        const i = next++;
        // Operators use both processes (behind a proxy); the killed one refuses, the other answers.
        const target = kill || w % 2 === 0 ? other : driver;
        try {
          const body = { priority: 'routine', subject: `m${i}`, text: 'stream', language: 'en' };
          const r = await apiCall(target.url, usa.tokens.officer, '/api/v1/entries', { type: 'hotline.message', to: ['RUS', 'UKR'], body });
          if (r.status !== 201) throw new Error(`HTTP ${r.status}`);
          acknowledged.set(r.json.seq, r.json.id);
        } catch {
          await new Promise((r) => setTimeout(r, 25));
          continue;
        }
        if (acknowledged.size >= killAt && !kill) {
          kill = killHard(driver).then(() => void (killedAt = Date.now()));
          // How long until the other process drives both links, measured while the stream goes on.
          takeover = kill.then(async () => {
            await waitFor('the other process to drive both links', () => linksUp(other), 20_000, 100);
            return Date.now() - killedAt!;
          });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
    const takeoverMs = await takeover!;

    let usaSeq = 0;
    await waitFor(
      'both peers to hold and receipt everything',
      async () => {
        const s = (await apiCall(other.url, usa.tokens.analyst, '/api/v1/status')).json;
        usaSeq = s.seq;
        return s.peers.every((p: any) => p.delivered === s.seq && p.backlog === 0);
      },
      60_000,
      200,
    );
    // Past the alarm threshold after the kill, so an alarm the takeover caused would have been seen.
    await new Promise((r) => setTimeout(r, Math.max(0, killedAt! + 11_000 - Date.now())));
    watching = false;
    await watch;
    expect(alarms).toEqual([]);
    expect(takeoverMs).toBeLessThan(10_000);

    expect(await stopNode(other)).toBe(0);
    for (const p of Object.values(peers)) expect(await stopNode(p)).toBe(0);
    const usaLedger = await openLedger(loadNode(usa.dir));
    try {
      expect(usaLedger.head('USA')?.seq).toBe(usaSeq);
      expect(usaSeq).toBeGreaterThanOrEqual(TOTAL);
      for (const [seq, id] of acknowledged) expect((await usaLedger.bySeq('USA', seq))?.id).toBe(id);
      const usaIds = (await usaLedger.range('USA', 0, 1_000_000)).map((e) => e.id);
      expect((await usaLedger.verify({ workers: 0 })).problems).toEqual([]);
      for (const f of [rus, ukr]) {
        const peer = await openLedger(loadNode(f.dir));
        try {
          // USA's whole log, each entry once (the store's (author, seq) key), arrived in seq order, with content.
          const arrived = (await peer.since(0, 1_000_000)).filter((e) => e.author === 'USA');
          expect(arrived.map((e) => e.seq)).toEqual(Array.from({ length: usaSeq }, (_, i) => i + 1));
          expect(arrived.map((e) => e.id)).toEqual(usaIds);
          expect(arrived.filter((e) => e.type === 'hotline.message').every((e) => e.body?.text === 'stream')).toBe(true);
          // Receipted: the peer's receipt of the last entry is in USA's ledger.
          const receipts = (await usaLedger.range(peer.party, 0, 1_000_000)).filter((e) => e.type === 'receipt');
          expect(receipts.at(-1)?.body).toEqual({ of: 'USA', upto: usaSeq, head: usaIds.at(-1) });
        } finally {
          await peer.close();
        }
      }
    } finally {
      await usaLedger.close();
    }
    console.log(`takeover test: ${usaSeq} entries, driver killed after ${killAt}, links driven again ${takeoverMs} ms after the kill`);
  }, 240_000);
});
