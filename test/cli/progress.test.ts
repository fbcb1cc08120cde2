/**
 * Progress for long work: a bar on stderr when stderr is a terminal and the log is large,
 * nothing at all otherwise (pipes, files, CI). The terminal is made with util-linux `script`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { initNode, loadNode, openLedger } from '../../src/node/folder.js';
import { parley, parleyBin } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';

const tmp = tempDir('parley-progress-');
const dir = join(tmp.path, 'usa');
const ENTRIES = 2500;
const hasScript = spawnSync('script', ['--version']).status === 0;

beforeAll(async () => {
  await initNode(dir, { party: 'USA', url: 'http://127.0.0.1:7401' });
  const ledger = await openLedger(loadNode(dir));
  await Promise.all(Array.from({ length: ENTRIES }, (_, i) => ledger.append({ type: 'note', to: ['*'], body: { subject: `n${i}`, text: '' } })));
  await ledger.close();
});
afterAll(() => tmp.remove());

/** Runs parley with stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
function onTerminal(args: string[]): string {
  const command = ['node', parleyBin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return execFileSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
}

describe('progress', () => {
  it.skipIf(!hasScript)('draws a bar for verify, export and import of a large log on a terminal', () => {
    expect(onTerminal(['verify', '--dir', dir])).toMatch(new RegExp(`verify \\[.*\\] 100% ${ENTRIES}/${ENTRIES} entries[\\s\\S]*ok: ${ENTRIES} entries verified`));
    const out = join(tmp.path, 'usa.jsonl');
    expect(onTerminal(['export', '--dir', dir, '--out', out])).toMatch(new RegExp(`export \\[.*\\] 100% ${ENTRIES}/${ENTRIES} entries`));
    expect(onTerminal(['import', '--dir', dir, '--file', out])).toMatch(/read \[.*\][\s\S]*imported 0 new entries/);
  });

  it('prints nothing on stderr when it is not a terminal', () => {
    const out = join(tmp.path, 'quiet.jsonl');
    for (const args of [['verify', '--dir', dir], ['export', '--dir', dir, '--out', out], ['import', '--dir', dir, '--file', out]]) {
      const r = parley(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    }
  });
});
