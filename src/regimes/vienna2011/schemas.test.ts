import { describe, expect, it } from 'vitest';
import { Catalogue } from '../../catalogue/index.js';
import { catalogue } from '../registry.js';
import { annualExchangeBody, AREA, calendarBody, evaluationRequestBody, explanationRequestBody, inspectionRequestBody, notificationBody, reportBody } from '../../../test/support/vienna-bodies.js';
import { viennaSchemas } from './schemas.js';

const cat = catalogue();

function refused(type: string, body: unknown): { code: string; path: unknown; message: string } {
  const r = cat.validate(type, body);
  if (r.ok) throw new Error(`${type} body was accepted`);
  return { code: r.error.code, path: r.error.detail?.path, message: r.error.message };
}

describe('Vienna Document content types in the catalogue', () => {
  it('are all registered, each with a title and a description, none served with its check', () => {
    for (const type of Object.keys(viennaSchemas)) {
      expect(cat.has(type)).toBe(true);
      const schema = cat.schema(type)!;
      expect(schema.title.length).toBeGreaterThan(0);
      expect(schema.description.length).toBeGreaterThan(0);
      expect(schema).not.toHaveProperty('check');
      expect(schema.additionalProperties).toBe(false);
    }
    expect(JSON.parse(JSON.stringify(cat.all()))).toEqual(cat.all());
    expect(cat.types()).toContain('receipt');
  });

  it('accept the example bodies', () => {
    const ok: [string, unknown][] = [
      ['vd.activity.notification', notificationBody({ designation: 'Zapad-2021', troops: 12_700 })],
      ['vd.calendar', calendarBody(2021, [{ designation: 'Zapad-2021', troops: 12_700 }])],
      ['vd.calendar', calendarBody(2022)],
      ['vd.observer.report', reportBody({ counted: { troops: 14_000 } })],
      ['vd.annual-exchange', annualExchangeBody(2022, 3)],
      ['vd.explanation.request', explanationRequestBody('RUS')],
      ['vd.explanation.reply', { explanation: 'Scheduled exercise' }],
      ['vd.meeting.request', { respondingState: 'RUS', format: 'with-responding-State', purpose: 'Clarify' }],
      ['vd.meeting.reply', { accepted: true, meetingTime: '2022-02-15T10:00:00Z' }],
      ['vd.meeting.reply', { accepted: false, reason: 'No grounds' }],
      ['vd.hazardous-incident', { incident: 'Close approach', time: '2016-04-12T14:00:00Z', location: 'Baltic Sea', position: [19.5, 55.2] }],
      ['vd.observation.invitation', { designation: 'Zapad-2021', observersPerState: 2, arrivalPoint: 'Minsk', arrivalTime: '2021-09-09T12:00:00Z' }],
      ['vd.observation.reply', { accepted: true, observers: 2 }],
      ['vd.inspection.request', inspectionRequestBody('BLR')],
      ['vd.inspection.reply', { accepted: true, pointOfEntry: 'Minsk', entryTime: '2022-02-12T10:00:00+03:00' }],
      ['vd.evaluation.request', evaluationRequestBody('BLR')],
      ['vd.evaluation.reply', { accepted: false, reason: 'Quota reached' }],
    ];
    for (const [type, body] of ok) expect(cat.validate(type, body), type).toEqual({ ok: true, value: undefined });
  });

  it('refuse negative troops, with the path of the figure', () => {
    expect(refused('vd.activity.notification', notificationBody({ troops: -1 }))).toMatchObject({ code: 'PARLEY_ERR_SCHEMA', path: '/troops' });
    expect(refused('vd.calendar', calendarBody(2021, [{ battleTanks: -5 }]))).toMatchObject({ code: 'PARLEY_ERR_SCHEMA', path: '/activities/0/battleTanks' });
    expect(refused('vd.observer.report', reportBody({ counted: { troops: -3 } }))).toMatchObject({ path: '/counted/troops' });
    expect(refused('vd.activity.notification', notificationBody({ troops: 1.5 }))).toMatchObject({ path: '/troops' });
  });

  it('refuse an end before the start (a check beyond JSON Schema), at /end', () => {
    const r = refused('vd.activity.notification', notificationBody({ start: '2021-09-16T00:00:00Z', end: '2021-09-15T23:59:59.999Z' }));
    expect(r).toMatchObject({ code: 'PARLEY_ERR_SCHEMA', path: '/end' });
    expect(r.message).toContain('before start');
    expect(refused('vd.calendar', calendarBody(2021, [{}, { start: '2021-05-02T00:00:00Z', end: '2021-05-01T00:00:00Z' }]))).toMatchObject({ path: '/activities/1/end' });
    expect(refused('vd.observer.report', reportBody({ start: '2021-09-12T00:00:00Z', end: '2021-09-11T00:00:00Z' }))).toMatchObject({ path: '/end' });
    // Equal start and end is not "before"; offsets are compared as instants.
    expect(cat.validate('vd.activity.notification', notificationBody({ start: '2021-09-10T03:00:00+03:00', end: '2021-09-10T00:00:00Z' })).ok).toBe(true);
    expect(refused('vd.activity.notification', notificationBody({ start: '2021-09-10T00:00:00Z', end: '2021-09-10T02:59:59+03:00' }))).toMatchObject({ path: '/end' });
  });

  it('refuse times that are not RFC 3339 instants', () => {
    expect(refused('vd.activity.notification', notificationBody({ start: '10 September 2021' }))).toMatchObject({ path: '/start' });
    expect(refused('vd.activity.notification', notificationBody({ start: '2021-09-10T00:00:00' }))).toMatchObject({ path: '/start' });
    expect(refused('vd.activity.notification', notificationBody({ end: '2021-12-31T23:59:60Z' }))).toMatchObject({ path: '/end' });
  });

  it('refuse an area that is not valid GeoJSON, with the path of the problem', () => {
    const ring = AREA.coordinates[0];
    expect(refused('vd.activity.notification', notificationBody({ area: { type: 'Point', coordinates: [30, 50] } as never }))).toMatchObject({ code: 'PARLEY_ERR_SCHEMA', path: '/area/type' });
    expect(refused('vd.activity.notification', notificationBody({ area: { type: 'Polygon', coordinates: [ring.slice(0, 3)] } }))).toMatchObject({ path: '/area/coordinates/0' });
    const open = ring.slice(0, 4).concat([[25, 53]]);
    expect(refused('vd.activity.notification', notificationBody({ area: { type: 'Polygon', coordinates: [open] } }))).toMatchObject({ path: '/area/coordinates/0' });
    const latitude = ring.map(([lon]) => [lon, 91] as [number, number]);
    expect(refused('vd.activity.notification', notificationBody({ area: { type: 'Polygon', coordinates: [latitude] } }))).toMatchObject({ path: '/area/coordinates/0/0/1' });
    const longitude = ring.map(([, lat]) => [-181, lat] as [number, number]);
    expect(refused('vd.activity.notification', notificationBody({ area: { type: 'Polygon', coordinates: [longitude] } }))).toMatchObject({ path: '/area/coordinates/0/0/0' });
    const threeD = ring.map(([lon, lat]) => [lon, lat, 100]);
    expect(refused('vd.activity.notification', notificationBody({ area: { type: 'Polygon', coordinates: [threeD] } as never }))).toMatchObject({ path: '/area/coordinates/0/0' });
    expect(refused('vd.activity.notification', notificationBody({ area: { type: 'Polygon', coordinates: [] } }))).toMatchObject({ path: '/area/coordinates' });
    expect(refused('vd.activity.notification', notificationBody({ area: { type: 'Polygon', coordinates: [ring], crs: 'x' } as never }))).toMatchObject({ path: '/area/crs' });
    const multi = { type: 'MultiPolygon' as const, coordinates: [[ring], [open]] };
    expect(refused('vd.observer.report', reportBody({ area: multi as never }))).toMatchObject({ path: '/area/coordinates/1/0' });
    expect(cat.validate('vd.observer.report', reportBody({ area: { type: 'MultiPolygon', coordinates: [[ring], [ring]] } as never })).ok).toBe(true);
    expect(refused('vd.inspection.request', { ...inspectionRequestBody('BLR'), specifiedArea: { type: 'Polygon', coordinates: [open] } })).toMatchObject({ path: '/specifiedArea/coordinates/0' });
  });

  it('refuse missing fields, naming the missing field', () => {
    const { troops: _t, ...noTroops } = notificationBody();
    expect(refused('vd.activity.notification', noTroops)).toMatchObject({ code: 'PARLEY_ERR_SCHEMA', path: '/troops' });
    const { area: _a, ...noArea } = notificationBody();
    expect(refused('vd.activity.notification', noArea)).toMatchObject({ path: '/area' });
    expect(refused('vd.explanation.request', { activity: 'x', reasons: 'y' })).toMatchObject({ path: '/respondingState' });
    expect(refused('vd.inspection.reply', { accepted: true })).toMatchObject({ path: '/pointOfEntry' });
    expect(refused('vd.meeting.reply', { accepted: true })).toMatchObject({ path: '/meetingTime' });
    expect(refused('vd.observation.invitation', { observersPerState: 2, arrivalPoint: 'Minsk', arrivalTime: '2021-09-09T12:00:00Z' }).code).toBe('PARLEY_ERR_SCHEMA');
    expect(refused('vd.observer.report', reportBody({ counted: {} }))).toMatchObject({ path: '/counted' });
  });

  it('refuse unknown fields, naming them', () => {
    expect(refused('vd.activity.notification', { ...notificationBody(), tanks: 3 })).toMatchObject({ path: '/tanks' });
  });

  it('take limits from the rule table: a team of up to 4 inspectors, up to 2 observers per State', () => {
    expect(refused('vd.inspection.request', { ...inspectionRequestBody('BLR'), inspectors: 5 })).toMatchObject({ path: '/inspectors' });
    expect(refused('vd.observation.reply', { accepted: true, observers: 3 })).toMatchObject({ path: '/observers' });
  });

  it('check calendars: activities start in the calendar year (UTC), designations are unique', () => {
    // 01:00 on 1 January in Moscow is still 31 December in UTC: not in the 2022 calendar.
    const early = calendarBody(2022, [{ start: '2022-01-01T01:00:00+03:00', end: '2022-01-05T00:00:00+03:00' }]);
    expect(refused('vd.calendar', early)).toMatchObject({ path: '/activities/0/start' });
    expect(cat.validate('vd.calendar', calendarBody(2021, [{ start: '2022-01-01T01:00:00+03:00', end: '2022-01-05T00:00:00+03:00' }])).ok).toBe(true);
    const twice = calendarBody(2021, [{ designation: 'Zapad-2021' }, { designation: ' zapad-2021 ' }]);
    expect(refused('vd.calendar', twice)).toMatchObject({ path: '/activities/1/designation' });
  });

  it('keep the Catalogue API for tables without checks', () => {
    const c = new Catalogue([{ x: { title: 'X', description: 'x', type: 'object', additionalProperties: false, properties: {} } }]);
    expect(c.types()).toEqual(['x']);
    expect(c.validate('x', {}).ok).toBe(true);
  });
});
