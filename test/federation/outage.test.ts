import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initNode, loadNode, openLedger, type NodeFolder } from '../../src/node/folder.js';
import { parleyBin } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';
import { waitFor } from './support.js';
import { apiCall, freePort, killHard, spawnNode, stopNode, type NodeProcess } from './processes.js';

/**
 * A peer down for a while, then back: `parley status` shows its link down with a growing backlog,
 * then up; the backlog drains in order.
 */
const dir = tempDir('parley-outage-');
const running: NodeProcess[] = [];
afterAll(async () => {
  for (const p of running) await killHard(p);
  dir.remove();
});

function status(nodeDir: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [parleyBin, 'status', '--dir', nodeDir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`parley status exited ${code}: ${out}`);
        resolve(JSON.parse(out));
      } catch (e) {
        reject(e);
      }
    });
  });
}

describe('a peer down, then back', () => {
  it('shows the link down then up, and drains the backlog in order', async () => {
    const codes = ['USA', 'RUS', 'UKR'];
    const ports = [await freePort(), await freePort(), await freePort()];
    const folders: NodeFolder[] = [];
    for (const [i, code] of codes.entries()) folders.push(await initNode(join(dir.path, code), { party: code, url: `http://127.0.0.1:${ports[i]}` }));
    for (const f of folders) {
      const l = await openLedger(loadNode(f.dir));
      for (const g of folders) await l.roster.add(g.descriptor, new Date().toISOString());
      await l.close();
    }
    const [usa, rus, ukr] = folders;
    const nodes: NodeProcess[] = [];
    for (let i = 0; i < 3; i++) nodes.push(await spawnNode(folders[i].dir, ports[i]));
    running.push(...nodes);
    const send = (i: number) => apiCall(nodes[0].url, usa.tokens.officer, '/api/v1/entries', { type: 'note', to: ['RUS', 'UKR'], body: { subject: `m${i}`, text: '' } });

    expect((await send(0)).status).toBe(201);
    await waitFor('both links up', async () => (await status(usa.dir)).peers.every((p: any) => p.link === 'up' && p.delivered === 1), 20_000, 100);

    // RUS stops (cleanly); USA keeps sending.
    expect(await stopNode(nodes[1])).toBe(0);
    for (let i = 1; i <= 150; i++) expect((await send(i)).status).toBe(201);
    await waitFor('the link to RUS down, UKR up', async () => {
      const s = await status(usa.dir);
      const p = Object.fromEntries(s.peers.map((x: any) => [x.party, x]));
      return p.RUS.link === 'down' && p.RUS.backlog >= 150 && p.UKR.link === 'up' && p.UKR.delivered === 151;
    }, 20_000, 100);
    // Offline, RUS's own status reads the folder: links unknown.
    const offline = await status(rus.dir);
    expect(offline.peers.map((p: any) => p.link)).toEqual(['unknown', 'unknown']);

    // RUS back: the backlog drains and the link is up again.
    nodes[1] = await spawnNode(rus.dir, ports[1]);
    running.push(nodes[1]);
    await waitFor('the backlog to drain', async () => {
      const p = (await status(usa.dir)).peers.find((x: any) => x.party === 'RUS');
      return p.link === 'up' && p.backlog === 0 && p.delivered === 151;
    }, 30_000, 100);

    for (const n of nodes) expect(await stopNode(n)).toBe(0);
    const l = await openLedger(loadNode(rus.dir));
    try {
      const arrived = (await l.since(0, 100_000)).filter((e) => e.author === 'USA');
      expect(arrived.map((e) => e.seq)).toEqual(Array.from({ length: 151 }, (_, i) => i + 1));
      expect(arrived.map((e) => e.body?.subject)).toEqual(Array.from({ length: 151 }, (_, i) => `m${i}`));
    } finally {
      await l.close();
    }
    void ukr;
  });
});
