/**
 * The hotline's content types: `hotline.message`, `hotline.ack` (a person read it) and
 * `link.test` (a ledgered test of the link). One JSON Schema each (draft 2020-12, Ajv strict).
 *
 * How they link: an acknowledgement names the message(s) it acknowledges in the content's `refs`
 * (the protocol's link), and is addressed to the message's author (and its other addressees, so
 * that every party holding the message can compute the same obligation). The machine `receipt`
 * (Protocol v1) is a different fact: the peer's node holds the entry, nobody has read it yet.
 */
import type { CatalogueEntry, RecordView, SchemaProblem } from '../../catalogue/index.js';
import { PRIORITIES, type Priority } from './rules.js';

/**
 * A BCP 47 language tag, the common shapes: language (2–3 letters, or 5–8 registered), optional
 * extended subtags, script, region and variants (`en`, `ru`, `uk`, `zh-Hant-TW`, `sr-Latn`, `es-419`).
 */
export const BCP47 = '^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{5,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*$';

const language = (description: string) => ({ type: 'string', pattern: BCP47, maxLength: 35, description }) as const;

export interface HotlineMessage {
  priority: Priority;
  subject: string;
  text: string;
  language: string;
  translation?: { language: string; text: string };
}

export interface HotlineAck {
  officer?: string;
  note?: string;
}

export interface LinkTest {
  n: number;
}

/**
 * An acknowledgement is addressed to every party that holds a message it acknowledges and judges
 * its obligations: the message's author and its addressees. Judged on the messages this node
 * holds with their content; a message held as a stub (or not at all) cannot be judged here.
 */
function ackAddressees(record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined): SchemaProblem | undefined {
  if (!to || !refs || to.includes('*')) return undefined;
  for (const id of refs) {
    const m = record.held(id);
    if (m?.type !== 'hotline.message' || !m.to || m.to.includes('*')) continue;
    const missing = [...new Set([m.author!, ...m.to])].filter((p) => p !== author && !to.includes(p)).sort();
    if (missing.length > 0) {
      return {
        path: '/',
        code: 'PARLEY_ERR_ADDRESSEES',
        message: `the acknowledgement of ${id.slice(0, 12)}… must be addressed to every party that holds that message and judges its acknowledgements; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing from its addressees`,
      };
    }
  }
  return undefined;
}

export const hotlineSchemas: Record<string, CatalogueEntry> = {
  'hotline.message': {
    title: 'Hotline message',
    // Sent from the hotline's own page and commands (its live service), not from a generated form.
    'x-parley-composed-by': 'service',
    description:
      'A message on the hotline. Every addressee owes a hotline.ack (a duty officer has read it) by the deadline of its priority, counted from the header time: flash 5 minutes, immediate 30 minutes, routine 24 hours unless the network\'s hotline agreement sets other figures (HL §3). A message to "*" is a circular and owes no acknowledgement: name the addressees to be owed one. The text in `language` is authoritative; a `translation` is a courtesy.',
    type: 'object',
    additionalProperties: false,
    required: ['priority', 'subject', 'text', 'language'],
    properties: {
      priority: { type: 'string', enum: [...PRIORITIES], description: 'flash: an emergency, acknowledged within minutes; immediate: within the half hour; routine: within the day.' },
      subject: { type: 'string', minLength: 1, maxLength: 200, description: 'One line a watch officer reads first.' },
      text: { type: 'string', minLength: 1, maxLength: 100_000, description: 'The message.' },
      language: language('BCP 47 tag of the language of `text` (en, ru, uk, fr…).'),
      translation: {
        type: 'object',
        additionalProperties: false,
        required: ['language', 'text'],
        description: 'A courtesy translation of `text`, in another language; not authoritative.',
        properties: {
          language: language('BCP 47 tag of the translation\'s language.'),
          text: { type: 'string', minLength: 1, maxLength: 100_000, description: 'The translated text.' },
        },
      },
    },
    check: (body: HotlineMessage): SchemaProblem | undefined =>
      body.translation && body.translation.language.toLowerCase() === body.language.toLowerCase()
        ? { path: '/translation/language', message: `the courtesy translation is in ${body.language}, the message's own language` }
        : undefined,
  },
  'hotline.ack': {
    title: 'Hotline acknowledgement',
    'x-parley-composed-by': 'service',
    description:
      'A duty officer has read the hotline message(s) named in the content\'s refs: the human acknowledgement the hotline agreement asks for (HL §3), distinct from the machine receipt that says only that the node holds the message. Addressed to the message\'s author and its other addressees (or "*"): each of them judges the acknowledgements the message is owed, so each must hold it — refused otherwise (PARLEY_ERR_ADDRESSEES) when the node holds the message.',
    type: 'object',
    additionalProperties: false,
    properties: {
      officer: { type: 'string', minLength: 1, maxLength: 200, description: 'Who read it: a name, call sign or watch position.' },
      note: { type: 'string', minLength: 1, maxLength: 2000, description: 'A word with the acknowledgement (it is not the reply; a reply is a hotline.message).' },
    },
    check: (_body: unknown, record: RecordView, author: string | undefined, refs: readonly string[] | undefined, to: readonly string[] | undefined) => ackAddressees(record, author, refs, to),
  },
  'link.test': {
    title: 'Link test',
    'x-parley-composed-by': 'service',
    description:
      'A ledgered test of the link, sent to every party ("*") on a schedule — hourly by default, as the Moscow–Washington hotline has been tested every hour since 1963 (HL §4). Each peer\'s machine receipt of it measures the round trip; a party whose link tests stop for more than two intervals gets a finding.',
    type: 'object',
    additionalProperties: false,
    required: ['n'],
    properties: {
      n: { type: 'integer', minimum: 1, description: 'The sender\'s link-test counter: 1 for its first test, then one more each time.' },
    },
  },
};
