/**
 * Operator credentials, stored so that the node folder never holds a usable token:
 *
 * - Issued tokens (`pt_…`, given to people and programs): tokens.json keeps only each one's
 *   SHA-256, with its id, role, and expiry. `parley token issue` prints a new token once;
 *   `parley token revoke` removes one; rotation is issuing the new and revoking the old. A
 *   running node reads tokens.json again when it changes.
 * - Local tokens (`pl_…`) for the CLI on the node's own machine: minted on demand, short-lived,
 *   signed with the node's own key (whoever can read key.pem can already sign as the party).
 *
 * Folders made before this hold tokens.json as a plain map of role → token: it is rewritten in
 * the hashed form on first load, each token keeping its value with an expiry of DEFAULT_TTL.
 */
import { createHash, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { ParleyError } from '../protocol/errors.js';
import { fromB64url, toB64url } from '../protocol/bytes.js';
import { pae, type SigningKey } from '../protocol/signing.js';
import { ROLES, type Role } from './auth.js';

/** How long an issued token lives unless told otherwise. */
export const DEFAULT_TOKEN_TTL_MS = 90 * 24 * 3600 * 1000;
/** How long a local token minted for the CLI lives. */
export const LOCAL_TOKEN_TTL_MS = 24 * 3600 * 1000;
const LOCAL_PAYLOAD_TYPE = 'application/vnd.parley.operator-token;v=1';

export interface TokenRecord {
  id: string;
  role: Role;
  /** Hex SHA-256 of the token: the token itself is never stored. */
  sha256: string;
  createdAt: string;
  expiresAt: string;
}

export interface TokenFile {
  v: 2;
  tokens: TokenRecord[];
}

export type Checked = { role: Role; id: string } | 'expired' | undefined;

const sha = (text: string) => createHash('sha256').update(text).digest();

/** A new random token for `role`, and the record that stores its hash. */
export function issueToken(role: Role, now: number, ttlMs = DEFAULT_TOKEN_TTL_MS): { token: string; record: TokenRecord } {
  const token = 'pt_' + randomBytes(24).toString('base64url');
  return { token, record: recordOf(token, role, now, ttlMs) };
}

function recordOf(token: string, role: Role, now: number, ttlMs: number): TokenRecord {
  return {
    id: `${role}-${randomBytes(4).toString('hex')}`,
    role,
    sha256: sha(token).toString('hex'),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlMs).toISOString(),
  };
}

/** A short-lived token for `role`, signed with the node's key (the CLI's credential on the node's machine). */
export function mintLocalToken(key: SigningKey, role: Role, now: number, ttlMs = LOCAL_TOKEN_TTL_MS): string {
  const payload = Buffer.from(JSON.stringify({ r: role, e: Math.floor((now + ttlMs) / 1000) }));
  return `pl_${toB64url(payload)}.${toB64url(sign(null, pae(LOCAL_PAYLOAD_TYPE, payload), key.privateKey))}`;
}

function checkLocal(token: string, publicKey: KeyObject, now: number): Checked {
  const [p, s] = token.slice(3).split('.');
  const payload = fromB64url(p);
  const sig = fromB64url(s);
  if (!payload || !sig || sig.length !== 64) return undefined;
  let ok = false;
  try {
    ok = verify(null, pae(LOCAL_PAYLOAD_TYPE, payload), publicKey, sig);
  } catch {
    ok = false;
  }
  if (!ok) return undefined;
  const claims = JSON.parse(payload.toString('utf8')) as { r?: unknown; e?: unknown };
  if (!ROLES.includes(claims.r as Role) || typeof claims.e !== 'number') return undefined;
  return claims.e * 1000 < now ? 'expired' : { role: claims.r as Role, id: `local-${claims.r as Role}` };
}

/** Reads tokens.json (rewriting a plain-text one in the hashed form); an absent file holds no token. */
export function readTokenFile(file: string, now: number): TokenFile {
  if (!existsSync(file)) return { v: 2, tokens: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ParleyError('PARLEY_ERR_NODE_DIR', `${file} is not valid JSON (${(e as Error).message}); restore it from a backup — the key and database were not touched`, undefined, { cause: e });
  }
  const v = raw as Partial<TokenFile> & Record<string, unknown>;
  if (v.v === 2 && Array.isArray(v.tokens)) return { v: 2, tokens: v.tokens };
  // A plain map of role → token: keep each token working, stored as its hash from now on.
  const migrated: TokenFile = { v: 2, tokens: ROLES.flatMap((r) => (typeof v[r] === 'string' ? [recordOf(v[r] as string, r, now, DEFAULT_TOKEN_TTL_MS)] : [])) };
  writeTokenFile(file, migrated);
  return migrated;
}

export function writeTokenFile(file: string, tokens: TokenFile): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
}

/**
 * What the operator API checks a bearer token against: the node's key for local tokens, the
 * hashes in tokens.json (read again when the file changes, at most once a second) for issued ones.
 */
export class Credentials {
  readonly #file: string | undefined;
  readonly #publicKey: KeyObject | undefined;
  #records: TokenRecord[];
  #mtime = 0;
  #checkedAt = 0;

  constructor(options: { file?: string; publicKey?: KeyObject; records?: TokenRecord[] }) {
    this.#file = options.file;
    this.#publicKey = options.publicKey;
    this.#records = options.records ?? [];
    this.#reload(Date.now(), true);
  }

  check(presented: string | undefined, now: number): Checked {
    if (!presented) return undefined;
    if (presented.startsWith('pl_')) return this.#publicKey ? checkLocal(presented, this.#publicKey, now) : undefined;
    this.#reload(now, false);
    const p = sha(presented);
    let found: TokenRecord | undefined;
    for (const r of this.#records) {
      const h = Buffer.from(r.sha256, 'hex');
      if (h.length === p.length && timingSafeEqual(h, p)) found = r;
    }
    if (!found) return undefined;
    return Date.parse(found.expiresAt) < now ? 'expired' : { role: found.role, id: found.id };
  }

  #reload(now: number, force: boolean): void {
    if (!this.#file || (!force && now - this.#checkedAt < 1000)) return;
    this.#checkedAt = now;
    try {
      const m = statSync(this.#file).mtimeMs;
      if (!force && m === this.#mtime) return;
      this.#mtime = m;
      this.#records = readTokenFile(this.#file, now).tokens;
    } catch {
      // Unreadable just now (being replaced): keep what was read before.
    }
  }
}
