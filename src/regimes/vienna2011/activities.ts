/**
 * Military activities: Chapters V (prior notification, §38–§41), VI (observation, §47), VII/VIII
 * (§68 calendar, §67 constraints), the threshold-gaming warning, and what observers counted
 * against what was notified.
 *
 * What an activity is, in the record:
 *
 * - Its identity is its designation (trimmed, case-insensitive) within the notifying State; an
 *   activity without a designation is identified by the notification that first notified it.
 * - A notification that names an earlier one of the same activity in `corrects` amends it: the
 *   activity's figures and dates are those of the latest version, and it was notified when the
 *   first version was said. (Without a designation, a correction names the first notification.)
 * - A notification is the activity of a calendar entry with the same designation when it starts
 *   in the calendar's year.
 * - A notifiable activity in the latest calendar of a year, with no notification yet, is a
 *   planned activity: it already owes its notification (a cancelled activity is removed from a
 *   revised calendar; an activity moved to another year leaves its old year's calendar).
 *
 * What was counted counts: the thresholds are about what an activity involves (§40.1.1 "involves
 * at any time"), so an activity is also read on each counting State's figures — each figure the
 * larger of the notification's and what that State's reports counted — and every figure-based rule
 * (§38/§41, §47.4/§47.5, §68, §67) is applied to that reading too. A finding on a count says whose
 * count it is ("on UKR's count"), names that State among its parties and its reports among its
 * evidence, and is made only where the count crosses what the notified figures did not.
 *
 * Years are UTC calendar years, at every party alike: an activity from 28 December to 5 January
 * counts in both years for §67.2, and belongs to the calendar of the year it starts.
 *
 * Evaluators share this reading: one per activity (`evaluateActivity`: its deadlines, its
 * figures, the reports that name it), one per State and calendar year (`evaluatePlan`: planned
 * activities not yet notified), one per State for the Chapter VIII constraints (`evaluateState`)
 * and one per State for reports that name no notification (`evaluateUnnamedReports`).
 */
import { DAY, compareHeld, count, deadline, endOfDayUtc, formatDuration, parseTime, utcYear } from '../engine.js';
import type { GroupContext, HeldEntry, PartyCode, RuleRow } from '../types.js';
import { FIELD_WORDS, FORCE_FIELDS, VD11, crossingFields, meets, nearMisses, notifiableBy, observableBy, uncirculated, type ForceField, type Forces } from './rules.js';
import { normalDesignation, type ActivityNotification, type Calendar, type ObservationInvitation, type ObserverReport } from './schemas.js';

/** The key of the activity a notification belongs to. */
export function activityKeyOf(h: HeldEntry): string {
  const b = h.body as unknown as ActivityNotification;
  return b.designation !== undefined ? designationKey(b.designation) : `n:${b.corrects ?? h.id}`;
}

export const designationKey = (designation: string): string => `d:${normalDesignation(designation)}`;

interface Activity {
  /** The notifications of the activity, first to latest (empty for a planned activity). */
  versions: HeldEntry[];
  /** The first calendar entry that listed it. */
  calendar?: HeldEntry;
  designation?: string;
  name: string;
  start: number;
  end: number;
  alert: boolean;
  forces: Forces;
  /** The ids its obligations derive from: its first appearance in the record. */
  anchor: string[];
  /** The entry id its chain of notifications is rooted at (the first notification, or the one its corrections name). */
  root?: string;
  /** Figures counted above those notified, with the reports that counted them (an activity read on one State's count). */
  counted?: { by: PartyCode; reports: HeldEntry[] };
}

/** The evidence of a finding on an activity's figures: its first notification and the correction its figures are read from. */
const versionsOf = (a: Activity): HeldEntry[] => (a.versions.length > 1 ? [a.versions[0], a.versions[a.versions.length - 1]] : a.versions.slice());

function forcesOf(body: Partial<Record<ForceField, unknown>>): Forces {
  const f = {} as Forces;
  for (const k of FORCE_FIELDS) {
    const v = body[k];
    f[k] = typeof v === 'number' && Number.isFinite(v) ? v : 0;
  }
  return f;
}

const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
const describe = (f: Partial<Forces>, fields: readonly ForceField[]): string => fields.map((k) => `${count(f[k] ?? 0)} ${FIELD_WORDS[k]}`).join(', ');
const activityName = (designation: string | undefined, start: number): string => (designation ? `"${designation}"` : `the activity starting ${day(start)}`);
const latestOf = (a: Activity): HeldEntry => a.versions[a.versions.length - 1];

/**
 * The notified activities among `notifications` (one State's, in record order): amendment chains
 * within each activity key, each read from its latest version.
 *
 * A correction joins the chain of the notification it names. When that notification is not among
 * `notifications` (the State's group holds only what can matter to Chapter VIII), corrections
 * naming it still form one chain, rooted at its id: the latest version is the same either way.
 */
function notifiedActivities(notifications: readonly HeldEntry[]): Activity[] {
  const byKey = new Map<string, HeldEntry[]>();
  for (const n of notifications) {
    const k = activityKeyOf(n);
    const list = byKey.get(k);
    if (list) list.push(n);
    else byKey.set(k, [n]);
  }
  const out: Activity[] = [];
  for (const list of byKey.values()) {
    const present = new Set(list.map((n) => n.id));
    const rootOf = new Map<string, string>();
    const chains = new Map<string, HeldEntry[]>();
    for (const n of list) {
      const target = (n.body as unknown as ActivityNotification).corrects;
      // Naming an earlier notification: its chain. Naming a later one (not a valid record): its own.
      const root = target === undefined ? n.id : (rootOf.get(target) ?? (present.has(target) ? n.id : target));
      rootOf.set(n.id, root);
      const chain = chains.get(root);
      if (chain) chain.push(n);
      else chains.set(root, [n]);
    }
    for (const versions of chains.values()) {
      const b = versions[versions.length - 1].body as unknown as ActivityNotification;
      const start = parseTime(b.start);
      const end = parseTime(b.end);
      if (start === undefined || end === undefined) continue;
      out.push({
        versions,
        designation: b.designation,
        name: activityName(b.designation, start),
        start,
        end,
        alert: b.alertActivity === true,
        forces: forcesOf(b),
        anchor: [versions[0].id],
        root: rootOf.get(versions[0].id),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// One activity (group `act:STATE:KEY`).

export function evaluateActivity(party: PartyCode, key: string, ctx: GroupContext): void {
  const notifications: HeldEntry[] = [];
  const calendars: HeldEntry[] = [];
  const invitations: HeldEntry[] = [];
  for (const h of ctx.members()) {
    if (h.author !== party) continue;
    if (h.type === 'vd.activity.notification') notifications.push(h);
    else if (h.type === 'vd.calendar') calendars.push(h);
    else if (h.type === 'vd.observation.invitation') invitations.push(h);
  }
  const activities = notifiedActivities(notifications);

  // The calendars that list this designation, per year: the first listing (the activity's
  // anchor when it came first), and whether it was listed by 15 November of the year before
  // (§61, §68). Planned activities not yet notified are evaluated per calendar year (`evaluatePlan`).
  const listings = calendarListings(calendars, key);
  const claimed = new Set<number>();
  for (const a of activities) {
    const y = utcYear(a.start);
    const calendar = listings.first.get(y);
    if (!calendar || claimed.has(y)) continue;
    claimed.add(y);
    a.calendar = calendar;
    if (calendar.t <= a.versions[0].t) a.anchor = [`${calendar.id}#${key}`];
  }
  for (const a of activities) {
    priorNotification(party, a, ctx);
    observationInvitation(party, a, invitations, ctx);
    thresholdMargin(party, a, ctx);
    inCalendar(party, a, listings, ctx);
    reportsNaming(party, a, ctx);
    for (const c of countedVersions(party, a, ctx)) countedRules(party, a, c, invitations, listings, ctx);
  }
}

interface Listings {
  /** Per year, the first calendar that listed the designation. */
  first: Map<number, HeldEntry>;
  /** Per year, the latest calendar that listed it. */
  latest: Map<number, HeldEntry>;
  /** The years whose calendar listed it by 15 November of the year before. */
  onTime: Set<number>;
}

function calendarListings(calendars: readonly HeldEntry[], key: string): Listings {
  const out: Listings = { first: new Map(), latest: new Map(), onTime: new Set() };
  for (const c of calendars) {
    const b = c.body as unknown as Calendar;
    if (!b.activities.some((a) => designationKey(a.designation) === key)) continue;
    if (!out.first.has(b.year)) out.first.set(b.year, c);
    out.latest.set(b.year, c);
    if (c.t <= endOfDayUtc(b.year - 1, VD11.calendar.figures.month, VD11.calendar.figures.day)) out.onTime.add(b.year);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// One State's calendar year (group `plan:STATE:YEAR`).

/**
 * The planned activities of a year: each notifiable activity in the latest calendar for the year
 * that no notification of the same designation starting that year has claimed owes its §38
 * notification already. Its obligation keeps the same id when the notification arrives (it is then
 * evaluated with the activity). Observation invitations are owed from the notification on.
 */
export function evaluatePlan(party: PartyCode, year: number, ctx: GroupContext): void {
  const calendars: HeldEntry[] = [];
  const notified = new Set<string>();
  for (const h of ctx.members()) {
    if (h.author !== party) continue;
    if (h.type === 'vd.calendar' && (h.body as unknown as Calendar).year === year) calendars.push(h);
    if (h.type === 'vd.activity.notification') {
      const b = h.body as unknown as ActivityNotification;
      const start = parseTime(b.start);
      if (b.designation !== undefined && start !== undefined && utcYear(start) === year) notified.add(designationKey(b.designation));
    }
  }
  const latest = calendars[calendars.length - 1];
  if (!latest) return;
  for (const item of (latest.body as unknown as Calendar).activities) {
    const key = designationKey(item.designation);
    const start = parseTime(item.start);
    const end = parseTime(item.end);
    if (notified.has(key) || start === undefined || end === undefined) continue;
    const first = calendars.find((c) => (c.body as unknown as Calendar).activities.some((a) => designationKey(a.designation) === key))!;
    priorNotification(party, { versions: [], calendar: first, designation: item.designation, name: activityName(item.designation, start), start, end, alert: false, forces: forcesOf(item), anchor: [`${first.id}#${key}`] }, ctx);
  }
}

/** §38 (42 days before the start) or §41 (alert: when the troops start), at the §40.1 thresholds. */
function priorNotification(party: PartyCode, a: Activity, ctx: GroupContext): void {
  const threshold = notifiableBy(a.forces);
  if (!threshold) return;
  const rule = a.alert ? VD11.alertNotification : VD11.priorNotification;
  const days = VD11.priorNotification.figures.days;
  const first = a.versions[0];
  deadline(ctx, {
    rule,
    debtor: party,
    creditors: ['*'],
    what: a.alert
      ? `notify alert activity ${a.name} when its troops start, ${new Date(a.start).toISOString()} (notifiable under ${threshold.citation})`
      : `notify ${a.name}, starting ${day(a.start)}, ${days} days before its start (notifiable under ${threshold.citation})`,
    due: a.alert ? a.start : a.start - days * DAY,
    evidence: a.calendar ? [a.calendar, ...(a.versions.length > 1 ? [latestOf(a)] : [])] : versionsOf(a),
    anchor: a.anchor,
    answer: first ? { by: first, at: first.t } : undefined,
    late: (d) =>
      a.alert
        ? `${party} notified alert activity ${a.name} ${formatDuration(d)} after its troops started`
        : `${party} notified ${a.name} ${formatDuration(a.start - first.t)} before its start, ${formatDuration(d)} after the ${days}-day deadline`,
    missed: a.alert ? `${party} did not notify alert activity ${a.name} when its troops started` : `${party} did not notify ${a.name}, starting ${day(a.start)}, ${days} days before its start`,
    parties: [party],
  });
}

/**
 * §47.4 / §47.5: observers are invited, by the time the notification is due (alert activities:
 * only when they last over 72 hours). An invitation names the activity by designation or by one
 * of its notifications.
 */
function observationInvitation(party: PartyCode, a: Activity, byDesignation: readonly HeldEntry[], ctx: GroupContext): void {
  const threshold = observableBy(a.forces, a.alert, a.end - a.start);
  if (!threshold) return;
  const invitation = invitationOf(party, a, byDesignation, ctx);
  const figures = describe(a.forces, crossingFields(threshold, a.forces));
  deadline(ctx, {
    rule: VD11.observation,
    citation: threshold.citation,
    debtor: party,
    creditors: ['*'],
    what: `invite observers of all participating States to ${a.name} (${figures}) by the time its notification is due`,
    due: a.alert ? a.start : a.start - VD11.priorNotification.figures.days * DAY,
    evidence: a.calendar ? [a.calendar, ...versionsOf(a)] : versionsOf(a),
    anchor: a.anchor,
    answer: invitation ? { by: invitation, at: invitation.t } : undefined,
    late: (d) => `${party} invited observers to ${a.name} ${formatDuration(d)} after its notification was due`,
    missed: `${party} did not invite observers to ${a.name} (${figures}) by the time its notification was due`,
    parties: [party],
  });
}

/** The first invitation to the activity: by designation, or naming one of its notifications. */
function invitationOf(party: PartyCode, a: Activity, byDesignation: readonly HeldEntry[], ctx: GroupContext): HeldEntry | undefined {
  const candidates = [...byDesignation];
  for (const v of a.versions) {
    for (const h of ctx.referrers(v.id)) {
      if (h.type === 'vd.observation.invitation' && h.author === party && (h.body as unknown as ObservationInvitation).notification === v.id) candidates.push(h);
    }
  }
  return candidates.sort(compareHeld)[0];
}

/** A declared figure within the margin under a threshold: the Zapad-2017 pattern (warning). */
function thresholdMargin(party: PartyCode, a: Activity, ctx: GroupContext): void {
  if (a.versions.length === 0) return;
  const latest = latestOf(a);
  for (const m of nearMisses(a.forces, ctx.options.margin)) {
    const pct = (((m.threshold - m.value) / m.threshold) * 100).toFixed(1);
    ctx.finding({
      rule: VD11.thresholdMargin,
      citation: m.row.citation,
      severity: 'warning',
      parties: [party],
      explanation: `${party} notified ${count(m.value)} ${FIELD_WORDS[m.field]} for ${a.name}, ${pct}% under the ${count(m.threshold)} of ${m.row.citation} (${m.row.title.toLowerCase()})`,
      evidence: [latest],
      at: latest.t,
      key: `${m.field}:${m.threshold}`,
    });
  }
}

/** §68: over 40,000 troops or 900 battle tanks only if in the calendar exchanged by 15 November. */
function inCalendar(party: PartyCode, a: Activity, listings: Listings, ctx: GroupContext): void {
  const row = VD11.inCalendar;
  const y = utcYear(a.start);
  if (a.versions.length === 0 || a.alert || !meets(row, a.forces) || listings.onTime.has(y)) return;
  const latest = latestOf(a);
  const calendar = listings.latest.get(y);
  ctx.finding({
    rule: row,
    severity: 'violation',
    explanation: `${party} notified ${a.name} with ${describe(a.forces, crossingFields(row, a.forces))}, more than ${count(row.figures.troops)} troops or ${count(row.figures.battleTanks)} battle tanks, and it was not in its calendar for ${y} exchanged by 15 November ${y - 1}`,
    parties: [party],
    evidence: calendar ? [calendar, ...versionsOf(a)].sort(compareHeld) : versionsOf(a),
    at: latest.t,
  });
}

/**
 * Reports that name one of the activity's notifications: counting more than was notified is a
 * violation. The count is compared with the notification as it stood when the report was made:
 * a correction after the count does not erase what was counted.
 */
function reportsNaming(party: PartyCode, a: Activity, ctx: GroupContext): void {
  if (a.versions.length === 0) return;
  for (const v of a.versions) {
    for (const r of ctx.referrers(v.id)) {
      const b = r.body as unknown as ObserverReport;
      if (r.type !== 'vd.observer.report' || b.notification !== v.id || b.observedState !== party) continue;
      const version = [...a.versions].reverse().find((x) => x.t <= r.t) ?? a.versions[0];
      const stated = forcesOf(version.body as Partial<Record<ForceField, unknown>>);
      const over = FORCE_FIELDS.filter((k) => typeof b.counted[k] === 'number' && (b.counted[k] as number) > stated[k]);
      if (over.length === 0) continue;
      ctx.finding({
        rule: VD11.observedOverNotified,
        severity: 'violation',
        explanation: `${r.author}'s ${b.basis} counted ${describe(b.counted, over)} at ${a.name} where ${party} notified ${describe(stated, over)}`,
        parties: [party, r.author],
        evidence: [version, r].sort(compareHeld),
        at: r.t,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What was counted: the thresholds are about what an activity involves (§40.1.1 "involves at any
// time"), so every figure-based rule is read on each counting State's figures too — kept apart
// from the notified-figure findings, and saying whose count it is.

/** The reports of `party`'s activity that name one of its notifications, by counting State, in record order of the counters. */
function reportsOf(party: PartyCode, a: Activity, ctx: GroupContext): Map<PartyCode, HeldEntry[]> {
  const by = new Map<PartyCode, HeldEntry[]>();
  for (const v of a.versions) {
    for (const r of ctx.referrers(v.id)) {
      const b = r.body as unknown as ObserverReport;
      if (r.type !== 'vd.observer.report' || b.notification !== v.id || b.observedState !== party) continue;
      const list = by.get(r.author);
      if (list) list.push(r);
      else by.set(r.author, [r]);
    }
  }
  return by;
}

/** The activity as each counting State's reports show it: each figure the larger of notified and counted; only where a count exceeds the notification. */
function countedVersions(party: PartyCode, a: Activity, ctx: GroupContext, reports = reportsOf(party, a, ctx)): Activity[] {
  const out: Activity[] = [];
  for (const by of [...reports.keys()].sort()) {
    const list = reports.get(by)!.sort(compareHeld);
    const forces = { ...a.forces };
    let more = false;
    for (const r of list) {
      const counted = (r.body as unknown as ObserverReport).counted;
      for (const k of FORCE_FIELDS) {
        const v = counted[k];
        if (typeof v === 'number' && v > forces[k]) {
          forces[k] = v;
          more = true;
        }
      }
    }
    if (more) out.push({ ...a, forces, counted: { by, reports: list } });
  }
  return out;
}

/** "on UKR's count" */
const onCount = (c: Activity): string => `on ${c.counted!.by}'s count`;

/**
 * The per-activity rules on one State's count, where the notified figures did not cross the
 * threshold but the counted ones do: §38/§41 (notifiable), §47.4/§47.5 (observers invited),
 * §68 (in the calendar). A violation unless this node holds the notifying State's entries only
 * as stubs (a correction, an invitation or a calendar could be among them).
 */
function countedRules(party: PartyCode, a: Activity, c: Activity, invitations: readonly HeldEntry[], listings: Listings, ctx: GroupContext): void {
  const first = a.versions[0];
  const reportsAt = Math.max(...c.counted!.reports.map((r) => r.t));
  const evidence = [...versionsOf(a), ...c.counted!.reports].sort(compareHeld);
  const dueNotice = a.alert ? a.start : a.start - VD11.priorNotification.figures.days * DAY;
  const find = (row: RuleRow, citation: string, words: string, at: number): void => {
    ctx.finding({
      rule: row,
      citation,
      severity: 'violation',
      explanation: `${onCount(c)}, ${words}`,
      parties: [party, c.counted!.by],
      evidence,
      at,
      key: `count:${c.counted!.by}`,
    });
  };

  const notifiable = notifiableBy(c.forces);
  if (notifiable && !notifiableBy(a.forces) && first.t > dueNotice) {
    const rule = a.alert ? VD11.alertNotification : VD11.priorNotification;
    find(
      rule,
      rule.citation,
      `${a.name} involved ${describe(c.forces, crossingFields(notifiable, c.forces))}, notifiable under ${notifiable.citation}, and ${party} notified it ${a.alert ? `${formatDuration(first.t - a.start)} after its troops started` : `${formatDuration(Math.max(0, a.start - first.t))} before its start, after the ${VD11.priorNotification.figures.days}-day deadline`}`,
      Math.max(reportsAt, dueNotice + 1),
    );
  }

  const observable = observableBy(c.forces, a.alert, a.end - a.start);
  if (observable && !observableBy(a.forces, a.alert, a.end - a.start)) {
    const invitation = invitationOf(party, a, invitations, ctx);
    if (!invitation || invitation.t > dueNotice) {
      const at = Math.max(reportsAt, dueNotice + 1);
      if (ctx.reached(at)) {
        find(
          VD11.observation,
          observable.citation,
          `${a.name} involved ${describe(c.forces, crossingFields(observable, c.forces))}, at the observation threshold of ${observable.citation}: observers of all participating States were to be invited by ${day(dueNotice)}, and ${party} ${invitation ? `invited them ${formatDuration(invitation.t - dueNotice)} late` : 'invited none'}`,
          at,
        );
      }
    }
  }

  const row = VD11.inCalendar;
  const y = utcYear(a.start);
  if (!a.alert && meets(row, c.forces) && !meets(row, a.forces) && !listings.onTime.has(y)) {
    find(
      row,
      row.citation,
      `${a.name} involved ${describe(c.forces, crossingFields(row, c.forces))}, more than ${count(row.figures.troops)} troops or ${count(row.figures.battleTanks)} battle tanks, and it was not in ${party}'s calendar for ${y} exchanged by 15 November ${y - 1}`,
      Math.max(reportsAt, latestOf(a).t),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// One State (group `state:STATE`).

/** Can this notification matter to Chapter VIII? Over its lowest thresholds, or amending another. */
export function mattersToConstraints(h: HeldEntry): boolean {
  const b = h.body as unknown as ActivityNotification;
  return b.corrects !== undefined || [VD11.perYear, VD11.simultaneous, VD11.threeYears].some((row) => meets(row, forcesOf(b)));
}

const byStart = (x: Activity, y: Activity): number => x.start - y.start || (x.anchor[0] < y.anchor[0] ? -1 : 1);

/**
 * Group `state:STATE`: its notifications that can matter to Chapter VIII (`mattersToConstraints`),
 * and the reports that name one of its notifications. The constraints are read on the notified
 * figures, then on each counting State's figures (findings on a count are kept apart: only those
 * naming an activity whose count crossed what its notification did not).
 */
export function evaluateState(party: PartyCode, ctx: GroupContext): void {
  const notifications: HeldEntry[] = [];
  const namedIds = new Set<string>();
  for (const h of ctx.members()) {
    if (h.type === 'vd.activity.notification' && h.author === party) notifications.push(h);
    else if (h.type === 'vd.observer.report' && (h.body as unknown as ObserverReport).observedState === party) namedIds.add((h.body as unknown as ObserverReport).notification!);
  }
  const activities = notifiedActivities(notifications).sort(byStart);
  constraints(party, activities, ctx);
  if (namedIds.size === 0) return;

  // The activities the reports name: among those above, or read from the named notification.
  const extra: Activity[] = [];
  for (const id of [...namedIds].sort()) {
    if (activities.some((a) => a.root === id || a.versions.some((v) => v.id === id)) || extra.some((a) => a.root === id)) continue;
    const n = ctx.get(id);
    if (n && n.type === 'vd.activity.notification' && n.author === party && !uncirculated(n)) extra.push(...notifiedActivities([n]));
  }
  const all = [...activities, ...extra].sort(byStart);
  const byCounter = new Map<PartyCode, Map<Activity, Activity>>();
  for (const a of all) {
    for (const c of countedVersions(party, a, ctx)) {
      let m = byCounter.get(c.counted!.by);
      if (!m) byCounter.set(c.counted!.by, (m = new Map()));
      m.set(a, c);
    }
  }
  for (const [, m] of [...byCounter].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
    constraints(party, all.map((a) => m.get(a) ?? a), ctx);
  }
}

/** Group `unnamed:STATE`: its notifications, and the reports about it that name none. */
export function evaluateUnnamedReports(party: PartyCode, ctx: GroupContext): void {
  const notifications: HeldEntry[] = [];
  const reports: HeldEntry[] = [];
  for (const h of ctx.members()) {
    if (h.type === 'vd.activity.notification' && h.author === party) notifications.push(h);
    else if (h.type === 'vd.observer.report') reports.push(h);
  }
  for (const r of reports) unnamedReport(party, r, notifications, ctx);
}

/**
 * Group `rep:ID`: a report that names a notification is compared with it by the activity's group;
 * if the name is not a notification of the observed State held here, the comparison cannot be
 * made, and that is a warning (correct the report, or name no notification).
 */
export function reportNaming(r: HeldEntry, ctx: GroupContext): void {
  const b = r.body as unknown as ObserverReport;
  const named = ctx.get(b.notification!);
  if (named && named.type === 'vd.activity.notification' && named.author === b.observedState && !uncirculated(named)) return;
  ctx.finding({
    rule: VD11.observedNotNotified,
    severity: 'warning',
    parties: [b.observedState, r.author],
    explanation: `${r.author}'s ${b.basis} report names ${b.notification!.slice(0, 12)}…, which is not a notification by ${b.observedState} held here and circulated to all, so what it counted cannot be compared`,
    evidence: [r],
    at: r.t,
    key: 'misnamed',
  });
}

/** When the record first showed all of these activities (their latest notifications, and the reports of a count). */
const shownAt = (list: readonly Activity[]): number => Math.max(...list.flatMap((a) => [latestOf(a).t, ...(a.counted?.reports.map((r) => r.t) ?? [])]));
const evidenceOf = (list: readonly Activity[]): HeldEntry[] => [...new Set(list.flatMap((a) => [...versionsOf(a), ...(a.counted?.reports ?? [])]))].sort(compareHeld);
const named = (list: readonly Activity[], year = false): string => list.map((a) => (year ? `${a.name} ${utcYear(a.start)}` : a.name)).join(', ');

/** §67.2 and §67.2.1 count activities over their threshold but not over §67.1's (40,000 troops or 900 battle tanks). */
const inBand = (row: RuleRow, f: Forces): boolean => meets(row, f) && (row === VD11.threeYears || row === VD11.simultaneous || !meets(VD11.threeYears, f));

/**
 * Chapter VIII, over the State's activities (each read from its latest notification, or on one
 * State's count; the finding is dated when the record first showed all the activities it names):
 * §67.1 at most one in any three consecutive calendar years; §67.2 at most six per calendar year
 * between 13,000 and 40,000 troops (or 300 and 900 battle tanks), §67.2.1 of which three over
 * 25,000 troops or 400 battle tanks; §67.3 at most three under way at once (periods as closed
 * intervals). On a count, only findings that name an activity read on that count are made.
 */
function constraints(party: PartyCode, activities: readonly Activity[], ctx: GroupContext): void {
  const counter = activities.find((a) => a.counted)?.counted?.by;
  const emit = (row: RuleRow, list: readonly Activity[], words: string, at: number, key?: string): void => {
    if (counter !== undefined && !list.some((a) => a.counted)) return;
    ctx.finding({
      rule: row,
      severity: 'violation',
      explanation: counter === undefined ? `${party} notified ${words}` : `on ${counter}'s count, ${party} carried out ${words}`,
      parties: counter === undefined ? [party] : [party, counter],
      evidence: evidenceOf(list),
      at,
      key: counter === undefined ? key : `count:${counter}${key === undefined ? '' : `:${key}`}`,
    });
  };
  const over = (row: RuleRow): string => `more than ${count(row.figures.troops)} troops or ${count(row.figures.battleTanks)} battle tanks`;

  const r1 = VD11.threeYears;
  const big = activities.filter((a) => meets(r1, a.forces));
  for (let j = 0; j < big.length; j++) {
    const yj = utcYear(big[j].start);
    const window = big.slice(0, j).filter((a) => yj - utcYear(a.start) < r1.figures.calendarYears);
    if (window.length < r1.figures.activities) continue;
    const list = [...window, big[j]];
    emit(r1, list, `${list.length} activities of ${over(r1)} within ${r1.figures.calendarYears} calendar years (${named(list, true)}); at most ${r1.figures.activities} is allowed`, shownAt(list));
  }

  for (const row of [VD11.perYear, VD11.perYearLarge]) {
    const byYear = new Map<number, Activity[]>();
    for (const a of activities) {
      if (!inBand(row, a.forces)) continue;
      for (let y = utcYear(a.start); y <= utcYear(a.end); y++) {
        const list = byYear.get(y);
        if (list) list.push(a);
        else byYear.set(y, [a]);
      }
    }
    for (const [y, list] of byYear) {
      if (list.length <= row.figures.activities) continue;
      const byNotice = list.map((a) => shownAt([a])).sort((p, q) => p - q);
      const band = `${over(row)}, and not ${over(r1)},`;
      emit(row, list, `${list.length} activities of ${band} under way in ${y} (${named(list)}); at most ${row.figures.activities} are allowed`, byNotice[row.figures.activities], String(y));
    }
  }

  const r3 = VD11.simultaneous;
  let active: Activity[] = [];
  for (const a of activities) {
    if (!meets(r3, a.forces)) continue;
    active = active.filter((x) => x.end >= a.start);
    active.push(a);
    if (active.length <= r3.figures.activities) continue;
    emit(r3, active, `${active.length} activities of ${over(r3)} under way at once on ${day(a.start)} (${named(active)}); at most ${r3.figures.activities} are allowed`, shownAt(active));
  }
}

/**
 * A report that names no notification: if what it counted is notifiable (§40.1),
 * the activity was never notified — unless notifications of the State (any version) cover part of
 * its period, in which case the report should have named one (warning).
 */
function unnamedReport(party: PartyCode, r: HeldEntry, notifications: readonly HeldEntry[], ctx: GroupContext): void {
  const b = r.body as unknown as ObserverReport;
  const figures = forcesOf(b.counted);
  const threshold = notifiableBy(figures);
  const start = parseTime(b.start);
  const end = parseTime(b.end);
  if (!threshold || start === undefined || end === undefined) return;
  const overlapping = notifications.filter((n) => {
    const nb = n.body as unknown as ActivityNotification;
    return (parseTime(nb.start) ?? Infinity) <= end && (parseTime(nb.end) ?? -Infinity) >= start;
  });
  const what = `${r.author}'s ${b.basis} counted ${describe(figures, crossingFields(threshold, figures))} of ${party} between ${day(start)} and ${day(end)}, notifiable under ${threshold.citation}`;
  ctx.finding({
    rule: VD11.observedNotNotified,
    severity: overlapping.length === 0 ? 'violation' : 'warning',
    explanation:
      overlapping.length === 0
        ? `${what}, and ${party} notified no activity then`
        : `${what}; the report names no notification, and ${overlapping.length} ${overlapping.length === 1 ? 'notification' : 'notifications'} of ${party} cover part of its period`,
    parties: [party, r.author],
    evidence: [r, ...overlapping].sort(compareHeld),
    at: r.t,
  });
}
