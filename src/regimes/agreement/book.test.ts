/**
 * When an agreement is in force: once every named party has endorsed that very proposal, from its
 * effective time; a later adopted one supersedes it; and the hotline's deadlines follow, for the
 * agreement's parties only, the same incrementally as in a full evaluation.
 */
import { describe, expect, it } from 'vitest';
import { Evaluation, holdEntry } from '../engine.js';
import { RecordBuilder } from '../../../test/support/record.js';
import { catalogue, defaultRegistry } from '../registry.js';
import type { RecordEntry } from '../types.js';
import { AgreementBook } from './book.js';

const T0 = Date.parse('2022-02-14T10:00:00.000Z');
const MIN = 60_000;
const iso = (t: number) => new Date(t).toISOString();

function propose(r: RecordBuilder, author: string, t: number, parties: string[], hotline: object, effective: number): RecordEntry {
  return r.add(author, t, 'agreement.proposal', { title: 'Hotline terms', parties, terms: { hotline }, effective: iso(effective) });
}

function endorse(r: RecordBuilder, author: string, t: number, p: RecordEntry, restate: Partial<Record<string, unknown>> = {}): RecordEntry {
  const b = p.body as Record<string, unknown>;
  return r.add(author, t, 'agreement.endorsement', { proposal: p.id, parties: b.parties, terms: b.terms, effective: b.effective, ...restate }, { refs: [p.id] });
}

const bookOf = (entries: RecordEntry[]) => {
  const book = new AgreementBook();
  for (const e of entries) book.add(holdEntry(e));
  return book;
};

describe('in force', () => {
  it('not while a named party has not endorsed; from the last endorsement once all have', () => {
    const r = new RecordBuilder();
    const p = propose(r, 'USA', T0, ['USA', 'RUS', 'UKR'], { ackSeconds: { flash: 120 } }, T0);
    endorse(r, 'RUS', T0 + MIN, p);
    expect(bookOf(r.entries).binding('hotline', ['USA', 'RUS'], T0 + 60 * MIN)).toBeUndefined();
    endorse(r, 'UKR', T0 + 2 * MIN, p);
    const a = bookOf(r.entries).binding('hotline', ['USA', 'RUS'], T0 + 60 * MIN)!;
    expect(a.proposal.id).toBe(p.id);
    expect([a.adoptedAt, a.inForce]).toEqual([T0 + 2 * MIN, T0 + 2 * MIN]);
    expect(bookOf(r.entries).binding('hotline', ['USA', 'RUS'], T0 + 2 * MIN - 1)).toBeUndefined();
  });

  it('not before its effective time, even when every party has endorsed', () => {
    const r = new RecordBuilder();
    const p = propose(r, 'USA', T0, ['USA', 'RUS'], { ackSeconds: { flash: 120 } }, T0 + 60 * MIN);
    endorse(r, 'RUS', T0 + MIN, p);
    const book = bookOf(r.entries);
    expect(book.binding('hotline', ['USA', 'RUS'], T0 + 60 * MIN - 1)).toBeUndefined();
    expect(book.binding('hotline', ['USA', 'RUS'], T0 + 60 * MIN)?.inForce).toBe(T0 + 60 * MIN);
  });

  it('an endorsement of an altered proposal, or by a party it does not name, does not count', () => {
    const r = new RecordBuilder();
    const p = propose(r, 'USA', T0, ['USA', 'RUS'], { ackSeconds: { flash: 120 } }, T0);
    endorse(r, 'RUS', T0 + MIN, p, { terms: { hotline: { ackSeconds: { flash: 600 } } } });
    endorse(r, 'UKR', T0 + MIN, p);
    expect(bookOf(r.entries).binding('hotline', ['USA', 'RUS'], T0 + 60 * MIN)).toBeUndefined();
    expect(bookOf(r.entries).states()[0].endorsedBy.has('RUS')).toBe(false);
  });

  it('a later adopted agreement supersedes an earlier one for its parties; the earlier still binds the parties the later does not name', () => {
    const r = new RecordBuilder();
    const first = propose(r, 'USA', T0, ['USA', 'RUS', 'UKR'], { ackSeconds: { flash: 120 } }, T0);
    endorse(r, 'RUS', T0 + MIN, first);
    endorse(r, 'UKR', T0 + MIN, first);
    const second = propose(r, 'RUS', T0 + 10 * MIN, ['USA', 'RUS'], { linkTestIntervalSeconds: 1800 }, T0 + 10 * MIN);
    endorse(r, 'USA', T0 + 11 * MIN, second);
    const book = bookOf(r.entries);
    expect(book.binding('hotline', ['USA', 'RUS'], T0 + 5 * MIN)?.proposal.id).toBe(first.id);
    expect(book.binding('hotline', ['USA', 'RUS'], T0 + 20 * MIN)?.proposal.id).toBe(second.id);
    expect(book.binding('hotline', ['USA', 'UKR'], T0 + 20 * MIN)?.proposal.id).toBe(first.id);
  });
});

describe('the hotline follows the agreement in the record', () => {
  const message = { priority: 'flash', subject: 'Aircraft approaching the line of contact', text: 'Please confirm.', language: 'en' };

  it('the deadline changes for the agreement\'s parties only, once adopted — incrementally as in a full evaluation', () => {
    const r = new RecordBuilder();
    const p = propose(r, 'USA', T0 - 60 * MIN, ['USA', 'RUS'], { ackSeconds: { flash: 120 } }, T0 - 60 * MIN);
    const m = r.add('USA', T0, 'hotline.message', message, { to: ['RUS', 'UKR'] });
    const ev = defaultRegistry().evaluation();
    ev.addAll(r.entries);
    const due = (out: ReturnType<Evaluation['result']>) => Object.fromEntries(out.obligations.filter((o) => o.evidence[0] === m.id).map((o) => [o.debtor, o.due]));
    expect(due(ev.result(T0 + MIN))).toEqual({ RUS: iso(T0 + 5 * MIN), UKR: iso(T0 + 5 * MIN) });
    // RUS endorses before the message was sent: from then on, the flash window between USA and RUS is 2 minutes.
    const e = endorse(r, 'RUS', T0 - 30 * MIN, p);
    ev.add(e);
    const after = ev.result(T0 + 10 * MIN);
    expect(due(after)).toEqual({ RUS: iso(T0 + 2 * MIN), UKR: iso(T0 + 5 * MIN) });
    expect(JSON.stringify(after)).toBe(JSON.stringify(defaultRegistry().evaluate(r.entries, T0 + 10 * MIN)));
  });

  it('a proposal is refused at append when its terms are not the regime\'s, naming regimes.<id>.<field>', () => {
    const c = catalogue();
    const body = (hotline: unknown) => ({ title: 't', parties: ['USA', 'RUS'], terms: { hotline }, effective: '2022-02-14T00:00:00Z' });
    expect(c.validate('agreement.proposal', body({ ackSeconds: { flash: 120 } })).ok).toBe(true);
    const refused = c.validate('agreement.proposal', body({ ackSeconds: { urgent: 10 } }));
    expect(refused).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: '/terms/hotline/ackSeconds/urgent' } } });
    expect(refused.ok ? '' : refused.error.message).toContain('regimes.hotline.ackSeconds.urgent');
    const unknown = c.validate('agreement.proposal', { ...body({}), terms: { zones: { ceiling: 1 } } });
    expect(unknown.ok ? '' : unknown.error.message).toContain('regimes.zones');
  });

  it('an endorsement restating other terms than the proposal it names is refused where the proposal is held, as is one naming another entry', () => {
    const r = new RecordBuilder();
    const p = propose(r, 'USA', T0, ['USA', 'RUS'], { ackSeconds: { flash: 120 } }, T0);
    const m = r.add('USA', T0, 'hotline.message', message, { to: ['RUS'] });
    const held = new Map(r.entries.map((e) => [e.id, e]));
    const c = catalogue().withRecord({ held: (id) => held.get(id) });
    const b = p.body as Record<string, unknown>;
    const restated = { proposal: p.id, parties: b.parties, terms: b.terms, effective: b.effective };
    expect(c.validate('agreement.endorsement', restated).ok).toBe(true);
    expect(c.validate('agreement.endorsement', { ...restated, terms: { hotline: { ackSeconds: { flash: 600 } } } })).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: '/terms' } } });
    expect(c.validate('agreement.endorsement', { ...restated, proposal: m.id })).toMatchObject({ ok: false, error: { detail: { path: '/proposal' } } });
  });

  it('an endorsement names its proposal in refs too: one whose refs leave it out is refused, so a node endorses only what it holds', () => {
    const r = new RecordBuilder();
    const p = propose(r, 'USA', T0, ['USA', 'RUS'], { ackSeconds: { flash: 120 } }, T0);
    const b = p.body as Record<string, unknown>;
    const restated = { proposal: p.id, parties: b.parties, terms: b.terms, effective: b.effective };
    expect(catalogue().validate('agreement.endorsement', restated, 'RUS', [p.id]).ok).toBe(true);
    expect(catalogue().validate('agreement.endorsement', restated, 'RUS', [])).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: '/proposal' } } });
  });
});
