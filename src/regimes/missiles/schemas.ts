/**
 * The missile regime's content types:
 *
 * - `missiles.site`: a party's declaration of one site in scope (its key, name, position,
 *   launchers, the systems declared present or absent); a later declaration of the same key by
 *   the same party updates it;
 * - `missiles.visit.request`: a visit to a site of the other party, naming its declaration;
 * - `missiles.visit.reply`: the host accepts with a window, or declines with a reason;
 * - `missiles.visit.report`: the visiting party's account of the visit (what was checked, the
 *   outcome, observations);
 * - `missiles.report.countersign` and `missiles.report.dispute`: the host's answer to a report,
 *   each its own signed entry naming the report, so that both signatures stay in the record.
 *
 * How they link: each names the entry it answers in its body (`declaration`, `request`,
 * `report`); put that id in `refs` too. Checks that read the record judge only what the node
 * holds: an answer to an entry this node does not hold is accepted, and judged once it arrives.
 * Address them to "*" (or at least to both parties), so that every party judging the visit holds it.
 */
import type { CatalogueEntry, RecordView, SchemaProblem } from '../../catalogue/index.js';
import { addresseesProblem } from '../addressing.js';
import { SYSTEM_KINDS } from './rules.js';

const party = { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,15}$' } as const;
const entryId = (description: string) => ({ type: 'string', pattern: '^[0-9a-f]{64}$', description }) as const;
const text = (max: number, description: string) => ({ type: 'string', minLength: 1, maxLength: max, description }) as const;
const time = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;

export const SITE = 'missiles.site';
export const REQUEST = 'missiles.visit.request';
export const REPLY = 'missiles.visit.reply';
export const REPORT = 'missiles.visit.report';
export const COUNTERSIGN = 'missiles.report.countersign';
export const DISPUTE = 'missiles.report.dispute';
export const OUTCOMES = ['consistent', 'not-consistent', 'not-held'] as const;

export interface DeclaredSystem {
  name: string;
  kind: (typeof SYSTEM_KINDS)[number];
  rangeKm?: number;
  present: boolean;
  count?: number;
}

export interface SiteDeclaration {
  site: string;
  name: string;
  /** [longitude, latitude], WGS 84. */
  position: [number, number];
  country?: string;
  launchers: { type: string; count: number }[];
  systems: DeclaredSystem[];
  withdrawn?: boolean;
  remarks?: string;
}

export interface VisitRequest {
  host: string;
  declaration: string;
  arrival: string;
  team?: number;
  purpose?: string;
}

export type VisitReply = { request: string; accepted: true; window: { start: string; end: string }; pointOfEntry?: string } | { request: string; accepted: false; reason: string };

export interface VisitReport {
  request: string;
  onSite?: { start: string; end: string };
  checked: { item: string; result: string }[];
  outcome: (typeof OUTCOMES)[number];
  observations: string;
}

export interface ReportAnswer {
  report: string;
  remarks?: string;
  reason?: string;
}

function duplicate(list: readonly string[]): number {
  return list.findIndex((x, i) => list.indexOf(x) !== i);
}

/** The entry a body names, when held with content; a problem when it is of another type. */
function named(record: RecordView, id: string, type: string, path: string): { problem?: SchemaProblem; entry?: { author?: string; body?: Readonly<Record<string, unknown>> } } {
  const e = record.held(id);
  if (!e || e.type === undefined) return {};
  if (e.type !== type) return { problem: { path, message: `names a ${e.type} entry, not a ${type}` } };
  return { entry: e };
}

const inRefs = (refs: readonly string[] | undefined, id: string, path: string): SchemaProblem | undefined =>
  refs !== undefined && !refs.includes(id) ? { path, message: `names ${id.slice(0, 12)}, which is not in the entry's refs: put its id in refs too` } : undefined;

function siteProblem(body: SiteDeclaration): SchemaProblem | undefined {
  const [lon, lat] = body.position;
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return { path: '/position', message: `[${lon}, ${lat}] is not [longitude, latitude]` };
  let i = duplicate(body.systems.map((s) => s.name));
  if (i >= 0) return { path: `/systems/${i}/name`, message: `${body.systems[i].name} is declared twice; one line per system` };
  i = duplicate(body.launchers.map((l) => l.type));
  if (i >= 0) return { path: `/launchers/${i}/type`, message: `launcher type ${body.launchers[i].type} is listed twice; give its total count once` };
  i = body.systems.findIndex((s) => s.present && s.rangeKm === undefined);
  if (i >= 0) return { path: `/systems/${i}/rangeKm`, message: `${body.systems[i].name} is declared present without a range: the range check needs it` };
  return undefined;
}

function requestProblem(body: VisitRequest, record: RecordView, author: string | undefined, refs: readonly string[] | undefined): SchemaProblem | undefined {
  if (author !== undefined && body.host === author) return { path: '/host', message: 'a party does not request a visit to its own site' };
  const ref = inRefs(refs, body.declaration, '/declaration');
  if (ref) return ref;
  const { problem, entry } = named(record, body.declaration, SITE, '/declaration');
  if (problem) return problem;
  if (entry && entry.author !== body.host) return { path: '/declaration', message: `names a site declared by ${entry.author}, not by the host ${body.host}` };
  if (entry && (entry.body as unknown as SiteDeclaration).withdrawn) return { path: '/declaration', message: 'names the declaration that withdrew the site' };
  return undefined;
}

function replyProblem(body: VisitReply, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined): SchemaProblem | undefined {
  const b = body as { accepted: boolean; window?: { start: string; end: string }; reason?: string; pointOfEntry?: string };
  if (b.accepted && !b.window) return { path: '/window', message: 'an accepted visit has its window' };
  if (b.accepted && b.reason !== undefined) return { path: '/reason', message: 'an accepted visit has no reason for declining' };
  if (!b.accepted && b.reason === undefined) return { path: '/reason', message: 'a declined visit states its reason' };
  if (!b.accepted && (b.window || b.pointOfEntry)) return { path: b.window ? '/window' : '/pointOfEntry', message: 'a declined visit has no window or point of entry' };
  if (b.window && Date.parse(b.window.end) <= Date.parse(b.window.start)) return { path: '/window/end', message: 'is not after the window\'s start' };
  const ref = inRefs(refs, body.request, '/request');
  if (ref) return ref;
  const { problem, entry } = named(record, body.request, REQUEST, '/request');
  if (problem) return problem;
  if (entry && author !== undefined && (entry.body as unknown as VisitRequest).host !== author) return { path: '/request', message: `names a request to ${(entry.body as unknown as VisitRequest).host}: only the host replies` };
  return addresseesProblem(entry, author, to, 'a visit reply');
}

function reportProblem(body: VisitReport, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined): SchemaProblem | undefined {
  if (body.onSite && Date.parse(body.onSite.end) <= Date.parse(body.onSite.start)) return { path: '/onSite/end', message: 'is not after the visit\'s start' };
  if (body.outcome === 'not-held' && body.onSite) return { path: '/onSite', message: 'a visit reported not held has no time on site' };
  if (body.outcome !== 'not-held' && !body.onSite) return { path: '/onSite', message: 'give the time on site of a visit held' };
  const ref = inRefs(refs, body.request, '/request');
  if (ref) return ref;
  const { problem, entry } = named(record, body.request, REQUEST, '/request');
  if (problem) return problem;
  if (entry && author !== undefined && entry.author !== author) return { path: '/request', message: `names a request by ${entry.author}: the visiting party reports its own visit` };
  return addresseesProblem(entry, author, to, 'a visit report');
}

function answerProblem(body: ReportAnswer, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined): SchemaProblem | undefined {
  const ref = inRefs(refs, body.report, '/report');
  if (ref) return ref;
  const { problem, entry } = named(record, body.report, REPORT, '/report');
  if (problem) return problem;
  if (!entry || author === undefined) return undefined;
  const request = record.held((entry.body as unknown as VisitReport).request);
  const host = request?.type === REQUEST ? (request.body as unknown as VisitRequest).host : undefined;
  if (host !== undefined && host !== author) return { path: '/report', message: `names a report of a visit to ${host}'s site: only the host countersigns or disputes it` };
  return addresseesProblem(entry, author, to, 'a countersignature or dispute');
}

const window = (description: string) =>
  ({ type: 'object', additionalProperties: false, required: ['start', 'end'], description, properties: { start: time('From (RFC 3339).'), end: time('Until (RFC 3339).') } }) as const;

export const missilesSchemas: Record<string, CatalogueEntry> = {
  [SITE]: {
    title: 'Missile site declaration',
    description:
      'One site in scope of the missile commitment, declared by the party responsible for it: a stable key, its name and position, its launchers by type and count, and the systems the party declares present or absent there (with their kind and declared range). A later declaration with the same key by the same party replaces it; `withdrawn` takes the site out of scope. Visits name the declaration they are to.',
    type: 'object',
    additionalProperties: false,
    required: ['site', 'name', 'position', 'launchers', 'systems'],
    properties: {
      site: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'The site\'s stable key, e.g. `deveselu`: later declarations of the same key update it.' },
      name: text(200, 'The site\'s name.'),
      position: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' }, description: '[longitude, latitude] in degrees (WGS 84).' },
      country: text(100, 'Where it is, in words (the host country of a site abroad).'),
      launchers: {
        type: 'array',
        maxItems: 100,
        description: 'Launchers at the site, by type and count.',
        items: { type: 'object', additionalProperties: false, required: ['type', 'count'], properties: { type: text(200, 'The launcher type, e.g. Mk 41 VLS.'), count: { type: 'integer', minimum: 0, maximum: 100_000 } } },
      },
      systems: {
        type: 'array',
        maxItems: 100,
        description: 'The systems the party declares present or absent at the site.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'kind', 'present'],
          properties: {
            name: text(200, 'The system, e.g. SM-3 Block IB or 9M729.'),
            kind: { enum: [...SYSTEM_KINDS], description: 'What kind of system it is.' },
            rangeKm: { type: 'number', minimum: 0, maximum: 40_000, description: 'Its declared maximum range in km (required when present).' },
            present: { type: 'boolean', description: 'Declared present (true) or declared absent (false).' },
            count: { type: 'integer', minimum: 0, maximum: 100_000, description: 'How many, when present.' },
          },
        },
      },
      withdrawn: { type: 'boolean', description: 'The site is no longer in scope.' },
      remarks: text(5000, 'Anything else the party declares.'),
    },
    check: (body: SiteDeclaration) => siteProblem(body),
  },
  [REQUEST]: {
    title: 'Visit request',
    description:
      'A transparency visit to a site of the other party, of the requesting party\'s choosing: names the host and the site declaration (its id in `refs` too), and when the visitors would arrive (the agreed notice before it). Counted against the requester\'s quota for the calendar year of the request. Refused where the declaration is held and is not the host\'s.',
    type: 'object',
    additionalProperties: false,
    required: ['host', 'declaration', 'arrival'],
    properties: {
      host: { ...party, description: 'The party whose site is to be visited.' },
      declaration: entryId('Entry id of the host\'s missiles.site declaration of the site.'),
      arrival: time('When the visitors would arrive (RFC 3339).'),
      team: { type: 'integer', minimum: 1, maximum: 100, description: 'How many visitors.' },
      purpose: text(2000, 'What the visit is to confirm.'),
    },
    check: (body: VisitRequest, record: RecordView, author: string | undefined, refs: readonly string[] | undefined) => requestProblem(body, record, author, refs),
  },
  [REPLY]: {
    title: 'Visit reply',
    description: 'The host\'s reply to a visit request (its id in `refs` too): accepted with the window in which the visit takes place, or declined with the stated reason. The first reply counts. Address it to every party holding the request ("*" if the request went to all, else its author and addressees): one addressed to fewer is refused, and counts nowhere.',
    type: 'object',
    additionalProperties: false,
    required: ['request', 'accepted'],
    properties: {
      request: entryId('Entry id of the missiles.visit.request.'),
      accepted: { type: 'boolean', description: 'Accepted (give the window) or declined (give the reason).' },
      window: window('When the visit takes place (an accepted visit).'),
      pointOfEntry: text(200, 'Where the visitors are met (an accepted visit).'),
      reason: text(5000, 'Why the visit is declined.'),
    },
    check: (body: VisitReply, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined) => replyProblem(body, record, author, refs, to),
  },
  [REPORT]: {
    title: 'Visit report',
    description:
      'The visiting party\'s report of a visit (the request\'s id in `refs` too): when it was on site, what it checked (launcher configuration, canisters, fire-control equipment…) and what it found, the outcome — consistent or not consistent with the declaration and the commitment, or not held — and its observations. The host countersigns or disputes it. Address it to every party holding the request ("*" if the request went to all, else its author and addressees): one addressed to fewer is refused, and counts nowhere.',
    type: 'object',
    additionalProperties: false,
    required: ['request', 'checked', 'outcome', 'observations'],
    properties: {
      request: entryId('Entry id of the missiles.visit.request.'),
      onSite: window('When the visitors were on site (a visit held).'),
      checked: {
        type: 'array',
        maxItems: 100,
        description: 'What was checked, one item each.',
        items: { type: 'object', additionalProperties: false, required: ['item', 'result'], properties: { item: text(200, 'What was checked, e.g. launcher configuration.'), result: text(2000, 'What was found.') } },
      },
      outcome: { enum: [...OUTCOMES], description: 'consistent or not-consistent with the declaration and the commitment; not-held: the visit did not take place.' },
      observations: text(20_000, 'What else the visitors observed.'),
    },
    check: (body: VisitReport, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined) => reportProblem(body, record, author, refs, to),
  },
  [COUNTERSIGN]: {
    title: 'Report countersignature',
    description: 'The host countersigns a visit report (its id in `refs` too): it acknowledges the report as the account of the visit. Its own signed entry; the report keeps the visitors\' signature. Address it to every party holding the report ("*" if the report went to all): one addressed to fewer is refused, and counts nowhere.',
    type: 'object',
    additionalProperties: false,
    required: ['report'],
    properties: { report: entryId('Entry id of the missiles.visit.report.'), remarks: text(5000, 'Remarks the host adds.') },
    check: (body: ReportAnswer, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined) => answerProblem(body, record, author, refs, to),
  },
  [DISPUTE]: {
    title: 'Report dispute',
    description: 'The host disputes a visit report (its id in `refs` too), with its reason. Its own signed entry; both accounts stay in the record and are shown side by side. Address it to every party holding the report ("*" if the report went to all): one addressed to fewer is refused, and counts nowhere.',
    type: 'object',
    additionalProperties: false,
    required: ['report', 'reason'],
    properties: { report: entryId('Entry id of the missiles.visit.report.'), reason: text(5000, 'What the host disputes, and why.') },
    check: (body: ReportAnswer, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined) => answerProblem(body, record, author, refs, to),
  },
};
