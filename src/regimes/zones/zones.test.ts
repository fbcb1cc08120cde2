/**
 * The frontier zones: every rule at, below and above its figure and deadline; "counted over
 * declared" names the observer; a node holding only stubs of a party's entries convicts it of
 * nothing it cannot see; five nodes holding the same entries, received in different orders,
 * print byte-identical zone findings.
 */
import { describe, expect, it } from 'vitest';
import { RecordBuilder } from '../../../test/support/record.js';
import { Evaluation, evaluate } from '../engine.js';
import { catalogue } from '../registry.js';
import type { Finding, RecordEntry } from '../types.js';
import { zones, zonesList, zonesMap, zonesStatus } from './index.js';

const H = 3_600_000;
const D = 24 * H;
const iso = (t: number) => new Date(t).toISOString();
const T0 = Date.parse('2022-01-01T00:00:00.000Z');
const PARTIES = ['OSCE', 'RUS', 'UKR'];

const box = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
// Two zones either side of a line at 50° N (a stand-in border: the geometry of real bands is geometry.test.ts's).
const RU = { lon: 37, lat: 50.5 };
const UA = { lon: 37, lat: 49.5 };
const FAR = { lon: 30, lat: 45 };
const TERMS = {
  zones: {
    ru: { name: 'Russian side', side: 'RUS', area: box(36, 50, 38, 51), ceilings: { RUS: { troops: 10_000, battleTanks: 100 } }, activityLimit: { troops: 4000 } },
    ua: { name: 'Ukrainian side', side: 'UKR', area: box(36, 49, 38, 49.999), ceilings: { UKR: { troops: 10_000, battleTanks: 100 } }, activityLimit: { troops: 4000 } },
  },
  declarations: { every: 'month', withinDays: 5 },
  movementNoticeDays: 7,
  accessReplyHours: 24,
};

/** Validates every body against the catalogue as a node would, then records it. */
function add(r: RecordBuilder, author: string, t: number, type: string, body: object, options: { to?: string[]; refs?: string[] } = {}): RecordEntry {
  const checked = catalogue().validate(type, body, author, options.refs ?? []);
  if (!checked.ok) throw new Error(JSON.stringify(checked));
  return r.add(author, t, type, body, options);
}

function agree(r: RecordBuilder, terms: object = TERMS, effective = T0) {
  const body = { title: 'Frontier zones (illustrative)', parties: PARTIES, terms: { zones: terms }, effective: iso(effective) };
  const p = add(r, 'RUS', effective - 2 * D, 'agreement.proposal', body);
  for (const party of ['UKR', 'OSCE']) add(r, party, effective - D, 'agreement.endorsement', { proposal: p.id, parties: body.parties, terms: body.terms, effective: body.effective }, { refs: [p.id] });
  return p;
}

const declare = (r: RecordBuilder, party: string, t: number, asOf: number, holdings: Record<string, object>) =>
  add(r, party, t, 'zones.declaration', { asOf: iso(asOf), holdings: Object.entries(holdings).map(([zone, counts]) => ({ zone, counts })) });

/** Declarations of both parties for January, on time, so that only what a test adds is found. */
function january(r: RecordBuilder, ru = { troops: 9000, battleTanks: 90 }) {
  declare(r, 'RUS', T0 + H, T0, { ru });
  declare(r, 'UKR', T0 + H, T0, { ua: { troops: 5000 } });
}

const run = (entries: RecordEntry[], at: number) => evaluate([zones], entries, at);
const findings = (entries: RecordEntry[], at: number, rule?: string): Finding[] => run(entries, at).findings.filter((f) => rule === undefined || f.rule === rule);

describe('ZONES §ceiling: declared holdings against the ceiling', () => {
  it('below and at the ceiling nothing; one over it a violation on the party\'s own declaration, citing the agreement and zone', () => {
    for (const [troops, expected] of [[9999, 0], [10_000, 0], [10_001, 1]] as const) {
      const r = new RecordBuilder();
      const p = agree(r);
      const d = declare(r, 'RUS', T0 + H, T0, { ru: { troops, battleTanks: 10 } });
      const found = findings(r.entries, T0 + 2 * H, 'zones.ceiling');
      expect(found).toHaveLength(expected);
      if (expected) {
        expect(found[0]).toMatchObject({ severity: 'violation', parties: ['RUS', 'OSCE', 'UKR'], evidence: [p.id, d.id], citation: `ZONES §ceiling (agreed terms, ${p.id.slice(0, 12)}, zone ru)` });
        expect(found[0].explanation).toContain('10,001 troops (ceiling 10,000)');
      }
    }
  });
  it('a party with no ceiling in a zone, or a record with no agreement, is judged by nothing', () => {
    const r = new RecordBuilder();
    declare(r, 'RUS', T0 + H, T0, { ru: { troops: 99_999 } });
    expect(run(r.entries, T0 + 40 * D)).toEqual({ obligations: [], findings: [] });
    agree(r);
    declare(r, 'UKR', T0 + H, T0, { ru: { troops: 99_999 } });
    expect(findings(r.entries, T0 + 2 * H, 'zones.ceiling').map((f) => f.parties[0])).toEqual(['RUS']);
  });
});

describe('ZONES §declaration: holdings declared every month within 5 days', () => {
  const due = T0 + 5 * D;
  const status = (entries: RecordEntry[], at: number, party = 'RUS') => run(entries, at).obligations.filter((o) => o.rule === 'zones.declaration' && o.debtor === party && o.what.includes('period 1'));
  it('open before the deadline, met at its last millisecond, late one millisecond after, missed without', () => {
    const r0 = new RecordBuilder();
    agree(r0);
    expect(status(r0.entries, due).map((o) => [o.status, o.due, o.creditors])).toEqual([['open', iso(due), ['OSCE', 'UKR']]]);
    expect(status(r0.entries, due + 1).map((o) => o.status)).toEqual(['missed']);
    const missed = findings(r0.entries, due + 1, 'zones.declaration').filter((f) => f.parties[0] === 'RUS');
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({ severity: 'violation', at: iso(due + 1) });
    expect(missed[0].explanation).toContain('did not declare its holdings in zone ru');

    const onTime = new RecordBuilder();
    agree(onTime);
    declare(onTime, 'RUS', due, T0 + D, { ru: { troops: 1 } });
    expect(status(onTime.entries, due + D).map((o) => o.status)).toEqual(['met']);
    expect(findings(onTime.entries, due + D, 'zones.declaration').filter((f) => f.parties[0] === 'RUS')).toEqual([]);

    const late = new RecordBuilder();
    agree(late);
    declare(late, 'RUS', due + 1, T0 + D, { ru: { troops: 1 } });
    expect(status(late.entries, due + D).map((o) => o.status)).toEqual(['met-late']);
    expect(findings(late.entries, due + D, 'zones.declaration').filter((f) => f.parties[0] === 'RUS')[0].explanation).toContain('1 ms late');
  });
  it('one period per calendar month: February is due by 6 February, declared as of a date in February', () => {
    const r = new RecordBuilder();
    agree(r);
    january(r);
    declare(r, 'RUS', Date.parse('2022-02-03T00:00:00Z'), Date.parse('2022-01-31T00:00:00Z'), { ru: { troops: 1 } }); // as of January: not February's
    const feb = run(r.entries, Date.parse('2022-02-07T00:00:00Z')).obligations.filter((o) => o.rule === 'zones.declaration' && o.what.includes('period 2'));
    expect(feb.map((o) => [o.debtor, o.due, o.status])).toEqual([
      ['RUS', '2022-02-06T00:00:00.000Z', 'missed'],
      ['UKR', '2022-02-06T00:00:00.000Z', 'missed'],
    ]);
  });
});

describe('ZONES §movement: notice days ahead, projected holdings', () => {
  const enters = T0 + 20 * D;
  const notice = (r: RecordBuilder, t: number, troops: number) => add(r, 'RUS', t, 'zones.movement', { zone: 'ru', enters: iso(enters), counts: { troops }, units: ['a motor rifle brigade'] });
  it('7 days ahead or more is in time; 1 ms less is a violation', () => {
    for (const [lead, expected] of [[8 * D, 0], [7 * D, 0], [7 * D - 1, 1]] as const) {
      const r = new RecordBuilder();
      agree(r);
      january(r);
      notice(r, enters - lead, 100);
      const found = findings(r.entries, enters, 'zones.movement');
      expect(found.filter((f) => f.severity === 'violation')).toHaveLength(expected);
      if (expected) expect(found[0].explanation).toContain('the agreed notice is 7 d');
    }
  });
  it('the declaration plus the forces announced, against the ceiling: at it nothing, over it a warning before they move', () => {
    for (const [troops, expected] of [[999, 0], [1000, 0], [1001, 1]] as const) {
      const r = new RecordBuilder();
      agree(r);
      january(r);
      notice(r, enters - 10 * D, troops);
      const found = findings(r.entries, enters - 10 * D, 'zones.movement');
      expect(found).toHaveLength(expected);
      if (expected) expect(found[0]).toMatchObject({ severity: 'warning' });
      if (expected) expect(found[0].explanation).toContain('10,001 troops (ceiling 10,000)');
    }
  });
});

describe('ZONES §observation: counts against declarations, on the observer\'s count', () => {
  const at = T0 + 10 * D;
  const report = (r: RecordBuilder, troops: number, where = RU) => add(r, 'OSCE', at + H, 'zones.report', { at: iso(at), position: [where.lon, where.lat], place: 'near Valuyki', observedParty: 'RUS', counts: { troops, battleTanks: 10 }, units: ['tanks with white Z markings'] });
  it('fewer or as many as declared: nothing; one more: a warning naming the observer, and a violation for forces with no movement notice', () => {
    for (const troops of [8999, 9000]) {
      const r = new RecordBuilder();
      agree(r);
      january(r);
      report(r, troops);
      expect(findings(r.entries, at + D, 'zones.counted')).toEqual([]);
    }
    const r2 = new RecordBuilder();
    agree(r2);
    january(r2);
    const x = report(r2, 9001);
    const found = findings(r2.entries, at + D, 'zones.counted');
    expect(found.map((f) => f.severity).sort()).toEqual(['violation', 'warning']);
    const counted = found.find((f) => f.severity === 'warning')!;
    expect(counted.explanation).toMatch(/^on OSCE's count, RUS had 9,001 troops \(against 9,000\) in zone ru \(Russian side\) \(near Valuyki\) on/);
    expect(counted.parties).toEqual(['RUS', 'OSCE', 'UKR']);
    expect(counted.evidence).toContain(x.id);
    expect(found.find((f) => f.severity === 'violation')!.explanation).toContain('with no movement notice');
  });
  it('forces announced in a movement notice are expected: the count is over only beyond declared plus announced', () => {
    for (const [troops, expected] of [[10_999, 0], [11_000, 0], [11_001, 1]] as const) {
      const r = new RecordBuilder();
      agree(r);
      january(r);
      add(r, 'RUS', T0 + D, 'zones.movement', { zone: 'ru', enters: iso(T0 + 8 * D), counts: { troops: 2000 } });
      report(r, troops);
      const found = findings(r.entries, at + D, 'zones.counted');
      expect(found.filter((f) => f.severity === 'warning')).toHaveLength(expected);
      expect(found.filter((f) => f.severity === 'violation')).toEqual([]);
    }
  });
  it('a report outside every zone is judged by no zone, and is listed as outside', () => {
    const r = new RecordBuilder();
    agree(r);
    january(r);
    report(r, 50_000, FAR);
    expect(findings(r.entries, at + D, 'zones.counted')).toEqual([]);
    const s = zonesStatus(r.entries, at + D);
    expect(s.outside.map((o) => [o.by, o.party, o.counts.troops])).toEqual([['OSCE', 'RUS', 50_000]]);
    expect(zonesMap(r.entries, at + D).reports.map((x) => x.zones)).toEqual([[]]);
  });
});

describe('ZONES §activity: a notified activity meeting a zone, above its limit', () => {
  const notification = (r: RecordBuilder, troops: number, area: object) =>
    r.add('RUS', T0 + 3 * D, 'vd.activity.notification', {
      designation: 'Union Resolve', activityType: 'land-forces', purpose: 'Exercise', start: iso(T0 + 50 * D), end: iso(T0 + 60 * D), area,
      troops, battleTanks: 10, armouredCombatVehicles: 10, artilleryPieces: 10, fixedWingSorties: 0, amphibiousTroops: 0, airborneTroops: 0, alertActivity: false,
    });
  it('at the limit nothing; over it a violation per zone its area meets; an area away from the zones nothing', () => {
    const straddling = box(36.5, 49.8, 37.5, 50.2);
    for (const [troops, area, expected] of [[3999, straddling, []], [4000, straddling, []], [4001, straddling, ['ru', 'ua']], [4001, box(36.5, 50.2, 37, 50.4), ['ru']], [90_000, box(20, 50, 21, 51), []]] as const) {
      const r = new RecordBuilder();
      agree(r);
      notification(r, troops, area);
      const found = findings(r.entries, T0 + 4 * D, 'zones.activity');
      expect(found.map((f) => /zone (\w+)\)$/.exec(f.citation)![1]).sort()).toEqual(expected);
      for (const f of found) expect(f.explanation).toContain(`${troops.toLocaleString('en')} troops (limit 4,000)`);
    }
  });
});

describe('ZONES §access: requests answered in 24 hours, restrictions', () => {
  const ask = (r: RecordBuilder, where = UA) => add(r, 'OSCE', T0 + 2 * D, 'zones.access.request', { of: 'UKR', position: [where.lon, where.lat], place: 'checkpoint', from: iso(T0 + 3 * D), purpose: 'Count the forces at the depot.' }, { to: ['UKR', 'OSCE'] });
  const due = T0 + 3 * D;
  const reply = (r: RecordBuilder, q: RecordEntry, t: number, granted = true) => add(r, 'UKR', t, 'zones.access.reply', { request: q.id, granted, ...(granted ? {} : { reason: 'Mines on the road.' }) }, { refs: [q.id] });
  const access = (entries: RecordEntry[], at: number) => run(entries, at);
  it('answered at the deadline: met; 1 ms after: late; never: missed; refused: a violation', () => {
    const r = new RecordBuilder();
    agree(r);
    const q = ask(r);
    expect(access(r.entries, due).obligations.filter((o) => o.rule === 'zones.access').map((o) => [o.debtor, o.creditors, o.status])).toEqual([['UKR', ['OSCE'], 'open']]);
    expect(access(r.entries, due + 1).findings.filter((f) => f.rule === 'zones.access').map((f) => f.explanation)).toEqual(['UKR did not answer OSCE\'s access request to checkpoint (zone ua) within the agreed 24 h']);
    for (const [t, status] of [[due, 'met'], [due + 1, 'met-late']] as const) {
      const r2 = new RecordBuilder();
      agree(r2);
      const q2 = ask(r2);
      reply(r2, q2, t);
      expect(access(r2.entries, due + D).obligations.filter((o) => o.rule === 'zones.access').map((o) => o.status)).toEqual([status]);
      expect(access(r2.entries, due + D).findings.filter((f) => f.rule === 'zones.access')).toHaveLength(status === 'met' ? 0 : 1);
    }
    reply(r, q, due - H, false);
    const refused = access(r.entries, due + D).findings.filter((f) => f.rule === 'zones.access');
    expect(refused.map((f) => f.explanation)).toEqual(['UKR refused OSCE\'s observers access to checkpoint in zone ua; reason given: Mines on the road.']);
  });
  it('a request for a place outside the zones owes nothing', () => {
    const r = new RecordBuilder();
    agree(r);
    ask(r, FAR);
    expect(access(r.entries, due + D).obligations.filter((o) => o.rule === 'zones.access')).toEqual([]);
  });
  it('a restriction in a zone is a violation on the observer\'s report; outside every zone, none', () => {
    const r = new RecordBuilder();
    agree(r);
    add(r, 'OSCE', T0 + 4 * D, 'zones.restriction', { at: iso(T0 + 4 * D - H), position: [RU.lon, RU.lat], place: 'road to the depot', deniedBy: 'RUS', reason: 'Exercise under way.' });
    add(r, 'OSCE', T0 + 4 * D, 'zones.restriction', { at: iso(T0 + 4 * D - H), position: [FAR.lon, FAR.lat], deniedBy: 'UKR' });
    const found = findings(r.entries, T0 + 5 * D, 'zones.access');
    expect(found.map((f) => [f.severity, f.parties[0], f.explanation])).toEqual([
      ['violation', 'RUS', 'on OSCE\'s report, RUS denied its observers access (road to the depot) in zone ru (Russian side) on ' + iso(T0 + 4 * D - H) + '; reason given: Exercise under way.'],
    ]);
  });
});

describe('a node holding only the stub of a party\'s declaration (ZONES §record)', () => {
  /** RUS declares over its ceiling, to UKR only; OSCE counts in the zone; RUS's reply to an access request goes to OSCE only. */
  function record() {
    const r = new RecordBuilder();
    agree(r);
    const rus = add(r, 'RUS', T0 + H, 'zones.declaration', { asOf: iso(T0), holdings: [{ zone: 'ru', counts: { troops: 12_000 } }] }, { to: ['UKR'] });
    declare(r, 'UKR', T0 + H, T0, { ua: { troops: 5000 } });
    add(r, 'OSCE', T0 + 10 * D, 'zones.report', { at: iso(T0 + 10 * D), position: [RU.lon, RU.lat], observedParty: 'RUS', counts: { troops: 11_000 } });
    const q = add(r, 'OSCE', T0 + 11 * D, 'zones.access.request', { of: 'RUS', position: [RU.lon, RU.lat], from: iso(T0 + 12 * D), purpose: 'Count.' });
    const reply = add(r, 'RUS', T0 + 11 * D + H, 'zones.access.reply', { request: q.id, granted: true }, { to: ['OSCE'], refs: [q.id] });
    return { r, rus, reply };
  }
  const at = T0 + 20 * D;
  const judged = (f: Finding) => f.severity !== 'info';

  it('asserts nothing that depends on the content it lacks: its verdicts are those of the node that reads the declaration', () => {
    const { r, rus, reply } = record();
    // UKR's node reads RUS's declaration (it was addressed to UKR); USA's holds only its stub, and the reply's.
    const atUkr = run(r.entries.map((e) => (e.id === reply.id ? RecordBuilder.stub(e) : e)), at);
    const atUsa = run(r.entries.map((e) => (e.id === rus.id || e.id === reply.id ? RecordBuilder.stub(e) : e)), at);
    // The ceiling breach is in the declaration's content: only its reader asserts it.
    expect(atUkr.findings.filter((f) => f.rule === 'zones.ceiling').map((f) => f.parties[0])).toEqual(['RUS']);
    expect(atUsa.findings.filter((f) => f.rule === 'zones.ceiling')).toEqual([]);
    // Everything else, byte for byte the same: a declaration to UKR only does not count for anyone.
    const absence = (out: ReturnType<typeof run>) => JSON.stringify({ o: out.obligations, f: out.findings.filter((f) => judged(f) && f.rule !== 'zones.ceiling') });
    expect(absence(atUsa)).toBe(absence(atUkr));
    expect(atUsa.findings.filter(judged).map((f) => [f.rule, f.severity]).sort()).toEqual([
      ['zones.access', 'violation'],
      ['zones.counted', 'violation'],
      ['zones.counted', 'warning'],
      ['zones.declaration', 'violation'],
    ]);
    expect(atUsa.findings.find((f) => f.rule === 'zones.counted' && f.severity === 'warning')!.explanation).toContain('against 0');
    // The reader is told why the declaration does not count; the node holding the stub is told nothing it cannot see.
    expect(atUkr.findings.filter((f) => f.rule === 'zones.record').map((f) => [f.severity, f.evidence.includes(rus.id)])).toEqual([['info', true]]);
    expect(atUsa.findings.filter((f) => f.rule === 'zones.record')).toEqual([]);
    expect(atUsa.findings.flatMap((f) => f.evidence)).not.toContain(rus.id);
    // OSCE reads the reply addressed to it: it counts only for parties it reached, so OSCE too finds the request unanswered, and is told why.
    const atOsce = run(r.entries.map((e) => (e.id === rus.id ? RecordBuilder.stub(e) : e)), at);
    expect(atOsce.obligations.filter((o) => o.rule === 'zones.access').map((o) => o.status)).toEqual(['missed']);
    expect(atOsce.findings.filter((f) => f.rule === 'zones.record').map((f) => f.evidence.at(-1))).toEqual([reply.id]);
  });
  it('a declaration to all counts at every node, and the same record then finds no absence', () => {
    const { r } = record();
    const open = r.entries.map((e) => (e.type === 'zones.declaration' || e.type === 'zones.access.reply' ? { ...e, to: ['*'] } : e));
    const out = run(open, at);
    expect(out.findings.map((f) => f.rule).sort()).toEqual(['zones.ceiling']);
  });
});

describe('five nodes', () => {
  it('print byte-identical zone status and findings whatever the order the entries reached them', () => {
    const r = new RecordBuilder();
    agree(r);
    january(r, { troops: 10_500, battleTanks: 90 });
    add(r, 'OSCE', T0 + 9 * D, 'zones.report', { at: iso(T0 + 9 * D), position: [RU.lon, RU.lat], observedParty: 'RUS', counts: { troops: 14_000 } });
    add(r, 'OSCE', T0 + 9 * D, 'zones.restriction', { at: iso(T0 + 9 * D), position: [UA.lon, UA.lat], deniedBy: 'UKR' });
    add(r, 'RUS', T0 + 12 * D, 'zones.movement', { zone: 'ru', enters: iso(T0 + 14 * D), counts: { troops: 3000 } });
    const at = T0 + 45 * D;
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const printed = new Set<string>();
    const statuses = new Set<string>();
    for (let node = 0; node < 5; node++) {
      const arrival = node === 0 ? r.entries : [...r.entries].sort(() => rnd() - 0.5);
      const ev = new Evaluation([zones]);
      for (const e of arrival) ev.add(e);
      printed.add(JSON.stringify(ev.result(at).findings));
      statuses.add(JSON.stringify(zonesStatus(arrival, at)));
    }
    expect(printed.size).toBe(1);
    expect(statuses.size).toBe(1);
    const findingsPrinted = JSON.parse([...printed][0]) as Finding[];
    expect(findingsPrinted.map((f) => f.rule).sort()).toEqual(['zones.access', 'zones.ceiling', 'zones.counted', 'zones.counted', 'zones.declaration', 'zones.declaration', 'zones.movement', 'zones.movement']);
  });
});

describe('views', () => {
  it('list and status per zone: side, ceilings side by side, latest declared and observed, findings', () => {
    const r = new RecordBuilder();
    const p = agree(r);
    january(r);
    add(r, 'OSCE', T0 + 9 * D, 'zones.report', { at: iso(T0 + 9 * D), position: [RU.lon, RU.lat], observedParty: 'RUS', counts: { troops: 9500 } });
    expect(zonesList(r.entries, T0 - 1)).toEqual([]);
    expect(zonesList(r.entries, T0).map((z) => [z.zone, z.side, z.agreement, z.ceilings])).toEqual([
      ['ru', 'RUS', p.id, { RUS: { troops: 10_000, battleTanks: 100 } }],
      ['ua', 'UKR', p.id, { UKR: { troops: 10_000, battleTanks: 100 } }],
    ]);
    const s = zonesStatus(r.entries, T0 + 10 * D);
    const ru = s.zones[0];
    expect(Object.keys(ru).filter((k) => ['zone', 'side', 'ceilings', 'declared', 'observed', 'findings'].includes(k))).toHaveLength(6);
    expect(ru.declared.RUS).toMatchObject({ asOf: iso(T0), counts: { troops: 9000, battleTanks: 90 } });
    expect(ru.observed.map((o) => [o.by, o.party, o.counts.troops])).toEqual([['OSCE', 'RUS', 9500]]);
    expect(ru.findings.map((f) => f.rule).sort()).toEqual(['zones.counted', 'zones.counted']);
    expect(s.zones[1].findings).toEqual([]);
  });
  it('the map: areas, the mission\'s posts on both sides and its patrol areas, each report with its zones', () => {
    const r = new RecordBuilder();
    agree(r);
    const mission = add(r, 'OSCE', T0 + D, 'zones.mission', {
      mandate: 'Observe both sides.',
      observers: 'OSCE',
      posts: [
        { name: 'North', position: [RU.lon, RU.lat], side: 'RUS' },
        { name: 'South', position: [UA.lon, UA.lat], side: 'UKR' },
      ],
      patrolAreas: [box(36.5, 50.2, 37.5, 50.8)],
      from: iso(T0 + D),
    });
    add(r, 'OSCE', T0 + 2 * D, 'zones.report', { mission: mission.id, at: iso(T0 + 2 * D), position: [UA.lon, UA.lat], observedParty: 'UKR', counts: { troops: 1 } }, { refs: [mission.id] });
    const m = zonesMap(r.entries, T0 + 3 * D);
    expect(Object.keys(m.areas)).toEqual(['ru', 'ua']);
    expect(m.posts.map((p) => [p.name, p.side, p.mission])).toEqual([['North', 'RUS', mission.id], ['South', 'UKR', mission.id]]);
    expect(m.patrols.map((p) => [p.mission, p.area.type])).toEqual([[mission.id, 'Polygon']]);
    expect(m.reports.map((x) => x.zones)).toEqual([['ua']]);
  });
});

describe('terms and content checks', () => {
  const c = () => catalogue();
  const proposal = (terms: object) => ({ title: 'Zones', parties: PARTIES, terms: { zones: terms }, effective: iso(T0) });
  it('refuses bad terms at their field', () => {
    expect(c().validate('agreement.proposal', proposal(TERMS)).ok).toBe(true);
    const open = { ...TERMS.zones.ru, area: { type: 'Polygon', coordinates: [[[36, 50], [38, 50], [38, 51], [36, 51]]] } };
    expect(c().validate('agreement.proposal', proposal({ zones: { ru: open } }))).toMatchObject({ ok: false, error: { detail: { path: '/terms/zones/zones/ru/area/coordinates' } } });
    expect(c().validate('agreement.proposal', proposal({ zones: { ru: { ...TERMS.zones.ru, ceilings: { RUS: { tanks: 1 } } } } }))).toMatchObject({ ok: false, error: { detail: { path: '/terms/zones/zones/ru/ceilings/RUS/tanks' } } });
    expect(c().validate('agreement.proposal', proposal({ declarations: { every: 'week', withinDays: 1 } }))).toMatchObject({ ok: false, error: { detail: { path: '/terms/zones/declarations/every' } } });
    expect(c().validate('agreement.proposal', proposal({ zones: { ru: { ...TERMS.zones.ru, band: { between: ['BLR', 'UKR'], widthKm: 50 } } } }))).toMatchObject({ ok: false, error: { detail: { path: '/terms/zones/zones/ru/band/between' } } });
  });
  it('refuses a declaration naming a zone twice, and a reply by a party not asked', () => {
    expect(c().validate('zones.declaration', { asOf: iso(T0), holdings: [{ zone: 'ru', counts: { troops: 1 } }, { zone: 'ru', counts: { troops: 2 } }] })).toMatchObject({ ok: false, error: { detail: { path: '/holdings/1/zone' } } });
    const r = new RecordBuilder();
    const q = r.add('OSCE', T0, 'zones.access.request', { of: 'UKR', position: [37, 49.5], from: iso(T0), purpose: 'Look.' });
    const held = new Map([[q.id, { type: q.type, author: q.author, body: q.body }]]);
    const withRecord = c().withRecord({ held: (id) => held.get(id) as never });
    expect(withRecord.validate('zones.access.reply', { request: q.id, granted: true }, 'RUS', [q.id])).toMatchObject({ ok: false, error: { detail: { path: '/request' } } });
    expect(withRecord.validate('zones.access.reply', { request: q.id, granted: true }, 'UKR', [q.id]).ok).toBe(true);
    expect(c().validate('zones.report', { at: iso(T0), position: [37, 50.5], observedParty: 'RUS', counts: {} })).toMatchObject({ ok: false });
  });
});
