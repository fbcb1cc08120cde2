/**
 * The demonstration feed of shared tracks: two synthetic aircraft of two parties (flight plan in
 * src/regimes/incidents/demo.ts), each party's fixes sent at real time as signed `incidents.tracks`
 * entries through its own running node (POST /api/v1/entries with the officer token), addressed to
 * the other — the same path as any feed. The nodes' encounter watch does the rest: each pass is
 * predicted `lead` ahead, the `incidents.encounter` alarm rings on both nodes' consoles and clears
 * after the pass; in the record, each pass is an INC.encounter finding.
 *
 * Every line it prints says it is a demonstration; its units are named DEMO-<PARTY>. It is
 * bounded: it ends after its last pass (at most 240 minutes; an entry of a few hundred bytes per
 * party per interval of at least 1 s — 240 entries for the default 20 minutes at 10 s, 28,800 at
 * most; nothing kept in memory but the plan and the alarms it saw), and stops at once when aborted.
 * Run by `parley network up --demo-feed A,B` and `parley tracks demo`.
 */
import { ParleyError } from '../../protocol/errors.js';
import { demoEnd, demoFix, demoPasses, demoUnit, DEMO_PASS_METRES, type DemoPlan } from '../../regimes/incidents/demo.js';
import { encodeTracks } from '../../regimes/incidents/index.js';
import { runningNode } from '../../server/operator-client.js';

/** A running node as the feed uses it (an OperatorClient with the officer token). */
export interface FeedNode {
  party: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

export interface DemoFeedSettings {
  parties: [string, string];
  minutes: number;
  leadSeconds: number;
  intervalSeconds: number;
}

export const DEMO_DEFAULTS = { minutes: 20, leadSeconds: 120, intervalSeconds: 10 } as const;
export const DEMO_LABEL = '[demonstration feed]';

const bad = (message: string) => new ParleyError('PARLEY_ERR_BAD_ARGUMENT', message);

/** The two parties' running nodes under a network folder, as the feed uses them. */
export function feedNodes(s: DemoFeedSettings, dirOf: (party: string) => string): [FeedNode, FeedNode] {
  const [a, b] = s.parties.map((party): FeedNode => {
    const client = runningNode(dirOf(party), 'officer');
    if (!client) throw new ParleyError('PARLEY_ERR_UNAVAILABLE', `no node of ${party} runs in ${dirOf(party)}; start the network first (npm start, or parley network up)`);
    return { party, get: (path) => client.get(path), post: (path, body) => client.post(path, body) };
  });
  return [a, b];
}

function number(v: string | undefined, name: string, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  const x = Number(v);
  if (!(Number.isFinite(x) && x >= min && x <= max)) throw bad(`${name} must be a number from ${min} to ${max}`);
  return x;
}

/** The feed's settings from command-line strings, checked against the parties of the network (`known`, when given). */
export function demoSettings(o: { parties: string; minutes?: string; lead?: string; interval?: string }, flag: string, known?: readonly string[]): DemoFeedSettings {
  const parties = o.parties.split(',').map((p) => p.trim());
  if (parties.length !== 2 || parties[0] === parties[1]) throw bad(`${flag} names two different parties, e.g. USA,RUS`);
  const missing = known && parties.find((p) => !known.includes(p));
  if (missing) throw bad(`${flag}: ${missing} is not one of the network's parties (${known!.join(', ')})`);
  const leadSeconds = number(o.lead, 'the lead', DEMO_DEFAULTS.leadSeconds, 2, 540);
  const intervalSeconds = number(o.interval, 'the interval', DEMO_DEFAULTS.intervalSeconds, 1, 60);
  if (intervalSeconds > leadSeconds / 2) throw bad(`the interval (${intervalSeconds} s) must be at most half the lead (${leadSeconds} s), so that each pass is seen coming`);
  return { parties: [parties[0], parties[1]], minutes: number(o.minutes, 'the minutes', DEMO_DEFAULTS.minutes, 0.1, 240), leadSeconds, intervalSeconds };
}

export interface DemoFeedReport {
  entries: number;
  fixes: number;
  passes: number;
  /** Alarm changes seen through each node's API, as `PARTY raised|cleared`. */
  seen: string[];
}

interface LiveAlarm {
  id: string;
  a: { unit: string };
  b: { unit: string };
  tcpaSeconds: number;
  dcpaMetres: number;
}

const clock = (t: number) => new Date(t).toISOString().slice(11, 19);

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Runs the feed through `nodes` (the two parties', in the settings' order) until its last pass has
 * cleared or `signal` aborts; `say` prints a line. Rejects if a node refuses an entry or stops.
 */
export async function runDemoFeed(nodes: readonly [FeedNode, FeedNode], s: DemoFeedSettings, say: (line: string) => void, signal: AbortSignal): Promise<DemoFeedReport> {
  const leadMs = Math.round(s.leadSeconds * 1000);
  const intervalMs = Math.round(s.intervalSeconds * 1000);
  const fixMs = Math.min(intervalMs, 2000);
  const plan: DemoPlan = { parties: s.parties, t0: Math.ceil(Date.now() / 1000) * 1000, leadMs, passes: Math.max(1, Math.floor((s.minutes * 60_000) / (2 * leadMs))) };
  const end = demoEnd(plan);
  const units = new Set(s.parties.map(demoUnit));
  const [a, b] = s.parties;
  say(
    `${DEMO_LABEL} synthetic aircraft ${demoUnit(a)} and ${demoUnit(b)} (not real units) over the Black Sea: ${a}'s and ${b}'s fixes sent through their nodes as signed incidents.tracks entries every ${s.intervalSeconds} s, ` +
      `${plan.passes} pass${plan.passes === 1 ? '' : 'es'} ${DEMO_PASS_METRES} m apart, each predicted ${s.leadSeconds} s ahead (first at ${clock(demoPasses(plan)[0])} UTC); ` +
      `watch the encounter alarm on the Incidents page of both consoles. Ends at ${clock(end)} UTC; Ctrl-C stops it sooner.`,
  );
  const report: DemoFeedReport = { entries: 0, fixes: 0, passes: 0, seen: [] };
  const raised = new Map<string, Set<string>>(s.parties.map((p) => [p, new Set()]));
  /** What each node's watch says now, through its API: the DEMO alarms raised and cleared since the last look. */
  const observe = () =>
    Promise.all(
      nodes.map(async (node) => {
        const live = await node.get<{ alarms: LiveAlarm[] }>('/api/v1/encounters/live');
        const now = new Set<string>();
        for (const x of live.alarms) {
          if (!units.has(x.a.unit) || !units.has(x.b.unit)) continue;
          now.add(x.id);
          if (raised.get(node.party)!.has(x.id)) continue;
          report.seen.push(`${node.party} raised`);
          say(`${DEMO_LABEL} ${node.party}'s node raised the encounter alarm: ${x.id}, predicted ${Math.round(x.dcpaMetres)} m apart in ${Math.round(x.tcpaSeconds)} s`);
        }
        for (const id of raised.get(node.party)!) {
          if (now.has(id)) continue;
          report.seen.push(`${node.party} cleared`);
          say(`${DEMO_LABEL} ${node.party}'s node cleared the encounter alarm: ${id} (the aircraft have passed and separated)`);
        }
        raised.set(node.party, now);
      }),
    );
  let sent = -Infinity;
  for (let tick = plan.t0; !signal.aborted; tick += intervalMs) {
    await sleep(tick - Date.now(), signal);
    if (signal.aborted) break;
    const upto = Math.min(tick, end);
    const times: number[] = [];
    for (let t = plan.t0 + Math.max(0, Math.floor((sent - plan.t0) / fixMs) + 1) * fixMs; t <= upto; t += fixMs) if (t > sent) times.push(t);
    if (upto === end && times[times.length - 1] !== end) times.push(end);
    if (times.length) {
      await Promise.all(
        nodes.map((node, i) => {
          const rows = times.map((t) => demoFix(plan, i as 0 | 1, t));
          const body = encodeTracks(times[0], times[times.length - 1], [
            { unit: rows[0].unit, kind: 'aircraft', name: 'synthetic aircraft of the demonstration feed, not a real unit', t: times, lat: rows.map((r) => r.lat), lon: rows.map((r) => r.lon), alt: rows.map((r) => r.alt!), speed: rows.map((r) => r.speed!), course: rows.map((r) => r.course!), vrate: rows.map((r) => r.vrate!) },
          ]);
          return node.post('/api/v1/entries', { type: 'incidents.tracks', to: [s.parties[1 - i]], refs: [], body });
        }),
      );
      sent = times[times.length - 1];
      report.entries += 2;
      report.fixes += 2 * times.length;
      report.passes = demoPasses(plan).filter((t) => t <= sent).length;
    }
    await observe();
    if (upto >= end) break;
  }
  // The last pass's alarm clears as the last batches reach both nodes: wait a little for it.
  for (const until = Date.now() + Math.max(5000, 2 * intervalMs); !signal.aborted && [...raised.values()].some((r) => r.size > 0) && Date.now() < until; ) {
    await sleep(250, signal);
    await observe();
  }
  say(`${DEMO_LABEL} ${signal.aborted ? 'stopped' : 'ended'}: ${report.entries} entries, ${report.fixes} fixes, ${report.passes} pass${report.passes === 1 ? '' : 'es'}; the passes stay in the record as INC.encounter findings of the DEMO units`);
  if ([...raised.values()].some((r) => r.size > 0)) say(`${DEMO_LABEL} an alarm still raised clears once the nodes have heard nothing of the DEMO units for their stale time (incidents.staleSeconds, 300 s by default)`);
  return report;
}
