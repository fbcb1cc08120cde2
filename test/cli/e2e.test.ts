/**
 * `parley` end to end, through the built binary: two nodes meet through their descriptors,
 * one speaks, the other imports its export, and a proof of what was said checks offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parley } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';

const tmp = tempDir('parley-cli-');
const usa = join(tmp.path, 'usa');
const rus = join(tmp.path, 'rus');
const file = (name: string) => join(tmp.path, name);

afterAll(() => tmp.remove());

interface LogEntry {
  id: string;
  author: string;
  seq: number;
  time: string;
  type?: string;
  to?: string[];
  refs?: string[];
  body?: Record<string, unknown>;
}

describe('parley, end to end', () => {
  const sent: { id: string; seq: number }[] = [];

  beforeAll(() => {
    const a = parley(['init', '--dir', usa, '--party', 'USA', '--url', 'http://127.0.0.1:7401', '--name', 'United States']);
    expect(a.code, a.stderr).toBe(0);
    writeFileSync(file('usa.json'), a.stdout);
    const r = parley(['init', '--dir', rus, '--party', 'RUS', '--url', 'http://127.0.0.1:7402/', '--json']);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(file('rus.json'), r.stdout);
  });

  it('init prints the party descriptor and keeps the key private (mode 0600)', () => {
    const usaDescriptor = JSON.parse(readFileSync(file('usa.json'), 'utf8'));
    expect(usaDescriptor).toEqual({ party: 'USA', name: 'United States', url: 'http://127.0.0.1:7401', publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    const rusDescriptor = JSON.parse(readFileSync(file('rus.json'), 'utf8'));
    expect(rusDescriptor).toMatchObject({ party: 'RUS', name: 'RUS', url: 'http://127.0.0.1:7402' });
    for (const dir of [usa, rus]) {
      expect(statSync(join(dir, 'key.pem')).mode & 0o777).toBe(0o600);
      expect(existsSync(join(dir, 'config.json'))).toBe(true);
      expect(existsSync(join(dir, 'parley.db'))).toBe(true);
    }
  });

  it('init refuses a bad party code with exit 2 and creates nothing', () => {
    const bad = join(tmp.path, 'bad');
    const r = parley(['init', '--dir', bad, '--party', 'usa', '--url', 'http://127.0.0.1:7409', '--json']);
    expect(r.code).toBe(2);
    expect(r.json().error.code).toBe('PARLEY_ERR_BAD_ARGUMENT');
    expect(existsSync(bad)).toBe(false);
    const human = parley(['init', '--dir', bad, '--party', 'U', '--url', 'http://127.0.0.1:7409']);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^error PARLEY_ERR_BAD_ARGUMENT: /);
    // A folder that already holds a node is never overwritten.
    const again = parley(['init', '--dir', usa, '--party', 'USA', '--url', 'http://127.0.0.1:7401', '--json']);
    expect(again.code).toBe(2);
    expect(again.json().error.code).toBe('PARLEY_ERR_NODE_DIR');
  });

  it('roster add pins descriptors from a file and from stdin', () => {
    const fromFile = parley(['roster', 'add', '--dir', usa, '--file', file('rus.json'), '--json']);
    expect(fromFile.code, fromFile.stdout).toBe(0);
    expect(fromFile.json()).toEqual({ party: 'RUS', status: 'added' });
    const fromStdin = parley(['roster', 'add', '--dir', rus, '--file', '-', '--json'], { input: readFileSync(file('usa.json')) });
    expect(fromStdin.code, fromStdin.stdout).toBe(0);
    expect(fromStdin.json()).toEqual({ party: 'USA', status: 'added' });
    // The same descriptor again changes nothing.
    expect(parley(['roster', 'add', '--dir', usa, '--file', file('rus.json'), '--json']).json()).toEqual({ party: 'RUS', status: 'unchanged' });
    for (const dir of [usa, rus]) {
      const list = parley(['roster', 'list', '--dir', dir, '--json']);
      expect(list.code).toBe(0);
      expect(list.json().map((p: { party: string }) => p.party)).toEqual(['RUS', 'USA']);
    }
    expect(parley(['roster', 'list', '--dir', usa]).stdout).toMatch(/^RUS\s+RUS\s+http:\/\/127\.0\.0\.1:7402\s+\S{43}\nUSA\s+United States\s+/);
  });

  it('roster add refuses another key for a pinned party', () => {
    const impostor = join(tmp.path, 'impostor');
    const r = parley(['init', '--dir', impostor, '--party', 'RUS', '--url', 'http://127.0.0.1:7403', '--json']);
    const add = parley(['roster', 'add', '--dir', usa, '--file', '-', '--json'], { input: r.stdout });
    expect(add.code).toBe(2);
    expect(add.json().error.code).toBe('PARLEY_ERR_ROSTER_CONFLICT');
  });

  it('send appends signed entries and prints {"id","seq"}', () => {
    const one = parley(['send', '--dir', usa, '--type', 'note', '--to', 'RUS', '--body', '{"subject":"Exercise notice","text":"A 9,000-troop exercise begins on 1 March."}', '--json']);
    expect(one.code, one.stdout + one.stderr).toBe(0);
    expect(one.json()).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), seq: 1 });
    sent.push(one.json());
    writeFileSync(file('body.json'), JSON.stringify({ subject: 'To all', text: 'Broadcast.' }));
    const two = parley(['send', '--dir', usa, '--type', 'note', '--to', '*', '--body', '@' + file('body.json'), '--refs', sent[0].id, '--json']);
    expect(two.code, two.stdout).toBe(0);
    sent.push(two.json());
    const three = parley(['send', '--dir', usa, '--type', 'note', '--to', 'RUS,USA', '--body', '{"subject":"Third","text":""}']);
    expect(three.code).toBe(0);
    expect(three.stdout).toMatch(/^sent USA#3 [0-9a-f]{64}\n$/);
    sent.push({ id: three.stdout.trim().split(' ')[2], seq: 3 });
    expect(sent.map((s) => s.seq)).toEqual([1, 2, 3]);
  });

  it('send refuses bad input with its code, exit 2, and stores nothing', () => {
    const cases: [string[], string][] = [
      [['--type', 'note', '--to', 'CHN', '--body', '{"subject":"s","text":"t"}'], 'PARLEY_ERR_UNKNOWN_ADDRESSEE'],
      [['--type', 'nope', '--to', 'RUS', '--body', '{}'], 'PARLEY_ERR_UNKNOWN_TYPE'],
      [['--type', 'note', '--to', 'RUS', '--body', '{"subject":'], 'PARLEY_ERR_MALFORMED_JSON'],
      [['--type', 'note', '--to', 'RUS', '--body', '{"subject":"s"}'], 'PARLEY_ERR_SCHEMA'],
      [['--type', 'note', '--to', 'RUS', '--body', '{"subject":"s","text":"t"}', '--refs', 'f'.repeat(64)], 'PARLEY_ERR_NOT_FOUND'],
      [['--type', 'note', '--to', 'RUS', '--body', '@' + file('missing.json')], 'PARLEY_ERR_BAD_ARGUMENT'],
      [['--type', 'note', '--body', '{}'], 'PARLEY_ERR_BAD_ARGUMENT'],
    ];
    for (const [args, code] of cases) {
      const r = parley(['send', '--dir', usa, ...args, '--json']);
      expect({ args, exit: r.code, code: r.json().error.code }).toEqual({ args, exit: 2, code });
    }
    expect(parley(['log', '--dir', usa, '--json']).json()).toHaveLength(3);
  });

  it('log lists entries with their content', () => {
    const r = parley(['log', '--dir', usa, '--json']);
    expect(r.code).toBe(0);
    const log: LogEntry[] = r.json();
    expect(log.map((e) => [e.author, e.seq, e.id])).toEqual(sent.map((s) => ['USA', s.seq, s.id]));
    expect(log[0]).toEqual({
      id: sent[0].id, author: 'USA', seq: 1, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      type: 'note', to: ['RUS'], refs: [], body: { subject: 'Exercise notice', text: 'A 9,000-troop exercise begins on 1 March.' },
    });
    expect(log[1]).toMatchObject({ to: ['*'], refs: [sent[0].id], body: { subject: 'To all' } });
    expect(parley(['log', '--dir', usa, '--author', 'RUS', '--json']).json()).toEqual([]);
    const human = parley(['log', '--dir', usa]);
    expect(human.stdout).toContain(`USA#1  `);
    expect(human.stdout).toContain('note → RUS');
  });

  it('export writes JSON Lines envelopes; import into the other node is all-or-nothing and idempotent', () => {
    const ex = parley(['export', '--dir', usa, '--out', file('usa.jsonl'), '--json']);
    expect(ex.code, ex.stdout).toBe(0);
    expect(ex.json()).toEqual({ out: file('usa.jsonl'), entries: 3, authors: { USA: 3 } });
    const lines = readFileSync(file('usa.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(Object.keys(l)).toEqual(['header', 'sig', 'content']);
    // Export to stdout is the same bytes.
    expect(parley(['export', '--dir', usa, '--out', '-']).stdout).toBe(readFileSync(file('usa.jsonl'), 'utf8'));

    const im = parley(['import', '--dir', rus, '--file', file('usa.jsonl'), '--json']);
    expect(im.code, im.stdout).toBe(0);
    expect(im.json()).toEqual({ file: file('usa.jsonl'), entries: 3, accepted: 3, duplicates: 0, equivocations: [] });
    const again = parley(['import', '--dir', rus, '--file', file('usa.jsonl'), '--json']);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });

    const log: LogEntry[] = parley(['log', '--dir', rus, '--author', 'USA', '--json']).json();
    expect(log.map((e) => e.id)).toEqual(sent.map((s) => s.id));
    expect(log[2].body).toEqual({ subject: 'Third', text: '' });
  });

  it('import refuses a file with one forged entry and stores none of it', () => {
    const before = parley(['log', '--dir', rus, '--json']).json();
    // USA#4..#6, with #5's signature forged: #4 is valid but must not be stored either.
    for (let i = 0; i < 3; i++) parley(['send', '--dir', usa, '--type', 'note', '--to', 'RUS', '--body', `{"subject":"more ${i}","text":""}`]);
    const lines = parley(['export', '--dir', usa, '--out', '-']).stdout.trimEnd().split('\n');
    const forged = JSON.parse(lines[4]);
    forged.sig = (forged.sig[0] === 'A' ? 'B' : 'A') + forged.sig.slice(1);
    lines[4] = JSON.stringify(forged);
    writeFileSync(file('forged.jsonl'), lines.join('\n') + '\n');
    const r = parley(['import', '--dir', rus, '--file', file('forged.jsonl'), '--json']);
    expect(r.code).toBe(2);
    expect(r.json().error).toMatchObject({ code: 'PARLEY_ERR_BAD_SIGNATURE', detail: { line: 5, author: 'USA', seq: 5 } });
    expect(parley(['log', '--dir', rus, '--json']).json()).toEqual(before);
    const human = parley(['import', '--dir', rus, '--file', file('forged.jsonl')]);
    expect(human.stderr).toMatch(/^error PARLEY_ERR_BAD_SIGNATURE: import refused at line 5, nothing was stored/);
  });

  it('prove writes a bundle that check-proof accepts offline (exit 0) and refuses once tampered (exit 1)', () => {
    const pr = parley(['prove', '--dir', usa, '--id', sent[0].id, '--out', file('proof.json'), '--json']);
    expect(pr.code, pr.stdout).toBe(0);
    expect(pr.json()).toMatchObject({ author: 'USA', seq: 1, id: sent[0].id });
    const ok = parley(['check-proof', file('proof.json'), '--json']);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, author: 'USA', seq: 1, id: sent[0].id, type: 'note' });
    // Against the key RUS pinned for USA.
    expect(parley(['check-proof', file('proof.json'), '--dir', rus, '--json']).json()).toMatchObject({ ok: true, pinned: true });
    expect(parley(['check-proof', file('proof.json')]).stdout).toMatch(/^valid: USA#1 /);

    const bundle = JSON.parse(readFileSync(file('proof.json'), 'utf8'));
    const tampered: [string, (b: any) => void, string][] = [
      ['inclusion', (b) => (b.inclusion[0] = b.inclusion[0].replace(/^./, (c: string) => (c === '0' ? '1' : '0'))), 'PARLEY_ERR_BAD_PROOF'],
      ['content', (b) => (b.entry.content = Buffer.from(Buffer.from(b.entry.content, 'base64url').toString().replace('9,000', '8,000')).toString('base64url')), 'PARLEY_ERR_CONTENT_HASH'],
      // The checkpoint's signature is what binds the bundle to the author (its root covers the entry's header).
      ['signature', (b) => (b.checkpoint.sig = (b.checkpoint.sig[0] === 'A' ? 'B' : 'A') + b.checkpoint.sig.slice(1)), 'PARLEY_ERR_BAD_SIGNATURE'],
      ['key', (b) => (b.publicKey = JSON.parse(readFileSync(file('rus.json'), 'utf8')).publicKey), 'PARLEY_ERR_BAD_SIGNATURE'],
      ['leafIndex', (b) => (b.leafIndex = 1), 'PARLEY_ERR_BAD_PROOF'],
    ];
    for (const [what, change, code] of tampered) {
      const b = structuredClone(bundle);
      change(b);
      writeFileSync(file(`tampered-${what}.json`), JSON.stringify(b));
      const r = parley(['check-proof', file(`tampered-${what}.json`), '--json']);
      expect({ what, exit: r.code, out: r.json() }).toMatchObject({ what, exit: 1, out: { ok: false, error: { code } } });
    }
    writeFileSync(file('not-json.json'), '{"v":1,');
    expect(parley(['check-proof', file('not-json.json')]).code).toBe(1);
    const human = parley(['check-proof', file('tampered-inclusion.json')]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/^error PARLEY_ERR_BAD_PROOF: /);
    // The latest entry has no later header to cover it yet.
    const latest = parley(['log', '--dir', usa, '--json']).json().at(-1).id;
    const early = parley(['prove', '--dir', usa, '--id', latest, '--out', file('early.json'), '--json']);
    expect(early.code).toBe(2);
    expect(early.json().error.code).toBe('PARLEY_ERR_NO_CHECKPOINT');
    expect(existsSync(file('early.json'))).toBe(false);
    // A missing file is bad input (2), not a failed check.
    expect(parley(['check-proof', file('absent.json'), '--json']).code).toBe(2);
  });

  it('verify reports ok with the entry count, and prints nothing on stderr off a terminal', () => {
    for (const [dir, entries] of [[usa, 6], [rus, 3]] as const) {
      const r = parley(['verify', '--dir', dir, '--json']);
      expect(r.code).toBe(0);
      expect(r.json()).toEqual({ ok: true, entries, problems: [] });
      expect(r.stderr).toBe('');
    }
    expect(parley(['verify', '--dir', usa]).stdout).toMatch(/^ok: 6 entries verified/);
  });

  it('usage errors exit 2 with PARLEY_ERR_BAD_ARGUMENT', () => {
    for (const args of [['verify'], ['bogus'], ['log', '--dir', usa, '--bogus'], ['log', '--dir', usa, '--author', 'usa'], ['verify', '--dir', join(tmp.path, 'nowhere')]]) {
      const r = parley([...args, '--json']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.json().error.code).toMatch(/^PARLEY_ERR_(BAD_ARGUMENT|NODE_DIR)$/);
    }
    expect(parley([]).code).toBe(2);
    expect(parley(['roster']).code).toBe(2);
    expect(parley(['--help']).code).toBe(0);
    expect(parley(['help', 'send']).code).toBe(0);
    expect(parley(['send', '--help']).stdout).toContain('--body <json>');
    expect(parley(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
