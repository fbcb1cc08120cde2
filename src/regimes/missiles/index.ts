/**
 * Missile non-deployment with verification: the commitment an agreement sets in the record (the
 * system classes covered, where they may not be, the visit quota and periods, reciprocal unless a
 * side is set apart), each party's declared sites, and transparency visits from request to the
 * host's countersignature or dispute of the visitors' report.
 *
 * | group                     | members | evaluator |
 * |---------------------------|---------|-----------|
 * | `sites:PARTY`             | PARTY's missiles.site declarations; agreement proposals naming PARTY with missile terms | deployment — MISSILES §deployment |
 * | `visit:REQUEST`           | one missiles.visit.request | visit — MISSILES §reply, §visit, §report |
 * | `quota:V>H:YEAR`          | V's missiles.visit.request to H made in YEAR (UTC) | quota — MISSILES §quota |
 *
 * Replies, reports, countersignatures and disputes are read through the entry they name
 * (`linksOf`), and count only when addressed to every party holding it (`unreached`): a node that
 * holds one as a stub was not addressed, and finds what a node reading it finds.
 *
 * @example
 *   import { evaluate } from '../engine.js';
 *   const { obligations, findings } = evaluate([missiles], entries, Date.now());
 */
import { evaluate, utcYear } from '../engine.js';
import type { RegimeModule } from '../module.js';
import type { HeldEntry } from '../types.js';
import { PROPOSAL } from '../agreement/book.js';
import { deployment, quota, visit } from './evaluators.js';
import { MISSILES_RULES, MISSILES_TERMS } from './rules.js';
import { COUNTERSIGN, DISPUTE, REPLY, REPORT, REQUEST, SITE, missilesSchemas } from './schemas.js';
import { missilesService } from './live/service.js';

function groupsOf(h: HeldEntry): string[] {
  if (!h.body || h.type === undefined) return [];
  if (h.type === PROPOSAL) {
    const terms = h.body.terms as Record<string, unknown> | undefined;
    return terms && typeof terms === 'object' && 'missiles' in terms && Array.isArray(h.body.parties) ? (h.body.parties as string[]).map((p) => `sites:${p}`) : [];
  }
  if (h.type === SITE) return [`sites:${h.author}`];
  if (h.type === REQUEST && typeof h.body.host === 'string') return [`visit:${h.id}`, `quota:${h.author}>${h.body.host}:${utcYear(h.t)}`];
  return [];
}

function linksOf(h: HeldEntry): string[] {
  if (!h.body) return [];
  const link = h.type === REPLY || h.type === REPORT ? h.body.request : h.type === COUNTERSIGN || h.type === DISPUTE ? h.body.report : h.type === REQUEST ? h.body.declaration : undefined;
  return typeof link === 'string' && !h.refs.includes(link) ? [link] : [];
}

export const missiles: RegimeModule = Object.freeze({
  id: 'missiles',
  // 1.1.0: what a rule reads counts only where every party judging by it holds it; stubs never mask a lapse.
  version: '1.1.0',
  title: 'Missile non-deployment with verification (declared sites, reciprocal visits, range checks)',
  rules: MISSILES_RULES,
  types: missilesSchemas,
  terms: MISSILES_TERMS,
  // Loaded only by a running node: the regime itself stays pure.
  service: missilesService,
  groupsOf,
  linksOf,
  evaluateGroup(key, ctx) {
    if (key.startsWith('sites:')) return deployment(key.slice('sites:'.length), ctx);
    if (key.startsWith('visit:')) {
      const [r] = ctx.members();
      if (r) visit(r, ctx);
      return;
    }
    const m = /^quota:([^>]+)>(.+):(\d+)$/.exec(key);
    if (m) quota(m[1], m[2], Number(m[3]), ctx);
  },
  evaluate(entries, at, options) {
    return evaluate([missiles], entries, at, options);
  },
} satisfies RegimeModule);

export { missilesSites, missilesVisits, type CommitmentView, type QuotaUse, type SitesReport, type SiteView, type VisitsReport, type VisitView } from './views.js';
export { MISSILES, MISSILES_RULES, MISSILES_TERMS, TERRITORY_IDS, type MissilesTerms } from './rules.js';
export { distanceToTerritoryKm } from './geo.js';
export { missilesSchemas, type SiteDeclaration, type VisitReply, type VisitReport, type VisitRequest } from './schemas.js';
