import { describe, expect, it } from 'vitest';
import { asParleyError, ERRORS, ParleyError } from './errors.js';

describe('ParleyError', () => {
  it('keeps the error it explains as its cause, and its own stack', () => {
    const io = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const e = new ParleyError('PARLEY_ERR_STORE', 'the commit failed, nothing was appended', undefined, { cause: io });
    expect(e.cause).toBe(io);
    expect(e.stack).toMatch(/^ParleyError: the commit failed/);
    expect(e.stack).toContain('errors.test.ts');
    expect(e.status).toBe(500);
  });

  it('never puts the cause in what a peer or an operator receives', () => {
    const e = new ParleyError('PARLEY_ERR_BAD_ARGUMENT', 'at is not a time', { at: 'x' }, { cause: new Error('secret path /srv/parley') });
    expect(JSON.stringify(e)).toBe('{"code":"PARLEY_ERR_BAD_ARGUMENT","message":"at is not a time","detail":{"at":"x"}}');
  });
});

describe('asParleyError', () => {
  it('returns a ParleyError unchanged', () => {
    const e = new ParleyError('PARLEY_ERR_CHAIN_GAP');
    expect(asParleyError(e)).toBe(e);
  });

  it('turns a programmer error into PARLEY_ERR_INTERNAL (500), never a bad argument, keeping it as the cause with its stack', () => {
    let thrown: unknown;
    try {
      (undefined as unknown as () => void)();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    const e = asParleyError(thrown);
    expect(e.code).toBe('PARLEY_ERR_INTERNAL');
    expect(e.status).toBe(500);
    expect(e.message).toBe((thrown as Error).message);
    expect(e.cause).toBe(thrown);
    expect((e.cause as Error).stack).toMatch(/^TypeError: .*\n\s+at .*errors\.test\.ts/);
    expect(ERRORS.PARLEY_ERR_INTERNAL.status).toBe(500);
  });

  it('wraps a thrown non-Error too, keeping the value as the cause', () => {
    const e = asParleyError('boom');
    expect(e).toMatchObject({ code: 'PARLEY_ERR_INTERNAL', message: 'boom', cause: 'boom' });
  });
});
