/**
 * The disk filling up under traffic: a node (a `parley start` process) on a small tmpfs (needs
 * root to mount it). Appends are refused with PARLEY_ERR_DISK_FULL (507) once the disk is full,
 * nothing acknowledged is lost, the node keeps serving, and it takes work again when space
 * returns; `verify` is clean. If the tmpfs cannot be mounted, the test fails and says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initNode } from '../../src/node/folder.js';
import { apiCall, freePort, spawnNode, stopNode, type NodeProcess } from './processes.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'parley-diskfull-'));
let node: NodeProcess | undefined;

beforeAll(() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m,mode=0700', 'tmpfs', mountPoint], { timeout: 10_000 });
  } catch (e) {
    throw new Error(`cannot mount the small tmpfs this test needs (root is required): ${(e as Error).message}`);
  }
});
afterAll(async () => {
  if (node) await stopNode(node);
  try {
    execFileSync('umount', [mountPoint], { timeout: 10_000 });
  } finally {
    rmSync(mountPoint, { recursive: true, force: true });
  }
});

describe('a full disk', () => {
  it('refuses appends with PARLEY_ERR_DISK_FULL, loses nothing acknowledged, and recovers when space returns', async () => {
    mkdirSync(join(mountPoint, 'usa'), { mode: 0o700 });
    const usa = await initNode(join(mountPoint, 'usa'), { party: 'USA', url: 'http://127.0.0.1:9' });
    node = await spawnNode(usa.dir, await freePort());
    const send = (i: number) => apiCall(node!.url, usa.tokens.officer, '/api/v1/entries', { type: 'note', to: ['USA'], body: { subject: `m${i}`, text: 'x'.repeat(60_000) } });

    const acknowledged: { i: number; seq: number }[] = [];
    let refused: { status: number; json: any } | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      const r = await send(i);
      if (r.status === 201) acknowledged.push({ i, seq: r.json.seq });
      else refused = r;
    }
    expect(refused).toBeDefined();
    expect([refused!.status, refused!.json.error.code]).toEqual([507, 'PARLEY_ERR_DISK_FULL']);
    expect(acknowledged.length).toBeGreaterThan(5);
    // Still serving while full: reads work, and a second append is refused the same way.
    expect((await apiCall(node.url, usa.tokens.analyst, '/api/v1/status')).status).toBe(200);
    expect((await send(1000)).json.error.code).toBe('PARLEY_ERR_DISK_FULL');

    // Space returns: the next append is the next seq after the last acknowledged one.
    execFileSync('mount', ['-o', 'remount,size=64m', mountPoint], { timeout: 10_000 });
    const after = await send(2000);
    expect(after.status).toBe(201);
    expect(after.json.seq).toBe(acknowledged[acknowledged.length - 1].seq + 1);

    const held = await apiCall(node.url, usa.tokens.analyst, '/api/v1/entries?author=USA&limit=1000');
    const subjects = (held.json.entries as { seq: number; body: { subject: string } }[]).map((e) => e.body.subject);
    expect(subjects).toEqual([...acknowledged.map((a) => `m${a.i}`), 'm2000']);
    expect((await apiCall(node.url, usa.tokens.analyst, '/api/v1/verify')).json.ok).toBe(true);
  }, 180_000);
});
