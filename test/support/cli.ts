/** Runs the built `parley` binary as a user would: `node bin/parley.js …`. */
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const parleyBin = join(root, 'bin/parley.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json: <T = any>() => T;
}

export function parley(args: string[], options: { input?: string | Buffer } = {}): CliRun {
  const env = { ...process.env };
  delete env.PARLEY_DIR;
  const r = spawnSync(process.execPath, [parleyBin, ...args], { input: options.input, encoding: 'utf8', env, timeout: 60_000 });
  if (r.error) throw r.error;
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    json: () => {
      try {
        return JSON.parse(r.stdout);
      } catch {
        throw new Error(`stdout of 'parley ${args.join(' ')}' is not JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
      }
    },
  };
}

/** Runs the built CLI without blocking this process's event loop (for nodes running in this process). */
export function parleyAsync(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [parleyBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }));
  });
}
