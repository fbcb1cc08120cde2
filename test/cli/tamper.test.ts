/**
 * Property: any single-bit change to a stored header, content or signature — made directly in the
 * SQLite file, as an attacker with the disk would — is detected by `verify`, naming the entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { databasePath } from '../../src/node/folder.js';
import { openStore } from '../../src/ledger/dialects.js';
import { verifyStore } from '../../src/ledger/verify.js';
import { catalogue } from '../../src/regimes/registry.js';
import { makeParties, tempDir } from '../support/nodes.js';
import { parley } from '../support/cli.js';

type Column = 'header' | 'sig' | 'content';
interface StoredRow {
  author: string;
  seq: number;
  id: string;
  header: Buffer;
  sig: Buffer;
  content: Buffer | null;
}

const tmp = tempDir('parley-tamper-');
let dir: string;
let db: string;
let rows: StoredRow[];

beforeAll(async () => {
  // USA's node holds its own log, RUS entries addressed to it (content), and UKR entries it
  // only has stubs of: every kind of row verify must cover.
  const p = await makeParties(tmp.path, ['USA', 'RUS', 'UKR']);
  for (let i = 0; i < 5; i++) await p.USA.ledger.append({ type: 'note', to: i % 2 ? ['*'] : ['RUS'], body: { subject: `usa ${i}`, text: 'x'.repeat(i * 40) } });
  for (let i = 0; i < 3; i++) await p.RUS.ledger.append({ type: 'note', to: ['USA'], body: { subject: `rus ${i}`, text: '' } });
  for (let i = 0; i < 2; i++) await p.UKR.ledger.append({ type: 'note', to: ['RUS'], body: { subject: `ukr ${i}`, text: '' } });
  for (const from of ['RUS', 'UKR'] as const) {
    const envelopes = (await p[from].ledger.range(from, 0, 100)).map((e) => (e.to!.includes('USA') ? e.envelope : { header: e.envelope.header, sig: e.envelope.sig }));
    await p.USA.ledger.accept(envelopes, { source: from, onGap: 'refuse', receipts: false });
  }
  for (const party of Object.values(p)) await party.ledger.close();
  dir = p.USA.folder.dir;
  db = databasePath(dir);
  const store = openStore(db);
  rows = [];
  for await (const page of store.scan()) rows.push(...page.map(({ author, seq, id, header, sig, content }) => ({ author, seq, id, header, sig, content })));
  await store.close();
  expect(rows.filter((r) => r.content === null).length).toBe(2);
});

afterAll(() => tmp.remove());

/** Flips one bit of one stored column (raw SQL on the file), runs `check`, and puts the bit back whatever happens. */
async function withFlippedBit<T>(row: StoredRow, column: Column, bit: number, check: () => Promise<T> | T): Promise<T> {
  const original = row[column]!;
  const flipped = Buffer.from(original);
  flipped[bit >> 3] ^= 1 << (bit & 7);
  const write = (value: Buffer) => {
    const conn = new Database(db);
    conn.prepare(`UPDATE entries SET ${column} = ? WHERE author = ? AND seq = ?`).run(value, row.author, row.seq);
    conn.close();
  };
  write(flipped);
  try {
    return await check();
  } finally {
    write(original);
  }
}

const tamper = () =>
  fc
    .record({ row: fc.nat(), column: fc.constantFrom<Column>('header', 'sig', 'content'), bit: fc.nat() })
    .map(({ row, column, bit }) => {
      const candidates = column === 'content' ? rows.filter((r) => r.content) : rows;
      const r = candidates[row % candidates.length];
      return { row: r, column, bit: bit % (r[column]!.length * 8) };
    });

const names = (row: StoredRow) => (p: { author: string; seq: number; id: string }) => p.author === row.author && p.seq === row.seq && p.id === row.id;

describe('verify detects any single-bit change in the stored file', () => {
  it('in-process (verifyStore, as the command runs it), over many changes', async () => {
    const clean = openStore(db);
    expect(await verifyStore(clean, catalogue(), { workers: 0 })).toEqual({ ok: true, entries: rows.length, problems: [] });
    await clean.close();
    await fc.assert(
      fc.asyncProperty(tamper(), async ({ row, column, bit }) => {
        const report = await withFlippedBit(row, column, bit, async () => {
          const store = openStore(db);
          try {
            return await verifyStore(store, catalogue(), { workers: 0 });
          } finally {
            await store.close();
          }
        });
        expect(report.ok).toBe(false);
        expect(report.problems.some(names(row)), JSON.stringify(report.problems)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('through `parley verify --json`: exit 1, the problem names author, seq and id', async () => {
    await fc.assert(
      fc.asyncProperty(tamper(), async ({ row, column, bit }) => {
        const r = await withFlippedBit(row, column, bit, () => parley(['verify', '--dir', dir, '--json']));
        expect(r.code).toBe(1);
        const report = r.json();
        expect(report).toMatchObject({ ok: false, entries: rows.length });
        expect(report.problems.some(names(row)), r.stdout).toBe(true);
      }),
      { numRuns: 12 },
    );
    // Every bit was put back: the log verifies again.
    expect(parley(['verify', '--dir', dir, '--json']).json()).toEqual({ ok: true, entries: rows.length, problems: [] });
    const human = await withFlippedBit(rows[0], 'sig', 5, () => parley(['verify', '--dir', dir]));
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`${rows[0].author}#${rows[0].seq} ${rows[0].id}`);
    expect(human.stdout).toContain('PARLEY_ERR_BAD_SIGNATURE');
  }, 240_000); // fourteen CLI processes, each starting Node and verifying the log: slow on a busy machine
});
