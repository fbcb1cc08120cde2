/**
 * `npm run bench`: every figure Parley's issues ask for, each printed beside the physical limit
 * measured in this same run (raw Ed25519 signatures and verifications per second on one core,
 * durable single-row SQLite commits per second on this disk; for the PostgreSQL store, durable
 * single-row commits per second on the server it runs on), so the ratios hold on any machine.
 * Figures are medians of repeated runs; the machines are shared and noisy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureLimits, rawPostgresCommitsPerSecond } from './limits.js';
import { postgresServer } from './postgres-server.js';
import { appendsConcurrent, appendsSingle, proofTime, verifyRate } from './ledger.js';
import { fmt } from './stats.js';
import { runFederationBench } from './federation.js';
import { benchRegimes } from './regimes.js';
import { runHotlineBench } from './hotline.js';
import { benchDivergence, benchTalksShare } from './talks.js';
import { benchIncidents, benchRetrospective } from './incidents.js';
import { benchAssignment, benchZones, benchZonesEvaluation } from './zones.js';
import { benchRange, benchVisits } from './missiles.js';
import { describeScale, runScaleBench } from './scale.js';
import { benchPeer, PAYLOAD_BYTES as PAYLOAD } from './peer.js';

interface Row {
  figure: string;
  value: string;
  limit: string;
  ratio: string;
  goal: string;
}

const rows: Row[] = [];
const add = (figure: string, value: string, limit = '', ratio = '', goal = '') => {
  rows.push({ figure, value, limit, ratio, goal });
  console.log(`  ${figure}: ${value}${limit ? `  (limit ${limit}${ratio ? `, ratio ${ratio}` : ''})` : ''}${goal ? `  goal ${goal}` : ''}`);
};

const only = new Set(process.argv.slice(2));
const want = (section: string) => only.size === 0 || only.has(section);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  console.log(`Parley bench — node ${process.version}, ${availableParallelism()} cores, medians of 3 runs unless stated\n`);
  try {
    console.log('Physical limits (this run):');
    const limits = await measureLimits();
    const lib = (sodiumRate: number, nodeRate: number) => `${fmt(sodiumRate)} libsodium (Parley's), ${fmt(nodeRate)} node:crypto: ${fmt(sodiumRate / nodeRate, 2)}×`;
    add('raw Ed25519 signatures/s (1 core)', lib(limits.signsPerSec, limits.nodeCryptoSignsPerSec));
    add('raw Ed25519 verifications/s (1 core)', lib(limits.verifiesPerSec, limits.nodeCryptoVerifiesPerSec));
    add('raw durable SQLite commits/s (1 row each)', fmt(limits.durableCommitsPerSec));

    // The SQLite figures the PostgreSQL section prints beside its own (measured there when their sections did not run).
    let sqliteSingle: number | undefined;
    let sqliteConcurrent: number | undefined;
    let sqliteFederation: Record<string, number> | undefined;

    if (want('ledger')) {
      console.log('\nLedger (issue 2):');
      const single = (sqliteSingle = await appendsSingle(dir));
      add('appends/s, one writer awaiting each', fmt(single), `${fmt(limits.durableCommitsPerSec)} commits/s`, `${fmt(single / limits.durableCommitsPerSec, 2)}×`);
      const concurrent = (sqliteConcurrent = await appendsConcurrent(dir));
      add(
        'appends/s, 1,024 concurrent writers (group commit)',
        fmt(concurrent),
        `${fmt(limits.signsPerSec)} signs/s; ${fmt(limits.durableCommitsPerSec)} commits/s`,
        `${fmt(concurrent / limits.signsPerSec, 2)}× signing, ${fmt(concurrent / limits.durableCommitsPerSec, 1)}× commits`,
        '≥ 0.5× signing, well above commits',
      );
      const v = await verifyRate(dir, 100_000);
      add(`verify entries/s over ${fmt(v.entries)} entries (${availableParallelism()} cores)`, fmt(v.rate), `${fmt(limits.verifiesPerSec)} verifications/s on 1 core`, `${fmt(v.rate / limits.verifiesPerSec, 2)}×`, '≥ 1.5×');
      const p = await proofTime(dir);
      add(`inclusion proof generation at ${fmt(p.size)} entries`, `${fmt(p.medianMs, 3)} ms median, ${fmt(p.p99Ms, 3)} ms p99`, '', '', '≤ 0.2 ms');
    }

    if (want('peer')) {
      console.log('\nBeside hypercore 11, same run, same 200-byte payloads, same disk (issue 18):');
      const entries = Number(process.env.PARLEY_BENCH_PEER_ENTRIES ?? 100_000);
      const p = await benchPeer(dir, { entries, runs: Number(process.env.PARLEY_BENCH_PEER_RUNS ?? 1) });
      const sync = `${fmt(p.fdatasyncsPerSec)} fdatasyncs/s`;
      // Higher is better for rates; for times and sizes Parley ÷ hypercore below 1 is ahead.
      const beside = (figure: string, parley: number, hypercore: number, unit: string, limit = '', goal = '', digits = 0) =>
        add(figure, `Parley ${fmt(parley, digits)} ${unit}, hypercore ${fmt(hypercore, digits)} ${unit}`, limit, `Parley ÷ hypercore ${fmt(parley / hypercore, 2)}×`, goal);
      beside('one awaiting writer, both durable (hypercore: + 1 WAL fdatasync per append)', p.single.parley, p.single.hypercore, 'appends/s', sync, '≥ 1.4×');
      beside('batches of 256, both durable (hypercore: + 1 WAL fdatasync per batch)', p.batched.parley, p.batched.hypercore, 'appends/s', `${fmt(limits.signsPerSec)} signs/s on 1 core`, '≥ 1.0×');
      beside('CPU per entry in batches of 256 (all threads)', p.cpuPerEntryUs.parley, p.cpuPerEntryUs.hypercore, 'µs', `${fmt(1e6 / limits.signsPerSec)} µs per signature`);
      beside(`receive a ${fmt(p.entries)}-entry log: \`parley import\` (a process, ${fmt(p.receive.parleyEntries)} accepted) vs replication (2 in-process cores, piped)`, p.receive.parleyMs, p.receive.hypercoreMs, 'ms', `${fmt((1000 * p.entries) / limits.verifiesPerSec)} ms of verifications on 1 core`, '≤ 0.5×');
      beside(`re-check it: \`parley verify\` (a process) vs hypercore audit (tree and block hashes; no signature)`, p.verify.parleyMs, p.verify.hypercoreMs, 'ms', '', '≤ 0.33×');
      beside('proof check (median of 200)', p.proofCheckMs.parley, p.proofCheckMs.hypercore, 'ms', `${fmt(1000 / limits.verifiesPerSec, 3)} ms per verification`, '≤ 1.0×', 3);
      beside('proof size (Parley bundle JSON; hypercore wire data message with block, nodes, upgrade, manifest)', p.proofBytes.parley, p.proofBytes.hypercore, 'B', '', '≤ 2,048 B');
      beside('bytes per entry on disk (Parley parley.db*; hypercore RocksDB folder after compaction)', p.bytesPerEntry.parley, p.bytesPerEntry.hypercore, 'B', `${PAYLOAD} B payload`, '≤ 1.5×');
      for (const c of p.crossover) add(`accept of ${c.size} new entries (checks and one commit), signatures inline vs on ${availableParallelism()} workers`, `${fmt(c.inlineMs, 2)} ms inline, ${fmt(c.workersMs, 2)} ms workers`, '', `${fmt(c.inlineMs / c.workersMs, 2)}× faster on workers`);
    }

    if (want('regimes')) {
      console.log('\nRegimes (issue 4):');
      const r = benchRegimes();
      add(`full evaluation, ${fmt(r.entries)} entries (${r.parties} parties, ${r.years} years)`, `${fmt(r.fullMs)} ms`, `sorting the record alone ${fmt(r.sortFloorMs)} ms`, '', '≤ 2,000 ms');
      add('incremental evaluation per new entry', `${fmt(r.incrementalMeanMs, 3)} ms mean, ${fmt(r.incrementalP99Ms, 3)} ms p99`, '', '', '≤ 1 ms');
    }

    if (want('talks')) {
      console.log('\nTalks record (issue 12):');
      const d = benchDivergence();
      add(
        `divergence report, ${d.items} agenda items × ${d.readouts} readouts (${fmt(d.differences)} differences)`,
        `${fmt(d.medianMs, 2)} ms median, ${fmt(d.p99Ms, 2)} ms p99 over ${d.runs} runs`,
        `serialising those readouts alone ${fmt(d.serialiseMs, 3)} ms`,
        `${fmt(d.medianMs / d.serialiseMs, 0)}×`,
      );
      const s = benchTalksShare();
      const share = s.shareMs;
      add(
        `full evaluation, ${fmt(s.entries)} entries of which ${fmt(s.talksEntries)} talks entries`,
        `${fmt(s.allMs)} ms every regime, ${fmt(s.withoutTalksMs)} ms without the talks record (medians of ${s.runs} interleaved pairs): its share ${fmt(share)} ms (${fmt((100 * share) / s.allMs, 1)} %)`,
        `sorting the record alone ${fmt(s.sortFloorMs)} ms`,
        '',
        '≤ 2,000 ms (as the regimes)',
      );
      add('the talks record alone over the same record (the engine still holds every entry)', `${fmt(s.talksAloneMs)} ms (${fmt(s.talksObligations)} obligations, ${fmt(s.talksFindings)} findings)`);
    }

    if (want('incidents')) {
      console.log('\nIncidents: close-encounter detection (issue 14):');
      const b = await benchIncidents();
      const feed = `${fmt(b.points)} fixes of ${fmt(b.units)} units, ${b.parties} parties`;
      add(
        `encounter detection, ${feed} (1 core, grid per time slice)`,
        `${fmt(b.pointsPerSec)} fixes/s (${fmt(b.detectMs)} ms CPU median of ${b.runs}, ${fmt(b.detectWallMs)} ms wall on this shared machine; ${fmt(b.encounters)} encounters, ${b.plantedWithin} of ${b.planted} planted pairs within the thresholds)`,
        `naive scan of all ${fmt(b.naivePairs)} pairs: ${fmt(b.naivePointsPerSec)} fixes/s (${fmt(b.naiveMs)} ms CPU)`,
        `${fmt(b.pointsPerSec / b.naivePointsPerSec, 1)}× naive; same encounters: ${b.sameAsNaive ? 'yes' : 'NO'}`,
        '≥ 1,000,000 fixes/s/core',
      );
      const danish = 11e6 / 86_400;
      add('whole Danish AIS feeds (11 million positions a day) one core detects encounters in, at that rate', fmt(b.pointsPerSec / danish, 0));
      const r = benchRetrospective();
      add(
        `the regime in the engine: one more minute of a ${fmt(r.fixesPerSecond)} fixes/s feed (${fmt(r.units)} units, 4 parties) into the two hours held (${fmt(r.batchesHeld)} batches), findings brought up to date`,
        `${fmt(r.minuteMs)} ms CPU median of ${r.runs} (${r.findings} encounter findings)`,
        '60,000 ms: the minute itself',
        `${fmt(r.minuteMs / 600, 2)} % of a core`,
      );
      add('whole Danish AIS feeds one core keeps up with, findings re-evaluated per one-minute batch', fmt((60_000 / r.minuteMs) * (r.fixesPerSecond / danish), 0));
      if (b.postgis) {
        const p = b.postgis;
        add(
          `PostGIS ST_CPAWithin over the same feed's ${fmt(p.pairs)} pairs of ships of different parties`,
          `${fmt(p.ms)} ms (${fmt(p.pairsPerSec)} pairs/s), ${p.within} pairs within`,
          `Parley on the same ships: ${fmt(p.parleySamePairsMs)} ms, ${p.parleyWithin} pairs`,
          `Parley ${fmt(p.ms / p.parleySamePairsMs, 1)}× faster; agree: ${p.agree ? 'yes' : 'NO'}`,
          'ahead of PostGIS',
        );
      } else add('PostGIS ST_CPAWithin', 'not measured: PostGIS is not installed (apt-get install postgresql-15-postgis-3)');
    }

    if (want('zones')) {
      console.log('\nFrontier zones (issue 13):');
      const shapes = benchZones();
      const a = benchAssignment(shapes);
      add(
        `zone assignment, ${fmt(a.points)} positions over ${a.zones} zones (${fmt(a.vertices)} vertices; ${fmt(a.inZones)} in a zone), flatbush + prepared polygons`,
        `${fmt(a.indexPerSec)} positions/s per CPU-second of one core (${fmt(a.indexPerWallSec)}/s wall)`,
        `turf booleanPointInPolygon, zone by zone, first ${fmt(a.turfPoints)} of the same positions: ${fmt(a.turfPerSec)}/s (${fmt(a.turfPerWallSec)}/s wall); ${a.disagreements} disagreements`,
        `${fmt(a.indexPerSec / a.turfPerSec, 0)}×`,
        '≥ 1,000,000/s on one core',
      );
      const e = benchZonesEvaluation(shapes);
      add(
        `full evaluation, a year of monthly declarations: ${e.parties} parties × ${e.zones} zones (${fmt(e.entries)} entries, ${fmt(e.obligations)} obligations, ${fmt(e.findings)} findings)`,
        `${fmt(e.fullMs)} ms CPU (${fmt(e.fullWallMs)} ms wall)`,
      );
      add('one more observer report into that evaluation (what observers report is judged again; each party\'s declarations are not)', `${fmt(e.addOneMs)} ms CPU (${fmt(e.addOneWallMs)} ms wall)`);
    }

    if (want('missiles')) {
      console.log('\nMissile non-deployment (issue 15):');
      const g = benchRange();
      add(`range check, km to a territory of ${fmt(g.vertices)} boundary points (1:50m), ${g.positions} new positions`, `${fmt(g.medianMs, 1)} ms median, ${fmt(g.p99Ms, 1)} ms p99`, `haversine to every boundary point once ${fmt(g.vertexFloorMs, 1)} ms`, `${fmt(g.medianMs / g.vertexFloorMs, 1)}×`);
      const v = benchVisits();
      add(`full evaluation, a year of visits: ${fmt(v.entries)} entries of which ${fmt(v.stubs)} stubs`, `${fmt(v.fullMs)} ms (${fmt(v.obligations)} obligations, ${fmt(v.findings)} findings)`, '', '', '≤ 2,000 ms (as the regimes)');
      add('incremental evaluation per new entry (sites included: each new site is range-checked once)', `${fmt(v.incrementalMeanMs, 3)} ms mean, ${fmt(v.incrementalP99Ms, 3)} ms p99`, '', '', '≤ 1 ms (as the regimes)');
    }

    if (want('federation')) {
      console.log('\nFederation (issue 3):');
      const f = (sqliteFederation = await runFederationBench({ limits }));
      const slower = Math.min(limits.signsPerSec, limits.durableCommitsPerSec);
      for (const [k, v] of Object.entries(f)) {
        if (/^throughput entries/.test(k)) add(k, fmt(v), `${fmt(slower)}/s (slower of signing and durable commits)`, `${fmt(v / slower, 2)}×`, '≥ 0.3×');
        else if (/p50 ms \(2 nodes/.test(k)) add(k, fmt(v, 2), '', '', '≤ 5 ms');
        else if (/p99 ms \(2 nodes/.test(k)) add(k, fmt(v, 2), '', '', '≤ 20 ms');
        else add(k, fmt(v, 2));
      }
    }

    if (want('hotline')) {
      console.log('\nHotline (issue 5):');
      const h = await runHotlineBench({ limits });
      const floor = h['round-trip floor ms (3 durable commits, 2 signatures)'];
      add('flash round trip (send → receipt), idle', `${fmt(h['flash round trip p50 ms, idle'], 2)} ms p50, ${fmt(h['flash round trip p99 ms, idle'], 2)} ms p99`, `${fmt(floor, 2)} ms (3 durable commits, 2 signatures)`);
      add(
        `flash round trip under ${fmt(h['routine messages/s achieved under load'])} routine messages/s`,
        `${fmt(h['flash round trip p50 ms, under load'], 2)} ms p50, ${fmt(h['flash round trip p99 ms, under load'], 2)} ms p99`,
        '',
        `${fmt(h['p99 under load / p99 idle'], 2)}× idle p99`,
        '≤ 2× idle p99',
      );
      add(
        'own entries not yet receipted ahead of a flash, under load',
        `${fmt(h['own entries not yet receipted ahead of a flash when committed, p50, under load'])} p50, ${fmt(h['own entries not yet receipted ahead of a flash when committed, p99, under load'])} p99`,
        '',
        '',
        'a batch or less (in-order delivery: a flash cannot overtake what was committed before it)',
      );
    }

    if (want('scale')) {
      console.log('\nCost as the network grows (issue 18; one process per node):');
      describeScale(await runScaleBench(), add);
    }

    if (want('postgres')) {
      console.log('\nPostgreSQL store (issue 16):');
      const server = await postgresServer();
      try {
        const fresh = () => server.fresh();
        const raw = await rawPostgresCommitsPerSecond(await fresh());
        const commits = `${fmt(raw.rate)} PostgreSQL commits/s`;
        add(`raw durable PostgreSQL commits/s (1 row each, one connection, synchronous_commit=on, fsync=${raw.fsync})`, fmt(raw.rate));
        const beside = (value: number, sqlite: number) => `SQLite ${fmt(sqlite)} (PostgreSQL ${fmt(value / sqlite, 2)}× SQLite)`;

        const single = await appendsSingle(dir, 1500, fresh);
        sqliteSingle ??= await appendsSingle(dir);
        add('appends/s on PostgreSQL, one writer awaiting each', fmt(single), commits, `${fmt(single / raw.rate, 2)}× commits; ${beside(single, sqliteSingle)}`);
        const concurrent = await appendsConcurrent(dir, 1024, 3000, fresh);
        sqliteConcurrent ??= await appendsConcurrent(dir);
        add(
          'appends/s on PostgreSQL, 1,024 concurrent writers (group commit)',
          fmt(concurrent),
          commits,
          `${fmt(concurrent / raw.rate, 2)}× commits; ${beside(concurrent, sqliteConcurrent)}`,
          '≥ 3× PostgreSQL commits',
        );

        const f = await runFederationBench({ limits, store: fresh, pairOnly: true });
        sqliteFederation ??= await runFederationBench({ limits, pairOnly: true });
        const sq = sqliteFederation;
        const P50 = 'delivery latency p50 ms (2 nodes, 100 entries/s)';
        const P99 = 'delivery latency p99 ms (2 nodes, 100 entries/s)';
        const RATE = 'throughput entries/s (1 sender → 1 peer, durable both ends)';
        // As the SQLite floor, with PostgreSQL's durable commits: the receiver's commit of entry and receipt, the sender's of the receipt.
        const floorMs = 2 * (1000 / raw.rate) + 3 * (1000 / limits.signsPerSec) + 4 * (1000 / limits.verifiesPerSec);
        const floor = `${fmt(floorMs, 2)} ms (2 PostgreSQL commits, 3 signatures, 4 verifications)`;
        add(`${P50} on PostgreSQL`, fmt(f[P50], 2), floor, `${fmt(f[P50] / floorMs, 2)}× floor; SQLite ${fmt(sq[P50], 2)} ms`, '≤ 10 ms');
        add(`${P99} on PostgreSQL`, fmt(f[P99], 2), floor, `${fmt(f[P99] / floorMs, 2)}× floor; SQLite ${fmt(sq[P99], 2)} ms`);
        const slower = Math.min(limits.signsPerSec, raw.rate);
        add(
          `${RATE} on PostgreSQL`,
          fmt(f[RATE]),
          `${fmt(slower)}/s (slower of signing and PostgreSQL commits)`,
          `${fmt(f[RATE] / slower, 2)}× that; ${beside(f[RATE], sq[RATE])}`,
        );
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('\nSummary (JSON):');
  console.log(JSON.stringify(rows, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
