/**
 * The console, end to end: the winter 2021–22 scenario shipped with Parley played into five node
 * folders on its real dates (USA, RUS, UKR, BLR, OSCE), each node started on loopback serving the
 * built console, and Debian's Chromium signing in as each party's watch officer — what `npm start`
 * shows. Two entries are added on today's date: a note USA sends to RUS only (UKR must never see
 * its text) and a later note to all (so that the first is covered by a signed header: provable).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitFor } from '../federation/support.js';
import { consoleLink } from '../../src/cli/commands/network.js';
import { api, ensureConsoleBuilt, launchBrowser, outputDir, pageProblems, root, screenshot, send, signIn, square, startScenarioNetwork, type Browser, type ScenarioNetwork } from './support.js';

const SECRET = 'USA-RUS only: the text UKR must never see';

let net: ScenarioNetwork;
let browser: Browser;
const seeded: Record<string, string> = {};
const step = (label: string) => {
  const id = net.steps[label];
  if (!id) throw new Error(`the scenario has no step labelled ${label}`);
  return id;
};

/** Presses Tab until the link to `href` has the focus: proof that the keyboard reaches it. */
async function tabTo(page: Page, href: string | null): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((h) => document.activeElement?.getAttribute('href') === h, href)) return;
  }
  throw new Error(`Tab never reached the link to ${href}`);
}

interface FindingRow {
  id: string;
  explanation: string;
  parties: string[];
  evidence: string[];
}

beforeAll(async () => {
  ensureConsoleBuilt();
  rmSync(outputDir, { recursive: true, force: true });
  net = await startScenarioNetwork();
  const { USA, RUS, UKR } = net.nodes;
  seeded.secret = (await send(USA!, 'note', ['RUS'], { subject: 'Private channel', text: SECRET })).id;
  seeded.usaNote = (await send(USA!, 'note', ['*'], { subject: 'Link check', text: 'USA console end-to-end test.' })).id;
  await waitFor('the new notes at RUS and UKR', async () => {
    for (const n of [RUS, UKR]) {
      for (const id of Object.values(seeded)) if ((await api(n!, `/api/v1/entries/${id}`)).status !== 200) return false;
    }
    return true;
  }, 20_000, 100);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await net?.close();
});

describe('the console', { timeout: 120_000 }, () => {
  it('signs in with the operator token, shows the party, and reaches every section by keyboard', async () => {
    const page = await signIn(browser, net.nodes.USA!);
    await expect(page.getByTestId('party').textContent()).resolves.toContain('USA');
    // The token is kept for this tab only.
    expect(await page.evaluate(() => sessionStorage.getItem('parley.token'))).toBe(net.nodes.USA!.folder.tokens.officer);
    expect(await page.evaluate(() => Object.values(localStorage).join(' '))).not.toContain(net.nodes.USA!.folder.tokens.officer);
    await page.getByText('Live', { exact: true }).waitFor();

    for (const section of ['Hotline', 'Notifications', 'Findings', 'Map', 'Timeline', 'Audit', 'Dashboard']) {
      const link = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: new RegExp(`^${section}`) });
      await tabTo(page, await link.getAttribute('href'));
      // The focused control shows a visible focus ring.
      expect(await link.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: section }).waitFor();
      await expect(link.getAttribute('aria-current')).resolves.toBe('page');
    }

    // Tab order starts with the skip link and runs through the top bar into the sections.
    await page.reload();
    await page.getByTestId('party').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');

    // Every input, select and textarea on every screen has a label (or an accessible name).
    for (const hash of ['#/dashboard', '#/hotline/RUS', '#/notifications', '#/notifications/compose?type=vd.activity.notification', '#/findings', '#/map', '#/timeline', '#/audit']) {
      await page.goto(`${net.nodes.USA!.url}/console/${hash}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForTimeout(200);
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea')]
          .filter((el) => (el as HTMLInputElement).type !== 'hidden')
          .filter((el) => !((el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
          .map((el) => el.outerHTML.slice(0, 120)),
      );
      expect(unlabelled, `unlabelled controls on ${hash}`).toEqual([]);
      // And none is taken out of the tab order.
      const untabbable = await page.evaluate(() =>
        [...document.querySelectorAll('main a[href], main button, main input, main select, main textarea, main summary, nav a[href]')]
          .filter((el) => (el as HTMLElement).tabIndex < 0)
          .map((el) => el.outerHTML.slice(0, 120)),
      );
      expect(untabbable, `controls out of the tab order on ${hash}`).toEqual([]);
    }
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('a wrong token is refused with the node\'s code and nothing is kept; a sign-in link drops its token from the address bar', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${net.nodes.USA!.url}/console/`);
    await page.getByLabel('Operator token').fill(net.nodes.RUS!.folder.tokens.officer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('PARLEY_ERR_UNAUTHENTICATED');
    expect(await page.evaluate(() => sessionStorage.getItem('parley.token'))).toBeNull();

    // The link `network up` can print signs in, and the token leaves the address bar at once.
    const token = net.nodes.USA!.folder.tokens.officer;
    await page.goto(`${net.nodes.USA!.url}/console/#token=${encodeURIComponent(token)}`);
    await page.getByTestId('party').waitFor();
    expect(page.url()).not.toContain(token);
    expect(page.url()).toMatch(/#\/dashboard$/);
    await page.close();
  });

  it('the dashboard shows the overdue obligation of the scenario\'s unanswered Chapter III request, in red, with a live countdown', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    // Overdue for years: a chronic item, listed under the rest, collapsed until opened.
    const chronic = page.getByTestId('chronic');
    const openChronic = async () => {
      await chronic.waitFor();
      if (!(await chronic.evaluate((d) => (d as HTMLDetailsElement).open))) await chronic.locator('summary').click();
    };
    await openChronic();
    const overdue = page.locator('tr.obligation[data-overdue]').filter({ hasText: 'RUS' }).filter({ hasText: 'explain' });
    await overdue.first().waitFor();
    const countdown = overdue.first().locator('.countdown');
    const first = await countdown.textContent();
    expect(first).toMatch(/^OVERDUE \d+d \d\d:\d\d:\d\d$/);
    expect(await countdown.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(179, 38, 30)');
    await page.waitForTimeout(1100);
    expect(await countdown.textContent()).not.toBe(first);

    // An analyst looks at the record as it stood a day after the request: the same obligation is
    // open, 24 hours to go, and the meeting request of 13 February is not yet in the record.
    await page.getByLabel('As of (UTC)').fill('2022-02-12T12:00:00');
    await page.getByTestId('asof-banner').waitFor();
    const then = page.locator('tr.obligation').filter({ hasText: 'RUS' }).filter({ hasText: 'explain' });
    await expect.poll(() => then.first().locator('.countdown').textContent()).toBe('1d 00:00:00');
    expect(await then.first().getAttribute('data-overdue')).toBeNull();
    await expect(page.locator('.dashboard').textContent()).resolves.not.toContain('meet UKR');
    await page.getByRole('button', { name: 'Back to live' }).click();
    await openChronic();
    await expect.poll(() => overdue.count()).toBeGreaterThan(0);

    // The obligation links to the request that created it.
    await overdue.first().getByRole('link').click();
    await expect(page.getByTestId('entry-id').textContent()).resolves.toBe(step('ukr-explanation-request'));
    await page.close();
  });

  it('opens at the scenario\'s moment from the link `npm start` prints: the crisis\'s open obligations first, the live clock one click away', async () => {
    expect(net.moment).toBe('2022-02-14T00:00:00.000Z');
    const node = net.nodes.UKR!;
    const page = await browser.context.newPage();
    await page.goto(consoleLink(node.url, node.folder.tokens.officer, net.moment));
    await page.getByTestId('party').waitFor();
    await expect(page.getByTestId('asof-banner').textContent()).resolves.toContain('2022-02-14');
    expect(page.url()).toContain('at=2022-02-14T00');
    // The dashboard's first row, in triage order (what needs action now): the 48 hours Russia let
    // pass; the meeting Ukraine asked for is owed too, due the next day and a half.
    const first = page.getByTestId('triage').locator('tbody tr[data-testid="triage-row"]');
    await expect.poll(() => first.count()).toBeGreaterThan(0);
    await expect(first.nth(0).textContent()).resolves.toMatch(/explain to UKR[^]*RUS owes UKR/);
    const meeting = page.locator('tr.obligation').filter({ hasText: /RUS.*meet UKR/ });
    await expect(meeting.first().locator('.countdown').textContent()).resolves.toBe('1d 13:00:00');
    // Nothing owed for a year the record does not touch: participation from 2022 owes the calendar and exchange for 2023 only.
    const owed = (await page.getByTestId('obligations').textContent()) ?? '';
    expect(owed).toContain('for 2023');
    expect(owed).not.toMatch(/for 2022 by|for 202[4-9]/);
    await page.getByRole('button', { name: 'Back to live' }).click();
    await expect.poll(() => page.url()).not.toContain('at=');
    await expect.poll(() => page.getByTestId('asof-banner').count()).toBe(0);
    await page.close();
  });

  it('a flash hotline message from USA is acknowledged in RUS\'s console, and USA\'s view changes live', async () => {
    const usa = await signIn(browser, net.nodes.USA!);
    const rus = await signIn(browser, net.nodes.RUS!);
    await usa.goto(`${net.nodes.USA!.url}/console/#/hotline/RUS`);
    await usa.getByLabel('Priority').selectOption('flash');
    await usa.getByLabel('Subject', { exact: true }).fill('Aircraft approaching the line of contact');
    await usa.getByLabel('Text', { exact: true }).fill('Please confirm the intentions of the formation at grid 51N 35E.');
    await usa.getByRole('button', { name: 'Send flash' }).click();

    const sent = usa.getByTestId('message').filter({ hasText: 'Aircraft approaching' });
    await sent.waitFor();
    expect(await sent.getAttribute('data-priority')).toBe('flash');
    // The machine receipt arrives by itself; the human acknowledgement is still pending.
    await expect.poll(() => sent.getByTestId('receipt-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('received');
    expect(await sent.getByTestId('ack-state').getAttribute('data-state')).toBe('pending');
    // A flash message is owed an acknowledgement within 5 minutes (the agreement's default).
    await expect(sent.getByTestId('ack-state').textContent()).resolves.toMatch(/^due in 00:0[0-4]:\d\d \(by \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)$/);

    // RUS's officer, on the dashboard, is told of the flash message and follows the banner to it.
    await rus.goto(`${net.nodes.RUS!.url}/console/#/dashboard`);
    const banner = rus.getByTestId('flash-banner');
    await banner.waitFor({ timeout: 15_000 });
    await expect(banner.textContent()).resolves.toContain('USA');
    await banner.getByRole('link').click();
    const received = rus.getByTestId('message').filter({ hasText: 'Aircraft approaching' });
    await received.waitFor({ timeout: 15_000 });
    // One action, from the keyboard.
    await received.getByRole('button', { name: 'Acknowledge' }).press('Enter');
    await expect.poll(() => received.getByTestId('ack-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('acknowledged');

    // No reload on USA's side: the event stream brings the acknowledgement.
    await expect.poll(() => sent.getByTestId('ack-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('acknowledged');
    await expect(sent.getByTestId('ack-state').textContent()).resolves.toContain('acknowledged by RUS');
    await screenshot(usa, 'hotline-1280x800');
    await usa.close();
    await rus.close();
  });

  it('composing a notification: the schema\'s problems show as typed, the node\'s refusal at its field; a valid one arrives at the peer', async () => {
    const usa = await signIn(browser, net.nodes.USA!);
    const rus = await signIn(browser, net.nodes.RUS!);
    await rus.goto(`${net.nodes.RUS!.url}/console/#/notifications?dir=in`);
    await rus.getByTestId('notifications').waitFor();

    await usa.goto(`${net.nodes.USA!.url}/console/#/notifications/compose`);
    await usa.getByLabel('Content type').selectOption('vd.activity.notification');
    await usa.getByLabel('all parties').check();
    await usa.getByLabel('Designation').fill('Saber Strike (illustrative)');
    await usa.getByLabel('Activity type').selectOption({ label: 'land-forces' });
    await usa.getByLabel('Purpose').fill('Combined arms training.');
    // The end before the start: the schema cannot say so; the node's check does.
    await usa.getByLabel('Start (UTC)', { exact: true }).fill('2022-06-14T18:00:00');
    await usa.getByLabel('End (UTC)', { exact: true }).fill('2022-06-01T06:00:00');
    await usa.getByLabel('Area (JSON)', { exact: true }).fill(JSON.stringify(square(23.5, 54.9)));
    for (const [label, v] of [['Troops', '-5'], ['Battle tanks', '40'], ['Armoured combat vehicles', '120'], ['Artillery pieces', '24'], ['Fixed wing sorties', '0'], ['Amphibious troops', '0'], ['Airborne troops', '0']] as const) {
      await usa.getByLabel(label, { exact: true }).fill(v);
    }
    // Negative troops: said at the field as it is typed, and nothing can be signed until it is fixed.
    await expect(usa.getByLabel('Troops', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(usa.locator('.field.invalid .field-problem').textContent()).resolves.toBe('At least 0.');
    await usa.getByLabel('Troops', { exact: true }).fill('3200');
    await expect.poll(() => usa.getByTestId('field-problem').count()).toBe(0);
    await usa.getByRole('button', { name: 'Sign and send' }).click();

    const refusal = usa.getByTestId('refusal');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('PARLEY_ERR_SCHEMA');
    await expect(usa.getByTestId('refusal-path').textContent()).resolves.toBe('/end');
    await expect(usa.getByLabel('End (UTC)', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(usa.locator('.field.invalid .field-problem').textContent()).resolves.toContain('/end');
    await screenshot(usa, 'notification-refused-1280x800');

    await usa.getByLabel('Start (UTC)', { exact: true }).fill('2022-06-01T06:00:00');
    await usa.getByLabel('End (UTC)', { exact: true }).fill('2022-06-14T18:00:00');
    await usa.getByRole('button', { name: 'Sign and send' }).click();
    await usa.getByTestId('entry').waitFor();
    const id = await usa.getByTestId('entry-id').textContent();
    expect(id).toMatch(/^[0-9a-f]{64}$/);

    // RUS's console, open all along, shows it without a reload.
    const row = rus.getByTestId('notifications').getByRole('row').filter({ hasText: 'Saber Strike' });
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('link').click();
    await expect(rus.getByTestId('entry-id').textContent()).resolves.toBe(id);
    await expect(rus.getByTestId('entry-body').textContent()).resolves.toContain('3,200');
    await usa.close();
    await rus.close();
  });

  it('a finding opens to its citation and evidence', async () => {
    // Belarus notified Union Resolve 22 days ahead instead of 42: a finding whose evidence is that notification.
    const union = step('blr-union-resolve');
    const all = await api<{ findings: FindingRow[] }>(net.nodes.UKR!, '/api/v1/findings');
    const finding = all.json.findings.find((f) => f.evidence.includes(union) && f.parties[0] === 'BLR');
    expect(finding, JSON.stringify(all.json, null, 1)).toBeDefined();
    const page = await signIn(browser, net.nodes.UKR!);
    await page.goto(`${net.nodes.UKR!.url}/console/#/findings`);
    const rows = page.getByTestId('findings').locator('tbody tr');
    await rows.first().waitFor({ timeout: 15_000 });
    await page.getByLabel('Party').selectOption('BLR');
    await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes('BLR'))).toBe(true);
    // The list pages by 50, newest first: the analyst searches for the activity's name.
    await page.getByRole('group', { name: 'Filter findings' }).getByLabel('Search').fill('Union Resolve');
    await rows.getByRole('link', { name: finding!.explanation, exact: true }).first().click();
    const detail = page.getByTestId('finding-detail');
    await detail.waitFor();
    await expect(detail.locator('.cite').first().textContent()).resolves.toMatch(/VD11 §/);
    await detail.locator('.evidence a').filter({ hasText: 'BLR#' }).first().click();
    await page.getByTestId('entry').waitFor();
    await expect(page.getByTestId('entry-id').textContent()).resolves.toBe(union);
    await expect(page.getByTestId('entry-body').textContent()).resolves.toContain('Union Resolve 2022');
    // And from the evidence, back to the findings it supports.
    await expect(page.getByTestId('entry').textContent()).resolves.toContain(finding!.explanation);
    await page.close();
  });

  it('downloads a proof bundle that parley check-proof accepts, and checks it again by upload', async () => {
    const page = await signIn(browser, net.nodes.RUS!);
    await page.goto(`${net.nodes.RUS!.url}/console/#/entry/${seeded.secret}`);
    await page.getByTestId('entry').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download proof bundle' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^proof-USA-\d+\.json$/);
    mkdirSync(outputDir, { recursive: true });
    const file = join(outputDir, download.suggestedFilename());
    await download.saveAs(file);

    const out = execFileSync(process.execPath, [join(root, 'bin/parley.js'), 'check-proof', file, '--json'], { encoding: 'utf8' });
    const verdict = JSON.parse(out) as { ok: boolean; id: string; author: string };
    expect(verdict).toMatchObject({ ok: true, id: seeded.secret, author: 'USA' });

    await page.goto(`${net.nodes.RUS!.url}/console/#/audit`);
    await page.getByRole('button', { name: 'Run verify' }).click();
    await expect.poll(() => page.getByTestId('verify-result').getAttribute('data-ok')).toBe('true');
    await page.getByLabel('Proof bundle file (JSON)').setInputFiles(file);
    await expect.poll(() => page.getByTestId('check-result').getAttribute('data-ok')).toBe('true');

    // A tampered bundle is refused, with the name of the check that failed.
    const tampered = JSON.parse(readFileSync(file, 'utf8')) as { inclusion: string[] };
    tampered.inclusion = tampered.inclusion.map(() => '0'.repeat(64));
    await page.getByLabel('Proof bundle file (JSON)').setInputFiles({ name: 'tampered.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tampered)) });
    await expect.poll(() => page.getByTestId('check-result').getAttribute('data-ok')).toBe('false');
    await page.close();
  });

  it('the map shows the notified activity areas over offline boundaries; a click opens the notification', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${net.nodes.UKR!.url}/console/#/map`);
    const map = page.getByTestId('map');
    await map.and(page.locator('[data-ready]')).waitFor({ timeout: 30_000 });
    // The scenario's notified areas (Southern Shield, Union Resolve, UKR's observation of it), and any sent since.
    const list = page.getByTestId('area-list').getByRole('listitem');
    await expect.poll(() => list.count()).toBeGreaterThanOrEqual(3);
    const total = String(await list.count());
    await expect.poll(() => map.getAttribute('data-areas')).toBe(total);
    await expect.poll(() => map.getAttribute('data-rendered'), { timeout: 20_000 }).toBe(total);
    const names = await page.getByTestId('area-list').textContent();
    for (const name of ['Southern Shield 2022', 'Union Resolve 2022']) expect(names).toContain(name);

    // The time filter, strict UTC text (no browser date picker): only what is under way in the first days of March 2022.
    expect(await page.locator('main input[type="date"], main input[type="datetime-local"], main input[type="time"]').count()).toBe(0);
    await page.getByLabel('From (UTC)').fill('03/01/2022');
    await expect(page.getByTestId('utc-problem').first().textContent()).resolves.toContain('Not a UTC time');
    await expect.poll(() => map.getAttribute('data-areas')).toBe(total);
    await page.getByLabel('From (UTC)').fill('2022-03-01 00:00');
    await page.getByLabel('Until (UTC)').fill('2022-03-05 23:59:59');
    await expect.poll(() => map.getAttribute('data-areas')).toBe('1');
    await expect(page.getByTestId('area-list').textContent()).resolves.toContain('Southern Shield 2022');
    await expect.poll(() => map.getAttribute('data-rendered'), { timeout: 20_000 }).toBe('1');
    // The window is in the address: a reload shows the same area and the same fields.
    expect(new URL(page.url()).hash).toBe('#/map?from=2022-03-01T00%3A00%3A00.000Z&until=2022-03-05T23%3A59%3A59.000Z');
    await page.reload();
    await map.and(page.locator('[data-ready]')).waitFor({ timeout: 30_000 });
    await expect.poll(() => map.getAttribute('data-areas')).toBe('1');
    await expect(page.getByLabel('From (UTC)').inputValue()).resolves.toBe('2022-03-01 00:00:00Z');
    await expect(page.getByLabel('Until (UTC)').inputValue()).resolves.toBe('2022-03-05 23:59:59Z');
    await page.getByRole('button', { name: 'All dates' }).click();
    await expect.poll(() => map.getAttribute('data-areas')).toBe(total);
    await expect(page.getByLabel('From (UTC)').inputValue()).resolves.toBe('');
    // Words narrow the map and the list alike, and are kept in the address too.
    await page.getByLabel('Search').fill('Union Resolve');
    await expect.poll(async () => (await list.allTextContents()).every((t) => t.includes('Union Resolve'))).toBe(true);
    const found = await list.count();
    expect(found).toBeGreaterThanOrEqual(1);
    expect(found).toBeLessThan(Number(total));
    await expect.poll(() => map.getAttribute('data-areas')).toBe(String(found));
    expect(new URL(page.url()).hash).toBe('#/map?q=Union+Resolve');
    await page.getByLabel('Search').fill('');
    await expect.poll(() => map.getAttribute('data-areas')).toBe(total);
    await expect.poll(() => map.getAttribute('data-rendered'), { timeout: 20_000 }).toBe(total);
    await screenshot(page, 'map-1280x800');

    // A click inside the Southern Shield area (projected by the map itself) opens its notification.
    const point = await map.evaluate((el) => (el as HTMLElement & { parleyMap: { project(ll: [number, number]): { x: number; y: number } } }).parleyMap.project([40, 49.35]));
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + point.x, box.y + point.y);
    await page.getByTestId('entry').waitFor();
    await expect(page.getByTestId('entry-id').textContent()).resolves.toBe(step('rus-southern-shield'));

    // Offline: nothing but this node was asked for anything.
    const origin = new URL(net.nodes.UKR!.url).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('a form\'s calendar-day field is the strict UTC text field too: a US-style or impossible day is refused beside it, an ISO day is taken', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    await page.goto(`${net.nodes.UKR!.url}/console/#/notifications/compose?type=vd.evaluation.request`);
    const day = page.getByLabel('Proposed date');
    await day.waitFor();
    expect(await page.locator('main input[type="date"], main input[type="datetime-local"], main input[type="time"]').count()).toBe(0);
    expect(await day.getAttribute('placeholder')).toBe('YYYY-MM-DD');
    await day.fill('02/12/2022');
    await expect(page.getByTestId('utc-problem').textContent()).resolves.toContain('Not a day in the form YYYY-MM-DD');
    expect(await day.getAttribute('aria-invalid')).toBe('true');
    await day.fill('2022-02-30');
    await expect(page.getByTestId('utc-problem').textContent()).resolves.toBe('2022-02 has no day 30.');
    await day.fill('2022-02-12');
    await expect.poll(() => page.getByTestId('utc-problem').count()).toBe(0);
    expect(await day.getAttribute('aria-invalid')).toBeNull();
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('every section fits 1280×800 and 1920×1080 without a horizontal scrollbar (screenshots in test-output/)', async () => {
    const page = await signIn(browser, net.nodes.UKR!);
    for (const [w, h] of [
      [1280, 800],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      const views: [string, string][] = [
        ...['dashboard', 'hotline', 'notifications', 'findings', 'map', 'timeline', 'audit'].map((s): [string, string] => [s, s]),
        ['entry', `entry/${step('blr-union-resolve')}`],
        ['compose', 'notifications/compose?type=vd.activity.notification'],
      ];
      for (const [section, hash] of views) {
        await page.goto(`${net.nodes.UKR!.url}/console/#/${hash}`);
        await page.locator('main h1').first().waitFor();
        if (section === 'map') await page.locator('[data-testid="map"][data-ready]').waitFor({ timeout: 30_000 });
        await page.waitForTimeout(section === 'map' ? 1500 : 300);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${section} at ${w}×${h} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
        await screenshot(page, `${section}-${w}x${h}`);
      }
    }
    // The README shows the dashboard and the map as the suite saw them: `PARLEY_UPDATE_DOCS=1 npm test`
    // refreshes them (a plain run leaves the tracked files alone and keeps its shots in test-output/).
    if (process.env.PARLEY_UPDATE_DOCS === '1') {
      mkdirSync(join(root, 'docs'), { recursive: true });
      copyFileSync(join(outputDir, 'dashboard-1280x800.png'), join(root, 'docs/console-dashboard.png'));
      copyFileSync(join(outputDir, 'map-1280x800.png'), join(root, 'docs/console-map.png'));
    }
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('with another party\'s token, the API the console reads never returns content that party is not addressed on', async () => {
    const UKR = net.nodes.UKR!;
    const token = UKR.folder.tokens.officer;
    // The note's text, and the scenario's USA–RUS hotline exchange.
    const leaks = (text: string) => [SECRET, 'Private channel', 'advise whether forces near the border', 'Duty officer, Moscow'].some((x) => text.includes(x));

    // Every route the console reads, as UKR's console reads it.
    const seen: string[] = [];
    for (const path of ['/api/v1/status', '/api/v1/roster', '/api/v1/catalogue', '/api/v1/obligations', '/api/v1/findings', '/api/v1/verify']) {
      const res = await fetch(`${UKR.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      seen.push(await res.text());
    }
    let after = 0;
    for (;;) {
      const page = await api<{ entries: { id: string; pos?: number }[]; next?: number }>(UKR, `/api/v1/entries?after=${after}&limit=1000`, { token });
      seen.push(JSON.stringify(page.json));
      if (page.json.entries.length < 1000) break;
      after = page.json.next!;
    }
    // Every entry UKR's node lists that UKR neither wrote nor was addressed on is a bare stub.
    const listed = seen.slice(6).flatMap((t) => (JSON.parse(t) as { entries: Record<string, unknown>[] }).entries);
    expect(listed.length).toBeGreaterThan(10);
    const foreign = listed.filter((e) => e.author !== 'UKR' && !(e.to as string[] | undefined)?.some((t) => t === 'UKR' || t === '*'));
    expect(foreign.map((e) => e.id)).toEqual(expect.arrayContaining([seeded.secret, step('usa-flash'), step('rus-flash-ack')]));
    for (const e of foreign) {
      expect(e.body, `${String(e.author)}#${String(e.seq)}`).toBeUndefined();
      expect(e.type, `${String(e.author)}#${String(e.seq)}`).toBeUndefined();
    }
    const stub = await api<Record<string, unknown>>(UKR, `/api/v1/entries/${seeded.secret}`, { token });
    expect(stub.status).toBe(200);
    expect(stub.json.body).toBeUndefined();
    expect(stub.json.type).toBeUndefined();
    seen.push(JSON.stringify(stub.json));
    const proof = await fetch(`${UKR.url}/api/v1/entries/${seeded.secret}/proof`, { headers: { authorization: `Bearer ${token}` } });
    expect(proof.status).toBeGreaterThanOrEqual(400);
    seen.push(await proof.text());
    // The event stream, replayed from the start.
    const controller = new AbortController();
    const ticket = (await (await fetch(`${UKR.url}/api/v1/events/ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()).ticket;
    const events = await fetch(`${UKR.url}/api/v1/events?ticket=${encodeURIComponent(ticket)}&after=0`, { signal: controller.signal });
    const reader = events.body!.getReader();
    let stream = '';
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const chunk = await Promise.race([reader.read(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 300))]);
      if (chunk?.value) stream += new TextDecoder().decode(chunk.value);
      if (chunk?.done) break;
    }
    controller.abort();
    expect(stream).toContain(seeded.secret); // the stub is there …
    seen.push(stream);
    expect(seen.filter(leaks)).toEqual([]); // … its content is not.

    // UKR's token opens nothing on another party's node.
    const elsewhere = await api(net.nodes.USA!, `/api/v1/entries/${seeded.secret}`, { token });
    expect(elsewhere.status).toBe(401);

    // And the console itself, signed in as UKR, shows the entry sealed.
    const page = await signIn(browser, UKR);
    await page.goto(`${UKR.url}/console/#/entry/${seeded.secret}`);
    await page.getByTestId('entry').waitFor();
    await expect(page.getByTestId('entry').textContent()).resolves.toContain('only the signed stub');
    await page.goto(`${UKR.url}/console/#/timeline`);
    await page.getByLabel('sealed entries (stubs)').check();
    await page.getByTestId('timeline').waitFor();
    expect(leaks(await page.content())).toBe(false);
    await page.close();
  });
});
