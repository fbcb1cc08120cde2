/**
 * The missile regime: the commitment's terms (checked, resolved, side by side), the range check
 * against known distances, every visit rule at, before and after its deadline, quota per
 * calendar year and per side, reports unacknowledged / countersigned / disputed identically
 * however the entries arrive, and what a rule reads counting only where every party judging by it holds it.
 */
import { describe, expect, it } from 'vitest';
import { RecordBuilder } from '../../../test/support/record.js';
import { Evaluation } from '../engine.js';
import { catalogue, defaultRegistry, MODULES } from '../registry.js';
import type { RecordEntry } from '../types.js';
import { missilesSites, missilesVisits } from './views.js';

const H = 3_600_000;
const D = 24 * H;
const iso = (t: number) => new Date(t).toISOString();
const T0 = Date.parse('2022-02-01T00:00:00.000Z');

const TERMS = { visitsPerYear: 2, noticeHours: 72, replyHours: 24, visitHours: 24, reportHours: 72, acknowledgeHours: 48 };

function agree(r: RecordBuilder, t: number, missiles: Record<string, unknown> = TERMS, parties = ['USA', 'RUS']) {
  const p = r.add(parties[0], t, 'agreement.proposal', { title: 'Missile transparency', parties, terms: { missiles }, effective: iso(t) });
  const b = p.body as Record<string, unknown>;
  for (const other of parties.slice(1)) r.add(other, t + H, 'agreement.endorsement', { proposal: p.id, parties: b.parties, terms: b.terms, effective: b.effective }, { refs: [p.id] });
  return p;
}

// Kaliningrad's southern boundary runs at about 54.4° N; along 20.5° E, 50.76° N is about 400 km south of it, 48.96° N about 600 km.
const NEAR: [number, number] = [20.5, 50.76];
const FAR: [number, number] = [20.5, 48.96];

function site(r: RecordBuilder, party: string, t: number, key: string, position: [number, number], systems: object[]) {
  return r.add(party, t, 'missiles.site', { site: key, name: `Site ${key}`, position, launchers: [{ type: 'Mk 41 VLS', count: 24 }], systems });
}

const glcm = (rangeKm: number, present = true) => ({ name: `GLCM-${rangeKm}`, kind: 'cruise', rangeKm, present });

const evaluateAt = (entries: RecordEntry[], at: number) => {
  const out = defaultRegistry().evaluate(entries, at);
  return { obligations: out.obligations.filter((o) => o.rule.startsWith('missiles.')), findings: out.findings.filter((f) => f.rule.startsWith('missiles.')) };
};

describe('the commitment as agreed terms', () => {
  it('refuses terms an agreement may not set, at the field', () => {
    const c = catalogue();
    const body = (missiles: unknown) => ({ title: 'x', parties: ['USA', 'RUS'], terms: { missiles }, effective: iso(T0) });
    expect(c.validate('agreement.proposal', body(TERMS)).ok).toBe(true);
    const bad = c.validate('agreement.proposal', body({ classes: [{ id: 'a', title: 'A', kinds: ['cruise'], minKm: 600, maxKm: 500 }] }));
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toMatch(/classes\.0\.maxKm|maxKm/);
    expect(c.validate('agreement.proposal', body({ sides: { RUS: { visitsPerYear: -1 } } })).ok).toBe(false);
  });
  it('is reciprocal by default and shown side by side; one side set apart shows apart', () => {
    const r = new RecordBuilder();
    agree(r, T0, { ...TERMS, sides: { RUS: { visitsPerYear: 3 } }, territories: { USA: ['840'], RUS: ['643'] } });
    const { commitments } = missilesSites(r.entries, T0 + D);
    expect(commitments).toHaveLength(1);
    expect(commitments[0].classes).toEqual([{ id: 'intermediate-range', title: expect.any(String), kinds: ['ballistic', 'cruise'], minKm: 500, maxKm: 5500 }]);
    expect(commitments[0].sides.map((s) => [s.party, s.visitsPerYear, s.noticeHours, s.replyHours, s.territory.map((x) => x.name)])).toEqual([
      ['RUS', 3, 72, 24, ['Russia']],
      ['USA', 2, 72, 24, ['United States of America']],
    ]);
    // Before it is in force, nothing is shown.
    expect(missilesSites(r.entries, T0).commitments).toEqual([]);
  });
});

describe('MISSILES §deployment: the range check', () => {
  it('a 500 km system about 400 km from the other\'s territory is a violation; about 600 km is not', () => {
    const r = new RecordBuilder();
    const a = agree(r, T0);
    const near = site(r, 'USA', T0 + D, 'near', NEAR, [glcm(500)]);
    site(r, 'USA', T0 + D, 'far', FAR, [glcm(500)]);
    const { findings } = evaluateAt(r.entries, T0 + 2 * D);
    expect(findings.map((f) => [f.rule, f.severity, f.evidence])).toEqual([['missiles.deployment', 'violation', [a.id, near.id]]]);
    expect(findings[0].explanation).toMatch(/GLCM-500 \(cruise, 500 km; intermediate-range\) present at Site near .* 406 km from RUS's territory/);
    expect(findings[0].citation).toBe(`MISSILES §deployment (agreed terms, ${a.id.slice(0, 12)})`);
    const view = missilesSites(r.entries, T0 + 2 * D);
    expect(view.parties[0].sites.map((s) => [s.site, s.distances])).toEqual([
      ['far', [{ party: 'RUS', km: 605 }]],
      ['near', [{ party: 'RUS', km: 406 }]],
    ]);
  });
  it('covers the class band at both ends only, present systems only, of the kinds covered', () => {
    const r = new RecordBuilder();
    agree(r, T0, { ...TERMS, classes: [{ id: 'inf', title: 'INF', kinds: ['cruise'], minKm: 500, maxKm: 5500 }] });
    site(r, 'USA', T0 + D, 'a', NEAR, [glcm(5500), { name: 'X', kind: 'cruise', rangeKm: 5501, present: true }, { name: 'Y', kind: 'cruise', rangeKm: 499, present: true }, glcm(600, false), { name: 'SM-3', kind: 'interceptor', rangeKm: 1200, present: true }, { name: 'B', kind: 'ballistic', rangeKm: 1000, present: true }]);
    const { findings } = evaluateAt(r.entries, T0 + 2 * D);
    expect(findings.map((f) => /declares (\S+)/.exec(f.explanation)![1])).toEqual(['GLCM-5500']);
  });
  it('a declaration made before the agreement is judged from its entry into force; a later declaration of absence ends it', () => {
    const r = new RecordBuilder();
    const d = site(r, 'RUS', T0, 's', [20.5, 54.0], [glcm(2000)]);
    expect(evaluateAt(r.entries, T0 + D).findings).toEqual([]);
    const a = agree(r, T0 + 2 * D, TERMS);
    // The site is 44 km inside Poland from Kaliningrad's boundary, at the other party's border: RUS declares it, USA's territory is far.
    expect(evaluateAt(r.entries, T0 + 3 * D).findings).toEqual([]);
    site(r, 'USA', T0 + D, 'p', [20.5, 54.0], [glcm(600)]);
    const out = evaluateAt(r.entries, T0 + 3 * D).findings;
    expect(out.map((f) => [f.parties[0], f.at])).toEqual([['USA', iso(T0 + 2 * D + H)]]);
    expect(out[0].evidence).toContain(a.id);
    site(r, 'USA', T0 + 4 * D, 'p', [20.5, 54.0], [glcm(600, false)]);
    expect(evaluateAt(r.entries, T0 + 5 * D).findings).toHaveLength(1);
    expect(d.id).toBeTruthy();
  });
  it('a named area: a covered system inside it is a violation whatever its reach; outside it, none', () => {
    const polygon = { type: 'Polygon', coordinates: [[[14, 49], [24, 49], [24, 55], [14, 55], [14, 49]]] };
    const r = new RecordBuilder();
    agree(r, T0, { ...TERMS, area: { kind: 'named', name: 'Central Europe', polygon } });
    const inside = site(r, 'USA', T0 + D, 'in', NEAR, [glcm(500)]);
    site(r, 'USA', T0 + D, 'out', FAR, [glcm(5000)]);
    const { findings } = evaluateAt(r.entries, T0 + 2 * D);
    expect(findings.map((f) => [f.severity, f.evidence.at(-1), /inside the agreed area "Central Europe"/.test(f.explanation)])).toEqual([['violation', inside.id, true]]);
    expect(missilesSites(r.entries, T0 + 2 * D).commitments[0].area).toEqual({ kind: 'named', name: 'Central Europe' });
    const open = { type: 'Polygon', coordinates: [[[14, 49], [24, 49], [24, 55], [14, 55]]] };
    expect(JSON.stringify(catalogue().validate('agreement.proposal', { title: 'x', parties: ['USA', 'RUS'], terms: { missiles: { area: { kind: 'named', name: 'x', polygon: open } } }, effective: iso(T0) }))).toMatch(/not closed/);
  });
  it('without an adopted agreement, nothing binds', () => {
    const r = new RecordBuilder();
    site(r, 'USA', T0, 'near', NEAR, [glcm(500)]);
    expect(evaluateAt(r.entries, T0 + D)).toEqual({ obligations: [], findings: [] });
  });
});

/** A visit between USA (visitor) and RUS (host), with a declared site. */
function setup(terms: Record<string, unknown> = TERMS) {
  const r = new RecordBuilder();
  agree(r, T0, terms);
  const decl = site(r, 'RUS', T0 + 2 * H, 'rus-a', [40.0, 55.0], [{ name: '9M729', kind: 'cruise', rangeKm: 480, present: true }]);
  return { r, decl };
}
const request = (r: RecordBuilder, t: number, decl: RecordEntry, noticeMs = 72 * H, visitor = 'USA', host = 'RUS') =>
  r.add(visitor, t, 'missiles.visit.request', { host, declaration: decl.id, arrival: iso(t + noticeMs), team: 10 }, { refs: [decl.id] });
const accept = (r: RecordBuilder, t: number, q: RecordEntry, start: number, hours = 24, host = 'RUS') =>
  r.add(host, t, 'missiles.visit.reply', { request: q.id, accepted: true, window: { start: iso(start), end: iso(start + hours * H) } }, { refs: [q.id] });
const decline = (r: RecordBuilder, t: number, q: RecordEntry, host = 'RUS') => r.add(host, t, 'missiles.visit.reply', { request: q.id, accepted: false, reason: 'Not now' }, { refs: [q.id] });
const report = (r: RecordBuilder, t: number, q: RecordEntry, outcome: string, start: number, visitor = 'USA') =>
  r.add(visitor, t, 'missiles.visit.report', { request: q.id, ...(outcome === 'not-held' ? {} : { onSite: { start: iso(start), end: iso(start + 8 * H) } }), checked: [{ item: 'launcher configuration', result: 'four launchers, canisters sealed' }], outcome, observations: outcome === 'consistent' ? 'As declared' : 'A fifth launcher' }, { refs: [q.id] });

describe('MISSILES §reply', () => {
  const ask = T0 + D;
  const due = ask + 24 * H;
  it('open before the deadline, met at its millisecond, late one millisecond after', () => {
    const { r, decl } = setup();
    const q = request(r, ask, decl);
    expect(evaluateAt(r.entries, due).obligations.map((o) => [o.rule, o.status, o.due])).toEqual([['missiles.visit.reply', 'open', iso(due)]]);
    const onTime = setup();
    const q1 = request(onTime.r, ask, onTime.decl);
    accept(onTime.r, due, q1, ask + 72 * H);
    expect(evaluateAt(onTime.r.entries, due + D).obligations.find((o) => o.rule === 'missiles.visit.reply')?.status).toBe('met');
    const late = setup();
    const q2 = request(late.r, ask, late.decl);
    accept(late.r, due + 1, q2, ask + 72 * H);
    const out = evaluateAt(late.r.entries, due + D);
    expect(out.obligations.find((o) => o.rule === 'missiles.visit.reply')?.status).toBe('met-late');
    expect(out.findings.map((f) => [f.rule, f.at, f.parties])).toEqual([['missiles.visit.reply', iso(due + 1), ['RUS', 'USA']]]);
    expect(q.body?.host).toBe('RUS');
  });
  it('no reply: no finding at the deadline, a violation from the next millisecond', () => {
    const { r, decl } = setup();
    request(r, ask, decl);
    expect(evaluateAt(r.entries, due).findings).toEqual([]);
    const out = evaluateAt(r.entries, due + 1);
    expect(out.obligations[0].status).toBe('missed');
    expect(out.findings.map((f) => [f.severity, f.explanation])).toEqual([['violation', expect.stringMatching(/RUS did not reply to USA's visit to Site rus-a \(RUS\).* within 1 d/)]]);
  });
});

describe('MISSILES §quota', () => {
  const ask = T0 + D;
  it('a decline within the quota with the agreed notice is a violation; the third request of the year may be declined', () => {
    const { r, decl } = setup();
    const q1 = request(r, ask, decl);
    decline(r, ask + H, q1);
    const q2 = request(r, ask + 10 * D, decl);
    accept(r, ask + 10 * D + H, q2, ask + 13 * D);
    const q3 = request(r, ask + 20 * D, decl);
    decline(r, ask + 20 * D + H, q3);
    const declines = evaluateAt(r.entries, ask + 30 * D).findings.filter((f) => f.rule === 'missiles.visit.decline');
    expect(declines.map((f) => [f.severity, f.evidence.at(-1)])).toEqual([['violation', r.entries.find((e) => e.body?.request === q1.id)!.id]]);
    expect(declines[0].explanation).toMatch(/request 1 of USA to RUS in 2022, quota 2/);
    expect(missilesVisits(r.entries, ask + 30 * D).parties.find((p) => p.party === 'USA')!.quota).toEqual([{ visitor: 'USA', host: 'RUS', year: 2022, quota: 2, requested: 3, accepted: 1, declined: 2, reported: 0 }]);
  });
  it('notice at exactly the agreed hours counts; an hour less is short notice, and its decline no violation', () => {
    const exact = setup();
    decline(exact.r, ask + H, request(exact.r, ask, exact.decl, 72 * H));
    expect(evaluateAt(exact.r.entries, ask + D).findings.map((f) => f.severity)).toEqual(['violation']);
    const short = setup();
    decline(short.r, ask + H, request(short.r, ask, short.decl, 72 * H - 1));
    expect(evaluateAt(short.r.entries, ask + D).findings).toEqual([]);
  });
  it('counts per calendar year (UTC) and per side', () => {
    const { r, decl } = setup({ ...TERMS, visitsPerYear: 1 });
    const usaSite = site(r, 'USA', T0 + 3 * H, 'usa-a', [24.35, 44.08], []);
    const dec31 = Date.parse('2022-12-31T23:59:59.999Z');
    request(r, T0 + D, decl); // USA's one visit of 2022
    decline(r, dec31 + 2, request(r, dec31, decl)); // 2022's second: beyond
    decline(r, dec31 + 3, request(r, dec31 + 1, decl)); // 2023's first: within
    // RUS's own first request of 2022 is within its quota, whatever USA has used.
    decline(r, T0 + 5 * D, request(r, T0 + 4 * D, usaSite, 72 * H, 'RUS', 'USA'), 'USA');
    const declines = evaluateAt(r.entries, dec31 + D).findings.filter((f) => f.rule === 'missiles.visit.decline');
    expect(declines.map((f) => [f.parties[0], /request (\d) of (\w+) to \w+ in (\d+)/.exec(f.explanation)!.slice(1).join(' ')])).toEqual([
      ['USA', '1 RUS 2022'],
      ['RUS', '1 USA 2023'],
    ]);
  });
  it('an accepted window shorter than the agreed visit is a warning', () => {
    const { r, decl } = setup();
    accept(r, ask + H, request(r, ask, decl), ask + 72 * H, 12);
    expect(evaluateAt(r.entries, ask + D).findings.map((f) => [f.rule, f.severity])).toEqual([['missiles.visit.decline', 'warning']]);
  });
});

describe('MISSILES §visit and §report', () => {
  const ask = T0 + D;
  const start = ask + 72 * H;
  const reportDue = start + 24 * H + 72 * H;
  it('an accepted visit not reported: open at the deadline, a warning naming both after it', () => {
    const { r, decl } = setup();
    accept(r, ask + H, request(r, ask, decl), start);
    const at = evaluateAt(r.entries, reportDue);
    expect(at.obligations.find((o) => o.rule === 'missiles.visit.held')?.status).toBe('open');
    expect(at.findings).toEqual([]);
    const after = evaluateAt(r.entries, reportDue + 1);
    expect(after.findings.map((f) => [f.rule, f.severity, f.parties, f.at])).toEqual([['missiles.visit.held', 'warning', ['USA', 'RUS'], iso(reportDue + 1)]]);
  });
  it('a visit reported held outside the accepted window is a warning; inside it, none', () => {
    const { r, decl } = setup();
    const q = request(r, ask, decl);
    accept(r, ask + H, q, start);
    report(r, start + 30 * H, q, 'consistent', start + 20 * H);
    const out = evaluateAt(r.entries, start + 40 * H).findings;
    expect(out.map((f) => [f.rule, f.severity, /outside the window accepted/.test(f.explanation)])).toEqual([['missiles.visit.held', 'warning', true]]);
    const ok = setup();
    const q2 = request(ok.r, ask, ok.decl);
    accept(ok.r, ask + H, q2, start);
    report(ok.r, start + 30 * H, q2, 'consistent', start + 16 * H);
    expect(evaluateAt(ok.r.entries, start + 40 * H).findings).toEqual([]);
  });
  function reported(outcome: string) {
    const { r, decl } = setup();
    const q = request(r, ask, decl);
    accept(r, ask + H, q, start);
    const rep = report(r, start + 10 * H, q, outcome, start);
    return { r, q, rep, ackDue: start + 10 * H + 48 * H };
  }
  it('a report of inconsistency: unacknowledged, then countersigned (a violation) or disputed (a warning), both signatures kept', () => {
    const u = reported('not-consistent');
    const open = evaluateAt(u.r.entries, u.ackDue);
    expect(open.findings.map((f) => [f.rule, f.severity, /"\); (.*)$/.exec(f.explanation)![1]])).toEqual([['missiles.visit.report', 'warning', 'not countersigned by RUS']]);
    expect(evaluateAt(u.r.entries, u.ackDue + 1).findings.map((f) => [f.severity, f.at])).toEqual([
      ['warning', iso(start + 10 * H)],
      ['violation', iso(u.ackDue + 1)],
    ]);
    const c = reported('not-consistent');
    const sign = c.r.add('RUS', c.ackDue, 'missiles.report.countersign', { report: c.rep.id, remarks: 'The fifth launcher is a training launcher' }, { refs: [c.rep.id] });
    const cf = evaluateAt(c.r.entries, c.ackDue + D).findings;
    expect(cf.map((f) => [f.severity, f.evidence.at(-1)])).toEqual([['violation', sign.id]]);
    expect(cf[0].explanation).toMatch(/countersigned by RUS$/);
    const d = reported('not-consistent');
    const dispute = d.r.add('RUS', d.ackDue - 1, 'missiles.report.dispute', { report: d.rep.id, reason: 'The launcher seen is a training launcher, not operational' }, { refs: [d.rep.id] });
    const df = evaluateAt(d.r.entries, d.ackDue + D).findings;
    expect(df.map((f) => [f.severity, f.evidence])).toEqual([['warning', [...df[0].evidence.slice(0, -1), dispute.id]]]);
    expect(df[0].explanation).toMatch(/disputed by RUS: "The launcher seen is a training launcher/);
    const views = [u, c, d].map((x) => missilesVisits(x.r.entries, x.ackDue + D).parties.find((p) => p.party === 'USA')!.visits[0]);
    expect(views.map((v) => [v.stage, v.acknowledgement?.state])).toEqual([
      ['reported', 'unacknowledged'],
      ['countersigned', 'countersigned'],
      ['disputed', 'disputed'],
    ]);
    // Both signatures stay: the report by the visitor, the answer by the host.
    expect(views[2].report?.id).toBe(d.rep.id);
    expect(views[2].acknowledgement).toEqual({ state: 'disputed', id: dispute.id, at: iso(d.ackDue - 1), reason: 'The launcher seen is a training launcher, not operational' });
  });
  it('a consistent report countersigned in time leaves no finding', () => {
    const x = reported('consistent');
    x.r.add('RUS', x.ackDue, 'missiles.report.countersign', { report: x.rep.id }, { refs: [x.rep.id] });
    const out = evaluateAt(x.r.entries, x.ackDue + 10 * D);
    expect(out.findings).toEqual([]);
    expect(out.obligations.map((o) => o.status)).toEqual(['met', 'met', 'met']);
  });
  it('the same at every party: byte-identical views and findings whatever order the entries arrive in', () => {
    const x = reported('not-consistent');
    x.r.add('RUS', x.ackDue - H, 'missiles.report.dispute', { report: x.rep.id, reason: 'Not operational' }, { refs: [x.rep.id] });
    const at = x.ackDue + D;
    const orders = [x.r.entries, [...x.r.entries].reverse(), [...x.r.entries].sort((a, b) => (a.id < b.id ? -1 : 1))];
    const outputs = orders.map((entries) => JSON.stringify([missilesVisits(entries, at), missilesSites(entries, at), evaluateAt(entries, at)]));
    expect(new Set(outputs).size).toBe(1);
    // And incrementally, entry by entry, as a running node evaluates.
    const ev = new Evaluation(MODULES);
    for (const e of orders[1]) {
      ev.add(e);
      ev.result(at);
    }
    expect(JSON.stringify(ev.result(at))).toBe(JSON.stringify(defaultRegistry().evaluate(x.r.entries, at)));
  });
});

const visitFindings = (entries: RecordEntry[], at: number) => evaluateAt(entries, at).findings;

describe('what a rule reads counts only where every party judging by it holds it', () => {
  const ask = T0 + D;
  const due = ask + 24 * H;
  it('the host\'s entries to others, held as stubs, do not hide its missed reply: the same violation at the visitor and at the host', () => {
    const { r, decl } = setup();
    request(r, ask, decl);
    // A receipt by RUS to UKR: USA holds it only as a stub.
    r.add('RUS', ask + 2 * H, 'hotline.message', { priority: 'routine', subject: 'Receipt', text: 'Received.', language: 'en' }, { to: ['UKR'] });
    const atUsa = visitFindings(RecordBuilder.heldBy(r.entries, 'USA'), due + D);
    const atRus = visitFindings(RecordBuilder.heldBy(r.entries, 'RUS'), due + D);
    expect(RecordBuilder.heldBy(r.entries, 'USA').filter((e) => e.type === undefined).map((e) => e.author)).toEqual(['RUS']);
    expect(atUsa.map((f) => [f.rule, f.severity, f.explanation])).toEqual([['missiles.visit.reply', 'violation', expect.stringMatching(/^RUS did not reply to USA's visit/)]]);
    expect(JSON.stringify(atUsa)).toBe(JSON.stringify(atRus));
  });
  it('a reply addressed to fewer than the request does not count: the same missed reply everywhere, and its readers are told why', () => {
    const { r, decl } = setup();
    const q = r.add('USA', ask, 'missiles.visit.request', { host: 'RUS', declaration: decl.id, arrival: iso(ask + 72 * H), team: 10 }, { refs: [decl.id], to: ['RUS', 'UKR'] });
    const reply = r.add('RUS', ask + H, 'missiles.visit.reply', { request: q.id, accepted: true, window: { start: iso(ask + 72 * H), end: iso(ask + 96 * H) } }, { refs: [q.id], to: ['USA'] });
    const at = due + D;
    const byRule = (party: string) => visitFindings(RecordBuilder.heldBy(r.entries, party), at);
    const violation = (party: string) => byRule(party).filter((f) => f.severity === 'violation');
    expect(violation('UKR').map((f) => [f.rule, f.explanation])).toEqual([['missiles.visit.reply', expect.stringMatching(/^RUS did not reply/)]]);
    for (const party of ['USA', 'RUS']) expect(JSON.stringify(violation(party))).toBe(JSON.stringify(violation('UKR')));
    const info = byRule('USA').filter((f) => f.severity === 'info');
    expect(info.map((f) => [f.rule, f.evidence, f.explanation])).toEqual([
      ['missiles.visit.reply', [q.id, reply.id], expect.stringMatching(/RUS's reply to USA's visit .* was addressed to USA only: it does not count, since UKR, which holds the request, cannot read it/)],
    ]);
    expect(byRule('UKR').filter((f) => f.severity === 'info')).toEqual([]);
    expect(evaluateAt(RecordBuilder.heldBy(r.entries, 'USA'), at).obligations.find((o) => o.rule === 'missiles.visit.reply')?.status).toBe('missed');
    // Held as a stub, then its content arriving: the same as evaluating the whole record at once.
    const ev = new Evaluation(MODULES).addAll(RecordBuilder.heldBy(r.entries, 'UKR'));
    ev.result(at);
    ev.add(reply);
    expect(JSON.stringify(ev.result(at))).toBe(JSON.stringify(defaultRegistry().evaluate(r.entries, at)));
  });
  it('an earlier request addressed to fewer than a later one does not count against the quota for it, at any party', () => {
    const { r, decl } = setup({ ...TERMS, visitsPerYear: 1 });
    r.add('USA', ask, 'missiles.visit.request', { host: 'RUS', declaration: decl.id, arrival: iso(ask + 72 * H), team: 10 }, { refs: [decl.id], to: ['RUS'] });
    const second = r.add('USA', ask + D, 'missiles.visit.request', { host: 'RUS', declaration: decl.id, arrival: iso(ask + D + 72 * H), team: 10 }, { refs: [decl.id], to: ['RUS', 'UKR'] });
    r.add('RUS', ask + D + H, 'missiles.visit.reply', { request: second.id, accepted: false, reason: 'Not now' }, { refs: [second.id] });
    const declines = (party: string) => visitFindings(RecordBuilder.heldBy(r.entries, party), ask + 3 * D).filter((f) => f.rule === 'missiles.visit.decline');
    expect(declines('UKR').map((f) => [f.severity, f.explanation])).toEqual([['violation', expect.stringMatching(/request 1 of USA to RUS in 2022, quota 1/)]]);
    for (const party of ['USA', 'RUS']) expect(JSON.stringify(declines(party))).toBe(JSON.stringify(declines('UKR')));
  });
  it('a report, or the host\'s answer to it, addressed to fewer than those holding what it answers does not count', () => {
    const { r, decl } = setup();
    const q = r.add('USA', ask, 'missiles.visit.request', { host: 'RUS', declaration: decl.id, arrival: iso(ask + 72 * H), team: 10 }, { refs: [decl.id], to: ['RUS', 'UKR'] });
    accept(r, ask + H, q, ask + 72 * H);
    const narrow = r.add('USA', ask + 80 * H, 'missiles.visit.report', { request: q.id, checked: [], outcome: 'consistent', observations: 'As declared' }, { refs: [q.id], to: ['RUS'] });
    const at = ask + 30 * D;
    const held = (party: string) => visitFindings(RecordBuilder.heldBy(r.entries, party), at);
    expect(held('UKR').map((f) => [f.rule, f.severity])).toEqual([['missiles.visit.held', 'warning']]);
    expect(JSON.stringify(held('USA').filter((f) => f.severity !== 'info'))).toBe(JSON.stringify(held('UKR')));
    expect(held('RUS').filter((f) => f.severity === 'info').map((f) => [f.rule, f.evidence])).toEqual([['missiles.visit.held', [q.id, narrow.id]]]);
    // A report to all, disputed to the visitor only: the dispute does not count — unanswered everywhere.
    const two = setup();
    const q2 = request(two.r, ask, two.decl);
    accept(two.r, ask + H, q2, ask + 72 * H);
    const rep = report(two.r, ask + 80 * H, q2, 'not-consistent', ask + 72 * H);
    two.r.add('RUS', ask + 90 * H, 'missiles.report.dispute', { report: rep.id, reason: 'No' }, { refs: [rep.id], to: ['USA'] });
    const findings = (party: string) => visitFindings(RecordBuilder.heldBy(two.r.entries, party), at).filter((f) => f.severity !== 'info');
    expect(findings('UKR').map((f) => [f.rule, f.severity, f.explanation])).toEqual([
      ['missiles.visit.report', 'warning', expect.stringMatching(/; not countersigned by RUS$/)],
      ['missiles.visit.report', 'violation', expect.stringMatching(/^RUS neither countersigned nor disputed USA's report/)],
    ]);
    expect(JSON.stringify(findings('USA'))).toBe(JSON.stringify(findings('UKR')));
    // The visits view reads it as the rules do: unacknowledged at every party, the dispute's reader included.
    for (const party of ['USA', 'UKR']) expect(missilesVisits(RecordBuilder.heldBy(two.r.entries, party), at).parties.find((p) => p.party === 'USA')!.visits[0].acknowledgement).toEqual({ state: 'unacknowledged' });
  });
});

describe('content checks', () => {
  it('refuses a request to one\'s own site, a reply by another than the host, a declared-present system without a range', () => {
    const c = catalogue();
    expect(c.validate('missiles.site', { site: 'x', name: 'X', position: [20, 50], launchers: [], systems: [{ name: 'A', kind: 'cruise', present: true }] })).toMatchObject({ ok: false });
    const decl = '0'.repeat(64);
    expect(c.validate('missiles.visit.request', { host: 'USA', declaration: decl, arrival: iso(T0) }, 'USA', [decl])).toMatchObject({ ok: false });
    expect(c.validate('missiles.visit.request', { host: 'RUS', declaration: decl, arrival: iso(T0) }, 'USA', [])).toMatchObject({ ok: false });
    expect(c.validate('missiles.visit.reply', { request: decl, accepted: false }, 'RUS', [decl])).toMatchObject({ ok: false });
    expect(c.validate('missiles.visit.reply', { request: decl, accepted: false, reason: 'no' }, 'RUS', [decl]).ok).toBe(true);
  });
  it('refuses (PARLEY_ERR_ADDRESSEES) a reply, report or answer not addressed to every party holding what it answers, where the node holds it', () => {
    const { r, decl } = setup();
    const q = r.add('USA', T0 + D, 'missiles.visit.request', { host: 'RUS', declaration: decl.id, arrival: iso(T0 + 4 * D), team: 10 }, { refs: [decl.id], to: ['RUS', 'UKR'] });
    const rep = report(r, T0 + 6 * D, q, 'consistent', T0 + 4 * D);
    const c = catalogue().withRecord({ held: (id) => r.entries.find((e) => e.id === id) });
    const reply = { request: q.id, accepted: false, reason: 'no' };
    const narrow = c.validate('missiles.visit.reply', reply, 'RUS', [q.id], ['USA']);
    expect(narrow.ok ? undefined : [narrow.error.code, narrow.error.message]).toEqual(['PARLEY_ERR_ADDRESSEES', expect.stringContaining('UKR missing')]);
    expect(c.validate('missiles.visit.reply', reply, 'RUS', [q.id], ['USA', 'UKR']).ok).toBe(true);
    expect(c.validate('missiles.visit.reply', reply, 'RUS', [q.id], ['*']).ok).toBe(true);
    expect(c.validate('missiles.visit.report', { request: q.id, checked: [], outcome: 'not-held', observations: 'x' }, 'USA', [q.id], ['RUS'])).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_ADDRESSEES' } });
    // The report went to all: its answer goes to all.
    expect(c.validate('missiles.report.dispute', { report: rep.id, reason: 'No' }, 'RUS', [rep.id], ['USA', 'UKR'])).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_ADDRESSEES' } });
    expect(c.validate('missiles.report.dispute', { report: rep.id, reason: 'No' }, 'RUS', [rep.id], ['*']).ok).toBe(true);
  });
});
