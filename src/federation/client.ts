/**
 * The requesting side of federation: signed `push` and `pull` to a peer's node over keep-alive
 * HTTP connections, replies checked for the peer's signature before anything in them is believed.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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

/** What this node's requests to its peers have cost on the wire since it started (both directions, headers included). */
export interface WireCounters {
  requests: number;
  bytesSent: number;
  bytesReceived: number;
}

export class PeerClient {
  readonly #o: PeerClientOptions;
  readonly #wire: WireCounters = { requests: 0, bytesSent: 0, bytesReceived: 0 };
  /** A few pooled keep-alive connections per peer: at most one push and a pull or two are in flight. */
  readonly #agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 4 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 4 }) };

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

  /** Requests made and bytes on the wire so far: what an operator watches as the network grows. */
  wire(): WireCounters {
    return { ...this.#wire };
  }

  /** Closes the pooled connections (the node is stopping). */
  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  async #request(peer: PeerAddress, method: 'GET' | 'POST', pathAndQuery: string, body: string | undefined): Promise<unknown> {
    const url = new URL(pathAndQuery, peer.url + '/');
    const target = url.pathname + url.search;
    const nonce = this.#o.randomBytes(16).toString('base64url');
    const bytes = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const headers = signRequest({ method, authority: url.host, pathAndQuery: target, recipient: peer.party }, bytes, this.#o.signer, Math.floor(this.#o.clock() / 1000), nonce);
    if (bytes) headers['content-type'] = 'application/json';
    let res: RawResponse;
    try {
      res = await exchange(url, method, headers, bytes, this.#o.timeoutMs, url.protocol === 'https:' ? this.#agents.https : this.#agents.http, this.#wire);
    } catch (err) {
      const cause = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `${peer.party} at ${peer.url} cannot be reached (${cause})`, { party: peer.party, cause });
    }
    let json: unknown;
    try {
      json = JSON.parse(res.body.toString('utf8'));
    } catch {
      json = undefined;
    }
    if (res.status < 200 || res.status > 299) throw refusal(peer.party, res.status, json);
    const signed = verifyResponse(res.status, res.headers, res.body, {
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

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * One request on a keep-alive connection (node:http: on the hot path it costs a fraction of what
 * fetch does), with a deadline and a cap on the reply's size.
 */
function exchange(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number, agent: HttpAgent, wire: WireCounters): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // A keep-alive socket carries one request at a time: what it moved meanwhile is this exchange's.
    let socket: { bytesWritten: number; bytesRead: number } | undefined;
    let start = { written: 0, read: 0 };
    const count = () => {
      if (!socket) return;
      wire.bytesSent += socket.bytesWritten - start.written;
      wire.bytesReceived += socket.bytesRead - start.read;
      socket = undefined;
    };
    const req = request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port || undefined,
        path: url.pathname + url.search,
        method,
        agent,
        headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
      },
      (res) => {
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (declared > MAX_FEDERATION_BODY) {
          req.destroy(Object.assign(new Error(`the reply is ${declared} bytes, more than ${MAX_FEDERATION_BODY}`), { code: 'EREPLYTOOLARGE' }));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_FEDERATION_BODY) req.destroy(Object.assign(new Error('the reply is too large'), { code: 'EREPLYTOOLARGE' }));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          count();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', fail);
      },
    );
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      count();
      reject(err);
    }
    req.on('socket', (s) => {
      wire.requests++;
      socket = s;
      start = { written: s.bytesWritten, read: s.bytesRead };
    });
    req.on('error', fail);
    req.end(body);
  });
}

/** A peer's refusal as a ParleyError with the peer's code, or UNAVAILABLE when it gave none. */
function refusal(party: string, status: number, json: unknown): ParleyError {
  const e = isPlainObject(json) && isPlainObject(json.error) ? json.error : undefined;
  const code = typeof e?.code === 'string' && e.code in ERRORS ? (e.code as ErrorCode) : 'PARLEY_ERR_UNAVAILABLE';
  const message = typeof e?.message === 'string' ? e.message.slice(0, 500) : `HTTP ${status}`;
  return new ParleyError(code, `${party} refused: ${message}`, { party, status, remote: true });
}
