/**
 * What the federation and hotline benches share: peer nodes as child processes of the built CLI,
 * a watch on a peer's receipts at the sender, free loopback ports, waiting with a deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LedgerEntry } from '../src/ledger/ledger.js';
import type { RunningNode } from '../src/server/node.js';

export const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

/** Resolves when the sender holds `peer`'s receipt covering own seq `seq`, with the instant (performance.now). */
export function receiptWatch(sender: RunningNode, peer: string) {
  let upto = sender.federation.status().peers.find((p) => p.party === peer)?.delivered ?? 0;
  const waiting = new Map<number, (t: number) => void>();
  const off = sender.ledger.onCommit((entries: LedgerEntry[]) => {
    const now = performance.now();
    for (const e of entries) if (e.author === peer && e.type === 'receipt' && e.body?.of === sender.party) upto = Math.max(upto, Number(e.body.upto));
    for (const [seq, resolve] of waiting) {
      if (seq <= upto) {
        waiting.delete(seq);
        resolve(now);
      }
    }
  });
  return {
    upto: () => upto,
    when: (seq: number, timeoutMs = 30_000): Promise<number> =>
      seq <= upto
        ? Promise.resolve(performance.now())
        : new Promise<number>((resolve, reject) => {
            const t = setTimeout(() => reject(new Error(`no receipt of USA#${seq} within ${timeoutMs} ms`)), timeoutMs);
            waiting.set(seq, (at) => {
              clearTimeout(t);
              resolve(at);
            });
          }),
    off,
  };
}

export function spawnPeer(dir: string, port: number): ChildProcess {
  const log = openSync(join(dir, 'node.log'), 'a');
  const child = spawn(process.execPath, [CLI, 'start', '--dir', dir, '--port', String(port)], { stdio: ['ignore', log, log], env: { ...process.env, PARLEY_LOG_LEVEL: 'warn' } });
  closeSync(log);
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(t);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for the bench network');
    await sleep(20);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Runs a bench module's `main` when the module is the program (`node dist/bench/x.js`), not when imported. */
export function runIfMain(moduleUrl: string, main: () => Promise<void>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
