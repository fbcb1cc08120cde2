/**
 * Protocol v1's acceptance rules as named checks, in one list, each saying what it proves and
 * failing with its own code (the shape of sigstore-js's verifier). `accept` runs them on every
 * envelope a peer or a file offers, `verify` on every stored entry, and `findings --file` on an
 * export read offline: one statement of the chain rules, three readers.
 *
 * A check that needs something its caller does not have (a roster key offline, the clock when
 * re-checking stored entries) says so with `needs`, and is skipped by a caller that lacks it.
 *
 * @example
 *   const problem = firstProblem(CHAIN_CHECKS, candidate, previous, { now: Date.now(), catalogue });
 *   if (problem) throw problem.error(`entry 3 (USA#12)`);
 */
import type { KeyObject } from 'node:crypto';
import { EMPTY_TREE_ROOT, sha256hex, ZERO_HASH } from '../protocol/bytes.js';
import { MAX_FUTURE_SKEW_MS, verifyEntrySignature, type Content, type Header } from '../protocol/entry.js';
import { ParleyError, type ErrorCode } from '../protocol/errors.js';
import type { Catalogue } from '../catalogue/index.js';

/** An entry offered for a place in its author's chain. */
export interface Candidate {
  id: string;
  header: Header;
  headerBytes: Buffer;
  sig: Buffer;
  /** The content, when held, and its exact bytes. */
  content?: Content;
  contentBytes?: Buffer;
}

/** The author's chain just before the candidate: what the candidate must extend. */
export interface ChainTip {
  /** Last seq held (0: none). */
  seq: number;
  /** Id of the entry at `seq` (ZERO_HASH when none). */
  id: string;
  /** Time of the entry at `seq` ('' when none). */
  time: string;
  /** RFC 9162 root (hex) of the author's first `seq` headers. */
  root(): string;
}

export interface CheckContext {
  /** The author's roster key; absent: the author is unknown (or no roster offline). */
  key?: KeyObject;
  /**
   * The signature's verdict against this same `key`, when it was already checked (on a worker
   * thread, check-pool.ts); absent: the check verifies the signature itself.
   */
  signatureVerdict?: boolean;
  /** Whether the caller has a roster at all (offline readers of an export do not). */
  roster?: boolean;
  /** This node's clock (ms), for the future-time bound; absent when re-checking stored entries. */
  now?: number;
  catalogue?: Catalogue;
}

export interface Check {
  /** What the check proves, as a name: `prevLinks`, `contentFitsSchema`, … */
  readonly name: string;
  readonly code: ErrorCode;
  readonly needs?: 'roster' | 'now' | 'catalogue' | 'content';
  /** A reason the candidate fails, or undefined. */
  problem(c: Candidate, tip: ChainTip, ctx: CheckContext): string | undefined;
}

export interface CheckProblem {
  check: string;
  code: ErrorCode;
  message: string;
  /** The refusal, prefixed with where the entry was (`entry 3 (USA#12)`), naming the check in its detail. */
  error(at: string, detail?: Record<string, unknown>): ParleyError;
}

const who = (h: Header) => `${h.author}#${h.seq}`;

export const knownAuthor: Check = {
  name: 'knownAuthor',
  code: 'PARLEY_ERR_UNKNOWN_AUTHOR',
  needs: 'roster',
  problem: (c, _t, ctx) => (ctx.key ? undefined : `author ${c.header.author} is not in the roster`),
};

export const signatureVerifies: Check = {
  name: 'signatureVerifies',
  code: 'PARLEY_ERR_BAD_SIGNATURE',
  needs: 'roster',
  problem: (c, _t, ctx) => (ctx.key && (ctx.signatureVerdict ?? verifyEntrySignature(c, ctx.key)) ? undefined : `the signature does not verify against ${c.header.author}'s roster key`),
};

export const seqFollows: Check = {
  name: 'seqFollows',
  code: 'PARLEY_ERR_CHAIN_GAP',
  problem: (c, t) => (c.header.seq === t.seq + 1 ? undefined : `expected seq ${t.seq + 1} of ${c.header.author}, got ${c.header.seq}`),
};

export const prevLinks: Check = {
  name: 'prevLinks',
  code: 'PARLEY_ERR_BAD_PREV',
  problem: (c, t) => (c.header.prev === (t.seq === 0 ? ZERO_HASH : t.id) ? undefined : `prev does not match the hash of ${c.header.author}#${t.seq}`),
};

export const rootCoversEarlierHeaders: Check = {
  name: 'rootCoversEarlierHeaders',
  code: 'PARLEY_ERR_BAD_ROOT',
  problem: (c, t) => (c.header.root === (t.seq === 0 ? EMPTY_TREE_ROOT : t.root()) ? undefined : `root does not match the Merkle root of ${c.header.author}'s first ${t.seq} headers`),
};

export const timeNotAhead: Check = {
  name: 'timeNotAhead',
  code: 'PARLEY_ERR_FUTURE_TIME',
  needs: 'now',
  problem: (c, _t, ctx) => (Date.parse(c.header.time) > ctx.now! + MAX_FUTURE_SKEW_MS ? `time ${c.header.time} is more than 5 minutes ahead of this node's clock` : undefined),
};

/** No back-dating along a chain: an author's times never go backwards. */
export const timeNotBackwards: Check = {
  name: 'timeNotBackwards',
  code: 'PARLEY_ERR_TIME_ORDER',
  problem: (c, t) => (t.seq > 0 && c.header.time < t.time ? `time ${c.header.time} is earlier than ${c.header.author}#${t.seq} (${t.time})` : undefined),
};

export const contentHashesToHeader: Check = {
  name: 'contentHashesToHeader',
  code: 'PARLEY_ERR_CONTENT_HASH',
  needs: 'content',
  problem: (c) => (sha256hex(c.contentBytes!) === c.header.content ? undefined : `the content of ${who(c.header)} does not hash to header.content`),
};

export const contentFitsSchema: Check = {
  name: 'contentFitsSchema',
  code: 'PARLEY_ERR_SCHEMA',
  needs: 'catalogue',
  problem: (c, _t, ctx) => {
    if (!c.content) return undefined;
    const v = ctx.catalogue!.validate(c.content.type, c.content.body, c.header.author, c.content.refs, c.content.to);
    return v.ok ? undefined : v.error.message;
  },
};

/** Who may speak: the author is pinned and signed it. */
export const AUTHOR_CHECKS: readonly Check[] = Object.freeze([knownAuthor, signatureVerifies]);

/** Where it goes: the entry extends its author's chain exactly, and its content is what the header says. */
export const CHAIN_CHECKS: readonly Check[] = Object.freeze([seqFollows, prevLinks, rootCoversEarlierHeaders, timeNotAhead, timeNotBackwards, contentHashesToHeader, contentFitsSchema]);

/** Every acceptance rule of Protocol v1, in the order a receiver applies them. */
export const ACCEPTANCE_CHECKS: readonly Check[] = Object.freeze([...AUTHOR_CHECKS, ...CHAIN_CHECKS]);

function applies(check: Check, c: Candidate, ctx: CheckContext): boolean {
  switch (check.needs) {
    case 'roster':
      return ctx.roster !== false;
    case 'now':
      return ctx.now !== undefined;
    case 'catalogue':
      return ctx.catalogue !== undefined && c.content !== undefined;
    case 'content':
      return c.contentBytes !== undefined;
    default:
      return true;
  }
}

function problemOf(check: Check, message: string): CheckProblem {
  // A schema refusal keeps the catalogue's own code (PARLEY_ERR_UNKNOWN_TYPE, PARLEY_ERR_SCHEMA or PARLEY_ERR_ADDRESSEES).
  return {
    check: check.name,
    code: check.code,
    message,
    error: (at, detail) => new ParleyError(check.code, `${at}: ${message}`, { check: check.name, ...detail }),
  };
}

/** Every check of `checks` that fails, in order (verify: report everything). */
export function problems(checks: readonly Check[], c: Candidate, tip: ChainTip, ctx: CheckContext): CheckProblem[] {
  const out: CheckProblem[] = [];
  for (const check of checks) {
    if (!applies(check, c, ctx)) continue;
    const message = check.problem(c, tip, ctx);
    if (message !== undefined) out.push(schemaAware(check, c, ctx, message));
  }
  return out;
}

/** The first check of `checks` that fails (accept: refuse with the first problem). */
export function firstProblem(checks: readonly Check[], c: Candidate, tip: ChainTip, ctx: CheckContext): CheckProblem | undefined {
  for (const check of checks) {
    if (!applies(check, c, ctx)) continue;
    const message = check.problem(c, tip, ctx);
    if (message !== undefined) return schemaAware(check, c, ctx, message);
  }
  return undefined;
}

function schemaAware(check: Check, c: Candidate, ctx: CheckContext, message: string): CheckProblem {
  if (check !== contentFitsSchema || !c.content) return problemOf(check, message);
  const v = ctx.catalogue!.validate(c.content.type, c.content.body, c.header.author, c.content.refs, c.content.to);
  if (v.ok) return problemOf(check, message);
  return {
    check: check.name,
    code: v.error.code,
    message,
    error: (at, detail) => new ParleyError(v.error.code, `${at}: ${message}`, { check: check.name, ...v.error.detail, ...detail }),
  };
}
