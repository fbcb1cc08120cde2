/**
 * A party's node as two `parley start` processes on one PostgreSQL database, its peer down: the
 * hotline link alarm is raised in both processes (status), but the pager's webhook hears it once.
 * The paging process is killed -9; the other takes paging over without paging the alarm again,
 * and pages its clearing, once, when the peer is back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNode, loadNode, openLedger } from '../../src/node/folder.js';
import { tempDir } from '../support/nodes.js';
import { postgresServer, type PostgresServer } from '../support/postgres.js';
import { flash, webhookReceiver, type WebhookReceiver } from '../hotline/support.js';
import { waitFor } from './support.js';
import { apiCall, freePort, killHard, spawnNode, stopNode, type NodeProcess } from './processes.js';

const dir = tempDir('parley-pager-');
const running: NodeProcess[] = [];
let server: PostgresServer;
let hook: WebhookReceiver;
beforeAll(async () => {
  server = await postgresServer();
  hook = await webhookReceiver();
}, 90_000);
afterAll(async () => {
  for (const p of running) await killHard(p);
  await hook?.close();
  await server?.stop();
  dir.remove();
});

describe('hotline alarms of a node of two processes on PostgreSQL', () => {
  it('are in both processes’ status but paged once; the process taking paging over pages only what was not paged', async () => {
    const [firstPort, secondPort, rusPort] = [await freePort(), await freePort(), await freePort()];
    const usa = await initNode(join(dir.path, 'USA'), { party: 'USA', url: `http://127.0.0.1:${secondPort}`, store: await server.fresh() });
    const rus = await initNode(join(dir.path, 'RUS'), { party: 'RUS', url: `http://127.0.0.1:${rusPort}` });
    for (const f of [usa, rus]) {
      const l = await openLedger(loadNode(f.dir));
      for (const d of [usa.descriptor, rus.descriptor]) await l.roster.add(d, new Date().toISOString());
      await l.close();
    }
    const configFile = join(usa.dir, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    config.hotline = { receiptAlarmSeconds: 1, degradedRttMs: 60_000, linkTests: false, webhook: hook.url };
    writeFileSync(configFile, JSON.stringify(config, null, 2));

    // The first process takes the pager's lock at its start; the second finds it held.
    const first = await spawnNode(usa.dir, firstPort);
    running.push(first);
    const second = await spawnNode(usa.dir, secondPort);
    running.push(second);
    const paged = (state: string) => hook.bodies.filter((b) => b.node === 'USA' && b.alarm.id === 'link:RUS' && b.alarm.state === state).length;
    const raisedIn = async (p: NodeProcess) => (await apiCall(p.url, usa.tokens.analyst, '/api/v1/status')).json.alerts.some((a: any) => a.id === 'link:RUS' && a.state === 'raised');

    // RUS is down: a flash message sent through the first process is never receipted.
    const sent = await apiCall(first.url, usa.tokens.officer, '/api/v1/entries', { type: 'hotline.message', to: ['RUS'], body: flash('Radio check') });
    expect(sent.status).toBe(201);
    await waitFor('both processes to raise the link alarm', async () => (await raisedIn(first)) && (await raisedIn(second)), 20_000, 100);
    await waitFor('the pager to page it', () => paged('raised') > 0, 10_000, 50);
    // Several ticks of both processes later: still paged once.
    await new Promise((r) => setTimeout(r, 2000));
    expect(paged('raised')).toBe(1);

    // The pager dies: the other process takes paging over — and does not page the alarm again.
    await killHard(first);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await raisedIn(second)).toBe(true);
    expect(paged('raised')).toBe(1);

    // RUS comes back: its receipt clears the alarm, paged once, by the process that took over.
    const peer = await spawnNode(rus.dir, rusPort);
    running.push(peer);
    await waitFor('the clearing to be paged', () => paged('cleared') > 0, 30_000, 50);
    await new Promise((r) => setTimeout(r, 1500));
    expect(hook.bodies.filter((b) => b.node === 'USA').map((b) => [b.alarm.id, b.alarm.state])).toEqual([
      ['link:RUS', 'raised'],
      ['link:RUS', 'cleared'],
    ]);
    expect(await raisedIn(second)).toBe(false);
    expect(await stopNode(second)).toBe(0);
    expect(await stopNode(peer)).toBe(0);
  }, 120_000);
});
