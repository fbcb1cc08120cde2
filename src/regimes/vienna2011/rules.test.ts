/**
 * The Vienna Document 2011 rules, one by one: at the threshold, one below, one above; deadlines
 * met to the millisecond and missed by one; year boundaries and time zones. Figures come from the
 * rule table, so a corrected figure moves its tests with it.
 */
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../engine.js';
import { evaluateAll } from '../index.js';
import { RecordBuilder } from '../../../test/support/record.js';
import type { Finding, Obligation, RecordEntry, RegimeResult } from '../types.js';
import { annualExchangeBody, calendarBody, evaluationRequestBody, explanationRequestBody, inspectionRequestBody, notificationBody, participation, reportBody } from '../../../test/support/vienna-bodies.js';
import { FIGURE_FIELDS, VD11, type ForceField } from './rules.js';
import { catalogue } from '../registry.js';

const T = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

/** A record whose every body is checked against the catalogue, as the ledger would. */
class CheckedRecord extends RecordBuilder {
  override add(author: string, time: string | number, type: string, body: object, options: { to?: string[]; refs?: string[] } = {}): RecordEntry {
    const v = catalogue().validate(type, body);
    if (!v.ok) throw new Error(`test body of ${type} is invalid: ${v.error.message}`);
    return super.add(author, time, type, body, options);
  }
}

function at(record: RecordBuilder, when: string | number, options = {}): RegimeResult {
  return evaluateAll(record.entries, typeof when === 'string' ? T(when) : when, options);
}
const obligations = (r: RegimeResult, rule: { id: string }): Obligation[] => r.obligations.filter((o) => o.rule === rule.id);
const findings = (r: RegimeResult, rule: { id: string }): Finding[] => r.findings.filter((f) => f.rule === rule.id);

const START = '2021-09-10T00:00:00.000Z';
const END = '2021-09-16T00:00:00.000Z';
const LONG_BEFORE = '2021-06-01T00:00:00.000Z';
const AFTER = '2021-12-31T00:00:00.000Z';

/** One notification of `figures` by RUS, long before its start. */
function notified(figures: Partial<Record<ForceField, number>>, extra = {}): { record: CheckedRecord; entry: RecordEntry } {
  const record = new CheckedRecord();
  const entry = record.add('RUS', LONG_BEFORE, 'vd.activity.notification', notificationBody({ designation: 'Exercise', start: START, end: END, ...figures, ...extra }));
  return { record, entry };
}

/** Every (body field, figure) of a threshold row. */
function thresholds(row: { figures: Readonly<Record<string, number>> }): [ForceField, number][] {
  return Object.entries(row.figures).flatMap(([figure, value]) => (FIGURE_FIELDS[figure] ?? []).map((field) => [field, value] as [ForceField, number]));
}

describe('VD11 §38, §40.1: prior notification at the thresholds', () => {
  for (const row of [VD11.landForces, VD11.airForce, VD11.landing]) {
    for (const [field, threshold] of thresholds(row)) {
      it(`${row.citation}: ${field} at ${threshold} is notifiable, ${threshold - 1} is not, ${threshold + 1} is`, () => {
        for (const [value, expected] of [
          [threshold - 1, 0],
          [threshold, 1],
          [threshold + 1, 1],
        ] as const) {
          const r = at(notified({ [field]: value }).record, AFTER);
          const o = obligations(r, VD11.priorNotification);
          expect(o.length, `${field} = ${value}`).toBe(expected);
          if (expected) expect(o[0]).toMatchObject({ debtor: 'RUS', creditors: ['*'], status: 'met', citation: 'VD11 §38' });
          if (expected) expect(o[0].what).toContain(row.citation);
        }
      });
    }
  }

  it('is met at 42 days before the start to the millisecond, and late one millisecond after', () => {
    const due = T(START) - VD11.priorNotification.figures.days * DAY;
    expect(iso(due)).toBe('2021-07-30T00:00:00.000Z');
    const onTime = new CheckedRecord();
    const n = onTime.add('RUS', due, 'vd.activity.notification', notificationBody({ troops: 9000 }));
    expect(obligations(at(onTime, AFTER), VD11.priorNotification)).toEqual([
      expect.objectContaining({ due: iso(due), status: 'met', metBy: n.id, evidence: [n.id] }),
    ]);
    expect(findings(at(onTime, AFTER), VD11.priorNotification)).toEqual([]);

    const late = new CheckedRecord();
    const m = late.add('RUS', due + 1, 'vd.activity.notification', notificationBody({ troops: 9000 }));
    const r = at(late, AFTER);
    expect(obligations(r, VD11.priorNotification)[0]).toMatchObject({ status: 'met-late', metBy: m.id });
    const [f] = findings(r, VD11.priorNotification);
    expect(f).toMatchObject({ severity: 'violation', parties: ['RUS'], evidence: [m.id], at: iso(due + 1), citation: 'VD11 §38' });
    expect(f.explanation).toContain('1 ms after the 42-day deadline');
  });

  it('before the notification is said, the record does not know the activity (entries after `at` are not read)', () => {
    const { record, entry } = notified({ troops: 9000 });
    expect(obligations(at(record, T(entry.time) - 1), VD11.priorNotification)).toEqual([]);
    expect(obligations(at(record, T(entry.time)), VD11.priorNotification)).toHaveLength(1);
  });

  it('a planned activity in the calendar owes its notification: open until 42 days before, missed 1 ms later, then met late with the same obligation id', () => {
    const record = new CheckedRecord();
    const cal = record.add('RUS', '2020-11-01T00:00:00.000Z', 'vd.calendar', calendarBody(2021, [{ designation: 'Zapad-2021', start: START, end: END, troops: 12_700 }]));
    const due = T(START) - 42 * DAY;
    const open = obligations(at(record, due), VD11.priorNotification);
    expect(open).toEqual([expect.objectContaining({ status: 'open', evidence: [cal.id], due: iso(due) })]);
    const missed = obligations(at(record, due + 1), VD11.priorNotification);
    expect(missed).toEqual([expect.objectContaining({ id: open[0].id, status: 'missed' })]);
    expect(findings(at(record, due + 1), VD11.priorNotification)).toEqual([expect.objectContaining({ severity: 'violation', evidence: [cal.id], at: iso(due + 1) })]);

    const n = record.add('RUS', due + 2 * DAY, 'vd.activity.notification', notificationBody({ designation: 'ZAPAD-2021 ', start: START, end: END, troops: 12_700 }));
    const late = at(record, AFTER);
    expect(obligations(late, VD11.priorNotification)).toEqual([expect.objectContaining({ id: open[0].id, status: 'met-late', metBy: n.id, evidence: [cal.id] })]);
    expect(findings(late, VD11.priorNotification)).toEqual([expect.objectContaining({ evidence: [cal.id, n.id], at: iso(due + 1) })]);
  });

  it('a revised calendar that drops a planned activity cancels its obligation', () => {
    const record = new CheckedRecord();
    record.add('RUS', '2020-11-01T00:00:00.000Z', 'vd.calendar', calendarBody(2021, [{ designation: 'Zapad-2021', start: START, end: END, troops: 12_700 }]));
    record.add('RUS', '2021-03-01T00:00:00.000Z', 'vd.calendar', calendarBody(2021, []));
    expect(obligations(at(record, AFTER), VD11.priorNotification)).toEqual([]);
  });

  it('an amended notification: the activity is read from its latest version, notified when first said', () => {
    const record = new CheckedRecord();
    const first = record.add('RUS', LONG_BEFORE, 'vd.activity.notification', notificationBody({ troops: 8000 }));
    const second = record.add('RUS', T(START) - DAY, 'vd.activity.notification', notificationBody({ troops: 9500, corrects: first.id }));
    const r = at(record, AFTER);
    expect(obligations(r, VD11.priorNotification)).toEqual([expect.objectContaining({ status: 'met', metBy: first.id })]);
    // Another State cannot amend RUS's notification.
    const other = record.add('BLR', T(START) - DAY, 'vd.activity.notification', notificationBody({ troops: 100, corrects: second.id }));
    expect(obligations(at(record, AFTER), VD11.priorNotification).map((o) => o.debtor)).toEqual(['RUS']);
    expect(other).toBeDefined();
  });

  it('an activity across 31 December: due 42 days before its start, counted in both years (§67.2 below)', () => {
    const record = new CheckedRecord();
    record.add('RUS', '2021-11-01T00:00:00.000Z', 'vd.activity.notification', notificationBody({ start: '2021-12-28T00:00:00Z', end: '2022-01-05T00:00:00Z', troops: 9000 }));
    expect(obligations(at(record, '2022-02-01T00:00:00Z'), VD11.priorNotification)).toEqual([
      expect.objectContaining({ due: '2021-11-16T00:00:00.000Z', status: 'met' }),
    ]);
  });
});

describe('VD11 §41: alert activities are notified when the troops start', () => {
  it('met at the start to the millisecond, late 1 ms after; no 42 days', () => {
    for (const [delta, status] of [
      [-10 * DAY, 'met'],
      [0, 'met'],
      [1, 'met-late'],
    ] as const) {
      const record = new CheckedRecord();
      record.add('RUS', T(START) + delta, 'vd.activity.notification', notificationBody({ troops: 30_000, alertActivity: true }));
      const r = at(record, AFTER);
      expect(obligations(r, VD11.priorNotification)).toEqual([]);
      expect(obligations(r, VD11.alertNotification)).toEqual([expect.objectContaining({ status, due: START, citation: 'VD11 §41' })]);
      expect(findings(r, VD11.alertNotification)).toHaveLength(status === 'met' ? 0 : 1);
    }
  });
});

describe('VD11 §47.4, §47.5: observers invited at the thresholds', () => {
  for (const row of [VD11.observation, VD11.observationLanding]) {
    for (const [field, threshold] of thresholds(row)) {
      it(`${row.citation}: ${field} at ${threshold} must invite, ${threshold - 1} need not, ${threshold + 1} must`, () => {
        for (const [value, expected] of [
          [threshold - 1, 0],
          [threshold, 1],
          [threshold + 1, 1],
        ] as const) {
          const r = at(notified({ [field]: value }).record, AFTER);
          const o = obligations(r, VD11.observation);
          expect(o.length, `${field} = ${value}`).toBe(expected);
          if (expected) expect(o[0]).toMatchObject({ citation: row.citation, status: 'missed' });
        }
      });
    }
  }

  it('an invitation naming the notification, or the designation, meets it; due with the notification', () => {
    const { record, entry } = notified({ troops: 13_000 });
    const due = T(START) - 42 * DAY;
    const inv = record.add('RUS', due, 'vd.observation.invitation', { notification: entry.id, observersPerState: 2, arrivalPoint: 'Minsk', arrivalTime: START });
    expect(obligations(at(record, AFTER), VD11.observation)).toEqual([expect.objectContaining({ status: 'met', metBy: inv.id, due: iso(due) })]);

    const second = notified({ troops: 13_000 });
    const byName = second.record.add('RUS', due + 1, 'vd.observation.invitation', { designation: 'exercise', observersPerState: 1, arrivalPoint: 'Minsk', arrivalTime: START });
    const r = at(second.record, AFTER);
    expect(obligations(r, VD11.observation)).toEqual([expect.objectContaining({ status: 'met-late', metBy: byName.id })]);
    expect(findings(r, VD11.observation)).toEqual([expect.objectContaining({ evidence: [second.entry.id, byName.id], at: iso(due + 1) })]);
  });

  it('alert activities are observed only when they last over 72 hours', () => {
    const hours = VD11.alertObservation.figures.hours;
    for (const [length, expected] of [
      [hours * HOUR, 0],
      [hours * HOUR + 1, 1],
    ] as const) {
      const record = new CheckedRecord();
      record.add('RUS', START, 'vd.activity.notification', notificationBody({ troops: 20_000, alertActivity: true, end: iso(T(START) + length) }));
      expect(obligations(at(record, AFTER), VD11.observation)).toHaveLength(expected);
    }
  });
});

describe('VD11 §61: the calendar by 15 November; Ch. I: the exchange by 15 December', () => {
  /** RUS takes part from 1 January 2021, as an adopted agreement in the record says. */
  function participant(): CheckedRecord {
    const record = new CheckedRecord();
    participation(record, ['RUS'], T('2020-12-01T00:00:00.000Z'), T('2021-01-01T00:00:00.000Z'));
    return record;
  }

  it('a calendar at 15 November 23:59 UTC is met; at 16 November 00:00 UTC it is late', () => {
    const onTime = participant();
    const c = onTime.add('RUS', '2021-11-15T23:59:00.000Z', 'vd.calendar', calendarBody(2022));
    expect(obligations(at(onTime, '2021-12-31T23:59:59.999Z'), VD11.calendar)).toEqual([
      expect.objectContaining({ debtor: 'RUS', creditors: ['*'], due: '2021-11-15T23:59:59.999Z', status: 'met', metBy: c.id }),
    ]);
    const late = participant();
    const d = late.add('RUS', '2021-11-16T00:00:00.000Z', 'vd.calendar', calendarBody(2022));
    const r = at(late, '2021-12-31T23:59:59.999Z');
    expect(obligations(r, VD11.calendar)).toEqual([expect.objectContaining({ status: 'met-late', metBy: d.id })]);
    expect(findings(r, VD11.calendar)).toEqual([expect.objectContaining({ severity: 'violation', evidence: [late.entries[0].id, d.id], at: '2021-11-16T00:00:00.000Z' })]);
  });

  it('a calendar said at 02:30 on 16 November in Moscow (23:30 UTC on the 15th) is on time: deadlines are UTC', () => {
    const record = participant();
    // The header time is always UTC; an operator in Moscow at 02:29 local is at 23:29Z.
    record.add('RUS', '2021-11-15T23:29:00.000Z', 'vd.calendar', calendarBody(2022));
    expect(obligations(at(record, '2022-01-01T00:00:00Z'), VD11.calendar)[0].status).toBe('met');
  });

  it('open until the deadline, missed 1 ms after; its evidence is the participation, not an absence', () => {
    const record = participant();
    const agreement = record.entries[0].id;
    expect(obligations(at(record, '2021-11-15T23:59:59.999Z'), VD11.calendar)).toEqual([expect.objectContaining({ status: 'open', evidence: [agreement] })]);
    const r = at(record, '2021-11-16T00:00:00.000Z');
    expect(obligations(r, VD11.calendar)).toEqual([expect.objectContaining({ status: 'missed' })]);
    expect(findings(r, VD11.calendar)).toEqual([expect.objectContaining({ evidence: [agreement], at: '2021-11-16T00:00:00.000Z', parties: ['RUS'] })]);
  });

  it('the Chapter I exchange for next year is due by 15 December', () => {
    const record = participant();
    const x = record.add('RUS', '2021-12-15T23:59:59.999Z', 'vd.annual-exchange', annualExchangeBody(2022, 3));
    expect(obligations(at(record, '2021-12-31T00:00:00Z'), VD11.annualExchange)).toEqual([expect.objectContaining({ status: 'met', metBy: x.id, due: '2021-12-15T23:59:59.999Z' })]);
    // From 1 January, next year's is owed too.
    expect(obligations(at(record, '2022-01-01T00:00:00Z'), VD11.annualExchange).map((o) => [o.due, o.status])).toEqual([
      ['2021-12-15T23:59:59.999Z', 'met'],
      ['2022-12-15T23:59:59.999Z', 'open'],
    ]);
  });

  it('a party that only filed a report, a request or a notification owes no calendar and no exchange: participation is declared', () => {
    const record = new CheckedRecord();
    record.add('USA', '2021-02-01T00:00:00.000Z', 'note', { subject: 'hotline only', text: '' }, { to: ['RUS'] });
    record.add('UKR', '2021-03-01T00:00:00.000Z', 'vd.observer.report', reportBody({ observedState: 'RUS' }));
    record.add('RUS', '2021-02-01T00:00:00.000Z', 'vd.explanation.request', explanationRequestBody('UKR'));
    record.add('BLR', '2021-04-01T00:00:00.000Z', 'vd.activity.notification', notificationBody({ troops: 9000 }));
    const r = at(record, '2023-01-01T00:00:00Z');
    expect([...obligations(r, VD11.calendar), ...obligations(r, VD11.annualExchange)]).toEqual([]);
    expect([...findings(r, VD11.calendar), ...findings(r, VD11.annualExchange)]).toEqual([]);
  });

  it('participation sets no figure: the vd11 terms are the empty object, anything else is refused', () => {
    const body = (terms: object) => ({ title: 'Participation', parties: ['RUS', 'UKR'], terms: { vd11: terms }, effective: '2022-01-01T00:00:00.000Z' });
    expect(catalogue().validate('agreement.proposal', body({})).ok).toBe(true);
    const refused = catalogue().validate('agreement.proposal', body({ troops: 20_000 }));
    expect(refused.ok ? undefined : [refused.error.code, refused.error.detail?.path]).toEqual(['PARLEY_ERR_SCHEMA', '/terms/vd11/troops']);
  });

  it('owed from the year participation is in force, by the parties it names, only once every one has endorsed it', () => {
    const record = new CheckedRecord();
    const said = T('2022-03-01T00:00:00.000Z');
    const body = { parties: ['RUS', 'UKR'], terms: { vd11: {} }, effective: '2022-06-01T00:00:00.000Z' };
    const p = record.add('RUS', said, 'agreement.proposal', { title: 'Participation', ...body });
    // Proposed, not endorsed by UKR: nobody owes anything.
    expect(obligations(at(record, '2023-01-01T00:00:00Z'), VD11.calendar)).toEqual([]);
    record.add('UKR', said + DAY, 'agreement.endorsement', { proposal: p.id, ...body }, { refs: [p.id] });
    const r = at(record, '2022-12-31T00:00:00Z');
    // 2022 is the first year: the calendar for 2023; nothing for the years before.
    expect(obligations(r, VD11.calendar).map((o) => [o.debtor, o.due, o.status, o.evidence]).sort()).toEqual([
      ['RUS', '2022-11-15T23:59:59.999Z', 'missed', [p.id]],
      ['UKR', '2022-11-15T23:59:59.999Z', 'missed', [p.id]],
    ]);
  });
});

describe('VD11 §68: activities over 40,000 troops or 900 battle tanks only if in the calendar', () => {
  for (const [field, threshold] of thresholds(VD11.inCalendar)) {
    it(`${field}: ${threshold} needs no calendar; ${threshold + 1} does`, () => {
      for (const [value, expected] of [
        [threshold - 1, 0],
        [threshold, 0],
        [threshold + 1, 1],
      ] as const) {
        const r = at(notified({ [field]: value }).record, AFTER);
        expect(findings(r, VD11.inCalendar).length, `${field} = ${value}`).toBe(expected);
      }
    });
  }

  it('in the calendar by 15 November 23:59:59.999 UTC of the year before: no finding; a calendar 1 ms later does not count', () => {
    for (const [time, expected] of [
      ['2020-11-15T23:59:59.999Z', 0],
      ['2020-11-16T00:00:00.000Z', 1],
    ] as const) {
      const record = new CheckedRecord();
      const cal = record.add('RUS', time, 'vd.calendar', calendarBody(2021, [{ designation: 'Zapad-2021', start: START, end: END, troops: 45_000 }]));
      const n = record.add('RUS', LONG_BEFORE, 'vd.activity.notification', notificationBody({ designation: 'Zapad-2021', troops: 45_000 }));
      const f = findings(at(record, AFTER), VD11.inCalendar);
      expect(f).toHaveLength(expected);
      if (expected) expect(f[0].evidence).toEqual([cal.id, n.id]);
    }
  });
});

describe('VD11 §67: constraints', () => {
  /** RUS notifies activities of `troops` starting on the given days. */
  function activities(troops: number, starts: string[], days = 5): CheckedRecord {
    const record = new CheckedRecord();
    starts.forEach((s, i) => {
      record.add('RUS', T(s) - 60 * DAY, 'vd.activity.notification', notificationBody({ designation: `A${i}`, start: s, end: iso(T(s) + days * DAY), troops }));
    });
    return record;
  }
  const monthly = (year: number, n: number): string[] => Array.from({ length: n }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}-10T00:00:00.000Z`);

  it('§67.2: six activities over 13,000 troops in a year are allowed, seven are not; 13,000 itself is not over', () => {
    const { troops, activities: six } = VD11.perYear.figures;
    expect(findings(at(activities(troops + 1, monthly(2021, six)), '2022-01-01T00:00:00Z'), VD11.perYear)).toEqual([]);
    const seven = at(activities(troops + 1, monthly(2021, six + 1)), '2022-01-01T00:00:00Z');
    expect(findings(seven, VD11.perYear)).toEqual([expect.objectContaining({ severity: 'violation', citation: 'VD11 §67.2' })]);
    expect(findings(seven, VD11.perYear)[0].evidence).toHaveLength(7);
    expect(findings(at(activities(troops, monthly(2021, six + 1)), '2022-01-01T00:00:00Z'), VD11.perYear)).toEqual([]);
  });

  it('§67.2: of those, three over 25,000 troops are allowed, four are not', () => {
    const { troops, activities: three } = VD11.perYearLarge.figures;
    expect(findings(at(activities(troops + 1, monthly(2021, three)), '2022-01-01T00:00:00Z'), VD11.perYearLarge)).toEqual([]);
    expect(findings(at(activities(troops + 1, monthly(2021, three + 1)), '2022-01-01T00:00:00Z'), VD11.perYearLarge)).toHaveLength(1);
    expect(findings(at(activities(troops, monthly(2021, three + 1)), '2022-01-01T00:00:00Z'), VD11.perYearLarge)).toHaveLength(0);
  });

  it('§67.2: an activity across 31 December counts in both calendar years', () => {
    const starts = ['2020-12-28T00:00:00.000Z', ...monthly(2021, 6)];
    const r = at(activities(14_000, starts, 8), '2022-01-01T00:00:00Z');
    expect(findings(r, VD11.perYear).map((f) => f.explanation)).toEqual([expect.stringContaining('in 2021')]);
    const seventhIn2020 = at(activities(14_000, [...monthly(2020, 6).map((s) => s.replace('-10T', '-01T')), '2020-12-28T00:00:00.000Z'], 8), '2022-01-01T00:00:00Z');
    expect(findings(seventhIn2020, VD11.perYear).map((f) => f.explanation)).toEqual([expect.stringContaining('in 2020')]);
  });

  it('§67.1: one activity over 40,000 troops per three calendar years (2021 and 2023: violation; 2021 and 2024: none)', () => {
    const { troops } = VD11.threeYears.figures;
    expect(findings(at(activities(troops + 1, ['2021-06-01T00:00:00Z', '2023-06-01T00:00:00Z']), '2024-12-01T00:00:00Z'), VD11.threeYears)).toHaveLength(1);
    expect(findings(at(activities(troops + 1, ['2021-06-01T00:00:00Z', '2024-01-01T00:00:00Z']), '2024-12-01T00:00:00Z'), VD11.threeYears)).toHaveLength(0);
    expect(findings(at(activities(troops, ['2021-06-01T00:00:00Z', '2022-06-01T00:00:00Z']), '2024-12-01T00:00:00Z'), VD11.threeYears)).toHaveLength(0);
    const [f] = findings(at(activities(troops + 1, ['2021-06-01T00:00:00Z', '2023-12-31T23:59:59.999Z']), '2024-12-01T00:00:00Z'), VD11.threeYears);
    expect(f.evidence).toHaveLength(2);
  });

  it('§67.3: three simultaneous activities over 13,000 troops are allowed, four are not, four in a row are', () => {
    const { troops, activities: three } = VD11.simultaneous.figures;
    const together = (n: number) => Array.from({ length: n }, (_, i) => iso(T('2021-05-01T00:00:00Z') + i * DAY));
    expect(findings(at(activities(troops + 1, together(three)), AFTER), VD11.simultaneous)).toHaveLength(0);
    expect(findings(at(activities(troops + 1, together(three + 1)), AFTER), VD11.simultaneous)).toEqual([expect.objectContaining({ citation: 'VD11 §67.3' })]);
    expect(findings(at(activities(troops, together(three + 1)), AFTER), VD11.simultaneous)).toHaveLength(0);
    expect(findings(at(activities(troops + 1, monthly(2021, 4)), AFTER), VD11.simultaneous)).toHaveLength(0);
  });
});

describe('VD11 §16, §16.2: explanation within 48 hours, meeting within 48 hours', () => {
  const ASKED = '2022-02-11T10:00:00.000Z'; // Ukraine's request to Russia, 11 February 2022

  function asked(): { record: CheckedRecord; request: RecordEntry } {
    const record = new CheckedRecord();
    const request = record.add('UKR', ASKED, 'vd.explanation.request', explanationRequestBody('RUS'), { to: ['RUS'] });
    return { record, request };
  }

  it('a reply at 48 hours to the millisecond is met; 1 ms later it is late, with both entries as evidence', () => {
    const due = T(ASKED) + 48 * HOUR;
    const ok = asked();
    const reply = ok.record.add('RUS', due, 'vd.explanation.reply', { explanation: 'Scheduled exercises' }, { to: ['UKR'], refs: [ok.request.id] });
    expect(obligations(at(ok.record, due + DAY), VD11.explanationReply)).toEqual([
      { id: expect.any(String), rule: 'vd11.iii.explanation-reply', citation: 'VD11 §16.1.3', debtor: 'RUS', creditors: ['UKR'], what: expect.any(String), due: iso(due), status: 'met', metBy: reply.id, evidence: [ok.request.id] },
    ]);
    const late = asked();
    const lateReply = late.record.add('RUS', due + 1, 'vd.explanation.reply', { explanation: 'Scheduled exercises' }, { to: ['UKR'], refs: [late.request.id] });
    const r = at(late.record, due + DAY);
    expect(obligations(r, VD11.explanationReply)[0].status).toBe('met-late');
    expect(findings(r, VD11.explanationReply)).toEqual([
      expect.objectContaining({ severity: 'violation', parties: ['RUS', 'UKR'], evidence: [late.request.id, lateReply.id], at: iso(due + 1) }),
    ]);
  });

  it('no reply: open at the deadline, missed 1 ms after', () => {
    const { record, request } = asked();
    const due = T(ASKED) + 48 * HOUR;
    expect(obligations(at(record, due), VD11.explanationReply)[0].status).toBe('open');
    expect(findings(at(record, due), VD11.explanationReply)).toEqual([]);
    expect(obligations(at(record, due + 1), VD11.explanationReply)[0].status).toBe('missed');
    expect(findings(at(record, due + 1), VD11.explanationReply)).toEqual([expect.objectContaining({ evidence: [request.id], at: iso(due + 1) })]);
  });

  it('only a reply by the responding State that refers to the request meets it', () => {
    const { record, request } = asked();
    record.add('BLR', T(ASKED) + HOUR, 'vd.explanation.reply', { explanation: 'Not ours' }, { to: ['UKR'], refs: [request.id] });
    record.add('RUS', T(ASKED) + HOUR, 'vd.explanation.reply', { explanation: 'No refs' }, { to: ['UKR'] });
    expect(obligations(at(record, T(ASKED) + 3 * DAY), VD11.explanationReply)[0].status).toBe('missed');
  });

  it('a request not addressed to the State it names creates no obligation, and says so', () => {
    const record = new CheckedRecord();
    record.add('UKR', ASKED, 'vd.explanation.request', explanationRequestBody('RUS'), { to: ['BLR'] });
    const r = at(record, T(ASKED) + 3 * DAY);
    expect(obligations(r, VD11.explanationReply)).toEqual([]);
    expect(findings(r, VD11.addressing)).toEqual([expect.objectContaining({ severity: 'warning', citation: 'VD11 §16.1.3', parties: ['UKR', 'RUS'] })]);
  });

  it('§16.2: the meeting must be held within 48 hours of its request', () => {
    for (const [acceptedAfter, heldAfter, status] of [
      [HOUR, 48 * HOUR, 'met'],
      [HOUR, 48 * HOUR + 1, 'met-late'],
      [48 * HOUR + 1, 10 * HOUR, 'met-late'],
    ] as const) {
      const { record, request } = asked();
      const m = record.add('UKR', T(ASKED) + 49 * HOUR, 'vd.meeting.request', { respondingState: 'RUS', format: 'with-responding-State', purpose: 'Clarify' }, { to: ['RUS'], refs: [request.id] });
      record.add('RUS', T(m.time) + acceptedAfter, 'vd.meeting.reply', { accepted: true, meetingTime: iso(T(m.time) + heldAfter) }, { to: ['UKR'], refs: [m.id] });
      expect(obligations(at(record, T(m.time) + 5 * DAY), VD11.meeting)[0].status).toBe(status);
    }
    const { record, request } = asked();
    const m = record.add('UKR', T(ASKED) + 49 * HOUR, 'vd.meeting.request', { respondingState: 'RUS', format: 'of-all-participating-States', purpose: 'Clarify' }, { to: ['*'], refs: [request.id] });
    record.add('RUS', T(m.time) + HOUR, 'vd.meeting.reply', { accepted: false, reason: 'No grounds' }, { to: ['*'], refs: [m.id] });
    expect(obligations(at(record, T(m.time) + 5 * DAY), VD11.meeting)[0].status).toBe('missed');
    // Accepted for a time still ahead: open until the meeting is held.
    const ahead = asked();
    const m2 = ahead.record.add('UKR', T(ASKED) + 49 * HOUR, 'vd.meeting.request', { respondingState: 'RUS', format: 'with-responding-State', purpose: 'Clarify' }, { to: ['RUS'], refs: [ahead.request.id] });
    ahead.record.add('RUS', T(m2.time) + HOUR, 'vd.meeting.reply', { accepted: true, meetingTime: iso(T(m2.time) + 20 * HOUR) }, { to: ['UKR'], refs: [m2.id] });
    expect(obligations(at(ahead.record, T(m2.time) + 10 * HOUR), VD11.meeting)[0].status).toBe('open');
    expect(obligations(at(ahead.record, T(m2.time) + 20 * HOUR), VD11.meeting)[0].status).toBe('met');
  });
});

describe('VD11 §17: hazardous incidents are recorded', () => {
  it('as an information finding naming the parties', () => {
    const record = new CheckedRecord();
    const e = record.add('USA', '2016-04-12T16:00:00.000Z', 'vd.hazardous-incident', { incident: 'Su-24 passes at about 30 ft of USS Donald Cook', time: '2016-04-12T14:00:00Z', location: 'Baltic Sea' }, { to: ['RUS'] });
    expect(at(record, '2016-04-13T00:00:00Z').findings).toEqual([
      expect.objectContaining({ rule: 'vd11.iii.hazardous-incident', severity: 'info', parties: ['USA', 'RUS'], evidence: [e.id], at: e.time }),
    ]);
  });
});

describe('VD11 Ch. IX: inspections', () => {
  const Y = '2022-03-01T00:00:00.000Z';
  function request(record: CheckedRecord, from: string, day: number): RecordEntry {
    return record.add(from, T(Y) + day * DAY, 'vd.inspection.request', inspectionRequestBody('BLR'), { to: ['*'] });
  }
  function accept(record: CheckedRecord, q: RecordEntry, after = HOUR, entryAfter = 30 * HOUR): RecordEntry {
    return record.add('BLR', T(q.time) + after, 'vd.inspection.reply', { accepted: true, pointOfEntry: 'Minsk', entryTime: iso(T(q.time) + entryAfter) }, { to: ['*'], refs: [q.id] });
  }

  it('reply within 24 hours and entry within 36 hours, to the millisecond', () => {
    for (const [replyAfter, entryAfter, replyStatus, entryStatus] of [
      [24 * HOUR, 36 * HOUR, 'met', 'met'],
      [24 * HOUR + 1, 36 * HOUR + 1, 'met-late', 'met-late'],
    ] as const) {
      const record = new CheckedRecord();
      const q = request(record, 'POL', 0);
      accept(record, q, replyAfter, entryAfter);
      const r = at(record, T(Y) + 10 * DAY);
      expect(obligations(r, VD11.inspectionReply)).toEqual([expect.objectContaining({ status: replyStatus, debtor: 'BLR', creditors: ['POL'], due: iso(T(q.time) + 24 * HOUR) })]);
      expect(obligations(r, VD11.inspectionEntry)).toEqual([expect.objectContaining({ status: entryStatus, due: iso(T(q.time) + 36 * HOUR) })]);
    }
  });

  it('quota: 3 per calendar year, 1 from the same State; beyond it the receiving State may decline', () => {
    const record = new CheckedRecord();
    const states = ['POL', 'LTU', 'LVA', 'EST'];
    states.forEach((s, i) => accept(record, request(record, s, i * 10)));
    const again = request(record, 'POL', 50);
    const r = at(record, T(Y) + 100 * DAY);
    expect(obligations(r, VD11.inspectionEntry)).toHaveLength(VD11.inspectionQuota.figures.perYear);
    const beyond = findings(r, VD11.inspectionQuota);
    expect(beyond).toHaveLength(2);
    expect(beyond.every((f) => f.severity === 'info')).toBe(true);
    expect(beyond.map((f) => f.evidence[0])).toContain(again.id);
  });

  it('a second request from the same State in the year is beyond the quota', () => {
    const record = new CheckedRecord();
    accept(record, request(record, 'POL', 0));
    const second = request(record, 'POL', 10);
    expect(findings(at(record, T(Y) + 30 * DAY), VD11.inspectionQuota)).toEqual([expect.objectContaining({ evidence: [second.id], parties: ['BLR', 'POL'] })]);
  });

  it('declining within the quota is a violation; citing force majeure, information', () => {
    for (const [forceMajeure, severity] of [
      [false, 'violation'],
      [true, 'info'],
    ] as const) {
      const record = new CheckedRecord();
      const q = request(record, 'POL', 0);
      const no = record.add('BLR', T(q.time) + HOUR, 'vd.inspection.reply', { accepted: false, reason: 'no', forceMajeure }, { to: ['*'], refs: [q.id] });
      const r = at(record, T(Y) + 10 * DAY);
      expect(obligations(r, VD11.inspectionEntry)).toEqual([expect.objectContaining({ status: 'missed', evidence: [q.id, no.id] })]);
      expect(findings(r, VD11.inspectionEntry)).toEqual([expect.objectContaining({ severity })]);
    }
  });
});

describe('VD11 Ch. IX: evaluation visits', () => {
  function visits(units: number, requests: string[], year = 2022): { r: RegimeResult; record: CheckedRecord } {
    const record = new CheckedRecord();
    record.add('BLR', `${year - 1}-12-10T00:00:00.000Z`, 'vd.annual-exchange', annualExchangeBody(year, units));
    requests.forEach((from, i) => {
      const q = record.add(from, T(`${year}-02-01T00:00:00Z`) + i * DAY, 'vd.evaluation.request', evaluationRequestBody('BLR'));
      record.add('BLR', T(q.time) + HOUR, 'vd.evaluation.reply', { accepted: true, visitDate: `${year}-03-01` }, { refs: [q.id] });
    });
    return { r: at(record, `${year}-12-01T00:00:00Z`), record };
  }
  const beyond = (r: RegimeResult) => findings(r, VD11.evaluationQuota).length;

  it('one visit per 60 units or portion thereof: 60 units allow 1, 61 allow 2, 120 allow 2, 121 allow 3', () => {
    const six = ['POL', 'LTU', 'LVA', 'EST', 'UKR', 'USA'];
    for (const [units, quota] of [
      [59, 1],
      [60, 1],
      [61, 2],
      [120, 2],
      [121, 3],
    ] as const) {
      expect(beyond(visits(units, six).r), `${units} units`).toBe(six.length - quota);
    }
  });

  it('at most 15 a year, at most a fifth of the quota from one State (at least one)', () => {
    const many = Array.from({ length: 20 }, (_, i) => `S${String(i).padStart(2, '0')}`);
    expect(beyond(visits(60 * 20, many).r)).toBe(20 - VD11.evaluationQuota.figures.maxPerYear);
    expect(beyond(visits(60 * 15, ['POL', 'POL', 'POL', 'POL']).r)).toBe(1);
    expect(beyond(visits(60 * 14, ['POL', 'POL', 'POL']).r)).toBe(1);
    expect(beyond(visits(60 * 2, ['POL', 'POL']).r)).toBe(1);
  });

  it('declining within the quota is a violation', () => {
    const record = new CheckedRecord();
    record.add('BLR', '2021-12-10T00:00:00.000Z', 'vd.annual-exchange', annualExchangeBody(2022, 100));
    const q = record.add('POL', '2022-02-01T00:00:00.000Z', 'vd.evaluation.request', evaluationRequestBody('BLR'));
    record.add('BLR', '2022-02-02T00:00:00.000Z', 'vd.evaluation.reply', { accepted: false, reason: 'no' }, { refs: [q.id] });
    expect(findings(at(record, '2022-12-01T00:00:00Z'), VD11.evaluationQuota)).toEqual([expect.objectContaining({ severity: 'violation' })]);
  });
});

describe('observer reports: counting more than was notified, or a notifiable activity not notified', () => {
  it('counting more troops than notified is a violation with both entries as evidence', () => {
    const { record, entry } = notified({ troops: 12_700 });
    const report = record.add('LTU', '2021-09-12T00:00:00.000Z', 'vd.observer.report', reportBody({ notification: entry.id, counted: { troops: 14_000, battleTanks: 0 } }));
    const f = findings(at(record, AFTER), VD11.observedOverNotified);
    expect(f).toEqual([expect.objectContaining({ severity: 'violation', parties: ['RUS', 'LTU'], evidence: [entry.id, report.id], at: report.time })]);
    expect(f[0].explanation).toContain('14,000 troops');
    expect(f[0].explanation).toContain('12,700');
  });

  it('counting what was notified, or less, is no finding; a correction after the count does not erase it', () => {
    const { record, entry } = notified({ troops: 12_700 });
    record.add('LTU', '2021-09-12T00:00:00.000Z', 'vd.observer.report', reportBody({ notification: entry.id, counted: { troops: 12_700 } }));
    expect(findings(at(record, AFTER), VD11.observedOverNotified)).toEqual([]);
    const over = notified({ troops: 12_700 });
    const report = over.record.add('LTU', '2021-09-12T00:00:00.000Z', 'vd.observer.report', reportBody({ notification: over.entry.id, counted: { troops: 14_000 } }));
    over.record.add('RUS', '2021-09-13T00:00:00.000Z', 'vd.activity.notification', notificationBody({ designation: 'Exercise', troops: 14_000, corrects: over.entry.id }));
    expect(findings(at(over.record, AFTER), VD11.observedOverNotified)).toEqual([expect.objectContaining({ evidence: [over.entry.id, report.id] })]);
  });

  it('a notifiable activity counted with no notification is a violation; with one overlapping, a warning', () => {
    const record = new CheckedRecord();
    const report = record.add('LTU', '2021-09-12T00:00:00.000Z', 'vd.observer.report', reportBody({ counted: { troops: 9000 } }));
    expect(findings(at(record, AFTER), VD11.observedNotNotified)).toEqual([expect.objectContaining({ severity: 'violation', evidence: [report.id], parties: ['RUS', 'LTU'] })]);
    const below = new CheckedRecord();
    below.add('LTU', '2021-09-12T00:00:00.000Z', 'vd.observer.report', reportBody({ counted: { troops: 8999 } }));
    expect(findings(at(below, AFTER), VD11.observedNotNotified)).toEqual([]);
    const { record: overlapped, entry } = notified({ troops: 9500 });
    const r2 = overlapped.add('LTU', '2021-09-12T00:00:00.000Z', 'vd.observer.report', reportBody({ counted: { troops: 9000 } }));
    expect(findings(at(overlapped, AFTER), VD11.observedNotNotified)).toEqual([expect.objectContaining({ severity: 'warning', evidence: [entry.id, r2.id] })]);
  });

  it('a report naming an entry that is not a notification of the observed State is a warning', () => {
    const { record, entry } = notified({ troops: 9500 });
    const r = record.add('LTU', '2021-09-12T00:00:00.000Z', 'vd.observer.report', reportBody({ observedState: 'BLR', notification: entry.id, counted: { troops: 9000 } }));
    expect(findings(at(record, AFTER), VD11.observedNotNotified)).toEqual([expect.objectContaining({ severity: 'warning', evidence: [r.id], parties: ['BLR', 'LTU'] })]);
  });
});

describe('a declared figure just under a threshold (the Zapad-2017 pattern)', () => {
  it('12,700 troops is a warning citing §47.4 (2.3 % under 13,000)', () => {
    const { record, entry } = notified({ troops: 12_700 });
    const f = findings(at(record, AFTER), VD11.thresholdMargin);
    expect(f).toEqual([expect.objectContaining({ severity: 'warning', citation: 'VD11 §47.4', evidence: [entry.id], parties: ['RUS'], at: entry.time })]);
    expect(f[0].explanation).toContain('2.3% under the 13,000');
  });

  it('the margin is configurable and its edge is included; a threshold crossed by another figure is not gamed', () => {
    const edge = 13_000 * 0.95; // 12,350
    expect(findings(at(notified({ troops: edge }).record, AFTER), VD11.thresholdMargin)).toHaveLength(1);
    expect(findings(at(notified({ troops: edge - 1 }).record, AFTER), VD11.thresholdMargin)).toHaveLength(0);
    expect(findings(at(notified({ troops: edge - 1 }).record, AFTER, { margin: 0.1 }), VD11.thresholdMargin)).toHaveLength(1);
    expect(findings(at(notified({ troops: 12_700, battleTanks: 300 }).record, AFTER), VD11.thresholdMargin).map((f) => f.citation)).toEqual(['VD11 §67.2', 'VD11 §67.2']);
    expect(findings(at(notified({ troops: 13_000 }).record, AFTER), VD11.thresholdMargin)).toEqual([expect.objectContaining({ citation: 'VD11 §67.2' })]);
    expect(findings(at(notified({ troops: 8600 }).record, AFTER), VD11.thresholdMargin)).toEqual([expect.objectContaining({ citation: 'VD11 §40.1.1' })]);
    expect(() => at(notified({ troops: 1 }).record, AFTER, { margin: 1 })).toThrow(/margin/);
  });
});

describe('the rule table', () => {
  it('has one row per rule id, each with a citation', () => {
    const rows = Object.values(VD11);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) expect(r.citation).toMatch(/^VD11 (§\d+(\.\d+)*|Ch\. [IVX]+)/);
  });
});

describe('what was counted counts: every figure-based rule on each State\'s count, kept apart from the notified figures', () => {
  /** RUS notifies `designation` at `troops`, 60 days ahead; UKR observes and counts `counted`. */
  function countedAt(troops: number, counted: number, start = START, designation = 'Kavkaz'): { record: CheckedRecord; notice: RecordEntry; report: RecordEntry } {
    const record = new CheckedRecord();
    const notice = record.add('RUS', T(start) - 60 * DAY, 'vd.activity.notification', notificationBody({ designation, start, end: iso(T(start) + 6 * DAY), troops }));
    const report = record.add('UKR', T(start) + 2 * DAY, 'vd.observer.report', reportBody({ observedState: 'RUS', notification: notice.id, start, end: iso(T(start) + DAY), counted: { troops: counted } }));
    return { record, notice, report };
  }

  it('§47.4: notified at 12,500, counted at 20,000 — observers were to be invited, on UKR\'s count; notified figures alone find nothing', () => {
    const { record, notice, report } = countedAt(12_500, 20_000);
    const r = at(record, AFTER);
    expect(obligations(r, VD11.observation)).toEqual([]);
    const f = findings(r, VD11.observation);
    expect(f).toEqual([expect.objectContaining({ severity: 'violation', citation: 'VD11 §47.4', parties: ['RUS', 'UKR'], evidence: [notice.id, report.id] })]);
    expect(f[0].explanation).toMatch(/^on UKR's count, "Kavkaz" involved 20,000 troops, at the observation threshold of VD11 §47\.4: .* RUS invited none$/);
    // An invitation in time answers it: nothing on the count.
    record.add('RUS', T(START) - 50 * DAY, 'vd.observation.invitation', { designation: 'Kavkaz', observersPerState: 2, arrivalPoint: 'Rostov', arrivalTime: START });
    expect(findings(at(record, AFTER), VD11.observation)).toEqual([]);
    // The notified-figure finding is apart: counting over the notification is its own finding.
    expect(findings(r, VD11.observedOverNotified)).toHaveLength(1);
  });

  it('§68: counted over 40,000 troops with no calendar entry is a violation on the count', () => {
    const { record } = countedAt(30_000, 45_000);
    const f = findings(at(record, AFTER), VD11.inCalendar);
    expect(f).toEqual([expect.objectContaining({ severity: 'violation', citation: 'VD11 §68', parties: ['RUS', 'UKR'] })]);
    expect(f[0].explanation).toMatch(/^on UKR's count, "Kavkaz" involved 45,000 troops, more than 40,000 troops/);
    expect(findings(at(countedAt(30_000, 40_000).record, AFTER), VD11.inCalendar)).toEqual([]);
  });

  it('§67.1: two activities counted over 40,000 within three calendar years, though notified under it, on the count', () => {
    const record = new CheckedRecord();
    const a = record.add('RUS', T('2021-04-01T00:00:00.000Z'), 'vd.activity.notification', notificationBody({ designation: 'Zapad-2021', start: '2021-06-01T00:00:00.000Z', end: '2021-06-07T00:00:00.000Z', troops: 12_800 }));
    const b = record.add('RUS', T('2022-04-01T00:00:00.000Z'), 'vd.activity.notification', notificationBody({ designation: 'Kavkaz-2022', start: '2022-06-01T00:00:00.000Z', end: '2022-06-07T00:00:00.000Z', troops: 12_800 }));
    const ra = record.add('UKR', T('2021-06-02T00:00:00.000Z'), 'vd.observer.report', reportBody({ observedState: 'RUS', notification: a.id, start: '2021-06-01T00:00:00.000Z', end: '2021-06-02T00:00:00.000Z', counted: { troops: 60_000 } }));
    expect(findings(at(record, '2022-12-01T00:00:00Z'), VD11.threeYears)).toEqual([]);
    const rb = record.add('UKR', T('2022-06-02T00:00:00.000Z'), 'vd.observer.report', reportBody({ observedState: 'RUS', notification: b.id, start: '2022-06-01T00:00:00.000Z', end: '2022-06-02T00:00:00.000Z', counted: { troops: 50_000 } }));
    const f = findings(at(record, '2022-12-01T00:00:00Z'), VD11.threeYears);
    expect(f).toEqual([expect.objectContaining({ severity: 'violation', parties: ['RUS', 'UKR'], evidence: [a.id, ra.id, b.id, rb.id], at: rb.time })]);
    expect(f[0].explanation).toMatch(/^on UKR's count, RUS carried out 2 activities .*"Zapad-2021" 2021, "Kavkaz-2022" 2022/);
  });

  it('§67.2: six notified over 13,000 and a seventh notified at 12,000 but counted at 14,000 — seven in the year on UKR\'s count', () => {
    const record = new CheckedRecord();
    for (let i = 0; i < 6; i++) {
      const start = `2021-0${i + 1}-10T00:00:00.000Z`;
      record.add('RUS', T(start) - 60 * DAY, 'vd.activity.notification', notificationBody({ designation: `A${i}`, start, end: iso(T(start) + 5 * DAY), troops: 14_000 }));
    }
    const seventh = record.add('RUS', T('2021-08-10T00:00:00.000Z') - 60 * DAY, 'vd.activity.notification', notificationBody({ designation: 'A6', start: '2021-08-10T00:00:00.000Z', end: '2021-08-15T00:00:00.000Z', troops: 12_000 }));
    expect(findings(at(record, '2022-01-01T00:00:00Z'), VD11.perYear)).toEqual([]);
    const report = record.add('UKR', T('2021-08-11T00:00:00.000Z'), 'vd.observer.report', reportBody({ observedState: 'RUS', notification: seventh.id, start: '2021-08-10T00:00:00.000Z', end: '2021-08-11T00:00:00.000Z', counted: { troops: 14_000 } }));
    const f = findings(at(record, '2022-01-01T00:00:00Z'), VD11.perYear);
    expect(f).toEqual([expect.objectContaining({ citation: 'VD11 §67.2', severity: 'violation', parties: ['RUS', 'UKR'], at: report.time })]);
    expect(f[0].explanation).toMatch(/^on UKR's count, RUS carried out 7 activities .* in 2021 \(.*"A6"\)/);
    expect(f[0].evidence).toContain(report.id);
  });

  it('whose count: two counting States, two findings, each naming its own', () => {
    const { record, notice } = countedAt(12_500, 20_000);
    record.add('LTU', T(START) + 3 * DAY, 'vd.observer.report', reportBody({ observedState: 'RUS', notification: notice.id, counted: { troops: 14_000 } }));
    expect(findings(at(record, AFTER), VD11.observation).map((f) => f.explanation.slice(0, 16)).sort()).toEqual(["on LTU's count, ", "on UKR's count, "]);
  });
});

describe('corrected citations', () => {
  function yearOf(troops: number[]): CheckedRecord {
    const record = new CheckedRecord();
    troops.forEach((n, i) => {
      const start = `2021-${String(i + 1).padStart(2, '0')}-10T00:00:00.000Z`;
      record.add('RUS', T(start) - 60 * DAY, 'vd.activity.notification', notificationBody({ designation: `A${i}`, start, end: iso(T(start) + 5 * DAY), troops: n }));
    });
    return record;
  }

  it('§67.2 counts only activities between 13,000 and 40,000 troops: six of 14,000 and one of 45,000 break no §67.2 rule', () => {
    const r = at(yearOf([14_000, 14_000, 14_000, 14_000, 14_000, 14_000, 45_000]), '2022-01-01T00:00:00Z');
    expect(findings(r, VD11.perYear)).toEqual([]);
    const seven = findings(at(yearOf(Array(7).fill(14_000)), '2022-01-01T00:00:00Z'), VD11.perYear);
    expect(seven).toEqual([expect.objectContaining({ citation: 'VD11 §67.2' })]);
    // §67 findings name the activities, not only entry ids.
    expect(seven[0].explanation).toContain('"A0", "A1", "A2", "A3", "A4", "A5", "A6"');
  });

  it('three over 25,000 is §67.2.1, and counts only activities not over 40,000', () => {
    const four = findings(at(yearOf([26_000, 26_000, 26_000, 26_000]), '2022-01-01T00:00:00Z'), VD11.perYearLarge);
    expect(four).toEqual([expect.objectContaining({ citation: 'VD11 §67.2.1' })]);
    expect(findings(at(yearOf([26_000, 26_000, 26_000, 41_000]), '2022-01-01T00:00:00Z'), VD11.perYearLarge)).toEqual([]);
  });

  it('the 48-hour reply is §16.1.3; counted more than notified is a rule on the notification\'s content, not §38', () => {
    expect(VD11.explanationReply.citation).toBe('VD11 §16.1.3');
    expect(VD11.explanationReply.figures.hours).toBe(48);
    expect(VD11.observedOverNotified.citation).not.toContain('§38');
    expect(VD11.observedOverNotified.citation).toMatch(/Ch\. V/);
  });
});

describe('the evidence of a finding that rests on a correction lists the correction', () => {
  it('§68: a correction that raised the figures over 40,000 is in the evidence, with the first notification', () => {
    const record = new CheckedRecord();
    const first = record.add('RUS', LONG_BEFORE, 'vd.activity.notification', notificationBody({ designation: 'Zapad', start: START, end: END, troops: 30_000 }));
    const correction = record.add('RUS', T(LONG_BEFORE) + DAY, 'vd.activity.notification', notificationBody({ designation: 'Zapad', start: START, end: END, troops: 45_000, corrects: first.id }));
    expect(findings(at(record, AFTER), VD11.inCalendar)).toEqual([expect.objectContaining({ evidence: [first.id, correction.id] })]);
  });

  it('§47.4 and §38: an activity made notifiable and observable by a correction lists it among the evidence', () => {
    const record = new CheckedRecord();
    const first = record.add('RUS', T(START) - 10 * DAY, 'vd.activity.notification', notificationBody({ designation: 'Zapad', start: START, end: END, troops: 8_000 }));
    const correction = record.add('RUS', T(START) - 9 * DAY, 'vd.activity.notification', notificationBody({ designation: 'Zapad', start: START, end: END, troops: 15_000, corrects: first.id }));
    const r = at(record, AFTER);
    expect(findings(r, VD11.observation)).toEqual([expect.objectContaining({ evidence: [first.id, correction.id] })]);
    expect(findings(r, VD11.priorNotification)).toEqual([expect.objectContaining({ evidence: [first.id, correction.id] })]);
  });
});

describe('entries a rule reads are addressed to every participating State', () => {
  it('the catalogue refuses an inspection request, a reply or a request for explanation not addressed to "*"', () => {
    const c = catalogue();
    expect(c.validate('vd.inspection.request', inspectionRequestBody('BLR'), 'POL', [], ['*']).ok).toBe(true);
    for (const [type, body] of [
      ['vd.inspection.request', inspectionRequestBody('BLR')],
      ['vd.inspection.reply', { accepted: false }],
      ['vd.explanation.request', explanationRequestBody('RUS')],
      ['vd.explanation.reply', { explanation: 'Scheduled exercises' }],
    ] as const) {
      const v = c.validate(type, body, 'BLR', [], ['POL']);
      expect(v.ok, type).toBe(false);
      if (!v.ok) expect(v.error.code).toBe('PARLEY_ERR_ADDRESSEES');
    }
    // A hazardous-incident report may go to the States concerned: no rule convicts on it.
    expect(c.validate('vd.hazardous-incident', { incident: 'Close approach', time: START, location: 'Black Sea' }, 'UKR', [], ['RUS']).ok).toBe(true);
  });

  it('a node holding only stubs of other States\' inspection requests and replies would convict on the quota: the catalogue refuses such addressing, so a node holds what the quota rests on', () => {
    const record = new CheckedRecord();
    const year = '2022-03-01T00:00:00.000Z';
    // LTU, LVA and EST inspect BLR, which accepts all three; POL's is the fourth and declined.
    for (const [i, from] of ['LTU', 'LVA', 'EST'].entries()) {
      const q = record.add(from, T(year) + i * DAY, 'vd.inspection.request', inspectionRequestBody('BLR'));
      record.add('BLR', T(year) + i * DAY + HOUR, 'vd.inspection.reply', { accepted: true, pointOfEntry: 'Minsk', entryTime: iso(T(year) + i * DAY + 2 * HOUR) }, { refs: [q.id] });
    }
    const pol = record.add('POL', T(year) + 5 * DAY, 'vd.inspection.request', inspectionRequestBody('BLR'));
    record.add('BLR', T(year) + 5 * DAY + HOUR, 'vd.inspection.reply', { accepted: false, reason: 'Quota reached' }, { refs: [pol.id] });
    const whole = at(record, '2022-12-01T00:00:00Z');
    expect(findings(whole, VD11.inspectionEntry)).toEqual([]);
    expect(findings(whole, VD11.inspectionQuota)).toEqual([expect.objectContaining({ severity: 'info', parties: ['BLR', 'POL'] })]);
    // The same record as a node that was not addressed would hold it: stubs of the others' requests and replies.
    const polView = record.entries.map((e) => (e.author === 'POL' || e.refs?.includes(pol.id) ? e : RecordBuilder.stub(e)));
    const partial = evaluateAll(polView, T('2022-12-01T00:00:00Z'));
    // It would convict ("declined within its quota, 0 of 3 accepted") — which is why such a record is refused.
    expect(findings(partial, VD11.inspectionEntry)).toEqual([expect.objectContaining({ severity: 'violation', explanation: expect.stringContaining('0 of 3 accepted') })]);
    // Those requests and replies, addressed to BLR or to the requester only, are refused: no node can hold them as stubs for good.
    for (const e of record.entries.filter((x) => x.author !== 'POL' && !x.refs?.includes(pol.id))) {
      const v = catalogue().validate(e.type!, e.body, e.author, e.refs, e.author === 'BLR' ? ['LTU'] : ['BLR']);
      expect(v.ok ? undefined : v.error.code).toBe('PARLEY_ERR_ADDRESSEES');
    }
  });
});

describe('VD11 circulation: what a rule reads counts only where every party judging by it holds it', () => {
  const ASKED = '2022-02-11T12:00:00.000Z';
  /** The record as `party` holds it: contents addressed to it (or to "*") and its own, stubs of the rest. */
  const viewOf = (entries: readonly RecordEntry[], party: string): RecordEntry[] =>
    entries.map((e) => (e.author === party || e.to!.includes('*') || e.to!.includes(party) ? e : RecordBuilder.stub(e)));
  const violations = (r: RegimeResult): Finding[] => r.findings.filter((f) => f.severity === 'violation');

  it('a reply to a request to all, addressed to the requester only, meets it nowhere: every State finds the same, its readers are told why', () => {
    const record = new RecordBuilder();
    const request = record.add('UKR', ASKED, 'vd.explanation.request', explanationRequestBody('RUS'));
    const reply = record.add('RUS', T(ASKED) + HOUR, 'vd.explanation.reply', { explanation: 'Scheduled exercises' }, { to: ['UKR'], refs: [request.id] });
    const when = T(ASKED) + 3 * DAY;
    const whole = evaluateAll(record.entries, when);
    expect(obligations(whole, VD11.explanationReply).map((o) => o.status)).toEqual(['missed']);
    // USA holds the reply's stub, UKR and RUS read it: the same violations at all three.
    for (const party of ['USA', 'UKR', 'RUS']) expect(violations(evaluateAll(viewOf(record.entries, party), when))).toEqual(violations(whole));
    expect(findings(evaluateAll(viewOf(record.entries, 'UKR'), when), VD11.circulation)).toEqual([
      expect.objectContaining({ severity: 'info', evidence: [request.id, reply.id], explanation: expect.stringContaining('addressed to UKR only: it does not count, since the request went to every party, and not every party can read it') }),
    ]);
    // Addressed to all, it meets it.
    record.add('RUS', T(ASKED) + 2 * HOUR, 'vd.explanation.reply', { explanation: 'Scheduled exercises' }, { refs: [request.id] });
    expect(obligations(at(record, when), VD11.explanationReply).map((o) => o.status)).toEqual(['met']);
  });

  it('entries of the responding State a node cannot read (its receipts to others) do not hide a missed reply: it was not addressed to them, so none of them is a reply that counts', () => {
    const record = new RecordBuilder();
    record.add('UKR', ASKED, 'vd.explanation.request', explanationRequestBody('RUS'));
    // What RUS's node writes all the time: receipts to the parties whose entries it accepted.
    for (const [i, to] of ['UKR', 'USA', 'BLR'].entries()) record.add('RUS', T(ASKED) + (i + 1) * 60_000, 'receipt', { of: to, upto: 1, head: '0'.repeat(64) }, { to: [to] });
    const when = T(ASKED) + 3 * DAY;
    const whole = evaluateAll(record.entries, when);
    expect(violations(whole).map((f) => f.citation)).toEqual(['VD11 §16.1.3']);
    for (const party of ['UKR', 'USA', 'POL']) expect(evaluateAll(viewOf(record.entries, party), when).findings).toEqual(whole.findings);
  });

  it('a quota counts the acceptances every party holding the request holds: the receiving State finds what a State holding their stubs finds', () => {
    const record = new RecordBuilder();
    const year = T('2022-03-01T00:00:00.000Z');
    // LTU, LVA and EST inspect BLR, which accepts all three — each to the other only.
    for (const [i, from] of ['LTU', 'LVA', 'EST'].entries()) {
      const q = record.add(from, year + i * DAY, 'vd.inspection.request', inspectionRequestBody('BLR'), { to: ['BLR'] });
      record.add('BLR', year + i * DAY + HOUR, 'vd.inspection.reply', { accepted: true, pointOfEntry: 'Minsk', entryTime: iso(year + i * DAY + 2 * HOUR) }, { to: [from], refs: [q.id] });
    }
    // POL's request goes to all; BLR declines it, to all.
    const pol = record.add('POL', year + 5 * DAY, 'vd.inspection.request', inspectionRequestBody('BLR'));
    record.add('BLR', year + 5 * DAY + HOUR, 'vd.inspection.reply', { accepted: false, reason: 'Quota reached' }, { refs: [pol.id] });
    const when = T('2022-12-01T00:00:00.000Z');
    const whole = evaluateAll(record.entries, when);
    expect(findings(whole, VD11.inspectionEntry)).toEqual([expect.objectContaining({ severity: 'violation', explanation: expect.stringContaining('0 of 3 accepted') })]);
    for (const party of ['BLR', 'POL', 'LTU']) expect(violations(evaluateAll(viewOf(record.entries, party), when))).toEqual(violations(whole));
  });

  it('a notification not addressed to all counts for no rule: a report naming none convicts alike at a State holding it and one holding its stub', () => {
    const record = new RecordBuilder();
    const n = record.add('BLR', '2022-01-10T00:00:00.000Z', 'vd.activity.notification', notificationBody({ start: '2022-02-10T00:00:00.000Z', end: '2022-02-20T00:00:00.000Z', troops: 30_000 }), { to: ['UKR'] });
    record.add('UKR', '2022-02-12T09:00:00.000Z', 'vd.observer.report', reportBody({ observedState: 'BLR', start: '2022-02-12T00:00:00.000Z', end: '2022-02-13T00:00:00.000Z', counted: { troops: 30_000 } }));
    const when = T('2022-03-01T00:00:00.000Z');
    const whole = evaluateAll(record.entries, when);
    expect(findings(whole, VD11.observedNotNotified)).toEqual([expect.objectContaining({ severity: 'violation' })]);
    for (const party of ['UKR', 'USA', 'BLR']) expect(violations(evaluateAll(viewOf(record.entries, party), when))).toEqual(violations(whole));
    expect(findings(evaluateAll(viewOf(record.entries, 'UKR'), when), VD11.circulation)).toEqual([expect.objectContaining({ severity: 'info', evidence: [n.id] })]);
  });
});
