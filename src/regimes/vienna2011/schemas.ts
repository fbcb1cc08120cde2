/**
 * The Vienna Document 2011 content types: one JSON Schema (draft 2020-12, Ajv strict mode) per
 * type, in the treaty's words, plus the semantic checks JSON Schema cannot state (an end not
 * before its start, closed GeoJSON rings, a calendar's activities in its year).
 *
 * Who holds them: every type a rule reads is addressed to "*" (ADDRESSED: all), refused
 * otherwise with PARLEY_ERR_ADDRESSEES — the Document circulates notifications, calendars,
 * exchanges, Chapter III requests and replies and Chapter IX requests and replies to all
 * participating States, and so every party judging an obligation holds what it is judged by.
 * Hazardous-incident reports (information only) and replies to invitations (read by no rule) may
 * go to the States concerned.
 *
 * How entries link: a reply names what it answers in the content's `refs` (the protocol's link);
 * a body field names an entry when the link is part of what is said — `corrects` (the notification
 * this one amends), `notification` (the activity an invitation or an observer report is about).
 */
import { ADDRESSED, type CatalogueEntry, type SchemaProblem } from '../../catalogue/index.js';
import { area, position, ringProblem, type Area } from '../../catalogue/geojson.js';
import { FORCE_FIELDS, VD11, type Forces } from './rules.js';

const party = { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,15}$' } as const;
const entryId = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

const dateTime = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;
const text = (description: string, maxLength = 10_000) => ({ type: 'string', minLength: 1, maxLength, description }) as const;
const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;
const year = (description: string) => ({ type: 'integer', minimum: 1990, maximum: 9999, description }) as const;

const forces = {
  troops: count('Total number of troops taking part.'),
  battleTanks: count('Number of battle tanks.'),
  armouredCombatVehicles: count('Number of armoured combat vehicles.'),
  artilleryPieces: count('Number of artillery pieces, mortars and multiple rocket launchers (100 mm calibre and above).'),
  fixedWingSorties: count('Number of sorties by aircraft, excluding helicopters, foreseen to be flown.'),
  amphibiousTroops: count('Number of troops taking part in an amphibious landing.'),
  airborneTroops: count('Number of troops taking part in a parachute assault by airborne forces.'),
} as const;

const activityType = {
  enum: ['land-forces', 'amphibious-landing', 'heliborne-landing', 'parachute-assault', 'transfer', 'concentration'],
  description:
    'Engagement of formations of land forces; engagement of military forces in an amphibious landing, heliborne landing or parachute assault; transfer of forces into the zone; or concentration of forces.',
} as const;

const designation = text('The designation of the activity (e.g. "Zapad-2021"); a notification is matched to its calendar entry by designation.', 200);

// ---------------------------------------------------------------------------------------------
// Body types, for evaluators (bodies are validated at the edge: inside, the types are trusted).

export interface ActivityNotification extends Forces {
  designation?: string;
  activityType: string;
  purpose: string;
  start: string;
  end: string;
  area: Area;
  areaDescription?: string;
  participatingStates?: string[];
  alertActivity: boolean;
  corrects?: string;
  remarks?: string;
}

export interface CalendarActivity extends Forces {
  designation: string;
  activityType: string;
  purpose?: string;
  start: string;
  end: string;
  area?: Area;
  areaDescription?: string;
}

export interface Calendar {
  year: number;
  activities: CalendarActivity[];
}

export interface AnnualExchange {
  year: number;
  units: { designation: string; level: string }[];
}

export interface Request {
  respondingState?: string;
  receivingState?: string;
}

export interface MeetingReply {
  accepted: boolean;
  meetingTime?: string;
}

export interface AcceptanceReply {
  accepted: boolean;
  entryTime?: string;
  forceMajeure?: boolean;
}

export interface ObservationInvitation {
  notification?: string;
  designation?: string;
}

export interface ObserverReport {
  basis: 'inspection' | 'observation' | 'evaluation';
  observedState: string;
  notification?: string;
  designation?: string;
  start: string;
  end: string;
  area: Area;
  counted: Partial<Forces>;
}

export interface HazardousIncident {
  incident: string;
}

// ---------------------------------------------------------------------------------------------
// Semantic checks.

function timeProblem(value: unknown, path: string): SchemaProblem | undefined {
  if (value === undefined) return undefined;
  return Number.isFinite(Date.parse(String(value))) ? undefined : { path, message: 'is not an instant this node can read (RFC 3339 with a time zone, no leap second)' };
}

/** `end` must not be before `start`; both must be readable instants. */
function periodProblem(body: { start: string; end: string }, base = ''): SchemaProblem | undefined {
  const bad = timeProblem(body.start, `${base}/start`) ?? timeProblem(body.end, `${base}/end`);
  if (bad) return bad;
  if (Date.parse(body.end) < Date.parse(body.start)) return { path: `${base}/end`, message: `end (${body.end}) is before start (${body.start})` };
  return undefined;
}

/** Designations match trimmed and case-insensitively: "Zapad-2021" is " ZAPAD-2021". */
export function normalDesignation(s: string): string {
  return s.trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// The table.

export const viennaSchemas: Record<string, CatalogueEntry> = {
  'vd.annual-exchange': {
    title: 'Annual exchange of military information (VD11 Ch. I)',
    [ADDRESSED]: 'all',
    description:
      'A participating State\'s military forces as of 1 January of `year`, exchanged with all participating States not later than 15 December before it: command organisation down to brigade/regiment level, unit locations and major weapon systems. The number of `units` sets its evaluation visit quota (Ch. IX).',
    type: 'object',
    additionalProperties: false,
    required: ['year', 'units'],
    properties: {
      year: year('The calendar year the information is valid for (as of 1 January).'),
      units: {
        type: 'array',
        description: 'Formations and combat units down to brigade/regiment level.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['designation', 'level', 'location'],
          properties: {
            designation: text('Designation of the formation or unit.', 200),
            level: { enum: ['command', 'army', 'corps', 'division', 'brigade', 'regiment', 'other'], description: 'Command level.' },
            subordinateTo: text('Designation of the next higher command.', 200),
            location: text('Peacetime location (name of the place).', 200),
            position: { ...position, description: 'Peacetime location as [longitude, latitude].' },
            peacetimeStrength: count('Authorised peacetime personnel strength.'),
            battleTanks: count('Battle tanks held.'),
            armouredCombatVehicles: count('Armoured combat vehicles held.'),
            artilleryPieces: count('Artillery pieces, mortars and multiple rocket launchers (100 mm and above) held.'),
            combatAircraft: count('Combat aircraft held.'),
            combatHelicopters: count('Combat helicopters held.'),
          },
        },
      },
    },
  },

  'vd.explanation.request': {
    title: 'Request for explanation of unusual military activities (VD11 §16)',
    [ADDRESSED]: 'all',
    description:
      'A participating State concerned about an unusual and unscheduled military activity of significance, outside normal peacetime locations, asks the State where it takes place for an explanation. The responding State replies within 48 hours. The request must be addressed (`to`) to the responding State.',
    type: 'object',
    additionalProperties: false,
    required: ['respondingState', 'activity', 'reasons'],
    properties: {
      respondingState: { ...party, description: 'The participating State asked to explain.' },
      activity: text('The unusual military activity, as the requesting State observed it.'),
      location: text('Where the activity takes place.', 1000),
      area: area('The area of the activity, if it can be drawn.'),
      reasons: text('The reasons for the concern.'),
      questions: text('The questions the explanation should answer.'),
    },
    check: (b: { area?: Area }) => (b.area ? ringProblem(b.area, '/area') : undefined),
  },

  'vd.explanation.reply': {
    title: 'Explanation of unusual military activities (VD11 §16)',
    [ADDRESSED]: 'all',
    description: 'The responding State\'s explanation; `refs` names the request it answers.',
    type: 'object',
    additionalProperties: false,
    required: ['explanation'],
    properties: {
      explanation: text('The explanation: the grounds for the activity and its character.', 50_000),
      furtherInformation: text('Any further information offered.', 50_000),
    },
  },

  'vd.meeting.request': {
    title: 'Request for a meeting on unusual military activities (VD11 §16.2)',
    [ADDRESSED]: 'all',
    description:
      'After the explanation (or its absence), the requesting State asks for a meeting with the responding State, or of all participating States, held within 48 hours of this request. `refs` names the request for explanation.',
    type: 'object',
    additionalProperties: false,
    required: ['respondingState', 'format', 'purpose'],
    properties: {
      respondingState: { ...party, description: 'The participating State whose activity is discussed.' },
      format: {
        enum: ['with-responding-State', 'of-all-participating-States'],
        description: 'A meeting with the responding State, or a meeting of all participating States.',
      },
      purpose: text('What the meeting should clarify.'),
    },
  },

  'vd.meeting.reply': {
    title: 'Reply to a request for a meeting (VD11 §16.2)',
    [ADDRESSED]: 'all',
    description: 'The responding State accepts the meeting and says when and where it is held, or declines. `refs` names the meeting request.',
    type: 'object',
    additionalProperties: false,
    required: ['accepted'],
    properties: {
      accepted: { type: 'boolean', description: 'Whether the responding State takes part in the meeting.' },
      meetingTime: dateTime('When the meeting is held.'),
      venue: text('Where the meeting is held.', 500),
      reason: text('Why the meeting is declined.'),
    },
    if: { properties: { accepted: { const: true } } },
    then: { required: ['meetingTime'] },
    check: (b: { meetingTime?: string }) => timeProblem(b.meetingTime, '/meetingTime'),
  },

  'vd.hazardous-incident': {
    title: 'Report of a hazardous incident of a military nature (VD11 §17)',
    description: 'A hazardous incident of a military nature, reported to the participating States concerned through the points of contact so that it can be clarified.',
    type: 'object',
    additionalProperties: false,
    required: ['incident', 'time', 'location'],
    properties: {
      incident: text('What happened.'),
      time: dateTime('When it happened.'),
      location: text('Where it happened.', 1000),
      position: { ...position, description: 'Where it happened, as [longitude, latitude].' },
      forcesInvolved: text('The military forces involved.'),
      measuresTaken: text('Measures taken and proposed to prevent a recurrence.'),
      clarificationRequested: { type: 'boolean', description: 'Whether the reporting State asks the other State concerned for clarification.' },
    },
    check: (b: { time: string }) => timeProblem(b.time, '/time'),
  },

  'vd.activity.notification': {
    title: 'Prior notification of a military activity (VD11 Ch. V)',
    [ADDRESSED]: 'all',
    description:
      'A military activity, notified to all participating States 42 days or more before its start (§38) — or, for an alert activity, when the troops start it (§41). Notifiable at 9,000 troops, 250 battle tanks, 500 armoured combat vehicles or 250 artillery pieces (§40.1.1), 200 fixed-wing sorties (§40.1.2), 3,000 troops in an amphibious landing or parachute assault (§40.1.3). A notification that amends an earlier one names it in `corrects`. Checked beyond the schema: `end` is not before `start`; every ring of `area` is closed.',
    type: 'object',
    additionalProperties: false,
    required: ['activityType', 'purpose', 'start', 'end', 'area', ...FORCE_FIELDS, 'alertActivity'],
    properties: {
      designation,
      activityType,
      purpose: text('The general purpose of the activity.'),
      participatingStates: { type: 'array', items: party, uniqueItems: true, description: 'The participating States involved (multinational activities).' },
      start: dateTime('Start of the activity (RFC 3339).'),
      end: dateTime('End of the activity (RFC 3339).'),
      area: area('The area of the activity.'),
      areaDescription: text('The area in words (geographical features).', 2000),
      ...forces,
      alertActivity: { type: 'boolean', description: 'Carried out without advance notice to the troops involved (§41).' },
      corrects: { ...entryId, description: 'The entry id of the notification this one amends.' },
      remarks: text('Anything else notified.'),
    },
    check: (b: ActivityNotification) => periodProblem(b) ?? ringProblem(b.area, '/area'),
  },

  'vd.observation.invitation': {
    title: 'Invitation of observers (VD11 Ch. VI)',
    [ADDRESSED]: 'all',
    description:
      'The host State invites observers of all other participating States to an activity at the observation thresholds (13,000 troops, 300 battle tanks, 500 armoured combat vehicles, 250 artillery pieces, §47.4; 3,500 troops in an amphibious landing or parachute assault, §47.5), together with its notification. Names the activity by its notification or designation.',
    type: 'object',
    additionalProperties: false,
    required: ['observersPerState', 'arrivalPoint', 'arrivalTime'],
    properties: {
      notification: { ...entryId, description: 'The entry id of the activity\'s notification.' },
      designation,
      observersPerState: { type: 'integer', minimum: 1, maximum: VD11.alertObservation.figures.observersPerState, description: 'Observers each invited State may send.' },
      arrivalPoint: text('Where the observers are received.', 500),
      arrivalTime: dateTime('When the observers are received.'),
      programme: text('The observation programme.'),
    },
    anyOf: [{ required: ['notification'] }, { required: ['designation'] }],
    check: (b: { arrivalTime: string }) => timeProblem(b.arrivalTime, '/arrivalTime'),
  },

  'vd.observation.reply': {
    title: 'Reply to an invitation of observers (VD11 Ch. VI)',
    description: 'An invited State accepts or declines; `refs` names the invitation.',
    type: 'object',
    additionalProperties: false,
    required: ['accepted'],
    properties: {
      accepted: { type: 'boolean', description: 'Whether the invited State sends observers.' },
      observers: { type: 'integer', minimum: 0, maximum: VD11.alertObservation.figures.observersPerState, description: 'How many observers it sends.' },
    },
  },

  'vd.calendar': {
    title: 'Annual calendar of military activities (VD11 Ch. VII)',
    [ADDRESSED]: 'all',
    description:
      'A participating State\'s forecast of its notifiable military activities in calendar year `year`, exchanged by 15 November before it (§61). Activities of more than 40,000 troops or 900 battle tanks may only be carried out if they were in it (§68). A later calendar for the same year replaces the earlier one. Checked beyond the schema: each activity\'s end is not before its start and its start falls in `year` (UTC); designations are unique; rings are closed.',
    type: 'object',
    additionalProperties: false,
    required: ['year', 'activities'],
    properties: {
      year: year('The calendar year forecast.'),
      activities: {
        type: 'array',
        description: 'The notifiable activities forecast; empty if none.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['designation', 'activityType', 'start', 'end', ...FORCE_FIELDS],
          properties: {
            designation: { ...designation, description: 'The designation, used to match the later notification.' },
            activityType,
            purpose: text('The general purpose.'),
            start: dateTime('Planned start.'),
            end: dateTime('Planned end.'),
            area: area('The planned area.'),
            areaDescription: text('The planned area in words.', 2000),
            ...forces,
          },
        },
      },
    },
    check: (b: Calendar): SchemaProblem | undefined => {
      const seen = new Set<string>();
      for (let i = 0; i < b.activities.length; i++) {
        const a = b.activities[i];
        const base = `/activities/${i}`;
        const bad = periodProblem(a, base) ?? (a.area ? ringProblem(a.area, `${base}/area`) : undefined);
        if (bad) return bad;
        if (new Date(Date.parse(a.start)).getUTCFullYear() !== b.year) return { path: `${base}/start`, message: `start ${a.start} is not in the calendar year ${b.year} (UTC)` };
        const d = normalDesignation(a.designation);
        if (seen.has(d)) return { path: `${base}/designation`, message: `designation "${a.designation}" appears twice in the calendar` };
        seen.add(d);
      }
      return undefined;
    },
  },

  'vd.inspection.request': {
    title: 'Request for an inspection (VD11 Ch. IX)',
    [ADDRESSED]: 'all',
    description:
      'A request to inspect a specified area of the receiving State. The receiving State replies within 24 hours and, within its quota (3 per calendar year, 1 from the same State), lets the team of up to 4 inspectors enter within 36 hours of the request. Addressed (`to`) at least to the receiving State.',
    type: 'object',
    additionalProperties: false,
    required: ['receivingState', 'specifiedArea', 'grounds', 'pointOfEntry', 'inspectors'],
    properties: {
      receivingState: { ...party, description: 'The participating State to be inspected.' },
      specifiedArea: area('The specified area of the inspection.'),
      grounds: text('The reasons for the request.'),
      pointOfEntry: text('The requested point of entry.', 500),
      inspectors: { type: 'integer', minimum: 1, maximum: VD11.inspectionTeam.figures.inspectors, description: 'Size of the inspection team.' },
    },
    check: (b: { specifiedArea: Area }) => ringProblem(b.specifiedArea, '/specifiedArea'),
  },

  'vd.inspection.reply': {
    title: 'Reply to a request for an inspection (VD11 Ch. IX)',
    [ADDRESSED]: 'all',
    description: 'The receiving State accepts, stating the point and time of entry, or declines (quota reached, force majeure). `refs` names the request.',
    type: 'object',
    additionalProperties: false,
    required: ['accepted'],
    properties: {
      accepted: { type: 'boolean', description: 'Whether the inspection is accepted.' },
      pointOfEntry: text('The point of entry.', 500),
      entryTime: dateTime('The time from which the inspection team may enter the territory.'),
      reason: text('Why the inspection is declined.'),
      forceMajeure: { type: 'boolean', description: 'The inspection cannot take place, or be on time, because of force majeure.' },
    },
    if: { properties: { accepted: { const: true } } },
    then: { required: ['pointOfEntry', 'entryTime'] },
    check: (b: { entryTime?: string }) => timeProblem(b.entryTime, '/entryTime'),
  },

  'vd.evaluation.request': {
    title: 'Request for an evaluation visit (VD11 Ch. IX)',
    [ADDRESSED]: 'all',
    description:
      'A request to visit a formation or unit the receiving State reported under Chapter I, to evaluate that information. Quota: one visit per 60 units reported, at most 15 a year, at most one fifth of the quota from the same State.',
    type: 'object',
    additionalProperties: false,
    required: ['receivingState', 'unit', 'proposedDate', 'evaluators'],
    properties: {
      receivingState: { ...party, description: 'The participating State to be visited.' },
      unit: text('Designation of the formation or unit, as reported under Chapter I.', 200),
      proposedDate: { type: 'string', format: 'date', description: 'The proposed day of the visit.' },
      evaluators: { type: 'integer', minimum: 1, maximum: 10, description: 'Size of the evaluation team.' },
    },
  },

  'vd.evaluation.reply': {
    title: 'Reply to a request for an evaluation visit (VD11 Ch. IX)',
    [ADDRESSED]: 'all',
    description: 'The receiving State accepts, stating the date of the visit, or declines. `refs` names the request.',
    type: 'object',
    additionalProperties: false,
    required: ['accepted'],
    properties: {
      accepted: { type: 'boolean', description: 'Whether the visit is accepted.' },
      visitDate: { type: 'string', format: 'date', description: 'The day of the visit.' },
      reason: text('Why the visit is declined.'),
      forceMajeure: { type: 'boolean', description: 'The visit cannot take place because of force majeure.' },
    },
  },

  'vd.observer.report': {
    title: 'Report of what an inspection, observation or evaluation counted',
    [ADDRESSED]: 'all',
    description:
      'The forces the inspectors, observers or evaluators counted at an activity of `observedState`, with its area and time, naming the activity\'s notification if there is one. Compared with the notification: counting more than was notified — or counting a notifiable activity with no notification — is a finding. Checked beyond the schema: `end` is not before `start`; rings are closed.',
    type: 'object',
    additionalProperties: false,
    required: ['basis', 'observedState', 'start', 'end', 'area', 'counted'],
    properties: {
      basis: { enum: ['inspection', 'observation', 'evaluation'], description: 'The verification activity that counted.' },
      observedState: { ...party, description: 'The participating State conducting the activity.' },
      notification: { ...entryId, description: 'The entry id of the activity\'s notification, if it was notified.' },
      designation,
      start: dateTime('When the counted activity was under way (from).'),
      end: dateTime('When the counted activity was under way (until).'),
      area: area('Where the activity was counted.'),
      counted: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        description: 'The figures counted; a figure not counted is left out.',
        properties: forces,
      },
      remarks: text('Observations in words.', 50_000),
    },
    check: (b: ObserverReport) => periodProblem(b) ?? ringProblem(b.area, '/area'),
  },
};
