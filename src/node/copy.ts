/**
 * Copying a node's store into another store (`parley store copy`): from the folder's SQLite file
 * to a PostgreSQL database, or back. Nothing is copied as raw rows: the roster is pinned first,
 * then every author's log goes through the target ledger's acceptance rules (signatures, chain
 * links, Merkle roots, content hashes, schemas) in bounded batches, per author in seq order,
 * stubs as stubs and contents as held; then the equivocation evidence (each conflicting header
 * checked again) and the node's metadata (delivery cursors, receipt marks, alarms).
 */
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { toB64url } from '../protocol/bytes.js';
import { ParleyError } from '../protocol/errors.js';
import { verifyStore } from '../ledger/verify.js';
import type { Envelope } from '../protocol/entry.js';
import { Ledger, entryOfRow } from '../ledger/ledger.js';
import { openStore } from '../ledger/dialects.js';
import { isPostgresLocation, redactLocation } from '../ledger/postgres.js';
import type { Store } from '../ledger/store.js';
import { catalogue } from '../regimes/registry.js';
import { openNodeStore, type NodeFolder } from './folder.js';

/** Envelopes per acceptance batch: bounds memory and the size of one transaction. */
const BATCH = 500;

export interface CopyResult {
  /** The source store (password redacted). */
  from: string;
  /** The target store (password redacted). */
  to: string;
  entries: number;
  /** Entries per author. */
  authors: Record<string, number>;
  equivocations: number;
  /** Metadata values carried over. */
  meta: number;
}

/**
 * Copies everything `node`'s store holds into the empty store at `target` (a `postgres://` URL or
 * a SQLite file path), verifying every entry as it is accepted. Refuses a target that holds
 * anything (`PARLEY_ERR_NODE_DIR`), writing nothing. When a source entry is refused, the copy
 * stops with the acceptance rule's code; a SQLite file the copy created is removed, a database is
 * left with what was accepted before the refusal (the message says so).
 */
export async function copyStore(node: NodeFolder, target: string, options: { onProgress?: (done: number, total: number) => void } = {}): Promise<CopyResult> {
  const fromLocation = node.config.store ?? resolve(node.dir, 'parley.db');
  const to = isPostgresLocation(target) ? target : resolve(target);
  const result: CopyResult = { from: redactLocation(fromLocation), to: redactLocation(to), entries: 0, authors: {}, equivocations: 0, meta: 0 };
  if (!isPostgresLocation(to) && to === resolve(fromLocation)) {
    throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--to ${to} is the node's own store; name another database or file`);
  }
  const source = openNodeStore(node, { readonly: true });
  try {
    // Every rule checked on the source first, so that a copy that would stop halfway writes nothing.
    // Equivocation evidence is not a fault of the source: it is copied as evidence.
    const faults = (await verifyStore(source, catalogue())).problems.filter((p) => p.code !== 'PARLEY_ERR_EQUIVOCATION');
    if (faults.length) {
      const f = faults[0];
      throw new ParleyError(f.code, `${f.author}#${f.seq}: ${f.message} (check ${f.check}; ${faults.length} problem${faults.length === 1 ? '' : 's'} in all — run parley verify on the source); nothing was written to ${result.to}`);
    }
    const created = !isPostgresLocation(to) && !existsSync(to);
    const store = openStore(to);
    let ledger: Ledger | undefined;
    try {
      await refuseNonEmpty(store, result.to);
      // The roster first: every signature below is checked against a key pinned here.
      for (const p of await source.parties()) await store.putParty(p);
      // The clock is the real one, except while evidence is replayed: then it is when the evidence was first seen.
      let seenAt: number | undefined;
      ledger = await Ledger.open({ store, party: node.config.party, key: node.key, catalogue: catalogue(), clock: () => seenAt ?? Date.now() });
      const total = await source.count();
      for (const head of await source.heads()) {
        let after = 0;
        for (;;) {
          const rows = await source.range(head.author, after, BATCH);
          if (rows.length === 0) break;
          const envelopes: Envelope[] = rows.map((r) => entryOfRow(r).envelope);
          const report = await ledger.accept(envelopes, { source: 'copy', onGap: 'refuse', receipts: false, copy: true });
          if (report.accepted.length !== rows.length) {
            throw new ParleyError('PARLEY_ERR_STORE', `${head.author}#${rows[0].seq}…${rows[rows.length - 1].seq}: ${rows.length} entries read, ${report.accepted.length} accepted; the source holds duplicates or evidence where a log was expected`);
          }
          after = rows[rows.length - 1].seq;
          result.entries += rows.length;
          result.authors[head.author] = (result.authors[head.author] ?? 0) + rows.length;
          options.onProgress?.(result.entries, total);
        }
      }
      for (const ev of await source.equivocations()) {
        const when = Date.parse(ev.seenAt);
        seenAt = Number.isNaN(when) ? undefined : when;
        const report = await ledger.accept([{ header: toB64url(ev.otherHeader), sig: toB64url(ev.otherSig) }], { source: ev.source, onGap: 'refuse', receipts: false, copy: true });
        seenAt = undefined;
        if (report.equivocations.length !== 1 || report.equivocations[0].heldId !== ev.heldId) {
          throw new ParleyError('PARLEY_ERR_STORE', `the equivocation evidence at ${ev.author}#${ev.seq} (${ev.otherId}) does not conflict with the entry held there`);
        }
        result.equivocations++;
      }
      const meta = await source.metaEntries();
      if (meta.length) await store.commit({ meta });
      result.meta = meta.length;
    } catch (err) {
      await ledger?.close().catch(() => {});
      ledger = undefined;
      await store.close().catch(() => {});
      if (created) for (const f of [to, `${to}-wal`, `${to}-shm`]) rmSync(f, { force: true });
      throw stopped(err, result, created);
    } finally {
      if (ledger) await ledger.close();
      await store.close();
    }
  } finally {
    await source.close();
  }
  return result;
}

/** A target holding anything at all (entries, roster, evidence, metadata) is someone's store: refuse it. */
async function refuseNonEmpty(store: Store, where: string): Promise<void> {
  const held = await store.count();
  const parties = (await store.parties()).length;
  const meta = (await store.metaEntries()).length;
  const evidence = (await store.equivocations()).length;
  if (held + parties + meta + evidence > 0) {
    throw new ParleyError('PARLEY_ERR_NODE_DIR', `the target store ${where} is not empty (${held} entries, ${parties} roster parties, ${meta} metadata values); a copy goes into an empty store only. Nothing was written`, { entries: held, parties, meta });
  }
}

function stopped(err: unknown, r: CopyResult, removed: boolean): unknown {
  if (!(err instanceof ParleyError) || err.code === 'PARLEY_ERR_NODE_DIR' || err.code === 'PARLEY_ERR_BAD_ARGUMENT') return err;
  const left = removed
    ? `${r.to} was removed`
    : r.entries > 0
      ? `${r.to} holds the ${r.entries} entries accepted before it; empty it before copying again`
      : `no entry was written to ${r.to}`;
  return new ParleyError(err.code, `copy refused after ${r.entries} entries: ${err.message}; ${left}`, { ...err.detail, copied: r.entries }, { cause: err });
}
