/**
 * The Incidents page, end to end: USA and RUS share tracks of an RC-135 and a Su-27 planted to pass
 * within 100 m two minutes ahead; the officer at USA's console sees the predicted encounter, the two
 * aircraft on the live map with their pair highlighted, and sends the prefilled flash hotline
 * message in one click — which RUS receives. After the pass, the record's encounter is listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offset } from '../../src/regimes/incidents/geo.js';
import { encodeTracks } from '../../src/regimes/incidents/tracks.js';
import { startNetwork, waitFor, type TestNetwork } from '../federation/support.js';
import { ensureConsoleBuilt, launchBrowser, pageProblems, screenshot, send, signIn, type Browser } from './support.js';

let net: TestNetwork;
let browser: Browser;

beforeAll(async () => {
  ensureConsoleBuilt();
  net = await startNetwork(['USA', 'RUS'], { settings: { hotline: { linkTests: false } } });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await net?.close();
});

const BASE = { lat: 43.6, lon: 32.9, alt: 0 };

/** Both aircraft's fixes `s` seconds after t0 (east/west along BASE's parallel; they pass at s = 120, 100 m apart). */
function tracks(who: 'USA' | 'RUS', t0: number, seconds: number[]) {
  const fix = (s: number) => {
    const e = who === 'USA' ? 200 * (s - 120) : -250 * (s - 120);
    const n = who === 'USA' ? 0 : 100;
    const d = Math.hypot(e, n);
    return d === 0 ? BASE : offset(BASE, (Math.atan2(e, n) * 180) / Math.PI, d);
  };
  const pts = seconds.map(fix);
  const t = seconds.map((s) => t0 + s * 1000);
  return encodeTracks(t[0], t[t.length - 1], [{ unit: who === 'USA' ? 'RC-135 64-14845' : 'Su-27 RF-92212', kind: 'aircraft', t, lat: pts.map((p) => p.lat), lon: pts.map((p) => p.lon), alt: t.map(() => (who === 'USA' ? 9000 : 9050)) }]);
}

describe('the Incidents page', { timeout: 120_000 }, () => {
  it('shows the predicted encounter on the live map and sends the prefilled flash message in one click', async () => {
    const { USA, RUS } = net.nodes;
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    // Two fixes each (the watch reads speed and course from them); the pass is two minutes after the first.
    await send(USA, 'incidents.tracks', ['RUS'], tracks('USA', t0, [0, 10]) as unknown as Record<string, unknown>);
    await send(RUS, 'incidents.tracks', ['USA'], tracks('RUS', t0, [0, 10]) as unknown as Record<string, unknown>);
    const page = await signIn(browser, USA, 'officer');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Incidents/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Incidents at sea and in the air' }).waitFor();
    const alarms = page.getByTestId('encounter-alarms');
    await alarms.waitFor();
    await expect(alarms.textContent()).resolves.toMatch(/RUS Su-27 RF-92212.*USA RC-135 64-14845/);
    const map = page.getByTestId('tracks-map');
    await map.and(page.locator('[data-ready]')).waitFor({ timeout: 30_000 });
    await expect.poll(() => map.getAttribute('data-units'), { timeout: 20_000 }).toBe('2');
    await expect.poll(() => map.getAttribute('data-alarms'), { timeout: 20_000 }).toBe('1');
    await screenshot(page, 'incidents-live');

    await alarms.getByRole('button', { name: 'Send flash to RUS' }).click();
    const link = alarms.getByRole('link', { name: /flash message sent to RUS/ });
    await link.waitFor();
    const id = decodeURIComponent((await link.getAttribute('href'))!.split('/').pop()!);
    await waitFor('the flash at RUS', async () => (await RUS.ledger.get(id))?.body !== undefined);
    const flash = (await RUS.ledger.get(id))!;
    expect(flash.type).toBe('hotline.message');
    expect(flash.body).toMatchObject({ priority: 'flash', subject: 'Close encounter: RUS Su-27 RF-92212 and USA RC-135 64-14845' });

    // The pass and after: the alarm clears, and the record's encounter is listed.
    await send(USA, 'incidents.tracks', ['RUS'], tracks('USA', t0, [20, 60, 100, 120, 140, 160]) as unknown as Record<string, unknown>);
    await send(RUS, 'incidents.tracks', ['USA'], tracks('RUS', t0, [20, 60, 100, 120, 140, 160]) as unknown as Record<string, unknown>);
    await page.getByTestId('no-encounter-alarms').waitFor({ timeout: 20_000 });
    const found = page.getByTestId('encounters');
    await found.waitFor({ timeout: 20_000 });
    await expect(found.locator('tbody tr').count()).resolves.toBe(1);
    await expect(found.textContent()).resolves.toContain('RUS aircraft Su-27 RF-92212 — USA aircraft RC-135 64-14845');
    expect(pageProblems(page)).toEqual([]);
  });
});
