/**
 * How one node proves to another that a request (and its reply) comes from a roster party:
 * RFC 9421 HTTP Message Signatures with the party's pinned Ed25519 roster key, and an RFC 9530
 * `Content-Digest` of the body.
 *
 * Why RFC 9421 rather than mutual TLS with pinned keys: the roster already pins one Ed25519 key per
 * party, and that key is the identity Parley's entries are signed with — RFC 9421 reuses it as is,
 * with no certificates to issue, renew or pin in a second place. The proof lives in the HTTP
 * message, so it survives a TLS-terminating proxy in front of a node, holds on plain HTTP on
 * loopback, names the party (`keyid`) to the application rather than to the socket, and binds each
 * request to its body, its target, its recipient and a moment. TLS is still the transport in a
 * real deployment, for confidentiality; authentication does not depend on it.
 *
 * A request to a peer carries:
 *
 *   Parley-To: RUS
 *   Content-Digest: sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:
 *   Signature-Input: parley=("@method" "@authority" "@path" "@query" "parley-to" "content-digest");created=1700000000;nonce="…";keyid="USA";alg="ed25519";tag="parley-v1"
 *   Signature: parley=:…base64 of 64 bytes…:
 *
 * and the Ed25519 signature is over the RFC 9421 signature base, one line per covered component:
 *
 *   "@method": POST
 *   "@authority": 127.0.0.1:7301
 *   "@path": /federation/v1/push
 *   "@query": ?
 *   "parley-to": RUS
 *   "content-digest": sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:
 *   "@signature-params": ("@method" … "content-digest");created=1700000000;nonce="…";keyid="USA";alg="ed25519";tag="parley-v1"
 *
 * `parley-to` names the recipient party, so a request captured on its way to one node cannot be
 * replayed to another (each node keeps its own nonce cache). `created` must be within
 * {@link MAX_SIGNATURE_SKEW_S} of the verifier's clock and the `nonce` must not have been seen in
 * that window (the caller keeps a {@link NonceCache}). A GET has no body and no content-digest.
 *
 * A 2xx reply is signed the same way by the responder over `"@status"`, `"parley-to"` (the
 * requester) and `"content-digest"`, with the request's nonce echoed, so the requester knows which
 * party answered which request — the `held` position in a push reply moves the sender's outbox.
 *
 * Pure: the clock reading and the nonce are given, never taken.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { sha256 } from '../protocol/bytes.js';
import { isPartyCode } from '../protocol/entry.js';
import { fail, ok, type Result } from '../protocol/errors.js';

/**
 * How far `created` may be from the verifier's clock, either way: the same 5 minutes an entry's
 * time may run ahead (MAX_FUTURE_SKEW_MS), so two nodes whose clocks differ by a few minutes still
 * talk. A wider window costs only a longer-lived nonce journal: a replay is refused by the nonce
 * for as long as its signature could pass.
 */
export const MAX_SIGNATURE_SKEW_S = 300;
export const SIGNATURE_LABEL = 'parley';
export const SIGNATURE_TAG = 'parley-v1';
export const RECIPIENT_HEADER = 'parley-to';

const REQUEST_COMPONENTS = ['@method', '@authority', '@path', '@query', RECIPIENT_HEADER] as const;
const RESPONSE_COMPONENTS = ['@status', RECIPIENT_HEADER, 'content-digest'] as const;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** RFC 9530: `sha-256=:<base64 of the SHA-256 of the body>:`. */
export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${sha256(body).toString('base64')}:`;
}

export interface SignatureParams {
  components: string[];
  created: number;
  nonce: string;
  keyid: string;
  alg: string;
  tag: string;
}

/** Serialises the covered components and parameters as an RFC 8941 inner list (the `@signature-params` value). */
export function serializeParams(p: SignatureParams): string {
  const list = p.components.map((c) => `"${c}"`).join(' ');
  return `(${list});created=${p.created};nonce="${p.nonce}";keyid="${p.keyid}";alg="${p.alg}";tag="${p.tag}"`;
}

/** The RFC 9421 signature base: one `"name": value` line per component, then `@signature-params`. */
export function signatureBase(values: ReadonlyMap<string, string>, p: SignatureParams): Buffer {
  const lines = p.components.map((c) => `"${c}": ${values.get(c)}`);
  lines.push(`"@signature-params": ${serializeParams(p)}`);
  return Buffer.from(lines.join('\n'), 'utf8');
}

/** What a node signs a request over; `authority` is host[:port] as the client addresses it. */
export interface RequestTarget {
  method: string;
  authority: string;
  /** Path and query as sent on the request line, e.g. `/federation/v1/log/USA?after=3&limit=100`. */
  pathAndQuery: string;
  recipient: string;
}

export interface Signer {
  party: string;
  privateKey: KeyObject;
}

function requestValues(t: RequestTarget, digest: string | undefined): Map<string, string> {
  const q = t.pathAndQuery.indexOf('?');
  const values = new Map<string, string>([
    ['@method', t.method.toUpperCase()],
    ['@authority', t.authority.toLowerCase()],
    ['@path', q < 0 ? t.pathAndQuery : t.pathAndQuery.slice(0, q)],
    ['@query', q < 0 ? '?' : t.pathAndQuery.slice(q)],
    [RECIPIENT_HEADER, t.recipient],
  ]);
  if (digest !== undefined) values.set('content-digest', digest);
  return values;
}

/**
 * The headers that sign a request. `created` is in seconds; `nonce` is base64url of random bytes.
 *
 * @example
 *   const h = signRequest({ method: 'POST', authority: '127.0.0.1:7301', pathAndQuery: '/federation/v1/push', recipient: 'RUS' },
 *     body, { party: 'USA', privateKey }, Math.floor(Date.now() / 1000), randomBytes(16).toString('base64url'));
 */
export function signRequest(t: RequestTarget, body: Uint8Array | undefined, signer: Signer, created: number, nonce: string): Record<string, string> {
  const digest = body === undefined ? undefined : contentDigest(body);
  const params: SignatureParams = {
    components: digest === undefined ? [...REQUEST_COMPONENTS] : [...REQUEST_COMPONENTS, 'content-digest'],
    created,
    nonce,
    keyid: signer.party,
    alg: 'ed25519',
    tag: SIGNATURE_TAG,
  };
  const sig = sign(null, signatureBase(requestValues(t, digest), params), signer.privateKey);
  const headers: Record<string, string> = {
    [RECIPIENT_HEADER]: t.recipient,
    'signature-input': `${SIGNATURE_LABEL}=${serializeParams(params)}`,
    signature: `${SIGNATURE_LABEL}=:${sig.toString('base64')}:`,
  };
  if (digest !== undefined) headers['content-digest'] = digest;
  return headers;
}

export interface ReceivedRequest {
  method: string;
  /** The Host header as received. */
  authority: string | undefined;
  pathAndQuery: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body bytes; undefined for a request without a body. */
  body: Buffer | undefined;
}

export interface VerifiedSignature {
  party: string;
  nonce: string;
  created: number;
}

export interface VerifyContext {
  /** This node's party code: the request must be addressed to it. */
  self: string;
  /** The verifier's clock, in seconds. */
  nowS: number;
  keyOf: (party: string) => KeyObject | undefined;
}

/**
 * Checks a request's signature, naming each check after what it proves. Returns the party the
 * request is from; refuses with PARLEY_ERR_UNAUTHENTICATED (unsigned, unknown party, bad signature,
 * body not the signed one, addressed to another party) or PARLEY_ERR_REPLAY (created outside the
 * window). The nonce is checked against the replay cache by the caller, after this succeeds, so an
 * unauthenticated request can never fill the cache.
 */
export function verifyRequest(r: ReceivedRequest, ctx: VerifyContext): Result<VerifiedSignature> {
  const pre = precheckRequest(r.headers, r.body !== undefined && r.body.length > 0, ctx);
  if (!pre.ok) return pre as Result<VerifiedSignature>;
  const { params, signature, key, recipient } = pre.value;
  const digest = header(r.headers, 'content-digest');
  if (params.components.includes('content-digest')) {
    if (digest === undefined || digest !== contentDigest(r.body ?? Buffer.alloc(0))) {
      return fail('PARLEY_ERR_UNAUTHENTICATED', 'bodyIsTheSignedOne: Content-Digest is missing or is not the SHA-256 of the body');
    }
  }
  const values = requestValues({ method: r.method, authority: r.authority ?? '', pathAndQuery: r.pathAndQuery, recipient }, digest);
  const base = signatureBase(values, params);
  let good = false;
  try {
    good = verify(null, base, key, signature);
  } catch {
    good = false;
  }
  if (!good) return fail('PARLEY_ERR_UNAUTHENTICATED', `signedByRosterParty: the request signature does not verify against ${params.keyid}'s roster key`, { party: params.keyid });
  return ok({ party: params.keyid, nonce: params.nonce, created: params.created });
}

/**
 * The checks that need only the headers — signed at all, by a roster party, recently, for this
 * node — so a node refuses a stranger before reading its body.
 */
export function precheckRequest(
  headers: Record<string, string | string[] | undefined>,
  hasBody: boolean,
  ctx: VerifyContext,
): Result<{ params: SignatureParams; signature: Buffer; key: KeyObject; recipient: string }> {
  const parsed = parseSignatureHeaders(headers);
  if (!parsed.ok) return parsed as Result<never>;
  const { params, signature } = parsed.value;
  const needed: string[] = [...REQUEST_COMPONENTS];
  if (hasBody) needed.push('content-digest');
  const missing = needed.filter((c) => !params.components.includes(c));
  if (missing.length) return fail('PARLEY_ERR_UNAUTHENTICATED', `coversTheRequest: the signature does not cover ${missing.join(', ')}`);
  const unknown = params.components.filter((c) => c !== 'content-digest' && !(REQUEST_COMPONENTS as readonly string[]).includes(c));
  if (unknown.length) return fail('PARLEY_ERR_UNAUTHENTICATED', `the signature covers components this node does not sign with: ${unknown.join(', ')}`);
  const key = ctx.keyOf(params.keyid);
  if (!key) return fail('PARLEY_ERR_UNAUTHENTICATED', `signedByRosterParty: ${params.keyid} is not in this node's roster`, { party: params.keyid });
  if (Math.abs(ctx.nowS - params.created) > MAX_SIGNATURE_SKEW_S) {
    return fail('PARLEY_ERR_REPLAY', `freshlySigned: the signature was created ${ctx.nowS - params.created} s from this node's clock; more than ${MAX_SIGNATURE_SKEW_S} s either way is refused (check both clocks)`);
  }
  const recipient = header(headers, RECIPIENT_HEADER);
  if (recipient !== ctx.self) return fail('PARLEY_ERR_UNAUTHENTICATED', `addressedToThisNode: the request is signed for ${recipient ?? 'no party'}, and this node is ${ctx.self}`);
  return ok({ params, signature, key, recipient });
}

/** Signs a 2xx reply to `requester`, echoing the request's nonce. */
export function signResponse(status: number, body: Uint8Array, requester: string, requestNonce: string, signer: Signer, created: number): Record<string, string> {
  const digest = contentDigest(body);
  const params: SignatureParams = { components: [...RESPONSE_COMPONENTS], created, nonce: requestNonce, keyid: signer.party, alg: 'ed25519', tag: SIGNATURE_TAG };
  const values = new Map([['@status', String(status)], [RECIPIENT_HEADER, requester], ['content-digest', digest]]);
  const sig = sign(null, signatureBase(values, params), signer.privateKey);
  return {
    [RECIPIENT_HEADER]: requester,
    'content-digest': digest,
    'signature-input': `${SIGNATURE_LABEL}=${serializeParams(params)}`,
    signature: `${SIGNATURE_LABEL}=:${sig.toString('base64')}:`,
  };
}

/** Checks that a reply was signed by `responder` for this request (nonce echoed) and this body. */
export function verifyResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  expected: { responder: string; requester: string; nonce: string; key: KeyObject; nowS: number },
): Result<void> {
  const parsed = parseSignatureHeaders(headers);
  if (!parsed.ok) return parsed as Result<void>;
  const { params, signature } = parsed.value;
  if (params.keyid !== expected.responder) return fail('PARLEY_ERR_UNAUTHENTICATED', `the reply is signed by ${params.keyid}, not by ${expected.responder}`);
  if (params.nonce !== expected.nonce) return fail('PARLEY_ERR_UNAUTHENTICATED', 'the reply does not answer this request (nonce differs)');
  if (params.components.length !== RESPONSE_COMPONENTS.length || RESPONSE_COMPONENTS.some((c) => !params.components.includes(c))) return fail('PARLEY_ERR_UNAUTHENTICATED', 'the reply signature does not cover status, recipient and digest');
  if (Math.abs(expected.nowS - params.created) > MAX_SIGNATURE_SKEW_S) return fail('PARLEY_ERR_REPLAY', 'the reply signature is outside the clock window');
  const digest = header(headers, 'content-digest');
  if (digest !== contentDigest(body)) return fail('PARLEY_ERR_UNAUTHENTICATED', 'the reply body is not the signed one');
  if (header(headers, RECIPIENT_HEADER) !== expected.requester) return fail('PARLEY_ERR_UNAUTHENTICATED', 'the reply is addressed to another party');
  const values = new Map([['@status', String(status)], [RECIPIENT_HEADER, expected.requester], ['content-digest', digest]]);
  let good = false;
  try {
    good = verify(null, signatureBase(values, params), expected.key, signature);
  } catch {
    good = false;
  }
  return good ? ok(undefined) : fail('PARLEY_ERR_UNAUTHENTICATED', `the reply signature does not verify against ${expected.responder}'s roster key`);
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v.join(', ') : v).trim();
}

/** Finds the `parley` member of Signature-Input and Signature and checks its parameters. */
function parseSignatureHeaders(headers: Record<string, string | string[] | undefined>): Result<{ params: SignatureParams; signature: Buffer }> {
  const input = header(headers, 'signature-input');
  const sigText = header(headers, 'signature');
  if (input === undefined || sigText === undefined) return fail('PARLEY_ERR_UNAUTHENTICATED', 'the request is not signed: Signature-Input and Signature (RFC 9421) are required');
  if (input.length > 4096 || sigText.length > 4096) return fail('PARLEY_ERR_UNAUTHENTICATED', 'the signature headers are too long');
  const inputs = parseDictionary(input);
  const sigs = parseDictionary(sigText);
  const member = inputs?.get(SIGNATURE_LABEL);
  const sigMember = sigs?.get(SIGNATURE_LABEL);
  if (!member || member.kind !== 'list') return fail('PARLEY_ERR_UNAUTHENTICATED', `Signature-Input has no "${SIGNATURE_LABEL}" inner list`);
  if (!sigMember || sigMember.kind !== 'bytes') return fail('PARLEY_ERR_UNAUTHENTICATED', `Signature has no "${SIGNATURE_LABEL}" byte sequence`);
  const p = member.params;
  const created = p.get('created');
  const nonce = p.get('nonce');
  const keyid = p.get('keyid');
  const alg = p.get('alg') ?? 'ed25519';
  const tag = p.get('tag');
  if (typeof created !== 'number' || !Number.isSafeInteger(created)) return fail('PARLEY_ERR_UNAUTHENTICATED', 'the signature has no integer "created" parameter');
  if (typeof nonce !== 'string' || !NONCE.test(nonce)) return fail('PARLEY_ERR_UNAUTHENTICATED', 'the signature has no "nonce" parameter of 16–64 base64url characters');
  if (typeof keyid !== 'string' || !isPartyCode(keyid)) return fail('PARLEY_ERR_UNAUTHENTICATED', 'the signature\'s "keyid" is not a party code');
  if (alg !== 'ed25519') return fail('PARLEY_ERR_UNAUTHENTICATED', 'the signature algorithm must be "ed25519"');
  if (tag !== SIGNATURE_TAG) return fail('PARLEY_ERR_UNAUTHENTICATED', `the signature's "tag" must be "${SIGNATURE_TAG}"`);
  if ([...p.keys()].some((k) => !['created', 'nonce', 'keyid', 'alg', 'tag'].includes(k))) {
    return fail('PARLEY_ERR_UNAUTHENTICATED', 'the signature has parameters this node does not know');
  }
  if (new Set(member.items).size !== member.items.length) return fail('PARLEY_ERR_UNAUTHENTICATED', 'a component is covered twice');
  if (sigMember.bytes.length !== 64) return fail('PARLEY_ERR_UNAUTHENTICATED', 'the signature is not 64 bytes (Ed25519)');
  return ok({ params: { components: member.items, created, nonce, keyid, alg, tag }, signature: sigMember.bytes });
}

type Member = { kind: 'list'; items: string[]; params: Map<string, string | number | boolean> } | { kind: 'bytes'; bytes: Buffer };

/**
 * A strict parser for the RFC 8941 dictionary subset that signatures use: members that are an
 * inner list of strings with parameters, or a byte sequence. Returns undefined for anything else.
 */
export function parseDictionary(text: string): Map<string, Member> | undefined {
  const out = new Map<string, Member>();
  let i = 0;
  const ws = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  const key = (): string | undefined => {
    const m = /^[a-z*][a-z0-9_.*-]*/.exec(text.slice(i, i + 64));
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  const str = (): string | undefined => {
    if (text[i] !== '"') return undefined;
    let s = '';
    for (i++; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') {
        const n = text[i + 1];
        if (n !== '"' && n !== '\\') return undefined;
        s += n;
        i++;
      } else if (c === '"') {
        i++;
        return s;
      } else if (c < ' ' || c > '~') return undefined;
      else s += c;
    }
    return undefined;
  };
  const bare = (): string | number | boolean | undefined => {
    if (text[i] === '"') return str();
    if (text[i] === '?') {
      const b = text[i + 1];
      i += 2;
      return b === '1' ? true : b === '0' ? false : undefined;
    }
    const num = /^-?\d{1,15}(?![.\d])/.exec(text.slice(i, i + 17));
    if (num) {
      i += num[0].length;
      return Number(num[0]);
    }
    const tok = /^[A-Za-z*][A-Za-z0-9!#$%&'*+.^_`|~:/-]*/.exec(text.slice(i, i + 256));
    if (tok) {
      i += tok[0].length;
      return tok[0];
    }
    return undefined;
  };
  const params = (): Map<string, string | number | boolean> | undefined => {
    const p = new Map<string, string | number | boolean>();
    while (text[i] === ';') {
      i++;
      ws();
      const k = key();
      if (!k) return undefined;
      let v: string | number | boolean | undefined = true;
      if (text[i] === '=') {
        i++;
        v = bare();
        if (v === undefined) return undefined;
      }
      p.set(k, v);
    }
    return p;
  };
  ws();
  while (i < text.length) {
    const k = key();
    if (!k || text[i] !== '=') return undefined;
    i++;
    if (text[i] === '(') {
      i++;
      const items: string[] = [];
      for (;;) {
        ws();
        if (text[i] === ')') {
          i++;
          break;
        }
        const s = str();
        if (s === undefined) return undefined;
        items.push(s);
        if (text[i] !== ' ' && text[i] !== ')') return undefined;
      }
      const p = params();
      if (!p) return undefined;
      out.set(k, { kind: 'list', items, params: p });
    } else if (text[i] === ':') {
      const end = text.indexOf(':', i + 1);
      if (end < 0) return undefined;
      const b64 = text.slice(i + 1, end);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
      i = end + 1;
      if (!params()) return undefined;
      out.set(k, { kind: 'bytes', bytes: Buffer.from(b64, 'base64') });
    } else {
      // Other member kinds are not used by signatures; skip nothing, refuse.
      return undefined;
    }
    ws();
    if (i >= text.length) break;
    if (text[i] !== ',') return undefined;
    i++;
    ws();
  }
  return out;
}
