/**
 * Several processes of one party's node on one PostgreSQL database, as `parley init --store`
 * sets it up: two real processes append at once, and the party's log is still one chain — every
 * acknowledged append at its own seq, nothing else, `parley verify` clean. The compare-and-set on
 * heads (under the store's per-author lock) makes the loser of each race re-chain on the new head.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/ledger/dialects.js';
import { parley } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';
import { postgresServer, type PostgresServer } from '../support/postgres.js';

const appendN = join(dirname(fileURLToPath(import.meta.url)), 'append-n.js');
const tmp = tempDir('parley-pg-processes-');
let server: PostgresServer;
beforeAll(async () => {
  server = await postgresServer();
}, 90_000);
afterAll(async () => {
  await server?.stop();
  tmp.remove();
});

interface Child {
  acked: Map<number, string>;
  go(): void;
  ready: Promise<void>;
  done: Promise<void>;
}

function appender(dir: string, n: number): Child {
  const child = spawn(process.execPath, [appendN, dir, String(n)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const acked = new Map<number, string>();
  let out = '';
  let stderr = '';
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    const lines = out.split('\n');
    out = lines.pop()!;
    for (const line of lines) {
      if (line === 'ready') onReady();
      else {
        const [seq, id] = line.split(' ');
        acked.set(Number(seq), id);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`an appending process exited with ${code}:\n${stderr}`))));
  });
  done.catch(() => onReady());
  return { acked, go: () => child.stdin.end('go\n'), ready, done };
}

describe('one party, two processes, one PostgreSQL database', () => {
  it('5,000 concurrent appends split between two processes make one chain, every acknowledged append in it, verify clean', async () => {
    const location = await server.fresh();
    const dir = join(tmp.path, 'USA');
    const init = parley(['init', '--dir', dir, '--party', 'USA', '--url', 'http://127.0.0.1:9', '--store', location]);
    expect(init.code, init.stderr).toBe(0);
    const password = new URL(location).password;
    if (password) expect(init.stderr + init.stdout).not.toContain(password);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).store).toBe(location);
    expect(statSync(join(dir, 'config.json')).mode & 0o077).toBe(0);

    const [a, b] = [appender(dir, 2500), appender(dir, 2500)];
    await Promise.all([a.ready, b.ready]);
    a.go();
    b.go();
    await Promise.all([a.done, b.done]);

    // No seq acknowledged to both processes. (Whether their seqs interleave depends on scheduling:
    // one process can keep winning the head while the other's commits are refused as stale and
    // decided again — one chain either way, which is what is proven below.)
    const seqsA = [...a.acked.keys()];
    const seqsB = [...b.acked.keys()];
    expect(seqsA).toHaveLength(2500);
    expect(seqsB).toHaveLength(2500);
    for (const seq of seqsA) expect(b.acked.has(seq), `USA#${seq} acknowledged to both`).toBe(false);

    // The log: USA#1..5000, each the entry that was acknowledged for it.
    const acked = new Map([...a.acked, ...b.acked]);
    const store = openStore(location, { readonly: true });
    try {
      const held: [number, string][] = [];
      for await (const page of store.scan()) for (const row of page) if (row.author === 'USA') held.push([row.seq, row.id]);
      expect(held.map(([seq]) => seq)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
      for (const [seq, id] of held) expect(acked.get(seq), `USA#${seq}`).toBe(id);
    } finally {
      await store.close();
    }

    // Signatures, prev links, Merkle roots and time order, re-checked from the stored bytes.
    const verify = parley(['verify', '--dir', dir, '--json']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.json()).toEqual({ ok: true, entries: 5000, problems: [] });
  }, 240_000);

  it('parley init --store refuses a database that already holds entries, and leaves no folder behind', async () => {
    const location = await server.fresh();
    const store = openStore(location);
    await store.commit({ entries: [{ author: 'RUS', seq: 1, id: 'a'.repeat(64), time: '2022-01-01T00:00:00.000Z', header: Buffer.from('h'), sig: Buffer.alloc(64), content: null, type: null }] });
    await store.close();
    const dir = join(tmp.path, 'USA-again');
    const init = parley(['init', '--dir', dir, '--party', 'USA', '--url', 'http://127.0.0.1:9', '--store', location]);
    expect(init.code).not.toBe(0);
    expect(init.stderr).toMatch(/already holds 1 entries/);
    const password = new URL(location).password;
    if (password) expect(init.stderr).not.toContain(password);
    expect(parley(['init', '--dir', dir, '--party', 'USA', '--url', 'http://127.0.0.1:9', '--store', 'usa.db']).stderr).toMatch(/not a PostgreSQL URL/);
  });
});
