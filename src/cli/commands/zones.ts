/**
 * `parley zones list|status|band`: the frontier zones of a node folder — the zones of the
 * agreements in force, per zone the ceilings, the latest declared and observed figures and the
 * findings — as of now or of `--at`. Read from the folder's ledger (read-only: a running node may
 * hold it open); the JSON is what GET /api/v1/zones answers, a pure function of the entries held.
 *
 * `parley zones band --between RUS,UKR --width-km 50` draws a band of that width on each side of
 * the border between two parties from the shipped country boundaries and prints the zones terms an
 * agreement carries (`parley agreement propose` sends them).
 */
import type { Command } from 'commander';
import { ParleyError } from '../../protocol/errors.js';
import { CATEGORIES, zonesList, zonesStatus, type Counts } from '../../regimes/zones/index.js';
import { borderBand, type Resolution } from '../../regimes/zones/boundaries.js';
import { action } from '../boundary.js';
import { listArgument, print, withCommon, type DirOption } from '../io.js';
import { folderEntries, instant } from './regimes.js';

interface AtOptions extends DirOption {
  at?: string;
}

interface BandOptions {
  between: string;
  widthKm: string;
  resolution: string;
  prefix?: string;
  json?: boolean;
}

const figures = (c: Counts | undefined): string =>
  c ? CATEGORIES.filter((k) => c[k] !== undefined).map((k) => `${k} ${c[k]}`).join(', ') || '—' : '—';

export function registerZones(program: Command): void {
  const zones = program.command('zones').description('frontier zones: ceilings per party, declared and observed holdings, findings');

  withCommon(zones.command('list').description('the zones of the agreements in force: side, ceilings per party, activity limit').option('--at <time>', 'as of this instant (RFC 3339 or a date); default now')).action(
    action(async (opts: AtOptions) => {
      const at = instant(opts.at);
      const list = zonesList(await folderEntries(opts.dir), at);
      print(opts.json, list, () =>
        list.length === 0
          ? 'no zone in force'
          : list.map((z) => [`${z.zone}  ${z.name}  side ${z.side}  agreement ${z.agreement.slice(0, 12)} (${z.parties.join(', ')}) in force ${z.inForce}${z.band ? `  band ${z.band.widthKm} km, ${z.band.between.join('–')} border` : ''}`, ...Object.entries(z.ceilings).map(([p, c]) => `  ceiling ${p}: ${figures(c)}`), `  activity limit: ${figures(z.activityLimit)}`].join('\n')).join('\n'),
      );
    }),
  );

  withCommon(zones.command('status').description('per zone: side, ceilings, latest declared and observed figures, findings').option('--at <time>', 'as of this instant (RFC 3339 or a date); default now')).action(
    action(async (opts: AtOptions) => {
      const at = instant(opts.at);
      const s = zonesStatus(await folderEntries(opts.dir), at);
      print(opts.json, s, () => {
        const lines = [`as of ${s.at}`];
        if (!s.zones.length) lines.push('no zone in force');
        for (const z of s.zones) {
          lines.push(`${z.zone} (side ${z.side})`);
          for (const [p, c] of Object.entries(z.ceilings)) lines.push(`  ${p}: ceiling ${figures(c)}; declared ${z.declared[p] ? `${figures(z.declared[p].counts)} as of ${z.declared[p].asOf}` : 'nothing'}`);
          for (const o of z.observed) lines.push(`  observed by ${o.by} at ${o.at}: ${o.party} ${figures(o.counts)}`);
          for (const f of z.findings) lines.push(`  ${f.severity}: ${f.explanation} [${f.citation}]`);
        }
        for (const f of s.findings) lines.push(`${f.severity}: ${f.explanation} [${f.citation}]`);
        for (const o of s.outside) lines.push(`outside every zone: ${o.by}'s report of ${o.at} at [${o.position.join(', ')}]: ${o.party} ${figures(o.counts)}`);
        return lines.join('\n');
      });
    }),
  );

  zones
    .command('band')
    .description('draw a band of agreed width on each side of the border between two parties (Natural Earth boundaries) and print the zones terms for an agreement')
    .requiredOption('--between <A,B>', 'the two parties whose border it follows, e.g. RUS,UKR')
    .requiredOption('--width-km <km>', 'the band\'s width on each side, in km')
    .option('--resolution <scale>', 'boundary data: 50m or 10m', '50m')
    .option('--prefix <id>', 'zone ids are <prefix>-<party>; default the two codes, lower-case')
    .option('--json', 'print machine-readable JSON on stdout')
    .action(
      action(async (opts: BandOptions) => {
        const [a, b, ...rest] = listArgument(opts.between, '--between');
        if (!b || rest.length) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--between names exactly two parties, e.g. RUS,UKR');
        const width = Number(opts.widthKm);
        if (opts.resolution !== '50m' && opts.resolution !== '10m') throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--resolution is ${opts.resolution}; it must be 50m or 10m`);
        const band = borderBand(a, b, width, opts.resolution as Resolution);
        const prefix = opts.prefix ?? `${a}-${b}`.toLowerCase();
        const terms: Record<string, unknown> = {};
        for (const side of [a, b]) terms[`${prefix}-${side.toLowerCase()}`] = { side, band: { between: [a, b], widthKm: width, resolution: opts.resolution }, area: band.sides[side], ceilings: {} };
        print(opts.json, { zones: terms }, () => JSON.stringify({ zones: terms }, null, 2));
      }),
    );
}
