/**
 * The node's live event stream (`GET /api/v1/events`, server-sent events): every committed entry,
 * link changes, alerts — and whatever later modules publish (the hotline's alarms). The console
 * and `parley hotline watch` read it.
 *
 * Each `entry` event carries the entry's local position as its SSE id, so a client that reconnects
 * with Last-Event-ID (EventSource does) first gets what it missed.
 */
import type { ServerResponse } from 'node:http';

/** Most concurrent stream clients; more are refused rather than let to exhaust the node. */
export const MAX_EVENT_CLIENTS = 64;
/** A client that lets this much output pile up unread is dropped (it reconnects and replays). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const KEEPALIVE_MS = 15_000;

export interface PublishedEvent {
  event: string;
  data: unknown;
  /** SSE id: set for entries (their local position). */
  id?: string;
}

export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  #keepalive: NodeJS.Timeout | undefined;

  get size(): number {
    return this.#clients.size;
  }

  get full(): boolean {
    return this.#clients.size >= MAX_EVENT_CLIENTS;
  }

  /** Sends an event to every connected client. */
  publish(event: string, data: unknown, id?: string): void {
    if (this.#clients.size === 0) return;
    const text = format({ event, data, id });
    for (const res of this.#clients) this.#write(res, text);
  }

  /** Takes over a response as an event stream; `backlog` is written first (the replay after Last-Event-ID). */
  attach(res: ServerResponse, backlog: PublishedEvent[]): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    for (const e of backlog) res.write(format(e));
    this.#clients.add(res);
    const drop = () => this.#clients.delete(res);
    res.on('close', drop);
    res.on('error', drop);
    if (!this.#keepalive) {
      this.#keepalive = setInterval(() => {
        for (const c of this.#clients) this.#write(c, ': keepalive\n\n');
      }, KEEPALIVE_MS);
      this.#keepalive.unref?.();
    }
  }

  /** Ends every stream (the node is stopping). */
  closeAll(): void {
    if (this.#keepalive) clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #write(res: ServerResponse, text: string): void {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.#clients.delete(res);
      res.destroy();
      return;
    }
    res.write(text);
  }
}

function format(e: PublishedEvent): string {
  // JSON.stringify never emits a raw newline, so the data is always one SSE line.
  return `${e.id !== undefined ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}
