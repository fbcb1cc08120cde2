/**
 * The missile non-deployment regime's rules as data, and the terms an agreement sets for it.
 *
 * There is no treaty in force behind it: what binds the parties is the agreement they adopt in the
 * record (src/regimes/agreement) setting `missiles` terms — which systems are covered (a range
 * band, as the INF Treaty's 500 to 5,500 km), where they may not be deployed (from where they can
 * reach the other party's territory, or a named area), and the transparency visits: how many each
 * party may make in a calendar year, with what notice, how soon the host replies, how long a visit
 * lasts. The figures are the same for both sides unless the agreement sets one side's apart
 * (`sides`). Without an adopted agreement between two parties, none of these rules binds them.
 * The citations say so: `MISSILES §…` points at the agreed terms, completed with the agreement's id.
 */
import type { RuleRow, TermsProblem, TermsSpec } from '../types.js';

export const MISSILES = {
  deployment: {
    id: 'missiles.deployment',
    citation: 'MISSILES §deployment (agreed terms)',
    title: 'No covered system where it can reach the other party',
    description:
      'A party declares no system of a covered class (terms `classes`: its kinds and range band, both ends included) present at a site from which its declared range reaches the other party\'s territory (terms `area` `reach`: the great-circle distance from the site to the nearest point of the territory, as the shipped Natural Earth 1:50m boundaries draw it, is at most the declared range), or, with a named area, at a site inside that area. Each site declaration is judged from when it is made, or from when the agreement comes into force, until the party\'s next declaration of that site. A violation; where the other party\'s territory is not known, the node says it cannot judge.',
    figures: { minKm: 500, maxKm: 5500 },
  },
  reply: {
    id: 'missiles.visit.reply',
    citation: 'MISSILES §reply (agreed terms)',
    title: 'The host replies to a visit request in time',
    description:
      'The host replies to every visit request naming one of its declared sites within `replyHours` of the request (accepting with a window, or declining with a reason). Met at the deadline\'s millisecond; a reply one millisecond later is late. A node that holds entries by the host after the request that it cannot read does not find a missed reply: it says it cannot tell.',
    figures: { replyHours: 24 },
  },
  decline: {
    id: 'missiles.visit.decline',
    citation: 'MISSILES §quota (agreed terms)',
    title: 'A visit within the quota, with the agreed notice, is received',
    description:
      'Each party may make `visitsPerYear` visits to the other\'s declared sites in a calendar year (UTC, by the request\'s header time): its first that many requests to that party in the year are within the quota. A request within the quota that gives at least `noticeHours` of notice (its `arrival` no earlier than that after the request) is accepted: declining it is a violation, and accepting it with a window shorter than the agreed `visitHours` a warning. Declining a request beyond the quota, or with short notice, is no violation. Where this node holds entries by the visiting party in the year that it cannot read (requests perhaps), it says it cannot tell whether a declined request was within the quota.',
    figures: { visitsPerYear: 2, noticeHours: 72, visitHours: 24 },
  },
  held: {
    id: 'missiles.visit.held',
    citation: 'MISSILES §visit (agreed terms)',
    title: 'An accepted visit is held and reported',
    description:
      'A visit accepted is held in its window, and the visiting party reports it (missiles.visit.report) within `reportHours` after the window closes. With no report by then, the record does not show the visit held: a warning naming both parties, since it does not say whose doing that was. A report of time on site outside the accepted window is a warning too.',
    figures: { reportHours: 72 },
  },
  report: {
    id: 'missiles.visit.report',
    citation: 'MISSILES §report (agreed terms)',
    title: 'A visit report is countersigned or disputed; an inconsistency is a finding',
    description:
      'The host countersigns or disputes each visit report within `acknowledgeHours` (missiles.report.countersign or missiles.report.dispute, each its own signed entry naming the report; both signatures stay in the record). Until then a report is unacknowledged, and after then that is a finding. A report that the site was not consistent with the declaration and the commitment, or that the visit was not held, is a finding: a violation once the host countersigns it, a warning while it is unacknowledged or when the host disputes it (its reason is quoted).',
    figures: { acknowledgeHours: 72 },
  },
} as const satisfies Record<string, RuleRow>;

export const MISSILES_RULES: readonly RuleRow[] = Object.freeze(Object.values(MISSILES));

export const SYSTEM_KINDS = ['ballistic', 'cruise', 'hypersonic-glide', 'interceptor', 'other'] as const;
export type SystemKind = (typeof SYSTEM_KINDS)[number];

/** A class of systems the commitment covers: ground-launched systems of these kinds with a range in [minKm, maxKm]. */
export interface SystemClass {
  id: string;
  title: string;
  kinds: SystemKind[];
  minKm: number;
  maxKm: number;
}

/** Where covered systems may not be: from where they reach the other party, or inside a named area. */
export type AreaTerms = { kind: 'reach' } | { kind: 'named'; name: string; polygon: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown } };

/** The visit figures of one side, as the visiting party. */
export interface SideTerms {
  visitsPerYear?: number;
  noticeHours?: number;
  replyHours?: number;
  visitHours?: number;
  reportHours?: number;
  acknowledgeHours?: number;
}

/**
 * What an agreement may set for the missile regime.
 *
 * @example
 *   // the terms of an agreement.proposal between USA and RUS
 *   { "missiles": { "classes": [{ "id": "intermediate-range", "title": "Ground-launched, 500 to 5,500 km",
 *       "kinds": ["ballistic", "cruise"], "minKm": 500, "maxKm": 5500 }],
 *     "area": { "kind": "reach" }, "visitsPerYear": 2, "noticeHours": 72, "replyHours": 24, "visitHours": 24,
 *     "territories": { "USA": ["840"], "RUS": ["643"] } } }
 */
export interface MissilesTerms extends SideTerms {
  classes?: SystemClass[];
  area?: AreaTerms;
  /** One side's figures apart from the common ones, by visiting party. */
  sides?: Record<string, SideTerms>;
  /** Each party's territory: Natural Earth country ids (ISO 3166-1 numeric, as world-atlas numbers them). */
  territories?: Record<string, string[]>;
}

export interface ResolvedSide {
  readonly visitsPerYear: number;
  readonly noticeMs: number;
  readonly replyMs: number;
  readonly visitMs: number;
  readonly reportMs: number;
  readonly acknowledgeMs: number;
}

export interface ResolvedMissilesTerms {
  readonly classes: readonly SystemClass[];
  readonly area: AreaTerms;
  /** The figures governing visits by `party`. */
  side(party: string): ResolvedSide;
  /** The party's territory as Natural Earth ids, or undefined where the terms and the built-in table do not name it. */
  territory(party: string): readonly string[] | undefined;
}

const SIDE_FIELDS = ['visitsPerYear', 'noticeHours', 'replyHours', 'visitHours', 'reportHours', 'acknowledgeHours'] as const;

export const DEFAULT_CLASSES: readonly SystemClass[] = Object.freeze([
  Object.freeze({ id: 'intermediate-range', title: 'Ground-launched missiles of 500 to 5,500 km (as in the INF Treaty)', kinds: ['ballistic', 'cruise'] as SystemKind[], minKm: MISSILES.deployment.figures.minKm, maxKm: MISSILES.deployment.figures.maxKm }),
]);

const DEFAULT_SIDE: Required<SideTerms> = {
  visitsPerYear: MISSILES.decline.figures.visitsPerYear,
  noticeHours: MISSILES.decline.figures.noticeHours,
  replyHours: MISSILES.reply.figures.replyHours,
  visitHours: MISSILES.decline.figures.visitHours,
  reportHours: MISSILES.held.figures.reportHours,
  acknowledgeHours: MISSILES.report.figures.acknowledgeHours,
};

/**
 * Party codes (ISO 3166-1 alpha-3) of the states of the OSCE area and their neighbours, to their
 * Natural Earth ids (ISO 3166-1 numeric): a party's territory where the agreement names none.
 */
export const TERRITORY_IDS: Readonly<Record<string, string>> = Object.freeze({
  ALB: '008', AND: '020', ARM: '051', AUT: '040', AZE: '031', BEL: '056', BGR: '100', BIH: '070', BLR: '112', CAN: '124',
  CHE: '756', CHN: '156', CYP: '196', CZE: '203', DEU: '276', DNK: '208', ESP: '724', EST: '233', FIN: '246', FRA: '250',
  GBR: '826', GEO: '268', GRC: '300', HRV: '191', HUN: '348', IRL: '372', IRN: '364', ISL: '352', ITA: '380', JPN: '392',
  KAZ: '398', KGZ: '417', KOR: '410', LIE: '438', LTU: '440', LUX: '442', LVA: '428', MCO: '492', MDA: '498', MKD: '807',
  MLT: '470', MNE: '499', MNG: '496', NLD: '528', NOR: '578', POL: '616', PRK: '408', PRT: '620', ROU: '642', RUS: '643',
  SMR: '674', SRB: '688', SVK: '703', SVN: '705', SWE: '752', TJK: '762', TKM: '795', TUR: '792', UKR: '804', USA: '840', UZB: '860',
});

const PARTY = /^[A-Z][A-Z0-9]{1,15}$/;
const NUMERIC = /^[0-9]{3}$/;
const CLASS_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isHours = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 24 * 3660;

function checkSide(at: string, v: Record<string, unknown>, allowed: readonly string[]): TermsProblem | undefined {
  for (const [k, x] of Object.entries(v)) {
    if (!allowed.includes(k)) return { field: `${at}${k}`, message: `is not a term of the missile regime (${allowed.join(', ')})` };
    if (!(SIDE_FIELDS as readonly string[]).includes(k)) continue;
    if (k === 'visitsPerYear') {
      if (!(Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 1000)) return { field: `${at}${k}`, message: `is ${JSON.stringify(x)}; it must be a whole number of visits, 0 to 1000` };
    } else if (!isHours(x)) return { field: `${at}${k}`, message: `is ${JSON.stringify(x)}; it must be a positive number of hours` };
  }
  return undefined;
}

function checkClass(i: number, c: unknown): TermsProblem | undefined {
  const at = `classes.${i}`;
  if (!isObject(c)) return { field: at, message: 'must be an object with id, title, kinds, minKm and maxKm' };
  for (const k of Object.keys(c)) if (!['id', 'title', 'kinds', 'minKm', 'maxKm'].includes(k)) return { field: `${at}.${k}`, message: 'is not a term of a system class (id, title, kinds, minKm, maxKm)' };
  if (typeof c.id !== 'string' || !CLASS_ID.test(c.id)) return { field: `${at}.id`, message: 'must be a class id (lower-case letters, digits, . _ -)' };
  if (typeof c.title !== 'string' || c.title.length === 0 || c.title.length > 300) return { field: `${at}.title`, message: 'must be the class in a line (1 to 300 characters)' };
  const kinds = c.kinds;
  if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k, j) => !(SYSTEM_KINDS as readonly unknown[]).includes(k) || kinds.indexOf(k) !== j)) return { field: `${at}.kinds`, message: `must list the kinds covered, each once (${SYSTEM_KINDS.join(', ')})` };
  const { minKm, maxKm } = c;
  if (typeof minKm !== 'number' || !(minKm >= 0)) return { field: `${at}.minKm`, message: `is ${JSON.stringify(minKm)}; it must be a range in km, 0 or more` };
  if (typeof maxKm !== 'number' || !(maxKm >= minKm) || maxKm > 40_000) return { field: `${at}.maxKm`, message: `is ${JSON.stringify(maxKm)}; it must be a range in km, from minKm to 40,000` };
  return undefined;
}

function checkArea(a: unknown): TermsProblem | undefined {
  if (!isObject(a)) return { field: 'area', message: 'must be {"kind": "reach"} or {"kind": "named", "name", "polygon"}' };
  if (a.kind === 'reach') return Object.keys(a).length === 1 ? undefined : { field: 'area', message: 'a reach area has no other field than kind' };
  if (a.kind !== 'named') return { field: 'area.kind', message: 'must be reach or named' };
  for (const k of Object.keys(a)) if (!['kind', 'name', 'polygon'].includes(k)) return { field: `area.${k}`, message: 'is not a term of a named area (kind, name, polygon)' };
  if (typeof a.name !== 'string' || a.name.length === 0 || a.name.length > 200) return { field: 'area.name', message: 'must name the area (1 to 200 characters)' };
  const p = a.polygon;
  if (!isObject(p) || (p.type !== 'Polygon' && p.type !== 'MultiPolygon') || !Array.isArray(p.coordinates)) return { field: 'area.polygon', message: 'must be a GeoJSON Polygon or MultiPolygon' };
  const polygons = (p.type === 'Polygon' ? [p.coordinates] : p.coordinates) as unknown[];
  for (const poly of polygons) {
    if (!Array.isArray(poly) || poly.length === 0) return { field: 'area.polygon', message: 'has a polygon without rings' };
    for (const ring of poly) {
      if (!Array.isArray(ring) || ring.length < 4) return { field: 'area.polygon', message: 'has a ring of fewer than 4 positions' };
      if (!ring.every((c) => Array.isArray(c) && c.length === 2 && Math.abs(c[0]) <= 180 && Math.abs(c[1]) <= 90)) return { field: 'area.polygon', message: 'has a position that is not [longitude, latitude]' };
      const [f, l] = [ring[0], ring[ring.length - 1]];
      if (f[0] !== l[0] || f[1] !== l[1]) return { field: 'area.polygon', message: 'has a ring that is not closed (its last position repeats its first)' };
    }
  }
  return undefined;
}

function check(terms: unknown): TermsProblem | undefined {
  if (!isObject(terms)) return { field: '', message: 'must be an object' };
  const top = [...SIDE_FIELDS, 'classes', 'area', 'sides', 'territories'];
  const side = checkSide('', Object.fromEntries(Object.entries(terms).filter(([k]) => (SIDE_FIELDS as readonly string[]).includes(k) || !top.includes(k))), top);
  if (side) return side;
  if (terms.classes !== undefined) {
    if (!Array.isArray(terms.classes) || terms.classes.length === 0 || terms.classes.length > 50) return { field: 'classes', message: 'must list 1 to 50 system classes' };
    for (const [i, c] of terms.classes.entries()) {
      const p = checkClass(i, c);
      if (p) return p;
    }
    const ids = terms.classes.map((c) => (c as SystemClass).id);
    const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
    if (dup >= 0) return { field: `classes.${dup}.id`, message: `${ids[dup]} names two classes` };
  }
  if (terms.area !== undefined) {
    const p = checkArea(terms.area);
    if (p) return p;
  }
  if (terms.sides !== undefined) {
    if (!isObject(terms.sides)) return { field: 'sides', message: 'must be an object of side figures by party' };
    for (const [party, s] of Object.entries(terms.sides)) {
      if (!PARTY.test(party)) return { field: `sides.${party}`, message: 'is not a party code' };
      if (!isObject(s)) return { field: `sides.${party}`, message: 'must be an object of visit figures' };
      const p = checkSide(`sides.${party}.`, s, SIDE_FIELDS);
      if (p) return p;
    }
  }
  if (terms.territories !== undefined) {
    if (!isObject(terms.territories)) return { field: 'territories', message: 'must be an object of Natural Earth country ids by party' };
    for (const [party, ids] of Object.entries(terms.territories)) {
      if (!PARTY.test(party)) return { field: `territories.${party}`, message: 'is not a party code' };
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > 50 || !ids.every((x) => typeof x === 'string' && NUMERIC.test(x))) {
        return { field: `territories.${party}`, message: 'must list 1 to 50 country ids, three digits each (ISO 3166-1 numeric, e.g. "643")' };
      }
    }
  }
  return undefined;
}

const H = 3_600_000;

function resolveSide(common: SideTerms, own: SideTerms | undefined): ResolvedSide {
  const v = <K extends keyof SideTerms>(k: K): number => (own?.[k] ?? common[k] ?? DEFAULT_SIDE[k]) as number;
  return Object.freeze({
    visitsPerYear: v('visitsPerYear'),
    noticeMs: v('noticeHours') * H,
    replyMs: v('replyHours') * H,
    visitMs: v('visitHours') * H,
    reportMs: v('reportHours') * H,
    acknowledgeMs: v('acknowledgeHours') * H,
  });
}

function resolve(terms: Readonly<Record<string, unknown>> | undefined): ResolvedMissilesTerms {
  const t = (terms ?? {}) as MissilesTerms;
  const common = resolveSide(t, undefined);
  const sides = new Map(Object.entries(t.sides ?? {}).map(([p, s]) => [p, resolveSide(t, s)]));
  const classes = Object.freeze((t.classes ?? DEFAULT_CLASSES).map((c) => Object.freeze({ ...c, kinds: [...c.kinds] })));
  const territories = t.territories ?? {};
  return Object.freeze({
    classes,
    area: t.area ?? { kind: 'reach' as const },
    side: (party: string) => sides.get(party) ?? common,
    territory: (party: string) => territories[party] ?? (TERRITORY_IDS[party] ? [TERRITORY_IDS[party]] : undefined),
  });
}

/** The classes of `terms` that cover a system of `kind` with a declared range of `rangeKm` (both ends of the band included). */
export function coveringClasses(terms: ResolvedMissilesTerms, kind: string, rangeKm: number | undefined): SystemClass[] {
  if (rangeKm === undefined) return [];
  return terms.classes.filter((c) => (c.kinds as readonly string[]).includes(kind) && rangeKm >= c.minKm && rangeKm <= c.maxKm);
}

const hours = (description: string) => ({ type: 'number', exclusiveMinimum: 0, maximum: 24 * 3660, description }) as const;
const sideSchema = {
  visitsPerYear: { type: 'integer', minimum: 0, maximum: 1000, description: `Visits a party may make to the other's declared sites in a calendar year (${MISSILES.decline.citation}).` },
  noticeHours: hours('Hours of notice a request gives before the visitors arrive.'),
  replyHours: hours(`Hours the host has to reply to a request (${MISSILES.reply.citation}).`),
  visitHours: hours('The length of a visit, in hours: an accepted window is at least this long.'),
  reportHours: hours(`Hours after the window closes by which the visitors report the visit (${MISSILES.held.citation}).`),
  acknowledgeHours: hours(`Hours the host has to countersign or dispute a report (${MISSILES.report.citation}).`),
} as const;

export const MISSILES_TERMS: TermsSpec<ResolvedMissilesTerms> = Object.freeze({
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      classes: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        description: `The system classes covered (${MISSILES.deployment.citation}): ground-launched systems of these kinds with a declared range in the band.`,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'title', 'kinds', 'minKm', 'maxKm'],
          properties: {
            id: { type: 'string', pattern: CLASS_ID.source },
            title: { type: 'string', minLength: 1, maxLength: 300 },
            kinds: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...SYSTEM_KINDS] } },
            minKm: { type: 'number', minimum: 0 },
            maxKm: { type: 'number', minimum: 0, maximum: 40_000 },
          },
        },
      },
      area: {
        description: 'Where covered systems may not be: `reach` (from where their declared range reaches the other party\'s territory), or a named area.',
        oneOf: [
          { type: 'object', additionalProperties: false, required: ['kind'], properties: { kind: { const: 'reach' } } },
          {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'name', 'polygon'],
            properties: { kind: { const: 'named' }, name: { type: 'string', minLength: 1, maxLength: 200 }, polygon: { type: 'object', description: 'A GeoJSON Polygon or MultiPolygon.' } },
          },
        ],
      },
      ...sideSchema,
      sides: {
        type: 'object',
        description: 'One side\'s visit figures apart from the common ones, by visiting party (reciprocal where absent).',
        propertyNames: { pattern: PARTY.source },
        additionalProperties: { type: 'object', additionalProperties: false, properties: sideSchema },
      },
      territories: {
        type: 'object',
        description: 'Each party\'s territory as Natural Earth country ids (ISO 3166-1 numeric); where absent, the party code read as ISO 3166-1 alpha-3.',
        propertyNames: { pattern: PARTY.source },
        additionalProperties: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', pattern: NUMERIC.source } },
      },
    },
  },
  defaults: Object.freeze({ classes: DEFAULT_CLASSES, area: { kind: 'reach' }, ...DEFAULT_SIDE }),
  check,
  resolve,
});
