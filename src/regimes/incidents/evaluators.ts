/**
 * The evaluators of incidents at sea and in the air: encounters in the shared tracks (per hour),
 * replies owed to incident reports and to requests for consultations, and advance notices of
 * dangerous activities (late, or missing when another party reports the activity).
 *
 * What a rule reads counts only where every party judging by it holds it: a reply when addressed
 * to every party holding the report or request it answers, a notice when addressed to every party
 * holding the report of the activity (`unreached`). One addressed to fewer counts nowhere, and its
 * readers are told so; a node holding it as a stub was not addressed, and finds what they find.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { compareHeld, deadline, doesNotCount, formatDuration, parseTime, unreached } from '../engine.js';
import type { GroupContext, HeldEntry } from '../types.js';
import { hourEncounters, type TracksEntry } from './encounters.js';
import { INC, type ResolvedIncidentsTerms } from './rules.js';
import { CONSULTATION, HAZARD, HAZARDOUS, REPLY, REPORT, TRACKS, type Consultation, type Hazard, type Reply, type Report } from './schemas.js';
import type { TracksBody } from './tracks.js';

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

/**
 * The replies by `party` about `judged` that every party holding it holds too; each one addressed
 * to fewer does not count, and its readers are told so.
 */
function repliesBy(ctx: GroupContext, judged: HeldEntry, party: string, rule: typeof INC.reply | typeof INC.consultation, what: string): HeldEntry[] {
  const out: HeldEntry[] = [];
  for (const h of ctx.referrers(judged.id)) {
    if (h.type !== REPLY || h.author !== party || !h.body || (h.body as unknown as Reply).about !== judged.id) continue;
    const missing = unreached(h, judged);
    if (!missing.length) out.push(h);
    else doesNotCount(ctx, { rule, h, judged, missing, what: `${party}'s answer to ${what}`, holding: rule === INC.reply ? 'the report' : 'the request' });
  }
  return out;
}

/** An answer owed by `debtor` to entry `h` within `ms` (INC.reply, INC.consultation). */
function answerOwed(ctx: GroupContext, h: HeldEntry, debtor: string, rule: typeof INC.reply | typeof INC.consultation, ms: number, what: string): void {
  const by = repliesBy(ctx, h, debtor, rule, what)[0];
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
 * naming its units) with no notice of it by `party`, given before the activity, that every party
 * holding the report holds too. A covering notice addressed to fewer does not count, and its
 * readers are told so.
 */
export function missingNotices(party: string, ctx: GroupContext): void {
  const members = ctx.members();
  const reports = members.filter((h) => h.type === REPORT && h.body && h.author !== party && (h.body as unknown as Report).categories.some((c) => HAZARDOUS.includes(c)) && (h.body as unknown as Report).units.some((u) => u.party === party));
  if (!reports.length) return;
  const notices = members.filter((h) => h.type === HAZARD && h.body && h.author === party);
  for (const r of reports) {
    const body = r.body as unknown as Report;
    const at = parseTime(body.at);
    if (at === undefined) continue;
    const covering = notices.filter((n) => n.t <= at && covers(n.body as unknown as Hazard, at, body.position));
    const what = `${body.categories.filter((c) => HAZARDOUS.includes(c)).join(' and ')} by ${party} at ${body.at} (${body.position.lat.toFixed(3)}, ${body.position.lon.toFixed(3)})`;
    if (covering.some((n) => !unreached(n, r).length)) continue;
    for (const n of covering) doesNotCount(ctx, { rule: INC.notice, h: n, judged: r, missing: unreached(n, r), what: `${party}'s notice of ${(n.body as unknown as Hazard).activity}`, holding: `${r.author}'s report of it` });
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
