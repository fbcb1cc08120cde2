/**
 * Alarms to a pager: each alarm change is POSTed as JSON to the configured webhook, retried a
 * bounded number of times with doubling waits, then given up (and logged) — a dead pager must
 * not hold the node, and alarms stay visible in `status` and the event stream regardless.
 *
 * Every attempt of one delivery carries the same `x-parley-delivery` id, so a receiver that got
 * an attempt whose answer was lost can drop the repeat. With a secret, `x-parley-signature:
 * sha256=<hex HMAC-SHA256 of the body>` lets the receiver check the sender.
 *
 * @example
 *   const hook = new Webhook({ url: 'http://127.0.0.1:9000/pager', attempts: 5, timeoutMs: 5000, retryMs: 500 }, log);
 *   hook.post({ type: 'parley.alarm', node: 'USA', alarm });
 *   await hook.close(2000); // on stop: let deliveries in flight finish for up to 2 s
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Logger } from '../../../federation/link.js';

export interface WebhookOptions {
  url: string;
  secret?: string;
  attempts: number;
  timeoutMs: number;
  /** Wait before the first retry; doubled for each next one. */
  retryMs: number;
}

/** Deliveries waiting beyond this are dropped, oldest first (the alarm is still in status). */
const MAX_QUEUED = 256;
/** Deliveries in flight at once. */
const MAX_IN_FLIGHT = 4;

export interface DeliveryReport {
  delivered: number;
  failed: number;
  dropped: number;
}

export class Webhook {
  readonly #o: WebhookOptions;
  readonly #log: Logger;
  readonly #queue: { id: string; body: string }[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;
  readonly report: DeliveryReport = { delivered: 0, failed: 0, dropped: 0 };

  constructor(options: WebhookOptions, log: Logger) {
    this.#o = options;
    this.#log = log;
  }

  /** Queues one JSON body for delivery. */
  post(payload: unknown): void {
    if (this.#closed) return;
    this.#queue.push({ id: randomUUID(), body: JSON.stringify(payload) });
    if (this.#queue.length > MAX_QUEUED) {
      this.#queue.shift();
      this.report.dropped++;
      this.#log.warn({ webhook: this.#o.url }, 'webhook queue full: the oldest undelivered alarm was dropped (it is still in status)');
    }
    this.#pump();
  }

  /** Stops taking alarms; waits up to `graceMs` for deliveries in flight, then abandons them. */
  async close(graceMs: number): Promise<void> {
    this.#closed = true;
    this.#queue.length = 0;
    const all = Promise.allSettled([...this.#inFlight]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    if (timer) clearTimeout(timer);
    this.#abort.abort();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #pump(): void {
    while (this.#inFlight.size < MAX_IN_FLIGHT && this.#queue.length > 0) {
      const item = this.#queue.shift()!;
      const p: Promise<void> = this.#deliver(item.id, item.body).finally(() => {
        this.#inFlight.delete(p);
        this.#pump();
      });
      this.#inFlight.add(p);
    }
  }

  async #deliver(id: string, body: string): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'parley-hotline', 'x-parley-event': 'alarm', 'x-parley-delivery': id };
    if (this.#o.secret) headers['x-parley-signature'] = `sha256=${createHmac('sha256', this.#o.secret).update(body).digest('hex')}`;
    let last = '';
    for (let attempt = 1; attempt <= this.#o.attempts; attempt++) {
      if (this.#abort.signal.aborted) return;
      try {
        const res = await fetch(this.#o.url, { method: 'POST', headers, body, signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#o.timeoutMs)]) });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.report.delivered++;
          return;
        }
        last = `HTTP ${res.status}`;
        // A refusal that a retry cannot change (a wrong URL, a bad secret): stop at once.
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) break;
      } catch (err) {
        last = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      }
      if (attempt < this.#o.attempts) await this.#sleep(this.#o.retryMs * 2 ** (attempt - 1));
    }
    if (this.#abort.signal.aborted) return;
    this.report.failed++;
    this.#log.warn({ webhook: this.#o.url, delivery: id, error: last }, `an alarm could not be delivered to the webhook (${last}); it stays in status and the event stream`);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        resolve();
      }, ms);
      this.#timers.add(t);
      t.unref?.();
    });
  }
}
