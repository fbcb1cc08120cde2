/**
 * The winter 2021–22 crisis through the Vienna Document regime, as far as DOMAIN.md supports it.
 *
 * Historical [V]: Estonia, Latvia and Lithuania asked Belarus for information on 10 February 2022;
 * Ukraine asked Russia for an explanation under Chapter III on 11 February 2022. Zapad-2017 was
 * declared at 12,700 troops.
 * Illustrative: the hours of the requests, the replies (none from Russia; Belarus late), the
 * meeting request two days on, and an exercise notified 30 days ahead instead of 42.
 */
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../engine.js';
import { evaluateAll } from '../index.js';
import { RecordBuilder } from '../../../test/support/record.js';
import { explanationRequestBody, notificationBody } from '../../../test/support/vienna-bodies.js';
import { VD11 } from './rules.js';

const T = (iso: string): number => Date.parse(iso);

function crisis(): { record: RecordBuilder; ids: Record<string, string> } {
  const r = new RecordBuilder('crisis:');
  const ids: Record<string, string> = {};
  ids.zapad = r.add('BLR', '2017-07-20T09:00:00.000Z', 'vd.activity.notification', notificationBody({ designation: 'Zapad-2017', start: '2017-09-14T00:00:00Z', end: '2017-09-20T00:00:00Z', troops: 12_700, battleTanks: 280 })).id;
  for (const state of ['EST', 'LVA', 'LTU']) {
    ids[state] = r.add(state, '2022-02-10T09:00:00.000Z', 'vd.explanation.request', explanationRequestBody('BLR'), { to: ['BLR'] }).id;
  }
  ids.ukr = r.add('UKR', '2022-02-11T09:00:00.000Z', 'vd.explanation.request', explanationRequestBody('RUS'), { to: ['RUS'] }).id;
  ids.blr = r.add('BLR', '2022-02-11T12:00:00.000Z', 'vd.explanation.reply', { explanation: 'Joint exercise Union Resolve-2022 with the Russian Federation' }, { to: ['EST', 'LVA', 'LTU'], refs: [ids.EST, ids.LVA, ids.LTU] }).id;
  ids.meeting = r.add('UKR', '2022-02-13T09:00:01.000Z', 'vd.meeting.request', { respondingState: 'RUS', format: 'with-responding-State', purpose: 'Explain the build-up near the border' }, { to: ['RUS'], refs: [ids.ukr] }).id;
  ids.late = r.add('RUS', '2022-01-10T09:00:00.000Z', 'vd.activity.notification', notificationBody({ designation: 'Winter exercise', start: '2022-02-09T00:00:00Z', end: '2022-02-20T00:00:00Z', troops: 9_500 })).id;
  return { record: r, ids };
}

describe('winter 2021–22', () => {
  it('shows the reply that never came, the meeting not held, the late notification and a figure just under a threshold', () => {
    const { record, ids } = crisis();
    const at = T('2022-02-16T00:00:00.000Z');
    const { obligations, findings } = evaluateAll(record.entries, at);
    const ukr = obligations.find((o) => o.rule === VD11.explanationReply.id && o.evidence[0] === ids.ukr)!;
    expect(ukr).toMatchObject({ debtor: 'RUS', creditors: ['UKR'], due: '2022-02-13T09:00:00.000Z', status: 'missed' });
    expect(obligations.find((o) => o.rule === VD11.meeting.id)).toMatchObject({ debtor: 'RUS', status: 'missed', due: '2022-02-15T09:00:01.000Z' });
    // Belarus answered the three Baltic requests in one reply, 27 hours after them: met.
    const baltic = obligations.filter((o) => o.rule === VD11.explanationReply.id && o.debtor === 'BLR');
    expect(baltic.map((o) => [o.creditors[0], o.status, o.metBy]).sort()).toEqual([
      ['EST', 'met', ids.blr],
      ['LTU', 'met', ids.blr],
      ['LVA', 'met', ids.blr],
    ]);
    expect(findings.find((f) => f.rule === VD11.priorNotification.id)).toMatchObject({ parties: ['RUS'], evidence: [ids.late], at: '2021-12-29T00:00:00.001Z' });
    expect(findings.find((f) => f.rule === VD11.thresholdMargin.id && f.evidence[0] === ids.zapad)).toMatchObject({ citation: 'VD11 §47.4', severity: 'warning' });
    // Before Ukraine's deadline passed, the same record showed an open obligation and no finding.
    const before = evaluateAll(record.entries, T('2022-02-13T09:00:00.000Z'));
    expect(before.obligations.find((o) => o.evidence[0] === ids.ukr)?.status).toBe('open');
    expect(before.findings.some((f) => f.rule === VD11.explanationReply.id)).toBe(false);
    expect(T(ukr.due) - T('2022-02-11T09:00:00.000Z')).toBe(48 * HOUR);
    expect(at - T(ukr.due)).toBeLessThan(3 * DAY);
  });
});
