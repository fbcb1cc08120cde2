/**
 * The Missiles page, end to end: the shipped scenario's illustrative mechanism played into five
 * live nodes; at Washington's console, the four declared sites on the map with their range rings,
 * the commitment side by side, the two visits of the scenario (one countersigned, one disputed);
 * then a new visit from Moscow to Redzikowo followed from request to the countersigned report as
 * the entries arrive.
 */
import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { api, type Browser, pageProblems, type ScenarioNetwork, screenshot, send, signIn, withScenarioConsole } from './support.js';

let net: ScenarioNetwork;
let browser: Browser;

withScenarioConsole((n, b) => ((net = n), (browser = b)));

const H = 3_600_000;
const poll = { timeout: 30_000, interval: 250 };

describe('the Missiles page', { timeout: 180_000 }, () => {
  it('shows the declared sites on the map, and a visit from request to countersigned report', async () => {
    const { USA, RUS } = net.nodes as Record<string, NonNullable<ScenarioNetwork['nodes'][string]>>;
    const page = await signIn(browser, USA!);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Missiles/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Missiles' }).waitFor();

    // The commitment, each side's figures in its own column.
    const commitment = page.getByTestId('commitment');
    await commitment.waitFor();
    expect((await commitment.locator('thead th').allTextContents()).slice(1).map((h) => h.slice(0, 3))).toEqual(['RUS', 'USA']);
    await expect(commitment.locator('tbody tr').first().locator('td').allTextContents()).resolves.toEqual(['2', '2']);

    // The sites on the map: four declared, a ring for each system declared present with its range, all drawn.
    const map = page.getByTestId('missiles-map');
    await expect.poll(() => map.getAttribute('data-ready'), poll).toBe('true');
    await expect.poll(() => map.getAttribute('data-sites'), poll).toBe('4');
    expect(await map.getAttribute('data-rings')).toBe('3');
    await expect.poll(() => map.getAttribute('data-rendered'), poll).toBe('4');
    const sites = page.getByTestId('site');
    expect(await sites.evaluateAll((els) => els.map((e) => e.getAttribute('data-site')))).toEqual(['kapustin-yar', 'luga', 'deveselu', 'redzikowo']);
    await expect(page.locator('[data-site="deveselu"]').textContent()).resolves.toMatch(/absent: Tomahawk \(BGM-109\)/);

    // The scenario's visits, side by side per visiting party: one countersigned, one disputed.
    const visit = (request: string) => page.locator(`[data-testid="visit"][data-request="${request}"]`);
    await expect.poll(() => visit(net.steps['rus-visit-deveselu']!).getAttribute('data-stage'), poll).toBe('countersigned');
    await expect(visit(net.steps['usa-visit-kapustin-yar']!).getAttribute('data-stage')).resolves.toBe('disputed');
    await expect(visit(net.steps['usa-visit-kapustin-yar']!).getByTestId('acknowledgement').textContent()).resolves.toMatch(/disputed .*480 km, as declared/);

    // A new visit, followed as the entries arrive at Washington's node.
    const declaration = net.steps['usa-site-redzikowo']!;
    const arrival = Date.now() + 73 * H;
    const request = await send(RUS!, 'missiles.visit.request', ['*'], { host: 'USA', declaration, arrival: new Date(arrival).toISOString(), team: 6, purpose: 'Confirm no Tomahawk at Redzikowo' }, [declaration]);
    await expect.poll(() => visit(request.id).getAttribute('data-stage'), poll).toBe('requested');
    await expect(visit(request.id).textContent()).resolves.toMatch(/Aegis Ashore Redzikowo.*due/);
    const reply = await send(USA!, 'missiles.visit.reply', ['*'], { request: request.id, accepted: true, window: { start: new Date(arrival).toISOString(), end: new Date(arrival + 24 * H).toISOString() } }, [request.id]);
    await expect.poll(() => visit(request.id).getAttribute('data-stage'), poll).toBe('accepted');
    const report = await send(
      RUS!,
      'missiles.visit.report',
      ['*'],
      { request: request.id, onSite: { start: new Date(arrival + H).toISOString(), end: new Date(arrival + 6 * H).toISOString() }, checked: [{ item: 'launcher configuration', result: 'Mk 41 cells empty' }], outcome: 'consistent', observations: 'As declared' },
      [request.id],
    );
    await expect.poll(() => visit(request.id).getAttribute('data-stage'), poll).toBe('reported');
    await expect(visit(request.id).getByTestId('acknowledgement').getAttribute('data-state')).resolves.toBe('unacknowledged');
    await send(USA!, 'missiles.report.countersign', ['*'], { report: report.id, remarks: 'Countersigned' }, [report.id]);
    await expect.poll(() => visit(request.id).getAttribute('data-stage'), poll).toBe('countersigned');
    await expect(visit(request.id).getByTestId('acknowledgement').getAttribute('data-state')).resolves.toBe('countersigned');
    expect(reply.id).not.toBe(report.id);
    await screenshot(page, 'missiles');
    // The page's own content passes axe's WCAG A and AA rules (the map canvas is described by its region's label and the lists beside it).
    const axe = await new AxeBuilder({ page: page as never }).include('main').withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(axe.passes.length).toBeGreaterThan(5);
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
    expect(pageProblems(page)).toEqual([]);
  });

  it("each visiting party's visits are searched, sorted and paged in the address", async () => {
    const { USA, RUS } = net.nodes as Record<string, NonNullable<ScenarioNetwork['nodes'][string]>>;
    // A second visit by Moscow, so that its list has an order to turn.
    const declaration = net.steps['usa-site-redzikowo']!;
    const extra = await send(RUS!, 'missiles.visit.request', ['*'], { host: 'USA', declaration, arrival: new Date(Date.now() + 80 * H).toISOString(), team: 4, purpose: 'Second look at Redzikowo' }, [declaration]);
    const page = await signIn(browser, USA!);
    await page.goto(`${USA!.url}/console/#/missiles`);
    const byRus = page.locator('section[aria-label="Visits by RUS"]');
    const items = byRus.getByTestId('visit');
    await expect.poll(() => byRus.locator(`[data-request="${extra.id}"]`).count(), poll).toBe(1);
    const total = await items.count();
    expect(total).toBeGreaterThanOrEqual(2);
    const filters = page.getByRole('group', { name: 'Filter the visits by RUS' });
    const requests = () => items.evaluateAll((els) => els.map((e) => e.getAttribute('data-request')));

    // Oldest request first by default; the order turned, the newest (this one) comes first.
    const oldestFirst = await requests();
    expect(oldestFirst.at(-1)).toBe(extra.id);
    await filters.getByLabel('Order').selectOption('desc');
    await expect.poll(requests).toEqual([...oldestFirst].reverse());
    const newestFirst = await requests();

    // Words: the site's name keeps the Redzikowo visits, drops Deveselu's.
    await filters.getByLabel('Search').fill('Deveselu');
    await expect.poll(() => items.count()).toBe(1);
    expect(await requests()).toEqual([net.steps['rus-visit-deveselu']]);
    await expect(filters.getByTestId('visits-count').textContent()).resolves.toBe(`1 of ${total}`);
    // The other party's list is not touched by this party's words.
    await expect(page.locator('section[aria-label="Visits by USA"]').getByTestId('visit').count()).resolves.toBeGreaterThanOrEqual(1);
    const hash = new URL(page.url()).hash;
    expect(hash).toContain('rus.q=Deveselu');
    expect(hash).toContain('rus.order=desc');
    await page.reload();
    await expect.poll(() => items.count(), poll).toBe(1);
    await filters.getByLabel('Search').fill('');
    await expect.poll(requests).toEqual(newestFirst);
    expect(pageProblems(page)).toEqual([]);
  });

  it('answers GET /api/v1/missiles/sites and /visits byte-identically at every node for the same instant; refuses an at without a time zone', async () => {
    const at = '2022-03-01T00:00:00Z';
    for (const path of [`/api/v1/missiles/sites?at=${at}`, `/api/v1/missiles/visits?at=${at}`]) {
      const texts = await Promise.all(
        Object.values(net.nodes).map(async (n) => (await fetch(`${n!.url}${path}`, { headers: { authorization: `Bearer ${n!.folder.tokens.officer}` } })).text()),
      );
      expect(texts).toHaveLength(5);
      expect(new Set(texts).size, path).toBe(1);
    }
    const bad = await api<{ error: { code: string } }>(net.nodes.UKR!, '/api/v1/missiles/visits?at=2022-03-01T00:00:00');
    expect([bad.status, bad.json.error.code]).toEqual([400, 'PARLEY_ERR_BAD_ARGUMENT']);
    expect((await fetch(`${net.nodes.UKR!.url}/api/v1/missiles/sites`)).status).toBe(401);
  });
});
