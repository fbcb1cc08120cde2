/** Webhook delivery: retried with the same delivery id until a 2xx, bounded, and not retried when the receiver refuses for good. */
import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from '../../src/regimes/hotline/live/webhook.js';
import { waitFor } from '../federation/support.js';
import { webhookReceiver, type WebhookReceiver } from './support.js';

let hook: WebhookReceiver | undefined;
afterEach(async () => {
  await hook?.close();
  hook = undefined;
});

const alarm = (id: string) => ({ type: 'parley.alarm', node: 'USA', alarm: { id, kind: 'hotline.link', state: 'raised' } });

describe('webhook', () => {
  it('retries a failing receiver with the same delivery id, and stops after the stated attempts', async () => {
    hook = await webhookReceiver();
    const w = new Webhook({ url: hook.url, attempts: 3, timeoutMs: 2000, retryMs: 20 }, { debug() {}, info() {}, warn() {}, error() {} });
    hook.failNext(2);
    w.post(alarm('link:RUS'));
    await waitFor('the third attempt to succeed', () => w.report.delivered === 1);
    expect(hook.bodies).toEqual([alarm('link:RUS')]);
    expect(new Set(hook.attempts).size).toBe(1);
    expect(hook.attempts).toHaveLength(3);

    hook.failNext(3);
    w.post(alarm('link:UKR'));
    await waitFor('three failed attempts', () => w.report.failed === 1);
    hook.failNext(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.bodies).toHaveLength(1); // given up: not a fourth attempt
    expect(hook.attempts).toHaveLength(6);

    hook.failNext(1, 400);
    w.post(alarm('link:POL'));
    await waitFor('a refusal for good', () => w.report.failed === 2);
    expect(hook.attempts).toHaveLength(7); // one attempt: a 400 is not retried
    await w.close(100);
  });

  it('signs the body when a secret is set; every attempt of one delivery carries one id', async () => {
    hook = await webhookReceiver();
    const w = new Webhook({ url: hook.url, secret: 's3cret', attempts: 2, timeoutMs: 2000, retryMs: 10 }, { debug() {}, info() {}, warn() {}, error() {} });
    w.post(alarm('link:RUS'));
    w.post(alarm('link:UKR'));
    await waitFor('both delivered', () => w.report.delivered === 2);
    const { createHmac } = await import('node:crypto');
    for (let i = 0; i < 2; i++) {
      const body = JSON.stringify(hook.bodies[i]);
      expect(hook.headers[i]['x-parley-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`);
    }
    expect(hook.headers[0]['x-parley-delivery']).not.toBe(hook.headers[1]['x-parley-delivery']);
    await w.close(100);
  });
});
