/**
 * The smaller edges of a node: roster redirections only with a logged override, database files
 * for the owner only, strict UTF-8, strict calendar dates, Parley codes on the HTTP parser's own
 * refusals, and `parley log | head` ending quietly.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey } from '../../src/protocol/signing.js';
import { databasePath, initNode, loadNode, openLedger } from '../../src/node/folder.js';
import { parleyBin } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';
import { note, startNetwork, type TestNetwork } from './support.js';

let net: TestNetwork | undefined;
const dir = tempDir('parley-edges-');
afterEach(async () => {
  await net?.close();
  net = undefined;
});
afterAll(() => dir.remove());

async function call(url: string, token: string, method: string, body?: Buffer | string) {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body });
  return { status: res.status, json: (await res.json()) as any };
}

/** Sends raw bytes on a new connection and returns what comes back until the server closes it. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let out = '';
    socket.on('data', (c) => (out += c.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
  });
}

describe('the roster through the admin API', () => {
  it('redirects a known party\'s URL, or pins a known key under a second code, only with an explicit override', async () => {
    net = await startNetwork(['USA']);
    const { USA } = net.nodes;
    const admin = USA.folder.tokens.admin;
    const key = generateSigningKey().publicKeyB64;
    const pol = { party: 'POL', name: 'Poland', url: 'http://127.0.0.1:9', publicKey: key };
    expect((await call(`${USA.url}/api/v1/roster`, admin, 'POST', JSON.stringify(pol))).status).toBe(200);

    const moved = { ...pol, url: 'http://parley.attacker.example' };
    const refused = await call(`${USA.url}/api/v1/roster`, admin, 'POST', JSON.stringify(moved));
    expect([refused.status, refused.json.error.code]).toEqual([409, 'PARLEY_ERR_ROSTER_CONFLICT']);
    expect(USA.ledger.roster.get('POL')!.url).toBe('http://127.0.0.1:9');
    expect((await call(`${USA.url}/api/v1/roster?override=true`, admin, 'POST', JSON.stringify(moved))).status).toBe(200);
    expect(USA.ledger.roster.get('POL')!.url).toBe('http://parley.attacker.example');

    const twin = { party: 'LTU', name: 'Lithuania', url: 'http://127.0.0.1:9', publicKey: key };
    const second = await call(`${USA.url}/api/v1/roster`, admin, 'POST', JSON.stringify(twin));
    expect([second.status, second.json.error.code]).toEqual([409, 'PARLEY_ERR_ROSTER_CONFLICT']);
    expect(USA.ledger.roster.has('LTU')).toBe(false);
    // A new name is no redirection.
    expect((await call(`${USA.url}/api/v1/roster`, admin, 'POST', JSON.stringify({ ...moved, name: 'Polska' }))).status).toBe(200);
  }, 30_000);
});

describe('the node folder', () => {
  it('is its owner\'s only: the folder 0700, the database and its WAL 0600', async () => {
    const folder = await initNode(join(dir.path, 'modes'), { party: 'USA', url: 'http://127.0.0.1:9' });
    expect(statSync(folder.dir).mode & 0o777).toBe(0o700);
    const ledger = await openLedger(loadNode(folder.dir));
    try {
      await ledger.append({ type: 'note', to: ['USA'], body: note('one') });
      for (const f of [databasePath(folder.dir), `${databasePath(folder.dir)}-wal`]) expect(statSync(f).mode & 0o777).toBe(0o600);
    } finally {
      await ledger.close();
    }
  });
});

describe('what the operator API takes', () => {
  it('refuses invalid UTF-8 instead of signing U+FFFD, and a date the calendar does not have', async () => {
    net = await startNetwork(['USA']);
    const { USA } = net.nodes;
    const officer = USA.folder.tokens.officer;
    const before = await USA.ledger.count();
    const body = Buffer.concat([Buffer.from('{"type":"note","to":["USA"],"body":{"subject":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('","text":""}}')]);
    const bad = await call(`${USA.url}/api/v1/entries`, officer, 'POST', body);
    expect([bad.status, bad.json.error.code]).toEqual([400, 'PARLEY_ERR_BAD_ENCODING']);
    expect(await USA.ledger.count()).toBe(before);
    const good = await call(`${USA.url}/api/v1/entries`, officer, 'POST', JSON.stringify({ type: 'note', to: ['USA'], body: note('gut, Grüße') }));
    expect(good.status).toBe(201);

    const feb30 = await call(`${USA.url}/api/v1/obligations?at=2022-02-30`, officer, 'GET');
    expect([feb30.status, feb30.json.error.code]).toEqual([400, 'PARLEY_ERR_BAD_ARGUMENT']);
    expect(feb30.json.error.message).toMatch(/calendar/);
  }, 30_000);

  it('answers what Node\'s HTTP parser refuses (431, 400) with a Parley code', async () => {
    net = await startNetwork(['USA']);
    const { USA } = net.nodes;
    const big = await raw(USA.port, `GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4)).error.code).toBe('PARLEY_ERR_HEADERS_TOO_LARGE');
    const garbage = await raw(USA.port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)).error.code).toBe('PARLEY_ERR_BAD_ARGUMENT');
    const missing = await call(`${USA.url}/no/such/route`, USA.folder.tokens.analyst, 'GET');
    expect([missing.status, missing.json.error.code]).toEqual([404, 'PARLEY_ERR_NOT_FOUND']);
  }, 30_000);
});

describe('parley log | head', () => {
  it('ends quietly (exit 0, nothing on stderr) when the reader goes away', async () => {
    const folder = await initNode(join(dir.path, 'pipe'), { party: 'USA', url: 'http://127.0.0.1:9' });
    const ledger = await openLedger(loadNode(folder.dir));
    for (let i = 0; i < 400; i++) await ledger.append({ type: 'note', to: ['USA'], body: note(`entry ${i}`, 'x'.repeat(2000)) });
    await ledger.close();
    const child = spawn(process.execPath, [parleyBin, 'log', '--dir', folder.dir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c.toString()));
    // Read the first chunk, then close the pipe, as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
