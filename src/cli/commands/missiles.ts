/**
 * `parley missiles sites|visits`: the missile regime's record in a node folder — the commitments
 * in force side by side, each party's declared sites; each visit from request to the host's
 * countersignature or dispute of the report, with its deadlines, and quota use per side. Read
 * from the folder's ledger (read-only: a running node may hold it open), as of now or `--at`; the
 * JSON is what GET /api/v1/missiles/… answers for the same instant, a pure function of the
 * entries held, byte-identical at every party holding the same ones. Declarations, requests,
 * replies, reports and the host's answers are sent with `parley send` (src/regimes/missiles has
 * the types); the commitment is an agreement (`parley agreement propose --regime missiles`).
 */
import type { Command } from 'commander';
import { missilesSites, missilesVisits, type VisitView } from '../../regimes/missiles/index.js';
import { action } from '../boundary.js';
import { print, withCommon, type DirOption } from '../io.js';
import { folderEntries, instant } from './regimes.js';

interface AtOption extends DirOption {
  at?: string;
}

const short = (id: string): string => id.slice(0, 12);

function visitLine(v: VisitView): string {
  const reply = !v.reply ? `reply due ${v.replyDue}` : v.reply.accepted ? `accepted ${v.reply.window!.start} to ${v.reply.window!.end}${v.reply.late ? ' (late)' : ''}` : `declined${v.reply.late ? ' (late)' : ''}: ${v.reply.reason}`;
  const report = v.report ? `; report ${v.report.outcome} (${v.report.at}), ${v.acknowledgement!.state}` : v.reportDue ? `; report due ${v.reportDue}` : '';
  return `  ${v.requested}  ${short(v.request)}  to ${v.host} ${v.siteName}  request ${v.quota.n} of ${v.quota.of} in ${v.quota.year}${v.quota.notice ? '' : ', short notice'}; ${reply}${report}`;
}

export function registerMissiles(program: Command): void {
  const missiles = program.command('missiles').description('missile non-deployment: the commitment in force, declared sites, transparency visits');

  withCommon(missiles.command('sites').description('the commitments in force side by side, and each party\'s declared sites').option('--at <time>', 'the record as it stood at this instant (RFC 3339 with a time zone, or a date)')).action(
    action(async (opts: AtOption) => {
      const report = missilesSites(await folderEntries(opts.dir), instant(opts.at));
      print(opts.json, report, () => {
        const lines: string[] = [];
        for (const c of report.commitments) {
          lines.push(`${c.title} (${c.parties.join(', ')}; in force ${c.inForce}; ${short(c.agreement)}): ${c.classes.map((k) => `${k.id} ${k.minKm}–${k.maxKm} km`).join(', ')}; area ${c.area.kind === 'named' ? c.area.name : 'from where they can reach the other party'}`);
          for (const s of c.sides) lines.push(`  ${s.party}: ${s.visitsPerYear} visits a year, notice ${s.noticeHours} h, reply ${s.replyHours} h, visit ${s.visitHours} h`);
        }
        if (!report.commitments.length) lines.push('no missile commitment in force');
        for (const p of report.parties) {
          lines.push(`${p.party}:`);
          for (const s of p.sites) {
            const present = s.systems.filter((x) => x.present).map((x) => `${x.name} ${x.rangeKm} km${x.covered.length ? ' [covered]' : ''}`);
            const absent = s.systems.filter((x) => !x.present).map((x) => x.name);
            lines.push(`  ${s.site}  ${s.name} (${s.position[1]}, ${s.position[0]})  present: ${present.join(', ') || 'none'}; absent: ${absent.join(', ') || 'none'}${s.distances.map((d) => `; ${d.km} km from ${d.party}`).join('')}`);
          }
        }
        return lines.join('\n');
      });
    }),
  );

  withCommon(missiles.command('visits').description('each party\'s visits from request to the host\'s answer to the report, and quota use per side').option('--at <time>', 'the record as it stood at this instant (RFC 3339 with a time zone, or a date)')).action(
    action(async (opts: AtOption) => {
      const report = missilesVisits(await folderEntries(opts.dir), instant(opts.at));
      print(opts.json, report, () => {
        if (!report.parties.length) return 'no visit requested';
        const lines: string[] = [];
        for (const p of report.parties) {
          lines.push(`${p.party} visiting: ${p.quota.map((q) => `${q.requested} of ${q.quota} to ${q.host} in ${q.year} (${q.accepted} accepted, ${q.declined} declined, ${q.reported} reported)`).join('; ') || 'none'}`);
          for (const v of p.visits) lines.push(visitLine(v));
        }
        return lines.join('\n');
      });
    }),
  );
}
