/**
 * The hotline regime on a virtual clock: the evaluation time is the clock. A flash message
 * acknowledged at 4:59 meets its deadline, at 5:01 is a finding naming the message and the
 * acknowledgement; link tests missing for two intervals are a finding; the agreement's figures
 * come from the rule table or the network's terms.
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../registry.js';
import { Evaluation, evaluate } from '../engine.js';
import { evaluateAll, REGIMES } from '../index.js';
import { RecordBuilder } from '../../../test/support/record.js';
import type { RecordEntry } from '../types.js';
import { hotline } from './index.js';
import { HL } from './rules.js';

const T0 = Date.parse('2022-02-14T10:00:00.000Z');
const MIN = 60_000;
const SEC = 1000;

/** A record whose every body is checked against the catalogue, as the ledger would. */
class Record extends RecordBuilder {
  override add(author: string, time: string | number, type: string, body: object, options: { to?: string[]; refs?: string[] } = {}): RecordEntry {
    const v = catalogue().validate(type, body);
    if (!v.ok) throw new Error(`test body of ${type} is invalid: ${v.error.message}`);
    return super.add(author, time, type, body as globalThis.Record<string, unknown>, options);
  }
}

const message = (priority: string, subject = 'Aircraft approaching the line of contact') => ({ priority, subject, text: 'Please confirm the intentions of the formation at grid 51N 35E.', language: 'en' });

/** An agreement adopted in the record: proposed by the first party, endorsed by the others, an hour before T0. */
function agree(r: Record, parties: string[], terms: object, effective = new Date(T0 - 3600 * SEC).toISOString()) {
  const agreed = { parties, terms: { hotline: terms }, effective };
  const p = r.add(parties[0], T0 - 2 * 3600 * SEC, 'agreement.proposal', { title: 'Hotline terms', ...agreed });
  for (const party of parties.slice(1)) r.add(party, T0 - 2 * 3600 * SEC + MIN, 'agreement.endorsement', { proposal: p.id, ...agreed }, { refs: [p.id] });
  return p;
}

function flashWithAck(ackAfterMs: number, setup: (r: Record) => void = () => {}) {
  const r = new Record();
  setup(r);
  const m = r.add('USA', T0, 'hotline.message', message('flash'), { to: ['RUS'] });
  const ack = r.add('RUS', T0 + ackAfterMs, 'hotline.ack', { officer: 'watch officer 2' }, { to: ['USA'], refs: [m.id] });
  return { r, m, ack };
}

describe('HL §3: acknowledgement deadlines', () => {
  it('a flash message acknowledged at 4:59 meets the deadline: no finding', () => {
    const { r, m, ack } = flashWithAck(4 * MIN + 59 * SEC);
    const out = evaluate([hotline], r.entries, T0 + 10 * MIN);
    expect(out.obligations).toHaveLength(1);
    expect(out.obligations[0]).toMatchObject({ rule: HL.ackFlash.id, citation: 'HL §3.1', debtor: 'RUS', creditors: ['USA'], status: 'met', metBy: ack.id, evidence: [m.id], due: '2022-02-14T10:05:00.000Z' });
    expect(out.findings).toEqual([]);
  });

  it('a flash message acknowledged at 5:01 is met late: a finding naming both entries', () => {
    const { r, m, ack } = flashWithAck(5 * MIN + 1 * SEC);
    const out = evaluate([hotline], r.entries, T0 + 10 * MIN);
    expect(out.obligations[0]).toMatchObject({ status: 'met-late', metBy: ack.id });
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      rule: HL.ackFlash.id,
      citation: 'HL §3.1',
      severity: 'violation',
      parties: ['RUS', 'USA'],
      evidence: [m.id, ack.id],
      at: '2022-02-14T10:05:00.001Z',
    });
    expect(out.findings[0].explanation).toBe('RUS acknowledged USA\'s flash message "Aircraft approaching the line of contact" 1 s after its 5 min deadline');
  });

  it('met at the due millisecond, late one millisecond after', () => {
    expect(evaluate([hotline], flashWithAck(5 * MIN).r.entries, T0 + HL.ackFlash.figures.seconds * SEC + 1).obligations[0].status).toBe('met');
    expect(evaluate([hotline], flashWithAck(5 * MIN + 1).r.entries, T0 + 6 * MIN).obligations[0].status).toBe('met-late');
  });

  it('on the virtual clock: open before the deadline, missed after it (naming the message), met late when the acknowledgement comes', () => {
    const r = new Record();
    const m = r.add('USA', T0, 'hotline.message', message('flash'), { to: ['RUS'] });
    const ev = new Evaluation(REGIMES).addAll(r.entries);
    expect(ev.result(T0 + 5 * MIN).obligations[0].status).toBe('open');
    const missed = ev.result(T0 + 5 * MIN + 1);
    expect(missed.obligations[0].status).toBe('missed');
    expect(missed.findings).toMatchObject([{ rule: HL.ackFlash.id, evidence: [m.id], explanation: 'RUS did not acknowledge USA\'s flash message "Aircraft approaching the line of contact" within 5 min' }]);
    const ack = r.add('RUS', T0 + 7 * MIN, 'hotline.ack', {}, { to: ['USA'], refs: [m.id] });
    ev.add(ack);
    const late = ev.result(T0 + 8 * MIN);
    expect(late.obligations[0]).toMatchObject({ status: 'met-late', metBy: ack.id });
    expect(late.findings).toMatchObject([{ evidence: [m.id, ack.id] }]);
    // The incremental answer is the full evaluation's.
    expect(late).toEqual(evaluateAll(r.entries, T0 + 8 * MIN));
  });

  it('the deadline counts from the header time: a message that reached its addressee late keeps its original deadline', () => {
    // Sent at T0 while RUS was down; RUS held it from T0+4 min on and acknowledged at once, at T0+6 min.
    const { r, m, ack } = flashWithAck(6 * MIN);
    const out = evaluate([hotline], r.entries, T0 + 10 * MIN);
    expect(out.obligations[0]).toMatchObject({ due: '2022-02-14T10:05:00.000Z', status: 'met-late' });
    expect(out.findings[0].evidence).toEqual([m.id, ack.id]);
  });

  it('immediate and routine windows from the rule table; every named addressee owes its own acknowledgement', () => {
    const r = new Record();
    const imm = r.add('UKR', T0, 'hotline.message', message('immediate'), { to: ['RUS', 'OSCE'] });
    const rou = r.add('UKR', T0, 'hotline.message', message('routine'), { to: ['RUS'] });
    // Addressed to every party holding the messages (OSCE holds the immediate one), as the catalogue asks.
    r.add('RUS', T0 + 29 * MIN, 'hotline.ack', {}, { to: ['UKR', 'OSCE'], refs: [imm.id, rou.id] });
    const out = evaluate([hotline], r.entries, T0 + 25 * 3600 * SEC);
    const of = (id: string, debtor: string) => out.obligations.find((o) => o.evidence[0] === id && o.debtor === debtor);
    expect(of(imm.id, 'RUS')).toMatchObject({ rule: HL.ackImmediate.id, status: 'met', due: '2022-02-14T10:30:00.000Z' });
    expect(of(imm.id, 'OSCE')).toMatchObject({ rule: HL.ackImmediate.id, status: 'missed' });
    expect(of(rou.id, 'RUS')).toMatchObject({ rule: HL.ackRoutine.id, status: 'met', due: '2022-02-15T10:00:00.000Z' });
    expect(out.findings.map((f) => [f.rule, f.parties])).toEqual([[HL.ackImmediate.id, ['OSCE', 'UKR']]]);
  });

  it('only the addressee\'s acknowledgement counts, a message to "*" owes none, and a receipt is not an acknowledgement', () => {
    const r = new Record();
    const m = r.add('USA', T0, 'hotline.message', message('flash'), { to: ['RUS'] });
    r.add('UKR', T0 + MIN, 'hotline.ack', {}, { to: ['USA'], refs: [m.id] });
    r.add('RUS', T0 + MIN, 'receipt', { of: 'USA', upto: 1, head: m.id }, { to: ['USA'] });
    r.add('USA', T0, 'hotline.message', message('flash', 'To all'), { to: ['*'] });
    const out = evaluate([hotline], r.entries, T0 + 6 * MIN);
    expect(out.obligations.map((o) => [o.debtor, o.status])).toEqual([['RUS', 'missed']]);
  });

  it('the parties\' agreement in the record sets the figures: a 3-minute flash window', () => {
    const { r } = flashWithAck(3 * MIN + 1 * SEC, (r) => agree(r, ['USA', 'RUS'], { ackSeconds: { flash: 180 } }));
    const out = evaluateAll(r.entries, T0 + 10 * MIN);
    expect(out.obligations[0]).toMatchObject({ status: 'met-late', due: '2022-02-14T10:03:00.000Z' });
    const refused = catalogue().validate('agreement.proposal', { title: 't', parties: ['USA', 'RUS'], terms: { hotline: { ackSeconds: { flash: -1 } } }, effective: '2022-02-14T00:00:00Z' });
    expect(refused.ok ? '' : refused.error.message).toMatch(/regimes\.hotline\.ackSeconds\.flash/);
  });
});

describe('HL §4: link tests', () => {
  const HOUR = 3600 * SEC;
  const hourly = () => {
    const r = new Record();
    const tests = [0, 1, 2].map((h) => r.add('USA', T0 + h * HOUR, 'link.test', { n: h + 1 }));
    return { r, tests };
  };

  it('a link test missing for two intervals yields a finding, from the first millisecond after them', () => {
    const { r, tests } = hourly();
    const ev = new Evaluation([hotline]).addAll(r.entries);
    // Last test at T0+2h: on time until T0+4h inclusive.
    expect(ev.result(T0 + 3 * HOUR).findings).toEqual([]);
    expect(ev.result(T0 + 4 * HOUR).findings).toEqual([]);
    const missing = ev.result(T0 + 4 * HOUR + 1).findings;
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({
      rule: HL.linkTest.id,
      severity: 'warning',
      parties: ['USA'],
      evidence: [tests[2].id],
      at: '2022-02-14T14:00:00.001Z',
      explanation: 'no link test from USA since 2022-02-14T12:00:00.000Z (more than 2 intervals of 1 h)',
    });
    // When the tests resume, the gap stays a finding, now with the tests on either side.
    const back = r.add('USA', T0 + 4 * HOUR + 30 * MIN, 'link.test', { n: 4 });
    ev.add(back);
    const after = ev.result(T0 + 5 * HOUR);
    expect(after.findings).toMatchObject([{ evidence: [tests[2].id, back.id], explanation: expect.stringContaining('between 2022-02-14T12:00:00.000Z and 2022-02-14T14:30:00.000Z (2 h 30 min') }]);
    expect(after).toEqual(evaluate([hotline], r.entries, T0 + 5 * HOUR));
  });

  it('one missed test is not yet a finding; a party that never sent one owes none; the interval is the agreement\'s', () => {
    const r = new Record();
    r.add('USA', T0, 'link.test', { n: 1 });
    r.add('USA', T0 + 2 * HOUR, 'link.test', { n: 2 });
    r.add('RUS', T0, 'note', { subject: 's', text: 't' });
    expect(evaluate([hotline], r.entries, T0 + 4 * HOUR).findings).toEqual([]);
    agree(r, ['USA', 'RUS'], { linkTestIntervalSeconds: 1800 });
    const short = evaluate([hotline], r.entries, T0 + 2 * HOUR + 1);
    expect(short.findings.map((f) => f.evidence.length)).toEqual([2]);
  });

  it('only link tests to every party count: a party judges the schedule every other party judges, not the tests it alone was sent', () => {
    const r = new Record();
    const first = r.add('USA', T0, 'link.test', { n: 1 });
    // A test to RUS alone: UKR holds its stub; RUS would otherwise see no gap where UKR sees one.
    r.add('USA', T0 + 2 * HOUR, 'link.test', { n: 2 }, { to: ['RUS'] });
    const third = r.add('USA', T0 + 4 * HOUR, 'link.test', { n: 3 });
    const out = evaluate([hotline], r.entries, T0 + 5 * HOUR);
    expect(out.findings.map((f) => [f.rule, f.evidence])).toEqual([[HL.linkTest.id, [first.id, third.id]]]);
  });
});

describe('hotline content types', () => {
  const c = catalogue();
  it('accepts a message with a courtesy translation, an empty acknowledgement, a link test', () => {
    expect(c.validate('hotline.message', { ...message('flash'), language: 'ru', translation: { language: 'en', text: 'Please confirm…' } }).ok).toBe(true);
    expect(c.validate('hotline.message', { ...message('routine'), language: 'zh-Hant-TW' }).ok).toBe(true);
    expect(c.validate('hotline.ack', {}).ok).toBe(true);
    expect(c.validate('link.test', { n: 1 }).ok).toBe(true);
  });

  it('refuses what the agreement does not know, naming the field', () => {
    const path = (type: string, body: unknown) => {
      const v = c.validate(type, body);
      return v.ok ? undefined : v.error.detail?.path;
    };
    expect(path('hotline.message', { ...message('urgent') })).toBe('/priority');
    expect(path('hotline.message', { ...message('flash'), language: 'english language' })).toBe('/language');
    expect(path('hotline.message', { ...message('flash'), translation: { language: 'EN', text: 'x' } })).toBe('/translation/language');
    expect(path('hotline.message', { priority: 'flash', subject: 's', language: 'en' })).toBe('/text');
    expect(path('hotline.ack', { read: true })).toBe('/read');
    expect(path('link.test', { n: 0 })).toBe('/n');
  });
});

describe('an acknowledgement reaches every party that judges it', () => {
  it('is refused (PARLEY_ERR_ADDRESSEES) unless addressed to the message\'s author and its other addressees, where the node holds the message', () => {
    const r = new RecordBuilder();
    const m = r.add('USA', '2022-02-12T16:00:00.000Z', 'hotline.message', { priority: 'flash', subject: 'Status', text: 'Confirm.', language: 'en' }, { to: ['RUS', 'UKR'] });
    const byId = new Map(r.entries.map((e) => [e.id, e]));
    const c = catalogue().withRecord({ held: (id) => byId.get(id) });
    const only = c.validate('hotline.ack', {}, 'RUS', [m.id], ['USA']);
    expect(only.ok ? undefined : [only.error.code, only.error.message]).toEqual(['PARLEY_ERR_ADDRESSEES', expect.stringContaining('UKR is missing')]);
    expect(c.validate('hotline.ack', {}, 'RUS', [m.id], ['USA', 'UKR']).ok).toBe(true);
    expect(c.validate('hotline.ack', {}, 'RUS', [m.id], ['*']).ok).toBe(true);
    // A node that holds only the message's stub cannot judge, and lets it pass.
    const stubOnly = catalogue().withRecord({ held: (id) => (id === m.id ? RecordBuilder.stub(m) : undefined) });
    expect(stubOnly.validate('hotline.ack', {}, 'RUS', [m.id], ['USA']).ok).toBe(true);
  });
});
