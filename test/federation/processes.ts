/** Nodes as child processes of the built CLI (`parley start`), for tests that kill -9 them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { parleyBin } from '../support/cli.js';
import { readRunInfo } from '../../src/server/runfile.js';

export interface NodeProcess {
  dir: string;
  port: number;
  url: string;
  child: ChildProcess;
}

export { freePort } from '../../bench/peers.js';

/** Starts `parley start` on a node folder and waits until its API answers. */
export async function spawnNode(dir: string, port: number, timeoutMs = 20_000): Promise<NodeProcess> {
  const log = openSync(join(dir, 'node.log'), 'a');
  const child = spawn(process.execPath, [parleyBin, 'start', '--dir', dir, '--port', String(port)], {
    stdio: ['ignore', log, log],
    env: { ...process.env, PARLEY_LOG_LEVEL: process.env.PARLEY_LOG_LEVEL ?? 'warn' },
  });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`parley start --dir ${dir} exited (${child.exitCode ?? child.signalCode}); see ${join(dir, 'node.log')}`);
    if (readRunInfo(dir)?.pid === child.pid) {
      try {
        if ((await fetch(`${url}/api/v1/openapi.json`, { signal: AbortSignal.timeout(1000) })).ok) return { dir, port, url, child };
      } catch {
        // not yet
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`parley start --dir ${dir} did not answer within ${timeoutMs} ms`);
}

/** kill -9: no chance to finish anything. */
export async function killHard(p: NodeProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGKILL');
  await gone;
}

/** SIGTERM, and the exit code it stopped with. */
export async function stopNode(p: NodeProcess): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
  const gone = new Promise<number | null>((r) => p.child.once('exit', (code) => r(code)));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
  const code = await gone;
  clearTimeout(timer);
  return code;
}

export async function apiCall(url: string, token: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, json: await res.json() };
}
