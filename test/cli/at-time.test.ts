/**
 * `--at` of `parley obligations` and `parley findings` names one instant, whatever the time zone
 * of the machine: two parties asking about the same instant must get the same verdicts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parley } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';

let dir: ReturnType<typeof tempDir>;
let empty: string;
const tz = process.env.TZ;
beforeAll(() => {
  dir = tempDir('parley-at-');
  empty = join(dir.path, 'empty.jsonl');
  writeFileSync(empty, '');
  process.env.TZ = 'Asia/Tokyo';
});
afterAll(() => {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
  dir.remove();
});

describe('--at', () => {
  it('refuses a date-time without an offset, which would mean the local time of whoever runs it', () => {
    const r = parley(['findings', '--file', empty, '--at', '2022-02-14T00:00:00', '--json']);
    expect([r.code, r.json().error.code]).toEqual([2, 'PARLEY_ERR_BAD_ARGUMENT']);
  });

  it('takes a date-time with Z or an offset, and a date as its UTC midnight', () => {
    for (const at of ['2022-02-14T00:00:00Z', '2022-02-14T09:00:00+09:00', '2022-02-14']) {
      const r = parley(['findings', '--file', empty, '--at', at, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json().at).toBe('2022-02-14T00:00:00.000Z');
    }
  });
});
