/**
 * The evaluators of incidents at sea and in the air: encounters in the shared tracks (per hour),
 * replies owed to incident reports and to requests for consultations, and advance notices of
 * dangerous activities (late, or missing when another party reports the activity).
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { compareHeld, deadline, formatDuration, parseTime } from '../engine.js';
import type { GroupContext, HeldEntry } from '../types.js';
import { hourEncounters, type TracksEntry } from './encounters.js';
import { INC, type ResolvedIncidentsTerms } from './rules.js';
import { CONSULTATION, HAZARD, HAZARDOUS, REPLY, REPORT, TRACKS, type Consultation, type Hazard, type Reply, type Report } from './schemas.js';
import type { TracksBody } from './tracks.js';

/** Entries of the acting party this node cannot read, this long before an activity, keep it from convicting on a missing notice. */
export const UNSEEN_WINDOW_MS = 90 * 86_400_000;

const metres = (m: number): string => (m >= 10_000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`);

/**
 * INC.encounter: each encounter episode beginning in the hour. The finding's id is the pair and the
 * instant the episode began: as later batches extend the episode (a closer approach, a later end),
 * the same finding is updated, never a second one raised.
 */
export function encounterHour(hour: number, ctx: GroupContext): void {
  const members = ctx.members().filter((h) => h.type === TRACKS && h.body);
  if (!members.length) return;
  const entries: TracksEntry[] = members.map((h) => ({ id: h.id, author: h.author, t: h.t, body: h.body as unknown as TracksBody }));
  const found = hourEncounters(entries, hour, (a, b) => ctx.terms<ResolvedIncidentsTerms>([a, b], hour).thresholds);
  const byId = new Map(members.map((h) => [h.id, h]));
  for (const e of found) {
    const evidence = e.evidence.map((id) => byId.get(id)!).sort(compareHeld);
    const vertical = e.thresholds.verticalMetres === null ? '' : `, ${metres(Math.abs(e.verticalMetres))} vertically`;
    const limit = `${e.domain} thresholds ${metres(e.thresholds.horizontalMetres)}${e.thresholds.verticalMetres === null ? '' : ` / ${metres(e.thresholds.verticalMetres)}`}`;
    ctx.finding({
      rule: INC.encounter,
      severity: 'warning',
      parties: [e.a.party, e.b.party],
      explanation: `${e.a.party} ${e.a.kind} ${e.a.unit} and ${e.b.party} ${e.b.kind} ${e.b.unit} came within ${metres(e.dcpaMetres)} horizontally${vertical} at ${e.tcpa} (${limit}; within them from ${e.from} ${e.ongoing ? `and still at ${e.to}, the last fixes read` : `to ${e.to}`})`,
      evidence,
      at: Date.parse(e.at),
      key: `${e.a.party}/${e.a.unit}|${e.b.party}/${e.b.unit}|${e.from}`,
      anchor: [],
    });
  }
}

/** The replies by `party` about `id` among the entries that name it. */
const repliesBy = (ctx: GroupContext, id: string, party: string): HeldEntry[] =>
  ctx.referrers(id).filter((h) => h.type === REPLY && h.author === party && h.body && (h.body as unknown as Reply).about === id);

/** An answer owed by `debtor` to entry `h` within `ms` (INC.reply, INC.consultation). */
function answerOwed(ctx: GroupContext, h: HeldEntry, debtor: string, rule: typeof INC.reply | typeof INC.consultation, ms: number, what: string): void {
  const by = repliesBy(ctx, h.id, debtor)[0];
  const window = formatDuration(ms);
  deadline(ctx, {
    rule,
    debtor,
    creditors: [h.author],
    what: `answer ${what} within ${window}`,
    due: h.t + ms,
    evidence: [h],
    key: debtor,
    answer: by ? { by, at: by.t } : undefined,
    late: (d) => `${debtor} answered ${what} ${formatDuration(d)} after the agreed ${window}`,
    missed: `${debtor} did not answer ${what} within the agreed ${window}`,
  });
}

/** INC.reply: each other party named in a report answers it within the agreed days. */
export function reportReplies(r: HeldEntry, ctx: GroupContext): void {
  const body = r.body as unknown as Report;
  const debtors = [...new Set(body.units.map((u) => u.party))].filter((p) => p !== r.author).sort();
  for (const debtor of debtors) {
    answerOwed(ctx, r, debtor, INC.reply, ctx.terms<ResolvedIncidentsTerms>([r.author, debtor], r.t).replyMs, `${r.author}'s incident report of ${body.at}`);
  }
}

/** INC.consultation: each party asked answers a request for consultations within the agreed days. */
export function consultationReplies(c: HeldEntry, ctx: GroupContext): void {
  const body = c.body as unknown as Consultation;
  for (const debtor of [...body.parties].sort()) {
    if (debtor === c.author) continue;
    answerOwed(ctx, c, debtor, INC.consultation, ctx.terms<ResolvedIncidentsTerms>([c.author, debtor], c.t).consultationMs, `${c.author}'s request for consultations "${body.subject}"`);
  }
}

/** The notice period binding the author of a notice and the parties it was given to, at its start. */
function noticeMs(ctx: GroupContext, author: string, to: readonly string[], t: number): number {
  const others = to.filter((p) => p !== '*' && p !== author);
  return ctx.terms<ResolvedIncidentsTerms>([author, ...others], t).noticeMs;
}

/** INC.notice: a notice given later than the agreed days before its activity. */
export function hazardLate(h: HeldEntry, ctx: GroupContext): void {
  const body = h.body as unknown as Hazard;
  const from = parseTime(body.from);
  if (from === undefined) return;
  const ahead = noticeMs(ctx, h.author, h.to, from);
  const due = from - ahead;
  if (h.t <= due) return;
  ctx.finding({
    rule: INC.notice,
    severity: h.t > from ? 'violation' : 'warning',
    parties: [h.author, ...h.to.filter((p) => p !== '*' && p !== h.author)],
    explanation: `${h.author} gave notice of ${body.activity} from ${body.from} ${h.t > from ? `${formatDuration(h.t - from)} after it started` : `${formatDuration(from - h.t)} before it`}, not the agreed ${formatDuration(ahead)} ahead`,
    evidence: [h],
    at: h.t,
  });
}

function covers(notice: Hazard, at: number, position: { lat: number; lon: number }): boolean {
  const from = parseTime(notice.from);
  const until = parseTime(notice.until);
  if (from === undefined || until === undefined || at < from || at > until) return false;
  return booleanPointInPolygon([position.lon, position.lat], notice.area as Parameters<typeof booleanPointInPolygon>[1]);
}

/**
 * INC.notice: an activity of `party` reported by another party (a report of a hazardous category
 * naming its units) with no notice of it by `party` held here, given before the activity. A node
 * holding entries of `party` it cannot read from the 90 days before says so instead of convicting.
 */
export function missingNotices(party: string, ctx: GroupContext): void {
  const members = ctx.members();
  const reports = members.filter((h) => h.type === REPORT && h.body && h.author !== party && (h.body as unknown as Report).categories.some((c) => HAZARDOUS.includes(c)) && (h.body as unknown as Report).units.some((u) => u.party === party));
  if (!reports.length) return;
  const notices = members.filter((h) => h.type === HAZARD && h.body && h.author === party);
  const unseen = members.filter((h) => h.type === undefined && h.author === party);
  for (const r of reports) {
    const body = r.body as unknown as Report;
    const at = parseTime(body.at);
    if (at === undefined) continue;
    if (notices.some((n) => n.t <= at && covers(n.body as unknown as Hazard, at, body.position))) continue;
    const hidden = unseen.filter((h) => h.t <= at && h.t >= at - UNSEEN_WINDOW_MS);
    const what = `${body.categories.filter((c) => HAZARDOUS.includes(c)).join(' and ')} by ${party} at ${body.at} (${body.position.lat.toFixed(3)}, ${body.position.lon.toFixed(3)})`;
    if (hidden.length) {
      ctx.finding({
        rule: INC.notice,
        severity: 'info',
        parties: [party, r.author],
        explanation: `${r.author} reported ${what}; no notice of it is held here, but this node holds ${hidden.length} entr${hidden.length === 1 ? 'y' : 'ies'} of ${party} from the 90 days before that it cannot read, which may be the notice`,
        evidence: [r],
        at: r.t,
        key: `unseen|${party}`,
      });
      continue;
    }
    ctx.finding({
      rule: INC.notice,
      severity: 'violation',
      parties: [party, r.author],
      explanation: `${r.author} reported ${what}; ${party} gave no notice of it (an incidents.hazard covering that time and place, given before it)`,
      evidence: [r],
      at: r.t,
      key: `missing|${party}`,
    });
  }
}
