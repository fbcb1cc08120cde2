/** Test fixtures for the hotline: a local webhook receiver and an event-stream recorder. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { followEvents, type StreamEvent } from '../../src/regimes/hotline/live/event-stream.js';
import type { HotlineAlarm, HotlineRuntime } from '../../src/regimes/hotline/live/runtime.js';
import type { HotlineService } from '../../src/regimes/hotline/live/service.js';
import type { HotlineTerms } from '../../src/regimes/hotline/rules.js';
import type { RunningNode } from '../../src/server/node.js';
import { waitFor } from '../federation/support.js';

export interface WebhookReceiver {
  url: string;
  bodies: { type: string; node: string; alarm: HotlineAlarm }[];
  headers: IncomingHttpHeaders[];
  /** The x-parley-delivery id of every request, failed ones too. */
  attempts: string[];
  /** Answer the next `n` requests with this status instead of 204. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (a port the system picks) that records every POSTed JSON body. */
export async function webhookReceiver(): Promise<WebhookReceiver> {
  const bodies: WebhookReceiver['bodies'] = [];
  const headers: IncomingHttpHeaders[] = [];
  const attempts: string[] = [];
  let failing = 0;
  let failStatus = 503;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      attempts.push(String(req.headers['x-parley-delivery']));
      if (failing > 0) {
        failing--;
        res.writeHead(failStatus).end();
        return;
      }
      headers.push(req.headers);
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/pager`,
    bodies,
    headers,
    attempts,
    failNext(n, status = 503) {
      failing = n;
      failStatus = status;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface EventRecorder {
  events: StreamEvent[];
  alarms(): HotlineAlarm[];
  opened: Promise<void>;
  stop(): void;
}

/** Follows a node's event stream and keeps every event. */
export function recordEvents(url: string, token: string): EventRecorder {
  const events: StreamEvent[] = [];
  const ac = new AbortController();
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  void followEvents(`${url}/api/v1/events`, token, (e) => events.push(e), { signal: ac.signal, retryMs: 200, onState: (o) => o && open() }).catch(() => {});
  return {
    events,
    alarms: () => events.filter((e) => e.event === 'alarm').map((e) => JSON.parse(e.data) as HotlineAlarm),
    opened,
    stop: () => ac.abort(),
  };
}

export const flash = (subject: string) => ({ priority: 'flash', subject, text: 'Please confirm the intentions of the formation at grid 51N 35E.', language: 'en' });

/** The hotline runtime of a running node (its `hotline` live service). */
export function hotlineOf(node: RunningNode): HotlineRuntime {
  return (node.services.get('hotline') as HotlineService).runtime;
}

/**
 * Adopts hotline `terms` between the parties of `nodes` in the record: the first proposes (to
 * "*"), the others endorse; resolves once every node holds the proposal and every endorsement.
 */
export async function adoptHotlineTerms(nodes: RunningNode[], terms: HotlineTerms, effective = '2000-01-01T00:00:00.000Z'): Promise<string[]> {
  const agreed = { parties: nodes.map((n) => n.party), terms: { hotline: terms }, effective };
  const proposal = await nodes[0].ledger.append({ type: 'agreement.proposal', to: ['*'], refs: [], body: { title: 'Hotline terms', ...agreed } });
  await waitFor('the proposal everywhere', async () => (await Promise.all(nodes.map((n) => n.ledger.get(proposal.id)))).every((e) => e?.body !== undefined));
  const ids = [proposal.id];
  for (const n of nodes.slice(1)) ids.push((await n.ledger.append({ type: 'agreement.endorsement', to: ['*'], refs: [proposal.id], body: { proposal: proposal.id, ...agreed } })).id);
  await waitFor('the endorsements everywhere', async () => (await Promise.all(nodes.flatMap((n) => ids.map((id) => n.ledger.get(id))))).every((e) => e?.body !== undefined));
  return ids;
}
