/**
 * Witnessed time: a notification back-dated by 60 days is judged at its first receipt (and gets
 * the §38 finding the honest one gets), plus the "back-dated or held back" finding; sent honestly
 * it gets no such finding; a node honestly offline for days is judged at the time it was first
 * held; an agreed tolerance changes the verdict; only addressees witness; the result is the same
 * whatever order the entries come in.
 */
import { describe, expect, it } from 'vitest';
import { DAY, evaluate } from '../engine.js';
import { evaluateAll, openEvaluation, REGIMES } from '../index.js';
import { RecordBuilder } from '../../../test/support/record.js';
import { notificationBody } from '../../../test/support/vienna-bodies.js';
import type { Finding, RecordEntry, RegimeResult } from '../types.js';
import { VD11 } from '../vienna2011/rules.js';
import { WITNESS } from './rules.js';

const T = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const START = T('2021-09-10T00:00:00.000Z');
const AFTER = T('2021-12-31T00:00:00.000Z');
const byRule = (r: RegimeResult, rule: { id: string }): Finding[] => r.findings.filter((f) => f.rule === rule.id);

/** RUS notifies an activity starting START, claiming `claimed`; UKR and USA receipt it at `held` (+1 s, +2 s). */
function notifiedAt(claimed: number, held: number, options: { receivers?: string[]; to?: string[] } = {}) {
  const record = new RecordBuilder();
  const n = record.add('RUS', claimed, 'vd.activity.notification', notificationBody({ troops: 9000 }), { to: options.to ?? ['*'] });
  const receipts = (options.receivers ?? ['UKR', 'USA']).map((p, i) => record.add(p, held + 1000 * (i + 1), 'receipt', { of: 'RUS', upto: n.seq, head: n.id }, { to: ['*'] }));
  return { record, n, receipts };
}

describe('witnessed time', () => {
  const trueSend = START - 20 * DAY; // 22 days after the 42-day deadline

  it('a notification back-dated by 60 days is judged at its first receipt: the §38 finding, and "back-dated or held back" with the receipt as evidence', () => {
    const { record, n, receipts } = notifiedAt(trueSend - 60 * DAY, trueSend);
    const r = evaluateAll(record.entries, AFTER);
    const [late] = byRule(r, VD11.priorNotification);
    expect(late).toMatchObject({ severity: 'violation', parties: ['RUS'], citation: 'VD11 §38' });
    expect(late.explanation).toContain('after the 42-day deadline');
    expect(r.obligations.find((o) => o.rule === VD11.priorNotification.id)).toMatchObject({ status: 'met-late', metBy: n.id });
    const [back] = byRule(r, WITNESS.backDated);
    // Evidence in record order: both judged at the receipt's time, RUS before UKR.
    expect(back).toMatchObject({ severity: 'warning', parties: ['RUS', 'UKR'], at: iso(trueSend + 1000), evidence: [n.id, receipts[0].id] });
    expect(back.explanation).toContain('is dated 2021-06-22T00:00:00.000Z');
    expect(back.explanation).toContain('UKR, receipted it at');
    expect(back.explanation).toMatch(/60 d .*later, more than the agreed tolerance of 10 min/);
    // Before the first receipt, nobody else held it: the record does not know the activity.
    expect(evaluateAll(record.entries, trueSend).obligations.filter((o) => o.rule === VD11.priorNotification.id)).toEqual([]);
  });

  it('the same notification sent honestly gets the §38 finding and no back-dating finding', () => {
    const { record } = notifiedAt(trueSend, trueSend);
    const r = evaluateAll(record.entries, AFTER);
    expect(byRule(r, VD11.priorNotification)).toHaveLength(1);
    expect(byRule(r, WITNESS.backDated)).toEqual([]);
    // And sent honestly in time: no finding at all.
    const onTime = notifiedAt(START - 50 * DAY, START - 50 * DAY);
    expect(evaluateAll(onTime.record.entries, AFTER).findings).toEqual([]);
  });

  it('a node honestly offline for days is judged at the time others first held its entry: late under §38 if that is late, and "held back" — the record cannot tell it from back-dating', () => {
    // Written 45 days ahead (on time by its claim), delivered 5 days later when the node came back: 40 days ahead.
    const { record } = notifiedAt(START - 45 * DAY, START - 40 * DAY);
    const r = evaluateAll(record.entries, AFTER);
    expect(byRule(r, VD11.priorNotification)).toHaveLength(1);
    expect(byRule(r, VD11.priorNotification)[0].explanation).toContain('2 d');
    expect(byRule(r, WITNESS.backDated)).toHaveLength(1);
    expect(byRule(r, WITNESS.backDated)[0].explanation).toContain('held back (not sent, or not deliverable)');
    // Offline for 3 days but still delivered 44 days ahead: held back, and §38 met.
    const early = notifiedAt(START - 47 * DAY, START - 44 * DAY);
    const e = evaluateAll(early.record.entries, AFTER);
    expect(byRule(e, VD11.priorNotification)).toEqual([]);
    expect(byRule(e, WITNESS.backDated)).toHaveLength(1);
  });

  it('a claim within the tolerance of its first witness stands; the tolerance is a term the parties agree', () => {
    const within = notifiedAt(START - 42 * DAY, START - 42 * DAY + 9 * 60_000);
    const r = evaluateAll(within.record.entries, AFTER);
    expect(r.findings).toEqual([]);
    expect(r.obligations.find((o) => o.rule === VD11.priorNotification.id)?.status).toBe('met');

    // RUS and UKR agree 7 days: the notification delivered 5 days late is judged at its claim.
    const { record, n } = notifiedAt(START - 45 * DAY, START - 40 * DAY, { receivers: ['UKR'] });
    const terms = { witness: { toleranceSeconds: 7 * 86_400 } };
    const body = { title: 'Witness tolerance', parties: ['RUS', 'UKR'], terms, effective: '2021-01-01T00:00:00.000Z' };
    const p = record.add('UKR', '2021-02-01T00:00:00.000Z', 'agreement.proposal', body);
    record.add('RUS', '2021-02-02T00:00:00.000Z', 'agreement.endorsement', { proposal: p.id, parties: body.parties, terms, effective: body.effective }, { refs: [p.id] });
    const agreed = evaluateAll(record.entries, AFTER);
    expect(byRule(agreed, WITNESS.backDated)).toEqual([]);
    expect(byRule(agreed, VD11.priorNotification)).toEqual([]);
    expect(agreed.obligations.find((o) => o.rule === VD11.priorNotification.id)).toMatchObject({ status: 'met', metBy: n.id });
  });

  it('only a party the entry is addressed to witnesses it; receipts by others are not its witness', () => {
    const { record } = notifiedAt(trueSend - 60 * DAY, trueSend, { to: ['USA'], receivers: ['UKR'] });
    expect(byRule(evaluateAll(record.entries, AFTER), WITNESS.backDated)).toEqual([]);
    const addressed = notifiedAt(trueSend - 60 * DAY, trueSend, { to: ['USA'], receivers: ['UKR', 'USA'] });
    expect(byRule(evaluateAll(addressed.record.entries, AFTER), WITNESS.backDated)).toMatchObject([{ parties: ['RUS', 'USA'] }]);
  });

  it('a receipt counts only where every party holding the entry holds the receipt: one addressed to the author alone does not witness an entry UKR holds too', () => {
    const record = new RecordBuilder();
    const n = record.add('RUS', trueSend - 60 * DAY, 'vd.activity.notification', notificationBody({ troops: 9000 }), { to: ['USA', 'UKR'] });
    record.add('USA', trueSend, 'receipt', { of: 'RUS', upto: 1, head: n.id }, { to: ['RUS'] });
    expect(byRule(evaluateAll(record.entries, AFTER), WITNESS.backDated)).toEqual([]);
    record.add('UKR', trueSend + 1000, 'receipt', { of: 'RUS', upto: 1, head: n.id }, { to: ['RUS', 'USA'] });
    expect(byRule(evaluateAll(record.entries, AFTER), WITNESS.backDated)).toMatchObject([{ parties: ['RUS', 'UKR'], at: iso(trueSend + 1000) }]);
  });

  it('the earliest witness counts, whatever order the entries are added in: the same result, full or incremental', () => {
    const { record } = notifiedAt(trueSend - 60 * DAY, trueSend);
    // A later receipt by UKR (a second batch) and an earlier one by USA.
    record.add('UKR', trueSend + 5 * DAY, 'receipt', { of: 'RUS', upto: 1, head: record.entries[0].id }, { to: ['*'] });
    const early = record.add('USA', trueSend - 2 * DAY, 'receipt', { of: 'RUS', upto: 1, head: record.entries[0].id }, { to: ['*'] });
    const expected = evaluate(REGIMES, record.entries, AFTER);
    expect(byRule(expected, WITNESS.backDated)).toMatchObject([{ parties: ['RUS', 'USA'], at: early.time }]);
    const orders: RecordEntry[][] = [[...record.entries].reverse(), [record.entries[3], record.entries[1], record.entries[0], record.entries[4], record.entries[2]]];
    for (const order of orders) {
      expect(JSON.stringify(evaluate(REGIMES, order, AFTER))).toBe(JSON.stringify(expected));
    }
    // Incremental: the notification first, evaluated, then the receipts one by one.
    const ev = openEvaluation();
    ev.add(record.entries[0]);
    ev.result(AFTER);
    for (const e of record.entries.slice(1)) {
      ev.add(e);
      ev.result(AFTER);
    }
    expect(JSON.stringify(ev.result(AFTER))).toBe(JSON.stringify(expected));
  });

  it('a receipt that does not count for the entry does not hide a later one that does: every holder finds the same witness', () => {
    // UKR's first receipt covering the broadcast goes to RUS alone (USA holds it as a stub); its
    // next, to "*", is the one every holder reads: it witnesses the notification everywhere.
    const record = new RecordBuilder();
    const n = record.add('RUS', trueSend - 60 * DAY, 'vd.activity.notification', notificationBody({ troops: 9000 }), { to: ['*'] });
    const other = record.add('RUS', trueSend - 59 * DAY, 'note', { subject: 's', text: '' }, { to: ['*'] });
    record.add('UKR', trueSend, 'receipt', { of: 'RUS', upto: n.seq, head: n.id }, { to: ['RUS'] });
    const counted = record.add('UKR', trueSend + 5 * DAY, 'receipt', { of: 'RUS', upto: other.seq, head: other.id }, { to: ['*'] });
    const whole = evaluateAll(record.entries, AFTER);
    expect(byRule(whole, WITNESS.backDated).find((f) => f.evidence[0] === n.id)).toMatchObject({ evidence: [n.id, counted.id], at: iso(trueSend + 5 * DAY) });
    for (const party of ['USA', 'RUS', 'UKR']) expect(JSON.stringify(evaluateAll(RecordBuilder.heldBy(record.entries, party), AFTER)), party).toBe(JSON.stringify(whole));
  });
});
