/**
 * A client of a node's event stream (`GET /api/v1/events`, server-sent events) for Node, which
 * has no EventSource: parses `text/event-stream` as the WHATWG spec says (event, data, id,
 * comments, CR/LF/CRLF line ends) and reconnects with Last-Event-ID, so `parley hotline watch`
 * and tests see every entry and alarm.
 *
 * @example
 *   const ac = new AbortController();
 *   await followEvents(`${url}/api/v1/events`, token, (e) => console.log(e.event, JSON.parse(e.data)), { signal: ac.signal });
 */
import { isPlainObject } from '../../../protocol/bytes.js';
import { ERRORS, ParleyError, type ErrorCode } from '../../../protocol/errors.js';

export interface StreamEvent {
  event: string;
  data: string;
  id?: string;
}

export interface FollowOptions {
  signal: AbortSignal;
  /** Replay entries after this local position first (Last-Event-ID). */
  lastEventId?: string;
  /** Wait before reconnecting (the server's `retry:` overrides it). Default 2000 ms. */
  retryMs?: number;
  /** Called when a connection opens (true) or drops (false, with the reason). */
  onState?: (open: boolean, why?: string) => void;
}

/** Reads one connection's events until it ends. Throws the node's refusal (401, 503) as a ParleyError. */
export async function* readEvents(url: string, token: string, options: { signal: AbortSignal; lastEventId?: string; onOpen?: () => void; onRetry?: (ms: number) => void }): AsyncGenerator<StreamEvent> {
  const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${token}` };
  if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
  const res = await fetch(url, { headers, signal: options.signal });
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => '');
    let e: unknown;
    try {
      e = (JSON.parse(text) as { error?: unknown }).error;
    } catch {
      e = undefined;
    }
    const code = isPlainObject(e) && typeof e.code === 'string' && e.code in ERRORS ? (e.code as ErrorCode) : 'PARLEY_ERR_UNAVAILABLE';
    throw new ParleyError(code, isPlainObject(e) && typeof e.message === 'string' ? e.message : `the event stream answered HTTP ${res.status}`);
  }
  options.onOpen?.();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      for (;;) {
        const m = /\r\n|\r|\n/.exec(buffer);
        // A lone CR at the end may be the first half of CRLF: wait for the next chunk.
        if (!m || (m[0] === '\r' && m.index === buffer.length - 1)) break;
        const line = buffer.slice(0, m.index);
        buffer = buffer.slice(m.index + m[0].length);
        if (line === '') {
          if (data.length) yield { event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let v = colon < 0 ? '' : line.slice(colon + 1);
        if (v.startsWith(' ')) v = v.slice(1);
        if (field === 'event') event = v;
        else if (field === 'data') data.push(v);
        else if (field === 'id' && !v.includes('\0')) id = v;
        else if (field === 'retry' && /^\d+$/.test(v)) options.onRetry?.(Number(v));
      }
    }
  } finally {
    reader.releaseLock();
    void res.body.cancel().catch(() => {});
  }
}

/**
 * Follows the stream until `signal` aborts, reconnecting after a drop with the last event id
 * seen. A refusal that a retry cannot change (a wrong token) ends it with that error.
 */
export async function followEvents(url: string, token: string, onEvent: (e: StreamEvent) => void, options: FollowOptions): Promise<void> {
  let last = options.lastEventId;
  let retry = options.retryMs ?? 2000;
  while (!options.signal.aborted) {
    let why = 'the node closed the stream';
    try {
      const events = readEvents(url, token, { signal: options.signal, lastEventId: last, onOpen: () => options.onState?.(true), onRetry: (ms) => (retry = ms) });
      for await (const e of events) {
        if (e.id !== undefined) last = e.id;
        onEvent(e);
      }
    } catch (err) {
      if (options.signal.aborted) return;
      if (err instanceof ParleyError && (err.code === 'PARLEY_ERR_UNAUTHENTICATED' || err.code === 'PARLEY_ERR_FORBIDDEN')) throw err;
      why = err instanceof ParleyError ? err.message : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message);
    }
    if (options.signal.aborted) return;
    options.onState?.(false, why);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, retry);
      options.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
}
