/**
 * The store conformance suite: what every dialect of the store port (src/ledger/store.ts) must do,
 * tested through the port alone and through a ledger on top of it. A dialect's test file calls
 * {@link storeConformance} with how to make a fresh store; nothing here knows which database it is.
 *
 * @example
 *   storeConformance({ name: 'sqlite', fresh: async () => join(tmp, `${n++}.db`), open: (at) => openStore(at) });
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/regimes/registry.js';
import { Ledger } from '../../src/ledger/ledger.js';
import type { EntryRow, Store } from '../../src/ledger/store.js';
import { sha256hex } from '../../src/protocol/bytes.js';
import { checkProof } from '../../src/protocol/proof.js';
import { generateSigningKey, type SigningKey } from '../../src/protocol/signing.js';
import { openStore } from '../../src/ledger/dialects.js';
import { runAndKill } from '../support/kill.js';

export interface Dialect {
  name: string;
  /** The location of a new, empty store (a file path, a database URL). */
  fresh(): Promise<string>;
  /** Opens the store at a location (the same call a node makes). */
  open(location: string): Store;
}

const commitLoop = join(dirname(fileURLToPath(import.meta.url)), 'commit-loop.js');

/** A row as a store keeps it; the store does not check signatures, so the bytes only need to be distinct. */
export function fakeRow(author: string, seq: number, content: string | null = 'x'): EntryRow {
  const header = Buffer.from(JSON.stringify({ author, seq, n: Math.random() }));
  return { author, seq, id: sha256hex(header), time: new Date(Date.UTC(2022, 0, 1, 0, 0, seq)).toISOString(), header, sig: Buffer.alloc(64, seq % 256), content: content === null ? null : Buffer.from(content), type: content === null ? null : 'note' };
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

interface Party {
  code: string;
  key: SigningKey;
}

async function ledgerOn(store: Store, self: Party, all: Party[]): Promise<Ledger> {
  const ledger = await Ledger.open({ store, party: self.code, key: self.key, catalogue: catalogue() });
  for (const p of all) await ledger.roster.add({ party: p.code, name: p.code, url: `http://127.0.0.1:9/${p.code}`, publicKey: p.key.publicKeyB64 }, '2022-01-01T00:00:00.000Z');
  return ledger;
}

const note = (subject: string) => ({ subject, text: '' });

export function storeConformance(d: Dialect): void {
  describe(`store conformance: ${d.name}`, () => {
    it('commits entries in one transaction and reads them back every way, with positions from the commit', async () => {
      const store = d.open(await d.fresh());
      try {
        const a = [fakeRow('USA', 1), fakeRow('USA', 2), fakeRow('USA', 3, null)];
        const r1 = await store.commit({ expect: [{ author: 'USA', seq: 0 }], entries: a });
        expect(r1.positions).toHaveLength(3);
        expect([...r1.positions].sort((x, y) => x - y)).toEqual(r1.positions);
        const b = [fakeRow('RUS', 1)];
        const r2 = await store.commit({ expect: [{ author: 'RUS', seq: 0 }], entries: b });
        expect(r2.positions[0]).toBeGreaterThan(r1.positions[2]);

        expect(await store.count()).toBe(4);
        expect((await store.entryById(a[1].id))?.seq).toBe(2);
        expect((await store.entryById(a[1].id))?.pos).toBe(r1.positions[1]);
        expect((await store.entryBySeq('USA', 3))?.content).toBeNull();
        expect((await store.entryBySeq('USA', 1))?.header.equals(a[0].header)).toBe(true);
        expect(await store.entryById('f'.repeat(64))).toBeUndefined();
        expect(await store.entryById('not an id')).toBeUndefined();
        expect((await store.range('USA', 1, 10)).map((e) => e.seq)).toEqual([2, 3]);
        expect((await store.since(r1.positions[0], 10)).map((e) => e.id)).toEqual([a[1].id, a[2].id, b[0].id]);
        expect((await store.heads()).map((h) => [h.author, h.seq, h.id])).toEqual([['RUS', 1, b[0].id], ['USA', 3, a[2].id]]);
        expect((await collect(store.scan())).map((e) => `${e.author}#${e.seq}`)).toEqual(['RUS#1', 'USA#1', 'USA#2', 'USA#3']);
        expect((await collect(store.scanChain())).map((e) => `${e.author}#${e.seq}`)).toEqual(['RUS#1', 'USA#1', 'USA#2', 'USA#3']);
        // Level-0 nodes are the stored headers' leaf hashes.
        expect((await store.readNode('USA', 0, 1))?.length).toBe(32);
        expect(await store.readNode('USA', 0, 9)).toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it('scans a log larger than one page in (author, seq) order while other statements run between pages', async () => {
      const store = d.open(await d.fresh());
      try {
        const rows = Array.from({ length: 2500 }, (_, i) => fakeRow('UKR', i + 1, null));
        await store.commit({ entries: rows });
        let seen = 0;
        let last = 0;
        for await (const page of store.scan()) {
          for (const r of page) {
            expect(r.seq).toBe(last + 1);
            last = r.seq;
            seen++;
          }
          // A write between pages must neither fail nor disturb the scan.
          await store.setMeta('scan-page', String(seen));
        }
        expect(seen).toBe(2500);
        expect(await store.getMeta('scan-page')).toBe('2500');
      } finally {
        await store.close();
      }
    });

    it('refuses a commit decided on a stale head, and writes none of it', async () => {
      const store = d.open(await d.fresh());
      try {
        await store.commit({ expect: [{ author: 'USA', seq: 0 }], entries: [fakeRow('USA', 1)], meta: [['k', 'first']] });
        // A second writer decided its commit on the empty log too.
        const stale = store.commit({ expect: [{ author: 'USA', seq: 0 }, { author: 'RUS', seq: 0 }], entries: [fakeRow('RUS', 1), fakeRow('USA', 1)], meta: [['k', 'second']] });
        await expect(stale).rejects.toMatchObject({ code: 'PARLEY_ERR_STALE_HEAD' });
        expect(await store.count()).toBe(1);
        expect(await store.getMeta('k')).toBe('first');
        expect((await store.heads()).map((h) => h.author)).toEqual(['USA']);
        // Decided on the live head, the same commit goes through.
        await store.commit({ expect: [{ author: 'USA', seq: 1 }, { author: 'RUS', seq: 0 }], entries: [fakeRow('RUS', 1), fakeRow('USA', 2)], meta: [['k', 'second']] });
        expect(await store.count()).toBe(3);
        expect(await store.getMeta('k')).toBe('second');
      } finally {
        await store.close();
      }
    });

    it('keeps metadata, the roster, Merkle nodes, attached contents and equivocation evidence', async () => {
      const store = d.open(await d.fresh());
      try {
        expect(await store.getMeta('missing')).toBeUndefined();
        await store.setMeta('a', '1');
        await store.setMeta('a', '2');
        expect(await store.getMeta('a')).toBe('2');
        await store.setMeta('B', '3');
        expect(await store.metaEntries()).toEqual([['B', '3'], ['a', '2']]);
        await store.putParty({ party: 'RUS', name: 'Russia', url: 'http://127.0.0.1:1', publicKey: 'k1', addedAt: '2022-01-01T00:00:00.000Z' });
        await store.putParty({ party: 'RUS', name: 'Russian Federation', url: 'http://127.0.0.1:2', publicKey: 'k1', addedAt: '2023-01-01T00:00:00.000Z' });
        expect(await store.parties()).toEqual([{ party: 'RUS', name: 'Russian Federation', url: 'http://127.0.0.1:2', publicKey: 'k1', addedAt: '2022-01-01T00:00:00.000Z' }]);
        const stub = fakeRow('USA', 1, null);
        await store.commit({ entries: [stub], nodes: [{ author: 'USA', nodes: [{ level: 1, index: 0, hash: Buffer.alloc(32, 7) }] }] });
        expect(await store.readNode('USA', 1, 0)).toEqual(Buffer.alloc(32, 7));
        await store.commit({ attach: [{ id: stub.id, content: Buffer.from('late'), type: 'note' }] });
        expect((await store.entryById(stub.id))?.content?.toString()).toBe('late');
        // Content once attached is never replaced.
        await store.commit({ attach: [{ id: stub.id, content: Buffer.from('other'), type: 'note' }] });
        expect((await store.entryById(stub.id))?.content?.toString()).toBe('late');
        const evidence = { author: 'USA', seq: 1, heldId: stub.id, otherId: 'b'.repeat(64), otherHeader: Buffer.from('h'), otherSig: Buffer.alloc(64), seenAt: '2022-01-02T00:00:00.000Z', source: 'RUS' };
        expect((await store.commit({ equivocations: [evidence] })).newEquivocations).toBe(1);
        expect((await store.commit({ equivocations: [evidence] })).newEquivocations).toBe(0);
        expect((await store.equivocations()).map((e) => e.otherId)).toEqual(['b'.repeat(64)]);
      } finally {
        await store.close();
      }
    });

    it('under a ledger: accepts with receipts (once), keeps equivocation evidence, proves entries at depth', async () => {
      const usa = { code: 'USA', key: generateSigningKey() };
      const rus = { code: 'RUS', key: generateSigningKey() };
      const parties = [usa, rus];
      const sender = await ledgerOn(d.open(await d.fresh()), usa, parties);
      const twin = await ledgerOn(d.open(await d.fresh()), usa, parties); // USA's key, used twice: a fork
      const receiver = await ledgerOn(d.open(await d.fresh()), rus, parties);
      try {
        const sent = [];
        for (let i = 0; i < 3; i++) sent.push(await sender.append({ type: 'note', to: ['RUS'], body: note(`n${i}`) }));
        const r = await receiver.accept(sent.map((e) => e.envelope), { source: 'USA', onGap: 'hold', receipts: true });
        expect(r.accepted.map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(r.receipts).toHaveLength(1);
        expect(r.receipts[0].body).toEqual({ of: 'USA', upto: 3, head: sent[2].id });
        expect(r.receipts[0].pos).toBeGreaterThan(r.accepted[2].pos!);
        // The same batch again: nothing new, no second receipt.
        const again = await receiver.accept(sent.map((e) => e.envelope), { source: 'USA', onGap: 'hold', receipts: true });
        expect(again).toMatchObject({ accepted: [], duplicates: 3, receipts: [] });

        const fork = await twin.append({ type: 'note', to: ['RUS'], body: note('fork') });
        const f = await receiver.accept([fork.envelope], { source: 'RUS-peer', onGap: 'hold', receipts: true });
        expect(f.equivocations).toEqual([{ author: 'USA', seq: 1, heldId: sent[0].id, otherId: fork.id }]);
        expect(f.receipts).toEqual([]);
        expect((await receiver.equivocations()).map((e) => e.otherId)).toEqual([fork.id]);

        // Proofs at depth: 1,100 entries (group commits), proofs for entries spread over the log.
        const more = await Promise.all(Array.from({ length: 1100 }, (_, i) => sender.append({ type: 'note', to: ['*'], body: note(`deep ${i}`) })));
        for (const target of [sent[0], more[0], more[511], more[1023], more[1098]]) {
          const bundle = await sender.prove(target.id);
          const check = checkProof(JSON.parse(JSON.stringify(bundle)));
          expect(check.ok, JSON.stringify(check)).toBe(true);
          if (check.ok) expect(check.value.seq).toBe(target.seq);
        }
        await expect(sender.prove(more[1099].id)).rejects.toMatchObject({ code: 'PARLEY_ERR_NO_CHECKPOINT' });
        expect((await sender.verify({ workers: 0 })).ok).toBe(true);
      } finally {
        await Promise.all([sender.close(), twin.close(), receiver.close()]);
      }
    }, 60_000);

    it('a process killed between two commits leaves every acknowledged commit whole and no commit half-written', async () => {
      const location = await d.fresh();
      await d.open(location).close();
      const acknowledged: number[] = [];
      for (let round = 0; round < 3; round++) {
        const printed = await killMidway(location, 80 + Math.floor(Math.random() * 250));
        acknowledged.push(...printed);
        const store = d.open(location);
        try {
          const head = (await store.heads()).find((h) => h.author === 'USA')?.seq ?? 0;
          // Every commit writes two entries and its number: a half commit would leave an odd head.
          expect(head % 2).toBe(0);
          expect(Number((await store.getMeta('commits')) ?? 0)).toBe(head / 2);
          for (const k of acknowledged) expect((await store.entryBySeq('USA', 2 * k))?.seq, `commit ${k}`).toBe(2 * k);
          expect((await collect(store.scan())).map((e) => e.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
        } finally {
          await store.close();
        }
      }
      expect(acknowledged.length).toBeGreaterThan(0);
    }, 60_000);
  });
}

/** Runs the commit loop on `location`, SIGKILLs it `afterMs` after its first acknowledged commit, returns the commits it acknowledged. */
async function killMidway(location: string, afterMs: number): Promise<number[]> {
  const { lines, signal, stderr } = await runAndKill(commitLoop, [location], /^\d+$/m, afterMs);
  if (signal !== 'SIGKILL') throw new Error(`the commit loop ended by itself: ${lines.join('\n')}\n${stderr}`);
  return lines.map(Number);
}

export { openStore };
