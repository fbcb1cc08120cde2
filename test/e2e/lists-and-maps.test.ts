/**
 * The console for analysts and on small screens, end to end (the winter 2021–22 scenario on five
 * loopback nodes, Debian's Chromium): place names on the offline map; an area typed as a table of
 * latitudes and longitudes, previewed and signed in GeoJSON order; search, from–to, sorting and
 * paging on the lists, kept in the address; the tables at 200 % zoom.
 */
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Locator, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, type Browser, CHROMIUM, fillActivityNotification, pageProblems, type ScenarioNetwork, screenshot, signIn, withScenarioConsole } from './support.js';

let net: ScenarioNetwork;
let browser: Browser;

withScenarioConsole((n, b) => ((net = n), (browser = b)));

/** The names a map has drawn (placed, not hidden by a collision) once it is idle, after moving to `view`. */
async function namesDrawn(map: Locator, view: { center: [number, number]; zoom: number }): Promise<{ countries: string[]; places: string[] }> {
  return map.evaluate(
    (el, v) =>
      new Promise((resolve) => {
        type M = {
          jumpTo(o: unknown): void;
          once(ev: string, f: () => void): void;
          triggerRepaint(): void;
          queryRenderedFeatures(o: unknown): { properties: { name: string } }[];
        };
        const m = (el as HTMLElement & { parleyMap: M }).parleyMap;
        const names = (layer: string) => [...new Set(m.queryRenderedFeatures({ layers: [layer] }).map((f) => f.properties.name))].sort();
        m.once('idle', () => resolve({ countries: names('country-labels'), places: names('place-labels') }));
        m.jumpTo(v);
        m.triggerRepaint();
      }),
    view,
  );
}

describe('place names on the offline map', { timeout: 180_000 }, () => {
  it('countries, capitals and the places of the record are named, from the browser\'s own fonts with nothing fetched, in light and dark', async () => {
    const page = await signIn(browser, net.nodes.USA!);
    const outside: string[] = [];
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(net.nodes.USA!.url) && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u);
    });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${net.nodes.USA!.url}/console/#/map`);
      const map = page.locator('[data-testid="map"][data-ready]');
      await map.waitFor({ timeout: 60_000 });
      // Eastern Europe from afar: country names and capitals.
      const wide = await namesDrawn(map, { center: [30, 51], zoom: 4 });
      await screenshot(page, `map-names-${scheme}`);
      expect(wide.countries).toEqual(expect.arrayContaining(['Belarus', 'Poland', 'Ukraine']));
      expect(wide.places).toEqual(expect.arrayContaining(['Kyiv', 'Minsk', 'Warsaw']));
      // Places that are not capitals wait for a closer view.
      expect(wide.places).not.toContain('Kharkiv');
      const near = await namesDrawn(map, { center: [36.4, 50.3], zoom: 6.5 });
      expect(near.places).toEqual(expect.arrayContaining(['Belgorod', 'Kharkiv']));
    }
    expect(outside).toEqual([]);
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });
});

describe('an area as a table of latitudes and longitudes', { timeout: 180_000 }, () => {
  it('corners typed in named columns are checked as typed, previewed where they are, and signed as that polygon, longitude first', async () => {
    const node = net.nodes.USA!;
    const page = await signIn(browser, node);
    await page.goto(`${node.url}/console/#/notifications/compose?type=vd.activity.notification`);
    await page.getByLabel('Troops', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Type the corners' }).click();
    const area = page.getByLabel('Area (JSON)', { exact: true });
    const cell = (i: number, c: 'latitude' | 'longitude') => page.getByLabel(`Corner ${i} ${c}`, { exact: true });

    // Mistakes first: a latitude beyond the pole, a longitude past the antimeridian, too few corners.
    await cell(1, 'latitude').fill('95');
    await cell(1, 'longitude').fill('23.4');
    await cell(2, 'latitude').fill('52');
    await cell(2, 'longitude').fill('190');
    const problems = page.getByTestId('corner-problems');
    await expect.poll(() => problems.textContent(), { timeout: 15_000 }).toContain('corner 1: the latitude 95 is outside −90 to 90');
    await expect(problems.textContent()).resolves.toContain('corner 2: the longitude 190 is outside −180 to 180');
    await expect(cell(1, 'latitude').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await area.inputValue()).toBe('');
    await cell(1, 'latitude').fill('52');
    await cell(2, 'longitude').fill('24.2');
    await expect.poll(() => problems.textContent(), { timeout: 15_000 }).toContain('at least 3 distinct corners (2 given)');
    expect(await area.inputValue()).toBe('');

    // Around Brest (Belarus): 52.0–52.4°N, 23.4–24.2°E; the first corner typed again closes it.
    for (const [i, lat, lon] of [[3, '52.4', '24.2'], [4, '52.4', '23.4']] as const) {
      await cell(i, 'latitude').fill(lat);
      await cell(i, 'longitude').fill(lon);
    }
    await page.getByRole('button', { name: 'Add a corner' }).click();
    await cell(5, 'latitude').fill('52');
    await cell(5, 'longitude').fill('23.4');
    const expected = { type: 'Polygon', coordinates: [[[23.4, 52], [24.2, 52], [24.2, 52.4], [23.4, 52.4], [23.4, 52]]] };
    await expect.poll(() => area.inputValue(), { timeout: 15_000 }).toBe(JSON.stringify(expected));
    expect(await problems.count()).toBe(0);
    await expect(page.getByTestId('area-summary').textContent()).resolves.toBe('Polygon of 4 corners, from 52.0000°N 23.4000°E');

    // The preview draws that polygon where it is: filled at its middle, centred on it, with Brest named beside it.
    const preview = page.locator('[data-testid="area-preview"][data-ready]');
    await preview.waitFor({ timeout: 60_000 });
    await expect.poll(() => preview.getAttribute('data-shown'), { timeout: 15_000 }).toBe(JSON.stringify(expected));
    const seen = await preview.evaluate(
      (el) =>
        new Promise<{ inside: number; swapped: boolean; centre: [number, number]; places: string[] }>((resolve) => {
          type M = {
            once(ev: string, f: () => void): void;
            triggerRepaint(): void;
            project(ll: [number, number]): { x: number; y: number };
            getCenter(): { lng: number; lat: number };
            getBounds(): { contains(ll: [number, number]): boolean };
            queryRenderedFeatures(a: unknown, b?: unknown): { properties: { name?: string } }[];
          };
          const m = (el as HTMLElement & { parleyMap: M }).parleyMap;
          m.once('idle', () => {
            const mid = m.project([23.8, 52.2]);
            resolve({
              inside: m.queryRenderedFeatures([mid.x, mid.y], { layers: ['area-fill'] }).length,
              swapped: m.getBounds().contains([52.2, 23.8]),
              centre: [m.getCenter().lng, m.getCenter().lat],
              places: m.queryRenderedFeatures({ layers: ['place-labels'] }).map((f) => f.properties.name!),
            });
          });
          m.triggerRepaint();
        }),
    );
    expect(seen.inside).toBeGreaterThan(0);
    expect(seen.swapped).toBe(false);
    expect(Math.abs(seen.centre[0] - 23.8)).toBeLessThan(0.2);
    expect(Math.abs(seen.centre[1] - 52.2)).toBeLessThan(0.2);
    expect(seen.places).toContain('Brest');
    await screenshot(page, 'area-corners');
    // The table, its problems' list and the preview pass axe, light and dark.
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const result = await new AxeBuilder({ page }).include('.area-field').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${scheme}: ${v.id} ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    // Signed as typed.
    await fillActivityNotification(page, 'Typed area exercise (illustrative)');
    await page.getByRole('button', { name: 'Sign and send' }).click();
    await page.getByTestId('entry-id').waitFor({ timeout: 20_000 });
    const id = await page.getByTestId('entry-id').textContent();
    const entry = (await api<{ entry?: { body: { area: unknown } }; body?: { area: unknown } }>(node, `/api/v1/entries/${id}`)).json;
    expect((entry.entry ?? entry).body!.area).toEqual(expected);
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });
});

/** The text of column `col` (0-based) in each data row of a table (day headings left out). */
async function column(page: Page, testid: string, col: number): Promise<string[]> {
  return page
    .getByTestId(testid)
    .locator('tbody tr:not(.day)')
    .evaluateAll((trs, c) => trs.map((tr) => (tr.querySelectorAll('td')[c]?.textContent ?? '').trim()), col);
}

/** Whether the texts are sorted (a party's sequence number, `#12`, is not part of what is sorted). */
const inOrder = (texts: string[], desc = false) => texts.map((t) => t.replace(/#\d+$/, '')).every((x, i, xs) => i === 0 || (desc ? xs[i - 1]!.localeCompare(x) >= 0 : xs[i - 1]!.localeCompare(x) <= 0));

/**
 * One list, tried as an analyst would: it pages; a search narrows it to rows holding the words; a
 * from–to window keeps rows inside it; a column heading sorts by it, and again turns the order;
 * the address carries all of it, and a reload shows the same rows.
 */
async function tryList(page: Page, o: { hash: string; testid: string; timeCol: number; sortLabel: RegExp; sortCol: number; search: string; from: string; to: string }) {
  const url = net.nodes.UKR!.url;
  await page.goto(`${url}/console/${o.hash}`);
  const rows = page.getByTestId(o.testid).locator('tbody tr:not(.day)');
  await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThan(1);

  // Paging: the first page is full, the next one holds other rows.
  const pager = page.getByRole('navigation', { name: 'Pages' });
  expect(await pager.count(), `${o.hash} has more than one page`).toBe(1);
  const first = await page.getByTestId(o.testid).locator('tbody tr:not(.day)').first().textContent();
  const onOne = await rows.count();
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('page=2');
  await expect.poll(() => rows.first().textContent(), { timeout: 15_000 }).not.toBe(first);
  await expect(page.getByTestId('page-of').textContent()).resolves.toMatch(/^page 2 of \d+$/);
  await pager.getByRole('button', { name: 'Previous' }).click();
  await expect.poll(() => rows.first().textContent(), { timeout: 15_000 }).toBe(first);
  expect(await rows.count()).toBe(onOne);

  // Search narrows to rows holding the words.
  const filters = page.getByRole('group', { name: /^Filter / });
  await filters.getByLabel('Search').fill(o.search);
  await expect.poll(() => page.url(), { timeout: 15_000 }).toContain(`q=${encodeURIComponent(o.search).replace(/%20/g, '+')}`);
  const found = await rows.allTextContents();
  expect(found.length).toBeGreaterThan(0);
  expect(found.length).toBeLessThan(onOne);
  for (const t of found) for (const w of o.search.toLowerCase().split(' ')) expect(t.toLowerCase()).toContain(w);
  await filters.getByLabel('Search').fill('');

  // From–to keeps rows inside the window.
  await filters.getByLabel('From (UTC)').fill(o.from);
  await filters.getByLabel('To (UTC)').fill(o.to);
  await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('to=');
  await expect.poll(async () => (await column(page, o.testid, o.timeCol)).every((t) => t >= o.from && t <= `${o.to}Z`), { timeout: 15_000 }).toBe(true);
  const windowed = await column(page, o.testid, o.timeCol);
  expect(windowed.length).toBeGreaterThan(0);

  // Sorting by a column, then the other way.
  await page.getByRole('button', { name: o.sortLabel }).click();
  await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('order=desc');
  await expect.poll(async () => inOrder(await column(page, o.testid, o.sortCol), true), { timeout: 15_000 }).toBe(true);
  await page.getByRole('button', { name: o.sortLabel }).click();
  await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('order=asc');
  await expect.poll(async () => inOrder(await column(page, o.testid, o.sortCol)), { timeout: 15_000 }).toBe(true);
  const sorted = await rows.allTextContents();
  expect(await page.getByRole('columnheader', { name: o.sortLabel }).getAttribute('aria-sort')).toBe('ascending');

  // The address is the question: a reload asks it again.
  await page.reload();
  await expect.poll(() => rows.allTextContents(), { timeout: 20_000 }).toEqual(sorted);
  expect(await filters.getByLabel('From (UTC)').inputValue()).toBe(`${o.from}Z`);
}

describe('search, from–to, sorting and paging on the lists', { timeout: 240_000 }, () => {
  it('findings, the timeline, obligations and notifications: the same controls, kept in the address', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    await tryList(page, { hash: '#/findings', testid: 'findings', timeCol: 1, sortLabel: /^Parties/, sortCol: 2, search: 'annual calendar', from: '2026-01-01 00:00:00', to: '2026-06-30 23:59:59' });
    await tryList(page, { hash: '#/timeline', testid: 'timeline', timeCol: 0, sortLabel: /^Who/, sortCol: 1, search: 'union resolve', from: '2022-02-01 00:00:00', to: '2022-02-28 23:59:59' });
    await tryList(page, { hash: '#/obligations', testid: 'obligation-list', timeCol: 0, sortLabel: /^Owes/, sortCol: 1, search: 'calendar', from: '2023-01-01 00:00:00', to: '2025-12-31 23:59:59' });
    await tryList(page, { hash: '#/notifications', testid: 'notifications', timeCol: 0, sortLabel: /^From/, sortCol: 1, search: 'union resolve', from: '2022-01-01 00:00:00', to: '2022-02-28 23:59:59' });
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });
});

/**
 * Every table on the page at the current size: whether the page itself scrolls sideways, and for
 * each table cut at the right, whether it sits in a box that scrolls and that the keyboard can reach.
 */
async function clipping(page: Page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const tables = [...document.querySelectorAll('main table')].filter((t) => (t as HTMLElement).offsetParent !== null);
    const cut = tables.flatMap((t) => {
      const right = t.getBoundingClientRect().right;
      let box: HTMLElement | null = t.parentElement;
      while (box && !(getComputedStyle(box).overflowX === 'auto' || getComputedStyle(box).overflowX === 'scroll')) box = box.parentElement;
      const visibleRight = Math.min(vw, box ? box.getBoundingClientRect().right : vw);
      if (right <= visibleRight + 1) return [];
      const name = (t as HTMLElement).dataset.testid ?? t.querySelector('th')?.textContent ?? '?';
      if (!box) return [`${name}: cut at ${Math.round(visibleRight)} px of ${Math.round(right)}, with no scroll box`];
      if (box.tabIndex < 0 && !box.querySelector('a, button, input, select, textarea')) return [`${name}: its scroll box cannot be reached by keyboard`];
      return [];
    });
    return { pageWider: document.documentElement.scrollWidth - vw, cut };
  });
}

describe('200 % zoom', { timeout: 240_000 }, () => {
  it('at 640×400 CSS pixels and twice the device scale, the dashboard and the lists reflow: no page-wide sideways scroll, no column cut without a scroll box the keyboard reaches, and axe passes', async () => {
    // A window of 1280×800 at 200 %: 640×400 CSS pixels, each drawn with 2×2 device pixels.
    const zoomed = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader'] });
    const context = await zoomed.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
    const page = await signIn({ context, close: async () => {} }, net.nodes.UKR!);
    const failures: string[] = [];
    for (const hash of ['#/dashboard', '#/obligations', '#/requests', '#/findings', '#/timeline', '#/notifications']) {
      await page.goto(`${net.nodes.UKR!.url}/console/${hash}`);
      await page.locator('main h1').first().waitFor();
      await page.locator('main table').first().waitFor({ timeout: 20_000 });
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => [window.innerWidth, window.devicePixelRatio])).toEqual([640, 2]);
      const c = await clipping(page);
      if (c.pageWider > 1) failures.push(`${hash}: the page is ${c.pageWider} px wider than the window`);
      failures.push(...c.cut.map((x) => `${hash}: ${x}`));
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const v of result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) failures.push(`${hash}: axe ${v.id} ×${v.nodes.length}: ${v.nodes[0]?.target.join(' ')}`);
      await screenshot(page, `zoom200-${hash.replace(/\W+/g, '')}`);
    }
    expect(failures).toEqual([]);

    // The obligations table's last column is reached by keyboard: Tab to its scroll box, then the arrow keys.
    await page.goto(`${net.nodes.UKR!.url}/console/#/dashboard`);
    const obligations = page.getByTestId('obligations');
    await obligations.waitFor({ timeout: 20_000 });
    const lastHeader = obligations.locator('thead th').last();
    const reach = await obligations.evaluate((t) => {
      const box = t.closest('.table-scroll') as HTMLElement | null;
      return box ? { scrolls: box.scrollWidth > box.clientWidth, focusable: box.tabIndex >= 0 } : undefined;
    });
    expect(reach, 'the obligations table is in a scroll box').toBeDefined();
    if (reach!.scrolls) {
      const box = page.getByRole('region', { name: 'Obligations', exact: true });
      await box.focus();
      expect(await box.evaluate((b) => b === document.activeElement)).toBe(true);
      // Arrow keys scroll the focused box (smoothly: give each press time), until its last column is in the window.
      const lastRight = async () => {
        const hb = (await lastHeader.boundingBox())!;
        return hb.x + hb.width;
      };
      for (let i = 0; i < 60 && (await lastRight()) > 641; i++) {
        await page.keyboard.press('ArrowRight');
        await page.waitForTimeout(100);
      }
      expect(await box.evaluate((b) => b.scrollLeft)).toBeGreaterThan(0);
      expect(await lastRight()).toBeLessThanOrEqual(641);
    } else {
      const hb = (await lastHeader.boundingBox())!;
      expect(hb.x + hb.width).toBeLessThanOrEqual(641);
    }
    expect(pageProblems(page)).toEqual([]);
    await zoomed.close();
  });
});

describe('the same controls on the hotline, the talks and a zone\'s history', { timeout: 180_000 }, () => {
  it('a conversation is ordered most urgent first and searched; the meetings and a zone\'s history are searched; kept in the address', async () => {
    const node = net.nodes.USA!;
    const page = await signIn(browser, node);
    await page.goto(`${node.url}/console/#/hotline/RUS`);
    const messages = page.getByTestId('message');
    await expect.poll(() => messages.count(), { timeout: 20_000 }).toBeGreaterThan(1);
    const all = await messages.count();
    const filters = page.getByRole('group', { name: 'Filter messages' });
    await filters.getByLabel('Order').selectOption({ label: 'most urgent first' });
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('sort=priority');
    const priorities = await messages.evaluateAll((li) => li.map((x) => x.getAttribute('data-priority')!));
    const rank = (x: string) => ['flash', 'immediate', 'routine'].indexOf(x);
    expect(priorities.map(rank)).toEqual([...priorities.map(rank)].sort((a, b) => a - b));
    expect(priorities[0]).toBe('flash');
    await filters.getByLabel('Search').fill('black sea');
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('q=black+sea');
    await expect.poll(() => messages.count(), { timeout: 15_000 }).toBeLessThan(all);
    for (const t of await messages.allTextContents()) expect(t).toContain('Black Sea');
    await page.reload();
    await expect.poll(() => page.getByRole('group', { name: 'Filter messages' }).getByLabel('Search').inputValue(), { timeout: 20_000 }).toBe('black sea');
    expect(await messages.count()).toBeLessThan(all);
    expect(await page.getByRole('group', { name: 'Filter messages' }).getByLabel('Order').inputValue()).toBe('priority-desc');

    await page.goto(`${node.url}/console/#/talks`);
    const meetings = page.getByTestId('meetings').locator('tbody tr');
    await expect.poll(() => meetings.count(), { timeout: 20_000 }).toBeGreaterThan(1);
    const held = await meetings.count();
    await page.getByRole('group', { name: 'Filter meetings' }).getByLabel('Search').fill('Geneva');
    await expect.poll(() => meetings.count(), { timeout: 15_000 }).toBeLessThan(held);
    for (const t of await meetings.allTextContents()) expect(t).toContain('Geneva');
    expect(page.url()).toContain('q=Geneva');

    // A zone's history: searched, and turned newest first.
    await page.goto(`${node.url}/console/#/zones/rus-ukr-rus`);
    const history = page.getByTestId('zone-history').locator('li');
    await expect.poll(() => history.count(), { timeout: 20_000 }).toBeGreaterThan(2);
    const lines = await history.count();
    const zoneFilters = page.getByRole('group', { name: 'Filter the history' });
    await zoneFilters.getByLabel('Search').fill('refused');
    await expect.poll(() => history.count(), { timeout: 15_000 }).toBeLessThan(lines);
    for (const t of await history.allTextContents()) expect(t).toContain('refused');
    await zoneFilters.getByLabel('Search').fill('');
    await zoneFilters.getByLabel('Order').selectOption({ label: 'newest first' });
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('order=desc');
    const times = (await history.allTextContents()).map((t) => t.slice(0, 20));
    expect(times).toEqual([...times].sort().reverse());
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });
});
