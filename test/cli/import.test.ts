/**
 * Properties of `parley import`: all or nothing. A file with any entry that breaks a rule —
 * a forged signature, a gap, a reordering, a changed byte — is refused with the code of the first
 * problem, naming its line, and the ledger is left exactly as it was; the same valid file imported
 * twice changes nothing the second time.
 *
 * The file is the one `parley export` wrote; the import runs in-process through the command's own
 * `importLines` (thousands of cases in seconds) against a fresh ledger per case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromB64url, toB64url } from '../../src/protocol/bytes.js';
import { decodeEnvelope } from '../../src/protocol/entry.js';
import { ParleyError } from '../../src/protocol/errors.js';
import { generateSigningKey, signHeader } from '../../src/protocol/signing.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { openStore } from '../../src/ledger/dialects.js';
import { catalogue } from '../../src/regimes/registry.js';
import type { PartyDescriptor } from '../../src/ledger/roster.js';
import type { SigningKey } from '../../src/protocol/signing.js';
import { importLines } from '../../src/cli/commands/transfer.js';
import { allEntries, makeParties, tempDir } from '../support/nodes.js';
import { parley } from '../support/cli.js';

interface Envelope {
  header: string;
  sig: string;
  content?: string;
}

const tmp = tempDir('parley-import-');
let lines: string[];
let authors: string[];
let descriptors: PartyDescriptor[];
let rusKey: SigningKey;
const attacker = generateSigningKey();

beforeAll(async () => {
  // The file: USA's export, holding UKR's log (stubs and contents) and USA's own.
  const p = await makeParties(tmp.path, ['USA', 'RUS', 'UKR']);
  for (let i = 0; i < 4; i++) await p.UKR.ledger.append({ type: 'note', to: i % 2 ? ['USA'] : ['RUS'], body: { subject: `ukr ${i}`, text: '' } });
  await p.USA.ledger.accept(
    (await p.UKR.ledger.range('UKR', 0, 100)).map((e) => (e.to!.includes('USA') ? e.envelope : { header: e.envelope.header, sig: e.envelope.sig })),
    { source: 'UKR', onGap: 'refuse', receipts: false },
  );
  for (let i = 0; i < 6; i++) await p.USA.ledger.append({ type: 'note', to: i % 3 ? ['*'] : ['RUS'], body: { subject: `usa ${i}`, text: 't'.repeat(i) } });
  descriptors = [p.USA.folder.descriptor, p.RUS.folder.descriptor, p.UKR.folder.descriptor];
  rusKey = p.RUS.folder.key;
  for (const party of Object.values(p)) await party.ledger.close();
  const out = join(tmp.path, 'usa.jsonl');
  expect(parley(['export', '--dir', p.USA.folder.dir, '--out', out]).code).toBe(0);
  lines = readFileSync(out, 'utf8').trimEnd().split('\n');
  authors = lines.map((l) => decodeEnvelope(JSON.parse(l)).ok && (decodeEnvelope(JSON.parse(l)) as { value: { header: { author: string } } }).value.header.author) as string[];
  expect(authors).toEqual(['UKR', 'UKR', 'UKR', 'UKR', 'USA', 'USA', 'USA', 'USA', 'USA', 'USA']);
});

afterAll(() => tmp.remove());

/** RUS's ledger on a fresh in-memory store, with the three parties pinned and the first `held` lines imported. */
async function target(held: number): Promise<Ledger> {
  const ledger = await Ledger.open({ store: openStore(':memory:'), party: 'RUS', key: rusKey, catalogue: catalogue() });
  for (const d of descriptors) await ledger.roster.add(d, '2026-01-01T00:00:00.000Z');
  if (held > 0) await importLines(ledger, lines.slice(0, held).join('\n'), 'prefix');
  return ledger;
}

async function snapshot(ledger: Ledger) {
  return { count: await ledger.count(), heads: ledger.heads(), equivocations: (await ledger.equivocations()).length };
}

const flipBit = (bytes: Buffer, bit: number) => {
  const b = Buffer.from(bytes);
  b[(bit >> 3) % b.length] ^= 1 << (bit & 7);
  return b;
};

/** What the protocol says is wrong with one envelope on its own: the expected first problem. */
function problemOf(line: string, known: Set<string>): string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return 'PARLEY_ERR_MALFORMED_JSON';
  }
  const d = decodeEnvelope(raw);
  if (!d.ok) return d.error.code;
  if (!known.has(d.value.header.author)) return 'PARLEY_ERR_UNKNOWN_AUTHOR';
  return 'PARLEY_ERR_BAD_SIGNATURE';
}

type Mutation = { file: string[]; line: number; code: string; what: string };

/** Mutations of the valid file, each with the 1-based line and code of its first problem. */
function mutation(held: number): fc.Arbitrary<Mutation> {
  const known = new Set(descriptors.map((d) => d.party));
  const anyLine = fc.integer({ min: 0, max: lines.length - 1 });
  // A line i ≥ held whose next line is the same author's next entry.
  const chainedLines = lines.flatMap((_, i) => (i >= held && i + 1 < lines.length && authors[i] === authors[i + 1] ? [i] : []));
  const edit = (i: number, change: (e: Envelope) => void) => {
    const e = JSON.parse(lines[i]) as Envelope;
    change(e);
    const file = [...lines];
    file[i] = JSON.stringify(e);
    return file;
  };
  const reordered: fc.Arbitrary<Mutation>[] = chainedLines.length === 0 ? [] : [
    fc.constantFrom(...chainedLines).map((i) => {
      const file = lines.filter((_, j) => j !== i);
      return { file, line: i + 1, code: 'PARLEY_ERR_CHAIN_GAP', what: `line ${i + 1} removed` };
    }),
    fc.constantFrom(...chainedLines).map((i) => {
      const file = [...lines];
      [file[i], file[i + 1]] = [file[i + 1], file[i]];
      return { file, line: i + 1, code: 'PARLEY_ERR_CHAIN_GAP', what: `lines ${i + 1} and ${i + 2} swapped` };
    }),
  ];
  return fc.oneof(
    ...reordered,
    anyLine.chain((i) =>
      fc.nat().map((bit) => {
        const file = edit(i, (e) => (e.sig = toB64url(flipBit(fromB64url(e.sig)!, bit))));
        return { file, line: i + 1, code: 'PARLEY_ERR_BAD_SIGNATURE', what: `sig bit ${bit} of line ${i + 1}` };
      }),
    ),
    anyLine.map((i) => {
      // Forged: the same header signed with a key that is not the author's.
      const file = edit(i, (e) => (e.sig = toB64url(signHeader(fromB64url(e.header)!, attacker))));
      return { file, line: i + 1, code: 'PARLEY_ERR_BAD_SIGNATURE', what: `forged signature on line ${i + 1}` };
    }),
    fc.tuple(anyLine, fc.nat()).map(([i, bit]) => {
      const file = edit(i, (e) => (e.header = toB64url(flipBit(fromB64url(e.header)!, bit))));
      return { file, line: i + 1, code: problemOf(file[i], known), what: `header bit ${bit} of line ${i + 1}` };
    }),
    fc.tuple(fc.constantFrom(...lines.flatMap((l, i) => (JSON.parse(l).content ? [i] : []))), fc.nat()).map(([i, bit]) => {
      const file = edit(i, (e) => (e.content = toB64url(flipBit(fromB64url(e.content)!, bit))));
      return { file, line: i + 1, code: 'PARLEY_ERR_CONTENT_HASH', what: `content bit ${bit} of line ${i + 1}` };
    }),
    // A changed byte anywhere in a line of the file, printable for printable.
    fc.tuple(anyLine, fc.nat(), fc.integer({ min: 0x20, max: 0x7e })).map(([i, pos, ch]) => {
      const at = pos % lines[i].length;
      const replacement = String.fromCharCode(ch === lines[i].charCodeAt(at) ? (ch === 0x7e ? 0x20 : ch + 1) : ch);
      const file = [...lines];
      file[i] = lines[i].slice(0, at) + replacement + lines[i].slice(at + 1);
      return { file, line: i + 1, code: problemOf(file[i], known), what: `byte ${at} of line ${i + 1} changed to ${JSON.stringify(replacement)}` };
    }),
  );
}

const held = fc.integer({ min: 0, max: 9 });

describe('import is all or nothing', () => {
  it('refuses any file with a broken entry, with the first problem\'s code and line, leaving the ledger unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        held.chain((k) => fc.tuple(fc.constant(k), mutation(k))),
        async ([k, m]) => {
          const ledger = await target(k);
          try {
            const before = await snapshot(ledger);
            let refused: unknown;
            try {
              await importLines(ledger, m.file.join('\n') + '\n', 'mutated');
            } catch (e) {
              refused = e;
            }
            expect(refused, m.what).toBeInstanceOf(ParleyError);
            const err = refused as ParleyError;
            expect({ what: m.what, code: err.code, line: err.detail?.line }).toEqual({ what: m.what, code: m.code, line: m.line });
            expect(err.message).toContain('nothing was stored');
            expect(await snapshot(ledger)).toEqual(before);
            // The intact file still imports afterwards: the refusal left no half-state behind.
            expect(await importLines(ledger, lines.join('\n'), 'valid')).toMatchObject({ accepted: lines.length - k, duplicates: k });
          } finally {
            await ledger.close();
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('imports a valid file once; the same file again changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(held, async (k) => {
        const ledger = await target(k);
        try {
          const first = await importLines(ledger, lines.join('\n') + '\n', 'valid');
          expect(first).toEqual({ file: 'valid', entries: lines.length, accepted: lines.length - k, duplicates: k, equivocations: [] });
          const after = await snapshot(ledger);
          const rowsAfter = await allEntries(ledger);
          const second = await importLines(ledger, lines.join('\n') + '\n', 'valid');
          expect(second).toEqual({ file: 'valid', entries: lines.length, accepted: 0, duplicates: lines.length, equivocations: [] });
          expect(await snapshot(ledger)).toEqual(after);
          expect(await allEntries(ledger)).toEqual(rowsAfter);
          expect(after.heads).toMatchObject({ UKR: { seq: 4 }, USA: { seq: 6 } });
        } finally {
          await ledger.close();
        }
      }),
      { numRuns: 10 },
    );
  });
});
