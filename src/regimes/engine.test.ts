/**
 * The engine's promises: incremental evaluation gives exactly the full evaluation's result, in
 * whatever order entries arrive and whichever way the clock moves; the output is a pure function
 * of the entries and the time (byte-identical JSON at every party, in every time zone).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, Evaluation, count, formatDuration, isoTime, utcYear } from './engine.js';
import { REGIMES, evaluateAll, openEvaluation } from './index.js';
import { catalogue } from './registry.js';
import { vienna2011 } from './vienna2011/index.js';
import { RecordBuilder } from '../../test/support/record.js';
import { prng } from '../../bench/stats.js';
import type { RecordEntry, Regime, RegimeResult } from './types.js';
import { annualExchangeBody, calendarBody, evaluationRequestBody, explanationRequestBody, inspectionRequestBody, notificationBody, participation, reportBody } from '../../test/support/vienna-bodies.js';


const BASE = Date.UTC(2021, 0, 1);
const STATES = ['RUS', 'UKR', 'BLR', 'POL'];
const TROOPS = [0, 2999, 8999, 9000, 12_350, 12_700, 13_000, 13_001, 25_001, 40_000, 40_001];
const DESIGNATIONS = ['Zapad', 'Union Resolve', 'Grom', undefined];

/**
 * A random record over two years: every content type, replies to earlier requests (and to
 * nothing), amendments, calendars, reports naming notifications (right and wrong), stubs, and
 * times in no particular order.
 */
function randomRecord(seed: number, size: number): RecordEntry[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const r = new RecordBuilder(`s${seed}:`);
  const by = new Map<string, RecordEntry[]>();
  const of = (type: string): RecordEntry[] => by.get(type) ?? [];
  const time = (): number => BASE + Math.floor(rnd() * 730) * DAY + Math.floor(rnd() * 24) * HOUR + (rnd() < 0.2 ? 1 : 0);
  const add = (author: string, t: number, type: string, body: object, options: { to?: string[]; refs?: string[] } = {}): RecordEntry => {
    const e = r.add(author, t, type, body, options);
    by.set(type, [...of(type), e]);
    return e;
  };
  const later = (e: RecordEntry | undefined, spread: number): number => (e ? Date.parse(e.time) + Math.floor(rnd() * spread) : time());
  // Who takes part in the Vienna Document is declared: some of the States, from some time (POL never).
  const participants = STATES.filter((s) => s !== 'POL' && rnd() < 0.8);
  if (participants.length > 0) participation(r, participants, time(), BASE + Math.floor(rnd() * 400) * DAY);
  for (let i = 0; i < size; i++) {
    const a = pick(STATES);
    const b = pick(STATES.filter((s) => s !== a));
    const k = rnd();
    if (k < 0.02) {
      // A surge: four large activities at once (§67.3).
      const t = time();
      for (let j = 0; j < 4; j++) {
        const start = t + 50 * DAY + j * DAY;
        add(a, t + j, 'vd.activity.notification', notificationBody({ start: new Date(start).toISOString(), end: new Date(start + 5 * DAY).toISOString(), troops: 13_001 + j }));
      }
    } else if (k < 0.2) {
      const t = time();
      const start = t + Math.floor((rnd() * 90 - 10) * DAY);
      const previous = of('vd.activity.notification').filter((n) => n.author === a);
      const corrected = rnd() < 0.3 && previous.length ? pick(previous) : undefined;
      const designation = corrected ? (corrected.body!.designation as string | undefined) : pick(DESIGNATIONS);
      add(a, t, 'vd.activity.notification', {
        ...notificationBody({
          start: new Date(start).toISOString(),
          end: new Date(start + Math.floor(rnd() * (rnd() < 0.3 ? 90 : 10) * DAY)).toISOString(),
          troops: pick(TROOPS),
          battleTanks: pick([0, 249, 250, 300, 301, 901]),
          amphibiousTroops: pick([0, 3000, 3500]),
          alertActivity: rnd() < 0.15,
          ...(corrected ? { corrects: corrected.id } : {}),
        }),
        ...(designation ? { designation } : {}),
        // Now and then one of an older record, not circulated to all.
      }, { to: k < 0.035 ? [b] : ['*'] });
    } else if (k < 0.27) {
      const year = 2021 + Math.floor(rnd() * 2);
      const items = DESIGNATIONS.filter((d): d is string => d !== undefined && rnd() < 0.5).map((designation) => {
        const start = Date.UTC(year, Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28));
        return { designation, start: new Date(start).toISOString(), end: new Date(start + 3 * DAY).toISOString(), troops: pick(TROOPS) };
      });
      add(a, Date.UTC(year - 1, 9 + Math.floor(rnd() * 3), 1 + Math.floor(rnd() * 28)), 'vd.calendar', calendarBody(year, items));
    } else if (k < 0.33) {
      const n = rnd() < 0.7 ? pick(of('vd.activity.notification').filter((x) => x.author === a)) : undefined;
      add(a, later(n, 60 * DAY), 'vd.observation.invitation', {
        ...(n ? { notification: n.id } : { designation: pick(DESIGNATIONS.filter(Boolean)) }),
        observersPerState: 2,
        arrivalPoint: 'Minsk',
        arrivalTime: new Date(time()).toISOString(),
      });
    } else if (k < 0.4) {
      const n = rnd() < 0.6 ? pick(of('vd.activity.notification')) : undefined;
      const observed = n && rnd() < 0.8 ? n.author : b;
      const start = n ? Date.parse(n.body!.start as string) : time();
      add(a === observed ? b : a, later(n, 80 * DAY), 'vd.observer.report', reportBody({
        observedState: observed,
        ...(n ? { notification: n.id } : {}),
        start: new Date(start).toISOString(),
        end: new Date(start + DAY).toISOString(),
        counted: { troops: pick(TROOPS), ...(rnd() < 0.5 ? { battleTanks: pick([0, 250, 400]) } : {}) },
      }));
    } else if (k < 0.5) {
      // Addressed to all, as the catalogue asks; now and then a request of an older record that was not.
      add(a, time(), 'vd.explanation.request', explanationRequestBody(b), { to: rnd() < 0.9 ? ['*'] : [a === 'POL' ? 'UKR' : 'POL'] });
    } else if (k < 0.58) {
      const q = pick([...of('vd.explanation.request'), ...of('vd.meeting.request')]);
      const responder = q ? (q.body!.respondingState as string) : b;
      const type = q?.type === 'vd.meeting.request' ? 'vd.meeting.reply' : 'vd.explanation.reply';
      const body = type === 'vd.meeting.reply' ? (rnd() < 0.8 ? { accepted: true, meetingTime: new Date(later(q, 80 * HOUR)).toISOString() } : { accepted: false }) : { explanation: 'Scheduled exercises' };
      add(rnd() < 0.9 ? responder : a, later(q, 72 * HOUR), type, body, { refs: q && rnd() < 0.95 ? [q.id] : [] });
    } else if (k < 0.62) {
      const q = pick(of('vd.explanation.request'));
      add(q?.author ?? a, later(q, 72 * HOUR), 'vd.meeting.request', { respondingState: q ? (q.body!.respondingState as string) : b, format: 'with-responding-State', purpose: 'Clarify' }, { to: ['*'], refs: q ? [q.id] : [] });
    } else if (k < 0.7) {
      add(a, time(), 'vd.inspection.request', inspectionRequestBody(b), { to: ['*'] });
    } else if (k < 0.76) {
      const q = pick(of('vd.inspection.request'));
      const receiving = q ? (q.body!.receivingState as string) : b;
      const accepted = rnd() < 0.7;
      add(receiving, later(q, 40 * HOUR), 'vd.inspection.reply', accepted ? { accepted, pointOfEntry: 'Minsk', entryTime: new Date(later(q, 45 * HOUR)).toISOString() } : { accepted, forceMajeure: rnd() < 0.3 }, { refs: q ? [q.id] : [] });
    } else if (k < 0.82) {
      add(a, time(), 'vd.evaluation.request', evaluationRequestBody(b));
    } else if (k < 0.86) {
      const q = pick(of('vd.evaluation.request'));
      add(q ? (q.body!.receivingState as string) : b, later(q, 5 * DAY), 'vd.evaluation.reply', { accepted: rnd() < 0.7 }, { refs: q ? [q.id] : [] });
    } else if (k < 0.89) {
      add(a, Date.UTC(2020 + Math.floor(rnd() * 2), 11, 1 + Math.floor(rnd() * 30)), 'vd.annual-exchange', annualExchangeBody(2021 + Math.floor(rnd() * 2), Math.floor(rnd() * 200)));
    } else if (k < 0.92) {
      add(a, time(), 'vd.hazardous-incident', { incident: 'Close approach', time: new Date(time()).toISOString(), location: 'Black Sea' }, { to: [b] });
    } else if (k < 0.935) {
      const c = pick(STATES.filter((s) => s !== a && s !== b));
      add(a, time(), 'hotline.message', { priority: pick(['flash', 'immediate', 'routine']), subject: 'Status', text: 'Confirm.', language: 'en' }, { to: [b, c] });
    } else if (k < 0.95) {
      const m = pick(of('hotline.message'));
      if (m) {
        const debtor = pick(m.to!);
        const others = m.to!.filter((p) => p !== debtor);
        add(debtor, later(m, 40 * 60_000), 'hotline.ack', {}, { to: rnd() < 0.9 ? [m.author, ...others] : [m.author], refs: [m.id] });
      }
    } else if (k < 0.98) {
      // Receipts witness earlier entries of b's log (witnessed time): some to b alone, some to all.
      add(a, time(), 'receipt', { of: b, upto: 1 + Math.floor(rnd() * 4), head: '0'.repeat(64) }, { to: rnd() < 0.5 ? [b] : ['*'] });
    } else {
      const e = add(a, time(), 'note', { subject: 'stub', text: '' }, { to: [b] });
      r.entries[r.entries.length - 1] = RecordBuilder.stub(e);
    }
  }
  return r.entries;
}

function shuffled<T>(xs: readonly T[], rnd: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const json = (r: RegimeResult): string => JSON.stringify(r);

/**
 * The record as node `party` holds it: the content of the entries addressed to it (or to "*") and
 * of its own, a stub of every other — of the entries the catalogue accepts with their addressees.
 */
function viewOf(record: readonly RecordEntry[], party: string): RecordEntry[] {
  return record.map((e) => (e.type === undefined || e.author === party || e.to!.includes('*') || e.to!.includes(party) ? e : RecordBuilder.stub(e)));
}

/** The entries of `record` the catalogue accepts, with their addressees (a node refuses the others at append and at accept). */
function accepted(record: readonly RecordEntry[]): RecordEntry[] {
  const byId = new Map(record.map((e) => [e.id, e]));
  const c = catalogue().withRecord({ held: (id) => byId.get(id) });
  return record.filter((e) => e.type === undefined || c.validate(e.type, e.body, e.author, e.refs, e.to).ok);
}

const violations = (r: RegimeResult): Map<string, string> => new Map(r.findings.filter((f) => f.severity === 'violation').map((f) => [f.id, f.explanation]));

/**
 * No conviction from a partial record. A node holds the content of what was addressed to it and a
 * stub of everything else: whatever it is, its violations are among those every content shows.
 * (An entry not yet received is no different from one not yet said: a record is judged as it
 * stands. What a node may never hold is what the catalogue makes sure it does: every entry a rule
 * it judges reads.)
 */
describe('no conviction from a partial record', () => {
  it('the violations a node finds on what it holds (stubs of the rest) are among those found on every content', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 20, max: 220 }), (seed, size) => {
        const record = accepted(randomRecord(seed, size));
        const at = BASE + 800 * DAY;
        const whole = violations(evaluateAll(record, at));
        for (const party of STATES) {
          for (const [id, explanation] of violations(evaluateAll(viewOf(record, party), at))) {
            expect(whole.has(id), `${party} finds a violation the whole record does not show: ${explanation}`).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('holds for a record the catalogue refuses: an acknowledgement addressed only to the message\'s author does not count, so every addressee finds alike', () => {
    const r = new RecordBuilder();
    const m = r.add('USA', BASE, 'hotline.message', { priority: 'flash', subject: 'Status', text: 'Confirm.', language: 'en' }, { to: ['RUS', 'UKR'] });
    const ack = r.add('RUS', BASE + 60_000, 'hotline.ack', {}, { to: ['USA'], refs: [m.id] });
    r.add('UKR', BASE + 60_000, 'hotline.ack', {}, { to: ['USA', 'RUS'], refs: [m.id] });
    const at = BASE + DAY;
    // UKR holds RUS's acknowledgement only as a stub; USA and RUS read it, and it does not count for them either.
    const whole = violations(evaluateAll(r.entries, at));
    expect([...whole.values()]).toEqual([expect.stringMatching(/RUS did not acknowledge/)]);
    for (const party of ['USA', 'RUS', 'UKR']) expect(violations(evaluateAll(viewOf(r.entries, party), at))).toEqual(whole);
    // Those who read it are told why.
    expect(evaluateAll(viewOf(r.entries, 'USA'), at).findings.filter((f) => f.severity === 'info')).toEqual([
      expect.objectContaining({ evidence: [m.id, ack.id], explanation: expect.stringContaining('addressed to USA only: it does not count, since UKR, which holds the message, cannot read it') }),
    ]);
    expect(accepted(r.entries).map((e) => e.author)).toEqual(['USA', 'UKR']);
  });
});

describe('incremental evaluation', () => {
  it('equals full evaluation after every step, whatever the arrival order and the moves of the clock', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 20, max: 160 }), (seed, size) => {
        const rnd = prng(seed ^ 0x5bd1e995);
        const record = randomRecord(seed, size);
        const arrival = shuffled(record, rnd);
        const ev = openEvaluation();
        const held: RecordEntry[] = [];
        let previous: RegimeResult = { obligations: [], findings: [] };
        let i = 0;
        while (i < arrival.length) {
          const step = 1 + Math.floor(rnd() * 12);
          for (const e of arrival.slice(i, i + step)) {
            ev.add(e);
            held.push(e);
          }
          i += step;
          // Mostly forward, sometimes back (a replay), sometimes exactly on an entry or a deadline.
          const when =
            rnd() < 0.2 ? Date.parse(held[Math.floor(rnd() * held.length)].time) + (rnd() < 0.5 ? 0 : 48 * HOUR + 1) : BASE - 30 * DAY + Math.floor(rnd() * 900) * DAY + Math.floor(rnd() * DAY);
          const changes = ev.update(when);
          const now = ev.result(when);
          expect(json(now)).toBe(json(evaluateAll(held, when)));
          // The changes turn the previous result into this one.
          const ids = new Set([...changes.obligationsRemoved, ...changes.obligations.map((o) => o.id)]);
          const patched = [...previous.obligations.filter((o) => !ids.has(o.id)), ...changes.obligations].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.id < b.id ? -1 : 1));
          expect(patched).toEqual(now.obligations);
          const fids = new Set([...changes.findingsRemoved, ...changes.findings.map((f) => f.id)]);
          expect(new Set([...previous.findings.filter((f) => !fids.has(f.id)), ...changes.findings].map((f) => f.id))).toEqual(new Set(now.findings.map((f) => f.id)));
          previous = now;
        }
        const end = BASE + 1000 * DAY;
        expect(json(ev.result(end))).toBe(json(evaluateAll(record, end)));
      }),
      { numRuns: 120 },
    );
  });

  it('covers every rule with the random records it uses', () => {
    const seen = new Map<string, number>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const r = evaluateAll(randomRecord(seed, 400), BASE + 700 * DAY);
      for (const x of [...r.obligations, ...r.findings]) seen.set(`${x.rule}${'status' in x ? ':' + x.status : ':' + x.severity}`, (seen.get(`${x.rule}${'status' in x ? ':' + x.status : ':' + x.severity}`) ?? 0) + 1);
    }
    const rules = new Set([...seen.keys()].map((k) => k.split(':')[0]));
    expect(rules).toContain('witness.back-dated');
    for (const row of vienna2011.rules) {
      if (row.id.startsWith('vd11.v.threshold') || row.id.startsWith('vd11.vi.observation.landing') || row.id === 'vd11.vi.alert-observation' || row.id === 'vd11.ix.inspection-team') continue;
      expect(rules, [...seen].join('\n')).toContain(row.id);
    }
  });

  it('an evaluator that throws is reported with its group, and the next update starts afresh', () => {
    let fail = true;
    const flaky: Regime = {
      id: 'flaky',
      version: '0',
      title: 'test',
      rules: [],
      groupsOf: (h) => (h.type === 'note' ? [`n:${h.id}`] : []),
      evaluateGroup(key, ctx) {
        if (fail) throw new Error('boom');
        const [h] = ctx.members();
        ctx.finding({ rule: { id: 'flaky.note', citation: '-', title: '', description: '', figures: {} }, severity: 'info', parties: [h.author], explanation: key, evidence: [h], at: h.t });
      },
      evaluate: () => ({ obligations: [], findings: [] }),
    };
    const record = new RecordBuilder();
    record.add('USA', BASE, 'note', { subject: 's', text: '' });
    const ev = new Evaluation([vienna2011, flaky]).addAll(record.entries);
    expect(() => ev.result(BASE + DAY)).toThrow(/flaky failed on group n:/);
    fail = false;
    expect(ev.result(BASE + DAY).findings.map((f) => f.rule)).toEqual(['flaky.note']);
  });

  it('ignores an entry added twice', () => {
    const record = randomRecord(7, 60);
    const ev = new Evaluation(REGIMES);
    for (const e of record) expect(ev.add(e)).toBe(true);
    expect(ev.add(record[0])).toBe(false);
    expect(ev.size).toBe(record.length);
    expect(json(ev.result(BASE + 800 * DAY))).toBe(json(evaluateAll(record, BASE + 800 * DAY)));
  });
});

describe('determinism', () => {
  it('two parties holding the same entries, received in different orders, print byte-identical JSON', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const record = randomRecord(seed, 300);
      const at = BASE + 700 * DAY;
      const a = json(evaluateAll(record, at));
      const b = json(evaluateAll(shuffled(record, prng(seed + 100)), at));
      expect(b).toBe(a);
      const parsed = JSON.parse(a) as RegimeResult;
      expect(parsed.obligations.length + parsed.findings.length).toBeGreaterThan(20);
      expect(new Set(parsed.obligations.map((o) => o.id)).size).toBe(parsed.obligations.length);
      expect(new Set(parsed.findings.map((f) => f.id)).size).toBe(parsed.findings.length);
    }
  });

  it('does not depend on the time zone of the machine', () => {
    const record = randomRecord(11, 300);
    const at = BASE + 700 * DAY;
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Europe/Moscow';
      const moscow = json(evaluateAll(record, at));
      process.env.TZ = 'America/Los_Angeles';
      const washington = json(evaluateAll(record, at));
      process.env.TZ = 'Pacific/Kiritimati';
      expect(json(evaluateAll(record, at))).toBe(moscow);
      expect(washington).toBe(moscow);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('accepts the evaluation time as a Date or as epoch milliseconds, and refuses an invalid one', () => {
    const record = randomRecord(3, 50);
    expect(json(evaluateAll(record, new Date(BASE + 400 * DAY)))).toBe(json(evaluateAll(record, BASE + 400 * DAY)));
    expect(() => evaluateAll(record, Number.NaN)).toThrow(/not a valid instant/);
    expect(() => evaluateAll([{ id: 'x', author: 'RUS', seq: 1, time: 'yesterday' }], BASE)).toThrow(/not RFC 3339/);
  });
});

describe('helpers', () => {
  it('utcYear agrees with Date at year boundaries', () => {
    for (const t of [Date.UTC(2021, 11, 31, 23, 59, 59, 999), Date.UTC(2022, 0, 1), Date.UTC(2000, 1, 29, 12), Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(2100, 2, 1)]) {
      expect(utcYear(t)).toBe(new Date(t).getUTCFullYear());
    }
  });
  it('isoTime writes what Date#toISOString writes', () => {
    const rnd = prng(5);
    for (let i = 0; i < 20_000; i++) {
      const t = Math.floor(rnd() * 4e12);
      expect(isoTime(t)).toBe(new Date(t).toISOString());
    }
    for (const t of [0, Date.UTC(2021, 11, 31, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 1, 2, 3, 4), -1, 253402300800000]) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it('formatDuration and count read as a person writes them', () => {
    expect(formatDuration(1)).toBe('1 ms');
    expect(formatDuration(30 * DAY + 4 * HOUR + 5)).toBe('30 d 4 h');
    expect(formatDuration(2 * HOUR + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(DAY + 5)).toBe('1 d');
    expect(count(12_700)).toBe('12,700');
    expect(count(999)).toBe('999');
  });
});
