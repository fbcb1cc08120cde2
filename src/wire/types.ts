/**
 * What the operator API (/api/v1) returns, as types the server and the console share. Type-only:
 * the console imports this file with `import type`, so its bundle holds nothing of the server, and
 * its compiler checks these types without Node's. Where the server's own type lives in a file free
 * of Node (the regimes' vocabulary), it is taken from there; the others are stated here and the
 * server's are checked against them at compile time (src/server/wire-check.ts), so the two cannot
 * part silently.
 */
import type { Finding, Obligation, ObligationStatus, Severity } from '../regimes/types.js';
import type { Priority } from '../regimes/hotline/rules.js';

export type { Finding, Obligation, ObligationStatus, Severity, Priority };

/** An entry as the node holds it: `type`, `to`, `refs`, `body` are absent when only the stub is held. */
export interface EntryView {
  id: string;
  author: string;
  seq: number;
  /** The header time (RFC 3339 UTC, milliseconds, `Z`): when the author said it. */
  time: string;
  type?: string;
  to?: string[];
  refs?: string[];
  body?: Record<string, unknown>;
  /** The envelope as stored (base64url): with content where held, a stub otherwise. */
  envelope: { header: string; sig: string; content?: string };
  /** The node's storage position, the paging cursor of `GET /api/v1/entries`. */
  pos?: number;
}

/** `GET /api/v1/entries`: one page, and the cursor to ask for the next. */
export interface EntryList {
  entries: EntryView[];
  next: number;
}

/** `GET /api/v1/roster`: one party of the network. */
export interface Party {
  party: string;
  name: string;
  url: string;
  publicKey: string;
}

/** The transport's view of a link: does the peer answer pushes. */
export type LinkState = 'unknown' | 'up' | 'down';

export interface PeerStatus {
  party: string;
  /** Highest own seq this peer has receipted. */
  delivered: number;
  /** Highest seq of this peer's own log held here. */
  received: number;
  /** Own entries the peer has not yet acknowledged holding. */
  backlog: number;
  link: LinkState;
  lastContact: string | null;
}

/** An alert of the federation: a peer's equivocation, or a peer refusing this node's pushes. */
export type FederationAlert =
  | { kind: 'equivocation'; author: string; seq: number; heldId: string; otherId: string; source: string; seenAt: string; message: string }
  | { kind: 'refused'; party: string; code: string; message: string; since: string };

/** An alarm of a regime's live service: the fields every service alarm has. */
export interface ServiceAlarm {
  id: string;
  kind: string;
  state: 'raised' | 'cleared';
  severity: 'critical' | 'warning';
  party: string;
  message: string;
  since: string;
  at: string;
}

/** A hotline alarm: no machine receipt from a peer in time, or an acknowledgement overdue. */
export interface HotlineAlarm extends ServiceAlarm {
  kind: 'hotline.link' | 'hotline.escalation';
  entry?: string;
  priority?: Priority;
  due?: string;
}

export type Alarm = FederationAlert | HotlineAlarm | ServiceAlarm;

/** The hotline's view of a peer: health from receipts and link tests, the last round trip. */
export interface PeerHealth {
  party: string;
  health: 'up' | 'degraded' | 'down' | 'unknown';
  link: LinkState;
  rttMs: number | null;
  rttAt: string | null;
  awaitingReceipt: number;
  oldestAwaitingSince: string | null;
  lastLinkTest: string | null;
  reasons: string[];
}

/** `GET /api/v1/status`: `linkHealth` and the hotline's alarms among `alerts` when the node runs the hotline. */
export interface Status {
  party: string;
  seq: number;
  peers: PeerStatus[];
  alerts: Alarm[];
  linkHealth?: PeerHealth[];
}

/** `GET /api/v1/hotline`: the picture the console and `parley hotline watch` draw. */
export interface HotlineView {
  party: string;
  now: string;
  /** The terms in force (the network's agreement, else the regime's defaults). */
  agreement: { ackSeconds: Record<Priority, number>; linkTestIntervalSeconds: number; missedLinkTestIntervals: number; receiptAlarmSeconds: number };
  peers: PeerHealth[];
  alarms: HotlineAlarm[];
  /** Newest first. */
  messages: {
    id: string;
    author: string;
    seq: number;
    time: string;
    direction: 'in' | 'out';
    to: string[];
    priority: Priority;
    subject: string;
    text: string;
    language: string;
    translation?: { language: string; text: string };
    addressees: {
      party: string;
      /** The acknowledgement obligation (null for a message to "*", which owes none). */
      status: ObligationStatus | null;
      due: string | null;
      ack: { id: string; time: string } | null;
      received: boolean | null;
      receivedAt: string | null;
    }[];
  }[];
}

/** The regime versions an answer was computed with: findings are a pure function of them and the entries. */
export type RegimeVersions = { id: string; version: string }[];

/** `GET /api/v1/obligations`. */
export interface ObligationList {
  at: string;
  regimes: RegimeVersions;
  obligations: Obligation[];
}

/** `GET /api/v1/findings`. */
export interface FindingList {
  at: string;
  regimes: RegimeVersions;
  findings: Finding[];
}

/** `GET /api/v1/talks`: one meeting held, with what refers to it. */
export interface TalksMeeting {
  id: string;
  title: string;
  at: string;
  /** The parties whose delegations attended. */
  parties: string[];
  /** Every readout of it held, amended ones too. */
  readouts: string[];
  statements: string[];
  commitments: string[];
}

/** `GET /api/v1/talks/statements`: a joint statement and who has endorsed that exact text. */
export interface TalksStatement {
  id: string;
  title: string;
  meeting?: string;
  signatories: string[];
  endorsed: string[];
  missing: string[];
  /** When the last signatory endorsed it, or null. */
  adopted: string | null;
}

/** One difference between readouts; a `text` difference is a word diff: `[-only in party's-]`, `{+only in about's+}`. */
export interface TalksDifference {
  kind: 'attributed-position' | 'agreement-claimed' | 'not-discussed' | 'text';
  party: string;
  about: string;
  text: string;
}

/** `GET /api/v1/talks/{meeting}/compare`: the divergence report of a meeting's readouts. */
export interface TalksDivergence {
  meeting: string;
  readouts: { party: string; id: string; amends?: string[] }[];
  /** Present when fewer than two readouts are held: nothing is compared, no divergence is claimed. */
  note?: string;
  items: { item: string; title: string; in: string[]; missingFrom: string[]; differences: TalksDifference[] }[];
}

/** The body of a `talks.meeting` entry. */
export interface TalksMeetingBody {
  title: string;
  format: string;
  at: string;
  channel: string;
  group?: string;
  delegations: { party: string; members: { name: string; role: string }[] }[];
  agenda: { key: string; title: string; concerns: string[] }[];
  chairs?: { party: string; name: string }[];
}

/** The body of a `talks.readout` entry. */
export interface TalksReadoutBody {
  meeting: string;
  language: string;
  amends?: string;
  items: { key: string; discussed: string; positions?: { party: string; text: string; reserved?: boolean }[]; agreed?: string[] }[];
  notDiscussed?: string[];
}

/** The body of a `talks.position` entry. */
export interface TalksPositionBody {
  item: string;
  meeting?: string;
  text: string;
  redLine?: boolean;
  reserved?: boolean;
}

/** The body of a `talks.commitment` entry. */
export interface TalksCommitmentBody {
  meeting: string;
  item?: string;
  what: string;
  owners: string[];
  due?: string;
  cadence?: { everyDays: number; until?: string };
  fulfilledBy: { type: string; description?: string };
}

/** The body of a `talks.briefing` entry. */
export interface TalksBriefingBody {
  meeting: string;
  briefed: string[];
  at: string;
  summary?: string;
}

/** `GET /api/v1/session`: this node's party and the role of the presented token. */
export interface OperatorSession {
  party: string;
  role: 'admin' | 'officer' | 'analyst';
  can: { send: boolean };
}
