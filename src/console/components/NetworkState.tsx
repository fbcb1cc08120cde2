/**
 * The network at a glance, beside "Live" (which is this console's own connection to its node):
 * how many of this node's links are up, by the hotline's health when the node reports it, else by
 * the transport's link state. A link down turns it red; the dashboard lists each link.
 */
import { usePicture } from '../app/record';

export function NetworkState() {
  const p = usePicture();
  const peers = p.status?.peers ?? [];
  if (peers.length === 0) return null;
  const state = (party: string, link: string) => p.status?.linkHealth?.find((h) => h.party === party)?.health ?? link;
  const states = peers.map((x) => state(x.party, x.link));
  const up = states.filter((s) => s === 'up').length;
  const down = states.filter((s) => s === 'down').length;
  return (
    <span className={`network${down > 0 ? ' down' : ''}`} role="status" data-testid="network" title="This node's links to its peers (the dashboard lists each)">
      Links {up}/{peers.length} up{down > 0 ? `, ${down} down` : ''}
    </span>
  );
}
