/**
 * Frontier zones and observers: reciprocal ceilings on both sides of a border, declarations,
 * movement notices, observer missions and their reports, restrictions and access requests — the
 * arrangement proposed in December 2021 and never agreed, made checkable. Every figure is an
 * agreed term (rules.ts): with no adopted agreement setting `zones` terms, nothing is owed.
 *
 * | group     | members | evaluator |
 * |-----------|---------|-----------|
 * | `party:P` | agreement proposals setting zones terms that name P; P's declarations and movement notices | evaluateParty — ZONES §ceiling, §declaration, §movement, §record |
 * | `zones`   | agreement proposals setting zones terms; every zones.* entry; vd.activity.notification | evaluateZones — ZONES §observation, §access, §activity, §record |
 *
 * What observers report is one group, because which zone a position falls in is computed against
 * the zones of the agreement in force (a group key may depend only on the entry itself); what each
 * party declares is its own group, so that a new count does not judge every declaration again.
 *
 * @example
 *   import { evaluate } from '../engine.js';
 *   const { obligations, findings } = evaluate([zones], entries, Date.now());
 */
import { evaluate } from '../engine.js';
import type { RegimeModule } from '../module.js';
import type { HeldEntry, RecordEntry } from '../types.js';
import { mapOf, statusOf, type ZonesMap, type ZonesStatus } from './views.js';
import { PROPOSAL } from '../agreement/book.js';
import { VD_NOTIFICATION, evaluateParty, evaluateZones } from './evaluators.js';
import { ZONES_RULES, ZONES_TERMS } from './rules.js';
import { ACCESS_REPLY, zonesSchemas } from './schemas.js';
import { zonesService } from './live/service.js';

const GROUP = ['zones'] as const;
const NONE: readonly string[] = Object.freeze([]);
const OWN = new Set(['zones.declaration', 'zones.movement']);

function groupsOf(h: HeldEntry): readonly string[] {
  if (!h.body || h.type === undefined) return NONE;
  if (h.type === PROPOSAL) {
    if ((h.body.terms as Record<string, unknown> | undefined)?.zones === undefined) return NONE;
    const parties = Array.isArray(h.body.parties) ? (h.body.parties as unknown[]).filter((p): p is string => typeof p === 'string') : [];
    return ['zones', ...[...new Set(parties)].map((p) => `party:${p}`)];
  }
  if (OWN.has(h.type)) return ['zones', `party:${h.author}`];
  return h.type.startsWith('zones.') || h.type === VD_NOTIFICATION ? GROUP : NONE;
}

/** The access request a reply names in its body: found by `ctx.referrers(request)`. */
function linksOf(h: HeldEntry): readonly string[] {
  if (h.type !== ACCESS_REPLY || !h.body) return NONE;
  const q = h.body.request;
  return typeof q === 'string' && !h.refs.includes(q) ? [q] : NONE;
}

export const zones: RegimeModule = Object.freeze({
  id: 'zones',
  version: '1.0.0',
  title: 'Frontier zones and observers (ceilings, declarations, movement notices, observer reports, access)',
  rules: ZONES_RULES,
  types: zonesSchemas,
  terms: ZONES_TERMS,
  // Loaded only by a running node: the regime itself stays pure.
  service: (deps) => zonesService(zones)(deps),
  groupsOf,
  linksOf,
  evaluateGroup(key, ctx) {
    if (key === 'zones') evaluateZones(ctx);
    else if (key.startsWith('party:')) evaluateParty(key.slice('party:'.length), ctx);
  },
  evaluate(entries, at, options) {
    return evaluate([zones], entries, at, options);
  },
} satisfies RegimeModule);

export { ZONES, ZONES_RULES, ZONES_TERMS, CATEGORIES, CATEGORY_NAMES, type Category, type Counts, type ZoneTerms, type ZonesTerms } from './rules.js';
export { zonesSchemas, type AccessReply, type AccessRequest, type Declaration, type Mission, type Movement, type Report, type Restriction } from './schemas.js';
export { ZoneIndex, PreparedPolygon, type Area } from './geometry.js';
export { zonesList, type ZoneStatus, type ZonesMap, type ZonesStatus, type ZoneSummary } from './views.js';

/** Per zone in force at `at`: side, ceilings, latest declared and observed figures, findings (views.ts). */
export function zonesStatus(entries: Iterable<RecordEntry>, at: number): ZonesStatus {
  return statusOf(zones, entries, at);
}

/** The status with what a map draws: areas, observer posts, reports and restrictions with their zones. */
export function zonesMap(entries: Iterable<RecordEntry>, at: number): ZonesMap {
  return mapOf(zones, entries, at);
}
