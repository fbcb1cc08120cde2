/**
 * `parley store copy`: moves a node between store dialects (its folder's SQLite file and a
 * PostgreSQL database, either way) through the acceptance rules, and with `--switch` points the
 * folder's config at the copy.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ParleyError } from '../../protocol/errors.js';
import { copyStore, type CopyResult } from '../../node/copy.js';
import { databasePath, loadNode, type NodeFolder } from '../../node/folder.js';
import { isPostgresLocation } from '../../ledger/postgres.js';
import { readRunInfo } from '../../server/runfile.js';
import { acquireFolderLock } from '../../node/lock.js';
import { action } from '../boundary.js';
import { print, progress, withCommon, type JsonOption } from '../io.js';

interface CopyOptions extends JsonOption {
  from: string;
  to: string;
  switch?: boolean;
}

export function registerStore(program: Command): void {
  const store = program.command('store').description("a node's store: where its entries live");
  withCommon(
    store
      .command('copy')
      .description('copy everything a node holds into an empty store (a postgres:// URL or a SQLite file), every entry through the acceptance rules')
      .requiredOption('--from <dir>', 'the node folder whose store is copied')
      .requiredOption('--to <store>', 'an empty PostgreSQL database (postgres://user@host:port/database) or SQLite file')
      .option('--switch', "after a complete copy, point the folder's config.json at it (a SQLite target must be the folder's parley.db)"),
    { dir: false },
  ).action(
    action(async (opts: CopyOptions) => {
      const node = loadNode(opts.from);
      // The running node holds each author's head in memory and keeps writing: a copy would miss what follows.
      const running = readRunInfo(node.dir);
      if (running) {
        throw new ParleyError('PARLEY_ERR_NODE_DIR', `the node of ${running.party} runs on this folder (pid ${running.pid}, ${running.url}); stop it before copying its store — nothing was copied`);
      }
      if (opts.switch && !isPostgresLocation(opts.to) && resolve(opts.to) !== databasePath(node.dir)) {
        throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', `--switch to SQLite needs --to ${databasePath(node.dir)}: a node on SQLite keeps its entries in its folder's parley.db. Nothing was copied`);
      }
      const bar = progress('copy', 0);
      let result: CopyResult;
      // No node may start on the folder while its store is read.
      const lock = await acquireFolderLock(node.dir, 'cli', 10_000);
      try {
        result = await copyStore(node, opts.to, { onProgress: (done) => bar.update(done) });
      } finally {
        bar.stop();
        lock.release();
      }
      if (opts.switch) switchStore(node, opts.to);
      print(opts.json, { ...result, switched: Boolean(opts.switch) }, () => {
        const authors = Object.entries(result.authors).map(([a, n]) => `${a} ${n}`).join(', ') || 'none';
        const lines = [
          `copied ${result.entries} entries (${authors}), ${result.equivocations} equivocation evidence rows and ${result.meta} metadata values from ${result.from} to ${result.to}; every entry was accepted through the acceptance rules`,
          opts.switch
            ? `${join(node.dir, 'config.json')} now names ${result.to}; the old store was left as it was`
            : `to run the node on the copy, set "store" in ${join(node.dir, 'config.json')} (or copy again with --switch into an empty store)`,
        ];
        return lines.join('\n');
      });
    }),
  );
}

/** Rewrites config.json to name `to` as the store (written whole, then renamed into place). */
function switchStore(node: NodeFolder, to: string): void {
  const config = { ...node.config };
  if (isPostgresLocation(to)) config.store = to;
  else delete config.store;
  const file = join(node.dir, 'config.json');
  const tmp = `${file}.tmp`;
  // A store URL may carry a password: the config is then for the node's eyes only.
  writeFileSync(tmp, JSON.stringify(config, null, 2) + '\n', { mode: config.store ? 0o600 : 0o644 });
  renameSync(tmp, file);
}
