/**
 * The `parley` command. Each command group lives in `commands/<group>.ts` and registers itself on
 * the program with one line below; the error boundary and exit codes are in `boundary.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { prepareProgram, quietOnClosedPipe, runCli } from './boundary.js';
import { registerInit } from './commands/init.js';
import { registerRoster } from './commands/roster.js';
import { registerSend } from './commands/send.js';
import { registerLog } from './commands/log.js';
import { registerVerify } from './commands/verify.js';
import { registerTransfer } from './commands/transfer.js';
import { registerProof } from './commands/proof.js';
import { registerStart } from './commands/start.js';
import { registerStatus } from './commands/status.js';
import { registerNetwork } from './commands/network.js';
import { registerHotline } from './commands/hotline.js';
import { registerRegimes } from './commands/regimes.js';
import { registerAgreement } from './commands/agreement.js';
import { registerScenario } from './commands/scenario.js';
import { registerTalks } from './commands/talks.js';
import { registerStore } from './commands/store.js';
import { registerIncidents } from './commands/incidents.js';
import { registerZones } from './commands/zones.js';
import { registerMissiles } from './commands/missiles.js';
import { registerToken } from './commands/token.js';

const program = prepareProgram(
  new Command('parley')
    .description('Parley: signed, hash-chained, Merkle-proven records between the parties of a crisis')
    .version(packageVersion(), '-V, --version'),
);

registerInit(program);
registerRoster(program);
registerSend(program);
registerLog(program);
registerVerify(program);
registerTransfer(program);
registerProof(program);
registerStart(program);
registerStatus(program);
registerNetwork(program);
registerHotline(program);
registerRegimes(program);
registerAgreement(program);
registerScenario(program);
registerTalks(program);
registerStore(program);
registerIncidents(program);
registerZones(program);
registerMissiles(program);
registerToken(program);

quietOnClosedPipe();
process.exitCode = await runCli(program, process.argv);

function packageVersion(): string {
  // src/cli/main.ts or dist/src/cli/main.js: the package root is a few folders up.
  for (let dir = dirname(fileURLToPath(import.meta.url)), i = 0; i < 4; dir = dirname(dir), i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'parley' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}
