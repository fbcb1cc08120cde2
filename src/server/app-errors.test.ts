import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../protocol/errors.js';
import { createApp, toParleyError } from './app.js';

describe('the server error boundary', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('maps a programmer error to PARLEY_ERR_INTERNAL and a Fastify refusal to its 4xx code, keeping the original as cause', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'seq')");
    expect(toParleyError(bug)).toMatchObject({ code: 'PARLEY_ERR_INTERNAL', status: 500, cause: bug });
    const json = Object.assign(new SyntaxError('Unexpected token } in JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    expect(toParleyError(json)).toMatchObject({ code: 'PARLEY_ERR_MALFORMED_JSON', cause: json });
    const invalid = Object.assign(new Error('querystring/limit must be integer'), { statusCode: 400, validation: [{}] });
    expect(toParleyError(invalid)).toMatchObject({ code: 'PARLEY_ERR_BAD_ARGUMENT', cause: invalid });
  });

  it('answers a bug with 500 PARLEY_ERR_INTERNAL and logs the original error with its stack', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    app = createApp({ logger: { level: 'error', stream } });
    app.get('/bug', async () => {
      throw new TypeError('undefined is not a function');
    });
    app.get('/store', async () => {
      throw new ParleyError('PARLEY_ERR_STORE', 'the commit failed', undefined, { cause: new Error('SQLITE_FULL: database or disk is full') });
    });

    const bug = await app.inject({ method: 'GET', url: '/bug' });
    expect(bug.statusCode).toBe(500);
    expect(bug.json()).toEqual({ error: { code: 'PARLEY_ERR_INTERNAL', message: 'undefined is not a function' } });
    const logged = JSON.parse(lines.find((l) => l.includes('request failed'))!);
    expect(logged).toMatchObject({ code: 'PARLEY_ERR_INTERNAL', err: { type: 'TypeError', message: 'undefined is not a function' } });
    expect(logged.err.stack).toMatch(/^TypeError: undefined is not a function\n\s+at /);

    lines.length = 0;
    const store = await app.inject({ method: 'GET', url: '/store' });
    expect(store.json()).toEqual({ error: { code: 'PARLEY_ERR_STORE', message: 'the commit failed' } });
    const stored = JSON.parse(lines.find((l) => l.includes('request failed'))!);
    expect(stored.err.stack).toMatch(/^ParleyError: the commit failed\n[\s\S]*caused by: Error: SQLITE_FULL/);
  });
});
