/**
 * The console on a watch floor, end to end (the winter 2021–22 scenario on five loopback nodes,
 * Debian's Chromium): nothing blanks it — a mistyped "As of" and a map whose code fails to load
 * leave the rest of the console working; a flash cannot be missed; the urgent comes first.
 */
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../federation/support.js';
import { adoptHotlineTerms } from '../hotline/support.js';
import { api, type Browser, fillActivityNotification, pageProblems, type ScenarioNetwork, send, signIn, square, withScenarioConsole } from './support.js';

let net: ScenarioNetwork;
let browser: Browser;

withScenarioConsole((n, b) => ((net = n), (browser = b)));

describe('nothing blanks the console', { timeout: 120_000 }, () => {
  it('typing "As of" through a six-digit year shows the problem beside the field; a valid instant is kept in the address', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    // Beside "Live" (this console's connection), the network: UKR's links to its four peers.
    await expect.poll(() => page.getByTestId('network').textContent()).toMatch(/^Links \d\/4 up/);
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
    // The instant RUS's node commits the message (the nodes run in this process).
    let heldAt = 0;
    const stop = RUS!.ledger.onCommit((entries) => {
      if (!heldAt && entries.some((e) => e.type === 'hotline.message' && e.body?.subject === subject)) heldAt = Date.now();
    });
    const sentAt = Date.now();
    const sent = await send(USA!, 'hotline.message', ['RUS'], { priority: 'flash', subject, text: 'Please confirm whether this is a scheduled test.', language: 'en' });
    await waitFor('the flash at RUS', async () => heldAt > 0, 15_000, 20);
    stop();

    const item = rus.getByTestId('alert-item').filter({ hasText: subject });
    await item.waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await recorded()).notifications.length, { timeout: 15_000 }).toBeGreaterThan(before.notifications.length);
    const after = await recorded();
    expect(after.chimes.length).toBeGreaterThan(before.chimes.length);
    const note = after.notifications[after.notifications.length - 1]!;
    expect(note.title).toContain('FLASH');
    expect(note.body).toContain(subject);
    const alertedAt = Math.max(after.chimes[after.chimes.length - 1]!, note.at);
    console.log(`flash alert on RUS's console: ${alertedAt - heldAt} ms after RUS's node held it (${heldAt - sentAt} ms after USA sent it)`);
    // The console's part: within 2 s of the addressee's node holding the message (delivery between
    // nodes is the federation's, measured there).
    expect(alertedAt - heldAt).toBeLessThan(2000);
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

/** Every page of the console, as an officer reaches it. */
const PAGES = [
  '#/dashboard',
  '#/hotline/RUS',
  '#/notifications',
  '#/notifications/compose?type=vd.activity.notification',
  '#/findings',
  '#/requests',
  '#/obligations',
  '#/talks',
  '#/incidents',
  '#/zones',
  '#/missiles',
  '#/map',
  '#/timeline',
  '#/audit',
];

describe('accessibility', { timeout: 300_000 }, () => {
  it('axe finds no serious or critical violation on any page, light or dark; the officer can switch the theme', async () => {
    const page = await signIn(browser, net.nodes.USA!);
    const failures: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const hash of PAGES) {
        await page.goto(`${net.nodes.USA!.url}/console/${hash}`);
        await page.locator('main h1').first().waitFor();
        if (hash === '#/map') await page.locator('[data-testid="map"][data-ready]').waitFor({ timeout: 60_000 });
        await page.waitForTimeout(300);
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
        const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        for (const v of result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          failures.push(`${scheme} ${hash}: ${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? ''}`).join(' | ')}`);
        }
      }
    }
    expect(failures).toEqual([]);

    // The officer's choice wins over the system's, and is kept in this browser.
    await page.emulateMedia({ colorScheme: 'light' });
    const toggle = page.getByTestId('theme-toggle');
    await expect(toggle.textContent()).resolves.toBe('Theme: auto');
    await toggle.click();
    await toggle.click();
    await expect(toggle.textContent()).resolves.toBe('Theme: dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(17, 22, 26)');
    await page.reload();
    await page.getByTestId('party').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.close();
  });
});

describe('forms check before signing', { timeout: 120_000 }, () => {
  it('three mistakes show three errors as they are typed, before any request; a submit lists the rest; the draft survives navigation; the preview is what will be signed', async () => {
    const page = await signIn(browser, net.nodes.USA!);
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/v1/entries')) posts.push(r.url());
    });
    await page.goto(`${net.nodes.USA!.url}/console/#/notifications/compose?type=vd.activity.notification`);
    await page.getByLabel('Troops', { exact: true }).waitFor();
    await page.getByLabel('all parties').check();
    await page.getByLabel('Troops', { exact: true }).fill('-5');
    await page.getByLabel('Battle tanks', { exact: true }).fill('-1');
    await page.getByLabel('Start (UTC)', { exact: true }).fill('2022-13-01 06:00');
    const problems = page.getByTestId('field-problem');
    await expect.poll(() => problems.count()).toBe(3);
    await expect(page.getByTestId('problems').textContent()).resolves.toMatch(/^3 problems to fix before signing:/);
    for (const label of ['Troops', 'Battle tanks', 'Start (UTC)']) {
      await expect(page.getByLabel(label, { exact: true }).getAttribute('aria-invalid'), label).resolves.toBe('true');
    }
    expect(posts).toEqual([]);

    // Signing is refused by the console itself: every problem listed (the empty required fields
    // too), the first one focused, nothing sent.
    await page.getByRole('button', { name: 'Sign and send' }).click();
    await expect.poll(() => problems.count()).toBeGreaterThan(3);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    expect(posts).toEqual([]);

    // The preview shows the body as it would be signed.
    await page.getByTestId('preview').locator('summary').click();
    await expect(page.getByTestId('preview').locator('pre').textContent()).resolves.toContain('"troops": -5');

    // The draft is kept when the officer leaves and comes back.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Findings/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Findings' }).waitFor();
    await page.goBack();
    await expect.poll(() => page.getByLabel('Troops', { exact: true }).inputValue()).toBe('-5');
    expect(await page.getByLabel('Battle tanks', { exact: true }).inputValue()).toBe('-1');
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await expect.poll(() => page.getByLabel('Troops', { exact: true }).inputValue()).toBe('');
    expect(posts).toEqual([]);
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('a notification that would be late is warned of before it is signed, with the rule it would break', async () => {
    const page = await signIn(browser, net.nodes.USA!);
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/entries')) posts.push(r.url());
    });
    await page.goto(`${net.nodes.USA!.url}/console/#/notifications/compose?type=vd.activity.notification`);
    await page.getByLabel('Troops', { exact: true }).waitFor();
    await page.getByLabel('all parties').check();
    await page.getByLabel('Designation').fill('Short notice exercise (illustrative)');
    await page.getByLabel('Activity type').selectOption({ label: 'land-forces' });
    await page.getByLabel('Purpose').fill('Combined arms training.');
    // Starting in 10 days: §38 wants 42.
    const day = 86_400_000;
    const at = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
    await page.getByLabel('Start (UTC)', { exact: true }).fill(at(Date.now() + 10 * day));
    await page.getByLabel('End (UTC)', { exact: true }).fill(at(Date.now() + 14 * day));
    await page.getByLabel('Area (JSON)', { exact: true }).fill(JSON.stringify(square(23.5, 54.9)));
    for (const [label, v] of [['Troops', '12000'], ['Battle tanks', '40'], ['Armoured combat vehicles', '120'], ['Artillery pieces', '24'], ['Fixed wing sorties', '0'], ['Amphibious troops', '0'], ['Airborne troops', '0']] as const) {
      await page.getByLabel(label, { exact: true }).fill(v);
    }
    const warnings = page.getByTestId('regime-warnings');
    await warnings.waitFor({ timeout: 20_000 });
    await expect(warnings.textContent()).resolves.toContain('VD11 §38');
    // Signing waits for the officer to say they have read it.
    await page.getByRole('button', { name: 'Sign and send' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('accept-findings');
    expect(posts).toEqual([]);
    // Given 42 days, the warning goes.
    await page.getByLabel('Start (UTC)', { exact: true }).fill(at(Date.now() + 50 * day));
    await page.getByLabel('End (UTC)', { exact: true }).fill(at(Date.now() + 54 * day));
    await expect.poll(() => warnings.count(), { timeout: 20_000 }).toBe(0);
    expect(posts).toEqual([]);
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await page.close();
  });

  it('an area drawn on the map is the polygon signed, longitude first', async () => {
    const page = await signIn(browser, net.nodes.USA!);
    await page.goto(`${net.nodes.USA!.url}/console/#/notifications/compose?type=vd.activity.notification`);
    await page.getByLabel('Troops', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Draw on the map' }).click();
    const drawer = page.locator('[data-testid="area-drawer"][data-ready]');
    await drawer.waitFor({ timeout: 60_000 });
    // Corners around Brest (Belarus): 52.0–52.4°N, 23.4–24.2°E, placed through the map's own projection.
    const corners: [number, number][] = [[23.4, 52.0], [24.2, 52.0], [24.2, 52.4], [23.4, 52.4]];
    await drawer.evaluate((el, pts) => {
      const map = (el as HTMLElement & { parleyMap: { fitBounds(b: unknown, o: unknown): void } }).parleyMap;
      map.fitBounds([pts[0], pts[2]], { padding: 80, animate: false });
    }, corners);
    await page.waitForTimeout(500);
    const box = (await drawer.boundingBox())!;
    const screen = await drawer.evaluate((el, pts) => {
      const map = (el as HTMLElement & { parleyMap: { project(ll: [number, number]): { x: number; y: number } } }).parleyMap;
      return pts.map((p) => map.project(p));
    }, corners);
    for (const pt of [...screen, screen[0]!]) {
      await page.mouse.click(box.x + pt.x, box.y + pt.y);
      await page.waitForTimeout(250);
    }
    const area = page.getByLabel('Area (JSON)', { exact: true });
    await expect.poll(() => area.inputValue(), { timeout: 10_000 }).toContain('Polygon');
    const drawn = JSON.parse(await area.inputValue()) as { type: string; coordinates: number[][][] };
    expect(drawn.type).toBe('Polygon');
    const ring = drawn.coordinates[0]!;
    expect(ring.length).toBe(5);
    expect(ring[0]).toEqual(ring[4]);
    for (const [lon, lat] of corners) {
      expect(ring.some(([x, y]) => Math.abs(x! - lon) < 0.02 && Math.abs(y! - lat) < 0.02), `corner ${lon},${lat} in ${JSON.stringify(ring)}`).toBe(true);
    }
    await expect(page.getByTestId('area-summary').textContent()).resolves.toMatch(/Polygon of 4 corners, from 52\.\d{4}°N 2\d\.\d{4}°E/);

    // Signed as drawn.
    await fillActivityNotification(page, 'Drawn area exercise (illustrative)');
    await page.getByRole('button', { name: 'Sign and send' }).click();
    await page.getByTestId('entry-id').waitFor({ timeout: 20_000 });
    const id = await page.getByTestId('entry-id').textContent();
    const entry = (await api<{ entry?: { body: { area: unknown } }; body?: { area: unknown } }>(net.nodes.USA!, `/api/v1/entries/${id}`)).json;
    expect((entry.entry ?? entry).body!.area).toEqual(drawn);
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('an analyst sees the role and no action it cannot take', async () => {
    const page = await signIn(browser, net.nodes.USA!, 'analyst');
    await expect(page.getByTestId('role').textContent()).resolves.toBe('analyst');
    await page.goto(`${net.nodes.USA!.url}/console/#/notifications`);
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    expect(await page.getByRole('link', { name: 'Compose…' }).count()).toBe(0);
    await page.goto(`${net.nodes.USA!.url}/console/#/notifications/compose?type=vd.activity.notification`);
    await page.getByTestId('cannot-send').waitFor();
    expect(await page.getByRole('button', { name: 'Sign and send' }).count()).toBe(0);
    await page.goto(`${net.nodes.USA!.url}/console/#/hotline/RUS`);
    await page.getByTestId('message').first().waitFor();
    expect(await page.getByRole('button', { name: /^Send / }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    // The officer's token does see them.
    const officer = await signIn(browser, net.nodes.USA!);
    await expect(officer.getByTestId('role').textContent()).resolves.toBe('officer');
    await officer.goto(`${net.nodes.USA!.url}/console/#/notifications`);
    await officer.getByRole('link', { name: 'Compose…' }).waitFor();
    await page.close();
    await officer.close();
  });
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('measured', { timeout: 300_000 }, () => {
  it('time from the sign-in link to a usable dashboard, compressed size of the first load, map first render (medians of 3)', async () => {
    const node = net.nodes.UKR!;
    const ready: number[] = [];
    const bytes: number[] = [];
    const mapMs: number[] = [];
    const clearCache = async () => {
      const blank = await browser.context.newPage();
      const cdp = await browser.context.newCDPSession(blank);
      await cdp.send('Network.clearBrowserCache');
      await cdp.detach();
      await blank.close();
    };
    for (let i = 0; i < 3; i++) {
      // Each round a first visit: nothing cached from earlier tests or rounds.
      await clearCache();
      const page = await browser.context.newPage();
      const t0 = Date.now();
      await page.goto(`${node.url}/console/#token=${encodeURIComponent(node.folder.tokens.officer)}`);
      // Usable: the triage answered (rows or "nothing now") and the links table is drawn.
      await page.locator('[data-testid="triage"], [data-testid="nothing-now"]').first().waitFor({ timeout: 60_000 });
      await page.getByTestId('links').waitFor({ timeout: 60_000 });
      ready.push(Date.now() - t0);
      // What crossed the wire for the app itself (document, scripts, styles), compressed.
      const transferred = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const assets = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.name.includes('/console/'));
        return { total: nav.transferSize + assets.reduce((n, r) => n + r.transferSize, 0), decoded: nav.decodedBodySize + assets.reduce((n, r) => n + r.decodedBodySize, 0) };
      });
      if (i === 0) bytes.push(transferred.total, transferred.decoded);
      const t1 = Date.now();
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Map/ }).click();
      await page.locator('[data-testid="map"][data-ready]').waitFor({ timeout: 60_000 });
      mapMs.push(Date.now() - t1);
      await page.close();
    }
    console.log(`sign-in link → usable dashboard: median ${median(ready)} ms (${ready.join(', ')}); first load ${(bytes[0]! / 1024).toFixed(0)} KiB transferred (${(bytes[1]! / 1024).toFixed(0)} KiB decoded); map first render (click → drawn): median ${median(mapMs)} ms (${mapMs.join(', ')})`);
    // Compressed: the first load is well under what it decodes to.
    expect(bytes[0]!).toBeLessThan(bytes[1]! / 2);
    expect(median(ready)).toBeLessThan(30_000);
  });
});

describe('analysts', { timeout: 120_000 }, () => {
  it('the requests-and-replies view answers "which requests of 10–14 Feb 2022 went unanswered", and keeps the question in the address', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Requests/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Requests and replies' }).waitFor();
    await page.getByLabel('From (UTC)').fill('2022-02-10 00:00:00');
    await page.getByLabel('To (UTC)').fill('2022-02-14 23:59:59');
    await page.getByLabel('Answer').selectOption('unanswered');
    const rows = page.getByTestId('requests').locator('tbody tr');
    const explain = rows.filter({ hasText: 'explain' });
    await explain.first().waitFor({ timeout: 20_000 });
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => ({ asked: tr.querySelector('td')!.textContent!, state: tr.getAttribute('data-state') })));
    expect(cells.length).toBeGreaterThan(0);
    for (const c of cells) {
      expect(c.asked >= '2022-02-10 00:00:00Z' && c.asked <= '2022-02-14 23:59:59Z', c.asked).toBe(true);
      expect(['unanswered', 'overdue']).toContain(c.state);
    }
    // The Chapter III request UKR made of RUS on 11 February, never answered.
    await expect(explain.first().locator('td').nth(1).textContent()).resolves.toBe('UKR');
    await expect(explain.first().locator('td').nth(2).textContent()).resolves.toBe('RUS');
    // The question is in the address: a reload asks it again.
    const url = page.url();
    expect(url).toContain('status=unanswered');
    await page.reload();
    await explain.first().waitFor({ timeout: 20_000 });
    expect(await rows.count()).toBe(cells.length);
    // Answered ones are there too, under another filter.
    await page.getByLabel('Answer').selectOption('');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(cells.length);
    await page.close();
  });

  it('notifications are searched by their words, the search kept in the address', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    await page.goto(`${net.nodes.UKR!.url}/console/#/notifications`);
    const rows = page.getByTestId('notifications').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(1);
    const all = await rows.count();
    await page.getByLabel('Search').fill('union resolve');
    await expect.poll(() => rows.count()).toBeLessThan(all);
    const texts = await rows.allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect(t.toLowerCase()).toContain('union resolve');
    expect(page.url()).toContain('q=union+resolve');
    await page.reload();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(texts.length);
    expect(await page.getByLabel('Search').inputValue()).toBe('union resolve');
    await page.close();
  });

  it('CSV export downloads what the filtered findings table shows, all its pages; the printable report has no navigation', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    await page.goto(`${net.nodes.UKR!.url}/console/#/findings?severity=violation`);
    const rows = page.getByTestId('findings').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('findings-UKR.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('severity,since (UTC),parties,finding,citation,rule,evidence');
    // Every row the filters keep, across the table's pages; those on screen first, in its order.
    const kept = Number((await page.getByTestId('list-count').textContent())!.split(' of ')[0]);
    expect(shown.length).toBe(Math.min(kept, 50));
    expect(lines.length - 1).toBe(kept);
    // Row by row, the same severity, time, parties, words and citation as on screen (quoted where CSV needs it).
    shown.forEach((cells, i) => {
      const [severity, since, parties, finding, citation] = cells;
      const quote = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
      const expected = [severity, since, parties!.replace(/, /g, ' '), quote(finding!), quote(citation!)].join(',');
      expect(lines[i + 1]!.slice(0, expected.length)).toBe(expected);
    });
    expect(lines.slice(1).every((l) => l.startsWith('violation,'))).toBe(true);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.sidenav').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Export CSV' }).isVisible()).toBe(false);
    expect(await rows.first().isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.close();
  });
});
