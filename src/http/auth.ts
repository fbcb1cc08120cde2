/**
 * Operator roles, and the bearer token of a request (checked by tokens.ts).
 * `officer` sends and acknowledges, `analyst` reads, `admin` manages the roster; every role reads.
 */

/** An operator's role: `officer` sends and acknowledges, `analyst` reads, `admin` manages the roster. */
export type Role = 'admin' | 'officer' | 'analyst';

export const ROLES: readonly Role[] = ['admin', 'officer', 'analyst'];
export const READERS: readonly Role[] = ROLES;

/** The token from `Authorization: Bearer …`. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
