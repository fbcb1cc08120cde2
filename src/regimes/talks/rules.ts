/**
 * The talks record's rules as data. There is no treaty behind talks between adversaries: what
 * binds the parties is what they decided at the meeting (its commitments, each an entry in the
 * record with its owners and due date) and the terms they agree in the record (a briefing
 * deadline, working groups and how often they meet). The citations say so: `TALKS §commitment`
 * points at the meeting's own commitment entry, `TALKS §briefing` and `TALKS §group` at the
 * agreed terms.
 */
import type { RuleRow, TermsProblem, TermsSpec } from '../types.js';

export const TALKS = {
  commitment: {
    id: 'talks.commitment',
    citation: 'TALKS §commitment',
    title: 'A commitment made at a meeting',
    description:
      'A talks.commitment binds each of its owners: by its due date, or in every period of its cadence, each owner makes the entry it names as fulfilling it (a later meeting of that group, a report), referring to the commitment. A lapse is a finding. The fulfilling entry may be of any type, so it counts only when every party holding the commitment holds it too: addressed to "*", or to the commitment\'s author and addressees. One addressed to fewer does not fulfil it (information to those who can read it), so that no node finds a lapse another does not, and none rests on an entry it cannot read. Likewise the deciding meeting (whose delegations are owed it, and whose group a later meeting must be of) is read only when every party holding the commitment can read it; otherwise every one of them judges the commitment without it, owed to its author, and says so (information). The citation is completed with the commitment entry\'s id.',
    figures: {},
  },
  attendance: {
    id: 'talks.readout.attendance',
    citation: 'TALKS §readout',
    title: 'A readout is by a party that attended',
    description:
      'A readout is one party\'s account of a meeting its delegation attended. A node holding the meeting refuses a readout by any other party; one accepted where the meeting was not held is a finding once the meeting is — where every party holding the readout can read the meeting — and no divergence report counts it.',
    figures: {},
  },
  briefing: {
    id: 'talks.briefing',
    citation: 'TALKS §briefing (agreed terms)',
    title: 'Parties an item concerns are briefed',
    description:
      'Where the parties have agreed a briefing deadline (terms `briefingHours`, default 0: none), each party whose delegation attended a meeting briefs every party an agenda item concerns that did not attend, within that many hours of the meeting, with a talks.briefing naming it that every party holding the meeting holds too (addressed to "*", or to the meeting\'s author and addressees). The deadline of a pair is that of the agreement binding both.',
    figures: { briefingHours: 0 },
  },
  groupCadence: {
    id: 'talks.group.cadence',
    citation: 'TALKS §group (agreed terms)',
    title: 'A working group or standing body meets on time',
    description:
      'Where the talks terms binding a group\'s members define it (terms `groups.<id>`: its `members` and `cadenceDays`), the group meets — a talks.meeting of format working-group naming the group id in `group`, with a delegation of every member, which every party holding the agreement holds too — within `cadenceDays` after its previous meeting, or after the agreement came into force. A meeting counts from when it was held and is in the record (the later of its `at` and its header time). Each member owes it; a group that does not meet on time is one finding, however long the lapse, and the count starts again from its next meeting. A later agreement setting the members\' talks terms governs from its entry into force, and counts afresh from then; one that leaves the group out ends it. The citation is completed with the agreement\'s entry id.',
    figures: {},
  },
} as const satisfies Record<string, RuleRow>;

export const TALKS_RULES: readonly RuleRow[] = Object.freeze(Object.values(TALKS));

/**
 * What an agreement may set for the talks record.
 *
 * @example
 *   // the terms of an agreement.proposal between USA and UKR: brief within 48 hours
 *   { "talks": { "briefingHours": 48 } }
 */
export interface TalksTerms {
  briefingHours?: number;
  /** Working groups and standing bodies by id (the `group` their meetings name). */
  groups?: Record<string, GroupTerms>;
}

/**
 * @example
 *   // in an agreement between USA and RUS: the strategic stability dialogue meets every 60 days
 *   { "talks": { "groups": { "strategic-stability": { "members": ["RUS", "USA"], "cadenceDays": 60 } } } }
 */
export interface GroupTerms {
  members: string[];
  cadenceDays: number;
}

export interface ResolvedGroup {
  /** Sorted. */
  readonly members: readonly string[];
  readonly cadenceMs: number;
  readonly cadenceDays: number;
}

export interface ResolvedTalksTerms {
  /** 0: no briefing deadline. */
  readonly briefingMs: number;
  readonly groups: Readonly<Record<string, ResolvedGroup>>;
}

/** A group id: what a meeting's `group` names; no dots or slashes, so that it reads as one field of a path. */
export const GROUP_ID = '^[A-Za-z0-9][A-Za-z0-9 _-]{0,99}$';
const PARTY = /^[A-Z][A-Z0-9]{1,15}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkGroup(id: string, g: unknown): TermsProblem | undefined {
  const at = `groups.${id}`;
  if (!new RegExp(GROUP_ID).test(id)) return { field: at, message: 'is not a group id (letters, digits, spaces, - and _; at most 100)' };
  if (!isObject(g)) return { field: at, message: 'must be an object with members and cadenceDays' };
  for (const k of Object.keys(g)) if (k !== 'members' && k !== 'cadenceDays') return { field: `${at}.${k}`, message: 'is not a term of a group (members, cadenceDays)' };
  const m = g.members;
  if (!Array.isArray(m) || m.length < 2 || m.length > 100) return { field: `${at}.members`, message: `is ${JSON.stringify(m)}; it must list the group's 2 to 100 member parties` };
  const i = m.findIndex((p, j) => typeof p !== 'string' || !PARTY.test(p) || m.indexOf(p) !== j);
  if (i >= 0) return { field: `${at}.members`, message: `item ${i} is ${JSON.stringify(m[i])}: not a party code, or named twice` };
  const c = g.cadenceDays;
  if (!(Number.isInteger(c) && (c as number) >= 1 && (c as number) <= 3660)) return { field: `${at}.cadenceDays`, message: `is ${JSON.stringify(c)}; it must be a whole number of days, 1 to 3660` };
  return undefined;
}

function check(terms: unknown): TermsProblem | undefined {
  if (!isObject(terms)) return { field: '', message: 'must be an object' };
  for (const [k, v] of Object.entries(terms)) {
    if (k === 'groups') {
      if (!isObject(v)) return { field: k, message: 'must be an object of groups by id' };
      for (const [id, g] of Object.entries(v)) {
        const p = checkGroup(id, g);
        if (p) return p;
      }
      continue;
    }
    if (k !== 'briefingHours') return { field: k, message: 'is not a term of the talks record (briefingHours, groups)' };
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return { field: k, message: `is ${JSON.stringify(v)}; it must be a number of hours, 0 for no deadline` };
  }
  return undefined;
}

function resolve(terms: Readonly<Record<string, unknown>> | undefined): ResolvedTalksTerms {
  const t = terms as TalksTerms | undefined;
  const hours = t?.briefingHours ?? TALKS.briefing.figures.briefingHours;
  const groups: Record<string, ResolvedGroup> = {};
  for (const [id, g] of Object.entries(t?.groups ?? {})) {
    groups[id] = Object.freeze({ members: Object.freeze([...g.members].sort()), cadenceDays: g.cadenceDays, cadenceMs: g.cadenceDays * 86_400_000 });
  }
  return Object.freeze({ briefingMs: hours * 3_600_000, groups: Object.freeze(groups) });
}

export const TALKS_TERMS: TermsSpec<ResolvedTalksTerms> = Object.freeze({
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      briefingHours: { type: 'number', minimum: 0, description: `Brief the parties an agenda item concerns within this many hours of the meeting; 0: no deadline (${TALKS.briefing.citation}).` },
      groups: {
        type: 'object',
        description: `Working groups and standing bodies by id (the \`group\` their meetings name): members and meeting cadence (${TALKS.groupCadence.citation}).`,
        propertyNames: { pattern: GROUP_ID },
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          required: ['members', 'cadenceDays'],
          properties: {
            members: { type: 'array', minItems: 2, maxItems: 100, uniqueItems: true, items: { type: 'string', pattern: PARTY.source }, description: 'The member parties: a meeting counts when each has a delegation.' },
            cadenceDays: { type: 'integer', minimum: 1, maximum: 3660, description: 'The group meets within this many days of its previous meeting (or of the agreement coming into force).' },
          },
        },
      },
    },
  },
  defaults: Object.freeze({ briefingHours: TALKS.briefing.figures.briefingHours, groups: Object.freeze({}) }),
  check,
  resolve,
});
