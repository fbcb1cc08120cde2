/** The SQLite dialect passes the store conformance suite (test/store/conformance.ts). */
import { afterAll } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../support/nodes.js';
import { openStore, storeConformance } from './conformance.js';

const tmp = tempDir('parley-store-sqlite-');
afterAll(() => tmp.remove());
let n = 0;

storeConformance({
  name: 'sqlite',
  fresh: async () => join(tmp.path, `store-${n++}.db`),
  open: (location) => openStore(location),
});
