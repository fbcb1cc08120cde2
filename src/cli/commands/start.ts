/** `parley start`: runs the node — federation with every peer in the roster, the operator API, the event stream. */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { ParleyError } from '../../protocol/errors.js';
import { startNode } from '../../server/node.js';
import { action, EXIT } from '../boundary.js';
import { withCommon, type DirOption } from '../io.js';

interface StartOptions extends DirOption {
  port?: string;
  host: string;
}

export function registerStart(program: Command): void {
  withCommon(
    program
      .command('start')
      .description('run the node: deliver to every peer in the roster, accept theirs, serve the operator API (/api/v1) and federation API (/federation/v1); logs are JSON lines on stdout; SIGTERM or Ctrl-C stops it cleanly')
      .option('--port <n>', 'port to listen on (default: the port of the node\'s URL; 0 picks a free one)')
      .option('--host <address>', 'address to listen on', '127.0.0.1'),
  ).action(
    action(async (opts: StartOptions) => {
      const port = opts.port === undefined ? undefined : Number(opts.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new ParleyError('PARLEY_ERR_BAD_ARGUMENT', '--port must be an integer from 0 to 65535');
      // Signing on the spare cores lets a burst of appends be signed while the previous batch commits.
      const node = await startNode({ dir: opts.dir, port, host: opts.host, signingWorkers: Math.min(4, availableParallelism() - 1) });
      node.app.log.info({ url: node.url, dir: node.dir }, `node of ${node.party} running at ${node.url}`);
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      // A second signal while stopping falls back to the default action (the commits are atomic either way).
      node.app.log.info({ signal }, 'stopping: no new work; finishing requests and the commit in progress');
      await node.close();
      node.app.log.info('stopped');
      // Keep-alive sockets to peers must not hold the process open once the node is closed.
      setTimeout(() => process.exit(EXIT.ok), 100).unref();
      return EXIT.ok;
    }),
  );
}
