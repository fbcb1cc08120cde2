/**
 * The catalogue's schemas, checked in the browser as the officer types: every problem at once, each
 * at the JSON Pointer of its field, worded for people. The validators are compiled at build time
 * (vite.config.ts); the node validates again whatever it is sent, and its refusal still shows.
 */
import { useEffect, useState } from 'react';
import type { Validate, ValidationError } from 'virtual:parley-validators';
import { pointerLabel } from './schema';

export type Validators = Record<string, Validate>;

let loaded: Promise<Validators> | undefined;

/** The validators, a chunk of their own loaded when a form first opens (not on the dashboard's first load). */
export function useValidators(): Validators | undefined {
  const [v, setV] = useState<Validators | undefined>(undefined);
  useEffect(() => {
    let live = true;
    loaded ??= import('virtual:parley-validators').then((m) => m.validators);
    loaded.then(
      (x) => live && setV(x),
      () => {
        loaded = undefined;
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return v;
}

export interface Problem {
  path: string;
  message: string;
  keyword: string;
}

const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

function pathOf(e: ValidationError): string {
  const field = e.keyword === 'required' ? e.params.missingProperty : e.keyword === 'additionalProperties' ? e.params.additionalProperty : undefined;
  return e.instancePath + (field === undefined ? '' : `/${escape(String(field))}`) || '/';
}

function wording(e: ValidationError): string {
  switch (e.keyword) {
    case 'required':
      return 'Required.';
    case 'minimum':
      return `At least ${String(e.params.limit)}.`;
    case 'maximum':
      return `At most ${String(e.params.limit)}.`;
    case 'exclusiveMinimum':
      return `More than ${String(e.params.limit)}.`;
    case 'type':
      return `Must be ${String(e.params.type) === 'integer' ? 'a whole number' : `a ${String(e.params.type)}`}.`;
    case 'maxLength':
      return `At most ${String(e.params.limit)} characters.`;
    case 'minLength':
      return Number(e.params.limit) === 1 ? 'Required (empty).' : `At least ${String(e.params.limit)} characters.`;
    case 'format':
      return e.params.format === 'date-time' ? 'Not a UTC time (YYYY-MM-DD HH:MM:SS).' : `Not a valid ${String(e.params.format)}.`;
    case 'enum':
      return 'Choose one of the listed values.';
    case 'additionalProperties':
      return 'Not a field of this type.';
    default:
      return e.message ? `${e.message.charAt(0).toUpperCase()}${e.message.slice(1)}.` : 'Invalid.';
  }
}

/**
 * The problems of `body` as a `type`, one per field (the first the schema reports there), or
 * undefined when this build of the console has no validator for the type (the node will judge); also while the validators load.
 */
export function problemsOf(validators: Validators | undefined, type: string, body: unknown): Problem[] | undefined {
  const validate = validators?.[type];
  if (!validate) return undefined;
  if (validate(body)) return [];
  const byPath = new Map<string, Problem>();
  for (const e of validate.errors ?? []) {
    // "must match exactly one schema in oneOf" says less than the errors inside it; keep it only alone.
    if ((e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') && (validate.errors ?? []).some((x) => x !== e && x.instancePath.startsWith(e.instancePath))) continue;
    const path = pathOf(e);
    if (!byPath.has(path)) byPath.set(path, { path, message: wording(e), keyword: e.keyword });
  }
  return [...byPath.values()];
}

export function describeProblem(p: Problem): string {
  return `${pointerLabel(p.path) || 'the body'}: ${p.message}`;
}
