/** JSON Schemas of the hotline's part of the operator API: alarms, link health, the hotline picture (for the OpenAPI document). */
const time = { type: 'string', description: 'RFC 3339 UTC with milliseconds and Z.' } as const;
const nullableTime = { type: ['string', 'null'] } as const;

export const alarmSchema = {
  type: 'object',
  description: 'A hotline alarm: `hotline.link` (no machine receipt from a peer within receiptAlarmSeconds) or `hotline.escalation` (an addressee has not acknowledged a message by its deadline). Events carry `state` raised or cleared.',
  required: ['id', 'kind', 'state', 'severity', 'party', 'message', 'since', 'at'],
  properties: {
    id: { type: 'string', description: 'link:PEER or escalation:MESSAGE-ID:PARTY, stable while the condition lasts.' },
    kind: { type: 'string', enum: ['hotline.link', 'hotline.escalation'] },
    state: { type: 'string', enum: ['raised', 'cleared'] },
    severity: { type: 'string', enum: ['critical', 'warning'] },
    party: { type: 'string' },
    message: { type: 'string' },
    since: time,
    at: time,
    entry: { type: 'string' },
    priority: { type: 'string', enum: ['flash', 'immediate', 'routine'] },
    due: time,
  },
} as const;

export const peerHealthSchema = {
  type: 'object',
  required: ['party', 'health', 'link', 'rttMs', 'awaitingReceipt', 'lastLinkTest', 'reasons'],
  properties: {
    party: { type: 'string' },
    health: { type: 'string', enum: ['up', 'degraded', 'down', 'unknown'] },
    link: { type: 'string', enum: ['up', 'down', 'unknown'] },
    rttMs: { type: ['integer', 'null'], description: 'Last round trip: an own hotline entry committed → the peer\'s receipt of it held here.' },
    rttAt: nullableTime,
    awaitingReceipt: { type: 'integer', description: 'Own hotline entries the peer has not receipted.' },
    oldestAwaitingSince: nullableTime,
    lastLinkTest: { ...nullableTime, description: 'Header time of the peer\'s latest link test held here.' },
    reasons: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const hotlineViewSchema = {
  type: 'object',
  required: ['party', 'now', 'agreement', 'peers', 'alarms', 'messages'],
  properties: {
    party: { type: 'string' },
    now: time,
    agreement: { type: 'object', description: 'The terms in force: ackSeconds per priority, linkTestIntervalSeconds, missedLinkTestIntervals, receiptAlarmSeconds.' },
    peers: { type: 'array', items: peerHealthSchema },
    alarms: { type: 'array', items: alarmSchema },
    messages: {
      type: 'array',
      description: 'The newest hotline messages this node holds (sent and received), newest first.',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          direction: { type: 'string', enum: ['in', 'out'] },
          priority: { type: 'string' },
          addressees: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                party: { type: 'string' },
                status: { type: ['string', 'null'], enum: ['open', 'met', 'met-late', 'missed', null] },
                due: nullableTime,
                ack: { type: ['object', 'null'] },
                received: { type: ['boolean', 'null'] },
                receivedAt: nullableTime,
              },
            },
          },
        },
      },
    },
  },
} as const;
