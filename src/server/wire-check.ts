/**
 * Compile-time only: what the server sends is what the console reads (src/wire/types.ts). Each
 * pair below is [the server's type, the wire type]; `tsc` fails here, naming the field, when a
 * server type stops being assignable to its wire type. Nothing here runs.
 */
import type { LedgerEntry } from '../ledger/ledger.js';
import type { PartyDescriptor } from '../ledger/roster.js';
import type { NodeStatus } from '../federation/federation.js';
import type { HotlineAlarm, HotlineStatus, HotlineView, PeerHealth } from '../regimes/hotline/live/runtime.js';
import type { RegimeReport } from '../regimes/monitor.js';
import type { Briefing, Commitment, DivergenceReport, Meeting, MeetingSummary, Position, Readout, StatementStatus } from '../regimes/talks/index.js';
import type { EncounterView, IncidentSummary } from '../regimes/incidents/index.js';
import type { EncounterAlarm, UnitPosition } from '../regimes/incidents/live/watch.js';
import type { ZonesMap } from '../regimes/zones/index.js';
import type { SitesReport, VisitsReport } from '../regimes/missiles/index.js';
import type * as wire from '../wire/types.js';

type Sends<Server extends Wire, Wire> = [Server, Wire];

export type WireConformance = [
  Sends<LedgerEntry, wire.EntryView>,
  Sends<PartyDescriptor, wire.Party>,
  Sends<NodeStatus, wire.Status>,
  Sends<HotlineStatus, wire.Status>,
  Sends<HotlineAlarm, wire.HotlineAlarm>,
  Sends<PeerHealth, wire.PeerHealth>,
  Sends<HotlineView, wire.HotlineView>,
  Sends<Pick<RegimeReport, 'at' | 'regimes' | 'obligations'>, wire.ObligationList>,
  Sends<Pick<RegimeReport, 'at' | 'regimes' | 'findings'>, wire.FindingList>,
  Sends<MeetingSummary, wire.TalksMeeting>,
  Sends<StatementStatus, wire.TalksStatement>,
  Sends<DivergenceReport, wire.TalksDivergence>,
  Sends<Meeting, wire.TalksMeetingBody>,
  Sends<Readout, wire.TalksReadoutBody>,
  Sends<Position, wire.TalksPositionBody>,
  Sends<Commitment, wire.TalksCommitmentBody>,
  Sends<Briefing, wire.TalksBriefingBody>,
  Sends<IncidentSummary, wire.Incident>,
  Sends<EncounterView, wire.Encounter>,
  Sends<EncounterAlarm, wire.EncounterAlarm>,
  Sends<UnitPosition, wire.UnitPosition>,
  Sends<ZonesMap, wire.ZonesMap>,
  Sends<SitesReport, wire.MissilesSites>,
  Sends<VisitsReport, wire.MissilesVisits>,
];
