/**
 * A real PostgreSQL server for the tests of the PostgreSQL store. The start-up code lives in
 * bench/postgres-server.ts, which the bench shares; see there.
 */
export { postgresServer, type PostgresServer } from '../../bench/postgres-server.js';
