/**
 * Example bodies of the Vienna Document content types, valid against their schemas, for the regimes'
 * tests. Each takes overrides, so a test states only what it is about.
 *
 * @example
 *   notificationBody({ designation: 'Zapad-2021', troops: 12_700, start: '2021-09-10T00:00:00.000Z', end: '2021-09-16T00:00:00.000Z' })
 */
import type { ActivityNotification, Calendar, CalendarActivity, ObserverReport } from '../../src/regimes/vienna2011/schemas.js';
import type { Forces } from '../../src/regimes/vienna2011/rules.js';
import type { RecordEntry } from '../../src/regimes/types.js';
import type { RecordBuilder } from './record.js';

/** A square in Belarus, as a closed GeoJSON ring. */
export const AREA = Object.freeze({
  type: 'Polygon' as const,
  coordinates: [
    [
      [24, 52],
      [32, 52],
      [32, 56],
      [24, 56],
      [24, 52],
    ],
  ] as [number, number][][],
});

export const NO_FORCES: Readonly<Forces> = Object.freeze({
  troops: 0,
  battleTanks: 0,
  armouredCombatVehicles: 0,
  artilleryPieces: 0,
  fixedWingSorties: 0,
  amphibiousTroops: 0,
  airborneTroops: 0,
});

export function notificationBody(o: Partial<ActivityNotification> = {}): ActivityNotification {
  return {
    activityType: 'land-forces',
    purpose: 'Command-post and field training exercise',
    start: '2021-09-10T00:00:00.000Z',
    end: '2021-09-16T00:00:00.000Z',
    area: AREA,
    ...NO_FORCES,
    alertActivity: false,
    ...o,
  };
}

export function calendarActivity(o: Partial<CalendarActivity> = {}): CalendarActivity {
  return {
    designation: 'Exercise',
    activityType: 'land-forces',
    start: '2021-09-10T00:00:00.000Z',
    end: '2021-09-16T00:00:00.000Z',
    ...NO_FORCES,
    ...o,
  };
}

export function calendarBody(year: number, activities: Partial<CalendarActivity>[] = []): Calendar {
  return { year, activities: activities.map(calendarActivity) };
}

export function reportBody(o: Partial<ObserverReport> = {}): ObserverReport {
  return {
    basis: 'observation',
    observedState: 'RUS',
    start: '2021-09-11T00:00:00.000Z',
    end: '2021-09-12T00:00:00.000Z',
    area: AREA,
    counted: { troops: 0 },
    ...o,
  };
}

export function annualExchangeBody(year: number, units: number): { year: number; units: { designation: string; level: string; location: string }[] } {
  return { year, units: Array.from({ length: units }, (_, i) => ({ designation: `Unit ${i + 1}`, level: 'brigade', location: 'Garrison' })) };
}

export const explanationRequestBody = (respondingState: string) => ({
  respondingState,
  activity: 'Concentration of forces near the border outside normal peacetime locations',
  reasons: 'Unusual and unscheduled military activity of significance',
});

export const inspectionRequestBody = (receivingState: string) => ({
  receivingState,
  specifiedArea: AREA,
  grounds: 'Verify compliance with agreed confidence- and security-building measures',
  pointOfEntry: 'Minsk National Airport',
  inspectors: 4,
});

export const evaluationRequestBody = (receivingState: string) => ({
  receivingState,
  unit: 'Unit 1',
  proposedDate: '2022-03-01',
  evaluators: 3,
});

/**
 * Participation in the Vienna Document, as the record declares it: an agreement proposal setting
 * `vd11` terms (the empty object) naming `parties`, endorsed by each of them one minute later.
 * Returns the proposal.
 */
export function participation(record: RecordBuilder, parties: string[], said: number, effective = said): RecordEntry {
  const body = { parties, terms: { vd11: {} }, effective: new Date(effective).toISOString() };
  const proposal = record.add(parties[0], said, 'agreement.proposal', { title: 'Participation in the Vienna Document 2011', ...body });
  for (const p of parties.slice(1)) record.add(p, said + 60_000, 'agreement.endorsement', { proposal: proposal.id, ...body }, { refs: [proposal.id] });
  return proposal;
}
