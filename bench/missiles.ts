/**
 * The missile regime's benchmark (issue 15):
 *
 * 1. The range check: km from a site to a party's territory over the shipped 1:50m boundaries,
 *    for positions not seen before (median and p99), beside a haversine distance to every vertex
 *    of that territory in the same run — the floor of merely looking at each boundary point once.
 * 2. A year of visits between 10 pairs of parties (each side 20 visits, each with its reply,
 *    report and the host's countersignature or dispute, 10 declared sites a party, and 20,000
 *    stubs — entries the evaluating node cannot read — by the same parties): full evaluation of
 *    the missile regime, and incremental evaluation per new entry as a running node does it.
 *
 * Not part of the regimes: this file reads the clock (performance.now) and, run directly, prints.
 *   node dist/bench/missiles.js
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { distance } from '@turf/distance';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { sha256hex } from '../src/protocol/bytes.js';
import { Evaluation, evaluate } from '../src/regimes/engine.js';
import { distanceToTerritoryKm, missiles } from '../src/regimes/missiles/index.js';
import type { RecordEntry } from '../src/regimes/types.js';
import { median, percentile, prng } from './stats.js';

const H = 3_600_000;
const D = 24 * H;
const iso = (t: number) => new Date(t).toISOString();

export interface RangeBench {
  positions: number;
  medianMs: number;
  p99Ms: number;
  vertices: number;
  vertexFloorMs: number;
}

/** km to Russia's territory from positions across Europe never asked before. */
export function benchRange(positions = 40): RangeBench {
  const rnd = prng(15);
  const times: number[] = [];
  for (let i = 0; i < positions; i++) {
    const p: [number, number] = [-5 + rnd() * 35 + i * 1e-7, 40 + rnd() * 20];
    const t0 = performance.now();
    distanceToTerritoryKm(p, ['643']);
    times.push(performance.now() - t0);
  }
  // The floor: the haversine distance from one position to every vertex of the territory.
  const topology = createRequire(import.meta.url)('world-atlas/countries-50m.json') as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const russia = topology.objects.countries.geometries.find((g) => String(g.id) === '643')!;
  const g = (feature(topology, russia) as GeoJSON.Feature).geometry as GeoJSON.MultiPolygon;
  const vertices = g.coordinates.flat(2);
  const floors: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t0 = performance.now();
    let best = Infinity;
    for (const v of vertices) best = Math.min(best, distance([20, 50], v, { units: 'kilometers' }));
    floors.push(performance.now() - t0);
    if (!(best > 0)) throw new Error('no vertex distance');
  }
  return { positions, medianMs: median(times), p99Ms: percentile(times, 99), vertices: vertices.length, vertexFloorMs: median(floors) };
}

const PARTIES = ['USA', 'RUS', 'GBR', 'FRA', 'DEU', 'POL', 'ROU', 'UKR', 'BLR', 'TUR', 'ITA', 'ESP'];

/** A year of visits between 10 pairs of parties, with declared sites and stubs, in record order. */
export function visitsRecord(stubs = 20_000): RecordEntry[] {
  const rnd = prng(1522);
  const seqs = new Map<string, number>();
  const drafts: { author: string; t: number; type?: string; body?: Record<string, unknown>; refs?: string[]; key: string }[] = [];
  const T0 = Date.parse('2023-01-01T00:00:00.000Z');
  const idOf = (key: string) => sha256hex(Buffer.from(`missiles-bench:${key}`));
  for (let k = 0; k < 10; k++) {
    const [a, b] = [PARTIES[k + 2]!, k % 2 ? 'USA' : 'RUS'];
    const pair = `${a}-${b}-${k}`;
    const terms = { missiles: { visitsPerYear: 20, noticeHours: 72, replyHours: 24, visitHours: 24, reportHours: 72, acknowledgeHours: 72 } };
    drafts.push({ author: a, t: T0 + k, type: 'agreement.proposal', body: { title: `Pair ${pair}`, parties: [a, b], terms, effective: iso(T0) }, key: `${pair}:p` });
    drafts.push({ author: b, t: T0 + H + k, type: 'agreement.endorsement', body: { proposal: idOf(`${pair}:p`), parties: [a, b], terms, effective: iso(T0) }, refs: [idOf(`${pair}:p`)], key: `${pair}:e` });
    for (const [visitor, host] of [
      [a, b],
      [b, a],
    ] as const) {
      for (let s = 0; s < 10; s++) {
        drafts.push({ author: host, t: T0 + 2 * H + s, type: 'missiles.site', body: { site: `${host.toLowerCase()}-${pair}-${s}`, name: `Site ${s}`, position: [10 + rnd() * 30, 42 + rnd() * 18], launchers: [{ type: 'L', count: 4 }], systems: [{ name: 'S', kind: 'cruise', rangeKm: 300 + Math.round(rnd() * 600), present: rnd() < 0.5 }] }, key: `${pair}:${host}:site${s}` });
      }
      for (let v = 0; v < 20; v++) {
        const t = T0 + D + v * 15 * D + Math.round(rnd() * D);
        const q = `${pair}:${visitor}:q${v}`;
        const site = idOf(`${pair}:${host}:site${v % 10}`);
        drafts.push({ author: visitor, t, type: 'missiles.visit.request', body: { host, declaration: site, arrival: iso(t + 72 * H) }, refs: [site], key: q });
        const declined = rnd() < 0.1;
        drafts.push({ author: host, t: t + Math.round(rnd() * 30 * H), type: 'missiles.visit.reply', body: declined ? { request: idOf(q), accepted: false, reason: 'No' } : { request: idOf(q), accepted: true, window: { start: iso(t + 72 * H), end: iso(t + 96 * H) } }, refs: [idOf(q)], key: `${q}:r` });
        if (declined) continue;
        drafts.push({ author: visitor, t: t + 100 * H, type: 'missiles.visit.report', body: { request: idOf(q), onSite: { start: iso(t + 73 * H), end: iso(t + 80 * H) }, checked: [{ item: 'launchers', result: 'seen' }], outcome: rnd() < 0.2 ? 'not-consistent' : 'consistent', observations: 'Seen' }, refs: [idOf(q)], key: `${q}:rep` });
        if (rnd() < 0.9) drafts.push({ author: host, t: t + 130 * H, type: rnd() < 0.5 ? 'missiles.report.countersign' : 'missiles.report.dispute', body: { report: idOf(`${q}:rep`), reason: 'Disputed' }, refs: [idOf(`${q}:rep`)], key: `${q}:ack` });
      }
    }
  }
  for (let i = 0; i < stubs; i++) drafts.push({ author: PARTIES[i % PARTIES.length]!, t: T0 + Math.round(rnd() * 360 * D), key: `stub${i}` });
  drafts.sort((x, y) => x.t - y.t || (x.key < y.key ? -1 : 1));
  return drafts.map((d) => {
    const seq = (seqs.get(d.author) ?? 0) + 1;
    seqs.set(d.author, seq);
    // Countersignatures carry no reason.
    const body = d.type === 'missiles.report.countersign' ? { report: d.body!.report } : d.body;
    return d.type === undefined ? { id: idOf(d.key), author: d.author, seq, time: iso(d.t) } : { id: idOf(d.key), author: d.author, seq, time: iso(d.t), type: d.type, to: ['*'], refs: d.refs ?? [], body };
  });
}

export interface VisitsBench {
  entries: number;
  stubs: number;
  obligations: number;
  findings: number;
  fullMs: number;
  incrementalMeanMs: number;
  incrementalP99Ms: number;
}

export function benchVisits(): VisitsBench {
  const stubs = 20_000;
  const record = visitsRecord(stubs);
  const at = Date.parse('2024-01-15T00:00:00.000Z');
  const runs: number[] = [];
  let result = evaluate([missiles], record, at);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = evaluate([missiles], record, at);
    runs.push(performance.now() - t0);
  }
  // As a running node: each entry as it commits, the result brought up to that entry's time.
  const ev = new Evaluation([missiles]);
  const per: number[] = [];
  for (const e of record) {
    const t0 = performance.now();
    ev.add(e);
    ev.result(Date.parse(e.time));
    per.push(performance.now() - t0);
  }
  return {
    entries: record.length,
    stubs,
    obligations: result.obligations.length,
    findings: result.findings.length,
    fullMs: median(runs),
    incrementalMeanMs: per.reduce((s, x) => s + x, 0) / per.length,
    incrementalP99Ms: percentile(per, 99),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(benchRange());
  console.log(benchVisits());
}
