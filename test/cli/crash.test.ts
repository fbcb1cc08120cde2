/**
 * Crash test: a process appending in a loop is SIGKILLed at random moments and restarted. After
 * every kill, each entry it reported as appended (it prints only after the append resolved) is in
 * the store with the same id, and the seqs run 1…n without a gap or a duplicate; at the end
 * `parley verify` passes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initNode, databasePath } from '../../src/node/folder.js';
import { openStore } from '../../src/ledger/dialects.js';
import { tempDir } from '../support/nodes.js';
import { parley } from '../support/cli.js';
import { runAndKill } from '../support/kill.js';

const loop = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'support/append-loop.js');
const tmp = tempDir('parley-crash-');
afterAll(() => tmp.remove());

const KILLS = 8;

interface Run {
  /** The head the process found at its start: "seq id". */
  start: { seq: number; id: string } | undefined;
  reported: { seq: number; id: string }[];
  signal: NodeJS.Signals | null;
}

/** Starts the loop, kills it `afterMs` after its first reported append, and collects what it printed. */
async function runLoop(dir: string, afterMs: number): Promise<Run> {
  const { lines, signal, stderr } = await runAndKill(loop, [dir], /^\d+ [0-9a-f]{64}$/m, afterMs);
  const start = lines.shift();
  const m = start?.match(/^start (\d+) (\S+)$/);
  if (!m) throw new Error(`the loop did not start: ${lines.join('\n')}\n${stderr}`);
  const reported = lines.map((l) => {
    const [seq, id] = l.split(' ');
    return { seq: Number(seq), id };
  });
  return { start: m[1] === '0' ? undefined : { seq: Number(m[1]), id: m[2] }, reported, signal };
}

describe('crash safety of append', () => {
  it(`loses nothing reported across ${KILLS} SIGKILLs, and the chain verifies`, async () => {
    const node = await initNode(join(tmp.path, 'usa'), { party: 'USA', url: 'http://127.0.0.1:7401' });
    const reported = new Map<number, string>();
    let lastHead = 0;
    for (let i = 0; i < KILLS; i++) {
      const run = await runLoop(node.dir, Math.floor(Math.random() * 600));
      expect(run.signal).toBe('SIGKILL');
      // The restarted process found at least everything reported before it started.
      expect(run.start?.seq ?? 0).toBeGreaterThanOrEqual(lastHead);
      if (run.start && reported.has(run.start.seq)) expect(run.start.id).toBe(reported.get(run.start.seq));
      for (const r of run.reported) {
        expect(reported.has(r.seq), `seq ${r.seq} reported twice`).toBe(false);
        reported.set(r.seq, r.id);
      }
      expect(run.reported.length).toBeGreaterThan(0);

      const store = openStore(databasePath(node.dir));
      try {
        const seqs: number[] = [];
        for await (const page of store.scan()) for (const row of page) seqs.push(row.seq);
        expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, k) => k + 1));
        for (const [seq, id] of reported) expect((await store.entryBySeq('USA', seq))?.id, `USA#${seq}`).toBe(id);
        lastHead = seqs.length;
      } finally {
        await store.close();
      }
    }
    const verify = parley(['verify', '--dir', node.dir, '--json']);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.json()).toEqual({ ok: true, entries: lastHead, problems: [] });
    expect(lastHead).toBeGreaterThanOrEqual(reported.size);
  }, 60_000);
});
