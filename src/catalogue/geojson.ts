/**
 * GeoJSON (RFC 7946) building blocks for content schemas: areas of military activities,
 * inspection areas, and later the frontier zones of the December 2021 proposals.
 *
 * JSON Schema can say that a position is [longitude, latitude] within range and that a ring has at
 * least four positions; it cannot say that a ring is closed (its last position equals its first).
 * `ringProblem` is that missing half, for a content type's semantic `check`.
 */
import type { SchemaProblem } from './index.js';

/** A position: [longitude, latitude] in WGS 84 degrees (RFC 7946 §3.1.1; no altitude). */
export const position = {
  type: 'array',
  description: '[longitude, latitude] in WGS 84 decimal degrees.',
  prefixItems: [
    { type: 'number', minimum: -180, maximum: 180, description: 'Longitude, degrees east.' },
    { type: 'number', minimum: -90, maximum: 90, description: 'Latitude, degrees north.' },
  ],
  minItems: 2,
  items: false,
} as const;

/** A closed linear ring: at least four positions, the last equal to the first (RFC 7946 §3.1.6). */
export const linearRing = {
  type: 'array',
  description: 'A closed ring of at least four positions; the last position repeats the first.',
  minItems: 4,
  items: position,
} as const;

const polygonCoordinates = {
  type: 'array',
  description: 'The exterior ring, then any holes.',
  minItems: 1,
  items: linearRing,
} as const;

const multiPolygonCoordinates = { type: 'array', minItems: 1, items: polygonCoordinates, description: 'The polygons.' } as const;

export const polygon = {
  type: 'object',
  title: 'GeoJSON Polygon',
  description: 'An area as a GeoJSON Polygon (RFC 7946 §3.1.6).',
  additionalProperties: false,
  required: ['type', 'coordinates'],
  properties: {
    type: { const: 'Polygon' },
    coordinates: polygonCoordinates,
  },
} as const;

export const multiPolygon = {
  type: 'object',
  title: 'GeoJSON MultiPolygon',
  description: 'An area made of several polygons (RFC 7946 §3.1.7).',
  additionalProperties: false,
  required: ['type', 'coordinates'],
  properties: {
    type: { const: 'MultiPolygon' },
    coordinates: multiPolygonCoordinates,
  },
} as const;

/**
 * An area: a GeoJSON Polygon or MultiPolygon. Written as if/then/else on `type` rather than
 * oneOf, so that a refusal points at the actual problem (`/area/coordinates/0`) instead of at
 * whichever alternative was tried first.
 */
export function area(description: string) {
  return {
    type: 'object',
    title: 'GeoJSON Polygon or MultiPolygon',
    description,
    additionalProperties: false,
    required: ['type', 'coordinates'],
    properties: {
      type: { enum: ['Polygon', 'MultiPolygon'], description: 'The GeoJSON geometry type.' },
      coordinates: { type: 'array', description: 'Polygon: rings; MultiPolygon: polygons of rings.' },
    },
    if: { properties: { type: { const: 'Polygon' } } },
    then: { properties: { coordinates: polygonCoordinates } },
    else: { if: { properties: { type: { const: 'MultiPolygon' } } }, then: { properties: { coordinates: multiPolygonCoordinates } } },
  } as const;
}

export type Position = [number, number];
export type Area = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

/**
 * The first ring of an area (already valid against `area`) that is not closed, as a schema
 * problem at `path` (the JSON Pointer of the area in the body).
 */
export function ringProblem(value: Area, path: string): SchemaProblem | undefined {
  const polygons = value.type === 'Polygon' ? [value.coordinates] : value.coordinates;
  for (let p = 0; p < polygons.length; p++) {
    for (let r = 0; r < polygons[p].length; r++) {
      const ring = polygons[p][r];
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        const at = value.type === 'Polygon' ? `${path}/coordinates/${r}` : `${path}/coordinates/${p}/${r}`;
        return { path: at, message: 'ring is not closed: its last position must equal its first (RFC 7946 §3.1.6)' };
      }
    }
  }
  return undefined;
}
