/**
 * A partial record never convicts. Every node holds every stub but only the contents addressed to
 * it; over random records of several parties' Vienna Document requests and replies, notifications
 * and reports, hotline messages, acknowledgements and link tests, and talks meetings, commitments,
 * fulfilments, briefings and readouts, missile visit requests, replies, reports, countersignatures
 * and disputes, and incident reports, replies, hazard notices and requests for consultations — addressed at random, to all or to some, as the catalogue
 * asks and as it refuses (an older record, a node that did not check) — the findings of a node
 * holding stubs of the entries not addressed to it are among the findings on every content, and a
 * violation about entries it reads is the very finding every content gives: no node finds a lapse
 * on an entry it cannot read, and none misses one it can judge. Where what a commitment names is
 * only a stub to it, it says so.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from './engine.js';
import { evaluateAll } from './index.js';
import { RecordBuilder } from '../../test/support/record.js';
import { prng } from '../../bench/stats.js';
import { explanationRequestBody, inspectionRequestBody, notificationBody, participation, reportBody, calendarBody, annualExchangeBody } from '../../test/support/vienna-bodies.js';
import type { Finding, RecordEntry } from './types.js';

const PARTIES = ['USA', 'RUS', 'UKR', 'BLR', 'POL'];
const BASE = Date.UTC(2022, 0, 1);
const iso = (t: number): string => new Date(t).toISOString();

/** A random record of `size` entries (after the agreements), addressed at random. */
function randomRecord(seed: number, size: number): RecordEntry[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const others = (p: string): string[] => PARTIES.filter((x) => x !== p);
  const some = (xs: readonly string[]): string[] => {
    const out = xs.filter(() => rnd() < 0.5);
    return out.length ? out : [pick(xs)];
  };
  /** To all half the time; otherwise to some parties, with `must` among them or not. */
  const to = (author: string, must: readonly string[] = []): string[] => (rnd() < 0.5 ? ['*'] : [...new Set([...(rnd() < 0.7 ? must : []), ...some(others(author))])].filter((p) => p !== author));
  const r = new RecordBuilder(`p${seed}:`);
  const by = new Map<string, RecordEntry[]>();
  const of = (type: string): RecordEntry[] => by.get(type) ?? [];
  const add = (author: string, t: number, type: string, body: object, addressed: string[], refs: string[] = []): RecordEntry => {
    const e = r.add(author, t, type, body, { to: addressed.length ? addressed : ['*'], refs });
    by.set(type, [...of(type), e]);
    return e;
  };
  const time = (): number => BASE + Math.floor(rnd() * 200) * DAY + Math.floor(rnd() * 24) * HOUR;
  const after = (e: RecordEntry, spread: number): number => Date.parse(e.time) + Math.floor(rnd() * spread);

  // Agreements: the Vienna Document's participants; USA and UKR brief within 48 hours; USA and RUS meet every 30 days in a working group.
  participation(r, ['USA', 'RUS', 'UKR', 'BLR'], BASE - 30 * DAY);
  for (const terms of [{ talks: { briefingHours: 48 } }, { talks: { groups: { ss: { members: ['RUS', 'USA'], cadenceDays: 30 } } } }]) {
    const parties = 'briefingHours' in terms.talks ? ['USA', 'UKR'] : ['USA', 'RUS'];
    const body = { title: 'Talks terms', parties, terms, effective: iso(BASE - 20 * DAY) };
    const p = r.add(parties[0], BASE - 25 * DAY, 'agreement.proposal', body);
    r.add(parties[1], BASE - 25 * DAY + HOUR, 'agreement.endorsement', { proposal: p.id, parties, terms, effective: body.effective }, { refs: [p.id] });
  }
  // Missile visits between USA and RUS, to a site each declares (to all: every party reads its name).
  const missilesTerms = { missiles: { visitsPerYear: 2, noticeHours: 72, replyHours: 24, visitHours: 24, reportHours: 72, acknowledgeHours: 48 } };
  const mp = r.add('USA', BASE - 25 * DAY, 'agreement.proposal', { title: 'Missile transparency', parties: ['USA', 'RUS'], terms: missilesTerms, effective: iso(BASE - 20 * DAY) });
  r.add('RUS', BASE - 25 * DAY + HOUR, 'agreement.endorsement', { proposal: mp.id, parties: ['USA', 'RUS'], terms: missilesTerms, effective: iso(BASE - 20 * DAY) }, { refs: [mp.id] });
  const sites = new Map(
    ['USA', 'RUS'].map((p, n) => [p, r.add(p, BASE - 15 * DAY, 'missiles.site', { site: `s-${p.toLowerCase()}`, name: `Site ${p}`, position: [40 - 20 * n, 50], launchers: [{ type: 'L', count: 4 }], systems: [{ name: 'S', kind: 'cruise', rangeKm: 400, present: true }] })]),
  );
  const square = { type: 'Polygon', coordinates: [[[32, 42], [35, 42], [35, 44], [32, 44], [32, 42]]] };
  /** Every party holding `e`, but the author: those an answer to it must reach ("*" dropped: `to` picks it half the time). */
  const holders = (e: RecordEntry, author: string): string[] => [e.author, ...e.to!].filter((p) => p !== '*' && p !== author);
  /** Missile visits and incidents at sea (one draw in three). */
  const visitsAndIncidents = (a: string, b: string, k: number): void => {
    if (k < 0.12) {
      const visitor = pick(['USA', 'RUS']);
      const host = visitor === 'USA' ? 'RUS' : 'USA';
      const t = time();
      add(visitor, t, 'missiles.visit.request', { host, declaration: sites.get(host)!.id, arrival: iso(t + (rnd() < 0.8 ? 80 : 20) * HOUR), team: 5 }, to(visitor, [host]), [sites.get(host)!.id]);
    } else if (k < 0.26) {
      const q = of('missiles.visit.request').length ? pick(of('missiles.visit.request')) : undefined;
      if (!q) return;
      const host = q.body!.host as string;
      const start = Date.parse(q.body!.arrival as string);
      const body = rnd() < 0.6 ? { request: q.id, accepted: true, window: { start: iso(start), end: iso(start + pick([12, 24]) * HOUR) } } : { request: q.id, accepted: false, reason: 'Not now' };
      add(host, after(q, 40 * HOUR), 'missiles.visit.reply', body, to(host, holders(q, host)), [q.id]);
    } else if (k < 0.36) {
      const q = of('missiles.visit.request').length ? pick(of('missiles.visit.request')) : undefined;
      if (!q) return;
      const start = Date.parse(q.body!.arrival as string);
      add(q.author, after(q, 8 * DAY), 'missiles.visit.report', { request: q.id, onSite: { start: iso(start), end: iso(start + 8 * HOUR) }, checked: [], outcome: pick(['consistent', 'not-consistent', 'not-held']), observations: 'Seen' }, to(q.author, holders(q, q.author)), [q.id]);
    } else if (k < 0.44) {
      const rp = of('missiles.visit.report').length ? pick(of('missiles.visit.report')) : undefined;
      if (!rp) return;
      const host = rp.author === 'USA' ? 'RUS' : 'USA';
      const type = rnd() < 0.5 ? 'missiles.report.countersign' : 'missiles.report.dispute';
      add(host, after(rp, 3 * DAY), type, type.endsWith('dispute') ? { report: rp.id, reason: 'No' } : { report: rp.id }, to(host, holders(rp, host)), [rp.id]);
    } else if (k < 0.6) {
      const at = time();
      const inside = rnd() < 0.7;
      add(a, at + HOUR, 'incidents.report', { at: iso(at), position: { lat: inside ? 43 : 40, lon: 33 }, region: 'Black Sea', units: [{ party: a, kind: 'ship', id: 'A-1' }, { party: b, kind: 'ship', id: 'B-1' }], categories: [pick(['close-approach', 'live-firing', 'missile-launch'])], narrative: 'Seen.' }, to(a));
    } else if (k < 0.76) {
      const rp = of('incidents.report').length ? pick(of('incidents.report')) : undefined;
      if (!rp) return;
      const debtor = pick((rp.body!.units as { party: string }[]).map((u) => u.party).filter((p) => p !== rp.author));
      add(debtor, after(rp, 9 * DAY), 'incidents.reply', { about: rp.id, stance: 'disputed', narrative: 'No.' }, to(debtor, holders(rp, debtor)), [rp.id]);
    } else if (k < 0.9) {
      const from = time();
      add(a, from - Math.floor(rnd() * 5) * DAY, 'incidents.hazard', { activity: pick(['live-firing', 'missile-launch']), area: square, from: iso(from), until: iso(from + 20 * DAY), narrative: 'Firing.' }, to(a));
    } else {
      const c = add(a, time(), 'incidents.consultation', { parties: some(others(a)), subject: 'Intercepts' }, to(a));
      if (rnd() < 0.7) {
        const debtor = pick(c.body!.parties as string[]);
        add(debtor, after(c, 4 * DAY), 'incidents.reply', { about: c.id, stance: 'accepted', narrative: 'Agreed.' }, to(debtor, holders(c, debtor)), [c.id]);
      }
    }
  };

  const meetingBody = (author: string, at: number, group?: string): Record<string, unknown> => {
    const delegations = [...new Set([author, ...some(others(author))])];
    return {
      title: `Meeting ${Math.floor(rnd() * 1000)}`,
      format: group ? 'working-group' : 'videoconference',
      ...(group ? { group } : {}),
      at: iso(at),
      delegations: delegations.map((party) => ({ party, members: [{ name: 'Head', role: 'head of delegation' }] })),
      agenda: [{ key: 'item', title: 'Item', concerns: some(PARTIES) }],
    };
  };

  for (let i = 0; i < size; i++) {
    const a = pick(PARTIES);
    const b = pick(others(a));
    const k = rnd();
    if (rnd() < 1 / 3) {
      visitsAndIncidents(a, b, k);
    } else if (k < 0.1) {
      add(a, time(), 'vd.explanation.request', explanationRequestBody(b), to(a, [b]));
    } else if (k < 0.18) {
      const q = of('vd.explanation.request').length ? pick(of('vd.explanation.request')) : undefined;
      if (q) add(rnd() < 0.9 ? (q.body!.respondingState as string) : a, after(q, 72 * HOUR), 'vd.explanation.reply', { explanation: 'Scheduled exercises' }, to(q.body!.respondingState as string, [q.author]), [q.id]);
    } else if (k < 0.25) {
      add(a, time(), 'vd.inspection.request', inspectionRequestBody(b), to(a, [b]));
    } else if (k < 0.33) {
      const q = of('vd.inspection.request').length ? pick(of('vd.inspection.request')) : undefined;
      if (q) {
        const receiving = q.body!.receivingState as string;
        const body = rnd() < 0.7 ? { accepted: true, pointOfEntry: 'Minsk', entryTime: iso(after(q, 45 * HOUR)) } : { accepted: false, reason: 'Quota' };
        add(receiving, after(q, 40 * HOUR), 'vd.inspection.reply', body, to(receiving, [q.author]), [q.id]);
      }
    } else if (k < 0.38) {
      const start = time() + 30 * DAY;
      add(a, time(), 'vd.activity.notification', notificationBody({ start: iso(start), end: iso(start + 5 * DAY), troops: pick([9000, 13_000, 30_000]) }), rnd() < 0.8 ? ['*'] : some(others(a)));
    } else if (k < 0.42) {
      const n = rnd() < 0.5 && of('vd.activity.notification').length ? pick(of('vd.activity.notification')) : undefined;
      const observed = n ? n.author : b;
      const start = n ? Date.parse(n.body!.start as string) : time();
      add(observed === a ? b : a, n ? after(n, 40 * DAY) : time(), 'vd.observer.report', reportBody({ observedState: observed, ...(n ? { notification: n.id } : {}), start: iso(start), end: iso(start + DAY), counted: { troops: pick([9000, 20_000, 45_000]) } }), rnd() < 0.8 ? ['*'] : [b]);
    } else if (k < 0.45) {
      if (rnd() < 0.5) add(a, Date.UTC(2022, 9, 1) + Math.floor(rnd() * 60) * DAY, 'vd.calendar', calendarBody(2023), rnd() < 0.8 ? ['*'] : [b]);
      else add(a, Date.UTC(2022, 10, 1) + Math.floor(rnd() * 60) * DAY, 'vd.annual-exchange', annualExchangeBody(2023, 10), rnd() < 0.8 ? ['*'] : [b]);
    } else if (k < 0.52) {
      add(a, time(), 'hotline.message', { priority: pick(['flash', 'immediate', 'routine']), subject: 'Status', text: 'Confirm.', language: 'en' }, some(others(a)));
    } else if (k < 0.6) {
      const m = of('hotline.message').length ? pick(of('hotline.message')) : undefined;
      if (m) {
        const debtor = pick(m.to!);
        add(debtor, after(m, 40 * 60_000), 'hotline.ack', {}, to(debtor, [m.author, ...m.to!.filter((p) => p !== debtor)]), [m.id]);
      }
    } else if (k < 0.63) {
      add(a, time(), 'link.test', { n: i + 1 }, rnd() < 0.8 ? ['*'] : [b]);
    } else if (k < 0.7) {
      const t = time();
      const group = rnd() < 0.3 ? 'ss' : undefined;
      add(a, t, 'talks.meeting', meetingBody(a, t - HOUR, group), to(a));
    } else if (k < 0.76) {
      const m = of('talks.meeting').length ? pick(of('talks.meeting')) : undefined;
      if (m) {
        const delegations = (m.body!.delegations as { party: string }[]).map((d) => d.party);
        add(m.author, after(m, 2 * DAY), 'talks.commitment', { meeting: m.id, what: 'Report back', owners: some(delegations), due: iso(after(m, 20 * DAY)), fulfilledBy: { type: rnd() < 0.6 ? 'note' : 'talks.meeting' } }, to(m.author, m.to!.includes('*') ? [] : m.to!), [m.id]);
      }
    } else if (k < 0.84) {
      const c = of('talks.commitment').length ? pick(of('talks.commitment')) : undefined;
      if (c) {
        const owner = pick(c.body!.owners as string[]);
        const t = after(c, 25 * DAY);
        const type = (c.body!.fulfilledBy as { type: string }).type;
        const body = type === 'note' ? { subject: 'Report', text: 'Done' } : meetingBody(owner, t, rnd() < 0.5 ? 'ss' : undefined);
        add(owner, t, type, body, to(owner, [c.author, ...c.to!]), [c.id]);
      }
    } else if (k < 0.9) {
      const m = of('talks.meeting').length ? pick(of('talks.meeting')) : undefined;
      if (m) {
        const author = pick((m.body!.delegations as { party: string }[]).map((d) => d.party));
        const briefed = some(others(author));
        add(author, after(m, 60 * HOUR), 'talks.briefing', { meeting: m.id, briefed, at: iso(after(m, 50 * HOUR)) }, to(author, [m.author, ...m.to!]), [m.id]);
      }
    } else if (k < 0.94) {
      const m = of('talks.meeting').length ? pick(of('talks.meeting')) : undefined;
      if (m) add(a, after(m, 5 * DAY), 'talks.readout', { meeting: m.id, language: 'en', items: [{ key: 'item', discussed: 'Talked.' }] }, to(a), [m.id]);
    } else {
      // What every node writes all the time: receipts to one party (a stub to every other).
      add(a, time(), 'receipt', { of: b, upto: 1, head: '0'.repeat(64) }, [b]);
    }
  }
  return r.entries;
}

describe('a partial record never convicts', () => {
  it('a node\'s findings on what it holds are among the findings on every content, and a violation about what it reads is the same finding', () => {
    let withheld = 0;
    let judged = 0;
    const judgedIn = new Map<string, number>();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 30, max: 160 }), (seed, size) => {
        const record = randomRecord(seed, size);
        const at = BASE + 260 * DAY;
        const whole = evaluateAll(record, at);
        const wholeIds = new Set(whole.findings.map((f) => f.id));
        for (const party of PARTIES) {
          const view = RecordBuilder.heldBy(record, party);
          const readable = new Set(view.filter((e) => e.type !== undefined).map((e) => e.id));
          withheld += view.length - readable.size;
          const part = evaluateAll(view, at);
          // Nothing found here that every content does not show: no finding rests on what this node cannot read.
          for (const f of part.findings) expect(wholeIds.has(f.id), `${party} finds what every content does not show: ${f.rule} ${f.explanation}`).toBe(true);
          // And every violation about entries this node reads, it finds as every content does.
          const mine = new Map(part.findings.map((f) => [f.id, f]));
          for (const f of whole.findings.filter((x: Finding) => x.severity === 'violation' && x.evidence.every((id) => readable.has(id)))) {
            judged++;
            const regime = f.rule.slice(0, f.rule.indexOf('.'));
            judgedIn.set(regime, (judgedIn.get(regime) ?? 0) + 1);
            expect(mine.get(f.id), `${party} misses ${f.rule}: ${f.explanation}`).toEqual(f);
          }
          // A commitment whose deciding meeting this node holds only as a stub: it says what it cannot read.
          for (const c of view.filter((e) => e.type === 'talks.commitment')) {
            const m = view.find((e) => e.id === c.body!.meeting);
            if (m && m.type === undefined) {
              expect(part.findings.some((f) => f.rule === 'talks.commitment' && f.severity === 'info' && f.evidence[0] === c.id && f.explanation.includes('every party holding the commitment can read'))).toBe(true);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
    // The runs withheld contents and judged violations (the property is not vacuous).
    expect(withheld).toBeGreaterThan(100);
    expect(judged).toBeGreaterThan(20);
    for (const regime of ['missiles', 'incidents']) expect(judgedIn.get(regime) ?? 0, regime).toBeGreaterThan(5);
  });
});
