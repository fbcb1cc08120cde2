/**
 * `parley store copy`: a node's store copied SQLite → PostgreSQL → SQLite through the acceptance
 * rules keeps every entry (ids, seqs, stubs and contents), the roster, the equivocation evidence
 * and the metadata; `parley verify` says the same of the copy as of the source; a non-empty target,
 * a running node and a tampered entry are refused with their codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/ledger/dialects.js';
import { databasePath } from '../../src/node/folder.js';
import { removeRunInfo, writeRunInfo } from '../../src/server/runfile.js';
import { forge, note } from '../support/forge.js';
import { makeParties, tempDir } from '../support/nodes.js';
import { parleyAsync, type CliRun } from '../support/cli.js';
import { postgresServer, type PostgresServer } from '../support/postgres.js';

const tmp = tempDir('parley-store-copy-');
let server: PostgresServer;
let usa: string;

/** Everything a store holds, in a form two stores can be compared by. */
async function snapshot(location: string) {
  const store = openStore(location, { readonly: true });
  try {
    const entries: unknown[] = [];
    for await (const page of store.scan()) {
      for (const r of page) entries.push({ author: r.author, seq: r.seq, id: r.id, time: r.time, header: r.header.toString('hex'), sig: r.sig.toString('hex'), content: r.content?.toString('hex') ?? null, type: r.type });
    }
    const equivocations = (await store.equivocations()).map((e) => ({ ...e, otherHeader: e.otherHeader.toString('hex'), otherSig: e.otherSig.toString('hex') }));
    return { entries, parties: await store.parties(), equivocations, meta: await store.metaEntries() };
  } finally {
    await store.close();
  }
}

/** A second folder of the same node (config, key, tokens; no store file). */
function folderCopy(name: string): string {
  const dir = join(tmp.path, name);
  mkdirSync(dir, { mode: 0o700 });
  for (const f of ['config.json', 'key.pem', 'tokens.json']) copyFileSync(join(usa, f), join(dir, f));
  return dir;
}

/** What a run said, wherever it said it (errors go to stdout with --json). */
const said = (r: CliRun) => r.stdout + r.stderr;

const verifyJson = async (dir: string) => {
  const r = await parleyAsync(['verify', '--dir', dir, '--json', '--workers', '0']);
  const report = r.json<{ entries: number; problems: { code: string; author: string; seq: number }[] }>();
  return { code: r.code, entries: report.entries, problems: report.problems.map((p) => `${p.code} ${p.author}#${p.seq}`) };
};

beforeAll(async () => {
  server = await postgresServer();
  const p = await makeParties(tmp.path, ['USA', 'RUS', 'UKR']);
  // UKR's log at USA: contents addressed to USA, stubs of the rest; USA receipts them.
  for (let i = 0; i < 5; i++) await p.UKR.ledger.append({ type: 'note', to: i % 2 ? ['USA'] : ['RUS'], body: { subject: `ukr ${i}`, text: '' } });
  const ukr = await p.UKR.ledger.range('UKR', 0, 100);
  await p.USA.ledger.accept(ukr.map((e) => (e.to!.includes('USA') ? e.envelope : { header: e.envelope.header, sig: e.envelope.sig })), { source: 'UKR', onGap: 'refuse', receipts: true });
  // RUS's log, all stubs at USA.
  for (let i = 0; i < 3; i++) await p.RUS.ledger.append({ type: 'note', to: ['UKR'], body: { subject: `rus ${i}`, text: '' } });
  await p.USA.ledger.accept((await p.RUS.ledger.range('RUS', 0, 100)).map((e) => ({ header: e.envelope.header, sig: e.envelope.sig })), { source: 'RUS', onGap: 'refuse', receipts: false });
  for (let i = 0; i < 6; i++) await p.USA.ledger.append({ type: 'note', to: i % 3 ? ['*'] : ['RUS'], body: { subject: `usa ${i}`, text: 't'.repeat(i) } });
  // UKR signs a second entry at seq 1: evidence at USA.
  const fork = forge({ key: p.UKR.folder.key, header: { author: 'UKR', seq: 1 }, content: note('the other first entry', ['USA']) });
  expect((await p.USA.ledger.accept([fork], { source: 'RUS', onGap: 'refuse', receipts: false })).equivocations).toHaveLength(1);
  await p.USA.ledger.saveMeta({ 'federation:delivered:RUS': JSON.stringify({ upto: 4, scanned: 3 }), 'federation:acked:RUS': '4' });
  for (const party of Object.values(p)) await party.ledger.close();
  usa = p.USA.folder.dir;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  tmp.remove();
});

describe('parley store copy', () => {
  it('copies SQLite → PostgreSQL → SQLite keeping entries, stubs, contents, roster, evidence and metadata; verify agrees', async () => {
    const source = await snapshot(databasePath(usa));
    expect(source.entries).toHaveLength(5 + 3 + 6 + 1);
    expect(source.equivocations).toHaveLength(1);
    expect(source.meta.map(([k]) => k)).toEqual(['federation:acked:RUS', 'federation:delivered:RUS', 'receipt-upto:UKR']);
    const before = await verifyJson(usa);
    // The one problem verify finds is the evidence itself; the copies must say exactly the same.
    expect(before).toEqual({ code: 1, entries: 15, problems: ['PARLEY_ERR_EQUIVOCATION UKR#1'] });

    // Out to PostgreSQL, switching a second folder of the node onto it.
    const pg = await server.fresh();
    const onPg = folderCopy('usa-pg');
    const out = await parleyAsync(['store', 'copy', '--from', usa, '--to', pg, '--json']);
    expect(out.code, out.stderr).toBe(0);
    const summary = out.json();
    expect(summary).toMatchObject({ entries: 15, authors: { RUS: 3, UKR: 5, USA: 7 }, equivocations: 1, meta: 3 });
    expect(summary.from).toBe(databasePath(usa));
    expect(await snapshot(pg)).toEqual(source);
    const config = JSON.parse(readFileSync(join(onPg, 'config.json'), 'utf8'));
    config.store = pg;
    writeFileSync(join(onPg, 'config.json'), JSON.stringify(config));
    expect(await verifyJson(onPg)).toEqual(before);

    // And back to a SQLite file, with --switch rewriting the folder's config.
    const back = folderCopy('usa-back');
    writeFileSync(join(back, 'config.json'), JSON.stringify(config));
    const home = await parleyAsync(['store', 'copy', '--from', back, '--to', databasePath(back), '--switch', '--json']);
    expect(home.code, home.stderr).toBe(0);
    expect(home.json()).toMatchObject({ entries: 15, equivocations: 1, switched: true });
    expect(JSON.parse(readFileSync(join(back, 'config.json'), 'utf8')).store).toBeUndefined();
    expect(await snapshot(databasePath(back))).toEqual(source);
    expect(await verifyJson(back)).toEqual(before);
  }, 120_000);

  it('refuses a non-empty target and changes nothing, in either dialect', async () => {
    const pg = await server.fresh();
    expect((await parleyAsync(['store', 'copy', '--from', usa, '--to', pg])).code).toBe(0);
    const held = await snapshot(pg);
    const again = await parleyAsync(['store', 'copy', '--from', usa, '--to', pg, '--json']);
    expect(again.code).toBe(2);
    expect(said(again)).toContain('PARLEY_ERR_NODE_DIR');
    expect(said(again)).toContain('not empty');
    expect(await snapshot(pg)).toEqual(held);

    const file = join(tmp.path, 'other.db');
    expect((await parleyAsync(['store', 'copy', '--from', usa, '--to', file])).code).toBe(0);
    const fileHeld = await snapshot(file);
    const twice = await parleyAsync(['store', 'copy', '--from', usa, '--to', file]);
    expect(twice.code).toBe(2);
    expect(said(twice)).toContain('PARLEY_ERR_NODE_DIR');
    expect(await snapshot(file)).toEqual(fileHeld);
  }, 120_000);

  it('refuses while the node runs on the source folder', async () => {
    writeRunInfo(usa, { pid: process.pid, party: 'USA', url: 'http://127.0.0.1:7399', port: 7399, startedAt: new Date().toISOString() });
    try {
      const file = join(tmp.path, 'while-running.db');
      const r = await parleyAsync(['store', 'copy', '--from', usa, '--to', file]);
      expect(r.code).toBe(2);
      expect(said(r)).toContain('PARLEY_ERR_NODE_DIR');
      expect(said(r)).toContain('stop it');
      expect(existsSync(file)).toBe(false);
    } finally {
      removeRunInfo(usa, process.pid);
    }
  });

  it('refuses a tampered source entry with its code before writing anything: no SQLite file, an empty database', async () => {
    const bad = folderCopy('usa-tampered');
    copyFileSync(databasePath(usa), databasePath(bad));
    const conn = new Database(databasePath(bad));
    const row = conn.prepare("SELECT content FROM entries WHERE author = 'USA' AND seq = 4").get() as { content: Buffer };
    const flipped = Buffer.from(row.content);
    flipped[flipped.length - 3] ^= 1;
    conn.prepare("UPDATE entries SET content = ? WHERE author = 'USA' AND seq = 4").run(flipped);
    conn.close();

    const file = join(tmp.path, 'from-tampered.db');
    const r = await parleyAsync(['store', 'copy', '--from', bad, '--to', file, '--json']);
    expect(r.code).not.toBe(0);
    expect(said(r)).toContain('PARLEY_ERR_CONTENT_HASH');
    expect(said(r)).toContain('USA#4');
    expect(existsSync(file)).toBe(false);

    const pg = await server.fresh();
    const r2 = await parleyAsync(['store', 'copy', '--from', bad, '--to', pg]);
    expect(said(r2)).toContain('PARLEY_ERR_CONTENT_HASH');
    expect(said(r2)).toContain('nothing was written');
    // The source is checked whole before anything is written: the database stays empty.
    const target = openStore(pg);
    try {
      expect(await target.count()).toBe(0);
      expect(await target.parties()).toEqual([]);
    } finally {
      await target.close();
    }
  }, 120_000);
});
