/**
 * The roster: every party's code, display name, URL and pinned public key. Changes are explicit
 * operator actions; a party's key never changes silently.
 */
import type { KeyObject } from 'node:crypto';
import { isPlainObject } from '../protocol/bytes.js';
import { isPartyCode } from '../protocol/entry.js';
import { fail, ok, ParleyError, type Result } from '../protocol/errors.js';
import { publicKeyFromRaw } from '../protocol/signing.js';
import type { PartyRow, Store } from './store.js';

/** What `parley init` prints and `parley roster add` takes. */
export interface PartyDescriptor {
  party: string;
  name: string;
  url: string;
  publicKey: string;
}

export function parseDescriptor(raw: unknown): Result<PartyDescriptor> {
  if (!isPlainObject(raw)) return fail('PARLEY_ERR_BAD_ARGUMENT', 'a party descriptor is a JSON object {"party","name","url","publicKey"}');
  const { party, name, url, publicKey } = raw;
  if (!isPartyCode(party)) return fail('PARLEY_ERR_BAD_ARGUMENT', 'descriptor.party must be an upper-case party code such as USA or OSCE');
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) return fail('PARLEY_ERR_BAD_ARGUMENT', 'descriptor.name must be a non-empty string');
  if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) return fail('PARLEY_ERR_BAD_ARGUMENT', 'descriptor.url must be an http(s) URL');
  try {
    new URL(url);
  } catch {
    return fail('PARLEY_ERR_BAD_ARGUMENT', 'descriptor.url is not a valid URL');
  }
  if (typeof publicKey !== 'string' || !publicKeyFromRaw(publicKey)) return fail('PARLEY_ERR_BAD_ARGUMENT', 'descriptor.publicKey must be base64url of a raw 32-byte Ed25519 public key');
  return ok({ party, name, url: url.replace(/\/+$/, ''), publicKey });
}

export class Roster {
  readonly #store: Store;
  #parties = new Map<string, PartyRow>();
  #keys = new Map<string, KeyObject>();

  /** The roster held in `store`, read once; {@link reload} reads it again. */
  static async load(store: Store): Promise<Roster> {
    const r = new Roster(store);
    await r.reload();
    return r;
  }

  private constructor(store: Store) {
    this.#store = store;
  }

  async reload(): Promise<void> {
    this.#set(await this.#store.parties());
  }

  #set(rows: PartyRow[]): void {
    this.#parties = new Map(rows.map((p) => [p.party, p]));
    this.#keys = new Map(rows.map((p) => [p.party, publicKeyFromRaw(p.publicKey)!]));
  }

  has(party: string): boolean {
    return this.#parties.has(party);
  }

  get(party: string): PartyRow | undefined {
    return this.#parties.get(party);
  }

  key(party: string): KeyObject | undefined {
    return this.#keys.get(party);
  }

  list(): PartyRow[] {
    return [...this.#parties.values()].sort((a, b) => a.party.localeCompare(b.party));
  }

  codes(): string[] {
    return this.list().map((p) => p.party);
  }

  /**
   * Adds a party. The same descriptor again changes nothing; a different key for a known party is
   * refused (pinning), since it would let someone else speak as that party. Name and URL may change.
   */
  async add(d: PartyDescriptor, now: string): Promise<{ added: boolean }> {
    // Read the stored roster first: another process on the same database may have pinned the party.
    await this.reload();
    const known = this.#parties.get(d.party);
    if (known && known.publicKey !== d.publicKey) {
      throw new ParleyError('PARLEY_ERR_ROSTER_CONFLICT', `${d.party} is already pinned to another public key; remove nothing, verify the new key out of band`, { party: d.party });
    }
    if (known && known.name === d.name && known.url === d.url) return { added: false };
    await this.#store.putParty({ ...d, addedAt: known?.addedAt ?? now });
    await this.reload();
    return { added: !known };
  }
}

/**
 * What pinning `d` would change that an operator must confirm (an explicit, logged override): a
 * known party's URL redirected (its traffic would go elsewhere), or a key already pinned for
 * another party pinned again under a second code (that key could then sign as both). Undefined
 * when nothing needs confirming: a new party, the same descriptor, a new name.
 */
export function rosterChangeToConfirm(roster: Pick<Roster, 'get' | 'list'>, d: PartyDescriptor): string | undefined {
  const known = roster.get(d.party);
  if (known && known.url !== d.url) return `${d.party}'s URL would change from ${known.url} to ${d.url}`;
  const twin = roster.list().find((p) => p.publicKey === d.publicKey && p.party !== d.party);
  if (twin) return `the public key of ${d.party} is already pinned for ${twin.party}; that key would sign as both`;
  return undefined;
}
