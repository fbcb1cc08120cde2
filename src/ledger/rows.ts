/**
 * Rows as the store dialects' drivers return them (snake_case columns, ids as 32-byte blobs,
 * integers as numbers or as the strings a driver gives for 64-bit columns), turned into the
 * store port's rows: one mapping for every dialect, so the dialects differ only in their SQL.
 */
import type { EntryRow, EquivocationRow, Head, PartyRow } from './store.js';

export type Row = Record<string, unknown>;

export const entryOf = (r: Row): EntryRow => ({
  pos: Number(r.pos),
  author: r.author as string,
  seq: Number(r.seq),
  id: (r.id as Buffer).toString('hex'),
  time: r.time as string,
  header: r.header as Buffer,
  sig: r.sig as Buffer,
  content: (r.content as Buffer | null) ?? null,
  type: (r.type as string | null) ?? null,
});

export const headOf = (r: Row): Head => ({ author: r.author as string, seq: Number(r.seq), id: (r.id as Buffer).toString('hex'), time: r.time as string });

export const equivocationOf = (r: Row): EquivocationRow => ({
  author: r.author as string,
  seq: Number(r.seq),
  heldId: r.held_id as string,
  otherId: r.other_id as string,
  otherHeader: r.other_header as Buffer,
  otherSig: r.other_sig as Buffer,
  seenAt: r.seen_at as string,
  source: r.source as string,
});

export const partyOf = (r: Row): PartyRow => ({
  party: r.party as string,
  name: r.name as string,
  url: r.url as string,
  publicKey: r.public_key as string,
  addedAt: r.added_at as string,
});
