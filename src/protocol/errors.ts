/**
 * The registry of stable error codes. The code is the API; the message explains it to a person.
 * Every refusal Parley gives — to a peer, an operator or a CLI user — carries one of these codes.
 *
 * @example
 *   throw new ParleyError('PARLEY_ERR_BAD_SIGNATURE', 'signature of USA#12 does not verify');
 */
export const ERRORS = {
  // wire format
  PARLEY_ERR_MALFORMED_JSON: { status: 400, message: 'The bytes are not valid JSON.' },
  PARLEY_ERR_NOT_CANONICAL: { status: 400, message: 'The bytes are not RFC 8785 canonical JSON; Parley signs and hashes canonical bytes only.' },
  PARLEY_ERR_BAD_ENCODING: { status: 400, message: 'A field is not valid base64url (without padding) or lower-case hex.' },
  PARLEY_ERR_BAD_HEADER: { status: 400, message: 'The header does not have the Protocol v1 shape.' },
  PARLEY_ERR_BAD_CONTENT: { status: 400, message: 'The content does not have the Protocol v1 shape.' },
  PARLEY_ERR_BAD_ENVELOPE: { status: 400, message: 'The envelope does not have the Protocol v1 shape.' },
  PARLEY_ERR_UNSUPPORTED_VERSION: { status: 400, message: 'The header version is not supported by this node.' },
  PARLEY_ERR_CONTENT_TOO_LARGE: { status: 413, message: 'The content is larger than the protocol limit.' },
  // acceptance rules
  PARLEY_ERR_UNKNOWN_AUTHOR: { status: 403, message: 'The author is not in this node\'s roster.' },
  PARLEY_ERR_BAD_SIGNATURE: { status: 400, message: 'The signature does not verify against the author\'s roster key.' },
  PARLEY_ERR_CHAIN_GAP: { status: 409, message: 'The entry\'s seq is not the next one for its author.' },
  PARLEY_ERR_CHAIN_ORDER: { status: 400, message: 'The entries of an author are not in increasing, contiguous seq order.' },
  PARLEY_ERR_BAD_PREV: { status: 400, message: 'The header\'s prev is not the hash of the author\'s previous header.' },
  PARLEY_ERR_BAD_ROOT: { status: 400, message: 'The header\'s root is not the Merkle root of the author\'s earlier headers.' },
  PARLEY_ERR_CONTENT_HASH: { status: 400, message: 'The content does not hash to the value in the header.' },
  PARLEY_ERR_FUTURE_TIME: { status: 400, message: 'The header\'s time is more than 5 minutes in the future.' },
  PARLEY_ERR_TIME_ORDER: { status: 400, message: 'The header\'s time is earlier than the author\'s previous entry.' },
  PARLEY_ERR_UNKNOWN_TYPE: { status: 400, message: 'The content type is not in the message catalogue.' },
  PARLEY_ERR_SCHEMA: { status: 400, message: 'The content body does not satisfy its type\'s JSON Schema.' },
  PARLEY_ERR_UNKNOWN_ADDRESSEE: { status: 400, message: 'An addressee is not in the roster.' },
  PARLEY_ERR_ADDRESSEES: { status: 400, message: 'The entry is not addressed to every party that judges the obligations it bears on; each of them must hold its content.' },
  PARLEY_ERR_EQUIVOCATION: { status: 409, message: 'The author signed two different entries at the same seq; both are kept as evidence.' },
  // ledger and node
  PARLEY_ERR_NOT_FOUND: { status: 404, message: 'No such entry, party or resource.' },
  PARLEY_ERR_NO_CONTENT: { status: 404, message: 'This node holds only the stub of that entry, not its content.' },
  PARLEY_ERR_NODE_DIR: { status: 400, message: 'The node folder is missing, incomplete or already initialised.' },
  PARLEY_ERR_BAD_ARGUMENT: { status: 400, message: 'A command argument or request parameter is invalid.' },
  PARLEY_ERR_ROSTER_CONFLICT: { status: 409, message: 'The roster already holds that party with a different key or URL.' },
  PARLEY_ERR_NO_CHECKPOINT: { status: 409, message: 'The entry is its author\'s latest; a proof needs a later header of that author to cover it.' },
  PARLEY_ERR_BAD_PROOF: { status: 400, message: 'The proof bundle does not prove what it claims.' },
  PARLEY_ERR_STORE: { status: 500, message: 'The store failed; nothing was acknowledged.' },
  PARLEY_ERR_STORE_UNAVAILABLE: { status: 503, message: 'The node\'s database cannot be reached; nothing was acknowledged. Retry when it is back.' },
  PARLEY_ERR_STALE_HEAD: { status: 409, message: 'Another writer extended the log since this commit was decided; nothing was written.' },
  PARLEY_ERR_CLOSED: { status: 503, message: 'The node is shutting down and takes no new work.' },
  // federation and operator API
  PARLEY_ERR_UNAUTHENTICATED: { status: 401, message: 'The request is not authenticated as a roster party or operator.' },
  PARLEY_ERR_REPLAY: { status: 401, message: 'The request signature was already used or is too old.' },
  PARLEY_ERR_FORBIDDEN: { status: 403, message: 'The credential does not allow this action.' },
  PARLEY_ERR_TOO_LARGE: { status: 413, message: 'The request is larger than the limit.' },
  PARLEY_ERR_UNAVAILABLE: { status: 503, message: 'The peer or node cannot be reached.' },
  PARLEY_ERR_INTERNAL: { status: 500, message: 'An unexpected error; nothing was acknowledged.' },
  PARLEY_ERR_NODE_BUSY: { status: 409, message: 'Another process owns the node folder (its running node, or a command writing to it).' },
  PARLEY_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests from this client; retry after the time given.' },
  PARLEY_ERR_HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are larger than the limit.' },
  PARLEY_ERR_DISK_FULL: { status: 507, message: 'The node\'s disk is full; nothing was stored. It takes work again when space returns.' },
  PARLEY_ERR_TOKEN_EXPIRED: { status: 401, message: 'The operator token or event-stream ticket has expired.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

/**
 * @example
 *   } catch (err) {
 *     throw new ParleyError('PARLEY_ERR_STORE', `the commit failed: ${(err as Error).message}`, undefined, { cause: err });
 *   }
 */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: Record<string, unknown> | undefined;
  /** `options.cause` is the error this one explains (ES2022): logs show its stack, a reply never does. */
  constructor(code: ErrorCode, message?: string, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message ?? ERRORS[code].message, options);
    this.name = 'ParleyError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.detail = detail;
  }
  toJSON(): { code: ErrorCode; message: string; detail?: Record<string, unknown> } {
    return this.detail ? { code: this.code, message: this.message, detail: this.detail } : { code: this.code, message: this.message };
  }
}

/**
 * The one place that turns an unknown throw into a ParleyError (tRPC-style boundary). Anything
 * not already a ParleyError is a bug or a failure of the machine, never a caller's bad argument:
 * PARLEY_ERR_INTERNAL, with the original kept as `cause` so its stack reaches the log.
 */
export function asParleyError(err: unknown): ParleyError {
  if (err instanceof ParleyError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ParleyError('PARLEY_ERR_INTERNAL', message, undefined, { cause: err });
}

/** A typed result for decoders: the protocol never throws on bad input, it says why. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ParleyError };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T>(code: ErrorCode, message?: string, detail?: Record<string, unknown>): Result<T> => ({
  ok: false,
  error: new ParleyError(code, message, detail),
});
