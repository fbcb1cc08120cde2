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
/** Most concurrent streams of one credential (one operator token): one token cannot take them all. */
export const MAX_EVENT_CLIENTS_PER_OWNER = 16;
/** A client that lets this much output pile up unread is dropped (it reconnects and replays). */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const KEEPALIVE_MS = 15_000;

export interface PublishedEvent {
  event: string;
  data: unknown;
  /** SSE id: set for entries (their local position). */
  id?: string;
}

interface Client {
  owner: string;
  /** The highest entry position written to this client: an entry at or before it is not written again. */
  last: number;
  /** While the replay is written: live events held back (bounded by MAX_BUFFERED_BYTES), and their size. */
  pending?: { texts: { text: string; id?: number }[]; bytes: number };
}

export class EventHub {
  readonly #clients = new Map<ServerResponse, Client>();
  #keepalive: NodeJS.Timeout | undefined;

  get size(): number {
    return this.#clients.size;
  }

  get full(): boolean {
    return this.#clients.size >= MAX_EVENT_CLIENTS;
  }

  /** Output written to the streams and not yet taken by their clients, every stream together (the bound's measure). */
  bufferedBytes(): number {
    let n = 0;
    for (const [res, c] of this.#clients) n += res.writableLength + (c.pending?.bytes ?? 0);
    return n;
  }

  /** Streams open for `owner` (a credential's fingerprint). */
  countOf(owner: string): number {
    let n = 0;
    for (const c of this.#clients.values()) if (c.owner === owner) n++;
    return n;
  }

  /** Sends an event to every connected client. */
  publish(event: string, data: unknown, id?: string): void {
    if (this.#clients.size === 0) return;
    const text = format({ event, data, id });
    const at = id === undefined ? undefined : Number(id);
    for (const [res, c] of this.#clients) {
      if (!c.pending) {
        if (at !== undefined) {
          // Several processes on one store: an entry the replay already carried comes again when this process hears it.
          if (at <= c.last) continue;
          c.last = at;
        }
        this.#write(res, text);
        continue;
      }
      // Replaying: keep the live event for after the replay, within the same byte cap.
      c.pending.texts.push({ text, id: at });
      c.pending.bytes += text.length;
      if (c.pending.bytes > MAX_BUFFERED_BYTES) this.#drop(res);
    }
  }

  /**
   * Takes over a response as an event stream for `owner`. `replay` (the entries after
   * Last-Event-ID, read a page at a time) is written first, never more than the per-client cap
   * ahead of what the client has read; live events meanwhile wait, and those the replay already
   * carried (by id) are not sent twice.
   */
  async attach(res: ServerResponse, owner: string, replay?: AsyncIterable<PublishedEvent>): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const client: Client = { owner, last: -1, pending: replay ? { texts: [], bytes: 0 } : undefined };
    this.#clients.set(res, client);
    const drop = () => this.#clients.delete(res);
    res.on('close', drop);
    res.on('error', drop);
    if (!this.#keepalive) {
      this.#keepalive = setInterval(() => {
        for (const [c, state] of this.#clients) if (!state.pending) this.#write(c, ': keepalive\n\n');
      }, KEEPALIVE_MS);
      this.#keepalive.unref?.();
    }
    if (!replay) return;
    try {
      for await (const e of replay) {
        if (!this.#clients.has(res)) return;
        res.write(format(e));
        if (e.id !== undefined) client.last = Math.max(client.last, Number(e.id));
        if (res.writableLength > MAX_BUFFERED_BYTES / 2) await drained(res);
      }
    } catch {
      this.#drop(res);
      return;
    }
    const pending = client.pending;
    client.pending = undefined;
    if (!this.#clients.has(res) || !pending) return;
    for (const p of pending.texts) {
      if (p.id !== undefined) {
        if (p.id <= client.last) continue;
        client.last = p.id;
      }
      this.#write(res, p.text);
    }
  }

  /** Ends every stream (the node is stopping). */
  closeAll(): void {
    if (this.#keepalive) clearInterval(this.#keepalive);
    this.#keepalive = undefined;
    for (const res of this.#clients.keys()) res.end();
    this.#clients.clear();
  }

  #drop(res: ServerResponse): void {
    this.#clients.delete(res);
    res.destroy();
  }

  #write(res: ServerResponse, text: string): void {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      this.#drop(res);
      return;
    }
    res.write(text);
  }
}

/** Resolves when the response has room again, or is closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function format(e: PublishedEvent): string {
  // JSON.stringify never emits a raw newline, so the data is always one SSE line.
  return `${e.id !== undefined ? `id: ${e.id}\n` : ''}event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}
