/**
 * What `parley incidents list`, `parley encounters` and GET /api/v1/incidents|encounters show: the
 * incident reports held with their replies, and the close encounters in the shared tracks held —
 * pure functions of the entries a node holds, sorted, the same at every party holding the same ones.
 * Terms are those of the agreements adopted in the entries given.
 */
import { AgreementBook } from '../agreement/index.js';
import { holdEntry, isoTime } from '../engine.js';
import type { EntryId, PartyCode, RecordEntry } from '../types.js';
import { allEncounters, type EncounterView, type TracksEntry } from './encounters.js';
import { INCIDENTS_TERMS, type ResolvedIncidentsTerms } from './rules.js';
import { CONSULTATION, REPLY, REPORT, TRACKS, type Consultation, type Reply, type Report } from './schemas.js';
import type { TracksBody } from './tracks.js';

export interface IncidentSummary extends Report {
  id: EntryId;
  author: PartyCode;
  /** Header time: when it was reported. */
  reported: string;
  /** The replies held, in record order: who, stance, entry id. */
  replies: { party: PartyCode; id: EntryId; stance?: string }[];
  /** The requests for consultations about it. */
  consultations: EntryId[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const recordOrder = (a: RecordEntry, b: RecordEntry): number => cmp(a.time, b.time) || cmp(a.author, b.author) || a.seq - b.seq || cmp(a.id, b.id);

/** The incident reports held, by incident time then id. */
export function incidentsList(entries: Iterable<RecordEntry>): IncidentSummary[] {
  const all = [...entries].sort(recordOrder);
  return all
    .filter((e) => e.type === REPORT && e.body)
    .map((e) => {
      const r = e.body as unknown as Report;
      const out: IncidentSummary = {
        id: e.id,
        author: e.author,
        reported: isoTime(Date.parse(e.time)),
        at: isoTime(Date.parse(r.at)),
        position: r.position,
        ...(r.region !== undefined ? { region: r.region } : {}),
        units: r.units,
        categories: r.categories,
        ...(r.closestMetres !== undefined ? { closestMetres: r.closestMetres } : {}),
        narrative: r.narrative,
        replies: all
          .filter((x) => x.type === REPLY && x.body && (x.body as unknown as Reply).about === e.id && x.author !== e.author)
          .map((x) => ({ party: x.author, id: x.id, ...((x.body as unknown as Reply).stance ? { stance: (x.body as unknown as Reply).stance } : {}) })),
        consultations: all.filter((x) => x.type === CONSULTATION && ((x.body as unknown as Consultation | undefined)?.about ?? []).includes(e.id)).map((x) => x.id),
      };
      return out;
    })
    .sort((a, b) => cmp(a.at, b.at) || cmp(a.id, b.id));
}

/** The close encounters in the tracks held, closest approach within [from, to], as the regime finds them. */
export function encountersHeld(entries: Iterable<RecordEntry>, from = -Infinity, to = Infinity): EncounterView[] {
  const all = [...entries].sort(recordOrder);
  const book = new AgreementBook();
  const tracks: TracksEntry[] = [];
  for (const e of all) {
    if (!e.body) continue;
    const h = holdEntry(e);
    book.add(h);
    if (e.type === TRACKS) tracks.push({ id: e.id, author: e.author, t: h.t, body: e.body as unknown as TracksBody });
  }
  const termsOf = (a: string, b: string, hour: number) => (INCIDENTS_TERMS.resolve(book.binding('incidents', [a, b], hour)?.body.terms.incidents) as ResolvedIncidentsTerms).thresholds;
  return allEncounters(tracks, termsOf, from, to);
}
