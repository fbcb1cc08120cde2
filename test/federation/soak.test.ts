/**
 * The soak: five nodes as `parley start` processes on loopback, 200 notes a second between them
 * through their operator APIs for ten minutes (PARLEY_SOAK_MS to change it), while one node at a
 * time is killed -9 at random moments and restarted after a random pause. Afterwards every note
 * an operator was told was appended is held by every node exactly once, at its seq, in its
 * author's one chain, with content exactly where addressed; nothing else is in any log that the
 * author did not write.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initNode, loadNode, openLedger, type NodeFolder } from '../../src/node/folder.js';
import { tempDir } from '../support/nodes.js';
import { waitFor } from './support.js';
import { apiCall, freePort, killHard, spawnNode, stopNode, type NodeProcess } from './processes.js';

const DURATION_MS = Number(process.env.PARLEY_SOAK_MS ?? 600_000);
const RATE = 200;
const PARTIES = ['USA', 'RUS', 'UKR', 'BLR', 'POL'];
/** Requests one node may have in flight before the generator skips it for a tick. */
const MAX_IN_FLIGHT = 32;

const dir = tempDir('parley-soak-');
const running: NodeProcess[] = [];
afterAll(async () => {
  for (const p of running) await killHard(p);
  dir.remove();
});

interface Acked {
  author: string;
  seq: number;
  id: string;
  to: string;
  subject: string;
}

describe('soak', () => {
  it(`${Math.round(DURATION_MS / 1000)} s at ${RATE} notes/s across five nodes with random kill -9 and restarts: every acknowledged note everywhere, once, in order`, async () => {
    const folders: Record<string, NodeFolder> = {};
    const ports: Record<string, number> = {};
    for (const p of PARTIES) {
      ports[p] = await freePort();
      folders[p] = await initNode(join(dir.path, p), { party: p, url: `http://127.0.0.1:${ports[p]}` });
    }
    for (const p of PARTIES) {
      const l = await openLedger(loadNode(folders[p].dir));
      for (const q of PARTIES) await l.roster.add(folders[q].descriptor, new Date().toISOString());
      await l.close();
    }
    const nodes: Record<string, NodeProcess | undefined> = {};
    for (const p of PARTIES) {
      nodes[p] = await spawnNode(folders[p].dir, ports[p], 60_000);
      running.push(nodes[p]!);
    }

    const acked: Acked[] = [];
    const inFlight: Record<string, number> = Object.fromEntries(PARTIES.map((p) => [p, 0]));
    let refused = 0;
    let n = 0;
    const sendOne = async (author: string) => {
      const node = nodes[author];
      if (!node || inFlight[author] >= MAX_IN_FLIGHT) return;
      const others = PARTIES.filter((p) => p !== author);
      const to = others[n % others.length];
      const subject = `${author}-${n++}`;
      inFlight[author]++;
      try {
        const r = await apiCall(node.url, folders[author].tokens.officer, '/api/v1/entries', { type: 'note', to: [to], body: { subject, text: 'soak' } });
        if (r.status === 201) acked.push({ author, seq: r.json.seq, id: r.json.id, to, subject });
        else refused++;
      } catch {
        refused++; // the node was down or went down: not acknowledged, so nothing is owed
      } finally {
        inFlight[author]--;
      }
    };

    const start = Date.now();
    const end = start + DURATION_MS;
    // 200 a second: every 50 ms, two notes from each of the five nodes.
    const pending = new Set<Promise<void>>();
    const ticker = setInterval(() => {
      if (Date.now() >= end) return;
      for (const p of PARTIES) {
        for (let i = 0; i < (RATE * 50) / 1000 / PARTIES.length; i++) {
          const s = sendOne(p);
          pending.add(s);
          void s.finally(() => pending.delete(s));
        }
      }
    }, 50);

    // One node at a time killed -9 at a random moment, restarted after 0.5–3 s.
    let kills = 0;
    const restarts: number[] = [];
    while (Date.now() < end - 10_000) {
      await new Promise((r) => setTimeout(r, Math.min(8_000 + Math.random() * 20_000, Math.max(0, end - 10_000 - Date.now()))));
      if (Date.now() >= end - 10_000) break;
      const victim = PARTIES[Math.floor(Math.random() * PARTIES.length)];
      const p = nodes[victim]!;
      nodes[victim] = undefined;
      await killHard(p);
      kills++;
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 2500));
      // A restart reads the whole log into the regimes before it answers: minutes into the soak
      // that is a hundred thousand entries, on a machine the other four nodes keep busy.
      const restartAt = Date.now();
      const back = await spawnNode(p.dir, p.port, 300_000);
      restarts.push(Date.now() - restartAt);
      running.push(back);
      nodes[victim] = back;
    }
    while (Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    clearInterval(ticker);
    await Promise.all([...pending]);
    const elapsedS = (Date.now() - start) / 1000;
    expect(kills).toBeGreaterThan(0);
    // Traffic flowed from every node all along. (What rate a loaded machine acknowledges is printed
    // below, not asserted: the bench measures throughput.)
    for (const p of PARTIES) expect(acked.filter((a) => a.author === p).length, `notes acknowledged by ${p}`).toBeGreaterThan(elapsedS);

    // Everyone catches up: each node holds each peer's whole log, and has nothing left to send.
    await waitFor('every node to hold every log and have nothing left to send', async () => {
      const status = await Promise.all(PARTIES.map(async (p) => (await apiCall(nodes[p]!.url, folders[p].tokens.analyst, '/api/v1/status')).json));
      const own = Object.fromEntries(status.map((s) => [s.party, s.seq as number]));
      return status.every((s) => s.peers.every((q: { party: string; received: number; backlog: number }) => q.received >= own[q.party] && q.backlog === 0));
    }, 300_000, 1000);
    for (const p of PARTIES) await stopNode(nodes[p]!);

    // Read every log from every node's store, and compare with what was acknowledged.
    const byAuthor = new Map<string, Acked[]>();
    for (const a of acked) byAuthor.set(a.author, [...(byAuthor.get(a.author) ?? []), a]);
    const chains: Record<string, Record<string, string[]>> = {};
    for (const holder of PARTIES) {
      const ledger = await openLedger(loadNode(folders[holder].dir));
      try {
        chains[holder] = {};
        for (const author of PARTIES) {
          const rows = await ledger.range(author, 0, 1_000_000);
          expect(rows.map((r) => r.seq), `${holder}'s copy of ${author}'s log is contiguous from 1`).toEqual(rows.map((_, i) => i + 1));
          chains[holder][author] = rows.map((r) => r.id);
          for (const a of byAuthor.get(author) ?? []) {
            const row = rows[a.seq - 1];
            expect(row?.id, `${holder} holds ${author}#${a.seq}`).toBe(a.id);
            const addressed = holder === a.author || holder === a.to;
            expect(row.body === undefined ? undefined : (row.body as { subject: string }).subject, `content of ${author}#${a.seq} at ${holder}`).toBe(addressed ? a.subject : undefined);
          }
        }
      } finally {
        await ledger.close();
      }
    }
    // One chain per author: every node holds the same ids at the same seqs (up to its own length).
    for (const author of PARTIES) {
      const longest = PARTIES.map((h) => chains[h][author]).reduce((x, y) => (y.length > x.length ? y : x));
      for (const holder of PARTIES) expect(chains[holder][author], `${holder}'s ${author} chain`).toEqual(longest.slice(0, chains[holder][author].length));
      // Each acknowledged note once: no id twice in a chain.
      expect(new Set(longest).size).toBe(longest.length);
    }
    console.log(`soak: ${acked.length} notes acknowledged in ${elapsedS.toFixed(0)} s (${(acked.length / elapsedS).toFixed(0)}/s), ${refused} refused while a node was down, ${kills} kill -9, restarts answered in ${restarts.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s`);
  }, DURATION_MS + 600_000);
});
