/**
 * A running node — the composition root: the one file that knows every concrete piece and wires
 * them, in this order: config (the node folder) → store (its dialect) → catalogue (the regime
 * registry's types) → ledger → federation → regime monitor → the regimes' live services → the
 * HTTP server with its route plugins. Everything else takes what it needs as parameters.
 *
 * @example
 *   const node = await startNode({ dir: '.parley/usa', port: 7301 });
 *   // … later, on SIGTERM:
 *   await node.close(); // stops taking work, finishes the commit in progress, closes the store
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { ParleyError } from '../protocol/errors.js';
import { loadNode, openNodeStore, tokensPath, type NodeFolder } from '../node/folder.js';
import { Credentials } from '../http/tokens.js';
import { Ledger, type Clock, type LedgerEntry } from '../ledger/ledger.js';
import { isPostgresLocation } from '../ledger/postgres.js';
import { Federation, type FederationOptions } from '../federation/federation.js';
import { createApp, registerRoutes } from './app.js';
import type { AppContext } from './context.js';
import { EventHub } from './events.js';
import { OrderedEntryFeed } from './entry-feed.js';
import { entryView, operatorRoutes } from './operator-routes.js';
import { federationRoutes } from './federation-routes.js';
import { consoleRoutes } from './console.js';
import { removeRunInfo, writeRunInfo } from './runfile.js';
import { acquireFolderLock } from '../node/lock.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './limits.js';
import { resilientStdout } from './log-stream.js';
import { RegimeMonitor } from '../regimes/monitor.js';
import { defaultRegistry, type Registry } from '../regimes/registry.js';
import type { LiveService } from '../regimes/module.js';

/** How long requests in progress may take to finish when the node stops. */
const CLOSE_GRACE_MS = 3000;
/** How long a starting node waits for a CLI command that holds its folder. */
const LOCK_WAIT_MS = 5000;

export interface StartOptions {
  dir: string;
  /** Port to listen on; default: the port of the node's URL in its config; 0 picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Fastify's logger option (pino); default JSON at PARLEY_LOG_LEVEL or info on stdout. */
  logger?: FastifyServerOptions['logger'];
  clock?: Clock;
  /** Worker threads that sign appends (0: in the main thread; `parley start` uses the spare cores). */
  signingWorkers?: number;
  federation?: Pick<FederationOptions, 'timings' | 'requestTimeoutMs' | 'maxBatch' | 'random' | 'clock'>;
  /** Write run.json for the CLI (default true). */
  runFile?: boolean;
  /** The regimes this node validates, evaluates, serves and runs (default: this Parley version's, src/regimes/registry.ts). */
  registry?: Registry;
  /** The APIs' rate limits, over DEFAULT_RATE_LIMITS (src/server/limits.ts). */
  rateLimits?: Partial<RateLimits>;
  /** Per regime module id, settings of its live service over config.json's object of that name, e.g. `{ hotline: { linkTests: false } }`. */
  settings?: Record<string, unknown>;
}

export interface RunningNode {
  party: string;
  dir: string;
  folder: NodeFolder;
  url: string;
  port: number;
  app: FastifyInstance;
  ledger: Ledger;
  federation: Federation;
  events: EventHub;
  /** The regimes' obligations and findings over the ledger, and the terms in force. */
  regimes: RegimeMonitor;
  /** The live services of the regime modules that have one, by module id (`hotline`). */
  services: ReadonlyMap<string, LiveService>;
  /** Stops taking work, lets requests in progress and the commit in progress finish, closes the store. */
  close(): Promise<void>;
}

export async function startNode(options: StartOptions): Promise<RunningNode> {
  const folder = loadNode(options.dir);
  // Several processes may serve one node whose store is a PostgreSQL database: they coordinate
  // through it (the compare-and-set on heads, one process per peer link), so its folder is not locked.
  if (isPostgresLocation(folder.config.store ?? '')) return startLocked(folder, options, () => {});
  // The folder is this node's from before its head is read until its store is closed: a CLI
  // command finishing its write is waited for; another node, or a command that stays, refuses the start.
  const lock = await acquireFolderLock(folder.dir, 'node', LOCK_WAIT_MS);
  try {
    return await startLocked(folder, options, () => lock.release());
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startLocked(folder: NodeFolder, options: StartOptions, unlock: () => void): Promise<RunningNode> {
  const party = folder.config.party;
  const port = options.port ?? (Number(new URL(folder.config.url).port) || 80);
  const host = options.host ?? '127.0.0.1';
  const registry = options.registry ?? defaultRegistry();
  // The catalogue's checks read what the ledger holds (an endorsement must restate the proposal it names) through the regime monitor.
  let regimes: RegimeMonitor | undefined;
  const catalogue = registry.catalogue.withRecord({ held: (id) => regimes?.held(id) });
  const store = openNodeStore(folder);
  let ledger: Ledger;
  try {
    ledger = await Ledger.open({ store, party, key: folder.key, catalogue, clock: options.clock, signingWorkers: options.signingWorkers ?? 0 });
  } catch (err) {
    await store.close();
    throw err;
  }
  let lastPosition = 0;
  try {
    lastPosition = (await ledger.shared?.lastPosition()) ?? 0;
  } catch (err) {
    await ledger.close();
    throw err;
  }
  let closing = false;
  const app = createApp({
    logger: options.logger ?? { level: process.env.PARLEY_LOG_LEVEL ?? 'info', base: { party, pid: process.pid }, stream: resilientStdout() },
  });
  const urgent = registry.modules.flatMap((m) => (m.urgent ? [m.urgent] : []));
  const endsBatch = (e: LedgerEntry, peer: string) => urgent.some((u) => u(e, peer));
  let listening: string | undefined;
  const selfUrls = () => (listening ? [listening, folder.config.url] : [folder.config.url]);
  // Several processes sharing a PostgreSQL store keep the nonces in it, not in the folder.
  const nonceFile = ledger.shared ? undefined : join(folder.dir, 'nonces');
  const federation = new Federation({ ledger, key: folder.key, log: app.log.child({ component: 'federation' }), endsBatch, selfUrls, nonceFile, ...options.federation });
  const events = new EventHub();
  const monitor = (regimes = await RegimeMonitor.open(ledger, registry));
  const services = new Map<string, LiveService>();
  try {
    for (const m of registry.modules) {
      if (!m.service) continue;
      const deps = { ledger, federation, monitor, config: folder.config[m.id], overrides: options.settings?.[m.id], log: app.log.child({ component: m.id }), publish: (event: string, data: unknown) => events.publish(event, data) };
      services.set(m.id, await m.service(deps));
    }
  } catch (err) {
    monitor.close();
    await ledger.close();
    throw err;
  }
  const unwatchRegimes = monitor.onChange((changes) => events.publish('regimes', changes));
  const ctx: AppContext = { party, ledger, federation, events, regimes: monitor, services: [...services.values()], credentials: new Credentials({ file: tokensPath(folder.dir), publicKey: folder.key.publicKey }), version: packageVersion(), closing: () => closing, rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits } };
  registerRoutes(app, ctx, [federationRoutes, operatorRoutes, (scope) => consoleRoutes(scope)]);

  const publishEntry = (e: LedgerEntry) => events.publish('entry', entryView(e), String(e.pos ?? ''));
  // Several processes on one store: the stream in the store's position order, so a client resumes at any of them.
  const feed = ledger.shared ? new OrderedEntryFeed({ read: (after, limit) => ledger.since(after, limit), publish: publishEntry, listening: () => events.size > 0, start: lastPosition }) : undefined;
  const unsubscribe = ledger.onCommit((entries: LedgerEntry[]) => {
    if (feed) return feed.committed(entries);
    if (events.size === 0) return;
    for (const e of entries) publishEntry(e);
  });
  const unfollow = federation.on((e) => events.publish(e.kind, e.kind === 'alert' ? e.alert : e));
  app.addHook('preClose', async () => events.closeAll());
  const active = new Set<FastifyRequest>();
  app.addHook('onRequest', async (request) => void active.add(request));
  app.addHook('onResponse', async (request) => void active.delete(request));
  app.addHook('onRequestAbort', async (request) => void active.delete(request));

  try {
    await app.listen({ port, host });
  } catch (err) {
    unwatchRegimes();
    monitor.close();
    await ledger.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `cannot listen on ${host}:${port}: ${code ?? (err as Error).message}${code === 'EADDRINUSE' ? ' (another process uses the port; pick another with --port)' : ''}`, undefined, { cause: err });
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  listening = url;
  await federation.start();
  for (const s of services.values()) await s.start();
  if (options.runFile !== false) writeRunInfo(folder.dir, { pid: process.pid, party, url, port: actualPort, startedAt: new Date().toISOString() });

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      closing = true;
      for (const s of services.values()) await s.stop();
      await federation.stop();
      unfollow();
      unsubscribe();
      unwatchRegimes();
      monitor.close();
      // Requests in progress get up to CLOSE_GRACE_MS to finish; then every connection is cut —
      // peers' keep-alive connections would otherwise hold the server open (they retry later).
      const stopped = app.close();
      const until = Date.now() + CLOSE_GRACE_MS;
      while (active.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      app.server.closeAllConnections();
      try {
        await stopped;
      } finally {
        try {
          await ledger.close();
          if (options.runFile !== false) removeRunInfo(folder.dir, process.pid);
        } finally {
          unlock();
        }
      }
    })());

  return { party, dir: folder.dir, folder, url, port: actualPort, app, ledger, federation, events, regimes: monitor, services, close };
}

let version: string | undefined;
function packageVersion(): string {
  if (version) return version;
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'parley' && pkg.version) return (version = pkg.version);
    } catch {
      // try the next place (src/ under a test runner, dist/src/ when built)
    }
  }
  return (version = '0.0.0');
}
