/**
 * What `parley talks list|statements` and GET /api/v1/talks… show: the meetings held with what
 * refers to them, and the joint statements with who has endorsed them — pure functions of the
 * entries a node holds, sorted, the same at every party holding the same entries.
 */
import { AgreementBook } from '../agreement/index.js';
import { holdEntry, isoTime } from '../engine.js';
import type { EntryId, PartyCode, RecordEntry } from '../types.js';
import type { Meeting } from './schemas.js';

export interface MeetingSummary {
  id: EntryId;
  title: string;
  at: string;
  /** The parties whose delegations attended. */
  parties: PartyCode[];
  /** Every readout of it held, amended ones too. */
  readouts: EntryId[];
  /** The joint statements that refer to it. */
  statements: EntryId[];
  commitments: EntryId[];
}

export interface StatementStatus {
  id: EntryId;
  title: string;
  /** The meeting it refers to, if any. */
  meeting?: EntryId;
  signatories: PartyCode[];
  endorsed: PartyCode[];
  missing: PartyCode[];
  /** When the last signatory endorsed it, or null. */
  adopted: string | null;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const isStatement = (e: RecordEntry): boolean => e.type === 'agreement.proposal' && !!e.body && Object.keys((e.body.terms ?? {}) as object).length === 0;

/** The meetings held, by time then id. */
export function talksList(entries: Iterable<RecordEntry>): MeetingSummary[] {
  const all = [...entries];
  const meetings = all.filter((e) => e.type === 'talks.meeting' && e.body);
  const about = (e: RecordEntry): string | undefined => (typeof e.body?.meeting === 'string' ? (e.body.meeting as string) : undefined);
  return meetings
    .map((e) => {
      const m = e.body as unknown as Meeting;
      const of = (type: string) => all.filter((x) => x.type === type && about(x) === e.id).map((x) => x.id).sort(cmp);
      return {
        id: e.id,
        title: m.title,
        at: isoTime(Date.parse(m.at)),
        parties: m.delegations.map((d) => d.party).sort(cmp),
        readouts: of('talks.readout'),
        statements: all.filter((x) => isStatement(x) && (x.refs ?? []).includes(e.id)).map((x) => x.id).sort(cmp),
        commitments: of('talks.commitment'),
      };
    })
    .sort((a, b) => cmp(a.at, b.at) || cmp(a.id, b.id));
}

/** The joint statements held (agreement proposals that set no terms), in record order, with their endorsements. */
export function talksStatements(entries: Iterable<RecordEntry>): StatementStatus[] {
  const all = [...entries];
  const meetings = new Set(all.filter((e) => e.type === 'talks.meeting').map((e) => e.id));
  const book = new AgreementBook();
  for (const e of all) if (e.body) book.add(holdEntry(e));
  return book
    .states()
    .filter((s) => isStatement(s.proposal.entry))
    .map((s) => {
      const signatories = [...s.body.parties].sort(cmp);
      const meeting = s.proposal.refs.find((r) => meetings.has(r));
      const out: StatementStatus = {
        id: s.proposal.id,
        title: s.body.title,
        signatories,
        endorsed: signatories.filter((p) => s.endorsedBy.has(p)),
        missing: signatories.filter((p) => !s.endorsedBy.has(p)),
        adopted: s.adopted ? isoTime(s.adopted.adoptedAt) : null,
      };
      return meeting ? { id: out.id, title: out.title, meeting, signatories, endorsed: out.endorsed, missing: out.missing, adopted: out.adopted } : out;
    });
}
