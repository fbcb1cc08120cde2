/**
 * The content types of incidents at sea and in the air:
 *
 * - `incidents.report`: an incident (INCSEA/DMA pattern): when, where, the units of each party,
 *   what happened, the closest distance, a narrative; the other parties named answer it;
 * - `incidents.reply`: an answer to a report or to a request for consultations (names it in `about`
 *   and in `refs`);
 * - `incidents.consultation`: a request for consultations to the parties it names, about reports;
 * - `incidents.hazard`: notice of an action dangerous to navigation or flight: area and window;
 * - `incidents.tracks`: a batch of positions of the author's own units in the compact columnar
 *   encoding of tracks.ts, addressed to the parties that agreed to share.
 *
 * Checks that read the record judge only what the node holds.
 */
import type { CatalogueEntry, RecordView, SchemaProblem } from '../../catalogue/index.js';
import { area, ringProblem, type Area } from '../../catalogue/geojson.js';
import { addresseesProblem } from '../addressing.js';
import { UNIT_KINDS, type UnitKind } from './cpa.js';
import { decodeTracks, isProblem, type TracksBody } from './tracks.js';

const party = { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,15}$' } as const;
const entryId = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const text = (max: number, description: string) => ({ type: 'string', minLength: 1, maxLength: max, description }) as const;
const time = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;
const unitId = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,63}$', description: 'The unit\'s identification as its party gives it (hull number, tail number, call sign, MMSI).' } as const;

export const CATEGORIES = [
  'close-approach',
  'unsafe-intercept',
  'simulated-attack',
  'laser',
  'dropped-object',
  'territorial-entry',
  'communications-interference',
  'live-firing',
  'missile-launch',
  'collision',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];
/** Categories of an activity that needs advance notice (INC.notice): a report of one tests the acting party's notices. */
export const HAZARDOUS: readonly Category[] = ['live-firing', 'missile-launch'];

export const ACTIVITIES = ['live-firing', 'missile-launch', 'exercise', 'other'] as const;

export interface ReportUnit {
  party: string;
  kind: UnitKind;
  id: string;
  name?: string;
}

export interface Report {
  at: string;
  position: { lat: number; lon: number };
  region?: string;
  units: ReportUnit[];
  categories: Category[];
  closestMetres?: number;
  narrative: string;
}

export interface Reply {
  about: string;
  stance?: 'acknowledged' | 'disputed' | 'accepted' | 'declined';
  narrative: string;
  proposedAt?: string;
}

export interface Consultation {
  parties: string[];
  about?: string[];
  subject: string;
  proposedAt?: string;
  narrative?: string;
}

export interface Hazard {
  activity: (typeof ACTIVITIES)[number];
  area: Area;
  from: string;
  until: string;
  altitude?: { min: number; max: number };
  narrative: string;
}

export const REPORT = 'incidents.report';
export const REPLY = 'incidents.reply';
export const CONSULTATION = 'incidents.consultation';
export const HAZARD = 'incidents.hazard';
export const TRACKS = 'incidents.tracks';

function reportProblem(body: Report): SchemaProblem | undefined {
  const seen = new Set<string>();
  for (const [i, u] of body.units.entries()) {
    const k = `${u.party}/${u.id}`;
    if (seen.has(k)) return { path: `/units/${i}`, message: `unit ${u.id} of ${u.party} is listed twice` };
    seen.add(k);
  }
  if (new Set(body.categories).size !== body.categories.length) return { path: '/categories', message: 'names a category twice' };
  return undefined;
}

function replyProblem(body: Reply, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined): SchemaProblem | undefined {
  if (refs && !refs.includes(body.about)) return { path: '/about', message: 'the entry a reply answers goes in refs too' };
  const held = record.held(body.about);
  if (!held || held.type === undefined) return undefined;
  if (held.type !== REPORT && held.type !== CONSULTATION) return { path: '/about', message: `names a ${held.type} entry, not an ${REPORT} or ${CONSULTATION}` };
  if (author !== undefined && held.author === author) return { path: '/about', message: 'a party does not answer its own report or request' };
  return addresseesProblem(held, author, to, 'a reply');
}

function consultationProblem(body: Consultation, record: RecordView, author: string | undefined): SchemaProblem | undefined {
  const i = body.parties.indexOf(author ?? '');
  if (i >= 0) return { path: `/parties/${i}`, message: 'a party does not request consultations of itself' };
  for (const [k, id] of (body.about ?? []).entries()) {
    const held = record.held(id);
    if (held?.type !== undefined && held.type !== REPORT) return { path: `/about/${k}`, message: `names a ${held.type} entry, not an ${REPORT}` };
  }
  return undefined;
}

function hazardProblem(body: Hazard): SchemaProblem | undefined {
  if (Date.parse(body.until) <= Date.parse(body.from)) return { path: '/until', message: 'is not after from' };
  if (body.altitude && body.altitude.max < body.altitude.min) return { path: '/altitude/max', message: 'is below min' };
  return ringProblem(body.area, '/area');
}

function tracksProblem(body: TracksBody): SchemaProblem | undefined {
  const decoded = decodeTracks(body);
  return isProblem(decoded) ? decoded : undefined;
}

const b64 = (description: string) => ({ type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 262_144, description }) as const;

export const incidentsSchemas: Record<string, CatalogueEntry> = {
  [REPORT]: {
    title: 'Incident report',
    description:
      'An incident at sea or in the air: when and where, the units of each party involved (kind and identification), what happened (categories), the closest distance if known, and a narrative. Each other party whose units it names replies with an incidents.reply within the agreed days (INCSEA Art. VI). A report of live firing or a missile launch tests the acting party\'s advance notices.',
    type: 'object',
    additionalProperties: false,
    required: ['at', 'position', 'units', 'categories', 'narrative'],
    properties: {
      at: time('When the incident happened (its closest moment), RFC 3339.'),
      position: {
        type: 'object',
        additionalProperties: false,
        required: ['lat', 'lon'],
        description: 'Where, WGS 84 degrees.',
        properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } },
      },
      region: text(200, 'The sea or airspace, e.g. "Black Sea, 70 nmi SW of Crimea".'),
      units: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        description: 'The units involved, of every party.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['party', 'kind', 'id'],
          properties: { party, kind: { type: 'string', enum: [...UNIT_KINDS] }, id: unitId, name: text(200, 'The unit\'s name or type, e.g. "USS Donald Cook" or "Su-27".') },
        },
      },
      categories: { type: 'array', minItems: 1, maxItems: CATEGORIES.length, items: { type: 'string', enum: [...CATEGORIES] }, description: 'What happened.' },
      closestMetres: { type: 'number', minimum: 0, maximum: 1_000_000, description: 'The closest distance between the units, metres, as the author measured it.' },
      narrative: text(20_000, 'What happened, in the author\'s words.'),
    },
    check: (body: Report) => reportProblem(body),
  },
  [REPLY]: {
    title: 'Reply to an incident report or a request for consultations',
    description: 'The author\'s answer to a report or request naming it (in `about` and in `refs`): its stance and its account; for a request, a proposed time. Address it to every party holding what it answers ("*" if that went to all, else its author and addressees): one addressed to fewer is refused, and counts nowhere.',
    type: 'object',
    additionalProperties: false,
    required: ['about', 'narrative'],
    properties: {
      about: { ...entryId, description: 'Entry id of the incidents.report or incidents.consultation answered.' },
      stance: { type: 'string', enum: ['acknowledged', 'disputed', 'accepted', 'declined'] },
      narrative: text(20_000, 'The answer.'),
      proposedAt: time('For a request for consultations: when the author proposes to meet.'),
    },
    check: (body: Reply, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined) => replyProblem(body, record, author, refs, to),
  },
  [CONSULTATION]: {
    title: 'Request for consultations',
    description: 'The author asks the parties it names to consult about incidents (the reports in `about`); each answers with an incidents.reply within the agreed days (INCSEA Art. IX).',
    type: 'object',
    additionalProperties: false,
    required: ['parties', 'subject'],
    properties: {
      parties: { type: 'array', items: party, minItems: 1, maxItems: 100, uniqueItems: true, description: 'The parties asked.' },
      about: { type: 'array', items: entryId, maxItems: 100, uniqueItems: true, description: 'Entry ids of the incident reports concerned.' },
      subject: text(500, 'What to consult about, in a line.'),
      proposedAt: time('When the author proposes to meet.'),
      narrative: text(20_000, 'More.'),
    },
    check: (body: Consultation, record: RecordView, author: string | undefined) => consultationProblem(body, record, author),
  },
  [HAZARD]: {
    title: 'Hazard notice',
    description:
      'Notice of an action dangerous to navigation or flight by the author (live firing, a missile launch, an exercise): its area and window, given at least the agreed days before it starts (INCSEA Art. VI(1): "as a rule 3–5 days in advance"; terms `noticeDays`, default 3). Address it to every party ("*").',
    type: 'object',
    additionalProperties: false,
    required: ['activity', 'area', 'from', 'until', 'narrative'],
    properties: {
      activity: { type: 'string', enum: [...ACTIVITIES] },
      area: area('Where, a GeoJSON Polygon or MultiPolygon (WGS 84).'),
      from: time('When it starts.'),
      until: time('When it ends.'),
      altitude: { type: 'object', additionalProperties: false, required: ['min', 'max'], description: 'Metres above sea level, for airspace.', properties: { min: { type: 'number' }, max: { type: 'number' } } },
      narrative: text(5000, 'What, for navigators and pilots.'),
    },
    check: (body: Hazard) => hazardProblem(body),
  },
  [TRACKS]: {
    title: 'Shared tracks',
    description:
      'A batch of positions of the author\'s own units between `from` and `until`, column by column (src/regimes/incidents/tracks.ts: base64 of zig-zag varint deltas; time in ms after `from`, latitude and longitude in 1e-6 degrees, altitude in decimetres, speed and vertical rate in cm/s, course in 1/100 degree, rate of turn in 1/1000 degree per second). Addressed to the parties that agreed to share; close encounters between units of different parties are found in them (INC.encounter).',
    type: 'object',
    additionalProperties: false,
    required: ['from', 'until', 'units'],
    properties: {
      from: time('The batch\'s first instant: time values count from it.'),
      until: time('The batch\'s last instant.'),
      units: {
        type: 'array',
        minItems: 1,
        maxItems: 10_000,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['unit', 'kind', 'n', 't', 'lat', 'lon'],
          properties: {
            unit: unitId,
            kind: { type: 'string', enum: [...UNIT_KINDS] },
            name: text(200, 'The unit\'s name or type.'),
            n: { type: 'integer', minimum: 1, maximum: 100_000, description: 'The number of fixes.' },
            t: b64('Times: ms after `from`, then after the previous fix.'),
            lat: b64('Latitudes, 1e-6 degree.'),
            lon: b64('Longitudes, 1e-6 degree.'),
            alt: b64('Altitudes above the ellipsoid, decimetres (absent: 0, the surface).'),
            speed: b64('Speed over the ground, cm/s.'),
            course: b64('Course over the ground, 1/100 degree from true north.'),
            vrate: b64('Vertical rate, cm/s upward.'),
            turn: b64('Rate of turn, 1/1000 degree per second, positive to the right (clockwise seen from above): the live watch dead-reckons a turning unit along its circle.'),
          },
        },
      },
    },
    check: (body: TracksBody) => tracksProblem(body),
  },
};
