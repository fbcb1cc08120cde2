/** The serial writer (test/store/serial-writer.ts) on SQLite files. */
import { afterAll } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../support/nodes.js';
import { serialWriter } from './serial-writer.js';

const tmp = tempDir('parley-serial-');
afterAll(() => tmp.remove());
let n = 0;

serialWriter({ name: 'sqlite', fresh: async () => join(tmp.path, `store-${n++}.db`) }, [1, 2]);
