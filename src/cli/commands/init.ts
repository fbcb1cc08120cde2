/** `parley init`: makes a node folder and prints the party descriptor the other parties pin. */
import type { Command } from 'commander';
import { initNode } from '../../node/folder.js';
import { redactLocation } from '../../ledger/postgres.js';
import { action } from '../boundary.js';
import { print, withCommon, type DirOption } from '../io.js';

interface InitOptions extends DirOption {
  party: string;
  url: string;
  name?: string;
  store?: string;
}

export function registerInit(program: Command): void {
  withCommon(
    program
      .command('init')
      .description('create a node folder (config, Ed25519 key with mode 0600, database, operator tokens) and print its party descriptor')
      .requiredOption('--party <code>', 'party code: ISO 3166 alpha-3 (USA) or an upper-case name (OSCE)')
      .requiredOption('--url <url>', 'the URL where the other parties reach this node')
      .option('--name <name>', 'display name (default: the party code)')
      .option('--store <url>', 'keep the entries in this PostgreSQL database (postgres://user@host:port/database) instead of the folder\'s parley.db; it must hold no entries'),
  ).action(
    action(async (opts: InitOptions) => {
      const node = await initNode(opts.dir, { party: opts.party, url: opts.url, name: opts.name, store: opts.store });
      if (!opts.json) {
        const where = node.config.store ? `; its entries live in ${redactLocation(node.config.store)}` : '';
        process.stderr.write(`Created the node of ${node.config.party} in ${node.dir}${where}.\nGive this descriptor to the other parties ('parley roster add --file …'):\n`);
      }
      print(opts.json, node.descriptor, () => JSON.stringify(node.descriptor, null, 2));
    }),
  );
}
