/**
 * A partial record never convicts. Every node holds every stub but only the contents addressed to
 * it; over random records of several parties' Vienna Document requests and replies, notifications
 * and reports, hotline messages, acknowledgements and link tests, and talks meetings, commitments,
 * fulfilments, briefings and readouts — addressed at random, to all or to some, as the catalogue
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
    if (k < 0.1) {
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
  });
});
