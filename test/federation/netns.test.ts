/**
 * Real network faults between two nodes, each in a network namespace of its own on a bridge
 * (`ip netns`, veth, `tc` from iproute2; needs root): a slow link (a token bucket of 256 kbit/s,
 * so batches queue for seconds), a partition of RUS for 30 s under traffic (its interface down),
 * then a link that flaps every 1.5 s under traffic; then 10 % packet loss both ways (nftables'
 * random drop in RUS's namespace), then 300 ms ± 100 ms latency both ways with requests reordered
 * across connections. Every entry arrives exactly once and in order, is receipted, the link goes
 * down and comes back, and `verify` is clean. If the namespaces cannot be made, the test fails and
 * says why (nothing is skipped).
 *
 * This kernel has no `netem` qdisc, so latency and jitter come from a delaying TCP relay in each
 * node's namespace (`test/support/delay-relay.js`), in front of the node; loss is real packet loss
 * in the kernel (nftables `numgen random`), which TCP must recover from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initNode, loadNode, openLedger, type NodeFolder } from '../../src/node/folder.js';
import { parleyBin } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';
import { apiCall } from './processes.js';
import { waitFor } from './support.js';

const tag = `pl${process.pid % 100_000}`;
const subnet = `10.231.${process.pid % 250}`;
const bridge = `${tag}br`;
const spaces = [
  { ns: `${tag}a`, veth: `${tag}va`, peer: `${tag}pa`, ip: `${subnet}.1` },
  { ns: `${tag}b`, veth: `${tag}vb`, peer: `${tag}pb`, ip: `${subnet}.2` },
];
const dir = tempDir('parley-netns-');
const children: ChildProcess[] = [];

function sh(args: string[]): string {
  return execFileSync(args[0], args.slice(1), { encoding: 'utf8', timeout: 10_000 });
}
const inNs = (ns: string, args: string[]) => sh(['ip', 'netns', 'exec', ns, ...args]);

function teardown(): void {
  for (const c of children) c.kill('SIGKILL');
  for (const s of spaces) {
    try {
      sh(['ip', 'netns', 'del', s.ns]);
    } catch {
      // not made
    }
  }
  try {
    sh(['ip', 'link', 'del', bridge]);
  } catch {
    // not made
  }
}

beforeAll(() => {
  try {
    sh(['ip', 'link', 'add', bridge, 'type', 'bridge']);
    sh(['ip', 'addr', 'add', `${subnet}.254/24`, 'dev', bridge]);
    sh(['ip', 'link', 'set', bridge, 'up']);
    for (const s of spaces) {
      sh(['ip', 'netns', 'add', s.ns]);
      sh(['ip', 'link', 'add', s.veth, 'type', 'veth', 'peer', 'name', s.peer]);
      sh(['ip', 'link', 'set', s.peer, 'netns', s.ns]);
      sh(['ip', 'link', 'set', s.veth, 'master', bridge]);
      sh(['ip', 'link', 'set', s.veth, 'up']);
      inNs(s.ns, ['ip', 'addr', 'add', `${s.ip}/24`, 'dev', s.peer]);
      inNs(s.ns, ['ip', 'link', 'set', s.peer, 'up']);
      inNs(s.ns, ['ip', 'link', 'set', 'lo', 'up']);
    }
    sh(['nft', '--version']);
  } catch (e) {
    teardown();
    throw new Error(`cannot make the network namespaces this test needs (root, iproute2 with netns, veth, bridge and tbf, and nftables' nft are required): ${(e as Error).message}`);
  }
});
afterAll(() => {
  teardown();
  dir.remove();
});

/**
 * `parley start` inside a namespace, listening on its address there (or, with `host`, on another
 * address of the namespace); resolves once `url` answers from here.
 */
async function startIn(space: (typeof spaces)[number], folder: NodeFolder, listen = { host: space.ip, port: 7300 }, url = `http://${space.ip}:7300`): Promise<ChildProcess> {
  const log = openSync(join(folder.dir, 'node.log'), 'a');
  const child = spawn('ip', ['netns', 'exec', space.ns, process.execPath, parleyBin, 'start', '--dir', folder.dir, '--host', listen.host, '--port', String(listen.port)], {
    stdio: ['ignore', log, log],
    env: { ...process.env, PARLEY_LOG_LEVEL: 'warn' },
  });
  closeSync(log);
  children.push(child);
  await waitFor(`the node in ${space.ns}`, async () => {
    try {
      return (await fetch(`${url}/api/v1/openapi.json`, { signal: AbortSignal.timeout(3000) })).ok;
    } catch {
      return false;
    }
  }, 60_000, 200);
  return child;
}

const relayScript = fileURLToPath(new URL('../support/delay-relay.js', import.meta.url));

/** A delaying relay in `space` from its address:7400 to the node on 127.0.0.1:7401 there. */
async function relayIn(space: (typeof spaces)[number], latencyMs: number, jitterMs: number): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', space.ns, process.execPath, relayScript, space.ip, '7400', '127.0.0.1', '7401', String(latencyMs), String(jitterMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the relay in ${space.ns} exited with ${code}`)));
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

describe('faults on a real network', () => {
  it('a slow link, a partition and a flapping link under traffic: exactly once, in order, receipted, the link down and back, verify clean', async () => {
    const [a, b] = spaces;
    const usa = await initNode(join(dir.path, 'USA'), { party: 'USA', url: `http://${a.ip}:7300` });
    const rus = await initNode(join(dir.path, 'RUS'), { party: 'RUS', url: `http://${b.ip}:7300` });
    for (const f of [usa, rus]) {
      const l = await openLedger(loadNode(f.dir));
      for (const g of [usa, rus]) await l.roster.add(g.descriptor, new Date().toISOString());
      await l.close();
    }
    await startIn(a, usa);
    await startIn(b, rus);
    const USA = `http://${a.ip}:7300`;
    const RUS = `http://${b.ip}:7300`;
    let sent = 0;
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const r = await apiCall(USA, usa.tokens.officer, '/api/v1/entries', { type: 'note', to: ['RUS'], body: { subject: `m${sent}`, text: '' } });
        expect(r.status).toBe(201);
        sent++;
      }
    };
    const peer = async () => (await apiCall(USA, usa.tokens.analyst, '/api/v1/status')).json.peers.find((p: any) => p.party === 'RUS');

    await send(10);
    await waitFor('the first ten receipted', async () => (await peer()).delivered === sent, 60_000, 200);

    // A slow link on RUS's side: 256 kbit/s, up to 2 s of queue.
    inNs(b.ns, ['tc', 'qdisc', 'add', 'dev', b.peer, 'root', 'tbf', 'rate', '256kbit', 'burst', '16kbit', 'latency', '2s']);
    await send(20);
    await waitFor('twenty more receipted through the slow link', async () => (await peer()).delivered === sent, 120_000, 500);
    inNs(b.ns, ['tc', 'qdisc', 'del', 'dev', b.peer, 'root']);

    // RUS cut off for 30 s while USA keeps sending.
    inNs(b.ns, ['ip', 'link', 'set', b.peer, 'down']);
    const cutAt = Date.now();
    await send(15);
    await waitFor('the link to RUS down', async () => (await peer()).link === 'down', 60_000, 250);
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - cutAt))));
    inNs(b.ns, ['ip', 'link', 'set', b.peer, 'up']);
    await waitFor('the backlog drained after the partition', async () => {
      const p = await peer();
      return p.link === 'up' && p.delivered === sent && p.backlog === 0;
    }, 120_000, 500);

    // A link that flaps: down 1.5 s, up 1.5 s, four times, while USA sends.
    const flapping = (async () => {
      for (let i = 0; i < 4; i++) {
        inNs(b.ns, ['ip', 'link', 'set', b.peer, 'down']);
        await new Promise((r) => setTimeout(r, 1500));
        inNs(b.ns, ['ip', 'link', 'set', b.peer, 'up']);
        await new Promise((r) => setTimeout(r, 1500));
      }
    })();
    for (let i = 0; i < 4; i++) {
      await send(3);
      await new Promise((r) => setTimeout(r, 1000));
    }
    await flapping;
    await waitFor('everything receipted after the flapping', async () => {
      const p = await peer();
      return p.link === 'up' && p.delivered === sent && p.backlog === 0;
    }, 120_000, 500);

    const held = await apiCall(RUS, rus.tokens.analyst, '/api/v1/entries?author=USA&limit=1000');
    const entries = held.json.entries as { seq: number; body?: { subject: string } }[];
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    expect(entries.map((e) => e.body?.subject)).toEqual(Array.from({ length: sent }, (_, i) => `m${i}`));
    for (const [url, f] of [[USA, usa], [RUS, rus]] as const) expect((await apiCall(url, f.tokens.analyst, '/api/v1/verify')).json.ok).toBe(true);
  }, 420_000);

  it('10 % packet loss, then 300 ms ± 100 ms latency with reordering, under traffic: exactly once, in order, receipted, verify clean', async () => {
    const [a, b] = spaces;
    const url = (s: (typeof spaces)[number]) => `http://${s.ip}:7400`;
    const usa = await initNode(join(dir.path, 'USA2'), { party: 'USA', url: url(a) });
    const rus = await initNode(join(dir.path, 'RUS2'), { party: 'RUS', url: url(b) });
    for (const f of [usa, rus]) {
      const l = await openLedger(loadNode(f.dir));
      for (const g of [usa, rus]) await l.roster.add(g.descriptor, new Date().toISOString());
      await l.close();
    }
    // Each node behind a relay in its own namespace, at the URL its peer knows.
    let relays = [await relayIn(a, 0, 0), await relayIn(b, 0, 0)];
    await startIn(a, usa, { host: '127.0.0.1', port: 7401 }, url(a));
    await startIn(b, rus, { host: '127.0.0.1', port: 7401 }, url(b));
    const USA = url(a);
    const RUS = url(b);
    let sent = 0;
    const send = async (n: number, parallel = 1) => {
      for (let i = 0; i < n; i += parallel) {
        const batch = Array.from({ length: Math.min(parallel, n - i) }, () => sent++);
        const replies = await Promise.all(batch.map((k) => apiCall(USA, usa.tokens.officer, '/api/v1/entries', { type: 'note', to: ['RUS'], body: { subject: `m${k}`, text: '' } })));
        for (const r of replies) expect(r.status).toBe(201);
      }
    };
    const peer = async () => (await apiCall(USA, usa.tokens.analyst, '/api/v1/status')).json.peers.find((p: any) => p.party === 'RUS');
    const drained = async () => {
      const p = await peer();
      return p.link === 'up' && p.delivered === sent && p.backlog === 0;
    };

    // 10 % of the packets on RUS's interface dropped, both ways, by the kernel.
    const nft = (args: string[]) => inNs(b.ns, ['nft', ...args]);
    nft(['add', 'table', 'inet', 'parleyloss']);
    nft(['add', 'chain', 'inet', 'parleyloss', 'in', '{ type filter hook input priority 0 ; }']);
    nft(['add', 'chain', 'inet', 'parleyloss', 'out', '{ type filter hook output priority 0 ; }']);
    nft(['add', 'rule', 'inet', 'parleyloss', 'in', 'iifname', b.peer, 'numgen', 'random', 'mod', '100', '<', '10', 'counter', 'drop']);
    nft(['add', 'rule', 'inet', 'parleyloss', 'out', 'oifname', b.peer, 'numgen', 'random', 'mod', '100', '<', '10', 'counter', 'drop']);
    for (let i = 0; i < 6; i++) {
      await send(5);
      await new Promise((r) => setTimeout(r, 300));
    }
    await waitFor('everything receipted through the lossy link', drained, 180_000, 500);
    const dropped = [...nft(['list', 'table', 'inet', 'parleyloss']).matchAll(/packets (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(dropped, 'packets the kernel dropped').toBeGreaterThan(0);
    nft(['delete', 'table', 'inet', 'parleyloss']);

    // 300 ms ± 100 ms each way; four requests at a time, so later ones overtake earlier ones.
    for (const r of relays) await stopChild(r);
    relays = [await relayIn(a, 300, 100), await relayIn(b, 300, 100)];
    await send(24, 4);
    await waitFor('everything receipted through the slow, jittery link', drained, 180_000, 500);

    const held = await apiCall(RUS, rus.tokens.analyst, '/api/v1/entries?author=USA&limit=1000');
    const entries = held.json.entries as { seq: number; body?: { subject: string } }[];
    // In order and exactly once: seqs 1…n; every note once (concurrent sends may take seqs in any order).
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    expect(entries.map((e) => e.body?.subject).sort()).toEqual(Array.from({ length: sent }, (_, i) => `m${i}`).sort());
    const status = (await apiCall(USA, usa.tokens.analyst, '/api/v1/status')).json;
    expect(status.alerts).toEqual([]);
    for (const [u, f] of [[USA, usa], [RUS, rus]] as const) expect((await apiCall(u, f.tokens.analyst, '/api/v1/verify')).json.ok).toBe(true);
  }, 420_000);
});
