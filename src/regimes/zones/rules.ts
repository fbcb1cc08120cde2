/**
 * The frontier-zones regime's rules as data, and the terms an agreement sets for it.
 *
 * No treaty gives these figures. The proposals of December 2021 (reciprocal limits on troops,
 * strike aircraft and missiles in frontier zones; no exercises above brigade level in a band of
 * agreed width on each side of the border; observers on both sides) were never agreed: every
 * zone, ceiling, cadence and deadline here is what the parties write in an `agreement.proposal`
 * and adopt in the record. The citations say so: `ZONES §ceiling (agreed terms)` is completed with
 * the agreement's entry id and the zone, and the defaults set nothing (no zone, no obligation).
 */
import type { RuleRow, TermsProblem, TermsSpec } from '../types.js';
import { ZoneIndex, type Area } from './geometry.js';

/** What a ceiling, declaration, notice or count is about: the December 2021 categories, and the Vienna Document's four force figures. */
export const CATEGORIES = ['troops', 'battleTanks', 'armouredCombatVehicles', 'artillery', 'combatAircraft', 'attackHelicopters', 'missileLaunchers'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Counts = Partial<Record<Category, number>>;

export const CATEGORY_NAMES: Readonly<Record<Category, string>> = Object.freeze({
  troops: 'troops',
  battleTanks: 'battle tanks',
  armouredCombatVehicles: 'armoured combat vehicles',
  artillery: 'artillery pieces',
  combatAircraft: 'combat aircraft',
  attackHelicopters: 'attack helicopters',
  missileLaunchers: 'launchers of ground-launched missiles',
});

const NO_TREATY = 'No treaty gives this figure: it is the agreed terms\' (the December 2021 proposals were never agreed).';

export const ZONES = {
  ceiling: {
    id: 'zones.ceiling',
    citation: 'ZONES §ceiling (agreed terms)',
    title: 'Declared holdings within the zone\'s ceiling',
    description: `A party's declared holdings in a zone, per category, are at most the ceiling the agreement sets for that party in that zone (terms \`zones.<id>.ceilings.<party>\`); a declaration over a ceiling is a violation, on the party's own word. Exactly at the ceiling is within it. ${NO_TREATY}`,
    figures: {},
    comparison: 'more-than',
  },
  declaration: {
    id: 'zones.declaration',
    citation: 'ZONES §declaration (agreed terms)',
    title: 'Holdings declared on the agreed cadence',
    description: `Each party with a ceiling in a zone declares its holdings there (a zones.declaration with a holding for the zone, \`asOf\` a date in the period) in every period of the agreed cadence — calendar months, or a number of days from the agreement's entry into force — within the agreed days of the period's start (terms \`declarations\`). Late or missing is a finding. Only a declaration addressed to every addressee of the agreement counts (ZONES §record). ${NO_TREATY}`,
    figures: {},
  },
  movement: {
    id: 'zones.movement',
    citation: 'ZONES §movement (agreed terms)',
    title: 'Forces entering a zone announced in advance',
    description: `Where the agreement sets \`movementNoticeDays\` (default 0: no notice required), forces entering a zone are announced in a zones.movement at least that many days before they enter; a notice given later is a violation. The notice's figures added to the party's latest declaration for the zone (and to its other notices since) give the projected holdings: over the ceiling is a warning, before the forces move. ${NO_TREATY}`,
    figures: { movementNoticeDays: 0 },
  },
  counted: {
    id: 'zones.counted',
    citation: 'ZONES §observation (agreed terms)',
    title: 'Observers count no more than was declared',
    description: `An observer report places its count in the zones its position falls in. Where it counts more of a party's forces in a category than the party declared for that zone (its latest declaration as of the report, plus the movements it notified entering since), it is a warning on the observer's count — the count is the observer's claim, and the finding says whose. With \`movementNoticeDays\` agreed, forces counted over the declaration with no movement notice at all since it are a violation, on the same observer's count. Only declarations and notices addressed to every addressee of the agreement count (ZONES §record). ${NO_TREATY}`,
    figures: {},
  },
  activity: {
    id: 'zones.activity',
    citation: 'ZONES §activity (agreed terms)',
    title: 'No activity above the zone\'s limit',
    description: `A Vienna Document activity notification (vd.activity.notification) by a party to the agreement, whose area meets a zone and whose figures exceed that zone's activity limit in a category (terms \`zones.<id>.activityLimit\`, e.g. a brigade's strength), is a violation: the parties agreed no exercise above that size in the zone. Exactly at the limit is within it. ${NO_TREATY}`,
    figures: {},
    comparison: 'more-than',
  },
  access: {
    id: 'zones.access',
    citation: 'ZONES §access (agreed terms)',
    title: 'Observers have access to the zones',
    description: `An observer's access request to a party (zones.access.request) is answered by a zones.access.reply within the agreed hours (terms \`accessReplyHours\`, default 24; 0: no deadline) when the place asked is in a zone; unanswered, late, or refused (granted false) is a violation by the requested party. A restriction an observer reports (zones.restriction: access denied where, when, by whom, the reason given) at a position in a zone is a violation by the party that denied access, on the observer's report; outside every zone the agreement does not reach, and it is only shown (the map lists it as outside every zone). ${NO_TREATY}`,
    figures: { accessReplyHours: 24 },
  },
  record: {
    id: 'zones.record',
    citation: 'ZONES §record',
    title: 'What counts is what every judging party can read',
    description:
      'A finding of absence (a declaration missing, a count over what was declared, forces with no movement notice, an access request unanswered) rests only on entries that every node judging it holds with their content: a declaration or movement notice counts when it is addressed to every addressee of the agreement (to "*" when the agreement is), an access reply when it reaches every addressee of the request. A node that holds only the stub of one addressed to fewer parties — it was not among them — therefore finds exactly what a node holding it finds, and asserts nothing that depends on its content; the addressees, who can read it, are told that it does not count (information).',
    figures: {},
  },
} as const satisfies Record<string, RuleRow>;

export const ZONES_RULES: readonly RuleRow[] = Object.freeze(Object.values(ZONES));

/**
 * What an agreement may set for the frontier zones.
 *
 * @example
 *   // in an agreement between RUS, UKR and OSCE: a 50 km band on Russia's side, monthly declarations due by the 5th
 *   { "zones": {
 *       "zones": { "rus-ukr-ru": { "side": "RUS", "band": { "between": ["RUS", "UKR"], "widthKm": 50 }, "area": { "type": "MultiPolygon", "coordinates": [...] },
 *                                  "ceilings": { "RUS": { "troops": 10000, "battleTanks": 100 } }, "activityLimit": { "troops": 4000 } } },
 *       "declarations": { "every": "month", "withinDays": 5 }, "movementNoticeDays": 7, "accessReplyHours": 24 } }
 */
export interface ZonesTerms {
  zones?: Record<string, ZoneTerms>;
  declarations?: { every: 'month' | number; withinDays: number };
  movementNoticeDays?: number;
  accessReplyHours?: number;
}

export interface ZoneTerms {
  name?: string;
  /** Whose territory the zone is on. */
  side: string;
  area: Area;
  /** How the area was drawn, when it is a band along a border (src/regimes/zones/boundaries.ts). */
  band?: { between: [string, string]; widthKm: number; resolution?: string };
  ceilings?: Record<string, Counts>;
  activityLimit?: Counts;
}

export interface ResolvedZone {
  readonly id: string;
  readonly name: string;
  readonly side: string;
  readonly area: Area;
  readonly band?: ZoneTerms['band'];
  readonly ceilings: Readonly<Record<string, Counts>>;
  readonly activityLimit: Counts;
}

export interface ResolvedZonesTerms {
  /** In the agreement's order. */
  readonly zones: readonly ResolvedZone[];
  readonly index: ZoneIndex;
  /** Absent: no declarations are due. */
  readonly declarations?: { readonly every: 'month' | number; readonly withinDays: number };
  readonly movementNoticeMs: number;
  readonly movementNoticeDays: number;
  readonly accessReplyMs: number;
  readonly accessReplyHours: number;
}

export const ZONE_ID = '^[a-z0-9][a-z0-9._-]{0,63}$';
const PARTY = '^[A-Z][A-Z0-9]{1,15}$';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const countsSchema = (description: string) => ({
  type: 'object',
  additionalProperties: false,
  description,
  properties: Object.fromEntries(CATEGORIES.map((c) => [c, { type: 'integer', minimum: 0, description: `Number of ${CATEGORY_NAMES[c]}.` }])),
});

function countsProblem(v: unknown, at: string): TermsProblem | undefined {
  if (!isObject(v)) return { field: at, message: `must be an object of counts by category (${CATEGORIES.join(', ')})` };
  for (const [k, n] of Object.entries(v)) {
    if (!(CATEGORIES as readonly string[]).includes(k)) return { field: `${at}.${k}`, message: `is not a category (${CATEGORIES.join(', ')})` };
    if (!(Number.isInteger(n) && (n as number) >= 0)) return { field: `${at}.${k}`, message: `is ${JSON.stringify(n)}; it must be a whole number, 0 or more` };
  }
  return undefined;
}

function areaProblem(a: unknown, at: string): TermsProblem | undefined {
  if (!isObject(a) || (a.type !== 'Polygon' && a.type !== 'MultiPolygon') || !Array.isArray(a.coordinates)) return { field: at, message: 'must be a GeoJSON Polygon or MultiPolygon' };
  const polys = (a.type === 'Polygon' ? [a.coordinates] : a.coordinates) as unknown[];
  for (const [i, poly] of polys.entries()) {
    if (!Array.isArray(poly) || poly.length === 0) return { field: `${at}.coordinates`, message: `polygon ${i} has no ring` };
    for (const [j, ring] of poly.entries()) {
      if (!Array.isArray(ring) || ring.length < 4) return { field: `${at}.coordinates`, message: `polygon ${i} ring ${j} has fewer than 4 positions` };
      const bad = ring.findIndex((p) => !Array.isArray(p) || p.length !== 2 || !(Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90));
      if (bad >= 0) return { field: `${at}.coordinates`, message: `polygon ${i} ring ${j} position ${bad} is not [longitude, latitude]` };
      const [f, l] = [ring[0] as number[], ring[ring.length - 1] as number[]];
      if (f[0] !== l[0] || f[1] !== l[1]) return { field: `${at}.coordinates`, message: `polygon ${i} ring ${j} is not closed (its last position must repeat its first)` };
    }
  }
  return undefined;
}

function zoneProblem(id: string, z: unknown): TermsProblem | undefined {
  const at = `zones.${id}`;
  if (!new RegExp(ZONE_ID).test(id)) return { field: at, message: 'is not a zone id (lower-case letters, digits, . _ -; at most 64)' };
  if (!isObject(z)) return { field: at, message: 'must be an object with side, area and ceilings' };
  const known = ['name', 'side', 'area', 'band', 'ceilings', 'activityLimit'];
  for (const k of Object.keys(z)) if (!known.includes(k)) return { field: `${at}.${k}`, message: `is not a term of a zone (${known.join(', ')})` };
  if (z.name !== undefined && (typeof z.name !== 'string' || z.name.length === 0 || z.name.length > 200)) return { field: `${at}.name`, message: 'must be a name of 1 to 200 characters' };
  if (typeof z.side !== 'string' || !new RegExp(PARTY).test(z.side)) return { field: `${at}.side`, message: `is ${JSON.stringify(z.side)}; it must name the party whose territory the zone is on` };
  const p = areaProblem(z.area, `${at}.area`);
  if (p) return p;
  if (z.band !== undefined) {
    const b = z.band;
    if (!isObject(b) || !Array.isArray(b.between) || b.between.length !== 2 || !b.between.every((x) => typeof x === 'string' && new RegExp(PARTY).test(x))) return { field: `${at}.band.between`, message: 'must name the two parties whose border the band follows' };
    if (!(typeof b.widthKm === 'number' && b.widthKm > 0 && b.widthKm <= 1000)) return { field: `${at}.band.widthKm`, message: `is ${JSON.stringify(b.widthKm)}; it must be a width in km, more than 0 and at most 1000` };
    if (!b.between.includes(z.side)) return { field: `${at}.band.between`, message: `does not include the zone's side ${String(z.side)}` };
  }
  if (z.ceilings !== undefined) {
    if (!isObject(z.ceilings)) return { field: `${at}.ceilings`, message: 'must be an object of counts by party' };
    for (const [party, c] of Object.entries(z.ceilings)) {
      if (!new RegExp(PARTY).test(party)) return { field: `${at}.ceilings.${party}`, message: 'is not a party code' };
      const q = countsProblem(c, `${at}.ceilings.${party}`);
      if (q) return q;
    }
  }
  return z.activityLimit === undefined ? undefined : countsProblem(z.activityLimit, `${at}.activityLimit`);
}

function check(terms: unknown): TermsProblem | undefined {
  if (!isObject(terms)) return { field: '', message: 'must be an object' };
  for (const [k, v] of Object.entries(terms)) {
    if (k === 'zones') {
      if (!isObject(v)) return { field: k, message: 'must be an object of zones by id' };
      for (const [id, z] of Object.entries(v)) {
        const p = zoneProblem(id, z);
        if (p) return p;
      }
    } else if (k === 'declarations') {
      if (!isObject(v)) return { field: k, message: 'must be {every: "month" or a number of days, withinDays}' };
      for (const f of Object.keys(v)) if (f !== 'every' && f !== 'withinDays') return { field: `${k}.${f}`, message: 'is not a term of declarations (every, withinDays)' };
      if (!(v.every === 'month' || (Number.isInteger(v.every) && (v.every as number) >= 1 && (v.every as number) <= 366))) return { field: `${k}.every`, message: `is ${JSON.stringify(v.every)}; it must be "month" or a whole number of days, 1 to 366` };
      if (!(Number.isInteger(v.withinDays) && (v.withinDays as number) >= 0 && (v.withinDays as number) <= 366)) return { field: `${k}.withinDays`, message: `is ${JSON.stringify(v.withinDays)}; it must be a whole number of days, 0 to 366` };
    } else if (k === 'movementNoticeDays' || k === 'accessReplyHours') {
      if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 3660)) return { field: k, message: `is ${JSON.stringify(v)}; it must be a number, 0 or more` };
    } else return { field: k, message: 'is not a term of the frontier zones (zones, declarations, movementNoticeDays, accessReplyHours)' };
  }
  return undefined;
}

function resolve(terms: Readonly<Record<string, unknown>> | undefined): ResolvedZonesTerms {
  const t = (terms ?? {}) as ZonesTerms;
  const zones = Object.entries(t.zones ?? {}).map(([id, z]) =>
    Object.freeze({ id, name: z.name ?? id, side: z.side, area: z.area, band: z.band, ceilings: Object.freeze({ ...(z.ceilings ?? {}) }), activityLimit: Object.freeze({ ...(z.activityLimit ?? {}) }) }),
  );
  const noticeDays = t.movementNoticeDays ?? ZONES.movement.figures.movementNoticeDays;
  const replyHours = t.accessReplyHours ?? ZONES.access.figures.accessReplyHours;
  return Object.freeze({
    zones: Object.freeze(zones),
    index: new ZoneIndex(zones),
    declarations: t.declarations ? Object.freeze({ ...t.declarations }) : undefined,
    movementNoticeDays: noticeDays,
    movementNoticeMs: noticeDays * 86_400_000,
    accessReplyHours: replyHours,
    accessReplyMs: replyHours * 3_600_000,
  });
}

export const ZONES_TERMS: TermsSpec<ResolvedZonesTerms> = Object.freeze({
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      zones: {
        type: 'object',
        description: `The frontier zones by id: whose side, the area (GeoJSON; for a band along a border, as \`parley zones band\` draws it), each party's ceilings, the activity limit (${ZONES.ceiling.citation}, ${ZONES.activity.citation}).`,
        propertyNames: { pattern: ZONE_ID },
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          required: ['side', 'area'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            side: { type: 'string', pattern: PARTY, description: 'The party whose territory the zone is on.' },
            area: { type: 'object', description: 'GeoJSON Polygon or MultiPolygon.' },
            band: { type: 'object', description: 'How the area was drawn: {between: [A, B], widthKm}, a band of that width on the side\'s side of the A–B border (Natural Earth boundaries).' },
            ceilings: { type: 'object', propertyNames: { pattern: PARTY }, additionalProperties: countsSchema('The most the party may hold in the zone, per category.'), description: 'Per party, its ceilings in the zone: an asymmetric agreement shows as such.' },
            activityLimit: countsSchema('No activity above these figures in the zone (e.g. a brigade\'s strength).'),
          },
        },
      },
      declarations: {
        type: 'object',
        additionalProperties: false,
        required: ['every', 'withinDays'],
        description: `Holdings are declared every calendar month ("month") or every N days from entry into force, within withinDays of each period's start (${ZONES.declaration.citation}). Absent: no declarations are due.`,
        properties: { every: { oneOf: [{ const: 'month' }, { type: 'integer', minimum: 1, maximum: 366 }] }, withinDays: { type: 'integer', minimum: 0, maximum: 366 } },
      },
      movementNoticeDays: { type: 'number', minimum: 0, description: `Forces entering a zone are announced this many days ahead; 0: no notice required (${ZONES.movement.citation}).` },
      accessReplyHours: { type: 'number', minimum: 0, description: `An observer's access request is answered within this many hours; 0: no deadline (${ZONES.access.citation}).` },
    },
  },
  defaults: Object.freeze({ zones: Object.freeze({}), movementNoticeDays: ZONES.movement.figures.movementNoticeDays, accessReplyHours: ZONES.access.figures.accessReplyHours }),
  check,
  resolve,
});
