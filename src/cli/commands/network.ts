/**
 * `parley network up`: a local multi-party network on this machine — one node folder per party
 * under --dir (made if missing, reused if present), every node introduced to every other, each
 * node its own child process, all stopped together on Ctrl-C or SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { formatTime } from '../../protocol/entry.js';
import { isPartyCode } from '../../protocol/entry.js';
import { ParleyError } from '../../protocol/errors.js';
import { initNode, introduce, isNodeFolder, loadNode, type NodeFolder } from '../../node/folder.js';
import { readRunInfo } from '../../server/runfile.js';
import { playScenario } from '../../demo/scenario.js';
import { action, EXIT, type ExitCode } from '../boundary.js';
import { listArgument, print, withCommon, type DirOption } from '../io.js';
import { DEMO_DEFAULTS, DEMO_LABEL, demoSettings, feedNodes, runDemoFeed } from './demo-feed.js';

interface UpOptions extends DirOption {
  parties: string;
  basePort: string;
  scenario?: string;
  demoFeed?: string;
  demoMinutes?: string;
  demoLead?: string;
  demoInterval?: string;
}

interface Member {
  folder: NodeFolder;
  port: number;
  child?: ChildProcess;
  log: string;
  url: string;
}

// A node opening a large record on a busy machine can take a while to answer.
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export function registerNetwork(program: Command): void {
  const network = program.command('network').description('a local multi-party network on this machine');
  withCommon(
    network
      .command('up')
      .description('init the missing node folders under --dir/<CODE>, introduce every node to every other, start them all, print each URL and officer token; Ctrl-C stops them all')
      .requiredOption('--parties <codes>', 'party codes, comma-separated: USA,RUS,UKR')
      .option('--base-port <n>', 'port of the first new node; the next ones count up', '7300')
      .option('--scenario <file>', 'play this scenario into the new folders before starting (once: a second run reuses what was played)')
      // The demonstration feed of shared tracks (demo-feed.ts): the live encounter watch at work.
      .option('--demo-feed <A,B>', 'once the nodes run, a demonstration feed: two synthetic aircraft (DEMO-<PARTY>) of these two parties sent as signed incidents.tracks entries through their nodes, passing 100 m apart so the encounter alarm rings and clears on both consoles')
      .option('--demo-minutes <n>', `minutes the demonstration feed runs at most, up to 240: the whole passes that fit, one every two leads (default ${DEMO_DEFAULTS.minutes})`)
      .option('--demo-lead <seconds>', `how far ahead each pass of the demonstration feed is predicted (default ${DEMO_DEFAULTS.leadSeconds})`)
      .option('--demo-interval <seconds>', `time between the demonstration feed's batches (default ${DEMO_DEFAULTS.intervalSeconds})`),
  ).action(action(async (opts: UpOptions) => up(opts)));
}

async function up(opts: UpOptions): Promise<ExitCode> {
  const codes = listArgument(opts.parties, '--parties');
  const bad = codes.find((c) => !isPartyCode(c));
  if (bad) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--parties: ${bad} is not a party code`);
  if (new Set(codes).size !== codes.length) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--parties names a party twice');
  const basePort = Number(opts.basePort);
  if (!Number.isInteger(basePort) || basePort < 1 || basePort + codes.length > 65535) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--base-port must be a port number');
  const root = resolve(opts.dir);
  const demo = opts.demoFeed === undefined ? undefined : demoSettings({ parties: opts.demoFeed, minutes: opts.demoMinutes, lead: opts.demoLead, interval: opts.demoInterval }, '--demo-feed', codes);

  // 1. Folders: reuse what exists (its ledger, key and tokens), make what is missing.
  const members: Member[] = [];
  for (const [i, code] of codes.entries()) {
    const dir = join(root, code);
    const running = readRunInfo(dir);
    if (running) throw new ParleyError('PARLEY_ERR_NODE_DIR', `the node of ${code} in ${dir} already runs (pid ${running.pid}); stop it first`);
    const folder = isNodeFolder(dir) ? loadNode(dir) : await initNode(dir, { party: code, url: `http://127.0.0.1:${basePort + i}`, name: code });
    if (folder.config.party !== code) throw new ParleyError('PARLEY_ERR_NODE_DIR', `${dir} holds the node of ${folder.config.party}, not ${code}`);
    const port = Number(new URL(folder.config.url).port) || basePort + i;
    members.push({ folder, port, log: join(dir, 'node.log'), url: `http://127.0.0.1:${port}` });
  }

  // 2. Introductions: every node pins every other's descriptor (idempotent on a second run).
  await introduce(members.map((m) => m.folder));

  // 2b. History first, on its own dates, while no node runs: the scenario's steps, once.
  let moment: string | undefined;
  if (opts.scenario) {
    const report = await playScenario(opts.scenario, root, { folders: new Map(members.map((m) => [m.folder.config.party, m.folder])) });
    moment = report.moment;
    if (!opts.json) process.stderr.write(report.outcome === 'reused' ? `scenario "${report.title}" already played in ${root}; reusing it\n` : `played scenario "${report.title}": ${report.steps.length} steps\n`);
  }

  // 3. One child process per node, logs to <dir>/<CODE>/node.log.
  const main = cliMain();
  const stopAll = async () => {
    await Promise.all(members.map((m) => stopChild(m.child)));
  };
  let stopping = false;
  for (const m of members) {
    const fd = openSync(m.log, 'a');
    m.child = spawn(process.execPath, [main, 'start', '--dir', m.folder.dir, '--port', String(m.port)], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    m.child.on('exit', (code, signal) => {
      if (!stopping) process.stderr.write(`the node of ${m.folder.config.party} stopped (${signal ?? `exit ${code}`}); see ${m.log}\n`);
    });
  }
  try {
    await Promise.all(members.map((m) => ready(m)));
  } catch (e) {
    stopping = true;
    await stopAll();
    throw e;
  }

  const nodes = members.map((m) => ({ party: m.folder.config.party, url: m.url, console: consoleLink(m.url, m.folder.tokens.officer, moment), pid: m.child!.pid, officerToken: m.folder.tokens.officer, dir: m.folder.dir, log: m.log }));
  print(opts.json, { nodes, ...(moment ? { moment } : {}) }, () =>
    [
      `Parley network of ${nodes.length} parties in ${root} (Ctrl-C stops them all):`,
      ...(moment ? [`  consoles open at the scenario's moment, ${moment} ("Back to live" for the live clock)`] : []),
      ...nodes.map((n) => `  ${n.party.padEnd(6)} console ${n.console}\n         (opens signed in; or sign in at ${n.url}/console/ with the officer token ${n.officerToken})  log ${n.log}`),
    ].join('\n'),
  );

  // 4. The demonstration feed, if asked, until it ends or the network stops.
  const feedStop = new AbortController();
  const feed = demo
    ? runDemoFeed(feedNodes(demo, (party) => join(root, party)), demo, (line) => process.stderr.write(`${line}\n`), feedStop.signal).then(
        () => undefined,
        (e: unknown) => void process.stderr.write(`${DEMO_LABEL} stopped: ${e instanceof Error ? e.message : String(e)}\n`),
      )
    : undefined;

  const signal = await new Promise<NodeJS.Signals>((res) => {
    process.once('SIGINT', res);
    process.once('SIGTERM', res);
    // When every node has gone on its own, there is nothing left to wait for.
    let left = members.length;
    for (const m of members) m.child!.once('exit', () => --left === 0 && res('SIGTERM'));
  });
  stopping = true;
  if (!opts.json) process.stderr.write(`${signal}: stopping ${members.length} nodes…\n`);
  feedStop.abort();
  await feed;
  await stopAll();
  return EXIT.ok;
}

/** The built CLI entry (dist/src/cli/main.js), which the child processes run. */
/**
 * The sign-in link of a node's console; with a scenario's moment, the console opens there (`?at=`),
 * its "Back to live" one click away.
 */
export function consoleLink(url: string, token: string, moment?: string): string {
  return `${url}/console/${moment ? `?at=${encodeURIComponent(moment)}` : ''}#token=${token}`;
}

function cliMain(): string {
  const main = fileURLToPath(new URL('../main.js', import.meta.url));
  if (!existsSync(main)) throw new ParleyError('PARLEY_ERR_INTERNAL', `${main} is missing; run 'npm run build' first`);
  return main;
}

async function ready(m: Member): Promise<void> {
  const until = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < until) {
    if (m.child!.exitCode !== null || m.child!.signalCode !== null) {
      throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `the node of ${m.folder.config.party} did not start (see ${m.log})`);
    }
    const run = readRunInfo(m.folder.dir);
    if (run && run.pid === m.child!.pid) {
      try {
        const res = await fetch(`${run.url}/api/v1/openapi.json`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) {
          m.url = run.url;
          return;
        }
      } catch {
        // not listening yet
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `the node of ${m.folder.config.party} did not answer within ${READY_TIMEOUT_MS / 1000} s (see ${m.log})`);
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
