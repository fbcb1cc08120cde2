/**
 * The console on a watch floor, end to end (the winter 2021–22 scenario on five loopback nodes,
 * Debian's Chromium): nothing blanks it — a mistyped "As of" and a map whose code fails to load
 * leave the rest of the console working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchBrowser, pageProblems, signIn, startScenarioNetwork, type Browser, type ScenarioNetwork } from './support.js';

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
