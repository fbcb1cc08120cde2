/**
 * The shipped winter 2021–22 scenario through real node folders, and the regimes' CLI:
 * obligations and findings on the scenario's real dates, byte-identical findings at parties that
 * hold the same entries, offline evaluation of an export, and a scenario played only once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { parley } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';

const SCENARIO = resolve(import.meta.dirname, '../../scenarios/winter-2021-22.yaml');
const AT = '2022-03-01T00:00:00.000Z';
const PARTIES = ['USA', 'RUS', 'UKR', 'BLR', 'OSCE'];

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir('parley-scenario-');
});
afterAll(() => dir.remove());

describe('the winter 2021–22 scenario', () => {
  it('plays into one node folder per party, on its real dates, and only once', () => {
    const run = parley(['scenario', 'run', SCENARIO, '--dir', join(dir.path, 'winter'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = run.json();
    expect(report.outcome).toBe('played');
    expect(report.steps.find((s: { id: string }) => s.id === 'ukr-explanation-request')).toMatchObject({ author: 'UKR', at: '2022-02-11T12:00:00.000Z' });
    const again = parley(['scenario', 'run', SCENARIO, '--dir', join(dir.path, 'winter'), '--json']);
    expect(again.json().outcome).toBe('reused');
    for (const p of PARTIES) expect(parley(['verify', '--dir', join(dir.path, 'winter', p), '--json']).json().ok).toBe(true);
  });

  it("shows Russia's missed 48-hour reply and meeting, the late notification, the figure under a threshold and the over-count", () => {
    const ukr = join(dir.path, 'winter', 'UKR');
    const obligations = parley(['obligations', '--dir', ukr, '--at', AT, '--json']).json().obligations;
    const missed = obligations.filter((o: { status: string; debtor: string }) => o.status === 'missed' && o.debtor === 'RUS').map((o: { citation: string }) => o.citation);
    expect(missed).toEqual(expect.arrayContaining(['VD11 §16.1.3', 'VD11 §16.2']));
    // Just before the 48 hours ran out, the reply was still open.
    const before = parley(['obligations', '--dir', ukr, '--at', '2022-02-13T12:00:00.000Z', '--json']).json().obligations;
    expect(before.find((o: { citation: string }) => o.citation === 'VD11 §16.1.3').status).toBe('open');
    const findings = parley(['findings', '--dir', ukr, '--at', AT, '--json']).json().findings as { citation: string; severity: string; parties: string[]; explanation: string; evidence: string[] }[];
    const late = findings.find((f) => f.citation === 'VD11 §38' && f.parties[0] === 'BLR' && /deadline/.test(f.explanation));
    expect(late?.severity).toBe('violation');
    expect(findings.find((f) => f.severity === 'warning' && /12,800/.test(f.explanation))?.parties).toEqual(['RUS']);
    const overCount = findings.find((f) => /counted 30,000/.test(f.explanation));
    expect(overCount?.evidence).toHaveLength(2);
    // What UKR counted is read against the observation threshold too, and says whose count it is.
    expect(findings.find((f) => f.citation === 'VD11 §47.4' && f.severity === 'violation')).toMatchObject({ parties: ['BLR', 'UKR'], explanation: expect.stringMatching(/^on UKR's count, "Union Resolve 2022" involved 30,000 troops.*BLR invited none$/) });
    // The hotline exchange is between USA and RUS: its late acknowledgement is a finding there.
    const usa = parley(['findings', '--dir', join(dir.path, 'winter', 'USA'), '--at', AT, '--party', 'RUS', '--json']).json().findings;
    expect(usa.some((f: { citation: string; explanation: string }) => /flash/.test(f.explanation) && /after its 5 min deadline/.test(f.explanation))).toBe(true);
  });

  it('records the talks: the 7 December call with two readouts that differ, the January meetings, the commitment met in Geneva', () => {
    const ukr = join(dir.path, 'winter', 'UKR');
    const meetings = parley(['talks', 'list', '--dir', ukr, '--json']).json() as { id: string; title: string; at: string; readouts: string[]; commitments: string[] }[];
    expect(meetings.map((m) => m.at.slice(0, 10))).toEqual(['2021-12-07', '2022-01-10', '2022-01-12', '2022-01-13']);
    const [call, geneva] = meetings;
    expect([call!.readouts.length, call!.commitments.length]).toEqual([2, 1]);
    const report = parley(['talks', 'compare', '--dir', ukr, '--meeting', call!.id, '--json']).json() as { note?: string; items: { item: string; missingFrom: string[]; differences: { kind: string; party: string; about: string }[] }[] };
    expect(report.note).toBeUndefined();
    const kinds = new Set(report.items.flatMap((i) => i.differences.map((d) => d.kind)));
    expect([...kinds].sort()).toEqual(['agreement-claimed', 'attributed-position', 'not-discussed', 'text']);
    expect(report.items.find((i) => i.item === 'sanctions')?.missingFrom).toEqual(['RUS']);
    expect(report.items.find((i) => i.item === 'nato-guarantees')?.differences).toContainEqual(expect.objectContaining({ kind: 'agreement-claimed', party: 'RUS', about: 'USA' }));
    // Geneva: only Washington's readout is recorded, and the report says so rather than claim a divergence.
    expect(parley(['talks', 'compare', '--dir', ukr, '--meeting', geneva!.id, '--json']).json().note).toMatch(/only one readout/);
    // The commitment to continue contacts is met by the Geneva meeting, for each owner.
    const talks = (parley(['obligations', '--dir', ukr, '--at', AT, '--json']).json().obligations as { rule: string; debtor: string; status: string; metBy?: string }[]).filter((o) => o.rule === 'talks.commitment');
    // (Obligations come sorted by due time, then id: which owner is first is not the point here.)
    expect(talks.map((o) => [o.debtor, o.status, o.metBy]).sort()).toEqual([
      ['RUS', 'met', geneva!.id],
      ['USA', 'met', geneva!.id],
    ]);
  });

  it('checks the illustrative frontier-zones agreement: the count over the declaration on OSCE\'s count, the restriction, the exercise above the limit, the missing declaration — the same at all five parties', () => {
    type Z = { zone: string; side: string; ceilings: Record<string, unknown>; declared: Record<string, { counts: { troops: number } }>; observed: { by: string }[]; findings: { rule: string; severity: string; parties: string[]; explanation: string }[] };
    const status = (p: string) => parley(['zones', 'status', '--dir', join(dir.path, 'winter', p), '--at', AT, '--json']);
    const ukr = status('UKR').json() as { zones: Z[]; outside: { by: string; party: string }[] };
    // In the order of the agreement's terms as signed (canonical JSON: keys sorted).
    expect(ukr.zones.map((z) => [z.zone, z.side])).toEqual([['blr-ukr-blr', 'BLR'], ['blr-ukr-ukr', 'UKR'], ['rus-ukr-rus', 'RUS'], ['rus-ukr-ukr', 'UKR']]);
    const ru = ukr.zones[2];
    expect(ru.declared.RUS.counts.troops).toBe(9800);
    expect(ru.observed.map((o) => o.by)).toEqual(['OSCE']);
    const explained = (z: Z, rule: string) => z.findings.filter((f) => f.rule === rule).map((f) => f.explanation).join('\n');
    expect(explained(ru, 'zones.counted')).toMatch(/(^|\n)on OSCE's count, RUS had 14,500 troops \(against 9,800\)/);
    expect(explained(ru, 'zones.counted')).toMatch(/with no movement notice/);
    expect(explained(ru, 'zones.access')).toMatch(/RUS denied its observers access/);
    expect(explained(ru, 'zones.activity')).toMatch(/Southern Shield 2022.*12,800 troops \(limit 4,000\)/);
    expect(explained(ru, 'zones.declaration')).toMatch(/RUS did not declare .* period 2/);
    expect(explained(ukr.zones[0], 'zones.activity')).toMatch(/Union Resolve 2022/);
    expect(explained(ukr.zones[0], 'zones.access')).toMatch(/BLR did not answer OSCE's access request/);
    expect(ukr.outside.map((o) => [o.by, o.party])).toEqual([['OSCE', 'RUS']]);
    const findings = (out: string) => JSON.stringify((JSON.parse(out) as { zones: Z[] }).zones.map((z) => z.findings));
    const printed = PARTIES.map((p) => findings(status(p).stdout));
    for (const p of printed) expect(p).toBe(printed[0]);
    const list = parley(['zones', 'list', '--dir', join(dir.path, 'winter', 'OSCE'), '--at', AT, '--json']).json() as { zone: string; band: { widthKm: number } }[];
    expect(list.map((z) => z.band.widthKm)).toEqual([50, 50, 50, 50]);
    // Before the agreement was adopted, no zone is in force.
    expect(parley(['zones', 'list', '--dir', join(dir.path, 'winter', 'OSCE'), '--at', '2022-01-15T00:00:00Z', '--json']).json()).toEqual([]);
  });

  it('prints byte-identical findings at every party holding the same entries, and the same offline from an export', () => {
    // The scenario with every step addressed to all: every party then holds every content.
    const all = YAML.parse(readFileSync(SCENARIO, 'utf8'));
    for (const s of all.steps) s.to = '*';
    const file = join(dir.path, 'broadcast.json');
    writeFileSync(file, JSON.stringify(all));
    expect(parley(['scenario', 'run', file, '--dir', join(dir.path, 'broadcast')]).code).toBe(0);
    const outputs = PARTIES.map((p) => parley(['findings', '--dir', join(dir.path, 'broadcast', p), '--at', AT, '--json']).stdout);
    expect(JSON.parse(outputs[0]).findings.length).toBeGreaterThan(3);
    for (const o of outputs) expect(o).toBe(outputs[0]);
    const exported = join(dir.path, 'osce.jsonl');
    expect(parley(['export', '--dir', join(dir.path, 'broadcast', 'OSCE'), '--out', exported]).code).toBe(0);
    expect(parley(['findings', '--file', exported, '--at', AT, '--json']).stdout).toBe(outputs[0]);
  });

  it('refuses bad input with codes: a bad --at, an unknown step field, a step out of time order', () => {
    const ukr = join(dir.path, 'winter', 'UKR');
    const badAt = parley(['findings', '--dir', ukr, '--at', 'yesterday', '--json']);
    expect([badAt.code, badAt.json().error.code]).toEqual([2, 'PARLEY_ERR_BAD_ARGUMENT']);
    const s = YAML.parse(readFileSync(SCENARIO, 'utf8'));
    s.steps[1].colour = 'red';
    writeFileSync(join(dir.path, 'bad1.json'), JSON.stringify(s));
    const r1 = parley(['scenario', 'run', join(dir.path, 'bad1.json'), '--dir', join(dir.path, 'bad1'), '--json']);
    expect([r1.code, r1.json().error.code]).toEqual([2, 'PARLEY_ERR_BAD_ARGUMENT']);
    const t = YAML.parse(readFileSync(SCENARIO, 'utf8'));
    [t.steps[1], t.steps[2]] = [t.steps[2], t.steps[1]];
    t.steps[1].at = '2021-12-08T00:00:00Z';
    writeFileSync(join(dir.path, 'bad2.json'), JSON.stringify(t));
    const r2 = parley(['scenario', 'run', join(dir.path, 'bad2.json'), '--dir', join(dir.path, 'bad2'), '--json']);
    expect(r2.json().error.message).toMatch(/time order/);
    // A body the catalogue refuses stops the play with its schema path.
    const u = YAML.parse(readFileSync(SCENARIO, 'utf8'));
    u.steps.find((x: { id: string }) => x.id === 'blr-union-resolve').body.troops = -5;
    writeFileSync(join(dir.path, 'bad3.json'), JSON.stringify(u));
    const r3 = parley(['scenario', 'run', join(dir.path, 'bad3.json'), '--dir', join(dir.path, 'bad3'), '--json']);
    expect(r3.json().error).toMatchObject({ code: 'PARLEY_ERR_SCHEMA', detail: { path: '/troops' } });
  });
});
