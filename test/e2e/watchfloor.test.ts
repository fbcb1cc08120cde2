/**
 * The console on a watch floor, end to end (the winter 2021–22 scenario on five loopback nodes,
 * Debian's Chromium): nothing blanks it — a mistyped "As of" and a map whose code fails to load
 * leave the rest of the console working; a flash cannot be missed; the urgent comes first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../federation/support.js';
import { adoptHotlineTerms } from '../hotline/support.js';
import { api, ensureConsoleBuilt, launchBrowser, pageProblems, send, signIn, startScenarioNetwork, type Browser, type ScenarioNetwork } from './support.js';

let net: ScenarioNetwork;
let browser: Browser;

beforeAll(async () => {
  ensureConsoleBuilt();
  net = await startScenarioNetwork();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await net?.close();
});

describe('nothing blanks the console', { timeout: 120_000 }, () => {
  it('typing "As of" through a six-digit year shows the problem beside the field; a valid instant is kept in the address', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    const asOf = page.getByLabel('As of (UTC)');
    // Typed key by key, as an officer would, through year 202706.
    await asOf.pressSequentially('202706-02-12T12:00:00');
    await expect(page.getByTestId('utc-problem').textContent()).resolves.toBe('The year has more than four digits.');
    expect(await asOf.getAttribute('aria-invalid')).toBe('true');
    // Nothing changed: no as-of banner, the dashboard is still there, nothing was thrown.
    expect(await page.getByTestId('asof-banner').count()).toBe(0);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(pageProblems(page)).toEqual([]);

    await asOf.fill('');
    await asOf.pressSequentially('2022-02-12 12:00:00');
    await page.getByTestId('asof-banner').waitFor();
    expect(await page.getByTestId('utc-problem').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('at')).toBe('2022-02-12T12:00:00.000Z');
    // A reload reads the record as of the same instant, and the field shows it.
    await page.reload();
    await page.getByTestId('asof-banner').waitFor();
    expect(await page.getByLabel('As of (UTC)').inputValue()).toBe('2022-02-12 12:00:00Z');
    await page.getByRole('button', { name: 'Back to live' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBeNull();
    expect(await page.getByLabel('As of (UTC)').inputValue()).toBe('');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('a map whose code fails to load says so in place of the map; the navigation still works, and "Try again" loads it', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    let refused = 0;
    await page.route(/\/console\/assets\/MapPage-[^/]*\.js$/, (route) => {
      refused++;
      return route.abort('connectionreset');
    });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Map/ }).click();
    const failure = page.getByTestId('page-failure');
    await failure.waitFor({ timeout: 30_000 });
    expect(refused).toBeGreaterThan(0);
    await expect(failure.getByRole('heading').textContent()).resolves.toBe('The map could not be loaded');
    // The shell is intact: the party, the clock, and every section one click away.
    await expect(page.getByTestId('party').textContent()).resolves.toContain('UKR');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Findings/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Findings' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Map/ }).click();
    await failure.waitFor();

    // The link is back: one click brings the map.
    await page.unroute(/\/console\/assets\/MapPage-[^/]*\.js$/);
    await failure.getByRole('button', { name: 'Try again' }).click();
    await page.locator('[data-testid="map"][data-ready]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('page-failure').count()).toBe(0);
    await page.close();
  });
});

/** Records each chime (an oscillator started) and each desktop notification, with the page's clock. */
const INSTRUMENT = `
  window.__alerts = { chimes: [], notifications: [] };
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...a) { window.__alerts.chimes.push(Date.now()); return start.apply(this, a); };
  class RecordedNotification {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__alerts.notifications.push({ title, body: options && options.body, at: Date.now() }); this.onclick = null; }
    close() {}
  }
  window.Notification = RecordedNotification;
`;

interface Recorded {
  chimes: number[];
  notifications: { title: string; body: string; at: number }[];
}

describe('a flash cannot be missed; the urgent comes first', { timeout: 120_000 }, () => {
  it('a flash raises the red banner, a chime and a desktop notification on the addressee within 2 s; overdue it is the dashboard\'s first row; the hotline opens on it; a late acknowledgement is marked late', async () => {
    const { USA, RUS } = net.nodes;
    // USA and RUS agree an 8-second window for flash acknowledgements, so the deadline passes during the test.
    await adoptHotlineTerms([USA!, RUS!], { ackSeconds: { flash: 8 } });
    await browser.context.addInitScript(INSTRUMENT);
    const rus = await signIn(browser, RUS!);
    await rus.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await rus.getByText('Live', { exact: true }).waitFor();
    const recorded = () => rus.evaluate(() => (window as unknown as { __alerts: Recorded }).__alerts);
    const before = await recorded();

    const subject = 'Unidentified launch detected near the border';
    const sentAt = Date.now();
    const sent = await send(USA!, 'hotline.message', ['RUS'], { priority: 'flash', subject, text: 'Please confirm whether this is a scheduled test.', language: 'en' });
    let heldAt = 0;
    await waitFor('the flash at RUS', async () => (await api(RUS!, `/api/v1/entries/${sent.id}`)).status === 200 && (heldAt = Date.now()) > 0, 15_000, 20);

    const item = rus.getByTestId('alert-item').filter({ hasText: subject });
    await item.waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await recorded()).notifications.length, { timeout: 15_000 }).toBeGreaterThan(before.notifications.length);
    const after = await recorded();
    expect(after.chimes.length).toBeGreaterThan(before.chimes.length);
    const note = after.notifications[after.notifications.length - 1]!;
    expect(note.title).toContain('FLASH');
    expect(note.body).toContain(subject);
    const alertedAt = Math.max(after.chimes[after.chimes.length - 1]!, note.at);
    console.log(`flash alert: ${alertedAt - sentAt} ms after USA sent it (RUS's node seen holding it by polling ${heldAt - sentAt} ms after)`);
    expect(alertedAt - sentAt).toBeLessThan(2000);
    // One banner line for the message, not a second one for its escalation.
    expect(await rus.getByTestId('alert-item').count()).toBe(1);

    // Red, with the absolute deadline (the message's time + 8 s) and a countdown that reaches OVERDUE.
    const entry = (await api<{ entry?: { time: string }; time?: string }>(RUS!, `/api/v1/entries/${sent.id}`)).json;
    const due = new Date(Date.parse(entry.entry?.time ?? entry.time!) + 8000).toISOString();
    await expect.poll(() => item.locator('time').getAttribute('datetime'), { timeout: 10_000 }).toBe(due);
    expect(await rus.getByTestId('flash-banner').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(179, 38, 30)');
    await expect.poll(() => item.getByTestId('alert-countdown').textContent(), { timeout: 20_000 }).toMatch(/^OVERDUE by 00:00:\d\d$/);

    // The dashboard's first row is this fresh overdue acknowledgement, above everything overdue for years.
    const first = rus.getByTestId('triage-row').first();
    await expect.poll(() => first.textContent(), { timeout: 15_000 }).toContain(subject);
    expect(await first.getAttribute('data-kind')).toBe('ack');
    expect(await first.getAttribute('data-overdue')).toBe('true');
    expect(await first.locator('.countdown').textContent()).toMatch(/^OVERDUE 00:00:\d\d$/);

    // The hotline, opened without a peer, opens on the conversation that needs an answer.
    await rus.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Hotline/ }).click();
    await expect(rus.locator('#conv-h').textContent()).resolves.toContain('USA');
    const received = rus.getByTestId('message').filter({ hasText: subject });
    await received.getByRole('button', { name: 'Acknowledge' }).click();
    const state = received.getByTestId('ack-state');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 15_000 }).toBe('acknowledged');
    expect(await state.getAttribute('data-late')).toBe('true');
    await expect(state.textContent()).resolves.toMatch(/^LATE acknowledged by RUS .* after the deadline /);
    // Answered: the banner is gone.
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(0);
    expect(pageProblems(rus)).toEqual([]);
    await rus.close();
  });
});
