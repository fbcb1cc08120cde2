/**
 * The console's forms against the node's real catalogue: every content type gets a form, a draft
 * filled the way an officer fills it becomes a body the node accepts, and what the officer left
 * empty is left out (so the node names the missing field).
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../regimes/registry.js';
import { readUtc, utcText } from '../app/utc';
import { bodyOf, emptyDraft, kindOf, pointerLabel, properties, resolve, type Draft, type Schema } from './schema';

const schemas = catalogue().all() as unknown as Record<string, Schema>;

describe('forms from the catalogue', () => {
  it('every content type is a form of fields, and every field has a control', () => {
    for (const [type, schema] of Object.entries(schemas)) {
      expect(kindOf(schema, schema), type).toBe('object');
      const walk = (s: Schema, path: string): void => {
        for (const [key, p] of properties(schema, s)) {
          const kind = kindOf(schema, p);
          expect(kind, `${type} ${path}/${key}`).toBeTypeOf('string');
          if (kind === 'object') walk(resolve(schema, p), `${path}/${key}`);
          if (kind === 'array') {
            const items = resolve(schema, resolve(schema, p).items as Schema);
            if (kindOf(schema, items) === 'object') walk(items, `${path}/${key}/0`);
          }
        }
      };
      walk(schema, '');
    }
  });

  it('areas are edited as GeoJSON text, dates as UTC instants, figures as numbers, choices as choices', () => {
    const s = schemas['vd.activity.notification']!;
    const field = (k: string) => kindOf(s, (s.properties as Record<string, Schema>)[k]!);
    expect(field('area')).toBe('json');
    expect(field('start')).toBe('date-time');
    expect(field('troops')).toBe('integer');
    expect(field('activityType')).toBe('enum');
    expect(field('alertActivity')).toBe('boolean');
    expect(field('designation')).toBe('string');
    expect(field('purpose')).toBe('text');
    expect(field('corrects')).toBe('string');
  });

  it('a filled draft is a body the node accepts; an empty one names the first missing field', () => {
    const s = schemas['vd.activity.notification']!;
    const draft = emptyDraft(s, s) as Record<string, Draft>;
    expect(draft.alertActivity).toBe(false);
    expect(catalogue().validate('vd.activity.notification', bodyOf(s, s, draft))).toMatchObject({ ok: false });

    const enumIndex = String(((s.properties as Record<string, Schema>).activityType!.enum as string[]).indexOf('land-forces'));
    Object.assign(draft, {
      activityType: enumIndex,
      purpose: 'Combined arms training.',
      start: '2022-06-01T06:00',
      end: '2022-06-14T18:00:00',
      area: JSON.stringify({ type: 'Polygon', coordinates: [[[23, 54], [24, 54], [24, 55], [23, 55], [23, 54]]] }),
      troops: '3 200',
      battleTanks: '40',
      armouredCombatVehicles: '120',
      artilleryPieces: '24',
      fixedWingSorties: '0',
      amphibiousTroops: '0',
      airborneTroops: '0',
    });
    const body = bodyOf(s, s, draft) as Record<string, unknown>;
    expect(body).toMatchObject({ activityType: 'land-forces', start: '2022-06-01T06:00:00.000Z', end: '2022-06-14T18:00:00.000Z', troops: 3200, alertActivity: false });
    expect(body).not.toHaveProperty('designation');
    expect(catalogue().validate('vd.activity.notification', body)).toMatchObject({ ok: true });

    // What does not parse is sent as typed: the node's refusal names the field.
    const refused = catalogue().validate('vd.activity.notification', bodyOf(s, s, { ...draft, troops: 'many' }));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.detail?.path).toBe('/troops');
  });

  it('lists of objects become lists of groups', () => {
    const s = schemas['vd.annual-exchange']!;
    const draft = { year: '2022', units: [{ designation: '1st Guards Tank Army', level: '1', location: 'Odintsovo' }] };
    const body = bodyOf(s, s, draft) as { units: Record<string, unknown>[] };
    expect(body.units[0]).toEqual({ designation: '1st Guards Tank Army', level: 'army', location: 'Odintsovo' });
    expect(catalogue().validate('vd.annual-exchange', body)).toMatchObject({ ok: true });
  });

  it('UTC in, UTC out; pointers read as paths', () => {
    expect(readUtc('2022-02-11T09:30')).toMatchObject({ ok: true, iso: '2022-02-11T09:30:00.000Z' });
    expect(readUtc('2022-02-11 09:30:00+02:00')).toMatchObject({ ok: true, iso: '2022-02-11T07:30:00.000Z' });
    expect(utcText('2022-02-11T09:30:05.000Z')).toBe('2022-02-11 09:30:05Z');
    expect(bodyOf({ type: 'string', format: 'date-time' }, { type: 'string', format: 'date-time' }, '2022-02-11 09:30:05')).toBe('2022-02-11T09:30:05.000Z');
    expect(pointerLabel('/units/0/designation')).toBe('units › 1 › designation');
  });
});
