import { afterEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { ParleyError } from '../protocol/errors.js';
import { action, EXIT, exitCodeOf, FailedCheck, prepareProgram, runCli, stackWithCauses } from './boundary.js';
import { listArgument } from './io.js';

function program(): Command {
  const p = prepareProgram(new Command('parley'));
  p.command('ok').option('--json').action(action(() => undefined));
  p.command('check').option('--json').action(action(() => EXIT.checkFailed));
  p.command('refuse').option('--json').action(action(() => {
    throw new ParleyError('PARLEY_ERR_BAD_SIGNATURE', 'entry 0 (USA#1): no');
  }));
  p.command('fail').option('--json').action(action(() => {
    throw new FailedCheck(new ParleyError('PARLEY_ERR_BAD_PROOF', 'nope'));
  }));
  p.command('crash').option('--json').action(action(() => {
    throw new TypeError('undefined is not a function');
  }));
  return p;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out, err };
}

afterEach(() => vi.restoreAllMocks());

describe('the CLI error boundary', () => {
  it('maps what was thrown to an exit code: 1 failed check, 2 bad input, 3 internal', () => {
    expect(exitCodeOf(new FailedCheck(new ParleyError('PARLEY_ERR_BAD_PROOF')))).toBe(1);
    expect(exitCodeOf(new ParleyError('PARLEY_ERR_CHAIN_GAP'))).toBe(2);
    expect(exitCodeOf(new ParleyError('PARLEY_ERR_STORE'))).toBe(3);
    expect(exitCodeOf(new Error('boom'))).toBe(3);
  });

  it('prints {"error":{code,message}} with --json, and error CODE: message on stderr otherwise', async () => {
    const io = capture();
    expect(await runCli(program(), ['node', 'parley', 'refuse', '--json'])).toBe(2);
    expect(JSON.parse(io.out.join(''))).toEqual({ error: { code: 'PARLEY_ERR_BAD_SIGNATURE', message: 'entry 0 (USA#1): no' } });
    io.out.length = 0;
    expect(await runCli(program(), ['node', 'parley', 'refuse'])).toBe(2);
    expect(io.out).toEqual([]);
    expect(io.err.join('')).toBe('error PARLEY_ERR_BAD_SIGNATURE: entry 0 (USA#1): no\n');
  });

  it('returns the action\'s own verdict, a failed check, an internal error, and usage errors', async () => {
    const io = capture();
    expect(await runCli(program(), ['node', 'parley', 'ok'])).toBe(0);
    expect(await runCli(program(), ['node', 'parley', 'check'])).toBe(1);
    expect(await runCli(program(), ['node', 'parley', 'fail', '--json'])).toBe(1);
    expect(JSON.parse(io.out.pop()!)).toEqual({ ok: false, error: { code: 'PARLEY_ERR_BAD_PROOF', message: 'nope' } });
    expect(await runCli(program(), ['node', 'parley', 'crash', '--json'])).toBe(3);
    expect(JSON.parse(io.out.pop()!).error.code).toBe('PARLEY_ERR_INTERNAL');
    expect(await runCli(program(), ['node', 'parley', 'nope', '--json'])).toBe(2);
    expect(JSON.parse(io.out.pop()!).error).toMatchObject({ code: 'PARLEY_ERR_BAD_ARGUMENT', message: expect.stringContaining("unknown command 'nope'") });
    expect(await runCli(program(), ['node', 'parley', 'ok', '--bogus', '--json'])).toBe(2);
    expect(JSON.parse(io.out.pop()!).error.code).toBe('PARLEY_ERR_BAD_ARGUMENT');
    // After a failure, a later success is 0 again: no exit code leaks between runs.
    expect(await runCli(program(), ['node', 'parley', 'ok'])).toBe(0);
  });
});

describe('internal errors on the CLI', () => {
  it('with PARLEY_DEBUG, prints the stack of what was thrown and of each cause', async () => {
    const io = capture();
    vi.stubEnv('PARLEY_DEBUG', '1');
    try {
      expect(await runCli(program(), ['node', 'parley', 'crash'])).toBe(3);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(io.err[0]).toBe('error PARLEY_ERR_INTERNAL: undefined is not a function\n');
    expect(io.err[1]).toMatch(/^TypeError: undefined is not a function\n\s+at .*boundary\.test\.ts/);
  });

  it('stackWithCauses follows the cause chain', () => {
    const root = new Error('SQLITE_BUSY');
    const text = stackWithCauses(new ParleyError('PARLEY_ERR_STORE', 'the commit failed', undefined, { cause: root }));
    expect(text).toMatch(/^ParleyError: the commit failed\n[\s\S]*\ncaused by: Error: SQLITE_BUSY\n\s+at /);
    expect(stackWithCauses('not an error')).toBe('not an error');
  });
});

describe('listArgument', () => {
  it('splits comma lists and refuses empty ones', () => {
    expect(listArgument('USA, RUS,,UKR', '--to')).toEqual(['USA', 'RUS', 'UKR']);
    expect(() => listArgument(' , ', '--to')).toThrow(expect.objectContaining({ code: 'PARLEY_ERR_BAD_ARGUMENT' }));
  });
});
