/**
 * The named acceptance checks: a refusal at accept, a problem of verify and a refusal of
 * `findings --file` name the check that failed, from the one list in checks.ts.
 */
import { describe, expect, it } from 'vitest';
import { Ledger } from './ledger.js';
import { openStore } from './dialects.js';
import { ACCEPTANCE_CHECKS, CHAIN_CHECKS, firstProblem, problems } from './checks.js';
import { catalogue } from '../regimes/registry.js';
import { generateSigningKey } from '../protocol/signing.js';
import { decodeEnvelope, type DecodedEntry } from '../protocol/entry.js';
import { EMPTY_TREE_ROOT, ZERO_HASH } from '../protocol/bytes.js';
import { leafHash } from '../protocol/merkle.js';
import { forge, note } from '../../test/support/forge.js';

const usa = generateSigningKey();
const rus = generateSigningKey();
const decoded = (raw: unknown): DecodedEntry => {
  const d = decodeEnvelope(raw);
  if (!d.ok) throw d.error;
  return d.value;
};
const first = { seq: 0, id: ZERO_HASH, time: '', root: () => EMPTY_TREE_ROOT };

async function receiver(): Promise<Ledger> {
  const l = await Ledger.open({ store: openStore(':memory:'), party: 'RUS', key: rus, catalogue: catalogue() });
  for (const [party, key] of [['USA', usa], ['RUS', rus]] as const) await l.roster.add({ party, name: party, url: 'http://127.0.0.1:9', publicKey: key.publicKeyB64 }, '2022-01-01T00:00:00.000Z');
  return l;
}

describe('named acceptance checks', () => {
  it('are one ordered list: who may speak, then where the entry goes', () => {
    expect(ACCEPTANCE_CHECKS.map((c) => c.name)).toEqual([
      'knownAuthor', 'signatureVerifies', 'seqFollows', 'prevLinks', 'rootCoversEarlierHeaders', 'timeNotAhead', 'timeNotBackwards', 'contentHashesToHeader', 'contentFitsSchema',
    ]);
  });

  it('each refusal at accept names its check in detail.check, and nothing is stored', async () => {
    const l = await receiver();
    try {
      // USA#1 is held; every case below offers a USA#2 (or a USA#1 it must refuse).
      const one = forge({ key: usa, header: { author: 'USA', seq: 1, time: '2022-01-01T00:00:00.000Z' } });
      await l.accept([one], { source: 'USA', onGap: 'refuse', receipts: false });
      const id1 = decoded(one).id;
      const root1 = leafHash(decoded(one).headerBytes).toString('hex');
      const two = (header: Record<string, unknown>, content?: Parameters<typeof forge>[0]['content'], key = usa) =>
        forge({ key, header: { author: 'USA', seq: 2, prev: id1, root: root1, time: '2022-01-02T00:00:00.000Z', ...header }, content });
      const cases: [string, unknown][] = [
        ['prevLinks', two({ prev: 'a'.repeat(64) })],
        ['rootCoversEarlierHeaders', two({ root: 'b'.repeat(64) })],
        ['timeNotAhead', two({ time: '2999-01-01T00:00:00.000Z' })],
        ['timeNotBackwards', two({ time: '2021-12-31T00:00:00.000Z' })],
        ['signatureVerifies', two({}, undefined, rus)],
        ['contentFitsSchema', two({}, { ...note('x'), body: { subject: '' } })],
        ['seqFollows', two({ seq: 3 })],
      ];
      for (const [check, envelope] of cases) {
        await expect(l.accept([envelope], { source: 'USA', onGap: 'refuse', receipts: true }), check).rejects.toMatchObject({ detail: expect.objectContaining({ check }) });
      }
      expect(await l.count()).toBe(1);
      // The well-formed USA#2 goes through.
      expect((await l.accept([two({})], { source: 'USA', onGap: 'refuse', receipts: false })).accepted).toHaveLength(1);
    } finally {
      await l.close();
    }
  });

  it('report every failing check in order for verify, and only the first for accept', () => {
    const one = decoded(forge({ key: usa, header: { author: 'USA', seq: 1, time: '2022-01-01T00:00:00.000Z' } }));
    const tip = { seq: 1, id: one.id, time: one.header.time, root: () => leafHash(one.headerBytes).toString('hex') };
    const e = decoded(forge({ key: usa, header: { author: 'USA', seq: 2, prev: 'a'.repeat(64), root: 'b'.repeat(64), time: '2022-01-02T00:00:00.000Z' } }));
    expect(problems(CHAIN_CHECKS, e, tip, { catalogue: catalogue() }).map((p) => p.check)).toEqual(['prevLinks', 'rootCoversEarlierHeaders']);
    expect(firstProblem(CHAIN_CHECKS, e, tip, { catalogue: catalogue() })?.check).toBe('prevLinks');
    expect(problems(CHAIN_CHECKS, one, first, { catalogue: catalogue() })).toEqual([]);
    // Content that is not the header's: the hash check names it.
    const other = { ...one, contentBytes: Buffer.from('{}') };
    expect(problems(CHAIN_CHECKS, other, first, {}).map((p) => p.check)).toEqual(['contentHashesToHeader']);
  });
});
