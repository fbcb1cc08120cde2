/**
 * Incidents at sea and in the air from a node folder:
 *
 * - `parley incidents list`: the incident reports held, with their replies (GET /api/v1/incidents);
 * - `parley encounters [--from T --to T]`: the close encounters in the shared tracks held, as the
 *   regime finds them (GET /api/v1/encounters): `[{a, b, tcpa, dcpaMetres, verticalMetres, at, evidence, …}]`;
 * - `parley tracks import --file F`: positions of one's own units (CSV with a header row, or GeoJSON
 *   Point features one per line) batched by time into `incidents.tracks` entries, each under the
 *   content limit, sent to the parties that agreed incidents terms with this one (or `--to`);
 * - `parley tracks demo --network D --parties A,B`: the demonstration feed (demo-feed.ts) through
 *   two running nodes of a network, to see the live encounter watch at work.
 *
 * Reports, replies, requests for consultations and hazard notices are sent with `parley send`
 * (src/regimes/incidents has the types).
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ParleyError } from '../../protocol/errors.js';
import { parseInstant } from '../../protocol/time.js';
import { AgreementBook } from '../../regimes/agreement/index.js';
import { holdEntry } from '../../regimes/engine.js';
import { batchFixes, encountersHeld, incidentsList, type FixRow, type UnitKind } from '../../regimes/incidents/index.js';
import { UNIT_KINDS } from '../../regimes/incidents/cpa.js';
import { loadNode } from '../../node/folder.js';
import { action } from '../boundary.js';
import { listArgument, print, readInput, withCommon, type DirOption } from '../io.js';
import { folderEntries } from './regimes.js';
import { sendEntry } from './send.js';
import { DEMO_DEFAULTS, demoSettings, feedNodes, runDemoFeed } from './demo-feed.js';

interface EncountersOptions extends DirOption {
  from?: string;
  to?: string;
}

interface DemoOptions {
  network: string;
  parties: string;
  minutes?: string;
  lead?: string;
  interval?: string;
  json?: boolean;
}

interface ImportOptions extends DirOption {
  file: string;
  to?: string;
  spanSeconds?: string;
}

const bad = (message: string) => new ParleyError('PARLEY_ERR_BAD_ARGUMENT', message);

function kindOf(v: unknown, where: string): UnitKind {
  if (typeof v === 'string' && (UNIT_KINDS as readonly string[]).includes(v)) return v as UnitKind;
  throw bad(`${where}: kind ${JSON.stringify(v)} is not one of ${UNIT_KINDS.join(', ')}`);
}

function numberOf(v: unknown, where: string, name: string, optional: boolean): number | undefined {
  if ((v === undefined || v === '') && optional) return undefined;
  const x = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(x)) throw bad(`${where}: ${name} ${JSON.stringify(v)} is not a number`);
  return x;
}

function fixOf(values: Record<string, unknown>, where: string): FixRow {
  const unit = values.unit;
  if (typeof unit !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,63}$/.test(unit)) throw bad(`${where}: unit ${JSON.stringify(unit)} is not a unit id (letters, digits, space . _ : / -; at most 64)`);
  if (typeof values.time !== 'string') throw bad(`${where}: time is missing`);
  const lat = numberOf(values.lat, where, 'lat', false)!;
  const lon = numberOf(values.lon, where, 'lon', false)!;
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) throw bad(`${where}: position ${lat}, ${lon} is not a WGS 84 latitude and longitude`);
  const row: FixRow = { unit, kind: kindOf(values.kind, where), t: parseInstant(values.time, `${where}: time`), lat, lon };
  for (const k of ['alt', 'speed', 'course', 'vrate', 'turn'] as const) {
    const v = numberOf(values[k], where, k, true);
    if (v !== undefined) row[k] = v;
  }
  return row;
}

/**
 * Fixes from CSV (a header row naming unit, kind, time, lat, lon and optionally alt, speed, course,
 * vrate, turn: metres, m/s, degrees from true north, degrees per second to the right) or GeoJSON lines (a Point Feature per line, [lon,
 * lat, alt?], the other fields in properties).
 */
export function parseFixes(text: string, file: string): FixRow[] {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw bad(`${file} holds no positions`);
  const out: FixRow[] = [];
  if (lines[first].trim().startsWith('{')) {
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      const where = `${file} line ${i + 1}`;
      let f: { type?: string; geometry?: { type?: string; coordinates?: unknown[] }; properties?: Record<string, unknown> };
      try {
        f = JSON.parse(line);
      } catch {
        throw bad(`${where} is not JSON (GeoJSON lines: one Point Feature per line)`);
      }
      if (f.type !== 'Feature' || f.geometry?.type !== 'Point' || !Array.isArray(f.geometry.coordinates)) throw bad(`${where} is not a GeoJSON Feature with a Point geometry`);
      const [lon, lat, alt] = f.geometry.coordinates;
      out.push(fixOf({ ...(f.properties ?? {}), lon, lat, ...(alt !== undefined ? { alt } : {}) }, where));
    }
    return out;
  }
  const header = lines[first].split(',').map((h) => h.trim());
  for (const need of ['unit', 'kind', 'time', 'lat', 'lon']) if (!header.includes(need)) throw bad(`${file}: the CSV header has no ${need} column (unit, kind, time, lat, lon, and optionally alt, speed, course, vrate, turn)`);
  for (let i = first + 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const cells = lines[i].split(',').map((c) => c.trim());
    if (cells.length !== header.length) throw bad(`${file} line ${i + 1} has ${cells.length} fields, the header ${header.length}`);
    out.push(fixOf(Object.fromEntries(header.map((h, k) => [h, cells[k]])), `${file} line ${i + 1}`));
  }
  return out;
}

/** The parties of the adopted agreements setting incidents terms that name `party`, but itself. */
function agreeingParties(entries: Awaited<ReturnType<typeof folderEntries>>, party: string): string[] {
  const book = new AgreementBook();
  for (const e of entries) if (e.body) book.add(holdEntry(e));
  const out = new Set<string>();
  for (const a of book.adopted('incidents')) if (a.parties.has(party)) for (const p of a.parties) if (p !== party) out.add(p);
  return [...out].sort();
}

export function registerIncidents(program: Command): void {
  const incidents = program.command('incidents').description('incidents at sea and in the air: reports, replies, consultations, hazard notices');
  withCommon(incidents.command('list').description('the incident reports held, by incident time, with their replies')).action(
    action(async (opts: DirOption) => {
      const list = incidentsList(await folderEntries(opts.dir));
      print(opts.json, list, () =>
        list.length === 0
          ? 'no incident report held'
          : list.map((r) => `${r.at}  ${r.id.slice(0, 12)}  ${r.author}: ${r.categories.join(', ')}  [${r.units.map((u) => `${u.party} ${u.kind} ${u.id}`).join('; ')}]  replies: ${r.replies.map((x) => x.party).join(', ') || 'none'}`).join('\n'),
      );
    }),
  );

  withCommon(
    program
      .command('encounters')
      .description('close encounters in the shared tracks held: pairs of units of different parties within the agreed distances')
      .option('--from <time>', 'only closest approaches at or after this instant (RFC 3339 with a zone, or a date)')
      .option('--to <time>', 'only closest approaches at or before this instant'),
  ).action(
    action(async (opts: EncountersOptions) => {
      const from = opts.from === undefined ? -Infinity : parseInstant(opts.from, '--from');
      const to = opts.to === undefined ? Infinity : parseInstant(opts.to, '--to');
      const list = encountersHeld(await folderEntries(opts.dir), from, to);
      print(opts.json, list, () =>
        list.length === 0
          ? 'no close encounter in the tracks held'
          : list.map((e) => `${e.tcpa}  ${e.a.party} ${e.a.kind} ${e.a.unit} — ${e.b.party} ${e.b.kind} ${e.b.unit}: ${e.dcpaMetres} m horizontally, ${e.verticalMetres} m vertically (${e.domain})`).join('\n'),
      );
    }),
  );

  const tracks = program.command('tracks').description('shared tracks: positions of one\'s own units, for close-encounter detection');
  withCommon(
    tracks
      .command('import')
      .description('send positions of this party\'s units from a CSV or GeoJSON-lines file, batched by time into incidents.tracks entries')
      .requiredOption('--file <path>', 'CSV with a header (unit,kind,time,lat,lon[,alt,speed,course,vrate,turn]) or GeoJSON lines (Point features); - reads stdin')
      .option('--to <parties>', 'addressees, comma-separated (default: the parties of the adopted agreements setting incidents terms with this party)')
      .option('--span-seconds <n>', 'time covered by one entry at most (default 60)'),
  ).action(
    action(async (opts: ImportOptions) => {
      const span = opts.spanSeconds === undefined ? 60 : Number(opts.spanSeconds);
      if (!(Number.isInteger(span) && span >= 1 && span <= 86_400)) throw bad('--span-seconds is a whole number of seconds from 1 to 86400');
      const rows = parseFixes(readInput(opts.file, 'positions file').toString('utf8'), opts.file);
      const party = loadNode(opts.dir).config.party;
      const to = opts.to !== undefined ? listArgument(opts.to, '--to') : agreeingParties(await folderEntries(opts.dir), party);
      if (!to.length) throw bad(`no adopted agreement sets incidents terms between ${party} and another party: name the parties that agreed to share tracks with --to`);
      const bodies = batchFixes(rows, { spanMs: span * 1000 });
      const sent = [];
      for (const body of bodies) {
        const e = await sendEntry(opts.dir, { type: 'incidents.tracks', to, refs: [], body: body as unknown as Record<string, unknown> });
        sent.push({ id: e.id, seq: e.seq, from: body.from, until: body.until, fixes: body.units.reduce((n, u) => n + u.n, 0) });
      }
      const units = new Set(rows.map((r) => r.unit)).size;
      print(opts.json, { to, units, fixes: sent.reduce((n, s) => n + s.fixes, 0), entries: sent }, () => `sent ${sent.length} incidents.tracks entr${sent.length === 1 ? 'y' : 'ies'} (${units} units, ${rows.length} positions) to ${to.join(', ')}`);
    }),
  );
  withCommon(
    tracks
      .command('demo')
      .description('a demonstration feed: two synthetic aircraft (DEMO-<PARTY>, not real units) of two parties, their fixes sent at real time as signed incidents.tracks entries through the parties\' running nodes, passing 100 m apart so the encounter alarm rings and clears on both; ends after its last pass, or Ctrl-C')
      .requiredOption('--network <dir>', 'the network folder (parley network up --dir): the nodes run from <dir>/<CODE>')
      .requiredOption('--parties <A,B>', 'the two parties, e.g. USA,RUS')
      .option('--minutes <n>', `minutes it runs at most, up to 240: the whole passes that fit, one every two leads (default ${DEMO_DEFAULTS.minutes})`)
      .option('--lead <seconds>', `from the start of each leg to its pass: how far ahead the pass is predicted (default ${DEMO_DEFAULTS.leadSeconds})`)
      .option('--interval <seconds>', `time between batches (default ${DEMO_DEFAULTS.intervalSeconds})`),
    { dir: false },
  ).action(
    action(async (opts: DemoOptions) => {
      const s = demoSettings(opts, '--parties');
      const nodes = feedNodes(s, (party) => join(resolve(opts.network), party));
      const stop = new AbortController();
      const abort = () => stop.abort();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      try {
        const report = await runDemoFeed(nodes, s, (line) => process.stderr.write(`${line}\n`), stop.signal);
        print(opts.json, report, () => `demonstration feed ${stop.signal.aborted ? 'stopped' : 'ended'}: ${report.entries} entries sent, ${report.passes} passes; alarm changes seen: ${report.seen.join(', ') || 'none'}`);
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
    }),
  );
}
