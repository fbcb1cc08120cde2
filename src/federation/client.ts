/**
 * The requesting side of federation: signed `push` and `pull` to a peer's node over keep-alive
 * HTTP (the fetch built into Node keeps a connection pool per origin), replies checked for the
 * peer's signature before anything in them is believed.
 */
import { ERRORS, ParleyError, type ErrorCode } from '../protocol/errors.js';
import { isPlainObject } from '../protocol/bytes.js';
import { signRequest, verifyResponse, type Signer } from './http-signature.js';
import type { KeyObject } from 'node:crypto';
import {
  LOG_PATH, MAX_FEDERATION_BODY, parseLogPage, parsePushReply, PUSH_PATH, type LogPage, type PushReply, type PushRequest,
} from './wire.js';

/** Where and who a peer is: its roster code, URL and pinned key. */
export interface PeerAddress {
  party: string;
  url: string;
  key: KeyObject;
}

export interface PeerClientOptions {
  signer: Signer;
  /** Wall clock in ms. */
  clock: () => number;
  /** Random bytes for nonces. */
  randomBytes: (n: number) => Buffer;
  /** A request not answered in this time is abandoned (and the batch retried). */
  timeoutMs: number;
}

export class PeerClient {
  readonly #o: PeerClientOptions;

  constructor(options: PeerClientOptions) {
    this.#o = options;
  }

  async push(peer: PeerAddress, request: PushRequest): Promise<PushReply> {
    const json = await this.#request(peer, 'POST', PUSH_PATH, JSON.stringify(request));
    const reply = parsePushReply(json);
    if (!reply.ok) throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `${peer.party} answered the push with something that is not a push reply: ${reply.error.message}`);
    if (reply.value.batch !== request.batch) throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `${peer.party} answered another batch than the one pushed`);
    return reply.value;
  }

  async log(peer: PeerAddress, author: string, after: number, limit: number): Promise<LogPage> {
    const path = `${LOG_PATH}/${encodeURIComponent(author)}?after=${after}&limit=${limit}`;
    const json = await this.#request(peer, 'GET', path, undefined);
    const page = parseLogPage(json);
    if (!page.ok) throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `${peer.party} answered the pull with something that is not a log page: ${page.error.message}`);
    if (page.value.author !== author) throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `${peer.party} answered a pull of ${author} with the log of ${page.value.author}`);
    return page.value;
  }

  async #request(peer: PeerAddress, method: 'GET' | 'POST', pathAndQuery: string, body: string | undefined): Promise<unknown> {
    const url = new URL(pathAndQuery, peer.url + '/');
    const target = url.pathname + url.search;
    const nonce = this.#o.randomBytes(16).toString('base64url');
    const headers = signRequest(
      { method, authority: url.host, pathAndQuery: target, recipient: peer.party },
      body === undefined ? undefined : Buffer.from(body, 'utf8'),
      this.#o.signer,
      Math.floor(this.#o.clock() / 1000),
      nonce,
    );
    if (body) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.#o.timeoutMs) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `${peer.party} at ${peer.url} cannot be reached (${cause})`, { party: peer.party, cause });
    }
    const bytes = await readLimited(res, MAX_FEDERATION_BODY).catch((err: Error) => {
      throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `${peer.party}'s reply could not be read: ${err.message}`, { party: peer.party });
    });
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      json = undefined;
    }
    if (res.status < 200 || res.status > 299) throw refusal(peer.party, res.status, json);
    const headerMap: Record<string, string> = {};
    res.headers.forEach((v, k) => (headerMap[k] = v));
    const signed = verifyResponse(res.status, headerMap, bytes, {
      responder: peer.party,
      requester: this.#o.signer.party,
      nonce,
      key: peer.key,
      nowS: Math.floor(this.#o.clock() / 1000),
    });
    if (!signed.ok) throw new ParleyError('PARLEY_ERR_UNAUTHENTICATED', `the reply from ${peer.url} is not signed by ${peer.party}: ${signed.error.message}`, { party: peer.party });
    return json;
  }
}

/** A peer's refusal as a ParleyError with the peer's code, or UNAVAILABLE when it gave none. */
function refusal(party: string, status: number, json: unknown): ParleyError {
  const e = isPlainObject(json) && isPlainObject(json.error) ? json.error : undefined;
  const code = typeof e?.code === 'string' && e.code in ERRORS ? (e.code as ErrorCode) : 'PARLEY_ERR_UNAVAILABLE';
  const message = typeof e?.message === 'string' ? e.message.slice(0, 500) : `HTTP ${status}`;
  return new ParleyError(code, `${party} refused: ${message}`, { party, status, remote: true });
}

async function readLimited(res: Response, max: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body?.cancel();
    throw new Error(`the reply is ${declared} bytes, more than ${max}`);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) throw new Error(`the reply is more than ${max} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
