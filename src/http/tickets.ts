/**
 * Event-stream tickets: a browser's EventSource cannot set an Authorization header, and an
 * operator token must never travel in a URL (logs, history, proxies keep URLs). A client holding
 * a token asks for a ticket — random, valid 60 s, good for one request — and opens the stream with
 * `?ticket=`. Only the ticket's hash is kept, and at most MAX_TICKETS of them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './auth.js';

export const TICKET_TTL_MS = 60_000;
const MAX_TICKETS = 1024;

export class Tickets {
  /** sha256(ticket) → what it stands for; insertion order is expiry order. */
  readonly #live = new Map<string, { role: Role; id: string; expiresAt: number }>();

  /** A ticket standing for credential `id` of `role`. */
  issue(role: Role, id: string, now: number): { ticket: string; expiresAt: number } {
    this.#sweep(now);
    // Full of live tickets: the oldest goes (it is the nearest to expiring anyway).
    if (this.#live.size >= MAX_TICKETS) this.#live.delete(this.#live.keys().next().value!);
    const ticket = randomBytes(24).toString('base64url');
    const expiresAt = now + TICKET_TTL_MS;
    this.#live.set(hash(ticket), { role, id, expiresAt });
    return { ticket, expiresAt };
  }

  /** The role a ticket stands for, used up by this call; 'expired' if it is unknown, used or too old. */
  take(ticket: string, now: number): { role: Role; id: string } | 'expired' {
    this.#sweep(now);
    const key = hash(ticket);
    const t = this.#live.get(key);
    this.#live.delete(key);
    return t && t.expiresAt >= now ? { role: t.role, id: t.id } : 'expired';
  }

  #sweep(now: number): void {
    for (const [k, t] of this.#live) {
      if (t.expiresAt >= now) break;
      this.#live.delete(k);
    }
  }
}

function hash(ticket: string): string {
  return createHash('sha256').update(ticket).digest('base64url');
}
