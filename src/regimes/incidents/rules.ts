/**
 * The rules of incidents at sea and in the air, as data, after the 1972 US–USSR Incidents at Sea
 * Agreement (INCSEA) and the 1989 Dangerous Military Activities Agreement (DMA): notices of actions
 * dangerous to navigation or flight in advance, incident information exchanged and answered,
 * consultations; and, where the parties share their units' positions, close encounters found in the
 * shared tracks.
 *
 * No treaty gives distances for a close encounter: the defaults below are Parley's documented
 * choices, and the parties set their own in an agreement (terms `incidents`).
 *
 * | domains          | horizontal        | vertical          | why |
 * |------------------|-------------------|-------------------|-----|
 * | surface–surface  | 1852 m (1 nmi)    | not compared      | the close-quarters distance navies commonly keep clear of under the COLREGs |
 * | air–surface      | 1852 m (1 nmi)    | 300 m (≈ 1000 ft) | a low pass over a ship (Donald Cook, 2016: within 30 ft) |
 * | air–air          | 926 m (0.5 nmi)   | 150 m (≈ 500 ft)  | an unsafe intercept (EP-3, 2018: within 5 ft); beyond normal formation-free separation |
 */
import type { RuleRow, TermsProblem, TermsSpec } from '../types.js';
import { PAIR_DOMAINS, type PairDomain, type Thresholds } from './cpa.js';

export const INC = {
  encounter: {
    id: 'incidents.encounter',
    citation: 'INCSEA Art. III; DMA Art. II (agreed thresholds)',
    title: 'A close encounter in the shared tracks',
    description:
      'Two units of different parties came within the agreed horizontal and vertical distances of each other (terms `thresholds`, by domains: surface–surface, air–surface, air–air), by the closest approach of their shared tracks (each moving linearly between its fixes, over the span both cover). One finding per episode (an unbroken run within the thresholds, however many hour boundaries it crosses; updated, not repeated, as later batches extend it), with the closest approach, its instant and the track entries either side of it as evidence. Only tracks this node holds are read.',
    figures: {},
  },
  reply: {
    id: 'incidents.reply',
    citation: 'INCSEA Art. VI; DMA Art. IX',
    title: 'An incident report is answered',
    description: 'Each party whose units an incident report names (other than its author) replies to it with an incidents.reply within the agreed days (terms `replyDays`, default 7).',
    figures: { replyDays: 7 },
  },
  consultation: {
    id: 'incidents.consultation',
    citation: 'INCSEA Art. IX; DMA Art. IX',
    title: 'A request for consultations is answered',
    description: 'Each party a request for consultations is addressed to answers it with an incidents.reply within the agreed days (terms `consultationDays`, default 3), proposing or accepting a time.',
    figures: { consultationDays: 3 },
  },
  notice: {
    id: 'incidents.notice',
    citation: 'INCSEA Art. VI(1); DMA Art. II',
    title: 'Actions dangerous to navigation or flight are notified in advance',
    description:
      'A party gives notice of an action dangerous to navigation or flight (live firing, missile launch, …) with an incidents.hazard at least the agreed days before it starts (terms `noticeDays`, default 3; the agreement says "as a rule 3–5 days in advance"). A notice given later is a finding at its time; an activity later reported by another party (an incident report of a hazardous category naming the party\'s units) with no notice of it is a finding — unless this node holds entries of the party it cannot read, which may be the notice.',
    figures: { noticeDays: 3 },
  },
} as const satisfies Record<string, RuleRow>;

export const INCIDENTS_RULES: readonly RuleRow[] = Object.freeze(Object.values(INC));

export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  'surface-surface': Object.freeze({ horizontalMetres: 1852, verticalMetres: null }),
  'air-surface': Object.freeze({ horizontalMetres: 1852, verticalMetres: 300 }),
  'air-air': Object.freeze({ horizontalMetres: 926, verticalMetres: 150 }),
});

/**
 * What an agreement may set for incidents.
 *
 * @example
 *   { "incidents": { "noticeDays": 5, "thresholds": { "air-air": { "horizontalMetres": 1852, "verticalMetres": 300 } } } }
 */
export interface IncidentsTerms {
  replyDays?: number;
  consultationDays?: number;
  noticeDays?: number;
  thresholds?: Partial<Record<PairDomain, { horizontalMetres?: number; verticalMetres?: number | null }>>;
}

export interface ResolvedIncidentsTerms {
  readonly replyMs: number;
  readonly consultationMs: number;
  readonly noticeMs: number;
  readonly replyDays: number;
  readonly consultationDays: number;
  readonly noticeDays: number;
  readonly thresholds: Thresholds;
}

const DAY = 86_400_000;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const DAYS = ['replyDays', 'consultationDays', 'noticeDays'] as const;

function check(terms: unknown): TermsProblem | undefined {
  if (!isObject(terms)) return { field: '', message: 'must be an object' };
  for (const [k, v] of Object.entries(terms)) {
    if ((DAYS as readonly string[]).includes(k)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 366) return { field: k, message: `is ${JSON.stringify(v)}; it must be a number of days, more than 0 and at most 366` };
      continue;
    }
    if (k !== 'thresholds') return { field: k, message: `is not a term of incidents (${[...DAYS, 'thresholds'].join(', ')})` };
    if (!isObject(v)) return { field: k, message: `must be an object by domains (${PAIR_DOMAINS.join(', ')})` };
    for (const [d, th] of Object.entries(v)) {
      const at = `thresholds.${d}`;
      if (!(PAIR_DOMAINS as readonly string[]).includes(d)) return { field: at, message: `is not a pair of domains (${PAIR_DOMAINS.join(', ')})` };
      if (!isObject(th)) return { field: at, message: 'must be an object with horizontalMetres and verticalMetres' };
      for (const [f, x] of Object.entries(th)) {
        if (f === 'horizontalMetres') {
          if (typeof x !== 'number' || !(x > 0 && x <= 100_000)) return { field: `${at}.${f}`, message: `is ${JSON.stringify(x)}; it must be metres, more than 0 and at most 100000` };
        } else if (f === 'verticalMetres') {
          if (x !== null && (typeof x !== 'number' || !(x >= 0 && x <= 30_000))) return { field: `${at}.${f}`, message: `is ${JSON.stringify(x)}; it must be metres from 0 to 30000, or null for not compared` };
        } else return { field: `${at}.${f}`, message: 'is not a threshold field (horizontalMetres, verticalMetres)' };
      }
    }
  }
  return undefined;
}

function resolve(terms: Readonly<Record<string, unknown>> | undefined): ResolvedIncidentsTerms {
  const t = (terms ?? {}) as IncidentsTerms;
  const replyDays = t.replyDays ?? INC.reply.figures.replyDays;
  const consultationDays = t.consultationDays ?? INC.consultation.figures.consultationDays;
  const noticeDays = t.noticeDays ?? INC.notice.figures.noticeDays;
  const thresholds = {} as Record<PairDomain, { horizontalMetres: number; verticalMetres: number | null }>;
  for (const d of PAIR_DOMAINS) {
    const given = t.thresholds?.[d];
    thresholds[d] = Object.freeze({ horizontalMetres: given?.horizontalMetres ?? DEFAULT_THRESHOLDS[d].horizontalMetres, verticalMetres: given && 'verticalMetres' in given ? (given.verticalMetres ?? null) : DEFAULT_THRESHOLDS[d].verticalMetres });
  }
  return Object.freeze({ replyDays, consultationDays, noticeDays, replyMs: replyDays * DAY, consultationMs: consultationDays * DAY, noticeMs: noticeDays * DAY, thresholds: Object.freeze(thresholds) });
}

const thresholdSchema = (d: PairDomain) => ({
  type: 'object',
  additionalProperties: false,
  description: `${d}: default ${DEFAULT_THRESHOLDS[d].horizontalMetres} m horizontal, ${DEFAULT_THRESHOLDS[d].verticalMetres === null ? 'altitude not compared' : `${DEFAULT_THRESHOLDS[d].verticalMetres} m vertical`}.`,
  properties: {
    horizontalMetres: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 },
    verticalMetres: { type: ['number', 'null'], minimum: 0, maximum: 30_000, description: 'null: altitude not compared.' },
  },
});

export const INCIDENTS_TERMS: TermsSpec<ResolvedIncidentsTerms> = Object.freeze({
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      replyDays: { type: 'number', exclusiveMinimum: 0, maximum: 366, description: `Reply to an incident report naming one's units within this many days (${INC.reply.citation}).` },
      consultationDays: { type: 'number', exclusiveMinimum: 0, maximum: 366, description: `Answer a request for consultations within this many days (${INC.consultation.citation}).` },
      noticeDays: { type: 'number', exclusiveMinimum: 0, maximum: 366, description: `Notify an action dangerous to navigation or flight at least this many days before it (${INC.notice.citation}).` },
      thresholds: {
        type: 'object',
        additionalProperties: false,
        description: `What counts as a close encounter, by the domains of the two units (${INC.encounter.citation}).`,
        properties: Object.fromEntries(PAIR_DOMAINS.map((d) => [d, thresholdSchema(d)])),
      },
    },
  },
  defaults: Object.freeze({
    replyDays: INC.reply.figures.replyDays,
    consultationDays: INC.consultation.figures.consultationDays,
    noticeDays: INC.notice.figures.noticeDays,
    thresholds: DEFAULT_THRESHOLDS,
  }),
  check,
  resolve,
});
