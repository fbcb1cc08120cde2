/**
 * A node folder, as `parley init` makes it: config.json, key.pem (mode 0600), parley.db, and
 * tokens.json (the hashes of the operator tokens issued, with role and expiry, mode 0600). A node is one folder — unless its
 * config names a PostgreSQL store (`"store": "postgres://…"`): then the entries live in that
 * database and the folder holds config, key and tokens, so several processes of the party can
 * run from copies of the folder on one database.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Catalogue } from '../catalogue/index.js';
import { isPartyCode, formatTime } from '../protocol/entry.js';
import { ParleyError } from '../protocol/errors.js';
import { generateSigningKey, signingKeyFromPem, signingKeyToPem, type SigningKey } from '../protocol/signing.js';
import { Ledger, type Clock, type LedgerOptions } from '../ledger/ledger.js';
import { parseDescriptor, type PartyDescriptor } from '../ledger/roster.js';
import { openStore } from '../ledger/dialects.js';
import { isPostgresLocation, redactLocation } from '../ledger/postgres.js';
import type { Store } from '../ledger/store.js';
import { catalogue } from '../regimes/registry.js';

import { ROLES, type Role } from '../http/auth.js';
import { issueToken, mintLocalToken, readTokenFile, writeTokenFile } from '../http/tokens.js';

export type { Role };

export interface NodeConfig {
  party: string;
  name: string;
  url: string;
  createdAt: string;
  /** Where the entries live when not in the folder's parley.db: a `postgres://` URL. */
  store?: string;
  /** The settings of a regime module's live service, by module id (`hotline`: webhook, alarm delays, terms to propose); absent: its defaults. */
  [moduleId: string]: unknown;
}

export interface NodeFolder {
  dir: string;
  config: NodeConfig;
  key: SigningKey;
  /**
   * An operator token per role: from initNode, the tokens issued (shown this once; the folder
   * keeps their hashes); from loadNode, short-lived local tokens signed with the node's key.
   */
  tokens: Record<Role, string>;
  descriptor: PartyDescriptor;
}

const files = (dir: string) => ({
  config: join(dir, 'config.json'),
  key: join(dir, 'key.pem'),
  db: join(dir, 'parley.db'),
  tokens: join(dir, 'tokens.json'),
});

export function tokensPath(dir: string): string {
  return files(resolve(dir)).tokens;
}

export function databasePath(dir: string): string {
  return files(resolve(dir)).db;
}

export function isNodeFolder(dir: string): boolean {
  const f = files(resolve(dir));
  return existsSync(f.config) && existsSync(f.key);
}

/**
 * Creates a node folder. Refuses to touch a folder that already holds a node, and a store that
 * already holds entries.
 *
 * @example
 *   await initNode('usa', { party: 'USA', url: 'https://parley.usa.example', store: 'postgres://parley@db.usa.example/parley' });
 */
export async function initNode(dirArg: string, options: { party: string; url: string; name?: string; store?: string; now?: number }): Promise<NodeFolder> {
  const dir = resolve(dirArg);
  const f = files(dir);
  if (existsSync(f.config) || existsSync(f.key)) {
    throw new ParleyError('PARLEY_ERR_NODE_DIR', `${dir} already holds a node; nothing was changed`);
  }
  if (options.store !== undefined && !isPostgresLocation(options.store)) {
    throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--store ${JSON.stringify(redactLocation(options.store))} is not a PostgreSQL URL (postgres://user@host:port/database); without --store the entries live in the folder's parley.db`);
  }
  if (!isPartyCode(options.party)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--party ${JSON.stringify(options.party)} is not a party code (ISO 3166 alpha-3 such as USA, or an upper-case name such as OSCE)`);
  const key = generateSigningKey();
  const descriptor = parseDescriptor({ party: options.party, name: options.name ?? options.party, url: options.url, publicKey: key.publicKeyB64 });
  if (!descriptor.ok) throw descriptor.error;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  secureFolder(dir, { database: options.store === undefined });
  const config: NodeConfig = { party: options.party, name: descriptor.value.name, url: descriptor.value.url, createdAt: formatTime(options.now ?? Date.now()), ...(options.store ? { store: options.store } : {}) };
  // One token per role, printed nowhere but returned here once; the folder keeps only their hashes.
  const now = options.now ?? Date.now();
  const issued = ROLES.map((role) => ({ role, ...issueToken(role, now) }));
  const tokens = Object.fromEntries(issued.map((t) => [t.role, t.token])) as Record<Role, string>;
  // The store first: a store that cannot be reached or is not empty leaves no half-made folder.
  const store = openStore(config.store ?? f.db);
  try {
    const held = await store.count();
    if (held > 0) {
      throw new ParleyError('PARLEY_ERR_NODE_DIR', `the store ${redactLocation(config.store ?? f.db)} already holds ${held} entries; a node starts on an empty store (to run another process of a node, copy its folder). Nothing was written to the store`);
    }
    await store.putParty({ ...descriptor.value, addedAt: config.createdAt });
  } finally {
    await store.close();
  }
  // The key before the config: a folder with a config always has its key.
  writeFileSync(f.key, signingKeyToPem(key), { mode: 0o600 });
  chmodSync(f.key, 0o600);
  writeTokenFile(f.tokens, { v: 2, tokens: issued.map((t) => t.record) });
  // A store URL may carry a password: the config is then for the node's eyes only.
  writeFileSync(f.config, JSON.stringify(config, null, 2) + '\n', { mode: config.store ? 0o600 : 0o644 });
  return { dir, config, key, tokens, descriptor: descriptor.value };
}

export function loadNode(dirArg: string): NodeFolder {
  const dir = resolve(dirArg);
  const f = files(dir);
  if (!existsSync(f.config) || !existsSync(f.key)) {
    throw new ParleyError('PARLEY_ERR_NODE_DIR', `${dir} is not a node folder; create one with 'parley init --dir ${dirArg} --party CODE --url URL'`);
  }
  const mode = statSync(f.key).mode & 0o777;
  if (mode & 0o077) throw new ParleyError('PARLEY_ERR_NODE_DIR', `${f.key} is readable by others (mode ${mode.toString(8)}); run 'chmod 600 ${f.key}'`);
  let config: NodeConfig;
  try {
    config = JSON.parse(readFileSync(f.config, 'utf8')) as NodeConfig;
  } catch (e) {
    throw new ParleyError('PARLEY_ERR_NODE_DIR', `${f.config} is not valid JSON (${(e as Error).message}); restore it from a backup — the key and database were not touched`, undefined, { cause: e });
  }
  let key: SigningKey;
  try {
    key = signingKeyFromPem(readFileSync(f.key, 'utf8'));
  } catch (e) {
    throw new ParleyError('PARLEY_ERR_NODE_DIR', `${f.key} is not a PKCS#8 Ed25519 key (${(e as Error).message}); restore it from a backup — the database was not touched`, undefined, { cause: e });
  }
  // Checks tokens.json (and rewrites a plain-text one hashed); the CLI's own credentials are minted from the key.
  readTokenFile(f.tokens, Date.now());
  const tokens = Object.fromEntries(ROLES.map((role) => [role, mintLocalToken(key, role, Date.now())])) as Record<Role, string>;
  return { dir, config, key, tokens, descriptor: { party: config.party, name: config.name, url: config.url, publicKey: key.publicKeyB64 } };
}

/** The node's store: the database its config names (`store`), else the SQLite file in its folder. */
export function openNodeStore(node: Pick<NodeFolder, 'dir' | 'config'>, options: { readonly?: boolean } = {}): Store {
  if (!node.config.store && !options.readonly) secureFolder(node.dir, { database: true });
  return openStore(node.config.store ?? files(node.dir).db, options);
}

/**
 * The folder for its owner only (0700) and its database files 0600, like the key: entries the
 * party holds are not for other users of the machine. The database file is made before SQLite
 * opens it, and SQLite gives its -wal and -shm files the database file's mode.
 */
export function secureFolder(dirArg: string, options: { database: boolean }): void {
  const dir = resolve(dirArg);
  chmodSync(dir, 0o700);
  if (!options.database) return;
  const db = files(dir).db;
  closeSync(openSync(db, 'a', 0o600));
  for (const f of [db, `${db}-wal`, `${db}-shm`]) {
    try {
      chmodSync(f, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/**
 * Opens the node's ledger on its store, validating contents with `catalogue` (default: the
 * catalogue of this Parley version's regimes).
 */
export async function openLedger(node: NodeFolder, options: Pick<LedgerOptions, 'clock' | 'signingWorkers' | 'checkWorkers' | 'checkWorkerScript' | 'checkWorkersFrom'> & { catalogue?: Catalogue } = {}): Promise<Ledger> {
  const store = openNodeStore(node);
  try {
    return await Ledger.open({ store, party: node.config.party, key: node.key, catalogue: options.catalogue ?? catalogue(), clock: options.clock, signingWorkers: options.signingWorkers, checkWorkers: options.checkWorkers, checkWorkerScript: options.checkWorkerScript, checkWorkersFrom: options.checkWorkersFrom });
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** Pins every folder's descriptor in every folder's roster (idempotent): a network introduced to itself. */
export async function introduce(folders: readonly NodeFolder[], now: string = formatTime(Date.now())): Promise<void> {
  for (const f of folders) {
    const ledger = await openLedger(f);
    try {
      for (const other of folders) await ledger.roster.add(other.descriptor, now);
    } finally {
      await ledger.close();
    }
  }
}
