/** `parley status`: delivery status — own seq, every peer's link, backlog and receipts, alerts. */
import type { Command } from 'commander';
import { offlineStatus, type NodeStatus } from '../../federation/federation.js';
import type { PeerHealth } from '../../wire/types.js';
import { runningNode } from '../../server/operator-client.js';
import { action } from '../boundary.js';
import { print, withCommon, withLedger, type DirOption } from '../io.js';

export function registerStatus(program: Command): void {
  withCommon(
    program
      .command('status')
      .description('own seq, and per peer: link (up/down/unknown), delivered (highest own seq it receipted), received (highest seq of its log held here), backlog, last contact, and while running the hotline\'s link health (up/degraded/down) and last round trip; alerts, hotline alarms among them'),
  ).action(
    action(async (opts: DirOption) => {
      const client = runningNode(opts.dir, 'analyst');
      const status: Status = client ? await client.get<Status>('/api/v1/status') : await withLedger(opts.dir, (ledger) => offlineStatus(ledger));
      print(opts.json, status, () => human(status, client?.run.url));
    }),
  );
}

/** A running node adds the hotline's link health per peer (src/regimes/hotline/live/runtime.ts). */
type Status = NodeStatus & { linkHealth?: PeerHealth[] };

function human(s: Status, url: string | undefined): string {
  const lines = [`${s.party} at seq ${s.seq} — ${url ? `running at ${url}` : 'not running (links unknown)'}`];
  if (s.peers.length === 0) lines.push('no peers in the roster');
  else {
    const health = (p: string) => s.linkHealth?.find((h) => h.party === p);
    const rows = [
      ['peer', 'link', 'delivered', 'received', 'backlog', 'last contact', ...(s.linkHealth ? ['health', 'rtt'] : [])],
      ...s.peers.map((p) => [
        p.party, p.link, String(p.delivered), String(p.received), String(p.backlog), p.lastContact ?? '—',
        ...(s.linkHealth ? [health(p.party)?.health ?? 'unknown', health(p.party)?.rttMs != null ? `${health(p.party)!.rttMs} ms` : '—'] : []),
      ]),
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) lines.push('  ' + r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  }
  if (s.alerts.length) {
    lines.push(`alerts (${s.alerts.length}):`);
    for (const a of s.alerts) lines.push(`  ${a.kind}: ${a.message}`);
  }
  return lines.join('\n');
}
