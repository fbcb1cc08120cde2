/** Content types of the protocol itself: the receipt and the plain note. */
import type { ContentSchema } from './index.js';

const entryId = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const party = { type: 'string', pattern: '^[A-Z][A-Z0-9]{1,15}$' } as const;

export const coreSchemas: Record<string, ContentSchema> = {
  receipt: {
    title: 'Receipt',
    description: 'The receiver holds everything from author `of` up to seq `upto`, whose entry id is `head` (cumulative, like a TCP ack).',
    'x-parley-composed-by': 'node',
    type: 'object',
    additionalProperties: false,
    required: ['of', 'upto', 'head'],
    properties: {
      of: { ...party, description: 'The author whose log is receipted.' },
      upto: { type: 'integer', minimum: 1, description: 'Highest seq of that author held, contiguously.' },
      head: { ...entryId, description: 'Entry id of the author\'s entry at seq `upto`.' },
    },
  },
  note: {
    title: 'Note',
    description: 'A plain communication between parties.',
    type: 'object',
    additionalProperties: false,
    required: ['subject', 'text'],
    properties: {
      subject: { type: 'string', minLength: 1, maxLength: 500 },
      text: { type: 'string', maxLength: 100000 },
    },
  },
};
