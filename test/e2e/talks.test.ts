/**
 * The Talks page, end to end: the shipped winter 2021–22 scenario played into five nodes, and an
 * analyst at UKR's console reading the 7 December 2021 call — both readouts side by side per
 * agenda item with the differences the node's report finds marked, who was briefed and who was
 * not, the commitment met in Geneva — then downloading the proof bundle of one readout and
 * checking it with `parley check-proof` and on the Audit page.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Browser, outputDir, pageProblems, root, type ScenarioNetwork, screenshot, signIn, withScenarioConsole } from './support.js';

let net: ScenarioNetwork;
let browser: Browser;

withScenarioConsole((n, b) => ((net = n), (browser = b)));

describe('the Talks page', { timeout: 120_000 }, () => {
  it('shows the 7 December call with both readouts side by side and the differences marked; an analyst proves one readout', async () => {
    const UKR = net.nodes.UKR!;
    const call = net.steps['dec7-call']!;
    const page = await signIn(browser, UKR, 'analyst');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Talks/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Talks' }).waitFor();
    const meetings = page.getByTestId('meetings');
    await meetings.waitFor();
    await expect.poll(() => meetings.locator('tbody tr').count()).toBe(4);
    await meetings.getByRole('link', { name: 'Video call of the Presidents of the United States and of Russia' }).click();
    expect(page.url()).toContain(`#/talks/${call}`);

    // Both readouts, one column each, one row per agenda item.
    const table = page.getByTestId('readouts');
    await table.waitFor();
    const heads = await table.locator('thead th').allTextContents();
    expect(heads.slice(1).map((h) => h.slice(0, 3))).toEqual(['RUS', 'USA']);
    await expect(page.getByTestId('compare-summary').textContent()).resolves.toMatch(/^2 readouts compared/);
    const row = (item: string) => table.locator(`tr[data-item="${item}"]`);
    await expect(row('ukraine').locator('td[data-party="USA"]').textContent()).resolves.toContain('build-up of Russian forces');
    await expect(row('ukraine').locator('td[data-party="RUS"]').textContent()).resolves.toContain('Minsk agreements');
    // Washington recounts sanctions; Moscow's account leaves them out, and says Iran was not discussed.
    await expect(row('sanctions').locator('td[data-party="RUS"]').textContent()).resolves.toBe('does not recount it');
    await expect(row('iran').locator('td[data-party="RUS"]').textContent()).resolves.toBe('says it was not discussed');

    // The differences are marked under their items, each of its kind.
    expect(await row('nato-guarantees').getAttribute('data-differs')).toBe('true');
    const differences = (label: string) => page.getByRole('list', { name: `Differences on ${label}` });
    const nato = differences("Security guarantees and NATO's enlargement");
    await expect(nato.locator('li[data-kind="agreement-claimed"]').textContent()).resolves.toContain("Russia's sensitive issues will be the subject of further discussion.");
    const wording = nato.locator('li[data-kind="text"]');
    await expect(wording.locator('del').first().textContent()).resolves.toContain('asked for reliable, legally binding guarantees');
    await expect(wording.locator('ins').first().textContent()).resolves.toContain('made no concessions');
    await expect(differences('Cyber security and ransomware').locator('li[data-kind="attributed-position"]').textContent()).resolves.toContain('RUS attributes to USA');
    await expect(differences("Iran's nuclear programme").locator('li[data-kind="not-discussed"]').count()).resolves.toBe(1);

    // Who was briefed (UKR two days later, the four allies the same day) and who was not.
    const briefings = page.getByTestId('briefings');
    await expect(briefings.locator('tr[data-party="UKR"]').textContent()).resolves.toContain('2021-12-09 18:00:00Z');
    await expect(briefings.locator('tr[data-party="GBR"]').getAttribute('data-briefed')).resolves.toBe('true');
    await expect(briefings.locator('tr[data-party="BLR"]').textContent()).resolves.toContain('not briefed');
    // The commitment to continue contacts, met by the Geneva meeting for each owner.
    const commitments = page.getByTestId('commitments');
    await expect.poll(() => commitments.locator('tr[data-status="met"]').count()).toBe(2);
    await expect(commitments.textContent()).resolves.toContain('Strategic stability dialogue, Geneva');
    await expect(page.getByTestId('positions').textContent()).resolves.toContain('red line');
    await screenshot(page, 'talks-1280x800');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    // The analyst downloads the proof bundle of Moscow's readout and checks it, offline and on the Audit page.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: "Download proof bundle of RUS's readout" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^proof-RUS-\d+\.json$/);
    mkdirSync(outputDir, { recursive: true });
    const file = join(outputDir, `talks-${download.suggestedFilename()}`);
    await download.saveAs(file);
    const verdict = JSON.parse(execFileSync(process.execPath, [join(root, 'bin/parley.js'), 'check-proof', file, '--json'], { encoding: 'utf8' })) as { ok: boolean; id: string; author: string };
    expect(verdict).toMatchObject({ ok: true, id: net.steps['rus-readout'], author: 'RUS' });
    await page.goto(`${UKR.url}/console/#/audit`);
    await page.getByLabel('Proof bundle file (JSON)').setInputFiles(file);
    await expect.poll(() => page.getByTestId('check-result').getAttribute('data-ok')).toBe('true');
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });

  it('says when only one readout is held, claims no divergence, and labels every control', async () => {
    const UKR = net.nodes.UKR!;
    const page = await signIn(browser, UKR);
    await page.goto(`${UKR.url}/console/#/talks/${net.steps['geneva-ssd']}`);
    const note = page.getByTestId('compare-note');
    await note.waitFor();
    await expect(note.textContent()).resolves.toContain('only one readout');
    await expect(page.getByTestId('readouts').locator('[data-testid="differences"]').count()).resolves.toBe(0);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('main button, main input, main select, main textarea')]
        .filter((el) => !((el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || el.textContent?.trim()))
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);
    expect(pageProblems(page)).toEqual([]);
    await page.close();
  });
});
