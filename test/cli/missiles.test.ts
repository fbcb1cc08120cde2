/**
 * `parley missiles sites|visits` on the shipped scenario's illustrative mechanism (the January
 * 2022 offer): the commitment side by side, the USA's two Aegis Ashore sites and two Russian
 * bases, one visit each way — one report countersigned, one disputed — byte-identical at every
 * party and at every instant asked, the report unacknowledged before the host's answer; bad --at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { parley } from '../support/cli.js';
import { tempDir } from '../support/nodes.js';

const SCENARIO = resolve(import.meta.dirname, '../../scenarios/winter-2021-22.yaml');
const AT = '2022-03-01T00:00:00.000Z';

let dir: ReturnType<typeof tempDir>;
const node = (p: string) => join(dir.path, 'winter', p);
beforeAll(() => {
  dir = tempDir('parley-missiles-');
  const run = parley(['scenario', 'run', SCENARIO, '--dir', join(dir.path, 'winter'), '--json']);
  if (run.code !== 0) throw new Error(run.stderr);
}, 120_000);
afterAll(() => dir.remove());

describe('parley missiles on the January 2022 mechanism', () => {
  it('sites: the commitment side by side, Deveselu and Redzikowo declared by the USA, two Russian bases, distances to the other party', () => {
    const out = parley(['missiles', 'sites', '--dir', node('UKR'), '--at', AT, '--json']);
    expect(out.code, out.stderr).toBe(0);
    const report = out.json();
    expect(report.commitments).toHaveLength(1);
    expect(report.commitments[0].sides.map((s: { party: string; visitsPerYear: number; noticeHours: number }) => [s.party, s.visitsPerYear, s.noticeHours])).toEqual([
      ['RUS', 2, 72],
      ['USA', 2, 72],
    ]);
    const sites = Object.fromEntries(report.parties.map((p: { party: string; sites: { site: string }[] }) => [p.party, p.sites.map((s) => s.site)]));
    expect(sites).toEqual({ RUS: ['kapustin-yar', 'luga'], USA: ['deveselu', 'redzikowo'] });
    const deveselu = report.parties[1].sites[0];
    expect(deveselu.systems.map((s: { name: string; present: boolean }) => [s.name, s.present])).toEqual([
      ['SM-3 Block IB', true],
      ['Tomahawk (BGM-109)', false],
    ]);
    expect(deveselu.distances).toEqual([{ party: 'RUS', km: expect.any(Number) }]);
    // Before the first declaration, none is shown.
    expect(parley(['missiles', 'sites', '--dir', node('UKR'), '--at', '2022-01-27T00:00:00Z', '--json']).json().parties).toEqual([]);
  });

  it('visits: one each way, one report countersigned, one disputed — byte-identical at every party', () => {
    const outs = ['USA', 'RUS', 'UKR', 'OSCE'].map((p) => parley(['missiles', 'visits', '--dir', node(p), '--at', AT, '--json']));
    for (const o of outs) expect(o.code, o.stderr).toBe(0);
    expect(new Set(outs.map((o) => o.stdout)).size).toBe(1);
    const report = outs[0].json();
    const visits = report.parties.flatMap((p: { visits: unknown[] }) => p.visits) as { visitor: string; siteName: string; stage: string; acknowledgement: { state: string; reason?: string }; report: { outcome: string } }[];
    expect(visits.map((v) => [v.visitor, v.siteName, v.report.outcome, v.stage])).toEqual([
      ['RUS', 'Aegis Ashore Deveselu', 'consistent', 'countersigned'],
      ['USA', 'Kapustin Yar', 'not-consistent', 'disputed'],
    ]);
    expect(visits[1].acknowledgement.reason).toMatch(/480 km, as declared/);
    expect(report.parties.map((p: { party: string; quota: { requested: number; quota: number }[] }) => [p.party, p.quota.map((q) => `${q.requested}/${q.quota}`)])).toEqual([
      ['RUS', ['1/2']],
      ['USA', ['1/2']],
    ]);
  });

  it('before the host answers, the report stands unacknowledged at every party; one holding the host\'s later entry as a stub finds the same', () => {
    const before = '2022-02-06T13:00:00Z';
    const outs = ['USA', 'RUS'].map((p) => parley(['missiles', 'visits', '--dir', node(p), '--at', before, '--json']));
    expect(outs[0].stdout).toBe(outs[1].stdout);
    const usa = outs[0].json().parties.find((p: { party: string }) => p.party === 'USA');
    expect(usa.visits[0].acknowledgement).toEqual({ state: 'unacknowledged' });
    const ackOf = (p: string, at: string) => parley(['missiles', 'visits', '--dir', node(p), '--at', at, '--json']).json().parties.find((x: { party: string }) => x.party === 'USA').visits[0].acknowledgement;
    // Belarus holds Russia's receipt of the report (addressed to the United States) only as a stub: no answer to a report
    // that went to all can hide there (one to fewer would not count), so it finds what the United States finds.
    expect(ackOf('BLR', before)).toEqual({ state: 'unacknowledged' });
    const missileFindings = (p: string, at: string) => parley(['findings', '--dir', node(p), '--at', at, '--json']).json().findings.filter((f: { rule: string }) => f.rule.startsWith('missiles.')) as { severity: string; explanation: string }[];
    expect(missileFindings('USA', before).map((f) => [f.severity, /"\); (.*)$/.exec(f.explanation)![1]])).toEqual([['warning', 'not countersigned by RUS']]);
    expect(JSON.stringify(missileFindings('BLR', before))).toBe(JSON.stringify(missileFindings('USA', before)));
    // Once disputed, every party says so, byte-identically.
    const after = ['USA', 'RUS', 'BLR', 'UKR'].map((p) => JSON.stringify(missileFindings(p, AT)));
    expect(new Set(after).size).toBe(1);
    expect(JSON.parse(after[0]!).map((f: { severity: string; explanation: string }) => [f.severity, /disputed by RUS/.test(f.explanation)])).toEqual([['warning', true]]);
    expect(ackOf('BLR', AT).state).toBe('disputed');
  });

  it('prints a line per visit for a person', () => {
    const out = parley(['missiles', 'visits', '--dir', node('UKR'), '--at', AT]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/USA visiting: 1 of 2 to RUS in 2022 \(1 accepted, 0 declined, 1 reported\)/);
    expect(out.stdout).toMatch(/to RUS Kapustin Yar .*report not-consistent .*disputed/);
    expect(parley(['missiles', 'sites', '--dir', node('UKR'), '--at', AT]).stdout).toMatch(/deveselu {2}Aegis Ashore Deveselu .*absent: Tomahawk \(BGM-109\); \d+ km from RUS/);
  });

  it('refuses an --at without a time zone, with its code', () => {
    const out = parley(['missiles', 'visits', '--dir', node('USA'), '--at', '2022-02-06T13:00:00', '--json']);
    expect(out.code).not.toBe(0);
    expect(out.stdout + out.stderr).toMatch(/PARLEY_ERR_BAD_ARGUMENT/);
  });
});
