/**
 * The talks record's benchmark (issue 12):
 *
 * 1. The divergence report of one meeting with 50 agenda items and 5 readouts (one per attending
 *    party, each recounting most items in its own words, attributing positions, claiming
 *    agreements), median and p99 over repeated runs — beside serialising those readouts to JSON
 *    once, measured in the same run: the floor of merely reading every byte of them.
 * 2. The talks regime's share of a full evaluation of 100,000 entries: the regimes bench's
 *    synthetic Vienna Document record with a realistic mix of talks entries in place of some of
 *    its own (meetings and working-group sessions, readouts, positions, commitments, briefings,
 *    agreements setting briefing deadlines and working groups, joint statements), evaluated with
 *    every regime, with every regime but the talks record, and with the talks record alone —
 *    beside sorting the record alone.
 *
 * Not part of the regimes: this file reads the clock (performance.now) and, run directly, prints.
 *   node dist/bench/talks.js
 */
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sha256hex } from '../src/protocol/bytes.js';
import { evaluate } from '../src/regimes/engine.js';
import { REGIMES } from '../src/regimes/index.js';
import { divergence, talks } from '../src/regimes/talks/index.js';
import type { RecordEntry } from '../src/regimes/types.js';
import { OSCE_STATES, syntheticRecord } from './regimes.js';
import { median, percentile, prng } from './stats.js';

/** A full garbage collection between timed runs, where the runtime lets this process ask for one. */
const collect: () => void = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => {};
  }
})();

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

const WORDS = (
  'the parties discussed forces near the border and agreed that further contacts at the level of experts would continue ' +
  'while each side reserved its position on guarantees sanctions exercises transparency notification verification ' +
  'missiles deployment allies security concerns dialogue de-escalation withdrawal inspection observers calendar'
).split(' ');

/** Entries in record order with each author's seqs renumbered: one log per party. */
function asRecord(drafts: { id: string; author: string; t: number; type: string; to?: string[]; refs?: string[]; body: Record<string, unknown> }[]): RecordEntry[] {
  drafts.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
  const seqs = new Map<string, number>();
  return drafts.map((d) => {
    const seq = (seqs.get(d.author) ?? 0) + 1;
    seqs.set(d.author, seq);
    return { id: d.id, author: d.author, seq, time: iso(d.t), type: d.type, to: d.to ?? ['*'], refs: d.refs ?? [], body: d.body };
  });
}

/** A meeting of 5 delegations with `items` agenda items and one readout per party, deterministic for a seed. */
export function bigMeeting(items = 50, parties = 5, seed = 12): { meeting: string; entries: RecordEntry[] } {
  const rnd = prng(seed);
  const codes = ['USA', 'RUS', 'UKR', 'POL', 'DEU'].slice(0, parties);
  const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ');
  const t0 = Date.UTC(2022, 0, 12, 9);
  let n = 0;
  const id = () => sha256hex(Buffer.from(`talks-bench:${seed}:${n++}`));
  const agenda = Array.from({ length: items }, (_, i) => ({ key: `item-${i}`, title: `Item ${i}: ${sentence(4)}`, concerns: codes.filter(() => rnd() < 0.6) }));
  const meeting = {
    id: id(),
    author: codes[0],
    t: t0,
    type: 'talks.meeting',
    body: {
      title: 'Council session',
      format: 'consultations',
      at: iso(t0),
      channel: 'Brussels',
      delegations: codes.map((party) => ({ party, members: [{ name: `Head of the ${party} delegation`, role: 'head of delegation' }] })),
      agenda,
    },
  };
  // A shared account of each item that every readout varies: most words in common, as real readouts have.
  const common = agenda.map(() => sentence(40));
  const readouts = codes.map((author, k) => {
    const covered = agenda.filter(() => rnd() < 0.9);
    const notDiscussed = agenda.filter((a) => !covered.includes(a) && rnd() < 0.5).map((a) => a.key);
    return {
      id: id(),
      author,
      t: t0 + (k + 1) * HOUR,
      type: 'talks.readout',
      refs: [meeting.id],
      body: {
        meeting: meeting.id,
        language: 'en',
        items: covered.map((a) => {
          const words = common[agenda.indexOf(a)].split(' ').map((w) => (rnd() < 0.15 ? WORDS[Math.floor(rnd() * WORDS.length)] : w));
          return {
            key: a.key,
            discussed: words.join(' '),
            positions: codes.filter(() => rnd() < 0.4).map((party) => ({ party, text: sentence(12), ...(rnd() < 0.1 ? { reserved: true } : {}) })),
            agreed: rnd() < 0.3 ? [sentence(8), ...(rnd() < 0.5 ? [sentence(6)] : [])] : [],
          };
        }),
        notDiscussed,
      },
    };
  });
  return { meeting: meeting.id, entries: asRecord([meeting, ...readouts]) };
}

export interface DivergenceBench {
  items: number;
  readouts: number;
  differences: number;
  runs: number;
  medianMs: number;
  p99Ms: number;
  /** JSON.stringify of the meeting and its readouts, median, ms: the floor of reading them once. */
  serialiseMs: number;
}

export function benchDivergence(runs = 200): DivergenceBench {
  const { meeting, entries } = bigMeeting();
  let report = divergence(meeting, entries)!;
  for (let i = 0; i < 5; i++) report = divergence(meeting, entries)!;
  const times: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    report = divergence(meeting, entries)!;
    times.push(performance.now() - t0);
    const t1 = performance.now();
    JSON.stringify(entries);
    floor.push(performance.now() - t1);
  }
  return {
    items: report.items.length,
    readouts: report.readouts.length,
    differences: report.items.reduce((s, x) => s + x.differences.length, 0),
    runs,
    medianMs: median(times),
    p99Ms: percentile(times, 99),
    serialiseMs: median(floor),
  };
}

/**
 * Talks entries among the OSCE States over `years` from `firstYear`, about `target` of them:
 * 20 working groups agreed by their members (2–4 States, a cadence of 30–120 days) that meet
 * roughly on time (a few lapses); meetings of 2–4 delegations with 3–8 agenda items, each with a
 * readout per attending party (90 %), a standing position (30 %), a commitment (30 %, a third of
 * them with a cadence), briefings of the concerned parties that did not attend (70 %); agreed
 * briefing deadlines for 30 pairs; joint statements (20 % of meetings), endorsed by all but a few.
 */
export function talksEntries(target: number, years = 10, firstYear = 2013, seed = 12): RecordEntry[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const some = (k: number, exclude: string[] = []): string[] => {
    const out = new Set<string>();
    while (out.size < k) {
      const p = pick(OSCE_STATES);
      if (!exclude.includes(p)) out.add(p);
    }
    return [...out].sort();
  };
  const start = Date.UTC(firstYear, 0, 1);
  const end = start + years * 365 * DAY;
  type Draft = { id: string; author: string; t: number; type: string; refs?: string[]; body: Record<string, unknown> };
  const drafts: Draft[] = [];
  let n = 0;
  const push = (author: string, t: number, type: string, body: Record<string, unknown>, refs: string[] = []): Draft => {
    const d = { id: sha256hex(Buffer.from(`talks-mix:${seed}:${n++}`)), author, t: Math.round(t), type, refs, body };
    drafts.push(d);
    return d;
  };
  const agree = (parties: string[], t: number, terms: Record<string, unknown>, title: string) => {
    const body = { title, parties, terms, effective: iso(t) };
    const p = push(parties[0], t, 'agreement.proposal', body);
    for (const [i, q] of parties.slice(1).entries()) push(q, t + (i + 1) * HOUR, 'agreement.endorsement', { proposal: p.id, parties, terms, effective: body.effective }, [p.id]);
  };
  const meetingBody = (title: string, format: string, at: number, attending: string[], extra: Record<string, unknown> = {}) => {
    const others = some(1 + Math.floor(rnd() * 2), attending);
    return {
      title,
      format,
      at: iso(at),
      channel: 'Vienna',
      delegations: attending.map((party) => ({ party, members: [{ name: `Head of the ${party} delegation`, role: 'head of delegation' }] })),
      agenda: Array.from({ length: 3 + Math.floor(rnd() * 6) }, (_, i) => ({ key: `item-${i}`, title: `Item ${i}`, concerns: rnd() < 0.5 ? [...attending, ...others] : attending })),
      ...extra,
    };
  };
  // What follows a meeting: readouts, positions, a commitment, briefings, a statement.
  const aftermath = (m: Draft, attending: string[]) => {
    const at = m.t;
    const body = m.body as { agenda: { key: string; concerns: string[] }[] };
    for (const p of attending) {
      if (rnd() < 0.9) push(p, at + rnd() * 2 * DAY, 'talks.readout', { meeting: m.id, language: 'en', items: body.agenda.map((a) => ({ key: a.key, discussed: `${p} on ${a.key}: contacts continue.`, positions: [{ party: p, text: 'Our position stands.' }] })) }, [m.id]);
      if (rnd() < 0.3) push(p, at + rnd() * DAY, 'talks.position', { item: body.agenda[0].key, meeting: m.id, text: 'We reserve our position.', reserved: true }, [m.id]);
      const concerned = [...new Set(body.agenda.flatMap((a) => a.concerns))].filter((q) => !attending.includes(q));
      if (concerned.length && rnd() < 0.7) {
        const when = at + rnd() * 72 * HOUR;
        push(p, when, 'talks.briefing', { meeting: m.id, briefed: concerned, at: iso(when) }, [m.id]);
      }
    }
    if (rnd() < 0.3) {
      const cadence = rnd() < 0.33;
      const c = push(attending[0], at + HOUR, 'talks.commitment', {
        meeting: m.id,
        what: 'Continue contacts at expert level',
        owners: attending,
        ...(cadence ? { cadence: { everyDays: 90, until: iso(at + 365 * DAY) } } : { due: iso(at + (20 + rnd() * 60) * DAY) }),
        fulfilledBy: { type: 'note' },
      }, [m.id]);
      for (const p of attending) if (rnd() < 0.8) push(p, at + rnd() * 80 * DAY, 'note', { subject: 'Contacts', text: 'continued' }, [c.id]);
    }
    if (rnd() < 0.2) {
      const text = 'The parties will continue contacts.';
      const st = push(attending[0], at + 3 * HOUR, 'agreement.proposal', { title: 'Joint statement', text, parties: attending, terms: {}, effective: iso(at) }, [m.id]);
      for (const p of attending.slice(1)) if (rnd() < 0.9) push(p, at + 6 * HOUR, 'agreement.endorsement', { proposal: st.id, parties: attending, terms: {}, effective: iso(at), text }, [st.id]);
    }
  };

  // Agreed briefing deadlines for 30 pairs, in force from the start.
  for (let i = 0; i < 30; i++) agree(some(2), start + rnd() * 30 * DAY, { talks: { briefingHours: 24 + Math.floor(rnd() * 48) } }, 'Briefing terms');
  // 20 working groups, meeting about on cadence until the record's end.
  for (let g = 0; g < 20; g++) {
    const members = some(2 + Math.floor(rnd() * 3));
    const cadenceDays = 30 + Math.floor(rnd() * 91);
    const id = `group-${g}`;
    const from = start + rnd() * 365 * DAY;
    agree(members, from, { talks: { groups: { [id]: { members, cadenceDays } } } }, `Working group ${g}`);
    for (let t = from + cadenceDays * DAY * (0.5 + rnd() * 0.6); t < end && drafts.length < target; t += cadenceDays * DAY * (0.6 + rnd() * 0.5)) {
      const m = push(members[0], t, 'talks.meeting', meetingBody(`Working group ${g}`, 'working-group', t, members, { group: id }));
      aftermath(m, members);
    }
  }
  // Meetings of every other format until the target.
  while (drafts.length < target) {
    const t = start + rnd() * (end - start);
    const attending = some(2 + Math.floor(rnd() * 3));
    const m = push(attending[0], t, 'talks.meeting', meetingBody('Consultations', pick(['summit', 'videoconference', 'consultations']), t, attending));
    aftermath(m, attending);
  }
  return asRecord(drafts);
}

export interface TalksShareBench {
  entries: number;
  runs: number;
  talksEntries: number;
  /** Full evaluation with every regime, without the talks record, and of the talks record alone: medians, ms. */
  allMs: number;
  withoutTalksMs: number;
  /** Median over interleaved pairs of (every regime − every regime but talks), ms. */
  shareMs: number;
  /** The talks record alone: the engine still holds and indexes every entry of the record. */
  talksAloneMs: number;
  sortFloorMs: number;
  talksObligations: number;
  talksFindings: number;
}

/** A 100,000-entry record with `share` of it talks entries, evaluated three ways. */
export function benchTalksShare(total = 100_000, talksShare = 0.05, runs = 7): TalksShareBench {
  const mix = talksEntries(Math.round(total * talksShare));
  const vd = syntheticRecord({ entries: total - mix.length });
  const record = asRecord([...vd, ...mix].map((e) => ({ id: e.id, author: e.author, t: Date.parse(e.time), type: e.type!, to: e.to, refs: e.refs, body: e.body! })));
  const at = Date.parse(record[record.length - 1].time) + 1;
  const without = REGIMES.filter((r) => r.id !== talks.id);
  const time = (fn: () => unknown): number => {
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      fn();
      xs.push(performance.now() - t0);
    }
    return median(xs);
  };
  const once = (fn: () => unknown): number => {
    collect();
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const sortFloorMs = time(() => [...record].reverse().map((e) => Date.parse(e.time)).sort((a, b) => a - b));
  const alone = evaluate([talks], record, at);
  // Interleaved pairs, so that a burst of load on a shared machine hits both sides of a pair alike;
  // the share is the median of the pairs' differences.
  const all: number[] = [];
  const rest: number[] = [];
  const share: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternating which side goes first, after a collection each: neither pays for the other's garbage.
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      a = once(() => evaluate(REGIMES, record, at));
      b = once(() => evaluate(without, record, at));
    } else {
      b = once(() => evaluate(without, record, at));
      a = once(() => evaluate(REGIMES, record, at));
    }
    all.push(a);
    rest.push(b);
    share.push(a - b);
  }
  const talksAloneMs = time(() => evaluate([talks], record, at));
  return {
    entries: record.length,
    talksEntries: mix.length,
    runs,
    allMs: median(all),
    withoutTalksMs: median(rest),
    shareMs: median(share),
    talksAloneMs,
    sortFloorMs,
    talksObligations: alone.obligations.length,
    talksFindings: alone.findings.length,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const d = benchDivergence();
  const f = (x: number, digits = 1) => x.toFixed(digits);
  console.log(`divergence report, ${d.items} items × ${d.readouts} readouts (${d.differences} differences): ${f(d.medianMs, 2)} ms median, ${f(d.p99Ms, 2)} ms p99 over ${d.runs} runs (serialising the readouts alone ${f(d.serialiseMs, 3)} ms)`);
  const s = benchTalksShare();
  console.log(`full evaluation, ${s.entries} entries of which ${s.talksEntries} talks: every regime ${f(s.allMs, 0)} ms, without talks ${f(s.withoutTalksMs, 0)} ms (talks share ${f(s.shareMs, 0)} ms), talks alone ${f(s.talksAloneMs, 0)} ms (${s.talksObligations} obligations, ${s.talksFindings} findings); sorting the record alone ${f(s.sortFloorMs, 0)} ms`);
}
