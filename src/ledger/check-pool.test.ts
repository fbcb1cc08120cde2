/**
 * `accept` checks the signatures of a large batch on worker threads: the outcome — what is stored,
 * and for a bad batch the refusal's code, message and detail — must be exactly the in-thread one.
 * The receiver with workers runs the built worker (dist), wrapped so the test sees it was used.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeParties, tempDir } from '../../test/support/nodes.js';
import { forge } from '../../test/support/forge.js';
import { loadNode, openLedger } from '../node/folder.js';
import { generateSigningKey } from '../protocol/signing.js';
import { decodeEnvelope, type Envelope } from '../protocol/entry.js';
import { ParleyError } from '../protocol/errors.js';
import { CheckPool } from './check-pool.js';
import type { Ledger } from './ledger.js';

const BUILT_WORKER = resolve(import.meta.dirname, '../../dist/src/ledger/check-worker.js');

let cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

function tempRoot(): string {
  const dir = tempDir();
  cleanup.push(() => dir.remove());
  return dir.path;
}

async function setup(entries: number, checkWorkersFrom?: number) {
  expect(existsSync(BUILT_WORKER), 'the built worker (the test setup runs tsc)').toBe(true);
  const dir = tempDir();
  const parties = await makeParties(dir.path, ['USA', 'RUS', 'UKR']);
  // RUS checks on two workers; the wrapper leaves a mark when a worker starts.
  const mark = join(dir.path, 'worker-started');
  const script = join(dir.path, 'check-worker.mjs');
  writeFileSync(script, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(mark)}, 'w');\nawait import(${JSON.stringify(pathToFileURL(BUILT_WORKER).href)});\n`);
  await parties.RUS.ledger.close();
  const pooled = await openLedger(loadNode(parties.RUS.folder.dir), { checkWorkers: 2, checkWorkerScript: script, checkWorkersFrom });
  const inline = parties.UKR.ledger;
  cleanup.push(async () => {
    await pooled.close();
    for (const p of [parties.USA, parties.UKR]) await p.ledger.close();
    dir.remove();
  });
  await Promise.all(Array.from({ length: entries }, (_, i) => parties.USA.ledger.append({ type: 'note', to: ['*'], body: { subject: `n${i}`, text: 'x' } })));
  const envelopes = (await parties.USA.ledger.range('USA', 0, entries)).map((e) => e.envelope);
  return { pooled, inline, envelopes, workerStarted: () => existsSync(mark), usaKey: parties.USA.ledger.publicKey };
}

async function refusal(ledger: Ledger, batch: Envelope[]): Promise<{ code: string; message: string; detail: unknown }> {
  try {
    await ledger.accept(batch, { source: 'import', onGap: 'refuse', receipts: false });
  } catch (e) {
    expect(e).toBeInstanceOf(ParleyError);
    const p = e as ParleyError;
    return { code: p.code, message: p.message, detail: p.detail };
  }
  throw new Error('the batch was accepted');
}

const flipSig = (e: Envelope): Envelope => {
  const sig = Buffer.from(e.sig, 'base64url');
  sig[10] ^= 1;
  return { ...e, sig: sig.toString('base64url') };
};

describe('accept with signature checks on worker threads', () => {
  it('stores exactly what the in-thread check stores (a batch of two slices, at the default threshold)', async () => {
    const { pooled, inline, envelopes, workerStarted } = await setup(1100);
    const a = await pooled.accept(envelopes, { source: 'USA', onGap: 'hold', receipts: false });
    const b = await inline.accept(envelopes, { source: 'USA', onGap: 'hold', receipts: false });
    expect(workerStarted()).toBe(true);
    expect(a.accepted).toHaveLength(1100);
    expect(a.accepted.map((e) => e.id)).toEqual(b.accepted.map((e) => e.id));
    expect({ ...a, accepted: a.accepted.length }).toEqual({ ...b, accepted: b.accepted.length });
    expect(await pooled.verify({ workers: 0 })).toMatchObject({ ok: true, entries: 1100 });
  });

  it('refuses a bad batch with the same first problem, code and detail as the in-thread check', async () => {
    // Every batch to the workers, however small.
    const { pooled, inline, envelopes, workerStarted } = await setup(260, 1);
    const stranger = generateSigningKey();
    const batches: [string, Envelope[]][] = [
      ['a flipped signature bit at 200', envelopes.map((e, i) => (i === 200 ? flipSig(e) : e))],
      ['the first entry', [flipSig(envelopes[0]), ...envelopes.slice(1)]],
      ['another key at 130', envelopes.map((e, i) => (i === 130 ? forge({ key: stranger, header: { author: 'USA', seq: 131 } }) : e))],
      ['an unknown author at 70', envelopes.map((e, i) => (i === 70 ? forge({ key: stranger, header: { author: 'GBR', seq: 1 } }) : e))],
      // A chain problem before a bad signature: the chain problem is the first problem.
      ['a gap at 100 before a bad signature at 250', envelopes.filter((_, i) => i !== 100).map((e, i) => (i === 249 ? flipSig(e) : e))],
    ];
    for (const [what, batch] of batches) {
      const a = await refusal(pooled, batch);
      const b = await refusal(inline, batch);
      expect(a, what).toEqual(b);
      expect(a.code, what).toMatch(/^PARLEY_ERR_/);
    }
    expect(workerStarted()).toBe(true);
    expect(await pooled.count()).toBe(0);
    // And the good batch still goes through afterwards.
    expect((await pooled.accept(envelopes, { source: 'import', onGap: 'refuse', receipts: false })).accepted).toHaveLength(260);
  });

  it('checks in this thread what a failed worker owed', async () => {
    const { envelopes, usaKey } = await setup(70);
    const broken = join(tempRoot(), 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('this worker fails as it starts');\n");
    const pool = new CheckPool(2, broken);
    cleanup.push(() => pool.close());
    const decoded = envelopes.map((e, i) => decodeEnvelope(i === 5 ? flipSig(e) : e)).map((d) => (d.ok ? d.value : undefined)!);
    const batch = pool.batch();
    batch.add(decoded, (author) => (author === 'USA' ? usaKey : undefined));
    await batch.verdicts.settle();
    const verdicts = decoded.map((e) => batch.verdicts.verdict(e, usaKey));
    expect(verdicts.filter((v) => v === true)).toHaveLength(69);
    expect(verdicts[5]).toBe(false);
    // A verdict is only given for the key it was checked against.
    expect(batch.verdicts.verdict(decoded[0], generateSigningKey().publicKeyB64)).toBeUndefined();
  });
});
