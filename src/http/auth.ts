/**
 * Operator credentials: bearer tokens from the node folder's tokens.json, one per role.
 * `officer` sends and acknowledges, `analyst` reads, `admin` manages the roster; every role reads.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** An operator's role: `officer` sends and acknowledges, `analyst` reads, `admin` manages the roster. */
export type Role = 'admin' | 'officer' | 'analyst';

export const ROLES: readonly Role[] = ['admin', 'officer', 'analyst'];
export const READERS: readonly Role[] = ROLES;

/** Finds the role of a presented token, comparing in constant time. */
export function roleOf(tokens: Partial<Record<Role, string>>, presented: string | undefined): Role | undefined {
  if (!presented) return undefined;
  const p = createHash('sha256').update(presented).digest();
  let found: Role | undefined;
  for (const role of ROLES) {
    const t = tokens[role];
    if (!t) continue;
    if (timingSafeEqual(p, createHash('sha256').update(t).digest())) found = role;
  }
  return found;
}

/** The token from `Authorization: Bearer …`. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
