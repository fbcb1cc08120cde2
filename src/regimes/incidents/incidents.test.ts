/**
 * The incidents regime over records: encounters found in shared tracks batches (with both track
 * entries as evidence, the same whatever order the entries came in, nothing on tracks held only
 * as stubs, thresholds from an adopted agreement); replies owed to reports and to requests for
 * consultations; hazard notices late or missing; a reply or notice counting only where every party
 * judging by it holds it, so a node holding stubs finds what a node reading them finds; the tracks encoding (round trip, size, refusals).
 */
import { describe, expect, it } from 'vitest';
import { RecordBuilder } from '../../../test/support/record.js';
import { catalogue, defaultRegistry } from '../registry.js';
import type { RecordEntry } from '../types.js';
import type { Track } from './cpa.js';
import { batchFixes, decodeTracks, encodeTracks, type FixRow, type TracksBody } from './tracks.js';
import { synthetic } from './synthetic.js';
import { encountersHeld, incidentsList } from './views.js';

const T0 = Date.parse('2022-01-14T06:00:00.000Z');
const H = 3_600_000;
const D = 24 * H;
const iso = (t: number) => new Date(t).toISOString();
const results = (entries: RecordEntry[], at: number) => defaultRegistry().evaluate(entries, at);
const mine = (out: ReturnType<typeof results>) => ({ obligations: out.obligations.filter((o) => o.rule.startsWith('incidents.')), findings: out.findings.filter((f) => f.rule.startsWith('incidents.')) });

/** The fixes of tracks as import rows. */
function rows(tracks: Track[]): Map<string, FixRow[]> {
  const by = new Map<string, FixRow[]>();
  for (const tr of tracks) {
    const list = by.get(tr.party) ?? [];
    for (let i = 0; i < tr.t.length; i++) list.push({ unit: tr.unit, kind: tr.kind, t: tr.t[i], lat: tr.lat[i], lon: tr.lon[i], alt: tr.alt[i] });
    by.set(tr.party, list);
  }
  return by;
}

/** Each party's batches (one a minute), each entry sent a little after its last fix, to the others. */
function shareTracks(r: RecordBuilder, tracks: Track[], parties: string[]): Map<string, RecordEntry[]> {
  const out = new Map<string, RecordEntry[]>();
  const batches: { party: string; body: TracksBody }[] = [];
  for (const [party, list] of rows(tracks)) for (const body of batchFixes(list)) batches.push({ party, body });
  batches.sort((a, b) => Date.parse(a.body.until) - Date.parse(b.body.until) || (a.party < b.party ? -1 : 1));
  for (const { party, body } of batches) {
    const e = r.add(party, Date.parse(body.until) + 5000, 'incidents.tracks', body, { to: parties.filter((p) => p !== party) });
    out.set(party, [...(out.get(party) ?? []), e]);
  }
  return out;
}

describe('encounters in shared tracks (INC.encounter)', () => {
  const parties = ['RUS', 'USA'];
  const feed = synthetic({ seed: 42, parties, units: 10, points: 120, encounters: 12, maxPlantedMetres: 2500 });

  it('a finding per planted encounter within the thresholds, both track entries as evidence, the same as the encounters listed', () => {
    const r = new RecordBuilder();
    shareTracks(r, feed.tracks, parties);
    const { findings } = mine(results(r.entries, T0 + D));
    const listed = encountersHeld(r.entries);
    const encounters = findings.filter((f) => f.rule === 'incidents.encounter');
    expect(encounters.length).toBe(listed.length);
    expect(listed.length).toBeGreaterThan(0);
    const authors = new Map(r.entries.map((e) => [e.id, e.author]));
    for (const e of listed) {
      const th = e.thresholds;
      expect(e.dcpaMetres).toBeLessThanOrEqual(th.horizontalMetres);
      expect(new Set(e.evidence.map((id) => authors.get(id)))).toEqual(new Set([e.a.party, e.b.party]));
      const f = encounters.find((x) => x.explanation.includes(`${e.a.unit} and`) && x.explanation.includes(e.b.unit) && x.explanation.includes(e.tcpa))!;
      expect(f).toBeDefined();
      expect([...f.evidence].sort()).toEqual([...e.evidence].sort());
      expect(f.parties).toEqual([e.a.party, e.b.party].sort());
      expect(f.severity).toBe('warning');
    }
    // Every planted pair inside the thresholds is there, at its distance and instant.
    for (const p of feed.planted) {
      const inside = p.horizontalMetres < 1852 * 0.99 && (p.domain === 'surface-surface' || Math.abs(p.verticalMetres) < (p.domain === 'air-air' ? 150 : 300) * 0.99) && (p.domain !== 'air-air' || p.horizontalMetres < 926 * 0.99);
      if (!inside) continue;
      const hit = listed.find((e) => [e.a.unit, e.b.unit].sort().join() === [p.a.unit, p.b.unit].sort().join());
      expect(hit, `${p.a.unit}–${p.b.unit} at ${p.horizontalMetres} m`).toBeDefined();
      expect(hit!.dcpaMetres).toBeCloseTo(p.horizontalMetres, -1);
      expect(Math.abs(Date.parse(hit!.tcpa) - p.t)).toBeLessThan(2000);
    }
  });

  it('the same JSON whatever order the entries are given in', () => {
    const r = new RecordBuilder();
    shareTracks(r, feed.tracks, parties);
    const a = JSON.stringify(mine(results(r.entries, T0 + D)));
    const b = JSON.stringify(mine(results([...r.entries].reverse(), T0 + D)));
    expect(b).toBe(a);
    expect(JSON.stringify(encountersHeld([...r.entries].reverse()))).toBe(JSON.stringify(encountersHeld(r.entries)));
  });

  it('nothing is found on tracks this node holds only as stubs', () => {
    const r = new RecordBuilder();
    shareTracks(r, feed.tracks, parties);
    const partial = r.entries.map((e) => (e.author === 'RUS' ? RecordBuilder.stub(e) : e));
    expect(mine(results(partial, T0 + D)).findings.filter((f) => f.rule === 'incidents.encounter')).toEqual([]);
    expect(encountersHeld(partial)).toEqual([]);
  });

  it('thresholds come from an adopted agreement: tighter ones find fewer', () => {
    const r = new RecordBuilder();
    const proposal = r.add('USA', T0 - D, 'agreement.proposal', { title: 'Tracks', text: 'Close encounters at 200 m.', parties, effective: iso(T0 - D), terms: { incidents: { thresholds: { 'surface-surface': { horizontalMetres: 200 }, 'air-surface': { horizontalMetres: 200 }, 'air-air': { horizontalMetres: 200 } } } } });
    r.add('RUS', T0 - D + H, 'agreement.endorsement', { proposal: proposal.id, title: 'Tracks', text: 'Close encounters at 200 m.', parties, effective: iso(T0 - D), terms: (proposal.body as { terms: object }).terms }, { refs: [proposal.id] });
    expect(catalogue().validate('agreement.proposal', proposal.body, 'USA').ok).toBe(true);
    const wrong = catalogue().validate('agreement.proposal', { ...proposal.body, terms: { incidents: { thresholds: { 'air-sea': { horizontalMetres: 200 } } } } }, 'USA');
    expect(JSON.stringify(wrong)).toContain('air-sea');
    shareTracks(r, feed.tracks, parties);
    const tight = encountersHeld(r.entries);
    expect(tight.every((e) => e.dcpaMetres <= 200 && e.thresholds.horizontalMetres === 200)).toBe(true);
    const loose = encountersHeld(r.entries.filter((e) => !e.type?.startsWith('agreement.')));
    expect(tight.length).toBeLessThan(loose.length);
    expect(mine(results(r.entries, T0 + D)).findings.filter((f) => f.rule === 'incidents.encounter')).toHaveLength(tight.length);
  });
});

const report = (units: { party: string; kind: string; id: string }[], categories: string[], at = T0) => ({
  at: iso(at),
  position: { lat: 43.2, lon: 33.1 },
  region: 'Black Sea',
  units,
  categories,
  closestMetres: 30,
  narrative: 'An Su-27 passed within 30 m of the aircraft.',
});

describe('replies and consultations (INC.reply, INC.consultation)', () => {
  it('each other party named owes a reply within 7 days: open, met, missed', () => {
    const r = new RecordBuilder();
    const rep = r.add('USA', T0 + H, 'incidents.report', report([{ party: 'USA', kind: 'aircraft', id: 'EP-3 156511' }, { party: 'RUS', kind: 'aircraft', id: 'Su-27 RF-1' }, { party: 'UKR', kind: 'ship', id: 'U-130' }], ['unsafe-intercept']));
    let out = mine(results(r.entries, T0 + 2 * D));
    expect(out.obligations.map((o) => [o.debtor, o.status, o.due]).sort()).toEqual([
      ['RUS', 'open', iso(T0 + H + 7 * D)],
      ['UKR', 'open', iso(T0 + H + 7 * D)],
    ]);
    r.add('RUS', T0 + 3 * D, 'incidents.reply', { about: rep.id, stance: 'disputed', narrative: 'Our aircraft kept a safe distance.' }, { refs: [rep.id] });
    out = mine(results(r.entries, T0 + 9 * D));
    expect(out.obligations.map((o) => [o.debtor, o.status]).sort()).toEqual([
      ['RUS', 'met'],
      ['UKR', 'missed'],
    ]);
    expect(out.findings.map((f) => [f.rule, f.parties, f.at])).toEqual([['incidents.reply', ['UKR', 'USA'], iso(T0 + H + 7 * D + 1)]]);
    const [listed] = incidentsList(r.entries);
    expect(listed).toMatchObject({ id: rep.id, author: 'USA', categories: ['unsafe-intercept'], replies: [{ party: 'RUS', stance: 'disputed' }] });
  });

  it('a request for consultations is answered within 3 days, else a finding', () => {
    const r = new RecordBuilder();
    const c = r.add('RUS', T0, 'incidents.consultation', { parties: ['USA'], subject: 'Intercepts over the Black Sea' }, { to: ['USA'] });
    expect(mine(results(r.entries, T0 + 3 * D + 1)).findings.map((f) => [f.rule, f.parties])).toEqual([['incidents.consultation', ['USA', 'RUS']]]);
    r.add('USA', T0 + 2 * D, 'incidents.reply', { about: c.id, stance: 'accepted', narrative: 'Agreed.', proposedAt: iso(T0 + 10 * D) }, { to: ['RUS'], refs: [c.id] });
    expect(mine(results(r.entries, T0 + 5 * D)).findings).toEqual([]);
  });

  it('a reply addressed to fewer than the parties holding the report does not count: the same missed reply everywhere, and its readers are told why', () => {
    const r = new RecordBuilder();
    const rep = r.add('USA', T0 + H, 'incidents.report', report([{ party: 'USA', kind: 'aircraft', id: 'EP-3 156511' }, { party: 'RUS', kind: 'aircraft', id: 'Su-27 RF-1' }], ['unsafe-intercept']), { to: ['RUS', 'UKR'] });
    // A receipt by RUS to USA, and its reply to USA only: UKR holds both as stubs.
    r.add('RUS', T0 + 2 * H, 'hotline.message', { priority: 'routine', subject: 'Receipt', text: 'Received.', language: 'en' }, { to: ['USA'] });
    const reply = r.add('RUS', T0 + 3 * D, 'incidents.reply', { about: rep.id, stance: 'disputed', narrative: 'Our aircraft kept a safe distance.' }, { to: ['USA'], refs: [rep.id] });
    const at = (party: string) => mine(results(RecordBuilder.heldBy(r.entries, party), T0 + 9 * D));
    const violations = (party: string) => at(party).findings.filter((f) => f.severity !== 'info');
    expect(at('UKR').obligations.map((o) => [o.debtor, o.status])).toEqual([['RUS', 'missed']]);
    expect(violations('UKR').map((f) => [f.rule, f.severity, f.parties])).toEqual([['incidents.reply', 'violation', ['RUS', 'USA']]]);
    for (const party of ['USA', 'RUS']) {
      expect(JSON.stringify(violations(party))).toBe(JSON.stringify(violations('UKR')));
      expect(JSON.stringify(at(party).obligations)).toBe(JSON.stringify(at('UKR').obligations));
    }
    expect(at('UKR').findings.filter((f) => f.severity === 'info')).toEqual([]);
    expect(at('USA').findings.filter((f) => f.severity === 'info').map((f) => [f.rule, f.evidence, f.explanation])).toEqual([
      ['incidents.reply', [rep.id, reply.id], expect.stringMatching(/^RUS's answer to USA's incident report of .* was addressed to USA only: it does not count, since UKR, which holds the report, cannot read it$/)],
    ]);
  });

  it('refuses a reply to one\'s own report and a reply that does not name what it answers in refs', () => {
    const r = new RecordBuilder();
    const rep = r.add('USA', T0, 'incidents.report', report([{ party: 'USA', kind: 'ship', id: 'DDG-75' }, { party: 'RUS', kind: 'aircraft', id: 'Su-24' }], ['close-approach']));
    const cat = catalogue().withRecord({ held: (id) => r.entries.find((e) => e.id === id) });
    const own = cat.validate('incidents.reply', { about: rep.id, narrative: 'x' }, 'USA', [rep.id]);
    expect(own.ok).toBe(false);
    expect(JSON.stringify(own)).toContain('does not answer its own');
    expect(JSON.stringify(cat.validate('incidents.reply', { about: rep.id, narrative: 'x' }, 'RUS', []))).toContain('goes in refs too');
    expect(cat.validate('incidents.reply', { about: rep.id, narrative: 'x' }, 'RUS', [rep.id]).ok).toBe(true);
    // Addressed to fewer than the parties holding the report (here all): refused where the node holds it.
    const narrow = cat.validate('incidents.reply', { about: rep.id, narrative: 'x' }, 'RUS', [rep.id], ['USA']);
    expect(narrow.ok ? undefined : [narrow.error.code, narrow.error.message]).toEqual(['PARLEY_ERR_ADDRESSEES', expect.stringContaining('"*"')]);
    expect(cat.validate('incidents.reply', { about: rep.id, narrative: 'x' }, 'RUS', [rep.id], ['*']).ok).toBe(true);
  });
});

const SQUARE = { type: 'Polygon', coordinates: [[[32, 42], [35, 42], [35, 44], [32, 44], [32, 42]]] };
const notice = (from: number) => ({ activity: 'live-firing', area: SQUARE, from: iso(from), until: iso(from + 6 * H), narrative: 'Naval gunnery.' });

describe('hazard notices (INC.notice)', () => {
  const firing = (r: RecordBuilder, at: number) => r.add('UKR', at + H, 'incidents.report', { ...report([{ party: 'RUS', kind: 'ship', id: 'Moskva' }, { party: 'UKR', kind: 'ship', id: 'U-130' }], ['live-firing'], at), closestMetres: undefined });

  it('given 3 days ahead: no finding; given 1 day ahead: a finding at its time', () => {
    const r = new RecordBuilder();
    r.add('RUS', T0 - 3 * D, 'incidents.hazard', notice(T0));
    r.add('RUS', T0 + D, 'incidents.hazard', notice(T0 + 2 * D));
    const { findings } = mine(results(r.entries, T0 + 5 * D));
    expect(findings.map((f) => [f.rule, f.severity, f.at, f.explanation])).toEqual([['incidents.notice', 'warning', iso(T0 + D), 'RUS gave notice of live-firing from ' + iso(T0 + 2 * D) + ' 1 d before it, not the agreed 3 d ahead']]);
  });

  it('an activity reported by another party with no notice is a violation; a notice covering its time and place clears it', () => {
    const r = new RecordBuilder();
    firing(r, T0 + 3 * H);
    expect(mine(results(r.entries, T0 + D)).findings.map((f) => [f.rule, f.severity, f.parties])).toEqual([['incidents.notice', 'violation', ['RUS', 'UKR']]]);
    const r2 = new RecordBuilder();
    r2.add('RUS', T0 - 4 * D, 'incidents.hazard', notice(T0));
    firing(r2, T0 + 3 * H);
    expect(mine(results(r2.entries, T0 + D)).findings).toEqual([]);
    // Outside the area: not covered.
    const r3 = new RecordBuilder();
    r3.add('RUS', T0 - 4 * D, 'incidents.hazard', { ...notice(T0), area: { type: 'Polygon', coordinates: [[[36, 42], [38, 42], [38, 44], [36, 44], [36, 42]]] } });
    firing(r3, T0 + 3 * H);
    expect(mine(results(r3.entries, T0 + D)).findings.map((f) => f.severity)).toEqual(['violation']);
  });

  it('the acting party\'s entries to others, held as stubs, do not hide a missing notice: the same violation at the reporter and at the actor', () => {
    const r = new RecordBuilder();
    // A receipt by RUS to USA: UKR holds it only as a stub.
    r.add('RUS', T0 - 2 * D, 'hotline.message', { priority: 'routine', subject: 'Receipt', text: 'Received.', language: 'en' }, { to: ['USA'] });
    firing(r, T0 + 3 * H);
    expect(RecordBuilder.heldBy(r.entries, 'UKR').filter((e) => e.type === undefined).map((e) => e.author)).toEqual(['RUS']);
    const at = (party: string) => mine(results(RecordBuilder.heldBy(r.entries, party), T0 + D)).findings;
    expect(at('UKR').map((f) => [f.rule, f.severity, f.parties])).toEqual([['incidents.notice', 'violation', ['RUS', 'UKR']]]);
    expect(JSON.stringify(at('RUS'))).toBe(JSON.stringify(at('UKR')));
  });

  it('a notice addressed to fewer than the parties holding the report does not count: the same violation everywhere, and its readers are told why', () => {
    const r = new RecordBuilder();
    const n = r.add('RUS', T0 - 4 * D, 'incidents.hazard', notice(T0), { to: ['USA'] });
    const rep = firing(r, T0 + 3 * H);
    const at = (party: string) => mine(results(RecordBuilder.heldBy(r.entries, party), T0 + D)).findings;
    const violations = (party: string) => at(party).filter((f) => f.severity === 'violation');
    expect(violations('UKR').map((f) => [f.rule, f.parties])).toEqual([['incidents.notice', ['RUS', 'UKR']]]);
    for (const party of ['RUS', 'USA']) expect(JSON.stringify(violations(party))).toBe(JSON.stringify(violations('UKR')));
    expect(at('UKR').filter((f) => f.severity === 'info')).toEqual([]);
    expect(at('USA').filter((f) => f.severity === 'info').map((f) => [f.rule, f.evidence, f.explanation])).toEqual([
      ['incidents.notice', [n.id, rep.id], expect.stringMatching(/^RUS's notice of live-firing was addressed to USA only: it does not count, since UKR's report of it went to every party/)],
    ]);
  });
});

describe('the tracks encoding', () => {
  it('round-trips fixes to the stated precision, across the antimeridian', () => {
    const body = encodeTracks(T0, T0 + 60_000, [{ unit: 'A-1', kind: 'aircraft', t: [T0, T0 + 10_000, T0 + 20_000], lat: [64.123456, 64.2, 64.3], lon: [179.999999, -179.99, -179.98], alt: [9144.3, 9150, 9160], speed: [230.12, 230, 231], course: [90.5, 91, 92], vrate: [0, 1.5, -2], turn: [0, 3.001, -1.5] }]);
    const d = decodeTracks(body);
    if ('path' in d) throw new Error(d.message);
    const [u] = d.units;
    expect(u.t).toEqual([T0, T0 + 10_000, T0 + 20_000]);
    expect(u.lat[0]).toBeCloseTo(64.123456, 6);
    expect(u.lon).toEqual([179.999999, -179.99, -179.98]);
    expect(u.alt[0]).toBeCloseTo(9144.3, 6);
    expect(u.speed![0]).toBeCloseTo(230.12, 6);
    expect(u.vrate![2]).toBeCloseTo(-2, 6);
    expect(u.turn).toEqual([0, 3.001, -1.5]);
  });

  it('a minute of a feed larger than the Danish AIS (9,000 fixes of 1,500 units) fits one entry under the limit; a larger batch is split by time', () => {
    const { tracks } = synthetic({ seed: 3, parties: ['DNK'], units: 1500, points: 6, intervalMs: 10_000 });
    const list = rows(tracks).get('DNK')!;
    const bodies = batchFixes(list);
    expect(list.length).toBe(9000);
    expect(bodies).toHaveLength(1);
    const bytes = JSON.stringify(bodies[0]).length;
    expect(bytes).toBeLessThan(240 * 1024);
    expect(catalogue().validate('incidents.tracks', bodies[0], 'DNK').ok).toBe(true);
    const small = batchFixes(list, { maxBytes: 40 * 1024 });
    expect(small.length).toBeGreaterThan(1);
    for (const b of small) expect(JSON.stringify(b).length).toBeLessThanOrEqual(40 * 1024);
    const total = small.reduce((n, b) => n + b.units.reduce((m, u) => m + u.n, 0), 0);
    expect(total).toBe(9000);
  });

  it('refuses a batch whose columns do not decode, with a pointer', () => {
    const body = encodeTracks(T0, T0 + 60_000, [{ unit: 'S-1', kind: 'ship', t: [T0, T0 + 10_000], lat: [43, 43.001], lon: [33, 33], alt: [0, 0] }]);
    const short = { ...body, units: [{ ...body.units[0], n: 3 }] };
    const r = catalogue().validate('incidents.tracks', short, 'USA');
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toContain('/units/0/t');
    const late = encodeTracks(T0, T0 + 5000, [{ unit: 'S-1', kind: 'ship', t: [T0, T0 + 10_000], lat: [43, 43.001], lon: [33, 33], alt: [0, 0] }]);
    expect(JSON.stringify(catalogue().validate('incidents.tracks', late, 'USA'))).toContain('outside the batch');
  });
});
