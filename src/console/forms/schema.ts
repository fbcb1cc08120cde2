/**
 * Forms from the message catalogue's JSON Schemas. A form holds a *draft* shaped like the schema
 * (strings as typed, so "12 500" or an empty field survive until submit); `bodyOf` turns the draft
 * into the body sent to the node. The console does not validate: the node's refusal, with its code
 * and schema path, is the one set of validation messages, shown beside the field it names.
 */

import { readUtc } from '../app/utc';

export type Schema = Record<string, unknown>;
export type Draft = string | boolean | Draft[] | { [key: string]: Draft } | undefined;

export type FieldKind = 'object' | 'array' | 'string' | 'text' | 'number' | 'integer' | 'boolean' | 'enum' | 'date-time' | 'date' | 'const' | 'json';

/** Follows local `$ref`s (`#/$defs/…`) and single-member `allOf`s to the schema that says what a field is. */
export function resolve(root: Schema, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 16; i++) {
    if (typeof s.$ref === 'string' && s.$ref.startsWith('#/')) {
      const target = s.$ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Schema)[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), root);
      if (!target || typeof target !== 'object') return s;
      const { $ref: _, ...rest } = s;
      s = { ...(target as Schema), ...rest };
      continue;
    }
    if (Array.isArray(s.allOf) && s.allOf.length === 1) {
      const { allOf, ...rest } = s;
      s = { ...(allOf[0] as Schema), ...rest };
      continue;
    }
    return s;
  }
  return s;
}

function typeOf(s: Schema): string | undefined {
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return (s.type as string[]).find((t) => t !== 'null');
  return undefined;
}

export function kindOf(root: Schema, schema: Schema): FieldKind {
  const s = resolve(root, schema);
  if ('const' in s) return 'const';
  if (Array.isArray(s.enum)) return 'enum';
  // An object with fields is a group of fields, even when an `anyOf` adds "one of these is required".
  if (typeOf(s) === 'object' && s.properties && typeof s.properties === 'object' && !/geojson/i.test(String(s.title ?? ''))) return 'object';
  // GeoJSON areas (oneOf Polygon / MultiPolygon), positions (prefixItems) and anything else a
  // field-by-field form would make worse are edited as JSON.
  if (s.oneOf || s.anyOf || s.prefixItems || (typeof s.title === 'string' && /geojson/i.test(s.title))) return 'json';
  switch (typeOf(s)) {
    case 'object':
      return s.properties && typeof s.properties === 'object' ? 'object' : 'json';
    case 'array': {
      const items = s.items && typeof s.items === 'object' ? resolve(root, s.items as Schema) : undefined;
      return items ? 'array' : 'json';
    }
    case 'string':
      if (s.format === 'date-time') return 'date-time';
      if (s.format === 'date') return 'date';
      // A field for a line (a designation, an entry id, a party) or a box for prose.
      return (typeof s.maxLength === 'number' && s.maxLength <= 300) || typeof s.pattern === 'string' || typeof s.format === 'string' ? 'string' : 'text';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

export function properties(root: Schema, schema: Schema): [string, Schema][] {
  const s = resolve(root, schema);
  return Object.entries((s.properties ?? {}) as Record<string, Schema>);
}

export function requiredOf(root: Schema, schema: Schema): Set<string> {
  const r = resolve(root, schema).required;
  return new Set(Array.isArray(r) ? (r as string[]) : []);
}

/** The empty draft of a schema: required booleans start false, objects start with their fields. */
export function emptyDraft(root: Schema, schema: Schema, required = true): Draft {
  const s = resolve(root, schema);
  switch (kindOf(root, s)) {
    case 'object': {
      const req = requiredOf(root, s);
      return Object.fromEntries(properties(root, s).map(([k, p]) => [k, emptyDraft(root, p, req.has(k))]));
    }
    case 'array':
      return [];
    case 'boolean':
      return required ? (s.default === true) : '';
    default:
      return s.default !== undefined && typeof s.default !== 'object' ? String(s.default) : '';
  }
}

/**
 * The body a draft stands for. Empty fields are left out (the node then names the missing
 * required field); text that does not parse as a number or as JSON is sent as typed, so the node
 * refuses it with the path of the field rather than the console guessing.
 */
export function bodyOf(root: Schema, schema: Schema, draft: Draft, required = true): unknown {
  const s = resolve(root, schema);
  const kind = kindOf(root, s);
  switch (kind) {
    case 'const':
      return s.const;
    case 'object': {
      const d = (draft && typeof draft === 'object' && !Array.isArray(draft) ? draft : {}) as Record<string, Draft>;
      const req = requiredOf(root, s);
      const out: Record<string, unknown> = {};
      for (const [k, p] of properties(root, s)) {
        const v = bodyOf(root, p, d[k], req.has(k));
        if (v !== undefined) out[k] = v;
      }
      return Object.keys(out).length === 0 && !required ? undefined : out;
    }
    case 'array': {
      const items = resolve(root, s.items as Schema);
      const d = Array.isArray(draft) ? draft : [];
      const out = d.map((x) => bodyOf(root, items, x, true)).filter((x) => x !== undefined);
      return out.length === 0 && !required ? undefined : out;
    }
    case 'boolean':
      if (typeof draft === 'boolean') return draft;
      return draft === 'yes' ? true : draft === 'no' ? false : undefined;
    case 'enum': {
      if (draft === '' || draft === undefined) return undefined;
      const values = s.enum as unknown[];
      return values[Number(draft)] ?? draft;
    }
    case 'number':
    case 'integer': {
      const text = typeof draft === 'string' ? draft.trim().replace(/[\s_,]/g, '') : '';
      if (text === '') return undefined;
      const n = Number(text);
      return Number.isFinite(n) ? n : String(draft);
    }
    case 'date-time':
      if (typeof draft !== 'string' || !draft.trim()) return undefined;
      {
        // A valid UTC instant is sent normalized; anything else as typed, so the node names the field.
        const r = readUtc(draft);
        return r.ok ? r.iso : draft.trim();
      }
    case 'json': {
      if (typeof draft !== 'string' || draft.trim() === '') return undefined;
      try {
        return JSON.parse(draft) as unknown;
      } catch {
        return draft;
      }
    }
    default:
      return typeof draft === 'string' && draft !== '' ? draft : undefined;
  }
}

/** `/units/0/designation` → `units › 1 › designation`, for people. */
export function pointerLabel(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((k) => (/^\d+$/.test(k) ? String(Number(k) + 1) : k.replace(/~1/g, '/').replace(/~0/g, '~')))
    .join(' › ');
}

/** `armouredCombatVehicles` → `Armoured combat vehicles`. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
