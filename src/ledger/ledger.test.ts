import { afterEach, describe, expect, it } from 'vitest';
import { checkProof } from '../protocol/proof.js';
import { catalogue } from '../regimes/registry.js';
import { makeParties, tempDir } from '../../test/support/nodes.js';
import type { Ledger } from './ledger.js';
import { forge, note } from '../../test/support/forge.js';
import { openNodeStore } from '../node/folder.js';

let cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function setup(codes = ['USA', 'RUS', 'UKR']) {
  const dir = tempDir();
  const parties = await makeParties(dir.path, codes);
  cleanup.push(async () => {
    for (const p of Object.values(parties)) await p.ledger.close();
    dir.remove();
  });
  return parties;
}

const envelopes = async (l: Ledger, author: string, addressee: string) =>
  (await l.range(author, 0, 1000)).map((e) => (e.to && (e.to.includes(addressee) || e.to[0] === '*') ? e.envelope : { header: e.envelope.header, sig: e.envelope.sig }));

describe('ledger', () => {
  it('appends, chains and groups concurrent appends into contiguous seqs', async () => {
    const { USA } = await setup();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: `n${i}`, text: 'x' } })),
    );
    expect(results.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const report = await USA.ledger.verify({ workers: 0 });
    expect(report).toEqual({ ok: true, entries: 50, problems: [] });
  });

  it('delivers content to addressees and stubs to others, with a receipt per batch', async () => {
    const { USA, RUS, UKR } = await setup();
    await USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 'hello', text: 'to Russia only' } });
    await USA.ledger.append({ type: 'note', to: ['*'], body: { subject: 'all', text: 'to everyone' } });
    const toRus = await RUS.ledger.accept(await envelopes(USA.ledger, 'USA', 'RUS'), { source: 'USA', onGap: 'hold', receipts: true });
    expect(toRus.accepted.map((e) => e.seq)).toEqual([1, 2]);
    expect(toRus.receipts).toHaveLength(1);
    expect(toRus.receipts[0].body).toEqual({ of: 'USA', upto: 2, head: USA.ledger.head('USA')!.id });
    const toUkr = await UKR.ledger.accept(await envelopes(USA.ledger, 'USA', 'UKR'), { source: 'USA', onGap: 'hold', receipts: true });
    expect(toUkr.accepted[0].body).toBeUndefined();
    expect(toUkr.accepted[1].body).toEqual({ subject: 'all', text: 'to everyone' });
    expect(toUkr.receipts).toHaveLength(1);
    // Same batch again: nothing new, no second receipt.
    const again = await RUS.ledger.accept(await envelopes(USA.ledger, 'USA', 'RUS'), { source: 'USA', onGap: 'hold', receipts: true });
    expect(again).toMatchObject({ accepted: [], duplicates: 2, receipts: [] });
    // The receipt goes back to the author, which accepts it without receipting a receipt.
    const back = await USA.ledger.accept([toRus.receipts[0].envelope], { source: 'RUS', onGap: 'hold', receipts: true });
    expect(back.accepted).toHaveLength(1);
    expect(back.receipts).toHaveLength(0);
  });

  it('holds out-of-order entries until the gap is filled', async () => {
    const { USA, RUS } = await setup();
    for (let i = 0; i < 3; i++) await USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: `n${i}`, text: '' } });
    const env = await envelopes(USA.ledger, 'USA', 'RUS');
    const first = await RUS.ledger.accept([env[2]], { source: 'USA', onGap: 'hold', receipts: false });
    expect(first.gaps).toEqual([{ author: 'USA', have: 0, saw: 3 }]);
    expect(RUS.ledger.head('USA')).toBeUndefined();
    const second = await RUS.ledger.accept([env[0], env[1]], { source: 'USA', onGap: 'hold', receipts: false });
    expect(second.accepted.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('writes no receipt for a batch whose only new entry waits for a gap', async () => {
    const { USA, RUS } = await setup();
    for (let i = 0; i < 3; i++) await USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: `n${i}`, text: '' } });
    const env = await envelopes(USA.ledger, 'USA', 'RUS');
    await RUS.ledger.accept([env[0]], { source: 'import', onGap: 'refuse', receipts: false });
    const r = await RUS.ledger.accept([env[2]], { source: 'USA', onGap: 'hold', receipts: true });
    expect(r).toMatchObject({ accepted: [], held: 1, receipts: [] });
    const filled = await RUS.ledger.accept([env[1]], { source: 'USA', onGap: 'hold', receipts: true });
    expect(filled.accepted.map((e) => e.seq)).toEqual([2, 3]);
    expect(filled.receipts[0].body).toMatchObject({ of: 'USA', upto: 3 });
  });

  it('refuses an entry dated before the one it follows (no back-dating)', async () => {
    let now = Date.parse('2022-02-11T10:00:00.000Z');
    const dir = tempDir();
    cleanup.push(dir.remove);
    const p = await makeParties(dir.path, ['USA', 'RUS'], () => now);
    const first = await p.USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 'first', text: '' } });
    await p.RUS.ledger.accept([first.envelope], { source: 'USA', onGap: 'refuse', receipts: false });
    const { Frontier } = await import('../protocol/merkle.js');
    const f = new Frontier();
    f.append(Buffer.from(first.envelope.header, 'base64url'));
    const backdated = forge({
      key: p.USA.folder.key,
      header: { author: 'USA', seq: 2, prev: first.id, root: f.root().toString('hex'), time: '2022-02-11T09:00:00.000Z' },
      content: note('backdated', ['RUS']),
    });
    await expect(p.RUS.ledger.accept([backdated], { source: 'USA', onGap: 'refuse', receipts: false })).rejects.toThrow(
      expect.objectContaining({ code: 'PARLEY_ERR_TIME_ORDER' }),
    );
    expect(p.RUS.ledger.head('USA')?.seq).toBe(1);
    // This node's own log never goes back in time, even if its clock does.
    now -= 3_600_000;
    const second = await p.USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 'second', text: '' } });
    expect(second.time).toBe('2022-02-11T10:00:00.000Z');
    await p.USA.ledger.close();
    await p.RUS.ledger.close();
  });

  it('tells its readers when content arrives for an entry held as a stub', async () => {
    const { USA, RUS } = await setup();
    const e = await USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 'late content', text: '' } });
    await RUS.ledger.accept([{ header: e.envelope.header, sig: e.envelope.sig }], { source: 'UKR', onGap: 'hold', receipts: false });
    expect((await RUS.ledger.get(e.id))?.body).toBeUndefined();
    const seen: (Record<string, unknown> | undefined)[] = [];
    RUS.ledger.onCommit((entries) => entries.forEach((x) => seen.push(x.body)));
    const r = await RUS.ledger.accept([e.envelope], { source: 'USA', onGap: 'hold', receipts: false });
    expect(r.duplicates).toBe(1);
    expect((await RUS.ledger.get(e.id))?.body).toEqual({ subject: 'late content', text: '' });
    expect(seen).toEqual([{ subject: 'late content', text: '' }]);
  });

  it('keeps equivocation as evidence', async () => {
    const dir = tempDir();
    cleanup.push(dir.remove);
    const a = await makeParties(dir.path + '/a', ['USA', 'RUS']);
    // A second ledger for USA with the same key: two different entries at seq 1.
    const { openLedger } = await import('../node/folder.js');
    const { openStore } = await import('./dialects.js');
    const { Ledger } = await import('./ledger.js');
    const twin = await Ledger.open({ store: openStore(':memory:'), party: 'USA', key: a.USA.folder.key, catalogue: catalogue() });
    for (const p of a.USA.ledger.roster.list()) await twin.roster.add(p, p.addedAt);
    await a.USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 'one', text: '' } });
    await twin.append({ type: 'note', to: ['RUS'], body: { subject: 'other', text: '' } });
    await a.RUS.ledger.accept(await envelopes(a.USA.ledger, 'USA', 'RUS'), { source: 'USA', onGap: 'hold', receipts: false });
    const r = await a.RUS.ledger.accept(await envelopes(twin, 'USA', 'RUS'), { source: 'UKR', onGap: 'hold', receipts: false });
    expect(r.equivocations).toHaveLength(1);
    const report = await a.RUS.ledger.verify({ workers: 0 });
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ author: 'USA', seq: 1, code: 'PARLEY_ERR_EQUIVOCATION' });
    await twin.close();
    await a.USA.ledger.close();
    await a.RUS.ledger.close();
    void openLedger;
  });

  it('writes no receipt for a batch whose only entry addressed to it is a second entry at a seq already held', async () => {
    const dir = tempDir();
    cleanup.push(dir.remove);
    const a = await makeParties(dir.path, ['USA', 'RUS']);
    const first = await a.USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 'one', text: '' } });
    await a.RUS.ledger.accept([first.envelope], { source: 'import', onGap: 'refuse', receipts: false });
    const fork = forge({ key: a.USA.folder.key, header: { author: 'USA', seq: 1, time: first.time }, content: note('other', ['RUS']) });
    const r = await a.RUS.ledger.accept([fork], { source: 'UKR', onGap: 'hold', receipts: true });
    expect(r.equivocations).toHaveLength(1);
    expect(r.receipts).toEqual([]);
    await a.USA.ledger.close();
    await a.RUS.ledger.close();
  });

  it('proves an entry with a bundle that checks offline', async () => {
    const { USA, RUS } = await setup();
    const e = await USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 's', text: 't' } });
    await expect(USA.ledger.prove(e.id)).rejects.toThrow(/latest entry/);
    for (let i = 0; i < 6; i++) await USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: `n${i}`, text: '' } });
    const bundle = await USA.ledger.prove(e.id);
    const checked = checkProof(JSON.parse(JSON.stringify(bundle)));
    expect(checked.ok && checked.value).toMatchObject({ author: 'USA', seq: 1, id: e.id, type: 'note', checkpointSeq: 7 });
    const tampered = JSON.parse(JSON.stringify(bundle));
    tampered.inclusion[0] = tampered.inclusion[0].replace(/^./, (c: string) => (c === '0' ? '1' : '0'));
    expect(checkProof(tampered).ok).toBe(false);
    await RUS.ledger.close();
  });

  it('refuses content arriving for a held stub when it breaks its type\'s schema, and keeps the stub', async () => {
    const { USA, RUS } = await setup();
    const bad = forge({ key: USA.folder.key, header: { author: 'USA', seq: 1 }, content: { ...note('x', ['RUS']), body: { subject: 1 } } });
    await RUS.ledger.accept([{ header: bad.header, sig: bad.sig }], { source: 'UKR', onGap: 'refuse', receipts: false });
    expect((await RUS.ledger.bySeq('USA', 1))?.body).toBeUndefined();
    await expect(RUS.ledger.accept([bad], { source: 'USA', onGap: 'hold', receipts: true })).rejects.toThrow(expect.objectContaining({ code: 'PARLEY_ERR_SCHEMA' }));
    // The stored row, read from the database by a second reader: still a stub.
    const store = openNodeStore(RUS.folder, { readonly: true });
    try {
      expect((await store.entryBySeq('USA', 1))?.content).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('refuses bad appends with codes', async () => {
    const { USA } = await setup();
    await expect(USA.ledger.append({ type: 'nope', to: ['RUS'], body: {} })).rejects.toMatchObject({ code: 'PARLEY_ERR_UNKNOWN_TYPE' });
    await expect(USA.ledger.append({ type: 'note', to: ['XYZ'], body: { subject: 'a', text: 'b' } })).rejects.toMatchObject({ code: 'PARLEY_ERR_UNKNOWN_ADDRESSEE' });
    await expect(USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 1 } as never })).rejects.toMatchObject({ code: 'PARLEY_ERR_SCHEMA' });
    await expect(USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 'a', text: 'x'.repeat(300_000) } })).rejects.toMatchObject({ code: 'PARLEY_ERR_SCHEMA' });
    expect(await USA.ledger.count()).toBe(0);
  });
});
