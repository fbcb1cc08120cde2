/**
 * `run.json` in a node folder: which process serves the node, and where. The CLI reads it to talk
 * to a running node through its API instead of opening the ledger behind the node's back (two
 * writers of one party's log would fork it).
 */
import { existsSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRunning } from '../node/lock.js';

export interface RunInfo {
  pid: number;
  party: string;
  /** Where this machine reaches the node's APIs. */
  url: string;
  port: number;
  startedAt: string;
}

export function runFilePath(dir: string): string {
  return join(resolve(dir), 'run.json');
}

/** The running node of a folder, or undefined if none runs (a file left by a killed process, or naming a zombie, is ignored). */
export function readRunInfo(dir: string): RunInfo | undefined {
  const file = runFilePath(dir);
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as RunInfo;
    return Number.isInteger(info.pid) && isRunning(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

export function writeRunInfo(dir: string, info: RunInfo): void {
  const file = runFilePath(dir);
  writeFileSync(`${file}.tmp`, JSON.stringify(info, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

/** Removes the run file if it still names this process. */
export function removeRunInfo(dir: string, pid: number): void {
  const file = runFilePath(dir);
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as RunInfo;
    if (info.pid === pid) rmSync(file, { force: true });
  } catch {
    // already gone
  }
}
