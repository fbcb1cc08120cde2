/**
 * The Zones page, end to end: the shipped winter 2021–22 scenario (with its illustrative
 * frontier-zones agreement) played into five nodes, and an analyst at UKR's console reading the
 * zones on the map with their ceilings and the latest declared and observed figures, the
 * observers' posts, the restriction, and the report outside every zone shown as such; then one
 * zone's page with its history.
 */
import { describe, expect, it } from 'vitest';
import { type Browser, pageProblems, type ScenarioNetwork, screenshot, signIn, withScenarioConsole } from './support.js';

let net: ScenarioNetwork;
let browser: Browser;

withScenarioConsole((n, b) => ((net = n), (browser = b)));

describe('the Zones page', { timeout: 120_000 }, () => {
  it('shows the zones with their ceilings and latest figures, the posts, the restriction, and a report outside every zone', async () => {
    const page = await signIn(browser, net.nodes.UKR!, 'analyst');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Zones/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Frontier zones' }).waitFor();
    const map = page.getByTestId('zones-map');
    await map.waitFor();
    await expect.poll(() => map.getAttribute('data-ready'), { timeout: 30_000 }).toBe('true');
    expect(await map.getAttribute('data-zones')).toBe('4');
    expect(await map.getAttribute('data-patrols')).toBe('2');
    // The map itself draws all four zones (what MapLibre says it rendered, not what was handed to it).
    await expect.poll(async () => Number(await map.getAttribute('data-rendered')), { timeout: 30_000 }).toBe(4);

    // Russia's side of the Russia–Ukraine border: ceiling, declaration and OSCE's count side by side.
    const troops = page.getByTestId('figures-rus-ukr-rus').locator('tr[data-party="RUS"][data-category="troops"]');
    const cells = await troops.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['RUS', 'Troops', '10,000']);
    expect(cells[3]).toContain('9,800');
    expect(cells[4]).toContain("14,500 on OSCE's count");
    expect(await troops.getAttribute('data-over')).toBe('true');
    const findings = page.getByRole('list', { name: 'Findings in Russia–Ukraine border, Russian side' });
    await expect(findings.locator('li[data-rule="zones.counted"][data-severity="warning"]').textContent()).resolves.toContain("on OSCE's count, RUS had 14,500 troops");
    await expect(findings.locator('li[data-rule="zones.counted"][data-severity="violation"]').textContent()).resolves.toContain('with no movement notice');
    await expect(findings.locator('li[data-rule="zones.activity"]').textContent()).resolves.toContain('Southern Shield 2022');
    // Belarus's side: Russia's ceiling of 0 there, shown beside Belarus's own.
    await expect(page.getByTestId('figures-blr-ukr-blr').locator('tr[data-party="RUS"][data-category="troops"] td').nth(2).textContent()).resolves.toBe('0');

    // The report near Yelnya is in no zone, and says so; the one near Valuyki names its zone.
    const reports = page.getByTestId('zone-reports');
    await expect(reports.locator('li[data-zone="none"]').textContent()).resolves.toContain('outside every zone');
    await expect(reports.locator('li[data-zone="rus-ukr-rus"]').textContent()).resolves.toContain('near Valuyki');
    await expect(page.getByTestId('zone-restrictions').textContent()).resolves.toContain('RUS refused OSCE');
    await expect(page.getByTestId('zone-posts').locator('li').count()).resolves.toBe(5);
    // What the agreement limits, side by side: OSCE, a party to it, has no ceiling anywhere; Russia has one on Belarus's side too.
    const limits = page.getByTestId('limits');
    expect(await limits.locator('tr[data-party="OSCE"]').getAttribute('data-limited')).toBeNull();
    await expect(limits.locator('tr[data-party="RUS"] td').allTextContents()).resolves.toEqual(['0; 0', 'no ceiling', '10,000; 100', 'no ceiling']);
    await screenshot(page, 'zones-1280x800');

    // A zone's page: its history, oldest first.
    await page.getByRole('link', { name: 'Russia–Ukraine border, Russian side' }).click();
    const history = page.getByTestId('zone-history');
    await history.waitFor();
    const lines = await history.locator('li').allTextContents();
    expect(lines[0]).toContain('RUS declared troops 9,800');
    expect(lines.some((l) => /OSCE counted RUS: troops 14,500/.test(l))).toBe(true);
    expect(lines.some((l) => /RUS refused OSCE's observers/.test(l))).toBe(true);
    expect(page.url()).toContain('#/zones/rus-ukr-rus');
    expect(pageProblems(page)).toEqual([]);
  });

  it('the reports, restrictions and posts beside the map are searched, windowed, sorted and paged in the address; a reload keeps them', async () => {
    const page = await signIn(browser, net.nodes.UKR!, 'analyst');
    await page.goto(`${net.nodes.UKR!.url}/console/#/zones`);
    const reports = page.getByTestId('zone-reports').locator('li');
    await expect.poll(() => reports.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const total = await reports.count();
    const reportFilters = page.getByRole('group', { name: 'Filter the reports' });
    expect(await reportFilters.locator('input[type="date"], input[type="datetime-local"]').count()).toBe(0);

    // Words: only the report near Yelnya, which is in no zone.
    await reportFilters.getByLabel('Search').fill('Yelnya');
    await expect.poll(() => reports.count()).toBe(1);
    expect(await reports.first().getAttribute('data-zone')).toBe('none');
    await expect(page.getByTestId('reports-count').textContent()).resolves.toBe(`1 of ${total}`);
    // A window after every report: none left; the words and the window are in the address.
    await reportFilters.getByLabel('From (UTC)').fill('2031-01-01 00:00');
    await expect(page.getByTestId('zone-reports').textContent()).resolves.toContain('No report with these words or in this window.');
    await reportFilters.getByLabel('From (UTC)').fill('');
    await expect.poll(() => reports.count()).toBe(1);
    await reportFilters.getByLabel('Search').fill('');
    await expect.poll(() => reports.count()).toBe(total);

    // Sorted by troops, ascending then descending: the order the figures say.
    const troops = async () => (await page.getByTestId('zone-reports').locator('li a').allTextContents()).map((t) => Number(/([\d,]+) troops/.exec(t)?.[1]?.replace(/,/g, '') ?? NaN));
    await reportFilters.getByLabel('Sort by').selectOption('troops');
    await reportFilters.getByLabel('Order').selectOption('asc');
    await expect.poll(async () => { const t = await troops(); return t.length === total && t.every((x, i) => i === 0 || t[i - 1]! <= x); }).toBe(true);
    const ascending = await troops();
    expect(ascending[0]).toBeLessThan(ascending[ascending.length - 1]!);
    await reportFilters.getByLabel('Order').selectOption('desc');
    await expect.poll(troops).toEqual([...ascending].reverse());

    // The posts: searched by their own words, sorted by name, Z to A.
    const posts = page.getByTestId('zone-posts').locator('li');
    const postFilters = page.getByRole('group', { name: 'Filter the observer posts' });
    await postFilters.getByLabel('Sort by').selectOption('name');
    await postFilters.getByLabel('Order').selectOption('desc');
    const names = async () => (await posts.allTextContents()).map((t) => t.replace(/\s*\(.*$/, ''));
    await expect.poll(async () => { const n = await names(); return n.length === 5 && n.every((x, i) => i === 0 || n[i - 1]!.localeCompare(x) >= 0); }).toBe(true);
    const word = (await names())[0]!.split(/\s+/).find((w) => w.length > 3)!;
    await postFilters.getByLabel('Search').fill(word);
    await expect.poll(async () => (await names()).every((n) => n.includes(word))).toBe(true);
    const found = await posts.count();
    expect(found).toBeLessThan(5);

    // All of it is in the address: a reload shows the same lists, the same order and the same words.
    const hash = new URL(page.url()).hash;
    expect(hash).toContain('r.sort=troops');
    expect(hash).toContain('p.order=desc');
    await page.reload();
    await expect.poll(() => posts.count(), { timeout: 30_000 }).toBe(found);
    await expect(page.getByRole('group', { name: 'Filter the observer posts' }).getByLabel('Search').inputValue()).resolves.toBe(word);
    await expect.poll(troops).toEqual([...ascending].reverse());
    await expect(page.getByRole('group', { name: 'Filter the reports' }).getByLabel('Sort by').inputValue()).resolves.toBe('troops');
    expect(pageProblems(page)).toEqual([]);
  });
});

