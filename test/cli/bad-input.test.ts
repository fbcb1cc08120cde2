/**
 * Bad input, each refused with its stable code and nothing stored — through `ledger.accept` (as a
 * peer's push reaches it) and through `parley import` (exit 2, the code in the JSON error).
 * Content limit: MAX_CONTENT_BYTES = 256 KiB of canonical content bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonical, fromB64url, toB64url } from '../../src/protocol/bytes.js';
import { entryId, MAX_CONTENT_BYTES, formatTime, type Envelope } from '../../src/protocol/entry.js';
import { leafHash } from '../../src/protocol/merkle.js';
import { generateSigningKey, type SigningKey } from '../../src/protocol/signing.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { makeParties, tempDir, type TestParty } from '../support/nodes.js';
import { forge, note, type ForgeInput } from '../support/forge.js';
import { parley } from '../support/cli.js';

const tmp = tempDir('parley-bad-');
let usaKey: SigningKey;
let rus: TestParty;
let first: Envelope;
/** What a correct USA#2 needs: prev and root after USA#1. */
let prev: string;
let root: string;

beforeAll(async () => {
  const p = await makeParties(tmp.path, ['USA', 'RUS']);
  usaKey = p.USA.folder.key;
  const e = await p.USA.ledger.append({ type: 'note', to: ['RUS'], body: { subject: 'first', text: '' } });
  first = e.envelope;
  await p.USA.ledger.close();
  rus = p.RUS;
  await rus.ledger.accept([first], { source: 'USA', onGap: 'refuse', receipts: false });
  const h1 = fromB64url(first.header)!;
  prev = entryId(h1);
  root = leafHash(h1).toString('hex');
});

afterAll(async () => {
  await rus.ledger.close();
  tmp.remove();
});

/** USA#2, correct unless told otherwise, signed with USA's key. */
const usa2 = ({ header, ...rest }: Partial<ForgeInput> = {}) => forge({ key: usaKey, ...rest, header: { author: 'USA', seq: 2, prev, root, ...header } });

/** Content of exactly `size` canonical bytes: a note whose text fills the rest. */
function contentOfSize(size: number): Buffer {
  const base = canonical(note(''));
  const c = note('');
  (c.body as { text: string }).text = 'x'.repeat(size - base.length);
  const bytes = canonical(c);
  expect(bytes.length).toBe(size);
  return bytes;
}

const headerJson = (h: object) => JSON.stringify(h);

const cases: { name: string; code: string; line?: string; envelope?: () => Envelope }[] = [
  { name: 'malformed JSON (a line of the file)', code: 'PARLEY_ERR_MALFORMED_JSON', line: '{"header":"eyJ2IjoxfQ","sig":' },
  { name: 'malformed JSON (signed header bytes)', code: 'PARLEY_ERR_MALFORMED_JSON', envelope: () => usa2({ headerBytes: (h) => Buffer.from(headerJson(h).slice(0, -1)) }) },
  { name: 'malformed JSON (content bytes, hash matching)', code: 'PARLEY_ERR_MALFORMED_JSON', envelope: () => usa2({ content: Buffer.from('{"type":"note",') }) },
  { name: 'non-canonical header (key order and spacing)', code: 'PARLEY_ERR_NOT_CANONICAL', envelope: () => usa2({ headerBytes: (h) => Buffer.from(JSON.stringify(h, null, 1)) }) },
  { name: 'non-canonical content (hash matching)', code: 'PARLEY_ERR_NOT_CANONICAL', envelope: () => usa2({ content: Buffer.from(JSON.stringify({ type: 'note', to: ['*'], refs: [], body: { subject: 's', text: '' }, salt: note('').salt })) }) },
  { name: 'wrong signature (another key)', code: 'PARLEY_ERR_BAD_SIGNATURE', envelope: () => forge({ key: generateSigningKey(), header: { author: 'USA', seq: 2, prev, root } }) },
  { name: 'unknown author', code: 'PARLEY_ERR_UNKNOWN_AUTHOR', envelope: () => forge({ key: generateSigningKey(), header: { author: 'CHN', seq: 1 } }) },
  { name: 'seq gap', code: 'PARLEY_ERR_CHAIN_GAP', envelope: () => usa2({ header: { author: 'USA', seq: 3 } }) },
  { name: 'wrong prev', code: 'PARLEY_ERR_BAD_PREV', envelope: () => usa2({ header: { author: 'USA', seq: 2, prev: 'ab'.repeat(32) } }) },
  { name: 'wrong root', code: 'PARLEY_ERR_BAD_ROOT', envelope: () => usa2({ header: { author: 'USA', seq: 2, root: 'cd'.repeat(32) } }) },
  { name: 'future time (6 minutes ahead)', code: 'PARLEY_ERR_FUTURE_TIME', envelope: () => usa2({ header: { author: 'USA', seq: 2, time: formatTime(Date.now() + 6 * 60_000) } }) },
  { name: `oversized content (${MAX_CONTENT_BYTES + 1} bytes, limit ${MAX_CONTENT_BYTES})`, code: 'PARLEY_ERR_CONTENT_TOO_LARGE', envelope: () => usa2({ content: contentOfSize(MAX_CONTENT_BYTES + 1) }) },
  { name: 'unknown content type', code: 'PARLEY_ERR_UNKNOWN_TYPE', envelope: () => usa2({ content: { type: 'nope' } }) },
  { name: 'body failing its schema', code: 'PARLEY_ERR_SCHEMA', envelope: () => usa2({ content: { body: { subject: 's' } } }) },
  { name: 'content not matching header.content', code: 'PARLEY_ERR_CONTENT_HASH', envelope: () => ({ ...usa2(), content: toB64url(canonical(note('other'))) }) },
];

async function snapshot(ledger: Ledger) {
  return { count: await ledger.count(), heads: ledger.heads(), equivocations: (await ledger.equivocations()).length };
}

describe('bad input is refused with its code and nothing is stored', () => {
  it.each(cases.filter((c) => c.envelope))('ledger.accept: $name → $code', async ({ code, envelope }) => {
    const before = await snapshot(rus.ledger);
    // A valid duplicate first: the refusal must undo nothing and store nothing, whatever precedes it.
    await expect(rus.ledger.accept([first, envelope!()], { source: 'test', onGap: 'refuse', receipts: true })).rejects.toThrow(expect.objectContaining({ code }));
    expect(await snapshot(rus.ledger)).toEqual(before);
  });

  it('a gap pushed by a peer (onGap hold) is not refused but waits: nothing stored, the gap reported', async () => {
    const before = await snapshot(rus.ledger);
    const report = await rus.ledger.accept([usa2({ header: { author: 'USA', seq: 3 } })], { source: 'test', onGap: 'hold', receipts: false });
    expect(report).toMatchObject({ accepted: [], held: 1, gaps: [{ author: 'USA', have: 1, saw: 3 }] });
    expect(await snapshot(rus.ledger)).toEqual(before);
  });

  it.each(cases)('parley import: $name → $code, exit 2', async ({ name, code, line, envelope }) => {
    const before = await snapshot(rus.ledger);
    const file = join(tmp.path, name.replace(/\W+/g, '-') + '.jsonl');
    writeFileSync(file, JSON.stringify(first) + '\n' + (line ?? JSON.stringify(envelope!())) + '\n');
    const r = parley(['import', '--dir', rus.folder.dir, '--file', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.json().error).toMatchObject({ code, detail: { line: 2 } });
    expect(await snapshot(rus.ledger)).toEqual(before);
    expect(parley(['log', '--dir', rus.folder.dir, '--json']).json()).toHaveLength(before.count);
  });

  it('the limits are exact: content of exactly 256 KiB is not too large, a time 4 minutes ahead is accepted', async () => {
    // 256 KiB passes the size rule and fails only the note schema (text ≤ 100,000 characters).
    await expect(rus.ledger.accept([usa2({ content: contentOfSize(MAX_CONTENT_BYTES) })], { source: 'test', onGap: 'refuse', receipts: false })).rejects.toThrow(
      expect.objectContaining({ code: 'PARLEY_ERR_SCHEMA' }),
    );
    const soon = usa2({ header: { author: 'USA', seq: 2, time: formatTime(Date.now() + 4 * 60_000) } });
    const report = await rus.ledger.accept([soon], { source: 'test', onGap: 'refuse', receipts: false });
    expect(report.accepted.map((e) => e.seq)).toEqual([2]);
  });
});
