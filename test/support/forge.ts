/**
 * Hand-made envelopes for refusal tests: any header bytes, any content bytes, signed by any key.
 * What the ledger would never write itself, but a broken or hostile peer could send.
 */
import { canonical, sha256hex, toB64url, ZERO_HASH, EMPTY_TREE_ROOT } from '../../src/protocol/bytes.js';
import { formatTime, type Content, type Envelope, type Header } from '../../src/protocol/entry.js';
import { signHeader, type SigningKey } from '../../src/protocol/signing.js';

export { ZERO_HASH, EMPTY_TREE_ROOT };

export interface ForgeInput {
  key: SigningKey;
  header: Partial<Header> & Pick<Header, 'author' | 'seq'>;
  /** A content object (encoded canonically) or its exact bytes. */
  content?: Partial<Content> | Buffer;
  /** Exact header bytes to sign instead of the canonical encoding of `header`. */
  headerBytes?: (header: Header) => Buffer;
  /** Leave the content out: a stub. */
  stub?: boolean;
}

export function note(subject: string, to: string[] = ['*']): Content {
  return { type: 'note', to, refs: [], body: { subject, text: '' }, salt: toB64url(Buffer.alloc(16, 7)) };
}

export function forge(input: ForgeInput): Envelope {
  const contentBytes = Buffer.isBuffer(input.content) ? input.content : canonical({ ...note('forged'), ...input.content });
  const header: Header = {
    v: 1,
    prev: ZERO_HASH,
    root: EMPTY_TREE_ROOT,
    time: formatTime(Date.now()),
    content: sha256hex(contentBytes),
    ...input.header,
  };
  const headerBytes = input.headerBytes ? input.headerBytes(header) : canonical(header);
  const envelope: Envelope = { header: toB64url(headerBytes), sig: toB64url(signHeader(headerBytes, input.key)) };
  if (!input.stub) envelope.content = toB64url(contentBytes);
  return envelope;
}
