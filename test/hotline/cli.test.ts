/**
 * `parley hotline send|ack|watch` and `parley status` through running nodes, as an officer uses
 * them: the built binary, the node folder's tokens, the operator API and its event stream.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parleyAsync, parleyBin } from '../support/cli.js';
import { startNetwork, waitFor, type TestNetwork } from '../federation/support.js';
import type { RunningNode } from '../../src/server/node.js';
import type { HotlineView } from '../../src/regimes/hotline/live/runtime.js';

let net: TestNetwork;
let USA: RunningNode;
let RUS: RunningNode;

beforeAll(async () => {
  net = await startNetwork(['USA', 'RUS'], { runFile: true, settings: { hotline: { linkTests: false } } });
  ({ USA, RUS } = net.nodes);
});
afterAll(async () => net.close());

const cli = parleyAsync;

describe('parley hotline', () => {
  it('sends a flash message, shows it, acknowledges it by a short id, and shows it acknowledged at the sender', async () => {
    const sent = await cli(['hotline', 'send', '--dir', USA.dir, '--to', 'RUS', '--priority', 'flash', '--subject', 'Aircraft approaching the line of contact', '--text', 'Please confirm the intentions of the formation.', '--json']);
    expect(sent.code).toBe(0);
    const { id, time, due, to } = sent.json();
    expect(to).toEqual(['RUS']);
    expect(Date.parse(due) - Date.parse(time)).toBe(5 * 60_000);
    await waitFor('RUS to hold the message', async () => (await RUS.ledger.get(id))?.body !== undefined);

    const atRus = await cli(['hotline', 'watch', '--dir', RUS.dir, '--once', '--json']);
    expect(atRus.code).toBe(0);
    const rusView = atRus.json() as HotlineView;
    expect(rusView.messages[0]).toMatchObject({ id, direction: 'in', priority: 'flash', addressees: [{ party: 'RUS', status: 'open', due, ack: null }] });

    const ack = await cli(['hotline', 'ack', '--dir', RUS.dir, '--id', id.slice(0, 8), '--officer', 'duty officer', '--json']);
    expect(ack.code).toBe(0);
    expect(ack.json()).toMatchObject({ message: id, due, late: false });
    expect(await RUS.ledger.get(ack.json().id)).toMatchObject({ type: 'hotline.ack', to: ['USA'], refs: [id], body: { officer: 'duty officer' } });
    // A second acknowledgement of the same message is not sent.
    const again = await cli(['hotline', 'ack', '--dir', RUS.dir, '--id', id, '--json']);
    expect(again.json()).toMatchObject({ id: ack.json().id, already: true });

    await waitFor('the acknowledgement at USA', async () => (await USA.ledger.get(ack.json().id)) !== undefined);
    const atUsa = (await cli(['hotline', 'watch', '--dir', USA.dir, '--once', '--json'])).json() as HotlineView;
    expect(atUsa.messages[0]).toMatchObject({ id, direction: 'out', addressees: [{ party: 'RUS', status: 'met', received: true, ack: { id: ack.json().id } }] });
    expect(atUsa.peers[0]).toMatchObject({ party: 'RUS', health: 'up' });

    const human = await cli(['hotline', 'watch', '--dir', USA.dir, '--once']);
    expect(human.stdout).toContain('PARLEY HOTLINE');
    expect(human.stdout).toMatch(/FLASH +OUT to +RUS .* RUS acked/);
    expect(human.stdout).not.toContain('\x1b[');

    const status = await cli(['status', '--dir', USA.dir, '--json']);
    expect(status.json().linkHealth).toMatchObject([{ party: 'RUS', health: 'up', rttMs: expect.any(Number) }]);
    expect((await cli(['status', '--dir', USA.dir])).stdout).toMatch(/health +rtt[\s\S]*RUS +up .* up +\d+ ms/);
  });

  it('refuses what cannot be right: a bad priority, acknowledging one\'s own message, a folder with no node running', async () => {
    const bad = await cli(['hotline', 'send', '--dir', USA.dir, '--to', 'RUS', '--priority', 'urgent', '--subject', 's', '--text', 't', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json().error.code).toBe('PARLEY_ERR_BAD_ARGUMENT');
    const own = (await cli(['hotline', 'send', '--dir', USA.dir, '--to', '*', '--priority', 'routine', '--subject', 'To all', '--text', 't', '--json'])).json();
    expect(own.to).toEqual(['RUS']);
    const mine = await cli(['hotline', 'ack', '--dir', USA.dir, '--id', own.id, '--json']);
    expect(mine.code).toBe(2);
    expect(mine.json().error.message).toContain('own message');
    const none = await cli(['hotline', 'watch', '--dir', net.root, '--once', '--json']);
    expect(none.code).toBe(2);
  });

  it('watch follows the event stream: a new message appears without asking, in a JSON line, and Ctrl-C ends it', async () => {
    const child = spawn(process.execPath, [parleyBin, 'hotline', 'watch', '--dir', RUS.dir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitFor('the first picture', () => out.includes('\n'));
      const sent = (await cli(['hotline', 'send', '--dir', USA.dir, '--to', 'RUS', '--priority', 'immediate', '--subject', 'Live update', '--text', 't', '--json'])).json();
      await waitFor('the message in a later picture', () => out.trim().split('\n').some((l) => (JSON.parse(l) as HotlineView).messages.some((m) => m.id === sent.id)));
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it.skipIf(spawnSync('script', ['--version']).status !== 0)('watch on a terminal draws in place on the alternate screen and quits on q', async () => {
    const command = `${process.execPath} ${parleyBin} hotline watch --dir ${RUS.dir}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, COLUMNS: '120', LINES: '30' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await waitFor('the screen', () => out.includes('PARLEY HOTLINE') && out.includes('live'));
      await cli(['hotline', 'send', '--dir', USA.dir, '--to', 'RUS', '--priority', 'flash', '--subject', 'Drawn live', '--text', 't']);
      await waitFor('the new message on the screen', () => out.includes('Drawn live'));
      child.stdin.write('q');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
    expect(out).toContain('\x1b[?1049h'); // alternate screen on
    expect(out).toContain('\x1b[H'); // redrawn from the top, in place
    expect(out).toContain('\x1b[?1049l'); // and given back on quitting
  });
});
