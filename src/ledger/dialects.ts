/**
 * The store dialects this version of Parley has, by name: the one place that maps a store
 * location to its implementation. Everything else takes a {@link Store} and never asks which.
 */
import { ParleyError } from '../protocol/errors.js';
import { isPostgresLocation, PostgresStore } from './postgres.js';
import { SqliteRangeReader, SqliteStore } from './sqlite.js';
import type { RangeReader, ReaderSpec, Store } from './store.js';

/**
 * Opens the store at `location`: a `postgres://` or `postgresql://` URL is a PostgreSQL database
 * (its schema is checked and migrated before the store's first call answers); anything else is a
 * SQLite file path (or `:memory:`).
 *
 * @example
 *   openStore('usa/parley.db');
 *   openStore('postgres://parley@db.example:5432/usa');
 */
export function openStore(location: string, options: { readonly?: boolean } = {}): Store {
  if (isPostgresLocation(location)) return new PostgresStore(location, options);
  return new SqliteStore(location, options);
}

/** Opens, in this thread, a reader of the data a store's {@link Store.readerSpec} points at. */
export function openRangeReader(spec: ReaderSpec): RangeReader {
  if (spec.dialect === 'sqlite') return new SqliteRangeReader(spec.location);
  throw new ParleyError('PARLEY_ERR_STORE', `no reader for store dialect ${spec.dialect}`);
}
