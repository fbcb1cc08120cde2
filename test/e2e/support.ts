/**
 * End-to-end fixtures: real nodes on loopback (the server's own builder), the built console, and
 * Debian's Chromium driven by playwright-core. `npm test` builds the console in `pretest`; a bare
 * `npx vitest run test/e2e` builds it here when dist/console is missing or older than its sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { playScenario } from '../../src/demo/scenario.js';
import { startNode, type RunningNode } from '../../src/server/node.js';
import { FAST_TIMINGS, introduce } from '../federation/support.js';
import { tempDir } from '../support/nodes.js';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const outputDir = join(root, 'test-output');
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/console unless it is newer than every file of src/console. */
export function ensureConsoleBuilt(): void {
  const index = join(root, 'dist/console/index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(root, 'src/console'))) return;
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(root, 'src/console/vite.config.ts')], { cwd: root, stdio: 'pipe' });
}

export const WINTER_SCENARIO = join(root, 'scenarios/winter-2021-22.yaml');

export interface ScenarioNetwork {
  nodes: Record<string, RunningNode>;
  /** Entry ids of the scenario's labelled steps (`usa-flash` → its id). */
  steps: Record<string, string>;
  /** The moment the scenario names: where `npm start` opens the consoles. */
  moment?: string;
  close(): Promise<void>;
}

/**
 * What `npm start` shows, in this process: the shipped scenario played into fresh node folders on
 * its real dates, then every node started on a free loopback port and introduced to the others.
 */
export async function startScenarioNetwork(file = WINTER_SCENARIO): Promise<ScenarioNetwork> {
  const dir = tempDir('parley-e2e-');
  const report = await playScenario(file, dir.path);
  const parties = [...new Set(report.steps.map((s) => s.author))];
  for (const d of readdirSync(dir.path, { withFileTypes: true })) if (d.isDirectory() && !parties.includes(d.name)) parties.push(d.name);
  const nodes: Record<string, RunningNode> = {};
  for (const party of parties) {
    nodes[party] = await startNode({ dir: join(dir.path, party), port: 0, logger: false, runFile: false, federation: { timings: FAST_TIMINGS } });
  }
  await introduce(Object.values(nodes));
  return {
    nodes,
    steps: Object.fromEntries(report.steps.filter((s) => s.id).map((s) => [s.id!, s.entry])),
    moment: report.moment,
    close: async () => {
      for (const n of Object.values(nodes)) await n.close().catch(() => {});
      dir.remove();
    },
  };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh profile, no GPU (WebGL through SwiftShader, for the map), no network chatter. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the console tests drive Debian's Chromium at ${CHROMIUM}, which is missing: apt-get install chromium (or set PARLEY_CHROMIUM)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'parley-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'],
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the node's console in a new tab and signs in with the officer token. */
/**
 * For a browser test file: the winter scenario on five nodes and a browser, started before the
 * file's tests (handed to `use`) and stopped after them.
 *
 * @example
 *   let net: ScenarioNetwork;
 *   let browser: Browser;
 *   withScenarioConsole((n, b) => ((net = n), (browser = b)));
 */
export function withScenarioConsole(use: (net: ScenarioNetwork, browser: Browser) => void): void {
  let net: ScenarioNetwork | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    ensureConsoleBuilt();
    net = await startScenarioNetwork();
    browser = await launchBrowser();
    use(net, browser);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await net?.close();
  });
}

export async function signIn(browser: Browser, node: RunningNode, role: 'officer' | 'analyst' | 'admin' = 'officer'): Promise<Page> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  (page as Page & { problems?: string[] }).problems = problems;
  await page.goto(`${node.url}/console/`);
  await page.getByLabel('Operator token').fill(node.folder.tokens[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('party').waitFor();
  return page;
}

/** Uncaught errors the page raised since it was opened. */
export function pageProblems(page: Page): string[] {
  return (page as Page & { problems?: string[] }).problems ?? [];
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(outputDir, { recursive: true });
  const path = join(outputDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The operator API as the console calls it, for seeding and for reading what a token can see. */
export async function api<T = unknown>(node: RunningNode, path: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<{ status: number; json: T }> {
  const res = await fetch(`${node.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? node.folder.tokens.officer}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

export async function send(node: RunningNode, type: string, to: string[], body: Record<string, unknown>, refs: string[] = []): Promise<{ id: string; seq: number }> {
  const r = await api<{ id: string; seq: number }>(node, '/api/v1/entries', { method: 'POST', body: { type, to, refs, body } });
  if (r.status !== 201 && r.status !== 200) throw new Error(`send ${type} from ${node.party}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** A closed ring around a centre, in degrees: the area of a notified activity. */
export function square(lon: number, lat: number, half = 0.6): { type: 'Polygon'; coordinates: number[][][] } {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
      ],
    ],
  };
}

/** Fills the compose form of a Vienna Document activity notification, all but its area, to start in 50 days (in time under §38). */
export async function fillActivityNotification(page: Page, designation: string): Promise<void> {
  const day = 86_400_000;
  const at = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  await page.getByLabel('all parties').check();
  await page.getByLabel('Designation').fill(designation);
  await page.getByLabel('Activity type').selectOption({ label: 'land-forces' });
  await page.getByLabel('Purpose').fill('Combined arms training.');
  await page.getByLabel('Start (UTC)', { exact: true }).fill(at(Date.now() + 50 * day));
  await page.getByLabel('End (UTC)', { exact: true }).fill(at(Date.now() + 54 * day));
  for (const [label, v] of [['Troops', '12000'], ['Battle tanks', '40'], ['Armoured combat vehicles', '120'], ['Artillery pieces', '24'], ['Fixed wing sorties', '0'], ['Amphibious troops', '0'], ['Airborne troops', '0']] as const) {
    await page.getByLabel(label, { exact: true }).fill(v);
  }
}
