/**
 * A small builder of record entries for the regimes' tests: it gives each author
 * contiguous seqs and each entry a deterministic id, without keys or signatures (regimes read
 * entries that the ledger has already verified).
 *
 * @example
 *   const r = new RecordBuilder();
 *   const ask = r.add('UKR', '2022-02-11T10:00:00.000Z', 'vd.explanation.request', { respondingState: 'RUS', activity: '…', reasons: '…' }, { to: ['RUS'] });
 *   r.add('RUS', '2022-02-12T09:00:00.000Z', 'vd.explanation.reply', { explanation: '…' }, { to: ['UKR'], refs: [ask.id] });
 */
import { sha256hex } from '../../src/protocol/bytes.js';
import type { RecordEntry } from '../../src/regimes/types.js';

export class RecordBuilder {
  readonly entries: RecordEntry[] = [];
  readonly #seq = new Map<string, number>();

  constructor(private readonly salt = '') {}

  add(author: string, time: string | number, type: string, body: object, options: { to?: string[]; refs?: string[] } = {}): RecordEntry {
    const seq = (this.#seq.get(author) ?? 0) + 1;
    this.#seq.set(author, seq);
    const entry: RecordEntry = {
      id: sha256hex(Buffer.from(`${this.salt}${author}#${seq}`)),
      author,
      seq,
      time: typeof time === 'number' ? new Date(time).toISOString() : time,
      type,
      to: options.to ?? ['*'],
      refs: options.refs ?? [],
      body: body as Record<string, unknown>,
    };
    this.entries.push(entry);
    return entry;
  }

  /** The stub of an entry, as a party that was not an addressee holds it. */
  static stub(e: RecordEntry): RecordEntry {
    return { id: e.id, author: e.author, seq: e.seq, time: e.time };
  }

  /** The record as node `party` holds it: the contents addressed to it (or to "*") and its own; the stub of every other. */
  static heldBy(record: readonly RecordEntry[], party: string): RecordEntry[] {
    return record.map((e) => (e.author === party || e.to!.includes('*') || e.to!.includes(party) ? e : RecordBuilder.stub(e)));
  }
}
