/**
 * The console for analysts and on small screens, end to end (the winter 2021–22 scenario on five
 * loopback nodes, Debian's Chromium): place names on the offline map; an area typed as a table of
 * latitudes and longitudes, previewed and signed in GeoJSON order; search, from–to, sorting and
 * paging on the lists, kept in the address; the tables at 200 % zoom.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, type Browser, pageProblems, type ScenarioNetwork, screenshot, signIn, withScenarioConsole } from './support.js';

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
