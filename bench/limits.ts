/**
 * The physical limits every Parley figure is compared with, measured in the same run:
 * raw Ed25519 signatures and verifications per second on one core — through libsodium, which
 * Parley signs with, and through node:crypto (OpenSSL) beside it — and durable single-row
 * SQLite commits per second on this disk (WAL, synchronous=FULL).
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import sodium from 'sodium-native';
import { generateSigningKey } from '../src/protocol/signing.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { medianOf } from './stats.js';

const MESSAGE = Buffer.alloc(380, 7); // about a PAE-wrapped Parley header

export async function rawSignsPerSecond(ms = 600): Promise<number> {
  const { privateKey } = generateKeyPairSync('ed25519');
  return medianOf(3, () => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      for (let i = 0; i < 50; i++) sign(null, MESSAGE, privateKey);
      n += 50;
    }
    return (n * 1000) / (performance.now() - t0);
  });
}

export async function rawVerifiesPerSecond(ms = 600): Promise<number> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const sig = sign(null, MESSAGE, privateKey);
  return medianOf(3, () => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      for (let i = 0; i < 50; i++) verify(null, MESSAGE, publicKey, sig);
      n += 50;
    }
    return (n * 1000) / (performance.now() - t0);
  });
}

/** Calls of `op` per second on this thread, median of three spells of `ms`. */
function rate(ms: number, op: () => void): Promise<number> {
  return medianOf(3, () => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      for (let i = 0; i < 50; i++) op();
      n += 50;
    }
    return (n * 1000) / (performance.now() - t0);
  });
}

export function sodiumSignsPerSecond(ms = 600): Promise<number> {
  const { secretKey } = generateSigningKey();
  const sig = Buffer.alloc(64);
  return rate(ms, () => sodium.crypto_sign_detached(sig, MESSAGE, secretKey));
}

export function sodiumVerifiesPerSecond(ms = 600): Promise<number> {
  const key = generateSigningKey();
  const sig = Buffer.alloc(64);
  sodium.crypto_sign_detached(sig, MESSAGE, key.secretKey);
  const pk = Buffer.from(key.publicKeyB64, 'base64url');
  return rate(ms, () => {
    if (!sodium.crypto_sign_verify_detached(sig, MESSAGE, pk)) throw new Error('a good signature did not verify');
  });
}

export async function rawDurableCommitsPerSecond(ms = 1500): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-commit-'));
  try {
    const db = new Database(join(dir, 'c.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)');
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)');
    const row = Buffer.alloc(400, 1);
    const rate = await medianOf(3, () => {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < ms / 3) {
        ins.run(row); // autocommit: one durable commit per row
        n++;
      }
      return (n * 1000) / (performance.now() - t0);
    });
    db.close();
    return rate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Durable single-row commits per second on the PostgreSQL database at `url`: one connection,
 * `synchronous_commit = on`, each INSERT its own transaction, so each waits for its WAL flush.
 * Also answers the server's `fsync` setting, which the figure means nothing without.
 */
export async function rawPostgresCommitsPerSecond(url: string, ms = 1500): Promise<{ rate: number; fsync: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET synchronous_commit = on');
    const fsync = (await client.query<{ fsync: string }>('SHOW fsync')).rows[0].fsync;
    await client.query('CREATE TABLE IF NOT EXISTS bench_commits (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v bytea)');
    const row = Buffer.alloc(400, 1);
    const rate = await medianOf(3, async () => {
      let n = 0;
      const t0 = performance.now();
      while (performance.now() - t0 < ms / 3) {
        await client.query('INSERT INTO bench_commits (v) VALUES ($1)', [row]); // autocommit: one durable commit per row
        n++;
      }
      return (n * 1000) / (performance.now() - t0);
    });
    await client.query('DROP TABLE bench_commits');
    return { rate, fsync };
  } finally {
    await client.end();
  }
}

export interface Limits {
  /** Ed25519 through libsodium, as Parley signs and verifies entries. */
  signsPerSec: number;
  verifiesPerSec: number;
  /** Ed25519 through node:crypto (OpenSSL), measured beside it. */
  nodeCryptoSignsPerSec: number;
  nodeCryptoVerifiesPerSec: number;
  durableCommitsPerSec: number;
}

export async function measureLimits(): Promise<Limits> {
  return {
    signsPerSec: await sodiumSignsPerSecond(),
    verifiesPerSec: await sodiumVerifiesPerSecond(),
    nodeCryptoSignsPerSec: await rawSignsPerSecond(),
    nodeCryptoVerifiesPerSec: await rawVerifiesPerSecond(),
    durableCommitsPerSec: await rawDurableCommitsPerSecond(),
  };
}
