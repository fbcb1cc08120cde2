/**
 * Parley's closest approach of recorded tracks against PostGIS `ST_ClosestPointOfApproach` and
 * `ST_DistanceCPA` on the same tracks (synthetic ships and aircraft over the Black Sea and the
 * Baltic; planted close passes and pairs far apart). PostGIS is given each pair's ground tracks as
 * LINESTRING M (M = epoch seconds) in an azimuthal equidistant projection centred where Parley puts
 * a at the closest approach, so that its planar distances are metres there.
 *
 * Stated tolerance: the instant within 1 s, the distance within 0.5 m + 0.1 % of it.
 *
 * Runs where Debian's PostgreSQL 15 with PostGIS 3 is installed (`apt-get install
 * postgresql-15-postgis-3`); elsewhere it is reported skipped, with the reason in its name.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgisAvailable, postgisServer, type PostgisServer } from '../../bench/postgis-server.js';
import { prepare, trackApproach, type Track } from '../../src/regimes/incidents/cpa.js';
import { synthetic } from '../../src/regimes/incidents/synthetic.js';
import type pg from 'pg';

const present = postgisAvailable();
let server: PostgisServer | undefined;
let client: pg.Client | undefined;
beforeAll(async () => {
  if (!present) return;
  server = await postgisServer();
  client = await server.client();
}, 60_000);
afterAll(async () => {
  await client?.end();
  await server?.stop();
});

const line = (t: Track) => `LINESTRING M (${Array.from({ length: t.t.length }, (_, i) => `${t.lon[i]} ${t.lat[i]} ${t.t[i] / 1000}`).join(',')})`;

it.skipIf(!present)(`closest approach equals PostGIS ST_ClosestPointOfApproach within 1 s and 0.5 m + 0.1 % (PostGIS ${present ? 'present' : 'not installed'})`, async () => {
  // Close passes, and passes up to 60 km apart.
  const pairs: [Track, Track][] = [];
  for (const [seed, maxPlantedMetres] of [
    [2026, 5000],
    [2027, 60_000],
  ]) {
    const { tracks, planted } = synthetic({ seed, parties: ['RUS', 'UKR', 'USA', 'TUR'], units: 0, points: 180, encounters: 25, maxPlantedMetres });
    const byUnit = new Map(tracks.map((t) => [t.unit, t]));
    for (const p of planted) pairs.push([byUnit.get(p.a.unit)!, byUnit.get(p.b.unit)!]);
  }
  let checked = 0;
  const worst = { d: 0, t: 0 };
  for (const [a, b] of pairs) {
    const pa = prepare(a);
    const mine = trackApproach(pa, prepare(b))!;
    // Where a is at the closest approach: the centre of PostGIS's projection.
    const i = mine.aFixes[0];
    const j = mine.aFixes[1];
    const k = a.t[j] > a.t[i] ? (mine.t - a.t[i]) / (a.t[j] - a.t[i]) : 0;
    const lat0 = a.lat[i] + (a.lat[j] - a.lat[i]) * k;
    const lon0 = a.lon[i] + (a.lon[j] - a.lon[i]) * k;
    const proj = `+proj=aeqd +lat_0=${lat0} +lon_0=${lon0} +datum=WGS84 +units=m +no_defs`;
    const r = await client!.query(
      `WITH g AS (SELECT ST_Transform(ST_GeomFromText($1, 4326), $3::text) AS a, ST_Transform(ST_GeomFromText($2, 4326), $3::text) AS b)
       SELECT ST_ClosestPointOfApproach(a, b) AS m, ST_DistanceCPA(a, b) AS d FROM g`,
      [line(a), line(b), proj],
    );
    const { m, d } = r.rows[0] as { m: number; d: number };
    expect(Math.abs(mine.horizontalMetres - d), `${a.unit}–${b.unit}: Parley ${mine.horizontalMetres} m, PostGIS ${d} m`).toBeLessThanOrEqual(0.5 + 0.001 * d);
    expect(Math.abs(mine.t / 1000 - m), `${a.unit}–${b.unit}: Parley ${mine.t / 1000}, PostGIS ${m}`).toBeLessThanOrEqual(1);
    worst.d = Math.max(worst.d, Math.abs(mine.horizontalMetres - d));
    worst.t = Math.max(worst.t, Math.abs(mine.t / 1000 - m));
    checked++;
  }
  expect(checked).toBe(50);
  console.log(`largest differences from PostGIS: ${worst.d.toFixed(3)} m, ${worst.t.toFixed(3)} s`);
}, 120_000);
