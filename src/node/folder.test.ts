import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initNode, loadNode } from './folder.js';
import { tempDir } from '../../test/support/nodes.js';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

describe('node folder', () => {
  it('refuses a damaged key or tokens file with PARLEY_ERR_NODE_DIR', async () => {
    const dir = tempDir();
    cleanup.push(dir.remove);
    const node = await initNode(join(dir.path, 'USA'), { party: 'USA', url: 'http://127.0.0.1:7400' });
    writeFileSync(join(node.dir, 'tokens.json'), '{not json', { mode: 0o600 });
    expect(() => loadNode(node.dir)).toThrow(expect.objectContaining({ code: 'PARLEY_ERR_NODE_DIR' }));
    writeFileSync(join(node.dir, 'key.pem'), 'not a key', { mode: 0o600 });
    expect(() => loadNode(node.dir)).toThrow(expect.objectContaining({ code: 'PARLEY_ERR_NODE_DIR' }));
  });
});
