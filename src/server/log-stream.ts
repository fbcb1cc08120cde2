/**
 * Where a node's log lines go by default: stdout, written so that a failing log never takes the
 * node down. A log file on a full disk (ENOSPC) or a reader that went away (EPIPE) loses lines,
 * not the hotline: pino's own stdout stream would throw an unhandled 'error' and end the process.
 */
import { fstatSync, writeSync } from 'node:fs';

/** A pino destination on stdout that drops what it cannot write. */
export function resilientStdout(): { write(line: string): void } {
  // stdout is the node's log now: nothing written to it may end the process (the CLI's own
  // handler, which ends a command whose reader went away, does not apply to a running node).
  process.stdout.removeAllListeners('error');
  process.stdout.on('error', () => {
    // dropped: the disk is full, or the reader of the pipe went away
  });
  let file = false;
  try {
    file = fstatSync(1).isFile();
  } catch {
    file = false;
  }
  if (file) {
    // A regular file: synchronous writes, each one tried again once space returns.
    return {
      write(line: string) {
        try {
          writeSync(1, line);
        } catch {
          // dropped: the disk is full or the file is gone
        }
      },
    };
  }
  return {
    write(line: string) {
      if (process.stdout.writable) process.stdout.write(line);
    },
  };
}
