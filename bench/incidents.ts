/**
 * Close-encounter detection throughput (issue 14): a synthetic feed of ≥ 1,000 units of four parties
 * over the Black Sea and the Baltic, ≥ 1,000,000 fixes with planted encounters; detection with the
 * hash grid per time slice (cpa.ts `detect`) on one core, beside the naive scan of every pair of
 * units of different parties over the same feed (`detectNaive`), which must find the same; and,
 * when Debian's PostGIS is installed, PostGIS `ST_CPAWithin` over the same pairs.
 */
import { createHash } from 'node:crypto';
import { Evaluation } from '../src/regimes/engine.js';
import type { RecordEntry } from '../src/regimes/types.js';
import { incidents } from '../src/regimes/incidents/index.js';
import { batchFixes, type FixRow } from '../src/regimes/incidents/tracks.js';
import { detectNaive, detectPrepared, prepare, type Track } from '../src/regimes/incidents/cpa.js';
import { DEFAULT_THRESHOLDS } from '../src/regimes/incidents/rules.js';
import { synthetic } from '../src/regimes/incidents/synthetic.js';
import { median } from './stats.js';
import { postgisAvailable, postgisServer } from './postgis-server.js';

export interface IncidentsBench {
  units: number;
  parties: number;
  points: number;
  planted: number;
  plantedWithin: number;
  encounters: number;
  /** Median CPU ms of `runs` detections (preparation included: one thread, so CPU time is one core's), and fixes per CPU second from it; the wall time beside it. */
  detectMs: number;
  detectWallMs: number;
  runs: number;
  pointsPerSec: number;
  naiveMs: number;
  naivePointsPerSec: number;
  naivePairs: number;
  sameAsNaive: boolean;
  postgis?: { pairs: number; ms: number; pairsPerSec: number; within: number; parleySamePairsMs: number; parleyWithin: number; agree: boolean; note: string };
}

export const FEED = { parties: ['RUS', 'TUR', 'UKR', 'USA'], units: 1000, points: 1000, encounters: 60, intervalMs: 10_000 };

/** CPU milliseconds of this process since `since`: one thread's work, whatever else the shared machine runs. */
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

const summary = (list: ReturnType<typeof detectNaive>) => list.map((e) => `${e.a}-${e.b}@${Math.round(e.cpa.t)}:${e.cpa.horizontalMetres.toFixed(2)}`).join('\n');

export async function benchIncidents(options: { runs?: number; postgis?: boolean } = {}): Promise<IncidentsBench> {
  const { tracks, planted } = synthetic({ seed: 14, maxPlantedMetres: 3000, ...FEED });
  const points = tracks.reduce((n, t) => n + t.t.length, 0);
  const th = () => DEFAULT_THRESHOLDS;
  const runs = options.runs ?? 3;
  const times: number[] = [];
  const walls: number[] = [];
  let found: ReturnType<typeof detectNaive> = [];
  for (let r = 0; r < runs; r++) {
    const w = performance.now();
    const c = process.cpuUsage();
    found = detectPrepared(tracks.map(prepare), th);
    times.push(cpuMs(c));
    walls.push(performance.now() - w);
  }
  const detectMs = median(times);
  const c1 = process.cpuUsage();
  const naive = detectNaive(tracks, th);
  const naiveMs = cpuMs(c1);
  let naivePairs = 0;
  for (let i = 0; i < tracks.length; i++) for (let j = i + 1; j < tracks.length; j++) if (tracks[i].party !== tracks[j].party) naivePairs++;
  const plantedWithin = planted.filter((p) => {
    const t = DEFAULT_THRESHOLDS[p.domain];
    return p.horizontalMetres < t.horizontalMetres && (t.verticalMetres === null || Math.abs(p.verticalMetres) < t.verticalMetres);
  }).length;
  const out: IncidentsBench = {
    units: tracks.length,
    parties: FEED.parties.length,
    points,
    planted: planted.length,
    plantedWithin,
    encounters: found.length,
    detectMs,
    detectWallMs: median(walls),
    runs,
    pointsPerSec: points / (detectMs / 1000),
    naiveMs,
    naivePointsPerSec: points / (naiveMs / 1000),
    naivePairs,
    sameAsNaive: summary(found) === summary(naive),
  };
  if (options.postgis !== false && postgisAvailable()) out.postgis = await benchPostgis(tracks);
  return out;
}

/**
 * PostGIS over the same surface tracks, pairs of ships of different parties: `ST_CPAWithin` at the
 * surface–surface threshold on trajectories (LINESTRINGM, M = epoch seconds) in Earth-centred
 * coordinates (EPSG:4978, so that distances are metres everywhere), against Parley's detection of
 * the same ships. Ships only: ST_CPAWithin compares one distance, not a horizontal and a vertical one.
 */
async function benchPostgis(all: readonly Track[]): Promise<NonNullable<IncidentsBench['postgis']>> {
  const ships = all.filter((t) => t.kind === 'ship');
  const server = await postgisServer();
  const client = await server.client();
  try {
    await client.query('CREATE TABLE tracks (id int PRIMARY KEY, party text NOT NULL, geom geometry(LineStringZM, 4978) NOT NULL)');
    for (const [id, t] of ships.entries()) {
      const coords = Array.from({ length: t.t.length }, (_, i) => `${t.lon[i]} ${t.lat[i]} 0 ${t.t[i] / 1000}`).join(',');
      await client.query(`INSERT INTO tracks VALUES ($1, $2, ST_Transform(ST_GeomFromText($3, 4326), 4978))`, [id, t.party, `LINESTRING ZM (${coords})`]);
    }
    await client.query('ANALYZE tracks');
    const limit = DEFAULT_THRESHOLDS['surface-surface'].horizontalMetres;
    const t0 = performance.now();
    // As one would ask PostGIS: a bounding-box test first (&&&, n-D boxes), then ST_CPAWithin.
    const r = await client.query(
      `SELECT (SELECT count(*)::int FROM tracks a JOIN tracks b ON a.id < b.id AND a.party <> b.party) AS pairs,
              (SELECT count(*)::int FROM tracks a JOIN tracks b ON a.id < b.id AND a.party <> b.party AND a.geom &&& ST_Expand(b.geom, $1) WHERE ST_CPAWithin(a.geom, b.geom, $1)) AS within`,
      [limit],
    );
    const ms = performance.now() - t0;
    const { pairs, within } = r.rows[0] as { pairs: number; within: number };
    const t1 = performance.now();
    const mine = detectPrepared(ships.map(prepare), () => DEFAULT_THRESHOLDS);
    // Wall time on both sides: PostGIS works in its own process.
    const parleySamePairsMs = performance.now() - t1;
    const parleyPairs = new Set(mine.map((e) => `${e.a}-${e.b}`)).size;
    return {
      pairs,
      ms,
      pairsPerSec: pairs / (ms / 1000),
      within,
      parleySamePairsMs,
      parleyWithin: parleyPairs,
      agree: parleyPairs === within,
      note: 'wall time on both sides; PostGIS compares the 3D chord between ground positions (EPSG:4978), Parley the tangent-plane distance: they differ by millimetres at these ranges',
    };
  } finally {
    await client.end();
    await server.stop();
  }
}

export interface RetrospectiveBench {
  fixesPerSecond: number;
  units: number;
  batchesHeld: number;
  /** CPU ms to take one more minute of the feed (its batches, one per party) into an evaluation holding the two hours before it, and bring the result up to date. */
  minuteMs: number;
  runs: number;
  findings: number;
}

/**
 * The regime as a node runs it: two hours of a feed of about 150 fixes/s (more than the whole Danish
 * AIS), four parties, one-minute batches, held in the engine; then each next minute's batches
 * added and the findings brought up to date — which re-reads the tracks of the hours whose windows
 * the minute meets (encounters.ts: the hour before, which follows the episodes begun in it, and the
 * hour itself). The minutes measured are the first of an hour, where the hour before holds most.
 */
export function benchRetrospective(runs = 5): RetrospectiveBench {
  const parties = FEED.parties;
  const start = Date.parse('2022-01-14T06:00:00.000Z');
  const { tracks } = synthetic({ seed: 15, parties, units: 1500, points: 720 + 6 * runs, intervalMs: 10_000, encounters: 20, maxPlantedMetres: 3000, start });
  const entries: RecordEntry[] = [];
  const seq = new Map<string, number>();
  for (const party of parties) {
    const rows: FixRow[] = [];
    for (const t of tracks) if (t.party === party) for (let i = 0; i < t.t.length; i++) rows.push({ unit: t.unit, kind: t.kind, t: t.t[i], lat: t.lat[i], lon: t.lon[i], alt: t.alt[i] });
    for (const body of batchFixes(rows)) {
      const n = (seq.get(party) ?? 0) + 1;
      seq.set(party, n);
      entries.push({ id: createHash('sha256').update(`${party}#${n}`).digest('hex'), author: party, seq: n, time: new Date(Date.parse(body.until) + 5000).toISOString(), type: 'incidents.tracks', to: parties.filter((p) => p !== party), refs: [], body: body as unknown as Record<string, unknown> });
    }
  }
  entries.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.author < b.author ? -1 : 1));
  const minuteOf = (e: RecordEntry) => Math.floor((Date.parse(e.time) - start) / 60_000);
  const ev = new Evaluation([incidents]);
  const held = entries.filter((e) => minuteOf(e) < 120);
  ev.addAll(held).result(Date.parse(held[held.length - 1].time));
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const next = entries.filter((e) => minuteOf(e) === 120 + k);
    const c = process.cpuUsage();
    for (const e of next) ev.add(e);
    ev.update(Date.parse(next[next.length - 1].time));
    times.push(cpuMs(c));
  }
  const last = entries.filter((e) => minuteOf(e) < 120 + runs);
  return {
    fixesPerSecond: 1500 / 10,
    units: tracks.length,
    batchesHeld: held.length,
    minuteMs: median(times),
    runs,
    findings: ev.result(Date.parse(last[last.length - 1].time)).findings.length,
  };
}
