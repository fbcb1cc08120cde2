/**
 * The folder lock: `lock` in a node folder, made with O_EXCL and holding the pid of the process
 * that owns the folder — a running node (taken before its ledger is opened, kept until its store
 * is closed) or a CLI command writing to the folder while no node runs. Two writers of one
 * party's log never run beside each other: the second waits or is refused, or (the CLI) goes
 * through the running node's API.
 *
 * A lock whose pid is dead, or a zombie, or this very process without holding it, is stale and
 * taken over.
 *
 * @example
 *   const lock = await acquireFolderLock(dir, 'node');
 *   try { … } finally { lock.release(); }
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ParleyError } from '../protocol/errors.js';

export type LockKind = 'node' | 'cli';

export interface LockInfo {
  pid: number;
  kind: LockKind;
  since: string;
}

export interface FolderLock {
  readonly dir: string;
  release(): void;
}

/** Folders whose lock this process holds (a second node on one folder in one process is refused too). */
const heldHere = new Set<string>();

export function lockPath(dir: string): string {
  return join(resolve(dir), 'lock');
}

/**
 * True if `pid` names a live process: it exists (signal 0) and is not a zombie — a process that
 * exited but was not reaped by its parent still answers signal 0, yet serves nothing.
 */
export function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; comm may hold spaces and parentheses, the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc (not Linux): signal 0 is all there is
  }
}

/** The live holder of a folder's lock, or undefined when it is free (or stale). */
export function lockHolder(dir: string): LockInfo | undefined {
  const info = readLock(lockPath(dir));
  if (!info) return undefined;
  if (info.pid === process.pid) return heldHere.has(resolve(dir)) ? info : undefined;
  return isRunning(info.pid) ? info : undefined;
}

function readLock(file: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockInfo>;
    return typeof v.pid === 'number' ? { pid: v.pid, kind: v.kind === 'cli' ? 'cli' : 'node', since: String(v.since ?? '') } : { pid: -1, kind: 'node', since: '' };
  } catch (e) {
    // A lock file cut short by a crash between create and write is stale; a missing one is free.
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : { pid: -1, kind: 'node', since: '' };
  }
}

/** Takes the folder's lock now, or throws PARLEY_ERR_NODE_BUSY naming the live holder. */
export function tryFolderLock(dirArg: string, kind: LockKind): FolderLock {
  const dir = resolve(dirArg);
  const file = lockPath(dir);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ParleyError('PARLEY_ERR_NODE_DIR', `cannot create ${file}: ${(e as Error).message}`, undefined, { cause: e });
      }
      const holder = lockHolder(dir);
      if (holder) throw busy(dir, holder);
      // Stale: remove it if it is still the one judged stale, then try again.
      const seen = safeRead(file);
      const stale = readLock(file);
      if (stale && (stale.pid === process.pid ? !heldHere.has(dir) : !isRunning(stale.pid)) && safeRead(file) === seen) rmSync(file, { force: true });
      continue;
    }
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, kind, since: new Date().toISOString() }) + '\n');
    } finally {
      closeSync(fd);
    }
    heldHere.add(dir);
    let released = false;
    return {
      dir,
      release: () => {
        if (released) return;
        released = true;
        heldHere.delete(dir);
        if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
      },
    };
  }
  throw new ParleyError('PARLEY_ERR_NODE_BUSY', `another process keeps taking the lock of ${dir}; try again`);
}

/**
 * Takes the folder's lock, waiting up to `waitMs` for a holder to let it go (a CLI command that
 * is about to finish); throws PARLEY_ERR_NODE_BUSY after that.
 */
export async function acquireFolderLock(dir: string, kind: LockKind, waitMs = 0): Promise<FolderLock> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      return tryFolderLock(dir, kind);
    } catch (e) {
      if (!(e instanceof ParleyError && e.code === 'PARLEY_ERR_NODE_BUSY') || Date.now() >= until) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function busy(dir: string, holder: LockInfo): ParleyError {
  const what = holder.kind === 'node' ? `the node of this folder runs (pid ${holder.pid})` : `a parley command (pid ${holder.pid}) is writing to this folder`;
  return new ParleyError('PARLEY_ERR_NODE_BUSY', `${dir}: ${what}; nothing was done — ${holder.kind === 'node' ? 'stop it first, or use its API' : 'retry when it is done'}`, { pid: holder.pid, kind: holder.kind });
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
