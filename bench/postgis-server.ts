/**
 * A PostgreSQL server with PostGIS for comparing Parley's closest-approach computation with
 * `ST_ClosestPointOfApproach` / `ST_CPAWithin`: Debian's PostgreSQL 15 and PostGIS 3, started from
 * their binaries in a temporary folder on a free loopback port (as the `postgres` user when run as
 * root). Installing them: `apt-get install postgresql-15-postgis-3` (Debian 12). The embedded server
 * of the store tests has no PostGIS, so this one is separate; `available()` says whether it can run.
 *
 * @example
 *   if (postgisAvailable()) { const s = await postgisServer(); …; await s.stop(); }
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const BIN = '/usr/lib/postgresql/15/bin';
const CONTROL = '/usr/share/postgresql/15/extension/postgis.control';

/** Whether Debian's PostgreSQL 15 with PostGIS is installed here. */
export function postgisAvailable(): boolean {
  return existsSync(join(BIN, 'postgres')) && existsSync(join(BIN, 'initdb')) && existsSync(CONTROL);
}

export interface PostgisServer {
  /** A client connected to a database with the postgis extension. */
  client(): Promise<pg.Client>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export async function postgisServer(): Promise<PostgisServer> {
  if (!postgisAvailable()) throw new Error('PostGIS is not installed (apt-get install postgresql-15-postgis-3)');
  const root = userInfo().uid === 0;
  const ids = root ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()) } : {};
  const dir = mkdtempSync(join(tmpdir(), 'parley-postgis-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  execFileSync(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...ids, stdio: 'ignore' });
  const port = await freePort();
  const log: string[] = [];
  const child: ChildProcess = spawn(join(BIN, 'postgres'), ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'], { ...ids, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => void log.push(d.toString()));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const c = new pg.Client({ connectionString: url });
    try {
      await c.connect();
      await c.query('CREATE EXTENSION IF NOT EXISTS postgis');
      await c.end();
      break;
    } catch (err) {
      await c.end().catch(() => {});
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`the PostGIS server did not start: ${(err as Error).message}\n${log.slice(-10).join('')}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    async client() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
