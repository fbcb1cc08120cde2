/**
 * The store dialects this version of Parley has, by name: the one place that maps a store
 * location to its implementation. Everything else takes a {@link Store} and never asks which.
 */
import { ParleyError } from '../protocol/errors.js';
import { SqliteRangeReader, SqliteStore } from './sqlite.js';
import type { RangeReader, ReaderSpec, Store } from './store.js';

/** Opens the store at `location`: a SQLite file path (or `:memory:`). */
export function openStore(location: string, options: { readonly?: boolean } = {}): Store {
  return new SqliteStore(location, options);
}

/** Opens, in this thread, a reader of the data a store's {@link Store.readerSpec} points at. */
export function openRangeReader(spec: ReaderSpec): RangeReader {
  if (spec.dialect === 'sqlite') return new SqliteRangeReader(spec.location);
  throw new ParleyError('PARLEY_ERR_STORE', `no reader for store dialect ${spec.dialect}`);
}
