/**
 * The node owns its folder while it runs: a lock taken before its ledger is opened. `parley send`
 * never appends beside a node (one starting, without run.json yet, included); a stale or zombie
 * lock holder does not count; a head moved under a running ledger is re-read, not fatal.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initNode, openLedger, loadNode } from '../../src/node/folder.js';
import { isRunning, lockPath, tryFolderLock } from '../../src/node/lock.js';
import { readRunInfo } from '../../src/server/runfile.js';
import { startNode } from '../../src/server/node.js';
import { sendEntry } from '../../src/cli/commands/send.js';
import { tempDir } from '../support/nodes.js';

const dir = tempDir('parley-lock-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  dir.remove();
});

let n = 0;
async function folder(): Promise<string> {
  const f = await initNode(join(dir.path, `n${n++}`), { party: 'USA', url: 'http://127.0.0.1:7399' });
  return f.dir;
}

/** A zombie: a child of `sleep 30` that exited and is never reaped. */
async function zombiePid(): Promise<number> {
  const c = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(c);
  const pid = await new Promise<number>((resolve) => c.stdout!.once('data', (b: Buffer) => resolve(Number(b.toString().trim()))));
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return pid;
  }
  throw new Error(`pid ${pid} did not become a zombie`);
}

describe('the folder lock', () => {
  it('is held by one owner at a time; a dead or zombie holder is stale and taken over', async () => {
    const usa = await folder();
    const lock = tryFolderLock(usa, 'node');
    expect(() => tryFolderLock(usa, 'cli')).toThrow(expect.objectContaining({ code: 'PARLEY_ERR_NODE_BUSY' }));
    lock.release();
    tryFolderLock(usa, 'cli').release();

    writeFileSync(lockPath(usa), JSON.stringify({ pid: 2 ** 22 + 12345, kind: 'node', since: '' }));
    tryFolderLock(usa, 'node').release();

    const zombie = await zombiePid();
    expect(isRunning(zombie)).toBe(false);
    expect(isRunning(process.pid)).toBe(true);
    writeFileSync(lockPath(usa), JSON.stringify({ pid: zombie, kind: 'node', since: '' }));
    tryFolderLock(usa, 'node').release();
  }, 20_000);

  it('a run.json naming a zombie is no running node', async () => {
    const usa = await folder();
    const zombie = await zombiePid();
    writeFileSync(join(usa, 'run.json'), JSON.stringify({ pid: zombie, party: 'USA', url: 'http://127.0.0.1:9', port: 9, startedAt: '' }));
    expect(readRunInfo(usa)).toBeUndefined();
  }, 20_000);

  it('a node does not start on a folder another node holds', async () => {
    const usa = await folder();
    const first = await startNode({ dir: usa, port: 0, logger: false, runFile: false });
    try {
      await expect(startNode({ dir: usa, port: 0, logger: false, runFile: false })).rejects.toMatchObject({ code: 'PARLEY_ERR_NODE_BUSY' });
    } finally {
      await first.close();
    }
    // Released on close: the folder starts again.
    const again = await startNode({ dir: usa, port: 0, logger: false, runFile: false });
    await again.close();
  }, 30_000);

  it('parley send waits while a node holds the folder before it answers, and never appends beside it', async () => {
    const usa = await folder();
    // Stands for a node that has taken its folder and read its head, not yet listening (no run.json).
    const lock = tryFolderLock(usa, 'node');
    const starting = await openLedger(loadNode(usa));
    let done = false;
    const sent = sendEntry(usa, { type: 'note', to: ['USA'], body: { subject: 'while starting', text: '' } }).finally(() => (done = true));
    await new Promise((r) => setTimeout(r, 600));
    expect(done).toBe(false);
    expect(await starting.count()).toBe(0);
    // The starting node's head is still the store's: its own append is seq 1, no wedge.
    expect((await starting.append({ type: 'note', to: ['USA'], body: { subject: 'node', text: '' } })).seq).toBe(1);
    await starting.close();
    lock.release();
    // With the folder free (no node after all), the command appends itself, after the node's entry.
    expect((await sent).seq).toBe(2);
  }, 30_000);
});

describe('a head moved under a running ledger', () => {
  it('is re-read: the next append and the next receipt chain on it', async () => {
    const usa = await folder();
    const node = await startNode({ dir: usa, port: 0, logger: false, runFile: false });
    try {
      await node.ledger.append({ type: 'note', to: ['USA'], body: { subject: 'one', text: '' } });
      // Another writer on the same store (what a send beside the node did).
      const beside = await openLedger(loadNode(usa));
      await beside.append({ type: 'note', to: ['USA'], body: { subject: 'beside', text: '' } });
      await beside.close();
      const next = await node.ledger.append({ type: 'note', to: ['USA'], body: { subject: 'three', text: '' } });
      expect(next.seq).toBe(3);
      expect((await node.ledger.verify()).ok).toBe(true);
    } finally {
      await node.close();
    }
  }, 30_000);
});
