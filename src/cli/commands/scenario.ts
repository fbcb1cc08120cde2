/** `parley scenario run FILE --dir D`: replays a scenario through real node folders on a virtual clock. */
import type { Command } from 'commander';
import { playScenario } from '../../demo/scenario.js';
import { action } from '../boundary.js';
import { print, withCommon, type DirOption } from '../io.js';

interface RunOptions extends DirOption {
  basePort: string;
}

export function registerScenario(program: Command): void {
  const scenario = program.command('scenario').description('replay history through real node folders');
  withCommon(
    scenario
      .command('run')
      .argument('<file>', 'scenario file (YAML or JSON): parties and steps {at, author, type, to, refs?, body}')
      .description('play each step on its date: appended by its author, delivered to every party with receipts; one node folder per party under --dir (made if missing)')
      .option('--base-port <n>', 'port of the first node folder made', '7300'),
  ).action(
    action(async (file: string, opts: RunOptions) => {
      const report = await playScenario(file, opts.dir, { basePort: Number(opts.basePort) });
      print(opts.json, report, () =>
        report.outcome === 'reused'
          ? `${opts.dir} already holds "${report.title}" (${report.steps.length} steps); nothing replayed`
          : [`played "${report.title}": ${report.steps.length} steps into ${opts.dir}`, ...report.steps.map((s) => `  ${s.at}  ${s.author}#${s.seq}  ${s.type}${s.id ? `  (${s.id})` : ''}`)].join('\n'),
      );
    }),
  );
}
