/**
 * The CLI's way to a running node: the operator API at the URL in the folder's run.json, with a
 * token from tokens.json. While a node runs, the CLI must not append to its ledger itself — the
 * running node holds its party's head in memory, and a second writer would fork the log.
 */
import { isPlainObject } from '../protocol/bytes.js';
import { ERRORS, ParleyError, type ErrorCode } from '../protocol/errors.js';
import { loadNode, type Role } from '../node/folder.js';
import type { AppendInput } from '../ledger/ledger.js';
import { readRunInfo, type RunInfo } from './runfile.js';

export class OperatorClient {
  readonly run: RunInfo;
  readonly #token: string;

  constructor(run: RunInfo, token: string) {
    this.run = run;
    this.#token = token;
  }

  get<T>(path: string): Promise<T> {
    return this.#call<T>('GET', path, undefined);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#call<T>('POST', path, body);
  }

  async #call<T>(method: string, path: string, body: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.run.url + path, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `the node of ${this.run.party} (pid ${this.run.pid}) does not answer at ${this.run.url} (${cause}); nothing was done — check its log, or stop it and retry`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const e = isPlainObject(json) && isPlainObject(json.error) ? json.error : {};
      const code = typeof e.code === 'string' && e.code in ERRORS ? (e.code as ErrorCode) : 'PARLEY_ERR_UNAVAILABLE';
      throw new ParleyError(code, typeof e.message === 'string' ? e.message : `the node answered HTTP ${res.status}`, isPlainObject(e.detail) ? e.detail : undefined);
    }
    return json as T;
  }
}

/** A client for the node running on `dir`, or undefined when no node runs there. */
export function runningNode(dir: string, role: Role): OperatorClient | undefined {
  const run = readRunInfo(dir);
  if (!run) return undefined;
  const token = loadNode(dir).tokens[role];
  if (!token) throw new ParleyError('PARLEY_ERR_NODE_DIR', `tokens.json in ${dir} has no ${role} token`);
  return new OperatorClient(run, token);
}

/** Sends through the running node's API (so its outbox delivers at once); undefined when no node runs. */
export async function sendThroughNode(dir: string, input: AppendInput): Promise<{ id: string; seq: number; author: string; time: string } | undefined> {
  const client = runningNode(dir, 'officer');
  return client?.post('/api/v1/entries', input);
}
