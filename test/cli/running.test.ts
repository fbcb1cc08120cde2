/** Commands that write a ledger refuse while a node runs on the folder (its heads live in memory). */
import { afterAll, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeRunInfo } from '../../src/server/runfile.js';
import { parley } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';

const dir = tempDir('parley-running-');
afterAll(() => dir.remove());

it('parley import refuses while the folder\'s node runs, and imports once it has stopped', () => {
  const usa = join(dir.path, 'usa');
  expect(parley(['init', '--dir', usa, '--party', 'USA', '--url', 'http://127.0.0.1:7399']).code).toBe(0);
  const file = join(dir.path, 'empty.jsonl');
  writeFileSync(file, '');
  // This test process stands in for a running node: its pid is alive.
  writeRunInfo(usa, { pid: process.pid, party: 'USA', url: 'http://127.0.0.1:7399', port: 7399, startedAt: new Date().toISOString() });
  const refused = parley(['import', '--dir', usa, '--file', file, '--json']);
  expect([refused.code, refused.json().error.code]).toEqual([2, 'PARLEY_ERR_NODE_DIR']);
  expect(refused.json().error.message).toMatch(/nothing was imported/);
  // A run file left by a process that is gone does not block.
  writeRunInfo(usa, { pid: 2 ** 22 + 12345, party: 'USA', url: 'http://127.0.0.1:7399', port: 7399, startedAt: new Date().toISOString() });
  expect(parley(['import', '--dir', usa, '--file', file, '--json']).code).toBe(0);
});
