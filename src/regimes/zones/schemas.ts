/**
 * The frontier-zones content types: a party's `zones.declaration` of its holdings per zone, its
 * `zones.movement` notice of forces entering a zone, an observer `zones.mission` (mandate, posts
 * on both sides, patrol areas), the observers' `zones.report` (a count at a position: the zone is
 * computed from the position, never stated), their `zones.restriction` (access denied), and the
 * `zones.access.request` / `zones.access.reply` pair. Address them to "*": a declaration or a
 * movement notice counts only when it reaches every addressee of the agreement, a reply every
 * addressee of its request (rules.ts, ZONES §record).
 */
import type { CatalogueEntry, RecordView, SchemaProblem } from '../../catalogue/index.js';
import { area, position, ringProblem } from '../../catalogue/geojson.js';
import { CATEGORIES, CATEGORY_NAMES, ZONE_ID, type Counts } from './rules.js';
import type { Area } from './geometry.js';

const party = { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,15}$' } as const;
const entryId = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const zoneId = { type: 'string', pattern: ZONE_ID, description: 'The zone\'s id in the agreement\'s zones terms.' } as const;
const time = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;
const text = (max: number, description: string) => ({ type: 'string', minLength: 1, maxLength: max, description }) as const;
const counts = (description: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    description,
    properties: Object.fromEntries(CATEGORIES.map((c) => [c, { type: 'integer', minimum: 0, description: `Number of ${CATEGORY_NAMES[c]}.` }])),
  }) as const;
const units = { type: 'array', maxItems: 200, items: text(200, 'A unit, as identified (designation, insignia, vehicle markings).'), description: 'Units seen or moving.' } as const;

export interface Declaration {
  asOf: string;
  holdings: { zone: string; counts: Counts }[];
  remarks?: string;
}
export interface Movement {
  zone: string;
  enters: string;
  counts: Counts;
  units?: string[];
  remarks?: string;
}
export interface Post {
  name: string;
  position: [number, number];
  side: string;
}
export interface Mission {
  mandate: string;
  observers: string;
  parties?: string[];
  posts: Post[];
  patrolAreas?: Area[];
  from: string;
  until?: string;
}
export interface Report {
  mission?: string;
  at: string;
  position: [number, number];
  place?: string;
  observedParty: string;
  counts: Counts;
  units?: string[];
  text?: string;
}
export interface Restriction {
  mission?: string;
  at: string;
  position: [number, number];
  place?: string;
  deniedBy: string;
  reason?: string;
}
export interface AccessRequest {
  mission?: string;
  of: string;
  position: [number, number];
  place?: string;
  from: string;
  until?: string;
  purpose: string;
}
export interface AccessReply {
  request: string;
  granted: boolean;
  reason?: string;
}

export const DECLARATION = 'zones.declaration';
export const MOVEMENT = 'zones.movement';
export const MISSION = 'zones.mission';
export const REPORT = 'zones.report';
export const RESTRICTION = 'zones.restriction';
export const ACCESS_REQUEST = 'zones.access.request';
export const ACCESS_REPLY = 'zones.access.reply';

function declarationProblem(body: Declaration): SchemaProblem | undefined {
  const seen = new Set<string>();
  for (const [i, h] of body.holdings.entries()) {
    if (seen.has(h.zone)) return { path: `/holdings/${i}/zone`, message: `zone ${h.zone} is declared twice; one holding per zone` };
    seen.add(h.zone);
  }
  return undefined;
}

function missionProblem(body: Mission): SchemaProblem | undefined {
  if (body.until !== undefined && Date.parse(body.until) < Date.parse(body.from)) return { path: '/until', message: `is before from (${body.from})` };
  const names = new Set<string>();
  for (const [i, p] of body.posts.entries()) {
    if (names.has(p.name)) return { path: `/posts/${i}/name`, message: `post ${p.name} is named twice` };
    names.add(p.name);
  }
  for (const [i, a] of (body.patrolAreas ?? []).entries()) {
    const q = ringProblem(a as never, `/patrolAreas/${i}`);
    if (q) return q;
  }
  return undefined;
}

function missionOf(record: RecordView, id: string | undefined): SchemaProblem | undefined {
  if (id === undefined) return undefined;
  const m = record.held(id);
  if (!m || m.type === undefined || m.type === MISSION) return undefined;
  return { path: '/mission', message: `names a ${m.type} entry, not a ${MISSION}` };
}

function replyProblem(body: AccessReply, record: RecordView, author: string | undefined, refs: readonly string[] | undefined): SchemaProblem | undefined {
  if (refs !== undefined && !refs.includes(body.request)) return { path: '/request', message: 'the request\'s id is not in the entry\'s refs: put it there too' };
  const r = record.held(body.request);
  if (!r || r.type === undefined) return undefined;
  if (r.type !== ACCESS_REQUEST) return { path: '/request', message: `names a ${r.type} entry, not a ${ACCESS_REQUEST}` };
  const of = (r.body as unknown as AccessRequest).of;
  if (author !== undefined && author !== of) return { path: '/request', message: `the request was made of ${of}; only ${of} replies to it` };
  return undefined;
}

const missionRef = { ...entryId, description: 'Entry id of the zones.mission the observers belong to (put it in refs too).' };

export const zonesSchemas: Record<string, CatalogueEntry> = {
  [DECLARATION]: {
    title: 'Zone declaration',
    description:
      'The author\'s holdings in each frontier zone as of a date, per category, on the agreed cadence (ZONES §declaration). Over a ceiling is a violation (ZONES §ceiling); an observer\'s count above it is a finding on the observer\'s count (ZONES §observation). Address it to "*".',
    type: 'object',
    additionalProperties: false,
    required: ['asOf', 'holdings'],
    properties: {
      asOf: time('The date the holdings are as of (RFC 3339); it places the declaration in its period.'),
      holdings: {
        type: 'array',
        maxItems: 200,
        items: { type: 'object', additionalProperties: false, required: ['zone', 'counts'], properties: { zone: zoneId, counts: counts('What the author holds in the zone.') } },
      },
      remarks: text(5000, 'Anything the author adds.'),
    },
    check: (body: Declaration) => declarationProblem(body),
  },
  [MOVEMENT]: {
    title: 'Movement notice',
    description: 'Forces of the author entering a frontier zone, announced the agreed number of days ahead (ZONES §movement), with their figures: added to the latest declaration, they give the projected holdings against the ceiling.',
    type: 'object',
    additionalProperties: false,
    required: ['zone', 'enters', 'counts'],
    properties: { zone: zoneId, enters: time('When the forces enter the zone.'), counts: counts('The forces entering.'), units, remarks: text(5000, 'Purpose, route, how long they stay.') },
  },
  [MISSION]: {
    title: 'Observer mission',
    description: 'An observer mission: its mandate, the observing organisation or parties, its posts (points, on both sides of the border, each naming whose side), its patrol areas. Reports, restrictions and access requests name it in `mission`.',
    type: 'object',
    additionalProperties: false,
    required: ['mandate', 'observers', 'posts', 'from'],
    properties: {
      mandate: text(10_000, 'What the observers are to observe and report.'),
      observers: text(200, 'Who observes: an organisation (the OSCE) or the parties exchanging observers.'),
      parties: { type: 'array', items: party, maxItems: 100, uniqueItems: true, description: 'The parties whose observers take part, if not an organisation\'s own.' },
      posts: {
        type: 'array',
        maxItems: 500,
        items: { type: 'object', additionalProperties: false, required: ['name', 'position', 'side'], properties: { name: text(200, 'The post\'s name.'), position, side: { ...party, description: 'Whose territory the post is on.' } } },
      },
      patrolAreas: { type: 'array', maxItems: 100, items: area('An area the observers patrol.') },
      from: time('When the mission starts.'),
      until: time('When it ends, if set.'),
    },
    check: (body: Mission) => missionProblem(body),
  },
  [REPORT]: {
    title: 'Observer report',
    description:
      'What observers counted at a position and time: the party whose forces they were, counts by category, units seen. The zone is computed from the position against the zones in force (outside every zone, it is shown as such). A count above the party\'s declaration is a finding on the author\'s count (ZONES §observation).',
    type: 'object',
    additionalProperties: false,
    required: ['at', 'position', 'observedParty', 'counts'],
    properties: {
      mission: missionRef,
      at: time('When the count was made.'),
      position,
      place: text(200, 'The place in words.'),
      observedParty: { ...party, description: 'The party whose forces were counted.' },
      counts: counts('What was counted.'),
      units,
      text: text(20_000, 'The report\'s text.'),
    },
    check: (body: Report, record: RecordView) => missionOf(record, body.mission),
  },
  [RESTRICTION]: {
    title: 'Restriction of observers',
    description: 'Observers were denied access: where, when, by whom, the reason stated. In a zone, a violation on the author\'s report (ZONES §access).',
    type: 'object',
    additionalProperties: false,
    required: ['at', 'position', 'deniedBy'],
    properties: {
      mission: missionRef,
      at: time('When access was denied.'),
      position,
      place: text(200, 'The place in words (a checkpoint, a road).'),
      deniedBy: { ...party, description: 'The party whose personnel denied access.' },
      reason: text(5000, 'The reason given, if any.'),
    },
    check: (body: Restriction, record: RecordView) => missionOf(record, body.mission),
  },
  [ACCESS_REQUEST]: {
    title: 'Access request',
    description: 'Observers ask a party for access to a place; the party replies within the agreed hours (ZONES §access). Address it at least to the party asked.',
    type: 'object',
    additionalProperties: false,
    required: ['of', 'position', 'from', 'purpose'],
    properties: {
      mission: missionRef,
      of: { ...party, description: 'The party asked.' },
      position,
      place: text(200, 'The place in words.'),
      from: time('From when access is asked.'),
      until: time('Until when, if set.'),
      purpose: text(5000, 'What the observers want to see.'),
    },
    check: (body: AccessRequest, record: RecordView) => missionOf(record, body.mission),
  },
  [ACCESS_REPLY]: {
    title: 'Access reply',
    description: 'The asked party\'s answer to an access request: granted or refused, with its reason. Names the request in `request` and in refs.',
    type: 'object',
    additionalProperties: false,
    required: ['request', 'granted'],
    properties: { request: { ...entryId, description: 'Entry id of the zones.access.request.' }, granted: { type: 'boolean' }, reason: text(5000, 'The reason, if refused.') },
    check: (body: AccessReply, record: RecordView, author: string | undefined, refs: readonly string[] | undefined) => replyProblem(body, record, author, refs),
  },
};
