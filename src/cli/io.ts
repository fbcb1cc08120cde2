/**
 * What every parley command shares: the node folder and its ledger, reading files and stdin,
 * printing JSON or human output, streaming large output, and progress on a terminal.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { ParleyError } from '../protocol/errors.js';
import { loadNode, openLedger, type NodeFolder } from '../node/folder.js';
import type { Ledger } from '../ledger/ledger.js';
import { acquireFolderLock } from '../node/lock.js';

export interface JsonOption {
  json?: boolean;
}

export interface DirOption extends JsonOption {
  dir: string;
}

/** Adds the options every command has: --json, and --dir (or PARLEY_DIR) where a node folder is needed. */
export function withCommon(command: Command, options: { dir: boolean } = { dir: true }): Command {
  if (options.dir) command.addOption(new Option('--dir <path>', 'the node folder').env('PARLEY_DIR').makeOptionMandatory());
  return command.option('--json', 'print machine-readable JSON on stdout');
}

/**
 * Opens the node folder's ledger for one command and closes it afterwards, even on failure. A
 * command that writes to the log (`write`) first takes the folder's lock, waiting up to `waitMs`
 * for its holder, and is refused with PARLEY_ERR_NODE_BUSY while a node runs on the folder.
 */
export async function withLedger<T>(dir: string, fn: (ledger: Ledger, node: NodeFolder) => T | Promise<T>, options: { write?: boolean; waitMs?: number } = {}): Promise<T> {
  const node = loadNode(dir);
  const lock = options.write ? await acquireFolderLock(node.dir, 'cli', options.waitMs ?? 10_000) : undefined;
  try {
    const ledger = await openLedger(node);
    try {
      return await fn(ledger, node);
    } finally {
      await ledger.close();
    }
  } finally {
    lock?.release();
  }
}

/** Prints one result: compact JSON with --json, the human text otherwise. */
export function print(json: boolean | undefined, value: unknown, human: () => string): void {
  const text = json ? JSON.stringify(value) : human();
  if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

/** Reads a file, or stdin for '-'. A file that cannot be read is bad input (exit 2), not a crash. */
export function readInput(file: string, what: string): Buffer {
  try {
    return readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `cannot read ${what} from ${file === '-' ? 'stdin' : file}: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** Parses JSON given by the operator (an argument, a file); refuses with PARLEY_ERR_MALFORMED_JSON. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ParleyError('PARLEY_ERR_MALFORMED_JSON', `${what} is not valid JSON: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/** Splits a comma-separated argument (`--to USA,RUS`, `--refs id,id`) into its items. */
export function listArgument(value: string, what: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `${what} is empty`);
  return items;
}

/**
 * Where large output goes: a file written whole or not at all (a temporary file renamed into
 * place after fsync, so a crash never leaves half an export under the real name), or stdout for '-'.
 */
export interface OutputSink {
  write(text: string): Promise<void>;
  /** Makes the output durable and visible under its name. */
  finish(): Promise<void>;
  /** Removes a partial file after a failure. */
  abandon(): void;
}

const FLUSH_AT = 1 << 20;

export function openSink(out: string): OutputSink {
  if (out === '-') {
    return {
      write: (text) =>
        new Promise((resolve, reject) => {
          if (process.stdout.write(text)) resolve();
          else {
            process.stdout.once('drain', resolve);
            process.stdout.once('error', reject);
          }
        }),
      finish: async () => {},
      abandon: () => {},
    };
  }
  const partial = `${out}.partial-${process.pid}`;
  let fd: number;
  try {
    fd = openSync(partial, 'w', 0o644);
  } catch (e) {
    throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `cannot write ${out}: ${(e as Error).message}`, undefined, { cause: e });
  }
  let buffered: string[] = [];
  let size = 0;
  const flush = () => {
    if (buffered.length) writeSync(fd, buffered.join(''));
    buffered = [];
    size = 0;
  };
  return {
    write: async (text) => {
      buffered.push(text);
      size += text.length;
      if (size >= FLUSH_AT) flush();
    },
    finish: async () => {
      flush();
      fsyncSync(fd);
      closeSync(fd);
      renameSync(partial, out);
    },
    abandon: () => {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      rmSync(partial, { force: true });
    },
  };
}

/** Writes a small output (a proof bundle) to a file, or to stdout for '-'. */
export async function writeOutput(out: string, text: string): Promise<void> {
  const sink = openSink(out);
  try {
    await sink.write(text);
    await sink.finish();
  } catch (e) {
    sink.abandon();
    throw e;
  }
}

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/** Below this many entries the work is over before a bar would be worth drawing. */
const BAR_FROM = 1000;

/** A progress bar on stderr when stderr is a terminal and the work is large; nothing otherwise. */
export function progress(label: string, total: number): Progress {
  if (!process.stderr.isTTY || total < BAR_FROM) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% {value}/{total} entries, {eta_formatted} left`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}
