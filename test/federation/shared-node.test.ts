/**
 * Two running nodes of one party on one PostgreSQL database (as two `parley start` processes):
 * an entry sent through one process reaches the other's event stream and regimes, and only one of
 * them drives the link to the peer; stopping that one hands the link to the other at once;
 * equivocation evidence one stored is the other's alert too.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initNode, loadNode, openLedger } from '../../src/node/folder.js';
import { startNode, type RunningNode } from '../../src/server/node.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { openStore } from '../../src/ledger/dialects.js';
import { catalogue } from '../../src/regimes/registry.js';
import { tempDir } from '../support/nodes.js';
import { postgresServer, type PostgresServer } from '../support/postgres.js';
import { waitFor } from './support.js';

const dir = tempDir('parley-shared-node-');
let server: PostgresServer;
const nodes: RunningNode[] = [];
beforeAll(async () => {
  server = await postgresServer();
}, 90_000);
afterAll(async () => {
  for (const n of nodes) await n.close();
  await server?.stop();
  dir.remove();
});

/** Reads a server-sent event stream until an event passes `match`; resolves with its data. */
async function nextEvent(url: string, token: string, match: (event: string, data: any) => boolean, timeoutMs: number): Promise<any> {
  const res = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined && match(event, JSON.parse(data))) return JSON.parse(data);
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

describe('two running nodes of one party on one PostgreSQL database', () => {
  it("each serves the other's entries on its event stream and in its regimes; one drives the link, and hands it over when stopping", async () => {
    const usa = await initNode(join(dir.path, 'USA'), { party: 'USA', url: 'http://127.0.0.1:9', store: await server.fresh() });
    const rus = await initNode(join(dir.path, 'RUS'), { party: 'RUS', url: 'http://127.0.0.1:9' });
    const l = await openLedger(loadNode(usa.dir));
    for (const d of [usa.descriptor, rus.descriptor]) await l.roster.add(d, new Date().toISOString());
    await l.close();
    const a = await startNode({ dir: usa.dir, port: 0, logger: false, runFile: false });
    nodes.push(a);
    const b = await startNode({ dir: usa.dir, port: 0, logger: false, runFile: false });
    nodes.push(b);

    // B's stream shows what was sent through A.
    const heard = nextEvent(b.url, usa.tokens.analyst, (event, data) => event === 'entry' && data.body?.subject === 'through A', 15_000);
    await new Promise((r) => setTimeout(r, 300)); // the stream is attached
    const res = await fetch(`${a.url}/api/v1/entries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${usa.tokens.officer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'note', to: ['RUS'], body: { subject: 'through A', text: 'x' } }),
    });
    expect(res.status).toBe(201);
    const sent = (await res.json()) as { id: string; seq: number };
    const event = await heard;
    expect(event).toMatchObject({ id: sent.id, seq: sent.seq, author: 'USA' });
    // And B's regimes hold it, and its head moved with it.
    await waitFor("B's regimes to hold the entry", () => b.regimes.held(sent.id) !== undefined, 10_000);
    expect(b.ledger.head('USA')?.seq).toBe(sent.seq);

    // The link to RUS is driven by exactly one of them (RUS is not running: the driver tries, the other does not).
    const driving = (n: RunningNode) => n.federation.status().peers[0].link !== 'unknown';
    await waitFor('one process to drive the link to RUS', () => driving(a) || driving(b), 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect([driving(a), driving(b)].filter(Boolean)).toHaveLength(1);
    // Equivocation evidence one process stored is the other's alert too.
    const forks = [];
    for (let i = 0; i < 2; i++) {
      const l = await Ledger.open({ store: openStore(':memory:'), party: 'RUS', key: loadNode(rus.dir).key, catalogue: catalogue() });
      for (const d of [usa.descriptor, rus.descriptor]) await l.roster.add(d, new Date().toISOString());
      forks.push((await l.append({ type: 'note', to: ['USA'], body: { subject: `fork ${i}`, text: '' } })).envelope);
      await l.close();
    }
    await a.ledger.accept([forks[0]], { source: 'RUS', onGap: 'hold', receipts: false });
    expect((await a.ledger.accept([forks[1]], { source: 'RUS', onGap: 'hold', receipts: false })).equivocations).toHaveLength(1);
    await waitFor("B's status to show the equivocation", () => b.federation.status().alerts.some((x) => x.kind === 'equivocation' && x.author === 'RUS' && x.seq === 1), 15_000, 100);

    const [driver, other] = driving(a) ? [a, b] : [b, a];
    // The other's status counts as outstanding what RUS has not receipted (here: everything, RUS is down).
    expect(other.federation.status().peers[0]).toMatchObject({ party: 'RUS', link: 'unknown', backlog: sent.seq, delivered: 0 });
    await driver.close();
    await waitFor('the other process to take the link', () => driving(other), 10_000);
  }, 90_000);
});
