/**
 * The divergence report of a meeting: where the parties' readouts differ, computed from the
 * readouts a node holds — a pure function of those entries, byte-identical at every party
 * holding the same ones (everything is sorted; nothing depends on arrival order or the clock).
 *
 * Structured fields first, no guessing from prose:
 * - per agenda item, which readouts cover it (`in`) and which do not (`missingFrom`);
 * - `attributed-position`: a readout attributes a position to a party whose own readout states
 *   none on that item — unless the position is reserved (marked so in either readout, or by a
 *   talks.position of that party), which is agreed to be left aside, not a disagreement;
 * - `agreement-claimed`: a readout says something was agreed that another readout does not
 *   (compared as text, ignoring case and runs of white space);
 * - `not-discussed`: a readout says an item was not discussed that another recounts;
 * - `text`: the summaries of an item differ; `text` is a word-level diff, `[-words-]` only in the
 *   first party's readout and `{+words+}` only in the second's.
 *
 * Only readouts by parties whose delegation attended count, and of a party's readouts the latest
 * that no other amends (a corrected readout replaces the one it names; both stay in the record).
 * With fewer than two such readouts there is nothing to compare: the report says so in `note`
 * and lists no differences.
 */
import { diffWords } from 'diff';
import type { EntryId, PartyCode, RecordEntry } from '../types.js';
import type { Meeting, Position, Readout, ReadoutItem } from './schemas.js';

export type DifferenceKind = 'attributed-position' | 'agreement-claimed' | 'not-discussed' | 'text';

export interface Difference {
  kind: DifferenceKind;
  /** The party whose readout says it. */
  party: PartyCode;
  /** The party it differs from (or is about). */
  about: PartyCode;
  text: string;
}

export interface ItemDivergence {
  item: string;
  title: string;
  in: PartyCode[];
  missingFrom: PartyCode[];
  differences: Difference[];
}

export interface DivergenceReport {
  meeting: EntryId;
  /** The readout each party's report is read from; `amends` lists the earlier readouts it replaces. */
  readouts: { party: PartyCode; id: EntryId; amends?: EntryId[] }[];
  /** Present when fewer than two readouts are held: there is nothing to compare yet. */
  note?: string;
  items: ItemDivergence[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const recordOrder = (a: RecordEntry, b: RecordEntry): number => cmp(a.time, b.time) || cmp(a.author, b.author) || a.seq - b.seq || cmp(a.id, b.id);
const normal = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * A word-level diff of two texts (the `diff` package's word diff): common words as they are,
 * `[-…-]` for words only in `a`, `{+…+}` for words only in `b`. Deterministic, so every party
 * prints the same text for the same readouts.
 */
export function wordDiff(a: string, b: string): string {
  const out: string[] = [];
  for (const part of diffWords(a.trim().replace(/\s+/g, ' '), b.trim().replace(/\s+/g, ' '))) {
    const words = part.value.trim();
    if (!words) continue;
    out.push(part.removed ? `[-${words}-]` : part.added ? `{+${words}+}` : words);
  }
  return out.join(' ');
}

/** Each attending party's current readout of `meeting`: the latest that no other of its readouts amends. */
function currentReadouts(meeting: RecordEntry, entries: readonly RecordEntry[]): { party: PartyCode; entry: RecordEntry; body: Readout; amends: EntryId[] }[] {
  const attending = new Set((meeting.body as unknown as Meeting).delegations.map((d) => d.party));
  const byParty = new Map<PartyCode, RecordEntry[]>();
  for (const e of entries) {
    if (e.type !== 'talks.readout' || !e.body || (e.body as unknown as Readout).meeting !== meeting.id || !attending.has(e.author)) continue;
    const list = byParty.get(e.author) ?? [];
    list.push(e);
    byParty.set(e.author, list);
  }
  const out = [];
  for (const [party, list] of byParty) {
    list.sort(recordOrder);
    const amended = new Set(list.map((e) => (e.body as unknown as Readout).amends).filter((x): x is string => x !== undefined));
    const standing = list.filter((e) => !amended.has(e.id));
    const entry = standing.length ? standing[standing.length - 1] : list[list.length - 1];
    out.push({ party, entry, body: entry.body as unknown as Readout, amends: list.filter((e) => e !== entry).map((e) => e.id).sort(cmp) });
  }
  return out.sort((a, b) => cmp(a.party, b.party));
}

/** The report for meeting `meetingId` from `entries` (those a node holds), or undefined when the meeting is not held with its content. */
export function divergence(meetingId: EntryId, entries: Iterable<RecordEntry>): DivergenceReport | undefined {
  const all = [...entries];
  const meeting = all.find((e) => e.id === meetingId && e.type === 'talks.meeting' && e.body);
  if (!meeting) return undefined;
  const m = meeting.body as unknown as Meeting;
  const readouts = currentReadouts(meeting, all);
  // Reserved positions stated apart from the readouts: party → item keys (this meeting's, or standing ones).
  const reservedApart = new Set<string>();
  for (const e of all) {
    if (e.type !== 'talks.position' || !e.body) continue;
    const p = e.body as unknown as Position;
    if (p.reserved && (p.meeting === undefined || p.meeting === meetingId)) reservedApart.add(`${e.author}\u0000${p.item}`);
  }
  const compare = readouts.length >= 2;
  const items: ItemDivergence[] = [...m.agenda]
    .sort((a, b) => cmp(a.key, b.key))
    .map((a) => {
      const accounts = readouts.map((r) => ({ party: r.party, item: r.body.items.find((x) => x.key === a.key), notDiscussed: (r.body.notDiscussed ?? []).includes(a.key) }));
      const covering = accounts.filter((x) => x.item !== undefined) as { party: PartyCode; item: ReadoutItem }[];
      const differences: Difference[] = [];
      if (compare) {
        const own = new Map(covering.map((x) => [x.party, x.item]));
        const reserved = (party: PartyCode): boolean =>
          reservedApart.has(`${party}\u0000${a.key}`) || covering.some((x) => (x.item.positions ?? []).some((p) => p.party === party && p.reserved));
        for (const x of covering) {
          for (const p of x.item.positions ?? []) {
            if (p.party === x.party || !readouts.some((r) => r.party === p.party) || reserved(p.party)) continue;
            if ((own.get(p.party)?.positions ?? []).some((q) => q.party === p.party)) continue;
            differences.push({ kind: 'attributed-position', party: x.party, about: p.party, text: p.text });
          }
          for (const claim of x.item.agreed ?? []) {
            for (const other of readouts) {
              if (other.party === x.party) continue;
              if ((own.get(other.party)?.agreed ?? []).some((c) => normal(c) === normal(claim))) continue;
              differences.push({ kind: 'agreement-claimed', party: x.party, about: other.party, text: claim });
            }
          }
        }
        for (const x of accounts.filter((y) => y.notDiscussed)) {
          for (const c of covering) differences.push({ kind: 'not-discussed', party: x.party, about: c.party, text: `${x.party} says "${a.title}" was not discussed; ${c.party}'s readout recounts it` });
        }
        for (let i = 0; i < covering.length; i++) {
          for (let j = i + 1; j < covering.length; j++) {
            const [p, q] = [covering[i], covering[j]];
            if (normal(p.item.discussed) !== normal(q.item.discussed)) differences.push({ kind: 'text', party: p.party, about: q.party, text: wordDiff(p.item.discussed, q.item.discussed) });
          }
        }
      }
      differences.sort((d, e) => cmp(d.kind, e.kind) || cmp(d.party, e.party) || cmp(d.about, e.about) || cmp(d.text, e.text));
      return {
        item: a.key,
        title: a.title,
        in: covering.map((x) => x.party),
        missingFrom: accounts.filter((x) => x.item === undefined).map((x) => x.party),
        differences,
      };
    });
  const report: DivergenceReport = {
    meeting: meetingId,
    readouts: readouts.map((r) => (r.amends.length ? { party: r.party, id: r.entry.id, amends: r.amends } : { party: r.party, id: r.entry.id })),
    items,
  };
  if (!compare) {
    const note = readouts.length === 0 ? 'this node holds no readout of this meeting' : `this node holds only one readout of this meeting (${readouts[0].party}'s): nothing to compare, no divergence is claimed`;
    return { meeting: report.meeting, readouts: report.readouts, note, items };
  }
  return report;
}
