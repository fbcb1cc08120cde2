/**
 * The talks record: commitments, agreed briefing deadlines and working groups' cadence at,
 * before and after their due instant; a readout by a party that did not attend; the refusals (with their pointers); the
 * divergence report (reserved positions, a corrected readout, a partial record, determinism).
 */
import { describe, expect, it } from 'vitest';
import { RecordBuilder } from '../../../test/support/record.js';
import { catalogue, defaultRegistry } from '../registry.js';
import type { RecordEntry } from '../types.js';
import { divergence, wordDiff } from './divergence.js';
import { talksList, talksStatements } from './views.js';

const T0 = Date.parse('2021-12-07T15:00:00.000Z');
const H = 3_600_000;
const D = 24 * H;
const iso = (t: number) => new Date(t).toISOString();

const meetingBody = {
  title: 'Video call of 7 December',
  format: 'videoconference',
  at: iso(T0),
  channel: 'secure video link',
  delegations: [
    { party: 'USA', members: [{ name: 'President', role: 'head of delegation' }] },
    { party: 'RUS', members: [{ name: 'President', role: 'head of delegation' }] },
  ],
  agenda: [
    { key: 'ukraine', title: 'Forces near Ukraine', concerns: ['UKR', 'USA', 'RUS'] },
    { key: 'guarantees', title: 'Security guarantees', concerns: ['USA', 'RUS', 'POL'] },
    { key: 'cyber', title: 'Cyber-security', concerns: ['USA', 'RUS'] },
  ],
  chairs: [{ party: 'USA', name: 'President' }],
};

function meeting(r: RecordBuilder, t = T0 + H) {
  return r.add('USA', t, 'talks.meeting', meetingBody);
}

const results = (entries: RecordEntry[], at: number) => defaultRegistry().evaluate(entries, at);
const byDebtor = <T extends { debtor?: string; parties?: string[] }>(list: T[]) => [...list].sort((a, b) => ((a.debtor ?? a.parties![0]) < (b.debtor ?? b.parties![0]) ? -1 : 1));
/** The talks regime's part of a full evaluation, each list by debtor (or first party) for reading. */
const talksOnly = (out: ReturnType<typeof results>) => ({ obligations: byDebtor(out.obligations.filter((o) => o.rule.startsWith('talks.'))), findings: byDebtor(out.findings.filter((f) => f.rule.startsWith('talks.'))) });

describe('commitments (TALKS §commitment)', () => {
  function setup() {
    const r = new RecordBuilder();
    const m = meeting(r);
    const due = T0 + 30 * D;
    const c = r.add('USA', T0 + 2 * H, 'talks.commitment', { meeting: m.id, item: 'cyber', what: 'Experts meet on cyber-security', owners: ['USA', 'RUS'], due: iso(due), fulfilledBy: { type: 'talks.meeting' } }, { refs: [m.id] });
    return { r, m, c, due };
  }
  const followUp = (r: RecordBuilder, c: RecordEntry, t: number) =>
    r.add('RUS', t, 'talks.meeting', { ...meetingBody, title: 'Cyber experts', format: 'working-group', at: iso(t), agenda: [{ key: 'cyber', title: 'Cyber', concerns: ['USA', 'RUS'] }] }, { refs: [c.id] });

  it('an obligation of each owner, open before its due date, citing the commitment entry', () => {
    const { r, c, due } = setup();
    const { obligations, findings } = talksOnly(results(r.entries, due));
    expect(obligations.map((o) => [o.debtor, o.status, o.due, o.creditors])).toEqual([
      ['RUS', 'open', iso(due), ['USA']],
      ['USA', 'open', iso(due), ['RUS']],
    ]);
    expect(obligations[0].citation).toBe(`TALKS §commitment (${c.id.slice(0, 12)})`);
    expect(findings).toEqual([]);
  });
  it('met by a later meeting with the owners\' delegations at the due millisecond; missed one millisecond after', () => {
    const { r, c, due } = setup();
    const f = followUp(r, c, due);
    const at = talksOnly(results(r.entries, due + D));
    expect(at.obligations.map((o) => [o.debtor, o.status, o.metBy])).toEqual([
      ['RUS', 'met', f.id],
      ['USA', 'met', f.id],
    ]);
    expect(at.findings).toEqual([]);
    const late = setup();
    followUp(late.r, late.c, late.due + 1);
    const out = talksOnly(results(late.r.entries, late.due + D));
    expect(out.obligations.map((o) => o.status)).toEqual(['met-late', 'met-late']);
    expect(out.findings.map((x) => [x.rule, x.at, x.parties[0]])).toEqual([
      ['talks.commitment', iso(late.due + 1), 'RUS'],
      ['talks.commitment', iso(late.due + 1), 'USA'],
    ]);
  });
  it('a lapse is a finding from the first late millisecond', () => {
    const { r, due } = setup();
    expect(talksOnly(results(r.entries, due)).findings).toEqual([]);
    const out = talksOnly(results(r.entries, due + 1));
    expect(out.obligations.map((o) => o.status)).toEqual(['missed', 'missed']);
    expect(out.findings.map((f) => f.explanation)).toEqual(expect.arrayContaining([expect.stringContaining('RUS did not fulfil "Experts meet on cyber-security"')]));
  });
  it('a cadence: one obligation per period begun, each met only by an entry in its period', () => {
    const r = new RecordBuilder();
    const m = meeting(r);
    const c = r.add('USA', T0 + 2 * H, 'talks.commitment', { meeting: m.id, what: 'Report on contacts', owners: ['RUS'], cadence: { everyDays: 7 }, fulfilledBy: { type: 'note' } }, { refs: [m.id] });
    const report = r.add('RUS', c.time, 'note', { subject: 'Contacts', text: 'continued' }, { refs: [c.id] });
    const start = Date.parse(c.time);
    const out = talksOnly(results(r.entries, start + 7 * D + 1));
    expect(out.obligations.map((o) => [o.status, o.due, o.metBy])).toEqual([
      ['met', iso(start + 7 * D), report.id],
      ['open', iso(start + 14 * D), undefined],
    ]);
    expect(talksOnly(results(r.entries, start + 14 * D + 1)).findings).toHaveLength(1);
  });
  it('an entry of any type fulfils it only when every party holding the commitment holds it: a node not addressed finds what an addressee finds', () => {
    const r = new RecordBuilder();
    const m = r.add('USA', T0, 'talks.meeting', meetingBody, { to: ['RUS'] });
    const c = r.add('USA', T0 + H, 'talks.commitment', { meeting: m.id, what: 'Report on contacts', owners: ['RUS'], due: iso(T0 + 7 * D), fulfilledBy: { type: 'note' } }, { to: ['RUS'], refs: [m.id] });
    // RUS's report names the commitment but goes to POL only: USA, which holds the commitment, holds only its stub.
    const aside = r.add('RUS', T0 + D, 'note', { subject: 'Contacts', text: 'continued' }, { to: ['POL'], refs: [c.id] });
    const at = T0 + 8 * D;
    const whole = talksOnly(results(r.entries, at));
    const usa = talksOnly(results(r.entries.map((e) => (e.id === aside.id ? RecordBuilder.stub(e) : e)), at));
    expect(whole.obligations.map((o) => [o.debtor, o.status])).toEqual([['RUS', 'missed']]);
    expect(usa.obligations).toEqual(whole.obligations);
    const violations = (out: typeof whole) => out.findings.filter((f) => f.severity === 'violation');
    expect(violations(usa)).toEqual(violations(whole));
    // Those who can read it are told why it does not count.
    expect(whole.findings.filter((f) => f.severity === 'info')).toEqual([
      expect.objectContaining({ parties: ['RUS', 'USA'], evidence: [c.id, aside.id], explanation: expect.stringContaining('addressed to POL only: it does not count, since USA, which holds the commitment, cannot read it') }),
    ]);
    // Addressed to USA as well, it fulfils it at every node that holds the commitment.
    const told = r.add('RUS', T0 + 2 * D, 'note', { subject: 'Contacts', text: 'continued' }, { to: ['USA', 'POL'], refs: [c.id] });
    expect(talksOnly(results(r.entries, at)).obligations.map((o) => [o.status, o.metBy])).toEqual([['met', told.id]]);
  });
  it('a commitment naming a meeting that not every party holding it can read is judged alike by all of them, and says so', () => {
    const r = new RecordBuilder();
    // The deciding meeting, of a working group, went to RUS only; the commitment went to every party.
    const m = r.add('USA', T0, 'talks.meeting', { ...meetingBody, format: 'working-group', group: 'Strategic stability' }, { to: ['RUS'] });
    const c = r.add('USA', T0 + H, 'talks.commitment', { meeting: m.id, what: 'Meet again', owners: ['RUS'], due: iso(T0 + 10 * D), fulfilledBy: { type: 'talks.meeting' } }, { refs: [m.id] });
    const other = r.add('RUS', T0 + 2 * D, 'talks.meeting', { ...meetingBody, at: iso(T0 + 2 * D), format: 'working-group', group: 'Cyber' }, { refs: [c.id] });
    const at = T0 + 11 * D;
    const view = (party: string) => r.entries.map((e) => (e.author === party || e.to!.includes('*') || e.to!.includes(party) ? e : RecordBuilder.stub(e)));
    const [usa, rus, pol] = ['USA', 'RUS', 'POL'].map((p) => talksOnly(results(view(p), at)));
    // USA and RUS read the meeting, POL holds its stub: the same obligations and findings at all three.
    expect(rus).toEqual(usa);
    expect(pol).toEqual(usa);
    expect(usa.obligations.map((o) => [o.debtor, o.creditors, o.status, o.metBy])).toEqual([['RUS', ['USA'], 'met', other.id]]);
    expect(usa.findings).toEqual([
      expect.objectContaining({ severity: 'info', evidence: [c.id], explanation: expect.stringContaining('which is not a talks.meeting that every party holding the commitment can read: it is judged without it') }),
    ]);
  });
  it('a commitment of a working group is met only by a later meeting of that group', () => {
    const r = new RecordBuilder();
    const m = r.add('USA', T0, 'talks.meeting', { ...meetingBody, format: 'working-group', group: 'Strategic stability' });
    const c = r.add('USA', T0 + H, 'talks.commitment', { meeting: m.id, what: 'Meet again', owners: ['RUS'], due: iso(T0 + 10 * D), fulfilledBy: { type: 'talks.meeting' } }, { refs: [m.id] });
    r.add('RUS', T0 + 2 * D, 'talks.meeting', { ...meetingBody, at: iso(T0 + 2 * D), group: 'Cyber' }, { refs: [c.id] });
    expect(talksOnly(results(r.entries, T0 + 3 * D)).obligations.map((o) => o.status)).toEqual(['open']);
    const same = r.add('RUS', T0 + 3 * D, 'talks.meeting', { ...meetingBody, at: iso(T0 + 3 * D), group: 'Strategic stability' }, { refs: [c.id] });
    expect(talksOnly(results(r.entries, T0 + 4 * D)).obligations.map((o) => [o.status, o.metBy])).toEqual([['met', same.id]]);
  });
});

describe('briefings (TALKS §briefing, agreed terms)', () => {
  function setup(hours?: number) {
    const r = new RecordBuilder();
    if (hours !== undefined) {
      const p = r.add('USA', T0 - D, 'agreement.proposal', { title: 'Briefing terms', parties: ['USA', 'UKR'], terms: { talks: { briefingHours: hours } }, effective: iso(T0 - D) });
      const b = p.body as Record<string, unknown>;
      r.add('UKR', T0 - D + H, 'agreement.endorsement', { proposal: p.id, parties: b.parties, terms: b.terms, effective: b.effective }, { refs: [p.id] });
    }
    const m = meeting(r);
    return { r, m };
  }
  it('off by default: no obligation to brief anyone', () => {
    const { r } = setup();
    expect(talksOnly(results(r.entries, T0 + 10 * D))).toEqual({ obligations: [], findings: [] });
  });
  it('with 48 hours agreed between USA and UKR: USA owes UKR a briefing (RUS and POL are bound by no agreement); met at the deadline, missed after', () => {
    const { r, m } = setup(48);
    const open = talksOnly(results(r.entries, T0 + 2 * H));
    expect(open.obligations.map((o) => [o.rule, o.debtor, o.creditors, o.due, o.status])).toEqual([['talks.briefing', 'USA', ['UKR'], iso(T0 + 48 * H), 'open']]);
    const onTime = setup(48);
    onTime.r.add('USA', T0 + 48 * H, 'talks.briefing', { meeting: onTime.m.id, briefed: ['UKR'], at: iso(T0 + 48 * H) }, { refs: [onTime.m.id] });
    expect(talksOnly(results(onTime.r.entries, T0 + 5 * D)).obligations.map((o) => o.status)).toEqual(['met']);
    const missed = talksOnly(results(r.entries, T0 + 48 * H + 1));
    expect(missed.obligations.map((o) => o.status)).toEqual(['missed']);
    expect(missed.findings.map((f) => [f.rule, f.parties, f.at])).toEqual([['talks.briefing', ['USA', 'UKR'], iso(T0 + 48 * H + 1)]]);
    r.add('USA', T0 + 50 * H, 'talks.briefing', { meeting: m.id, briefed: ['UKR', 'POL'], at: iso(T0 + 50 * H) }, { refs: [m.id] });
    expect(talksOnly(results(r.entries, T0 + 5 * D)).obligations.map((o) => o.status)).toEqual(['met-late']);
  });
});

describe('a briefing reaches every party that judges it', () => {
  it('is refused (PARLEY_ERR_ADDRESSEES) when the meeting went to all and the briefing only to the party briefed', () => {
    const r = new RecordBuilder();
    const m = meeting(r);
    const byId = new Map(r.entries.map((e) => [e.id, e]));
    const c = catalogue().withRecord({ held: (id) => byId.get(id) });
    const body = { meeting: m.id, briefed: ['UKR'], at: iso(T0 + 2 * H) };
    const refused = c.validate('talks.briefing', body, 'USA', [m.id], ['UKR']);
    expect(refused.ok ? undefined : refused.error.code).toBe('PARLEY_ERR_ADDRESSEES');
    expect(c.validate('talks.briefing', body, 'USA', [m.id], ['*']).ok).toBe(true);
    // A meeting held only by its delegations: the briefing goes to them.
    const r2 = new RecordBuilder('b');
    const m2 = r2.add('USA', T0 + H, 'talks.meeting', meetingBody, { to: ['RUS'] });
    const c2 = catalogue().withRecord({ held: (id) => (id === m2.id ? m2 : undefined) });
    const b2 = { meeting: m2.id, briefed: ['UKR'], at: iso(T0 + 2 * H) };
    expect(c2.validate('talks.briefing', b2, 'USA', [m2.id], ['UKR', 'RUS']).ok).toBe(true);
    const short = c2.validate('talks.briefing', b2, 'USA', [m2.id], ['UKR']);
    expect(short.ok ? undefined : short.error.message).toContain('RUS missing');
  });
});

describe('working groups meet on the agreed cadence (TALKS §group, agreed terms)', () => {
  const SS = 'strategic-stability';
  const groups = (cadenceDays: number, members = ['USA', 'RUS']) => ({ talks: { groups: { [SS]: { members, cadenceDays } } } });
  /** An agreement between USA and RUS, proposed a day before `inForce` and endorsed by RUS at it. */
  function agree(r: RecordBuilder, inForce: number, terms: object) {
    const p = r.add('USA', inForce - D, 'agreement.proposal', { title: 'Standing bodies', parties: ['USA', 'RUS'], terms, effective: iso(inForce - D) });
    const b = p.body as Record<string, unknown>;
    r.add('RUS', inForce, 'agreement.endorsement', { proposal: p.id, parties: b.parties, terms: b.terms, effective: b.effective }, { refs: [p.id] });
    return p;
  }
  const session = (r: RecordBuilder, held: number, extra: object = {}, recorded = held) =>
    r.add('RUS', recorded, 'talks.meeting', { ...meetingBody, title: 'Strategic stability dialogue', format: 'working-group', group: SS, at: iso(held), agenda: [{ key: 'arms-control', title: 'Arms control', concerns: ['USA', 'RUS'] }], ...extra });
  const due = T0 + 60 * D;

  it('before and at the deadline: each member owes a meeting within 60 days of the agreement coming into force, citing it', () => {
    const r = new RecordBuilder();
    const p = agree(r, T0, groups(60));
    for (const at of [T0, due - 1, due]) {
      const out = talksOnly(results(r.entries, at));
      expect(out.obligations.map((o) => [o.rule, o.debtor, o.creditors, o.due, o.status])).toEqual([
        ['talks.group.cadence', 'RUS', ['USA'], iso(due), 'open'],
        ['talks.group.cadence', 'USA', ['RUS'], iso(due), 'open'],
      ]);
      expect(out.obligations[0].citation).toBe(`TALKS §group (agreed terms, ${p.id.slice(0, 12)})`);
      expect(out.findings).toEqual([]);
    }
    // Before the agreement is in force there is no group.
    expect(talksOnly(results(r.entries, T0 - 1))).toEqual({ obligations: [], findings: [] });
  });
  it('after the deadline: one finding for the group, from the first late millisecond, naming the agreement', () => {
    const r = new RecordBuilder();
    const p = agree(r, T0, groups(60));
    const out = talksOnly(results(r.entries, due + 1));
    expect(out.obligations.map((o) => o.status)).toEqual(['missed', 'missed']);
    expect(out.findings.map((f) => [f.rule, f.parties, f.at, f.evidence, f.citation])).toEqual([['talks.group.cadence', ['RUS', 'USA'], iso(due + 1), [p.id], `TALKS §group (agreed terms, ${p.id.slice(0, 12)})`]]);
    expect(out.findings[0].explanation).toBe(`working group "${'strategic-stability'}" (RUS, USA) did not meet within 60 d of the agreement's entry into force (${iso(T0)}), due ${iso(due)}`);
  });
  it('a session at the deadline meets it and starts the next period; one a millisecond later is late', () => {
    const r = new RecordBuilder();
    agree(r, T0, groups(60));
    const s = session(r, due);
    const out = talksOnly(results(r.entries, due + 1));
    expect(out.obligations.map((o) => [o.status, o.due, o.metBy]).sort()).toEqual([
      ['met', iso(due), s.id],
      ['met', iso(due), s.id],
      ['open', iso(due + 60 * D), undefined],
      ['open', iso(due + 60 * D), undefined],
    ]);
    expect(out.findings).toEqual([]);
    const late = new RecordBuilder();
    agree(late, T0, groups(60));
    const l = session(late, due + 1);
    const lateOut = talksOnly(results(late.entries, due + 2));
    expect(lateOut.obligations.filter((o) => o.due === iso(due)).map((o) => [o.status, o.metBy])).toEqual([
      ['met-late', l.id],
      ['met-late', l.id],
    ]);
    expect(lateOut.findings.map((f) => [f.rule, f.at, f.explanation])).toEqual([['talks.group.cadence', iso(due + 1), expect.stringContaining('met 1 ms after the agreed 60 d')]]);
  });
  it('a session recorded after the deadline counts from when it is in the record', () => {
    const r = new RecordBuilder();
    agree(r, T0, groups(60));
    session(r, due - D, {}, due + D);
    expect(talksOnly(results(r.entries, due + 1)).findings.map((f) => f.explanation)).toEqual([expect.stringContaining('did not meet')]);
    expect(talksOnly(results(r.entries, due + D)).findings.map((f) => f.explanation)).toEqual([expect.stringContaining('met 1 d after')]);
  });
  it('only a working-group session of that group with every member\'s delegation counts', () => {
    const r = new RecordBuilder();
    agree(r, T0, groups(60));
    session(r, T0 + D, { delegations: [meetingBody.delegations[0]] });
    session(r, T0 + 2 * D, { group: 'cyber' });
    session(r, T0 + 3 * D, { format: 'consultations' });
    expect(talksOnly(results(r.entries, due + 1)).obligations.map((o) => o.status)).toEqual(['missed', 'missed']);
  });
  it('a later agreement governs from its entry into force: earlier lapses stay, the count starts afresh; leaving the group out ends it', () => {
    const r = new RecordBuilder();
    agree(r, T0, groups(60));
    const T1 = T0 + 100 * D;
    const p2 = agree(r, T1, groups(30));
    const out = talksOnly(results(r.entries, T1 + 30 * D + 1));
    expect(out.findings.map((f) => [f.at, f.citation.slice(-13, -1)])).toEqual([
      [iso(due + 1), expect.any(String)],
      [iso(T1 + 30 * D + 1), p2.id.slice(0, 12)],
    ]);
    const T2 = T1 + 200 * D;
    agree(r, T2, { talks: { briefingHours: 24 } });
    const ended = talksOnly(results(r.entries, T2 + 365 * D));
    expect(ended.obligations.filter((o) => o.due > iso(T2))).toEqual([]);
  });
  it('bad terms are refused at their field, named regimes.talks.groups.<id>.…', () => {
    const c = catalogue();
    const proposal = (terms: object) => ({ title: 'Standing bodies', parties: ['USA', 'RUS'], terms, effective: iso(T0) });
    expect(c.validate('agreement.proposal', proposal(groups(60))).ok).toBe(true);
    const bad = c.validate('agreement.proposal', proposal(groups(0)));
    expect(bad).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: `/terms/talks/groups/${SS}/cadenceDays` } } });
    expect(JSON.stringify(bad)).toContain(`regimes.talks.groups.${SS}.cadenceDays`);
    expect(c.validate('agreement.proposal', proposal(groups(60, ['USA'])))).toMatchObject({ ok: false, error: { detail: { path: `/terms/talks/groups/${SS}/members` } } });
    expect(c.validate('agreement.proposal', proposal({ talks: { groups: { [SS]: { members: ['USA', 'RUS'], cadenceDays: 60, chair: 'USA' } } } }))).toMatchObject({ ok: false, error: { detail: { path: `/terms/talks/groups/${SS}/chair` } } });
  });
  it('the incremental evaluation equals the full one at every step, entries arriving in any order', () => {
    const r = new RecordBuilder();
    agree(r, T0, groups(60));
    session(r, T0 + 20 * D);
    session(r, T0 + 85 * D);
    session(r, T0 + 150 * D, {}, T0 + 152 * D);
    const T1 = T0 + 200 * D;
    agree(r, T1, groups(30));
    session(r, T1 + 29 * D);
    session(r, T1 + 70 * D);
    const ends = r.entries.map((e) => Date.parse(e.time));
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 5; run++) {
      const arrival = [...r.entries].sort(() => rnd() - 0.5);
      const ev = defaultRegistry().evaluation();
      const held: RecordEntry[] = [];
      for (const e of arrival) {
        ev.add(e);
        held.push(e);
        for (const when of [ends[Math.floor(rnd() * ends.length)], T0 + 60 * D, T0 + 60 * D + 1, T0 + Math.floor(rnd() * 400) * D, T1 + 30 * D + 1]) {
          expect(JSON.stringify(ev.result(when))).toBe(JSON.stringify(results(held, when)));
        }
      }
    }
  });
});

const readout = (r: RecordBuilder, author: string, t: number, m: RecordEntry, items: object[], extra: object = {}) => r.add(author, t, 'talks.readout', { meeting: m.id, language: 'en', items, ...extra }, { refs: [m.id] });

describe('refusals, with their code and pointer', () => {
  const r = new RecordBuilder();
  const m = meeting(r);
  const held = new Map(r.entries.map((e) => [e.id, e]));
  const c = catalogue().withRecord({ held: (id) => held.get(id) });
  it('a readout for a meeting the author did not attend (and the regime finds one accepted before the meeting was held)', () => {
    const body = { meeting: m.id, language: 'en', items: [{ key: 'ukraine', discussed: 'We were told of it.' }] };
    expect(c.validate('talks.readout', body, 'USA').ok).toBe(true);
    expect(c.validate('talks.readout', body, 'UKR')).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: '/meeting' } } });
    expect(c.validate('talks.readout', { ...body, items: [{ key: 'crimea', discussed: 'x' }] }, 'USA')).toMatchObject({ ok: false, error: { detail: { path: '/items/0/key' } } });
    const rr = new RecordBuilder();
    const mm = meeting(rr);
    const bad = readout(rr, 'UKR', T0 + 2 * H, mm, [{ key: 'ukraine', discussed: 'x' }]);
    expect(talksOnly(results(rr.entries, T0 + D)).findings.map((f) => [f.rule, f.evidence])).toEqual([['talks.readout.attendance', [mm.id, bad.id]]]);
    expect(divergence(mm.id, rr.entries)!.readouts).toEqual([]);
  });
  it('a commitment without an owner', () => {
    const body = { meeting: m.id, what: 'Continue contacts', owners: ['USA'], due: iso(T0 + D), fulfilledBy: { type: 'talks.meeting' } };
    expect(c.validate('talks.commitment', body).ok).toBe(true);
    expect(c.validate('talks.commitment', { ...body, owners: [] })).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: '/owners' } } });
    const { owners: _, ...none } = body;
    expect(c.validate('talks.commitment', none)).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: '/owners' } } });
    expect(c.validate('talks.commitment', { ...body, cadence: { everyDays: 7 } })).toMatchObject({ ok: false, error: { detail: { path: '/cadence' } } });
  });
  it('an endorsement of an altered statement; a statement without its text; a position both red line and reserved', () => {
    const s = new RecordBuilder();
    const st = s.add('USA', T0, 'agreement.proposal', { title: 'Joint statement', text: 'The parties will continue contacts.', parties: ['USA', 'RUS'], terms: {}, effective: iso(T0) });
    const heldS = new Map(s.entries.map((e) => [e.id, e]));
    const cs = catalogue().withRecord({ held: (id) => heldS.get(id) });
    const endorsement = { proposal: st.id, parties: ['USA', 'RUS'], terms: {}, effective: iso(T0), text: 'The parties will continue contacts.' };
    expect(cs.validate('agreement.endorsement', endorsement).ok).toBe(true);
    expect(cs.validate('agreement.endorsement', { ...endorsement, text: 'The parties will end contacts.' })).toMatchObject({ ok: false, error: { code: 'PARLEY_ERR_SCHEMA', detail: { path: '/text' } } });
    expect(cs.validate('agreement.proposal', { title: 'Empty', parties: ['USA'], terms: {}, effective: iso(T0) })).toMatchObject({ ok: false, error: { detail: { path: '/text' } } });
    expect(c.validate('talks.position', { item: 'ukraine', text: 'x', redLine: true, reserved: true })).toMatchObject({ ok: false, error: { detail: { path: '/reserved' } } });
  });
});

describe('joint statements: adopted only when every signatory endorsed that exact text', () => {
  it('an altered endorsement does not count; the list says who is missing', () => {
    const r = new RecordBuilder();
    const m = meeting(r);
    const st = r.add('USA', T0 + 2 * H, 'agreement.proposal', { title: 'Joint statement', text: 'Contacts continue.', parties: ['USA', 'RUS'], terms: {}, effective: iso(T0) }, { refs: [m.id] });
    const restate = { proposal: st.id, parties: ['USA', 'RUS'], terms: {}, effective: iso(T0) };
    r.add('RUS', T0 + 3 * H, 'agreement.endorsement', { ...restate, text: 'Contacts end.' }, { refs: [st.id] });
    expect(talksStatements(r.entries)).toEqual([{ id: st.id, title: 'Joint statement', meeting: m.id, signatories: ['RUS', 'USA'], endorsed: ['USA'], missing: ['RUS'], adopted: null }]);
    r.add('RUS', T0 + 4 * H, 'agreement.endorsement', { ...restate, text: 'Contacts continue.' }, { refs: [st.id] });
    expect(talksStatements(r.entries)[0]).toMatchObject({ endorsed: ['RUS', 'USA'], missing: [], adopted: iso(T0 + 4 * H) });
    expect(talksList(r.entries)[0]).toMatchObject({ id: m.id, statements: [st.id], parties: ['RUS', 'USA'] });
    // A statement sets no terms: no regime's terms change.
    expect(defaultRegistry().evaluation().addAll(r.entries).agreements.adopted('talks')).toEqual([]);
  });
});

describe('the divergence report', () => {
  function call() {
    const r = new RecordBuilder();
    const m = meeting(r);
    const usa = readout(r, 'USA', T0 + 3 * H, m, [
      { key: 'ukraine', discussed: 'The President voiced deep concern at the build-up of forces and spoke of sanctions with allies.', positions: [{ party: 'USA', text: 'Concern; sanctions if escalation' }], agreed: ['Governments continue contacts'] },
      { key: 'cyber', discussed: 'Teams will follow up.', agreed: ['Governments continue contacts'] },
    ], { notDiscussed: ['guarantees'] });
    const rus = readout(r, 'RUS', T0 + 4 * H, m, [
      { key: 'ukraine', discussed: 'The President voiced concern at NATO activity near the border.', positions: [{ party: 'USA', text: 'Agrees sensitive issues are subject of further talks' }, { party: 'RUS', text: 'Legal guarantees', reserved: false }], agreed: ['Governments continue contacts', 'Sensitive issues to be discussed further'] },
      { key: 'guarantees', discussed: 'Legally binding guarantees against expansion were requested.', positions: [{ party: 'USA', text: 'Will consider', reserved: true }] },
    ]);
    return { r, m, usa, rus };
  }
  it('per item: who covers it, who omits it, and each kind of difference', () => {
    const { r, m, usa, rus } = call();
    const report = divergence(m.id, r.entries)!;
    expect(report.readouts).toEqual([{ party: 'RUS', id: rus.id }, { party: 'USA', id: usa.id }]);
    expect(report.note).toBeUndefined();
    const [cyber, guarantees, ukraine] = report.items;
    expect([cyber.item, cyber.in, cyber.missingFrom]).toEqual(['cyber', ['USA'], ['RUS']]);
    expect(cyber.differences).toEqual([{ kind: 'agreement-claimed', party: 'USA', about: 'RUS', text: 'Governments continue contacts' }]);
    // The position RUS attributes to USA on guarantees is reserved: not a divergence.
    expect(guarantees.differences).toEqual([{ kind: 'not-discussed', party: 'USA', about: 'RUS', text: 'USA says "Security guarantees" was not discussed; RUS\'s readout recounts it' }]);
    expect(ukraine.in).toEqual(['RUS', 'USA']);
    expect(ukraine.differences.map((d) => [d.kind, d.party, d.about])).toEqual([
      ['agreement-claimed', 'RUS', 'USA'],
      ['text', 'RUS', 'USA'],
    ]);
    expect(ukraine.differences[1].text).toBe('The President voiced {+deep+} concern at [-NATO activity near-] the [-border-] {+build-up of forces and spoke of sanctions with allies+} .');
    // USA's own readout states its position on ukraine: RUS's attribution is not "unstated" — but had it stated none, it would be.
    const r2 = new RecordBuilder();
    const m2 = meeting(r2);
    readout(r2, 'USA', T0 + 3 * H, m2, [{ key: 'ukraine', discussed: 'Same.' }]);
    readout(r2, 'RUS', T0 + 4 * H, m2, [{ key: 'ukraine', discussed: 'Same.', positions: [{ party: 'USA', text: 'Agrees to further talks' }] }]);
    expect(divergence(m2.id, r2.entries)!.items.find((x) => x.item === 'ukraine')!.differences).toEqual([{ kind: 'attributed-position', party: 'RUS', about: 'USA', text: 'Agrees to further talks' }]);
    // A talks.position by USA reserving its position on the item takes it out of the count.
    r2.add('USA', T0 + 5 * H, 'talks.position', { item: 'ukraine', meeting: m2.id, text: 'We reserve our position', reserved: true });
    expect(divergence(m2.id, r2.entries)!.items.find((x) => x.item === 'ukraine')!.differences).toEqual([]);
  });
  it('a corrected readout keeps both in the record and the report reads the correction', () => {
    const { r, m, usa } = call();
    const fixed = readout(r, 'USA', T0 + 6 * H, m, [{ key: 'ukraine', discussed: 'The President voiced concern at NATO activity near the border.', positions: [{ party: 'USA', text: 'Concern' }], agreed: ['Governments continue contacts', 'Sensitive issues to be discussed further'] }], { amends: usa.id });
    const report = divergence(m.id, r.entries)!;
    expect(report.readouts.find((x) => x.party === 'USA')).toEqual({ party: 'USA', id: fixed.id, amends: [usa.id] });
    expect(report.items.find((x) => x.item === 'ukraine')!.differences).toEqual([]);
    expect(talksList(r.entries)[0].readouts).toEqual([usa.id, fixed.id, report.readouts[0].id].sort());
  });
  it('a party holding only one readout is told so, and no divergence is claimed', () => {
    const { r, m, rus } = call();
    const partial = r.entries.filter((e) => e.author !== 'USA' || e.type !== 'talks.readout');
    const report = divergence(m.id, partial)!;
    expect(report.readouts).toEqual([{ party: 'RUS', id: rus.id }]);
    expect(report.note).toContain('only one readout');
    expect(report.items.every((x) => x.differences.length === 0)).toBe(true);
    expect(divergence('0'.repeat(64), r.entries)).toBeUndefined();
  });
  it('byte-identical whatever order the entries are held in', () => {
    const { r, m } = call();
    const a = JSON.stringify(divergence(m.id, r.entries));
    const b = JSON.stringify(divergence(m.id, [...r.entries].reverse()));
    expect(b).toBe(a);
  });
  it('the word diff marks words only in one text', () => {
    expect(wordDiff('a b c', 'a x c')).toBe('a [-b-] {+x+} c');
    expect(wordDiff('same words', 'same  words')).toBe('same words');
  });
});
