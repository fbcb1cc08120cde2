/**
 * The ledger's one serial writer under load: thousands of appends and accepts of batches that
 * cause receipts, in random interleavings, plus a second writer on the same database (as a second
 * process would be). This party's own log never forks — one entry per seq, each linking to the one
 * before, every header's root over the headers before it — and every acknowledged append is there.
 * Run for each dialect by its test file, with how to make a fresh store location.
 *
 * @example
 *   serialWriter({ name: 'sqlite', fresh: async () => join(tmp, `${n++}.db`) }, [1, 2]);
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/regimes/registry.js';
import { Ledger, type LedgerEntry } from '../../src/ledger/ledger.js';
import { openStore } from '../../src/ledger/dialects.js';
import { generateSigningKey } from '../../src/protocol/signing.js';
import { prng } from '../../bench/stats.js';

const parties = ['USA', 'RUS', 'UKR', 'BLR'].map((code) => ({ code, key: generateSigningKey() }));

async function open(location: string, code: string): Promise<Ledger> {
  const self = parties.find((p) => p.code === code)!;
  const ledger = await Ledger.open({ store: openStore(location), party: code, key: self.key, catalogue: catalogue() });
  for (const p of parties) await ledger.roster.add({ party: p.code, name: p.code, url: `http://127.0.0.1:9/${p.code}`, publicKey: p.key.publicKeyB64 }, '2022-01-01T00:00:00.000Z');
  return ledger;
}

export interface SerialWriterDialect {
  name: string;
  /** The location of a new, empty store. */
  fresh(): Promise<string>;
  /**
   * How many receipts the run must at least have written (default 50). Slower commits hold more
   * of the racing batches back until their predecessors arrive, and a held run is receipted once.
   */
  minReceipts?: number;
}

export function serialWriter(d: SerialWriterDialect, seeds: readonly number[]): void {
  describe(`the serial writer: ${d.name}`, () => {
    for (const seed of seeds) {
      it(`never forks this party's log under random interleavings of appends, receipt-causing accepts and a second writer (seed ${seed})`, async () => {
        const random = prng(seed);
        const location = await d.fresh();
        const usa = await open(location, 'USA');
        const second = await open(location, 'USA'); // another process on the same database
        const peers = await Promise.all(['RUS', 'UKR', 'BLR'].map(async (p) => open(await d.fresh(), p)));
        try {
          // What the peers will deliver to USA: entries addressed to USA, each batch causing a receipt.
          const outbound = new Map<string, LedgerEntry[]>();
          for (const peer of peers) {
            const list = await Promise.all(Array.from({ length: 300 }, (_, i) => peer.append({ type: 'note', to: ['USA'], body: { subject: `${peer.party} ${i}`, text: '' } })));
            outbound.set(peer.party, list);
          }
          const acknowledged = new Map<number, string>();
          const ack = (e: LedgerEntry) => {
            expect(acknowledged.has(e.seq), `seq ${e.seq} acknowledged twice`).toBe(false);
            acknowledged.set(e.seq, e.id);
          };
          const work: Promise<unknown>[] = [];
          const cursor = new Map([...outbound.keys()].map((p) => [p, 0]));
          let appends = 0;
          let bySecond = 0;
          let receipts = 0;
          for (let step = 0; step < 1200; step++) {
            const r = random();
            if (r < 0.55) {
              // A burst of operator appends, some on each writer.
              const n = 1 + Math.floor(random() * 6);
              for (let i = 0; i < n; i++) {
                const writer = random() < 0.8 ? usa : second;
                appends++;
                work.push(
                  writer.append({ type: 'note', to: ['RUS'], body: { subject: `step ${step}.${i}`, text: '' } }).then((e) => {
                    if (writer === second) bySecond++;
                    ack(e);
                  }),
                );
              }
            } else {
              // A peer's next batch (entries in order; batches may race each other and be held).
              const peer = [...outbound.keys()][Math.floor(random() * outbound.size)];
              const from = cursor.get(peer)!;
              const list = outbound.get(peer)!;
              if (from >= list.length) continue;
              const size = 1 + Math.floor(random() * 8);
              cursor.set(peer, from + size);
              const batch = list.slice(from, from + size).map((e) => e.envelope);
              const receiver = random() < 0.8 ? usa : second;
              work.push(
                receiver.accept(batch, { source: peer, onGap: 'hold', receipts: true }).then((report) => {
                  receipts += report.receipts.length;
                  for (const e of report.receipts) ack(e);
                }),
              );
            }
            // Let some of it run before the next step, at random.
            if (random() < 0.3) await new Promise((res) => setImmediate(res));
          }
          await Promise.all(work);
          // Whatever the interleaving left held back, deliver in order now.
          for (const [peer, list] of outbound) {
            const report = await usa.accept(list.map((e) => e.envelope), { source: peer, onGap: 'hold', receipts: true });
            receipts += report.receipts.length;
            for (const e of report.receipts) ack(e);
          }
          expect(appends).toBeGreaterThan(1000);
          expect(receipts).toBeGreaterThan(d.minReceipts ?? 50);
          // Both writers appended: each had to re-chain on heads the other moved (the compare-and-set).
          expect(bySecond).toBeGreaterThan(100);

          await second.close();
          // USA's own log: one chain, 1..n, every acknowledged entry in its place, nothing else.
          const own: LedgerEntry[] = [];
          for (let after = 0; ; ) {
            const page = await usa.range('USA', after, 1000);
            if (page.length === 0) break;
            own.push(...page);
            after = page[page.length - 1].seq;
          }
          expect(own.map((e) => e.seq)).toEqual(Array.from({ length: own.length }, (_, i) => i + 1));
          expect(own.length).toBe(acknowledged.size);
          for (const e of own) expect(acknowledged.get(e.seq), `USA#${e.seq}`).toBe(e.id);
          // Every peer's log complete and receipted up to its head.
          for (const [peer, list] of outbound) expect(usa.head(peer)?.seq).toBe(list.length);
          // Signatures, prev links, Merkle roots and time order, re-checked from the stored bytes.
          const report = await usa.verify({ workers: 0 });
          expect(report.problems).toEqual([]);
        } finally {
          await Promise.all([usa.close(), second.close(), ...peers.map((p) => p.close())]);
        }
      }, 120_000);
    }
  });
}
