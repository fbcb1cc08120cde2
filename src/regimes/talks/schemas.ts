/**
 * The talks record's content types: `talks.meeting`, `talks.readout` (one party's account),
 * `talks.position` (a standing position, red line or reserved), `talks.commitment` (what a
 * meeting decided someone will do) and `talks.briefing` (who briefed whom about a meeting).
 * Joint statements are not a type of their own: they are `agreement.proposal`s that set no
 * terms, whose text is the statement, endorsed by each signatory (src/regimes/agreement).
 *
 * How they link: readouts, positions, commitments and briefings name their meeting in the body's
 * `meeting` (put its id in `refs` too); an entry that fulfils a commitment names it in `refs`.
 * Checks that read the record judge only what the node holds: a readout for a meeting this node
 * does not hold is accepted, and the regime finds it out once the meeting arrives.
 */
import type { CatalogueEntry, RecordView, SchemaProblem } from '../../catalogue/index.js';
import { BCP47 } from '../hotline/schemas.js';

const party = { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,15}$' } as const;
const entryId = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const itemKey = { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'The agenda item\'s stable key, e.g. `ukraine` or `strategic-stability`.' } as const;
const text = (max: number, description: string) => ({ type: 'string', minLength: 1, maxLength: max, description }) as const;
const parties = (description: string) => ({ type: 'array', items: party, minItems: 1, maxItems: 100, uniqueItems: true, description }) as const;

export const MEETING_FORMATS = ['summit', 'videoconference', 'consultations', 'working-group'] as const;

export interface Meeting {
  title: string;
  format: (typeof MEETING_FORMATS)[number];
  at: string;
  channel: string;
  group?: string;
  delegations: { party: string; members: { name: string; role: string }[] }[];
  agenda: { key: string; title: string; concerns: string[] }[];
  chairs?: { party: string; name: string }[];
}

export interface ReadoutItem {
  key: string;
  discussed: string;
  positions?: { party: string; text: string; reserved?: boolean }[];
  agreed?: string[];
}

export interface Readout {
  meeting: string;
  language: string;
  translation?: { language: string; items: { key: string; discussed: string }[] };
  amends?: string;
  items: ReadoutItem[];
  notDiscussed?: string[];
}

export interface Position {
  item: string;
  meeting?: string;
  text: string;
  redLine?: boolean;
  reserved?: boolean;
}

export interface Commitment {
  meeting: string;
  item?: string;
  what: string;
  owners: string[];
  due?: string;
  cadence?: { everyDays: number; until?: string };
  fulfilledBy: { type: string; description?: string };
}

export interface Briefing {
  meeting: string;
  briefed: string[];
  at: string;
  summary?: string;
}

const MEETING = 'talks.meeting';
const READOUT = 'talks.readout';

/** The meeting an entry names, when this node holds it with its content. */
function heldMeeting(record: RecordView, id: string): { problem?: SchemaProblem; meeting?: Meeting } {
  const m = record.held(id);
  if (!m || m.type === undefined) return {};
  if (m.type !== MEETING) return { problem: { path: '/meeting', message: `names a ${m.type} entry, not a ${MEETING}` } };
  return { meeting: m.body as unknown as Meeting };
}

function duplicate<T>(list: readonly T[], keyOf: (x: T) => string): number {
  const seen = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const k = keyOf(list[i]);
    if (seen.has(k)) return i;
    seen.add(k);
  }
  return -1;
}

function meetingProblem(body: Meeting): SchemaProblem | undefined {
  let i = duplicate(body.delegations, (d) => d.party);
  if (i >= 0) return { path: `/delegations/${i}/party`, message: `${body.delegations[i].party} has two delegations; list its members in one` };
  i = duplicate(body.agenda, (a) => a.key);
  if (i >= 0) return { path: `/agenda/${i}/key`, message: `agenda key ${body.agenda[i].key} is used twice; keys name items` };
  const attending = new Set(body.delegations.map((d) => d.party));
  i = (body.chairs ?? []).findIndex((c) => !attending.has(c.party));
  if (i >= 0) return { path: `/chairs/${i}/party`, message: `the chair's party ${body.chairs![i].party} has no delegation at the meeting` };
  return undefined;
}

function readoutProblem(body: Readout, record: RecordView, author: string | undefined): SchemaProblem | undefined {
  let i = duplicate(body.items, (x) => x.key);
  if (i >= 0) return { path: `/items/${i}/key`, message: `item ${body.items[i].key} appears twice; one account per item` };
  for (const [n, item] of body.items.entries()) {
    const j = duplicate(item.positions ?? [], (p) => p.party);
    if (j >= 0) return { path: `/items/${n}/positions/${j}/party`, message: `two positions attributed to ${item.positions![j].party} on one item` };
  }
  const covered = new Set(body.items.map((x) => x.key));
  i = (body.notDiscussed ?? []).findIndex((k) => covered.has(k));
  if (i >= 0) return { path: `/notDiscussed/${i}`, message: `item ${body.notDiscussed![i]} is both recounted and said not to have been discussed` };
  const { problem, meeting } = heldMeeting(record, body.meeting);
  if (problem) return problem;
  if (meeting) {
    if (author !== undefined && !meeting.delegations.some((d) => d.party === author)) {
      return { path: '/meeting', message: `${author} had no delegation at "${meeting.title}" (${meeting.delegations.map((d) => d.party).join(', ')}): a readout is the account of a party that attended` };
    }
    const agenda = new Set(meeting.agenda.map((a) => a.key));
    i = body.items.findIndex((x) => !agenda.has(x.key));
    if (i >= 0) return { path: `/items/${i}/key`, message: `${body.items[i].key} is not on the meeting's agenda (${[...agenda].join(', ')})` };
    i = (body.notDiscussed ?? []).findIndex((k) => !agenda.has(k));
    if (i >= 0) return { path: `/notDiscussed/${i}`, message: `${body.notDiscussed![i]} is not on the meeting's agenda` };
  }
  if (body.amends !== undefined) {
    const earlier = record.held(body.amends);
    if (earlier && earlier.type !== undefined) {
      if (earlier.type !== READOUT) return { path: '/amends', message: `names a ${earlier.type} entry, not a ${READOUT}` };
      if (author !== undefined && earlier.author !== undefined && earlier.author !== author) return { path: '/amends', message: `names a readout by ${earlier.author}: a party amends only its own readout` };
      if ((earlier.body as unknown as Readout).meeting !== body.meeting) return { path: '/amends', message: 'names a readout of another meeting' };
    }
  }
  if (body.translation && body.translation.language.toLowerCase() === body.language.toLowerCase()) {
    return { path: '/translation/language', message: `the courtesy translation is in ${body.language}, the readout's own language` };
  }
  return undefined;
}

function positionProblem(body: Position, record: RecordView): SchemaProblem | undefined {
  if (body.redLine && body.reserved) return { path: '/reserved', message: 'a reserved position is left aside by agreement; a red line is insisted on: mark one or the other' };
  if (body.meeting === undefined) return undefined;
  const { problem, meeting } = heldMeeting(record, body.meeting);
  if (problem) return problem;
  if (meeting && !meeting.agenda.some((a) => a.key === body.item)) return { path: '/item', message: `${body.item} is not on the meeting's agenda` };
  return undefined;
}

function commitmentProblem(body: Commitment, record: RecordView): SchemaProblem | undefined {
  if ((body.due === undefined) === (body.cadence === undefined)) return { path: body.due === undefined ? '/due' : '/cadence', message: 'a commitment has a due date or a cadence, one of the two' };
  if (body.cadence?.until !== undefined && Number.isNaN(Date.parse(body.cadence.until))) return { path: '/cadence/until', message: 'is not an RFC 3339 time' };
  const { problem, meeting } = heldMeeting(record, body.meeting);
  if (problem) return problem;
  if (meeting && body.item !== undefined && !meeting.agenda.some((a) => a.key === body.item)) return { path: '/item', message: `${body.item} is not on the meeting's agenda` };
  return undefined;
}

function briefingProblem(body: Briefing, record: RecordView, author: string | undefined, to: readonly string[] | undefined): SchemaProblem | undefined {
  const i = body.briefed.indexOf(author ?? '');
  if (i >= 0) return { path: `/briefed/${i}`, message: 'a party does not brief itself' };
  const { problem, meeting } = heldMeeting(record, body.meeting);
  if (problem) return problem;
  if (meeting && Date.parse(body.at) < Date.parse(meeting.at)) return { path: '/at', message: `is before the meeting (${meeting.at})` };
  return meeting ? briefingAddressees(record.held(body.meeting)!, author, to) : undefined;
}

/**
 * Every party that holds the meeting judges the briefings owed about it (TALKS §briefing), so a
 * briefing reaches each of them: addressed to "*", or to the meeting's author and addressees.
 */
function briefingAddressees(m: { readonly author?: string; readonly to?: readonly string[] }, author: string | undefined, to: readonly string[] | undefined): SchemaProblem | undefined {
  if (!to || to.includes('*') || !m.to) return undefined;
  const judges = m.to.includes('*') ? ['*'] : [...new Set([m.author!, ...m.to])].filter((p) => p !== author);
  const missing = judges.filter((p) => !to.includes(p)).sort();
  if (missing.length === 0) return undefined;
  return {
    path: '/',
    code: 'PARLEY_ERR_ADDRESSEES',
    message: `a briefing is addressed to every party that holds its meeting and judges the briefings owed about it (${judges.includes('*') ? 'the meeting went to "*", so "*"' : `${missing.join(', ')} missing`})`,
  };
}

const language = (description: string) => ({ type: 'string', pattern: BCP47, maxLength: 35, description }) as const;

export const talksSchemas: Record<string, CatalogueEntry> = {
  [MEETING]: {
    title: 'Meeting',
    description:
      'A meeting of the talks: its format, when, the channel, each party\'s delegation, the agenda as items with stable keys and the parties each concerns, the chair(s). Readouts, positions, commitments and briefings name it in `meeting`. Address it to the parties that should hold the record (usually "*").',
    type: 'object',
    additionalProperties: false,
    required: ['title', 'format', 'at', 'channel', 'delegations', 'agenda'],
    properties: {
      title: text(200, 'What the meeting is, in a line.'),
      format: { type: 'string', enum: [...MEETING_FORMATS], description: 'summit, videoconference, consultations, or a working-group session.' },
      at: { type: 'string', format: 'date-time', description: 'When it took place (its start), RFC 3339.' },
      channel: text(200, 'Where or over what: a city, a secure video link, the hotline.'),
      group: text(200, 'The working group or standing body meeting, if any (e.g. the strategic stability dialogue): a later meeting of the same group may fulfil a commitment. Where the talks terms agree the group (`groups.<id>`), name it by that id: a working-group session with every member\'s delegation keeps its cadence (TALKS §group).'),
      delegations: {
        type: 'array',
        minItems: 1,
        maxItems: 100,
        description: 'One per attending party: who sat at the table.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['party', 'members'],
          properties: {
            party,
            members: {
              type: 'array',
              minItems: 1,
              maxItems: 200,
              items: { type: 'object', additionalProperties: false, required: ['name', 'role'], properties: { name: text(200, 'A person\'s name.'), role: text(200, 'Their role in the delegation.') } },
            },
          },
        },
      },
      agenda: {
        type: 'array',
        minItems: 1,
        maxItems: 500,
        description: 'The items discussed, each with a stable key that readouts name.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'title', 'concerns'],
          properties: { key: itemKey, title: text(300, 'The item, in a line.'), concerns: { ...parties('The parties the item concerns, attending or not.'), minItems: 0 } },
        },
      },
      chairs: {
        type: 'array',
        minItems: 1,
        maxItems: 5,
        description: 'The chair or co-chairs.',
        items: { type: 'object', additionalProperties: false, required: ['party', 'name'], properties: { party, name: text(200, 'The chair\'s name.') } },
      },
    },
    check: (body: Meeting) => meetingProblem(body),
  },
  [READOUT]: {
    title: 'Readout',
    description:
      'One party\'s account of a meeting its delegation attended: per agenda item what it says was discussed, the positions it attributes to each party, what it says was agreed; the items it says were not discussed. A corrected readout names the one it `amends` (the author\'s own, of the same meeting); both stay in the record, and the divergence report reads the latest. Refused where the meeting is held and the author had no delegation there.',
    type: 'object',
    additionalProperties: false,
    required: ['meeting', 'language', 'items'],
    properties: {
      meeting: { ...entryId, description: 'Entry id of the talks.meeting.' },
      language: language('BCP 47 tag of the language of the readout\'s text.'),
      translation: {
        type: 'object',
        additionalProperties: false,
        required: ['language', 'items'],
        description: 'A courtesy translation of the items\' text; not authoritative.',
        properties: {
          language: language('BCP 47 tag of the translation\'s language.'),
          items: { type: 'array', maxItems: 500, items: { type: 'object', additionalProperties: false, required: ['key', 'discussed'], properties: { key: itemKey, discussed: text(20_000, 'The translated summary.') } } },
        },
      },
      amends: { ...entryId, description: 'Entry id of the author\'s earlier readout of this meeting that this one corrects.' },
      items: {
        type: 'array',
        maxItems: 500,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'discussed'],
          properties: {
            key: itemKey,
            discussed: text(20_000, 'What the author says was discussed on this item.'),
            positions: {
              type: 'array',
              maxItems: 100,
              description: 'The positions the author attributes to each party (itself included).',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['party', 'text'],
                properties: { party, text: text(5000, 'The position, as the author puts it.'), reserved: { type: 'boolean', description: 'The party reserved its position: left aside by agreement, not counted as divergence.' } },
              },
            },
            agreed: { type: 'array', maxItems: 100, items: text(2000, 'One thing the author says was agreed.'), description: 'What the author says was agreed on this item, one point per string.' },
          },
        },
      },
      notDiscussed: { type: 'array', maxItems: 500, uniqueItems: true, items: itemKey, description: 'Agenda items the author says were not discussed.' },
    },
    check: (body: Readout, record: RecordView, author: string | undefined) => readoutProblem(body, record, author),
  },
  'talks.position': {
    title: 'Position',
    description:
      'The author\'s standing position on an agenda item: a `redLine`, or `reserved` ("we reserve our position": left aside by agreement, visible to all, and not counted as divergence in a report). Without `meeting`, it stands for the item key at every meeting.',
    type: 'object',
    additionalProperties: false,
    required: ['item', 'text'],
    properties: {
      item: itemKey,
      meeting: { ...entryId, description: 'Entry id of the talks.meeting whose agenda has the item, if the position is about one meeting.' },
      text: text(5000, 'The position.'),
      redLine: { type: 'boolean', description: 'The author will not move on it.' },
      reserved: { type: 'boolean', description: 'The author reserves its position.' },
    },
    check: (body: Position, record: RecordView) => positionProblem(body, record),
  },
  'talks.commitment': {
    title: 'Commitment',
    description:
      'What a meeting decided someone will do: its owners (each owes it), a due date or a cadence, and the entry type that fulfils it (a later talks.meeting of the group with the owner\'s delegation, a report by the owner) — which names the commitment in `refs`. Each owner has an obligation; a lapse is a finding (TALKS §commitment).',
    type: 'object',
    additionalProperties: false,
    required: ['meeting', 'what', 'owners', 'fulfilledBy'],
    properties: {
      meeting: { ...entryId, description: 'Entry id of the talks.meeting that decided it.' },
      item: itemKey,
      what: text(2000, 'What is to be done, in a line.'),
      owners: parties('Who owes it; each owner has its own obligation.'),
      due: { type: 'string', format: 'date-time', description: 'By when (RFC 3339); or give a cadence.' },
      cadence: {
        type: 'object',
        additionalProperties: false,
        required: ['everyDays'],
        description: 'Due once in every period, counted from the commitment\'s header time.',
        properties: { everyDays: { type: 'integer', minimum: 1, maximum: 3660 }, until: { type: 'string', format: 'date-time', description: 'No period starts at or after this time.' } },
      },
      fulfilledBy: {
        type: 'object',
        additionalProperties: false,
        required: ['type'],
        properties: {
          type: { type: 'string', pattern: '^[a-z][a-z0-9.-]{0,63}$', description: 'The content type of the entry that fulfils it, e.g. talks.meeting or note.' },
          description: text(500, 'What that entry must say, for a person.'),
        },
      },
    },
    check: (body: Commitment, record: RecordView) => commitmentProblem(body, record),
  },
  'talks.briefing': {
    title: 'Briefing',
    description:
      'The author briefed the parties it names about a meeting, at the time it gives. With an agreed briefing deadline, it meets the obligations to brief the parties an agenda item concerns (TALKS §briefing). Addressed to "*", or to the meeting\'s author and addressees: each of them judges those obligations (refused otherwise, PARLEY_ERR_ADDRESSEES, where the meeting is held).',
    type: 'object',
    additionalProperties: false,
    required: ['meeting', 'briefed', 'at'],
    properties: {
      meeting: { ...entryId, description: 'Entry id of the talks.meeting.' },
      briefed: parties('Who was briefed.'),
      at: { type: 'string', format: 'date-time', description: 'When the briefing took place.' },
      summary: text(5000, 'What they were told, if the author records it.'),
    },
    check: (body: Briefing, record: RecordView, author: string | undefined, _refs: readonly string[] | undefined, to: readonly string[] | undefined) => briefingProblem(body, record, author, to),
  },
};
