/** Crash-test support: run a child program and SIGKILL it at a chosen moment. */
import { spawn } from 'node:child_process';

export interface Killed {
  /** Whole lines the child printed before it died (a line cut by the kill is not one). */
  lines: string[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Starts `node script ...args`, SIGKILLs it `afterMs` after it first prints a line matching
 * `armed` (at the latest after `watchdogMs`), and returns what it printed.
 */
export function runAndKill(script: string, args: string[], armed: RegExp, afterMs: number, watchdogMs = 15_000): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const watchdog = setTimeout(() => child.kill('SIGKILL'), watchdogMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!timer && armed.test(out)) timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(watchdog);
      clearTimeout(timer);
      resolve({ lines: out.split('\n').slice(0, -1), signal, stderr });
    });
  });
}
