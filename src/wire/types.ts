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
  | { kind: 'refused'; party: string; code: string; message: string; since: string }
  | { kind: 'receipt'; party: string; seq: number; heldId: string; otherId: string; seenAt: string; message: string }
  | { kind: 'key-compromise'; party: string; peer: string; seq: number; heldId: string; otherId: string; seenAt: string; message: string };

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

// ---------------------------------------------------------------------------------------------
// Incidents at sea and in the air (GET /api/v1/incidents, /api/v1/encounters, /api/v1/encounters/live).

/** An incident report held, with the replies and requests for consultations about it. */
export interface Incident {
  id: string;
  author: string;
  reported: string;
  at: string;
  position: { lat: number; lon: number };
  region?: string;
  units: { party: string; kind: string; id: string; name?: string }[];
  categories: string[];
  closestMetres?: number;
  narrative: string;
  replies: { party: string; id: string; stance?: string }[];
  consultations: string[];
}

/** A close encounter in the shared tracks held: the closest approach of an episode within the agreed thresholds. */
export interface Encounter {
  a: { party: string; unit: string; kind: string };
  b: { party: string; unit: string; kind: string };
  domain: string;
  tcpa: string;
  dcpaMetres: number;
  verticalMetres: number;
  from: string;
  to: string;
  ongoing: boolean;
  at: string;
  thresholds: { horizontalMetres: number; verticalMetres: number | null };
  evidence: string[];
}

/** A predicted close encounter, among the status's alerts: with a flash hotline message ready to send. */
export interface EncounterAlarm extends ServiceAlarm {
  a: { party: string; unit: string; kind: string };
  b: { party: string; unit: string; kind: string };
  tcpa: string;
  tcpaSeconds: number;
  dcpaMetres: number;
  verticalMetres: number;
  evidence: string[];
  draft: { type: string; to: string[]; body: { priority: string; subject: string; text: string; language: string } };
}

/** A unit's latest fix, as the encounter watch holds it. */
export interface UnitPosition {
  party: string;
  unit: string;
  kind: string;
  t: string;
  lat: number;
  lon: number;
  alt: number;
  speed: number;
  course: number;
  entry: string;
}

export interface EncountersLive {
  units: number;
  alarms: EncounterAlarm[];
  positions: UnitPosition[];
}

/** Counts by category in a frontier zone (troops, battleTanks, armouredCombatVehicles, artillery, combatAircraft, attackHelicopters, missileLaunchers). */
export type ZoneCounts = Partial<Record<'troops' | 'battleTanks' | 'armouredCombatVehicles' | 'artillery' | 'combatAircraft' | 'attackHelicopters' | 'missileLaunchers', number>>;

/** An observer's count in `GET /api/v1/zones`. */
export interface ZoneObserved {
  by: string;
  party: string;
  at: string;
  place: string | null;
  position: [number, number];
  counts: ZoneCounts;
  entry: string;
}

/** One zone in force in `GET /api/v1/zones`. */
export interface ZoneStatus {
  zone: string;
  name: string;
  side: string;
  agreement: string;
  parties: string[];
  inForce: string;
  band: { between: [string, string]; widthKm: number; resolution?: string } | null;
  ceilings: Record<string, ZoneCounts>;
  activityLimit: ZoneCounts;
  declared: Record<string, { asOf: string; counts: ZoneCounts; entry: string }>;
  observed: ZoneObserved[];
  findings: Finding[];
}

/** A position an observer report or restriction names, with the zones it falls in (empty: outside every zone). */
export interface ZoneLocated {
  entry: string;
  by: string;
  at: string;
  position: [number, number];
  place: string | null;
  zones: string[];
}

/** `GET /api/v1/zones/map`: the zones in force with their areas, observer posts, reports and restrictions. */
export interface ZonesMap {
  at: string;
  zones: ZoneStatus[];
  findings: Finding[];
  outside: ZoneObserved[];
  areas: Record<string, { type: 'Polygon'; coordinates: readonly (readonly (readonly number[])[])[] } | { type: 'MultiPolygon'; coordinates: readonly (readonly (readonly (readonly number[])[])[])[] }>;
  posts: { mission: string; observers: string; name: string; side: string; position: [number, number] }[];
  patrols: { mission: string; observers: string; area: ZonesMap['areas'][string] }[];
  reports: (ZoneLocated & { party: string; counts: ZoneCounts })[];
  restrictions: (ZoneLocated & { deniedBy: string; reason: string | null })[];
}

// --- Missile non-deployment (GET /api/v1/missiles/sites and /visits) ---

/** The figures of one side of a missile commitment, as the visiting party. */
export interface MissilesSide {
  party: string;
  visitsPerYear: number;
  noticeHours: number;
  replyHours: number;
  visitHours: number;
  reportHours: number;
  acknowledgeHours: number;
  territory: { id: string; name: string }[];
}

export interface MissilesCommitment {
  agreement: string;
  title: string;
  parties: string[];
  inForce: string;
  classes: { id: string; title: string; kinds: string[]; minKm: number; maxKm: number }[];
  area: { kind: 'reach' } | { kind: 'named'; name: string };
  sides: MissilesSide[];
}

export interface MissilesSite {
  site: string;
  name: string;
  /** [longitude, latitude]. */
  position: [number, number];
  country?: string;
  launchers: { type: string; count: number }[];
  systems: { name: string; kind: string; rangeKm?: number; present: boolean; count?: number; covered: string[] }[];
  declaration: string;
  declared: string;
  declarations: number;
  distances: { party: string; km: number }[];
}

/** GET /api/v1/missiles/sites. */
export interface MissilesSites {
  at: string;
  commitments: MissilesCommitment[];
  parties: { party: string; sites: MissilesSite[] }[];
}

export interface MissilesVisit {
  request: string;
  visitor: string;
  host: string;
  site: string;
  siteName: string;
  declaration: string;
  requested: string;
  arrival: string;
  quota: { year: number; n: number; of: number; within: boolean; notice: boolean };
  replyDue: string;
  reply: null | { id: string; at: string; late: boolean; accepted: boolean; window?: { start: string; end: string }; reason?: string };
  reportDue: string | null;
  report: null | { id: string; at: string; outcome: 'consistent' | 'not-consistent' | 'not-held'; onSite?: { start: string; end: string }; checked: { item: string; result: string }[]; observations: string };
  acknowledgeDue: string | null;
  acknowledgement: null | { state: 'unacknowledged' | 'countersigned' | 'disputed'; id?: string; at?: string; remarks?: string; reason?: string; unreadable?: number };
  stage: 'requested' | 'accepted' | 'declined' | 'reported' | 'countersigned' | 'disputed';
}

/** GET /api/v1/missiles/visits. */
export interface MissilesVisits {
  at: string;
  parties: { party: string; visits: MissilesVisit[]; quota: { visitor: string; host: string; year: number; quota: number; requested: number; accepted: number; declined: number; reported: number }[] }[];
}

/** `GET /api/v1/session`: this node's party and the role of the presented token. */
export interface OperatorSession {
  party: string;
  role: 'admin' | 'officer' | 'analyst';
  can: { send: boolean };
}
