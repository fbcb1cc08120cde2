/**
 * The CLI's one error boundary: whatever a command throws becomes a ParleyError, printed as
 * `{"error":{"code","message"}}` on stdout with --json, or `error PARLEY_ERR_…: message` on stderr,
 * and an exit code that means something:
 *
 *   0  success
 *   1  a check ran and failed (verify found problems, check-proof refused the bundle)
 *   2  usage or bad input (an argument, a file, an entry the ledger refuses)
 *   3  internal failure (the store, a bug); nothing was acknowledged
 */
import { Command, CommanderError } from 'commander';
import { asParleyError, ParleyError } from '../protocol/errors.js';

export const EXIT = Object.freeze({ ok: 0, checkFailed: 1, badInput: 2, internal: 3 });
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Thrown when a check ran to its end and said no: exit 1, not 2. */
export class FailedCheck extends Error {
  readonly error: ParleyError;
  constructor(error: ParleyError) {
    super(error.message);
    this.name = 'FailedCheck';
    this.error = error;
  }
}

let actionExit: ExitCode = EXIT.ok;

/**
 * Wraps a command's action. An action returns nothing on success, or an exit code when it
 * printed its own verdict (verify's report); it throws for everything else.
 *
 * @example
 *   program.command('verify').action(action(async (opts) => (report.ok ? undefined : EXIT.checkFailed)));
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<ExitCode | void> | ExitCode | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    actionExit = (await fn(...args)) ?? EXIT.ok;
  };
}

/** Commander settings every parley command shares: errors come to the boundary, not to process.exit. */
export function prepareProgram(program: Command): Command {
  return program
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);
}

export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof FailedCheck) return EXIT.checkFailed;
  return asParleyError(err).status >= 500 ? EXIT.internal : EXIT.badInput;
}

/**
 * `parley log | head`: when the reader of stdout goes away, the command has nothing left to do —
 * it ends quietly (exit 0), not with an EPIPE stack trace.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
    process.stderr.write(`error PARLEY_ERR_INTERNAL: cannot write the output: ${err.message}\n`);
    process.exit(EXIT.internal);
  });
}

/** Parses argv and runs the command; resolves to the process exit code. */
export async function runCli(program: Command, argv: readonly string[]): Promise<ExitCode> {
  const json = argv.slice(2).includes('--json');
  actionExit = EXIT.ok;
  try {
    await program.parseAsync(argv as string[]);
    return actionExit;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      // `parley help send` exits 0; `parley` or `parley roster` with no command printed the help to stderr as an error.
      if (err.code === 'commander.help') return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
      err = new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `${err.message.replace(/^error: /, '')} (see --help)`, undefined, { cause: err });
    }
    report(err, json);
    return exitCodeOf(err);
  }
}

function report(err: unknown, json: boolean): void {
  const failed = err instanceof FailedCheck;
  const e = failed ? err.error : asParleyError(err);
  if (json) {
    process.stdout.write(JSON.stringify(failed ? { ok: false, error: e.toJSON() } : { error: e.toJSON() }) + '\n');
  } else {
    process.stderr.write(`error ${e.code}: ${e.message}\n`);
    if (e.status >= 500 && process.env.PARLEY_DEBUG) process.stderr.write(stackWithCauses(err) + '\n');
  }
}

/** The stack of what was thrown and of each cause under it: a bug reported without them cannot be found. */
export function stackWithCauses(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && parts.length < 8; e = e instanceof Error ? e.cause : undefined) {
    parts.push(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e));
  }
  return parts.join('\ncaused by: ');
}
