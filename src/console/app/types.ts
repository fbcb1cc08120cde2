/**
 * What the operator API returns, as the console reads it. The server's own types live in
 * src/server and src/regimes; the console is a separate bundle and states only what it uses.
 */

/** An entry as the node holds it: `type`, `to`, `refs`, `body` are absent when only the stub is held. */
export interface Entry {
  id: string;
  author: string;
  seq: number;
  time: string;
  type?: string;
  to?: string[];
  refs?: string[];
  body?: Record<string, unknown>;
  /** The node's storage position, used as the paging cursor. */
  pos?: number;
}

export interface EntryList {
  entries: Entry[];
  next?: number;
}

export interface Party {
  party: string;
  name?: string;
  url?: string;
  publicKey?: string;
}

export type Link = 'up' | 'degraded' | 'down' | 'unknown';

export interface PeerStatus {
  party: string;
  delivered?: number;
  received?: number;
  backlog?: number;
  link?: Link | string;
  lastContact?: string | null;
  rtt?: number | null;
  rttMs?: number | null;
}

export interface Alarm {
  id?: string;
  kind?: string;
  code?: string;
  severity?: string;
  party?: string;
  peer?: string;
  message?: string;
  since?: string;
  at?: string;
  entry?: string;
  author?: string;
  seq?: number;
  [k: string]: unknown;
}

/** The hotline's view of a peer: health from receipts and link tests, the last round trip. */
export interface LinkHealth {
  party: string;
  health: Link;
  link?: string;
  rttMs: number | null;
  awaitingReceipt?: number;
  lastLinkTest?: string | null;
  reasons?: string[];
}

export interface Status {
  party: string;
  name?: string;
  seq?: number;
  role?: string;
  peers?: PeerStatus[];
  alerts?: Alarm[];
  alarms?: Alarm[];
  linkHealth?: LinkHealth[];
  [k: string]: unknown;
}

export type ObligationStatus = 'open' | 'met' | 'met-late' | 'missed';

export interface Obligation {
  id: string;
  rule: string;
  citation: string;
  debtor: string;
  creditors: string[];
  what: string;
  due: string;
  status: ObligationStatus;
  metBy?: string;
  evidence: string[];
}

export type Severity = 'violation' | 'warning' | 'info';

export interface Finding {
  id: string;
  rule: string;
  citation: string;
  severity: Severity;
  parties: string[];
  explanation: string;
  evidence: string[];
  at: string;
}

export interface HotlineView {
  party: string;
  now: string;
  agreement: { ackSeconds?: Partial<Record<'flash' | 'immediate' | 'routine', number>> };
  messages: {
    id: string;
    direction: 'in' | 'out';
    priority: string;
    addressees: { party: string; status: ObligationStatus | null; due: string | null; received: boolean | null; receivedAt: string | null }[];
  }[];
}
